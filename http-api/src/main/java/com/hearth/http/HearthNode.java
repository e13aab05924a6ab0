package com.hearth.http;

import com.hearth.engine.kitchen.HoldBatcher;
import com.hearth.engine.kitchen.KitchenConfig;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.projections.CompletionSweeper;
import com.hearth.projections.Payouts;
import com.hearth.projections.Reconciliation;
import com.hearth.projections.ReadModelQueries;
import com.hearth.projections.ReadModels;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hearth node: migrates the database, starts the actor system and joins the cluster (itself
 * when alone), registers the kitchens with sharding, runs the read-model projections and serves
 * the HTTP API. Its outward ports,
 * the configuration and the clock, are parameters so tests can pass their own.
 */
public final class HearthNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HearthNode.class);

  private final ActorSystem<Void> system;
  private final Database database;
  private final ServerBinding binding;

  private HearthNode(ActorSystem<Void> system, Database database, ServerBinding binding) {
    this.system = system;
    this.database = database;
    this.binding = binding;
  }

  public static HearthNode start(Config config, Clock clock) {
    NodeSettings settings = NodeSettings.from(config);
    Database database = new Database(settings);
    try {
      database.migrate();
      Config full = database.persistenceConfig().withFallback(config).resolve();
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hearth", full);
      joinCluster(system, seedNodes(full));
      KitchenConfig kitchenConfig = KitchenConfig.from(full);
      KitchenEntity.init(system, kitchenConfig, clock);
      JwtAuth auth = new JwtAuth(JwtAuth.resolveSecret(settings.jwtSecret(), settings.dataDir()), clock);
      ActorRef<HoldBatcher.Command> holdBatcher = system.systemActorOf(
          HoldBatcher.create(ClusterSharding.get(system), settings.askTimeout()), "hold-batcher", Props.empty());
      ReadModels readModels = ReadModels.start(system, database.projectionPool(), database.dialect(), clock);
      CompletionSweeper.start(system, database.queryPool(), clock);
      Executor queryThreads = system.dispatchers().lookup(DispatcherSelector.fromConfig("hearth.read-models.query-dispatcher"));
      ReadModelQueries queries = new ReadModelQueries(database.queryPool());
      ReadRoutes reads = new ReadRoutes(queries, readModels, queryThreads, clock);
      Payments.Started payments = Payments.start(system, full, database, queries, settings.askTimeout(), clock);
      AdminRoutes admin = new AdminRoutes(new Payouts(database.queryPool()),
          new Reconciliation(payments.gateway(), database.queryPool()), queryThreads, clock);
      ApiRoutes routes = new ApiRoutes(system, holdBatcher, auth, settings, kitchenConfig, () -> readiness(system, database),
          reads, payments.routes(), admin);
      ServerBinding binding = Http.get(system)
          .newServerAt(settings.httpInterface(), settings.httpPort())
          .bind(routes.route())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS)
          .addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      log.info("Hearth listening on http://{}:{} ({} database)", settings.httpInterface(),
          binding.localAddress().getPort(), database.isPostgres() ? "PostgreSQL" : "embedded H2 in " + settings.dataDir());
      system.getWhenTerminated().thenRun(database::close);
      return new HearthNode(system, database, binding);
    } catch (Exception e) {
      database.close();
      throw new IllegalStateException("the node could not start: " + e.getMessage(), e);
    }
  }

  /** A list in configuration, or a comma-separated string from HEARTH_SEED_NODES. */
  static List<String> seedNodes(Config config) {
    String path = "hearth.cluster.seed-nodes";
    if (config.getValue(path).valueType() != ConfigValueType.STRING) return config.getStringList(path);
    return Arrays.stream(config.getString(path).split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
  }

  private static void joinCluster(ActorSystem<?> system, List<String> seedNodes) {
    Cluster cluster = Cluster.get(system);
    if (seedNodes.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      List<Address> seeds = seedNodes.stream().map(AddressFromURIString::parse).toList();
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
  }

  /** Ready when this node is an Up cluster member and the database answers. */
  private static CompletionStage<Map<String, Boolean>> readiness(ActorSystem<?> system, Database database) {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    boolean memberUp = Cluster.get(system).selfMember().status() == MemberStatus.up();
    return CompletableFuture.supplyAsync(database::ping, blocking)
        .completeOnTimeout(false, 3, TimeUnit.SECONDS)
        .thenApply(dbUp -> {
          Map<String, Boolean> checks = new LinkedHashMap<>();
          checks.put("cluster_member_up", memberUp);
          checks.put("database", dbUp);
          return checks;
        });
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Database database() {
    return database;
  }

  /** Stops the node the way an operator's SIGTERM would: coordinated shutdown, then the pools. */
  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
    database.close();
  }
}
