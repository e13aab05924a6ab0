package com.hearth.projections;

import com.hearth.engine.EventSourcing;
import com.hearth.engine.compliance.OnboardingEvent;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.payment.PaymentEntity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read models of one node, in two families of exactly-once JDBC projections, one projection per
 * journal tag each, spread over the cluster by a sharded daemon process per family: the kitchens'
 * events into kitchens, bookings and their aggregates ({@value #PROJECTION_NAME}, keys {@code
 * kitchen-N}), and the payments' events into payments and refunds ({@value
 * #PAYMENT_PROJECTION_NAME}, keys {@code payment-N}). Plus the rebuild of both.
 *
 * <p>A projection's key is the tag it reads.
 */
public final class ReadModels {

  private static final Logger log = LoggerFactory.getLogger(ReadModels.class);

  public static final String PROJECTION_NAME = "read-models";
  public static final String PAYMENT_PROJECTION_NAME = "payment-read-models";

  /**
   * Host profiles and kitchens' documents: one projection of the tag {@value OnboardingEvent#TAG}.
   */
  public static final String ONBOARDING_PROJECTION_NAME = "onboarding-read-models";

  /**
   * The read tables, in the order a rebuild empties them. The payout tables are not among them:
   * they record money sent to hosts, which no replay of the journal can make again. Nor are the
   * documents' contents and the OCR workers' queue: a replay queues only documents it has not seen.
   */
  public static final List<String> TABLES =
      List.of(
          "kitchen_daily_stats",
          "booking_events",
          "bookings",
          "kitchens",
          "payment_events",
          "refunds",
          "payments",
          "kitchen_documents",
          "host_profiles");

  private final ActorSystem<?> system;
  private final DataSource dataSource;
  private final ProjectionStats stats;
  private final Executor blocking;
  private final java.util.concurrent.atomic.AtomicBoolean rebuilding =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ReadModels(ActorSystem<?> system, DataSource dataSource, ProjectionStats stats) {
    this.system = system;
    this.dataSource = dataSource;
    this.stats = stats;
    this.blocking =
        system
            .dispatchers()
            .lookup(
                DispatcherSelector.fromConfig("pekko.projection.jdbc.blocking-jdbc-dispatcher"));
  }

