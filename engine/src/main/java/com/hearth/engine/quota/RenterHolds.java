package com.hearth.engine.quota;

import com.hearth.engine.CborSerializable;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One renter's open holds across every kitchen, so that the caps of {@link HoldQuota} hold for the
 * whole cluster: Cluster Sharding runs exactly one of these per renter, on one node, and every
 * node's hold route asks it before the kitchen. It keeps its count in memory only; when it starts
 * (first use, or after its shard moved or its node died) it loads the renter's open holds from the
 * read tables through {@link OpenHoldsSource}, so at most the holds of the last moments before a
 * move (the read models' lag) go uncounted. It is not remembered and passivates when idle.
 */
public final class RenterHolds {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "RenterHolds");

  public sealed interface Command extends CborSerializable {}

  /** Counts a hold about to be placed, if it fits. */
  public record Reserve(HoldQuota.OpenHold hold, ActorRef<Reply> replyTo) implements Command {}

  /**
   * The hold was not placed, was cancelled, or was answered by an earlier one: it no longer counts.
   */
  public record Release(String bookingId) implements Command {}

  private record Loaded(List<HoldQuota.OpenHold> holds, String failure) implements Command {}

  public sealed interface Reply extends CborSerializable {}

  public record Reserved() implements Reply {}

  public record Refused(HoldQuota.Refusal refusal) implements Reply {}

  /** Where a starting entity finds the renter's holds that are still open. */
  public interface OpenHoldsSource {
    CompletionStage<List<HoldQuota.OpenHold>> openHolds(String renterId, java.time.Instant now);
  }

  private RenterHolds() {}

  public static void init(
      ActorSystem<?> system, HoldQuota.Limits limits, OpenHoldsSource source, Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), limits, source, clock))
                // Counts are rebuilt from the read tables when needed: nothing to remember across
                // restarts.
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(false)));
  }

  public static Behavior<Command> create(
      String renterId, HoldQuota.Limits limits, OpenHoldsSource source, Clock clock) {
    return Behaviors.withStash(
        1000,
        stash ->
            Behaviors.setup(
                ctx -> {
                  ctx.pipeToSelf(
                      source.openHolds(renterId, clock.instant()),
                      (holds, failure) ->
                          new Loaded(
                              holds == null ? List.of() : holds,
                              failure == null ? null : failure.toString()));
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          Loaded.class,
                          loaded -> {
                            if (loaded.failure() != null)
                              ctx.getLog()
                                  .warn(
                                      "renter quota started without the open holds of the read tables: {}",
                                      loaded.failure());
                            return stash.unstashAll(
                                active(new HoldQuota(limits, loaded.holds()), clock));
                          })
                      .onAnyMessage(
                          message -> {
                            if (!stash.isFull()) stash.stash(message);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static Behavior<Command> active(HoldQuota quota, Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Reserve.class,
            r -> {
              Optional<HoldQuota.Refusal> refused = quota.reserve(r.hold(), clock.instant());
              r.replyTo().tell(refused.<Reply>map(Refused::new).orElseGet(Reserved::new));
              return Behaviors.same();
            })
        .onMessage(
            Release.class,
            r -> {
              quota.release(r.bookingId());
              return Behaviors.same();
            })
        .build();
  }
}
