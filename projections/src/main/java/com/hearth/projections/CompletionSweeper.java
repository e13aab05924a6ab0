package com.hearth.projections;

import com.hearth.engine.kitchen.KitchenEntity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Wakes kitchens that have confirmed bookings past their end. A kitchen completes such bookings on
 * its own timer while it is awake; one that passivated is found here, from the read table, and sent
 * {@link KitchenEntity.SettleDue} so that it records the completions. One sweeper runs in the
 * cluster (a singleton); its query runs on the JDBC dispatcher, never on the actor.
 */
public final class CompletionSweeper {

  /** At most this many kitchens are woken per sweep; the next sweep takes the rest. */
  static final int KITCHENS_PER_SWEEP = 500;

  private CompletionSweeper() {}

  private sealed interface Command {}

  private record Sweep() implements Command {}

  private record Swept(List<String> kitchenIds, Throwable failure) implements Command {}

  public static void start(
      org.apache.pekko.actor.typed.ActorSystem<?> system, DataSource dataSource, Clock clock) {
    Duration every =
        system.settings().config().getDuration("hearth.read-models.completion-sweep-interval");
    Executor jdbc =
        system
            .dispatchers()
            .lookup(
                DispatcherSelector.fromConfig("pekko.projection.jdbc.blocking-jdbc-dispatcher"));
    ClusterSharding sharding = ClusterSharding.get(system);
    Behavior<Command> sweeper =
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> {
                      timers.startTimerWithFixedDelay(new Sweep(), every);
                      return Behaviors.receive(Command.class)
                          .onMessage(
                              Sweep.class,
                              s -> {
                                ctx.pipeToSelf(
                                    CompletableFuture.supplyAsync(
                                        () -> overdueKitchens(dataSource, clock.instant()), jdbc),
                                    (ids, failure) -> new Swept(ids, failure));
                                return Behaviors.same();
                              })
                          .onMessage(
                              Swept.class,
                              s -> {
                                if (s.failure() != null) {
                                  ctx.getLog()
                                      .warn(
                                          "completion sweep failed; trying again in {}: {}",
                                          every,
                                          s.failure().toString());
                                } else if (!s.kitchenIds().isEmpty()) {
                                  ctx.getLog()
                                      .info(
                                          "waking {} kitchens with confirmed bookings past their end",
                                          s.kitchenIds().size());
                                  s.kitchenIds()
                                      .forEach(
                                          id ->
                                              sharding
                                                  .entityRefFor(KitchenEntity.ENTITY_KEY, id)
                                                  .tell(new KitchenEntity.SettleDue()));
                                }
                                return Behaviors.same();
                              })
                          .build();
                    }));
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(sweeper).onFailure(SupervisorStrategy.restart()),
                "completion-sweeper"));
  }

  static List<String> overdueKitchens(DataSource dataSource, Instant now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT kitchen_id FROM bookings WHERE status = 'CONFIRMED' AND end_at <= ? LIMIT "
                    + KITCHENS_PER_SWEEP)) {
      Sql.bind(ps, now);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read overdue bookings: " + e.getMessage(), e);
    }
  }
}
