package com.hearth.http;

import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.http.observability.HearthMetrics;
import com.hearth.projections.PaymentBacklog;
import com.hearth.projections.ProjectionStats;
import com.hearth.projections.ReadModels;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The node's gauges, sampled every metrics tick: entities in memory per type and shard, shards per
 * type, cluster members by status, readiness checks, each projection's lag, progress and failure,
 * and the payment backlog. Each sample is a handful of local queries (the backlog and readiness one
 * small database round trip each), skipped while the previous one still runs.
 */
final class NodeGauges {

  private final ActorSystem<?> system;
  private final ClusterView cluster;
  private final ReadModels readModels;
  private final Supplier<CompletionStage<Map<String, Boolean>>> readiness;
  private final Supplier<CompletionStage<PaymentBacklog.Backlog>> backlog;
  private final Map<String, Long> projected = new HashMap<>();
  private final Map<String, Set<String>> shardsSeen = new HashMap<>();
  private final AtomicBoolean sampling = new AtomicBoolean();

  private NodeGauges(
      ActorSystem<?> system,
      ClusterView cluster,
      ReadModels readModels,
      Supplier<CompletionStage<Map<String, Boolean>>> readiness,
      Supplier<CompletionStage<PaymentBacklog.Backlog>> backlog) {
    this.system = system;
    this.cluster = cluster;
    this.readModels = readModels;
    this.readiness = readiness;
    this.backlog = backlog;
  }

  static void start(
      ActorSystem<?> system,
      ClusterView cluster,
      ReadModels readModels,
      Duration every,
      Supplier<CompletionStage<Map<String, Boolean>>> readiness,
      Supplier<CompletionStage<PaymentBacklog.Backlog>> backlog) {
    NodeGauges gauges = new NodeGauges(system, cluster, readModels, readiness, backlog);
    system
        .scheduler()
        .scheduleAtFixedRate(
            Duration.ofSeconds(1), every, gauges::sample, system.executionContext());
  }

  private void sample() {
    if (!sampling.compareAndSet(false, true)) return;
    members();
    projections();
    CompletionStage<?> kitchens = entities(KitchenEntity.ENTITY_KEY);
    CompletionStage<?> payments = entities(PaymentEntity.ENTITY_KEY);
    CompletionStage<?> ready =
        readiness
            .get()
            .thenAccept(
                checks ->
                    checks.forEach(
                        (check, passing) -> HearthMetrics.ready(check).update(passing ? 1 : 0)));
    CompletionStage<?> waiting = backlog.get().thenAccept(NodeGauges::backlog);
    kitchens
        .thenCombine(payments, (a, b) -> a)
        .thenCombine(ready, (a, b) -> a)
        .thenCombine(waiting, (a, b) -> a)
        .whenComplete((done, failure) -> sampling.set(false));
  }

  private void members() {
    ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
    Map<String, Integer> byStatus = new HashMap<>();
    for (String status : new String[] {"joining", "weaklyup", "up", "leaving", "exiting", "down"})
      byStatus.put(status, 0);
    for (Member m : state.getMembers())
      byStatus.merge(m.status().toString().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
    byStatus.forEach((status, count) -> HearthMetrics.clusterMembers(status).update(count));
    HearthMetrics.unreachableMembers().update(state.getUnreachable().size());
  }

  private void projections() {
    if (readModels == null) return;
    for (Map.Entry<String, ProjectionStats.Status> e : readModels.stats().snapshot().entrySet()) {
      String projection = e.getKey();
      ProjectionStats.Status s = e.getValue();
      if (s.lastLagMs() != null)
        HearthMetrics.projectionLag(projection).update(s.lastLagMs() / 1000.0);
      HearthMetrics.projectionFailing(projection).update(s.failing() ? 1 : 0);
      long before = projected.getOrDefault(projection, 0L);
      // A restarted instance counts from zero again; its new events are all new.
      long delta =
          s.eventsProjected() >= before ? s.eventsProjected() - before : s.eventsProjected();
      HearthMetrics.projectionEvents(projection, delta);
      projected.put(projection, s.eventsProjected());
    }
  }

  private <M> CompletionStage<?> entities(EntityTypeKey<M> key) {
    return AskPattern
        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>
            ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(key, replyTo),
                Duration.ofSeconds(3),
                system.scheduler())
        .thenAccept(
            state -> {
              String type = key.name();
              Set<String> now = new HashSet<>();
              long total = 0;
              for (ShardRegion.ShardState shard : state.getShards()) {
                now.add(shard.shardId());
                total += shard.getEntityIds().size();
                HearthMetrics.entitiesInShard(type, shard.shardId())
                    .update(shard.getEntityIds().size());
              }
              // A shard that moved away holds nothing here any more.
              for (String gone : shardsSeen.getOrDefault(type, Set.of()))
                if (!now.contains(gone)) HearthMetrics.entitiesInShard(type, gone).update(0);
              shardsSeen.put(type, now);
              HearthMetrics.shards(type).update(now.size());
              HearthMetrics.entitiesInMemory(type).update(total);
            });
  }

  private static void backlog(PaymentBacklog.Backlog b) {
    if (b == null)
      return; // not read in time (the database is slow or away); the gauges keep their last values
    Map<String, PaymentBacklog.Queue> entries =
        Map.of(
            "awaiting_intent",
            b.awaitingIntent(),
            "awaiting_confirmation",
            b.awaitingConfirmation(),
            "refunds_pending",
            b.refundsPending(),
            "refunds_failed",
            b.refundsFailed(),
            "refunds_rejected",
            b.refundsRejected());
    entries.forEach(
        (entry, queue) -> {
          HearthMetrics.paymentBacklog(entry).update(queue.count());
          HearthMetrics.paymentBacklogAge(entry)
              .update(queue.oldestAgeSeconds() == null ? 0 : queue.oldestAgeSeconds());
        });
    HearthMetrics.readModelsLag().update(b.lagMs() / 1000.0);
  }
}
