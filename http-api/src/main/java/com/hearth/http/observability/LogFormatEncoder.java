package com.hearth.http.observability;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The console's encoder in logback.xml, chosen by {@code HEARTH_LOG_FORMAT}: {@code text} (the
 * default) writes {@code pattern}, {@code json} writes {@link JsonLinesEncoder}'s lines. One
 * appender whose encoder is picked at start, rather than one appender per format, so logback has no
 * unused appender to warn about on every start.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

  private String format = "text";
  private String pattern;
  private Encoder<ILoggingEvent> delegate;

  public void setFormat(String format) {
    this.format = format;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    String chosen =
        format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
    if (chosen.equals("json")) {
      delegate = new JsonLinesEncoder();
    } else {
      if (!chosen.equals("text"))
        addWarn("HEARTH_LOG_FORMAT=" + format + " is neither text nor json; writing text");
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(pattern);
      delegate = text;
    }
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) delegate.stop();
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }
}
