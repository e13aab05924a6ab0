package com.hearth.http.observability;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line ({@code HEARTH_LOG_FORMAT=json}): {@code ts} (UTC ISO-8601), {@code
 * level}, {@code logger}, {@code thread}, {@code message}, the logging context ({@code request_id}
 * and Pekko's {@code pekkoSource}...) as fields of their own, and {@code exception} with the stack
 * trace. Message, context values and stack trace go through {@link Scrubber}.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  private final ThrowableProxyConverter stackTraces = new ThrowableProxyConverter();

  @Override
  public void start() {
    stackTraces.setContext(getContext());
    stackTraces.start();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", Scrubber.scrub(event.getFormattedMessage()));
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null)
        for (Map.Entry<String, String> e : mdc.entrySet())
          if (!e.getKey().equals("ts") && !e.getKey().equals("message"))
            json.writeStringField(e.getKey(), Scrubber.scrub(e.getValue()));
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null)
        json.writeStringField("exception", Scrubber.scrub(stackTraces.convert(event)));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
