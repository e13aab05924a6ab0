package com.hearth.engine.kitchen;

import com.hearth.engine.Deadlines;
import com.hearth.engine.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kamon.Kamon;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Groups holds for the same kitchen that arrive on this node while an earlier group is being
 * written, so a busy kitchen pays one journal round trip per group rather than per hold.
 *
 * <p>Per kitchen, at most one {@link KitchenEntity.HoldSlots} is in flight. Holds that arrive
 * meanwhile wait here and go out together when it completes (or times out). At low load a hold goes
 * out at once, alone, so batching adds no latency. The kitchen still decides every hold; this actor
 * only groups them. Node-local: its own messages never cross the network.
 *
 * <p>A group's answers come back in one message, the group's {@link KitchenEntity.HoldBatchDone},
 * and this actor passes each on to its hold's caller: when the kitchen lives on another node, a
 * hold that is alone in its group costs two network messages (the group out, its answer back)
 * instead of three (the answer to the caller and the group's completion apart), and a group of n
 * holds two instead of n + 1. Refusals, which the kitchen decides without writing, wait for the
 * group's write like acceptances.
 *
 * <p>A hold whose deadline has passed while it waited here is dropped, unsent: its caller has
 * already been answered 503. The kitchen checks the deadline again when the group arrives.
 */
public final class HoldBatcher {

  public sealed interface Command {}

  /**
   * A hold for {@code kitchenId}; its answer comes back in its group's {@link
   * KitchenEntity.HoldBatchDone} and is passed on here to the hold's replyTo.
   */
  public record Submit(String kitchenId, KitchenEntity.HoldSlot hold) implements Command {}

  /** A group answered ({@code done}), or not answered in time (null). */
  private record GroupFinished(
      String kitchenId, List<KitchenEntity.HoldSlot> group, KitchenEntity.HoldBatchDone done)
      implements Command {}

  /** Most holds written in one group; the rest wait for the next. */
  public static final int MAX_GROUP = 200;

  /**
   * Most holds waiting for one kitchen by default; beyond the limit a hold is turned away at once
   * as busy. A node sets it with {@code hearth.kitchen.max-waiting-holds}.
   */
  public static final int MAX_WAITING = 5_000;

  public static Behavior<Command> create(ClusterSharding sharding, Duration timeout) {
    return create(sharding, timeout, Clock.systemUTC());
  }

  public static Behavior<Command> create(ClusterSharding sharding, Duration timeout, Clock clock) {
    return create(sharding, timeout, clock, MAX_WAITING);
  }

  /**
   * As {@link #create(ClusterSharding, Duration, Clock)}, with at most {@code maxWaiting} holds
   * waiting per kitchen.
   */
  public static Behavior<Command> create(
      ClusterSharding sharding, Duration timeout, Clock clock, int maxWaiting) {
    if (maxWaiting < 1)
      throw new IllegalArgumentException("hearth.kitchen.max-waiting-holds must be positive");
    return Behaviors.setup(
        ctx -> new HoldBatcher(ctx, sharding, timeout, clock, maxWaiting).idle());
  }

  private final ActorContext<Command> context;
  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Clock clock;
  private final int maxWaiting;

  /** Kitchens with a group in flight, and the holds waiting behind it (possibly none). */
  private final Map<String, ArrayDeque<KitchenEntity.HoldSlot>> waiting = new HashMap<>();

  /** Holds waiting here on this node, all kitchens together: {@code hearth_holds_waiting}. */
  private int waitingTotal;

  private static final Gauge WAITING =
      Kamon.gauge("hearth.holds.waiting", "Holds waiting in the batcher on this node")
          .withoutTags();
  private static final Gauge KITCHENS_WRITING =
      Kamon.gauge(
              "hearth.holds.kitchens.writing", "Kitchens with a hold group in flight on this node")
          .withoutTags();
  private static final Histogram GROUP_SIZE =
      Kamon.histogram("hearth.holds.batch.size", "Holds sent to a kitchen in one group")
          .withoutTags();

  private HoldBatcher(
      ActorContext<Command> context,
      ClusterSharding sharding,
      Duration timeout,
      Clock clock,
      int maxWaiting) {
    this.context = context;
    this.maxWaiting = maxWaiting;
    this.sharding = sharding;
    this.timeout = timeout;
    this.clock = clock;
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(GroupFinished.class, this::onGroupFinished)
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    ArrayDeque<KitchenEntity.HoldSlot> queue = waiting.get(submit.kitchenId());
    if (queue == null) {
      waiting.put(submit.kitchenId(), new ArrayDeque<>());
      send(submit.kitchenId(), List.of(submit.hold()));
    } else if (queue.size() >= maxWaiting) {
      submit
          .hold()
          .replyTo()
          .tell(
              new KitchenEntity.BookingRejected(
                  Rejection.of(
                      Rejection.Code.KITCHEN_BUSY,
                      "the kitchen has too many holds waiting; retry shortly")));
    } else {
      queue.add(submit.hold());
      WAITING.update(++waitingTotal);
    }
    KITCHENS_WRITING.update(waiting.size());
    return Behaviors.same();
  }

  private Behavior<Command> onGroupFinished(GroupFinished finished) {
    passOnAnswers(finished);
    ArrayDeque<KitchenEntity.HoldSlot> queue = waiting.get(finished.kitchenId());
    if (queue == null) return Behaviors.same();
    if (queue.isEmpty()) {
      waiting.remove(finished.kitchenId());
      KITCHENS_WRITING.update(waiting.size());
      return Behaviors.same();
    }
    List<KitchenEntity.HoldSlot> group = new ArrayList<>(Math.min(queue.size(), MAX_GROUP));
    Instant now = clock.instant();
    int late = 0;
    while (!queue.isEmpty() && group.size() < MAX_GROUP) {
      KitchenEntity.HoldSlot hold = queue.poll();
      if (Deadlines.expired(hold.deadline(), now)) late++;
      else group.add(hold);
    }
    waitingTotal -= group.size() + late;
    WAITING.update(waitingTotal);
    if (late > 0)
      context
          .getLog()
          .info(
              "kitchen {}: dropped {} waiting hold(s) past their deadline",
              finished.kitchenId(),
              late);
    if (group.isEmpty()) {
      context.getSelf().tell(new GroupFinished(finished.kitchenId(), List.of(), null));
      return Behaviors.same();
    }
    send(finished.kitchenId(), group);
    return Behaviors.same();
  }

  /**
   * Each hold of the group gets its answer from the group's done message. A kitchen of an older
   * node answers each hold itself and sends no answers here; a group not answered in time has none
   * either, and its callers, whose own asks end no later than this one, have been answered 503.
   */
  private static void passOnAnswers(GroupFinished finished) {
    if (finished.done() == null) return;
    List<KitchenEntity.HoldAnswer> answers = finished.done().answers();
    for (int i = 0; i < Math.min(answers.size(), finished.group().size()); i++) {
      KitchenEntity.BookingReply reply = answers.get(i).reply();
      if (reply != null) finished.group().get(i).replyTo().tell(reply);
    }
  }

  private void send(String kitchenId, List<KitchenEntity.HoldSlot> group) {
    GROUP_SIZE.record(group.size());
    context.pipeToSelf(
        sharding
            .entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId)
            .<KitchenEntity.HoldBatchDone>ask(
                done -> new KitchenEntity.HoldSlots(group, done, true), timeout),
        // A lost or slow group frees the kitchen's slot here too; its callers time out on their
        // own.
        (done, failure) -> new GroupFinished(kitchenId, group, done));
  }
}
