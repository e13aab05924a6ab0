package com.hearth.http;

import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.payment.PaymentEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * What an operator (and the readiness check) needs to know about this node's place in the cluster:
 * the members, whether a majority of the expected size is reachable, whether the shard regions are
 * registered with their coordinator, and where the kitchens live.
 */
final class ClusterView {

  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final ClusterFormation formation;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final Supplier<CompletionStage<?>> paymentBacklog;
  private final StallWatch stalls;

  /**
   * {@code paymentBacklog} reads the payments' backlog from the read tables (see PaymentBacklog).
   */
  ClusterView(
      ActorSystem<?> system,
      ClusterFormation formation,
      Supplier<CompletionStage<?>> paymentBacklog) {
    this.system = system;
    this.formation = formation;
    this.paymentBacklog = paymentBacklog;
    com.typesafe.config.Config config = system.settings().config();
    Duration quiet =
        config
            .getDuration("pekko.cluster.split-brain-resolver.stable-after")
            .plus(config.getDuration("pekko.cluster.down-removal-margin"))
            .plusSeconds(1);
    this.stalls = new StallWatch(config.getDuration("hearth.cluster.stall-threshold"), quiet);
    system.getWhenTerminated().thenRun(stalls::close);
  }

  /**
   * Whether this node was frozen or paused recently (see {@link StallWatch}): it then refuses
   * writes and answers unready until the cluster has had time to tell it whether it is a member.
   */
  boolean recentlyStalled() {
    return stalls.stalled();
  }

  ClusterFormation formation() {
    return formation;
  }

  /** From now on readiness answers false: the node is on its way out. */
  void markShuttingDown() {
    shuttingDown.set(true);
  }

  boolean shuttingDown() {
    return shuttingDown.get();
  }

  boolean selfUp() {
    return Cluster.get(system).selfMember().status() == MemberStatus.up();
  }

  /** Up members this node can reach, itself included. */
  int reachableUpMembers() {
    ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
    int count = 0;
    for (Member m : state.getMembers()) {
      if (m.status() == MemberStatus.up() && !state.getUnreachable().contains(m)) count++;
    }
    return count;
  }

  /** Up and reachable members are at least a majority of the expected size (1 when alone). */
  boolean hasQuorum() {
    return reachableUpMembers() >= formation.quorum();
  }

  /**
   * Both entity types' regions are registered: the coordinator lists this node among the regions.
   */
  CompletionStage<Boolean> shardRegionsRegistered() {
    Address self = Cluster.get(system).selfMember().address();
    org.apache.pekko.cluster.sharding.ClusterSharding classic =
        org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system));
    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    for (String type : List.of(KitchenEntity.ENTITY_KEY.name(), PaymentEntity.ENTITY_KEY.name())) {
      checks.add(
          Patterns.ask(
                  classic.shardRegion(type), ShardRegion.getCurrentRegionsInstance(), QUERY_TIMEOUT)
              .toCompletableFuture()
              .thenApply(reply -> ((ShardRegion.CurrentRegions) reply).getRegions().contains(self))
              .exceptionally(failure -> false));
    }
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .thenApply(done -> checks.stream().allMatch(CompletableFuture::join));
  }

  /**
   * Members, kitchens and payments per node and shard (asked of every region, at most 3 s), and the
   * payments' backlog, cluster-wide, from the read tables.
   */
  CompletionStage<Map<String, Object>> snapshot() {
    Cluster cluster = Cluster.get(system);
    ClusterEvent.CurrentClusterState state = cluster.state();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("self", cluster.selfMember().address().toString());
    body.put("formation", formation.toString());
    body.put("expected_size", formation.expectedSize());
    body.put("quorum", formation.quorum());
    body.put("leader", state.getLeader() == null ? null : state.getLeader().toString());
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member m : state.getMembers()) {
      Map<String, Object> member = new LinkedHashMap<>();
      member.put("address", m.address().toString());
      member.put("status", m.status().toString());
      member.put("reachable", !state.getUnreachable().contains(m));
      members.add(member);
    }
    body.put("members", members);
    body.put("shutting_down", shuttingDown());
    CompletableFuture<Map<String, Object>> kitchens = entities(KitchenEntity.ENTITY_KEY);
    CompletableFuture<Map<String, Object>> payments = entities(PaymentEntity.ENTITY_KEY);
    CompletableFuture<Object> backlog =
        paymentBacklog
            .get()
            .toCompletableFuture()
            .<Object>thenApply(b -> b)
            .completeOnTimeout(
                Map.of(
                    "error",
                    "the read tables did not answer within " + QUERY_TIMEOUT.toSeconds() + " s"),
                QUERY_TIMEOUT.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS)
            .exceptionally(
                failure ->
                    Map.of("error", "cannot read the payment backlog: " + failure.getMessage()));
    return kitchens
        .thenCombine(
            payments,
            (k, p) -> {
              body.put("kitchens", k);
              body.put("payments", p);
              return body;
            })
        .thenCombine(
            backlog,
            (b, owed) -> {
              b.put("payment_backlog", owed);
              return b;
            });
  }

  private <M> CompletableFuture<Map<String, Object>> entities(EntityTypeKey<M> key) {
    ClusterSharding sharding = ClusterSharding.get(system);
    CompletableFuture<Map<String, Object>> perNode =
        AskPattern
            .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                ShardRegion.ClusterShardingStats>
                ask(
                    sharding.shardState(),
                    replyTo -> new GetClusterShardingStats(key, QUERY_TIMEOUT, replyTo),
                    QUERY_TIMEOUT.plusSeconds(1),
                    system.scheduler())
            .toCompletableFuture()
            .thenApply(
                stats -> {
                  Map<String, Object> nodes = new TreeMap<>();
                  stats
                      .getRegions()
                      .forEach(
                          (address, region) -> {
                            Map<String, Object> node = new LinkedHashMap<>();
                            node.put("shards", region.getStats().size());
                            node.put(
                                "in_memory",
                                region.getStats().values().stream()
                                    .mapToInt(n -> ((Number) n).intValue())
                                    .sum());
                            node.put("shard_ids", new TreeMap<>(region.getStats()).keySet());
                            if (!region.getFailed().isEmpty())
                              node.put("shards_not_answering", region.getFailed());
                            nodes.put(address.toString(), node);
                          });
                  return nodes;
                });
    CompletableFuture<Integer> here =
        AskPattern
            .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                ShardRegion.CurrentShardRegionState>
                ask(
                    sharding.shardState(),
                    replyTo -> new GetShardRegionState(key, replyTo),
                    QUERY_TIMEOUT,
                    system.scheduler())
            .toCompletableFuture()
            .thenApply(
                s -> s.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum());
    return perNode
        .thenCombine(
            here,
            (nodes, inMemoryHere) -> {
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("in_memory_here", inMemoryHere);
              view.put("nodes", nodes);
              return view;
            })
        .exceptionally(
            failure ->
                Map.of(
                    "error", "the shard regions did not answer in time: " + failure.getMessage()));
  }
}
