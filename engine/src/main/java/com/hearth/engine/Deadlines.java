package com.hearth.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * Commands that change state carry the instant after which their sender no longer waits for them.
 * The sender answered its caller 503 ("not applied") when that instant passed, so an entity that
 * receives such a command later (it sat in a buffer while a shard moved, or in a busy mailbox) must
 * drop it: applying it would be a write nobody was told about.
 */
public final class Deadlines {

  private Deadlines() {}

  /** Whether a command with this deadline arrived too late to be applied; null never expires. */
  public static boolean expired(Instant deadline, Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  /**
   * The deadline to give a command whose sender waits {@code askTimeout} from {@code now}: earlier
   * than the timeout by {@code writeBudget}, the time the entity may still need to persist and
   * answer once it has accepted the command, so that an accepted command is answered before its
   * sender gives up. Never less than half the timeout.
   */
  public static Instant forAsk(Instant now, Duration askTimeout, Duration writeBudget) {
    Duration left = askTimeout.minus(writeBudget);
    Duration half = askTimeout.dividedBy(2);
    return now.plus(left.compareTo(half) < 0 ? half : left);
  }
}
