package com.hearth.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops library log lines that mislead on a healthy node; {@code logback.xml} installs it. Pekko's
 * "No seed-nodes configured, manual cluster join required" is written before the node joins itself,
 * as it does when no seed nodes are configured; HearthNode says so in its own words.
 */
public final class QuietLogFilter extends TurboFilter {

  private static final String NO_SEED_NODES =
      "No seed-nodes configured, manual cluster join required";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.INFO
        || logger == null
        || !logger.getName().startsWith("org.apache.pekko.cluster")) return FilterReply.NEUTRAL;
    // Pekko logs through slf4j as info(marker, "{}", message): the text is the parameter.
    if (mentions(format) || (params != null && params.length > 0 && mentions(params[0])))
      return FilterReply.DENY;
    return FilterReply.NEUTRAL;
  }

  private static boolean mentions(Object text) {
    return text != null && text.toString().contains(NO_SEED_NODES);
  }
}
