package com.hearth.http.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.typesafe.config.Config;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional error reporting to Sentry: off unless {@code HEARTH_SENTRY_DSN} is set. Once it is,
 * every ERROR log line (with its exception) becomes a Sentry event, through {@link Scrubber} and
 * with no request data, user or server name attached ({@code sendDefaultPii} off). The appender
 * sits in logback.xml and does nothing while Sentry is off.
 */
public final class ErrorReporting extends AppenderBase<ILoggingEvent> {

  private static final Logger log = LoggerFactory.getLogger(ErrorReporting.class);

  /** Starts the Sentry client when a DSN is configured; returns whether it did. */
  public static boolean start(Config config) {
    String dsn = config.getString("hearth.sentry.dsn");
    if (dsn.isBlank()) return false;
    Sentry.init(
        options -> {
          options.setDsn(dsn);
          options.setEnvironment(config.getString("hearth.sentry.environment"));
          options.setSendDefaultPii(false);
          options.setAttachServerName(false);
          options.setEnableUncaughtExceptionHandler(true);
          options.setBeforeSend((event, hint) -> scrub(event));
        });
    log.info(
        "errors are reported to Sentry (environment {})",
        config.getString("hearth.sentry.environment"));
    return true;
  }

  /** What leaves for Sentry: messages and exception texts scrubbed, no user, no request. */
  static SentryEvent scrub(SentryEvent event) {
    if (event.getMessage() != null) {
      Message m = event.getMessage();
      m.setMessage(Scrubber.scrub(m.getMessage()));
      m.setFormatted(Scrubber.scrub(m.getFormatted()));
      m.setParams(null);
    }
    if (event.getExceptions() != null)
      event.getExceptions().forEach(e -> e.setValue(Scrubber.scrub(e.getValue())));
    event.setUser(null);
    event.setRequest(null);
    return event;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.ERROR) || !Sentry.isEnabled()) return;
    SentryEvent sentry = new SentryEvent(throwable(event.getThrowableProxy()));
    Message message = new Message();
    message.setFormatted(Scrubber.scrub(event.getFormattedMessage()));
    sentry.setMessage(message);
    sentry.setLevel(SentryLevel.ERROR);
    sentry.setLogger(event.getLoggerName());
    String requestId = event.getMDCPropertyMap().get(RequestObservation.MDC_KEY);
    if (requestId != null) sentry.setTag(RequestObservation.MDC_KEY, requestId);
    Sentry.captureEvent(sentry);
  }

  private static Throwable throwable(IThrowableProxy proxy) {
    return proxy instanceof ThrowableProxy real ? real.getThrowable() : null;
  }
}
