package com.hearth.engine;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/**
 * What the event-sourced entities share, with each other and with the projections that read their
 * journal: the tags their events carry, and how an entity restarts when the journal fails. Defined
 * once here; the entities tag with it and the projections read by it.
 */
public final class EventSourcing {

  private EventSourcing() {}

  /** The kitchens' events, tagged {@code kitchen-0..3} by kitchen id. */
  public static final Tags KITCHEN_TAGS = new Tags("kitchen", 4);

  /** The payments' events, tagged {@code payment-0..3} by booking id. */
  public static final Tags PAYMENT_TAGS = new Tags("payment", 4);

  /**
   * An entity whose journal write or recovery failed (the database is down) stops and starts again
   * after 200 ms, backing off to 5 s with 20 % jitter, and recovers from the journal.
   */
  public static final BackoffSupervisorStrategy ON_JOURNAL_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

  /**
   * Events spread over {@code count} tags, {@code prefix-0} to {@code prefix-(count-1)}, by entity
   * id: all events of one entity carry one tag, so one projection instance reads them in order.
   */
  public record Tags(String prefix, int count) {

    /** The tag of every event of the entity {@code entityId}. */
    public String of(String entityId) {
      return tag(Math.floorMod(entityId.hashCode(), count));
    }

    /** The tag that projection instance {@code instance} (0 to count - 1) reads. */
    public String tag(int instance) {
      return prefix + "-" + instance;
    }
  }
}