  /**
   * Starts the projections. {@code dataSource} must hand out connections to the journal's database;
   * the tables come from the migrations under {@code db/migration}.
   */
  public static ReadModels start(
      ActorSystem<?> system, DataSource dataSource, SqlDialect dialect, Clock clock) {
    ProjectionStats stats = new ProjectionStats(clock);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            PROJECTION_NAME,
            EventSourcing.KITCHEN_TAGS.count(),
            i -> ProjectionBehavior.create(projection(system, dataSource, dialect, stats, i)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            PAYMENT_PROJECTION_NAME,
            EventSourcing.PAYMENT_TAGS.count(),
            i ->
                ProjectionBehavior.create(paymentProjection(system, dataSource, dialect, stats, i)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            ONBOARDING_PROJECTION_NAME,
            1,
            i ->
                ProjectionBehavior.create(
                    onboardingProjection(system, onboardingProjectionId(), dataSource, stats)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
    Duration every =
        system.settings().config().getDuration("hearth.read-models.lag-report-interval");
    system.scheduler().scheduleAtFixedRate(every, every, stats::report, system.executionContext());
    return new ReadModels(system, dataSource, stats);
  }

  private static GroupedProjection<Offset, EventEnvelope<KitchenEntity.Event>> projection(
      ActorSystem<?> system,
      DataSource dataSource,
      SqlDialect dialect,
      ProjectionStats stats,
      int instance) {
    SourceProvider<Offset, EventEnvelope<KitchenEntity.Event>> source =
        EventSourcedProvider.eventsByTag(
            system, "jdbc-read-journal", EventSourcing.KITCHEN_TAGS.tag(instance));
    return projection(system, projectionId(instance), source, dataSource, dialect, stats);
  }

  /** The projection of one tag's events into the read tables, exactly once, in groups. */
  static GroupedProjection<Offset, EventEnvelope<KitchenEntity.Event>> projection(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<Offset, EventEnvelope<KitchenEntity.Event>> source,
      DataSource dataSource,
      SqlDialect dialect,
      ProjectionStats stats) {
    return grouped(
        system,
        id,
        source,
        dataSource,
        () ->
            new GroupHandler<KitchenEntity.Event>(
                (c, group) -> new ReadModelWriter(c, dialect).apply(group)),
        stats);
  }

  private static GroupedProjection<Offset, EventEnvelope<PaymentEntity.Event>> paymentProjection(
      ActorSystem<?> system,
      DataSource dataSource,
      SqlDialect dialect,
      ProjectionStats stats,
      int instance) {
    SourceProvider<Offset, EventEnvelope<PaymentEntity.Event>> source =
        EventSourcedProvider.eventsByTag(
            system, "jdbc-read-journal", EventSourcing.PAYMENT_TAGS.tag(instance));
    return paymentProjection(
        system, paymentProjectionId(instance), source, dataSource, dialect, stats);
  }

  /**
   * The projection of one payment tag's events into the payment read tables, exactly once, in
   * groups.
   */
  static GroupedProjection<Offset, EventEnvelope<PaymentEntity.Event>> paymentProjection(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<Offset, EventEnvelope<PaymentEntity.Event>> source,
      DataSource dataSource,
      SqlDialect dialect,
      ProjectionStats stats) {
    return grouped(
        system,
        id,
        source,
        dataSource,
        () ->
            new GroupHandler<PaymentEntity.Event>(
                (c, group) -> new PaymentReadModelWriter(c, dialect).apply(group)),
        stats);
  }

  /** The projection of the onboarding events into host profiles, documents and the OCR queue. */
  static GroupedProjection<Offset, EventEnvelope<OnboardingEvent>> onboardingProjection(
      ActorSystem<?> system, ProjectionId id, DataSource dataSource, ProjectionStats stats) {
    SourceProvider<Offset, EventEnvelope<OnboardingEvent>> source =
        EventSourcedProvider.eventsByTag(system, "jdbc-read-journal", OnboardingEvent.TAG);
    return grouped(
        system,
        id,
        source,
        dataSource,
        () ->
            new GroupHandler<OnboardingEvent>(
                (c, group) -> new OnboardingReadModelWriter(c).apply(group)),
        stats);
  }

  private static <E> GroupedProjection<Offset, EventEnvelope<E>> grouped(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<Offset, EventEnvelope<E>> source,
      DataSource dataSource,
      Supplier<JdbcHandler<List<EventEnvelope<E>>, HikariJdbcSession>> handler,
      ProjectionStats stats) {
    var config = system.settings().config().getConfig("hearth.read-models");
    return JdbcProjection.groupedWithin(
            id, source, () -> new HikariJdbcSession(dataSource), handler::get, system)
        .withGroup(config.getInt("group-size"), config.getDuration("group-within"))
        .withStatusObserver(stats.observer());
  }

  public static ProjectionId projectionId(int instance) {
    return ProjectionId.of(PROJECTION_NAME, EventSourcing.KITCHEN_TAGS.tag(instance));
  }

  public static ProjectionId paymentProjectionId(int instance) {
    return ProjectionId.of(PAYMENT_PROJECTION_NAME, EventSourcing.PAYMENT_TAGS.tag(instance));
  }

  public static ProjectionId onboardingProjectionId() {
    return ProjectionId.of(ONBOARDING_PROJECTION_NAME, OnboardingEvent.TAG);
  }

  /**
   * Every read-model projection instance: the kitchens' family, the payments', then onboarding's.
   */
  public static List<ProjectionId> projectionIds() {
    return Stream.of(
            IntStream.range(0, EventSourcing.KITCHEN_TAGS.count())
                .mapToObj(ReadModels::projectionId),
            IntStream.range(0, EventSourcing.PAYMENT_TAGS.count())
                .mapToObj(ReadModels::paymentProjectionId),
            Stream.of(onboardingProjectionId()))
        .flatMap(s -> s)
        .toList();
  }

  public ProjectionStats stats() {
    return stats;
  }

  /**
   * Empties every read table and replays the whole journal into them. The projections of both
   * families are paused while their tables and offsets are cleared in one transaction, then
   * resumed; the answer comes once they run again (the replay itself goes on in the background:
   * watch {@link ReadModelQueries#freshness}). The payout tables are left as they are.
   */
  public CompletionStage<Done> rebuild() {
    if (!rebuilding.compareAndSet(false, true))
      return CompletableFuture.failedFuture(new RebuildInProgress());
    ProjectionManagement management = ProjectionManagement.get(system);
    log.warn("rebuilding the read models: pausing {} projections", projectionIds().size());
    CompletableFuture<Done> cleared =
        all(projectionIds().stream().map(management::pause).toList())
            .thenApplyAsync(
                done -> {
                  clearTablesAndOffsets();
                  return done;
                },
                blocking)
            .toCompletableFuture();
    // Resume whatever happened: a failed clear left the tables as they were, and paused
    // projections would otherwise stop the read models for good.
    return cleared
        .handle((done, failure) -> failure)
        .thenCompose(
            failure ->
                all(projectionIds().stream().map(management::resume).toList())
                    .thenApply(
                        resumed -> {
                          if (failure != null)
                            throw new java.util.concurrent.CompletionException(failure);
                          log.warn(
                              "read models emptied; the projections are replaying the journal");
                          return resumed;
                        }))
        .whenComplete((done, failure) -> rebuilding.set(false));
  }

  /** A rebuild was asked for while this node was already running one. */
  public static final class RebuildInProgress extends IllegalStateException {
    RebuildInProgress() {
      super("a rebuild is already running on this node");
    }
  }

  /**
   * The projections (of either family) that are paused, by key. Only a rebuild pauses them, for a
   * moment; one that stays paused was left so by a rebuild that did not finish (its node stopped),
   * and running the rebuild again brings it back.
   */
  public CompletionStage<List<String>> paused() {
    ProjectionManagement management = ProjectionManagement.get(system);
    List<CompletableFuture<String>> checks =
        projectionIds().stream()
            .map(
                id ->
                    management
                        .isPaused(id)
                        .thenApply(p -> p ? id.key() : null)
                        .toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                checks.stream()
                    .map(CompletableFuture::join)
                    .filter(java.util.Objects::nonNull)
                    .toList());
  }

  private void clearTablesAndOffsets() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String table : TABLES) s.executeUpdate("DELETE FROM " + table);
        try (PreparedStatement offsets =
            c.prepareStatement(
                "DELETE FROM pekko_projection_offset_store WHERE projection_name IN (?, ?, ?)")) {
          offsets.setString(1, PROJECTION_NAME);
          offsets.setString(2, PAYMENT_PROJECTION_NAME);
          offsets.setString(3, ONBOARDING_PROJECTION_NAME);
          offsets.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not empty the read tables: " + e.getMessage(), e);
    }
  }

  private static CompletionStage<Done> all(List<CompletionStage<Done>> stages) {
    List<CompletableFuture<Done>> futures = new ArrayList<>();
    stages.forEach(s -> futures.add(s.toCompletableFuture()));
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }
}
