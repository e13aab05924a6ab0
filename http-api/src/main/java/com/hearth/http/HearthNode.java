package com.hearth.http;

import com.hearth.billing.Payouts;
import com.hearth.billing.Reconciliation;
import com.hearth.engine.compliance.ComplianceEntity;
import com.hearth.engine.compliance.ComplianceRuleBook;
import com.hearth.engine.host.HostEntity;
import com.hearth.engine.kitchen.HoldBatcher;
import com.hearth.engine.kitchen.KitchenConfig;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.quota.RenterHolds;
import com.hearth.http.observability.ErrorReporting;
import com.hearth.http.observability.MetricsServer;
import com.hearth.http.observability.RequestObservation;
import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.worker.DocumentJobs;
import com.hearth.ocr.worker.OcrWorker;
import com.hearth.ocr.worker.OcrWorkerSettings;
import com.hearth.ocr.worker.Readers;
import com.hearth.projections.CompletionSweeper;
import com.hearth.projections.OnboardingQueries;
import com.hearth.projections.PaymentBacklog;
import com.hearth.projections.ReadModelQueries;
import com.hearth.projections.ReadModels;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hearth node: migrates the database, starts the actor system and its management endpoint,
 * joins the cluster (itself when alone; see {@link ClusterFormation}), registers the kitchens with
 * sharding, runs the read-model projections and serves the HTTP API. Its outward ports, the
 * configuration and the clock, are parameters so tests can pass their own.
 */
