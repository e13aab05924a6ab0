package com.hearth.http.observability;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %scrubbedMsg} in logback.xml: the message, through {@link Scrubber}. */
public final class ScrubbedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Scrubber.scrub(super.convert(event));
  }
}
