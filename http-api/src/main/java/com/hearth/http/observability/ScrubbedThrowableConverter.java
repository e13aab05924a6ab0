package com.hearth.http.observability;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** {@code %scrubbedEx} in logback.xml: stack traces, their messages through {@link Scrubber}. */
public final class ScrubbedThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return Scrubber.scrub(super.throwableProxyToString(proxy));
  }
}