public final class HearthNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HearthNode.class);

  private final ActorSystem<Void> system;
  private final Database database;
  private final ServerBinding binding;
  private final ServerBinding management;
  private final ServerBinding metrics;

  private HearthNode(
      ActorSystem<Void> system,
      Database database,
      ServerBinding binding,
      ServerBinding management,
      ServerBinding metrics) {
    this.system = system;
    this.database = database;
    this.binding = binding;
    this.management = management;
    this.metrics = metrics;
  }

  public static HearthNode start(Config config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * A node whose embedded OCR worker reads with {@code reader}; null takes the reader named by
   * {@code hearth.ocr.reader-class}, if any.
   */
  public static HearthNode start(Config config, Clock clock, CertificateReader reader) {
    long startedAt = System.nanoTime();
    NodeSettings settings = NodeSettings.from(config);
    ClusterFormation formation = ClusterFormation.from(config);
    int managementPort = config.getInt("hearth.management.port");
    if (formation.bootstraps() && managementPort == 0)
      throw new IllegalStateException(
          "Cluster Bootstrap needs a fixed management port (HEARTH_MANAGEMENT_PORT)");
    ManagementEndpoint.checkSettings(config);
    ErrorReporting.start(config);
    String databaseName =
        settings.usesPostgres()
            ? "PostgreSQL database"
            : "embedded H2 database in " + settings.dataDir();
    log.info("Starting Hearth: migrating the {}...", databaseName);
    if (!settings.usesPostgres()) ownerOnly(settings.dataDir(), false);
    Database database = new Database(settings);
    try {
      database.migrate();
      if (!settings.usesPostgres()) ownerOnly(settings.dataDir(), true);
      log.info("Starting Hearth: database ready; starting the actor system and the cluster...");
      Config full =
          database
              .persistenceConfig()
              .withFallback(httpServerOverrides(settings))
              .withFallback(formation.pekkoOverrides(config, managementPort))
              .withFallback(config)
              .resolve();
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hearth", full);
      Executor queryThreads =
          system
              .dispatchers()
              .lookup(DispatcherSelector.fromConfig("hearth.read-models.query-dispatcher"));
      PaymentBacklog backlog = new PaymentBacklog(database.queryPool());
      ClusterView cluster =
          new ClusterView(
              system,
              formation,
              () -> CompletableFuture.supplyAsync(() -> backlog.read(clock), queryThreads));
      Supplier<CompletionStage<Map<String, Boolean>>> ready =
          () -> readiness(system, database, cluster);
      ServerBinding management = startManagement(system, full, cluster, ready);
      ServerBinding metrics = MetricsServer.start(system, full);
      formation.join(system);
      log.info("Joining {}", formation);
      log.info(
          "Starting Hearth: starting kitchens, read-model projections, payments and the HTTP API...");
      KitchenConfig kitchenConfig = KitchenConfig.from(full);
      KitchenEntity.init(system, kitchenConfig, clock);
      HostEntity.init(system, clock);
      ComplianceEntity.init(system, clock);
      JwtAuth auth = JwtAuth.from(settings, clock);
      ActorRef<HoldBatcher.Command> holdBatcher =
          system.systemActorOf(
              HoldBatcher.create(
                  ClusterSharding.get(system),
                  settings.askTimeout(),
                  clock,
                  full.getInt("hearth.kitchen.max-waiting-holds")),
              "hold-batcher",
              Props.empty());
      ReadModels readModels =
          ReadModels.start(system, database.projectionPool(), database.dialect(), clock);
      CompletionSweeper.start(system, database.queryPool(), clock);
      ReadModelQueries queries = new ReadModelQueries(database.queryPool());
      Quotas.Settings limits = Quotas.Settings.from(full);
      RenterHolds.init(
          system,
          limits.holds(),
          (renter, now) ->
              CompletableFuture.supplyAsync(
                  () -> queries.openHoldsOfRenter(renter, now), queryThreads),
          clock);
      Quotas quotas =
          new Quotas(
              limits,
              cluster::reachableUpMembers,
              ClusterSharding.get(system),
              settings.askTimeout(),
              Quotas.holdCountsFor(kitchenConfig.holdTtl(), settings.askTimeout()),
              queries::kitchenCountOfHost,
              queryThreads,
              system.executionContext(),
              clock);
      ReadRoutes reads = new ReadRoutes(queries, readModels, queryThreads, clock);
      KnownEntities known =
          new KnownEntities(
              database::journalHas, queryThreads, full.getInt("hearth.limits.known-ids-in-memory"));
      Payments.Started payments =
          Payments.start(system, full, database, queries, settings, known, clock);
      AdminRoutes admin =
          new AdminRoutes(
              new Payouts(database.queryPool()),
              new Reconciliation(payments.gateway(), database.queryPool()),
              queryThreads,
              clock);
      ComplianceRuleBook rules = ComplianceRuleBook.from(full);
      ComplianceStandings standings =
          new ComplianceStandings(system, rules, settings.askTimeout(), clock);
      startOcr(system, full, database, reader, queryThreads, settings, standings, clock);
      OnboardingRoutes onboarding =
          new OnboardingRoutes(
              system,
              settings.askTimeout(),
              new OnboardingQueries(database.queryPool()),
              queryThreads,
              rules,
              standings,
              known,
              quotas,
              clock);
      Accounts accounts =
          startAccounts(system, full, settings, database, auth, cluster, queryThreads, clock);
      ApiRoutes routes =
          new ApiRoutes(
              system,
              holdBatcher,
              auth,
              settings,
              kitchenConfig,
              ready,
              reads,
              payments.routes(),
              admin,
              quotas,
              onboarding,
              standings,
              accounts,
              cluster,
              known,
              clock);
      NodeGauges.start(
          system,
          cluster,
          readModels,
          full.getDuration("hearth.metrics.tick-interval"),
          ready,
          () ->
              CompletableFuture.supplyAsync(() -> backlog.read(clock), queryThreads)
                  .completeOnTimeout(null, 5, TimeUnit.SECONDS));
      ServerBinding binding =
          Http.get(system)
              .newServerAt(settings.httpInterface(), settings.httpPort())
              .bindFlow(
                  HeaderDeadline.around(
                      new RequestObservation().wrap(routes.route()).flow(system),
                      settings.headerTimeout()))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      turnUnreadyBeforeUnbind(system, cluster, full.getDuration("hearth.http.unready-delay"));
      log.info(
          "HTTP API on port {}; management on {}",
          binding.localAddress().getPort(),
          management == null
              ? "no port"
              : management.localAddress().getHostString()
                  + ":"
                  + management.localAddress().getPort());
      announceReady(
          system, settings, binding.localAddress().getPort(), databaseName, startedAt, ready);
      system.getWhenTerminated().thenRun(database::close);
      return new HearthNode(system, database, binding, management, metrics);
    } catch (Exception e) {
      database.close();
      throw new IllegalStateException("the node could not start: " + e.getMessage(), e);
    }
  }

  /**
   * The built-in accounts, with their password-hashing threads (stopped with the node); null when
   * the node's own tokens are off, as the accounts' tokens would be refused.
   */
  private static Accounts startAccounts(
      ActorSystem<?> system,
      Config config,
      NodeSettings settings,
      Database database,
      JwtAuth auth,
      ClusterView cluster,
      Executor jdbc,
      Clock clock) {
    Accounts.Settings accountSettings = Accounts.Settings.from(config);
    if (!settings.localTokens()) {
      log.info("built-in accounts are off: the node's own tokens are (hearth.auth.local-tokens)");
      return null;
    }
    PasswordHashing hashing =
        new PasswordHashing(
            accountSettings.cost(),
            accountSettings.hashThreads(),
            accountSettings.maxWaitingHashes());
    system.getWhenTerminated().thenRun(hashing::close);
    return new Accounts(
        accountSettings,
        new AccountStore(database.queryPool()),
        hashing,
        auth,
        cluster::reachableUpMembers,
        jdbc,
        clock);
  }

  /**
   * The embedded database's directory readable by the node's user only (0700), and, once the
   * database has made its files, those too (0600): H2 creates them with the process's umask.
   */
  private static void ownerOnly(java.nio.file.Path dataDir, boolean andFiles) {
    try {
      OwnerOnly.directory(dataDir);
      if (andFiles) OwnerOnly.tree(dataDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot make the data directory " + dataDir + " owner-only: " + e.getMessage(), e);
    }
  }

  /** Pekko HTTP's server settings that the node's own {@code hearth.http} settings decide. */
  private static Config httpServerOverrides(NodeSettings settings) {
    return com.typesafe.config.ConfigFactory.parseMap(
        Map.of(
            "pekko.http.server.idle-timeout",
            settings.idleTimeout().toMillis() + "ms",
            "pekko.http.server.max-connections",
            settings.maxConnections()));
  }

  /**
   * The delivery of OCR results to the kitchens, and, unless turned off, a worker that reads
   * documents inside this node on threads of its own. With no reader there is no worker, and
   * documents wait as PENDING: the node says so.
   */
  private static void startOcr(
      ActorSystem<?> system,
      Config config,
      Database database,
      CertificateReader reader,
      Executor jdbc,
      NodeSettings settings,
      ComplianceStandings standings,
      Clock clock) {
    DocumentJobs jobs = new DocumentJobs(database.queryPool());
    DocumentDelivery delivery =
        DocumentDelivery.start(system, jobs, jdbc, settings.askTimeout(), standings, clock);
    if (!config.getBoolean("hearth.ocr.embedded-worker")) {
      log.info(
          "no embedded OCR worker (hearth.ocr.embedded-worker = off): run ./hearth ocr-worker beside the nodes");
      return;
    }
    java.util.Optional<CertificateReader> chosen =
        reader != null ? java.util.Optional.of(reader) : Readers.fromConfig(config);
    if (chosen.isEmpty()) {
      log.warn(
          "no OCR reader configured (HEARTH_OCR_READER_CLASS): uploaded documents wait as PENDING");
      return;
    }
    String id =
        "node-"
            + org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system))
                .selfAddress()
                .hostPort();
    OcrWorker worker =
        new OcrWorker(
                id, jobs, chosen.get(), OcrWorkerSettings.from(config), clock, delivery::deliver)
            .start();
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "ocr-worker",
            () -> CompletableFuture.runAsync(worker::close).thenApply(v -> Done.getInstance()));
  }

  /**
   * The management endpoint. Cluster Bootstrap needs it (it is the contact point the others probe);
   * a node alone only offers it to operators, and starts without it if its port is taken.
   */
  private static ServerBinding startManagement(
      ActorSystem<?> system,
      Config config,
      ClusterView cluster,
      Supplier<CompletionStage<Map<String, Boolean>>> readiness)
      throws Exception {
    try {
      return ManagementEndpoint.start(system, config, cluster, readiness);
    } catch (Exception e) {
      if (cluster.formation().bootstraps()) throw e;
      log.warn(
          "the management endpoint did not start ({}); set HEARTH_MANAGEMENT_PORT to a free port to use it",
          e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      return null;
    }
  }

  /**
   * Says where the node serves and how to check it once its readiness checks first all pass, which
   * is when {@code /health/ready} answers 200 (at once on a node of its own; a node joining others
   * may wait for them). While it is not ready it says so, and after 30 s which checks still fail.
   */
  private static void announceReady(
      ActorSystem<?> system,
      NodeSettings settings,
      int port,
      String databaseName,
      long startedAt,
      Supplier<CompletionStage<Map<String, Boolean>>> ready) {
    String host =
        settings.httpInterface().equals("0.0.0.0") || settings.httpInterface().equals("::")
            ? "localhost"
            : settings.httpInterface();
    String url = "http://" + host + ":" + port;
    org.apache.pekko.cluster.Cluster cluster =
        org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system));
    if (cluster.selfMember().status() != MemberStatus.up())
      log.info(
          "Hearth is listening on {} ({}) and waits to become an Up member of its cluster; {}/health/ready answers 200 then",
          url,
          databaseName,
          url);
    FirstReady.await(
            ready,
            (delay, task) ->
                system.scheduler().scheduleOnce(delay, task, system.executionContext()),
            Duration.ofMillis(250),
            Duration.ofSeconds(30),
            failing ->
                log.warn(
                    "Hearth is not ready after 30 s: waiting for {}; {}/health/ready lists the checks (docs/operations.md, Health)",
                    String.join(", ", failing),
                    url))
        .thenRun(
            () ->
                log.info(
                    "Hearth is ready on {} ({}), started in {} s: try curl {}/health/ready",
                    url,
                    databaseName,
                    String.format(
                        java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startedAt) / 1e9),
                    url));
  }

  /**
   * On shutdown (SIGTERM, leave, down) readiness answers 503 first, and the HTTP port keeps serving
   * for {@code delay} so that load balancers stop sending before it unbinds.
   */
  private static void turnUnreadyBeforeUnbind(
      ActorSystem<?> system, ClusterView cluster, Duration delay) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "hearth-unready",
            () -> {
              cluster.markShuttingDown();
              log.info(
                  "shutting down: readiness now answers 503{}",
                  delay.isZero() ? "" : "; unbinding in " + delay.toMillis() + " ms");
              return org.apache.pekko.pattern.Patterns.after(
                  delay,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> CompletableFuture.completedFuture(Done.getInstance()));
            });
  }

  /** A list in configuration, or a comma-separated string from HEARTH_SEED_NODES. */
  static List<String> seedNodes(Config config) {
    return ClusterFormation.commaList(config, "hearth.cluster.seed-nodes");
  }

  /**
   * Ready when this node is Up, a majority of the cluster's expected size is Up and reachable (the
   * node alone by configuration is its own majority), the shard regions are registered with their
   * coordinator, the database answers, the node is not shutting down, and it has not been frozen or
   * paused in the last few seconds (see {@link StallWatch}).
   */
  private static CompletionStage<Map<String, Boolean>> readiness(
      ActorSystem<?> system, Database database, ClusterView cluster) {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    boolean memberUp = cluster.selfUp();
    boolean quorum = cluster.hasQuorum();
    boolean running = !cluster.shuttingDown();
    boolean notStalled = !cluster.recentlyStalled();
    CompletableFuture<Boolean> db =
        CompletableFuture.supplyAsync(database::ping, blocking)
            .completeOnTimeout(false, 3, TimeUnit.SECONDS);
    CompletableFuture<Boolean> regions =
        memberUp
            ? cluster.shardRegionsRegistered().toCompletableFuture()
            : CompletableFuture.completedFuture(false);
    return db.thenCombine(
        regions,
        (dbUp, registered) -> {
          Map<String, Boolean> checks = new LinkedHashMap<>();
          checks.put("cluster_member_up", memberUp);
          checks.put("cluster_majority_reachable", quorum);
          checks.put("shard_regions_registered", registered);
          checks.put("database", dbUp);
          checks.put("not_shutting_down", running);
          checks.put("no_recent_stall", notStalled);
          return checks;
        });
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** The management endpoint's port, or -1 when it did not start. */
  public int managementPort() {
    return management == null ? -1 : management.localAddress().getPort();
  }

  /** The Prometheus endpoint's port, or -1 when metrics are off or it did not start. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.localAddress().getPort();
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
