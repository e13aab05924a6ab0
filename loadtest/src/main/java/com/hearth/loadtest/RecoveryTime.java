package com.hearth.loadtest;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.BookingRules;
import com.hearth.engine.kitchen.KitchenConfig;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.engine.kitchen.KitchenSettings;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.http.Database;
import com.hearth.http.NodeSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * How long a kitchen takes to come back: writes a kitchen's history to PostgreSQL through the
 * kitchen entity itself, stops the entity, starts it again and times the first command, which waits
 * for recovery (latest snapshot plus the events after it). Runs in process on the node's own
 * persistence setup (journal, snapshots, serialization), without HTTP or sharding, so the time is
 * the recovery alone. Also prints the snapshots the history left and their sizes.
 *
 * <p>Usage: {@code java -cp ... com.hearth.loadtest.RecoveryTime
 * jdbc:postgresql://127.0.0.1:5432/db [user=postgres] [events=10000]}. The database is migrated
 * like a node's; use a scratch one. Scenarios: a kitchen with that many live holds (one event
 * each), and one with that many events of holds and their cancellations, forgotten after a short
 * retention so few bookings remain.
 */
public final class RecoveryTime {

  private static final Actor HOST = new Actor("recovery-host", java.util.Set.of(Role.HOST));
  private static final Actor RENTER = new Actor("recovery-renter", java.util.Set.of(Role.RENTER));
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int BATCH = 100;
  private static final int RESTARTS = 5;

  /** CPU time of this whole process: on a busy machine it says more than wall-clock time. */
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !args[0].startsWith("jdbc:postgresql://127.0.0.1")) {
      System.err.println(
          "usage: RecoveryTime jdbc:postgresql://127.0.0.1:5432/<scratch-db> [user] [events]");
      System.exit(2);
    }
    String user = args.length > 1 ? args[1] : "postgres";
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "hearth.db.url",
                    args[0],
                    "hearth.db.user",
                    user,
                    "pekko.actor.provider",
                    "local",
                    "pekko.loglevel",
                    "WARNING",
                    "hearth.kitchen.hold-ttl",
                    "2h"))
            .withFallback(ConfigFactory.load());
    Database database = new Database(NodeSettings.from(config));
    database.migrate();
    Config full = database.persistenceConfig().withFallback(config).resolve();
    ActorSystem<Incarnations.Command> system =
        ActorSystem.create(Incarnations.create(), "recovery", full);
    try {
      KitchenConfig kitchen = KitchenConfig.from(full);
      measure(system, database, "live holds", kitchen, events, false);
      KitchenConfig forgetful =
          new KitchenConfig(
              kitchen.holdTtl(),
              kitchen.platformFeeBps(),
              Duration.ofSeconds(1),
              kitchen.idempotencyWindow(),
              kitchen.passivateIdleAfter(),
              kitchen.snapshotEvery(),
              kitchen.maxAvailabilityDays());
      measure(
          system, database, "holds then cancellations (1 s retention)", forgetful, events, true);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      database.close();
    }
  }

  private static void measure(
      ActorSystem<Incarnations.Command> system,
      Database database,
      String name,
      KitchenConfig config,
      int events,
      boolean cancel)
      throws Exception {
    String kitchenId = KitchenIds.newKitchenId();
    ActorRef<Command> kitchen = Incarnations.start(system, kitchenId, config);
    KitchenSettings settings =
        new KitchenSettings(
            "Recovery kitchen",
            "1 Main St",
            "New York",
            "UTC",
            "USD",
            4000,
            0,
            new BookingRules(30, 60, 720, 0, 730, 0),
            OpeningHours.AROUND_THE_CLOCK,
            List.of());
    ask(
        system,
        kitchen,
        (ActorRef<KitchenReply> r) -> new KitchenEntity.CreateKitchen(HOST, settings, "fp", r));
    ask(system, kitchen, (ActorRef<KitchenReply> r) -> new KitchenEntity.PublishKitchen(HOST, r));
    ActorRef<BookingReply> ignored = Incarnations.sink(system);

    int holds = cancel ? events / 2 : events;
    Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
    List<String> ids = new ArrayList<>();
    long writing = System.nanoTime();
    for (int from = 0; from < holds; from += BATCH) {
      List<KitchenEntity.HoldSlot> batch = new ArrayList<>();
      for (int i = from; i < Math.min(holds, from + BATCH); i++) {
        Instant start = first.plus(Duration.ofHours(i));
        String bookingId = KitchenIds.newBookingId(kitchenId);
        ids.add(bookingId);
        batch.add(
            new KitchenEntity.HoldSlot(
                RENTER,
                bookingId,
                new Interval(start, start.plus(Duration.ofHours(1))),
                null,
                ignored));
      }
      HoldBatchDone done =
          ask(
              system,
              kitchen,
              (ActorRef<HoldBatchDone> r) -> new KitchenEntity.HoldSlots(batch, r));
      if (done.accepted() != batch.size())
        throw new IllegalStateException("a hold was refused: " + done);
    }
    if (cancel) {
      if (holds > 0)
        Thread.sleep(1100); // past the 1 s retention, so cancellations are forgotten as they come
      // A few asks in flight at a time: each cancellation is its own write, and the entity stashes
      // meanwhile.
      for (int from = 0; from < ids.size(); from += BATCH) {
        List<CompletableFuture<BookingReply>> window = new ArrayList<>();
        for (String id : ids.subList(from, Math.min(ids.size(), from + BATCH)))
          window.add(
              AskPattern.<Command, BookingReply>ask(
                      kitchen,
                      r -> new KitchenEntity.CancelBooking(RENTER, id, null, r),
                      TIMEOUT,
                      system.scheduler())
                  .toCompletableFuture());
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    ask(system, kitchen, (ActorRef<KitchenReply> r) -> new KitchenEntity.GetKitchen(HOST, r));
    double writeSeconds = (System.nanoTime() - writing) / 1e9;

    // Several restarts: the first in a fresh JVM also pays for loading and compiling the code.
    List<String> recoveries = new ArrayList<>();
    ActorRef<Command> current = kitchen;
    for (int restart = 0; restart < RESTARTS; restart++) {
      Incarnations.stop(system, current);
      long cpu = PROCESS.getProcessCpuTime();
      long began = System.nanoTime();
      current = Incarnations.start(system, kitchenId, config);
      ask(system, current, (ActorRef<KitchenReply> r) -> new KitchenEntity.GetKitchen(HOST, r));
      recoveries.add(
          String.format(
              "%.1f (cpu %.1f)",
              (System.nanoTime() - began) / 1e6, (PROCESS.getProcessCpuTime() - cpu) / 1e6));
    }
    ActorRef<Command> again = current;
    long answered = System.nanoTime();
    ask(system, again, (ActorRef<KitchenReply> r) -> new KitchenEntity.GetKitchen(HOST, r));
    double nextMs = (System.nanoTime() - answered) / 1e6;
    Instant late = first.plus(Duration.ofHours(holds + 24));
    long holding = System.nanoTime();
    ask(
        system,
        again,
        (ActorRef<BookingReply> r) ->
            new KitchenEntity.HoldSlot(
                RENTER,
                KitchenIds.newBookingId(kitchenId),
                new Interval(late, late.plus(Duration.ofHours(1))),
                null,
                r));
    double holdMs = (System.nanoTime() - holding) / 1e6;
    Incarnations.stop(system, again);

    System.out.printf(
        "%s: %d holds%s written in %.1f s (%.0f events/s)%n",
        name,
        holds,
        cancel ? " and as many cancellations" : "",
        writeSeconds,
        (cancel ? 2 * holds : holds) / writeSeconds);
    System.out.printf(
        "  recovery (first command after a restart) ms, wall (process CPU), %d restarts: %s; next command %.2f ms; a hold then %.2f ms%n",
        RESTARTS, recoveries, nextMs, holdMs);
    printJournal(database, "Kitchen|" + kitchenId);
  }

  private static void printJournal(Database database, String persistenceId) throws Exception {
    try (Connection c = database.queryPool().getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*), max(sequence_number) FROM event_journal WHERE persistence_id = ?")) {
        ps.setString(1, persistenceId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          System.out.printf("  journal: %d events%n", rs.getLong(1));
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT sequence_number, length(snapshot_payload) FROM snapshot WHERE persistence_id = ? ORDER BY sequence_number")) {
        ps.setString(1, persistenceId);
        List<String> snapshots = new ArrayList<>();
        long total = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            snapshots.add(rs.getLong(1) + ":" + rs.getLong(2));
            total += rs.getLong(2);
          }
        }
        System.out.printf(
            "  snapshots kept (sequence nr:bytes): %d, %d bytes in all; %s%n",
            snapshots.size(),
            total,
            snapshots.size() > 12
                ? snapshots.subList(snapshots.size() - 12, snapshots.size())
                : snapshots);
      }
    }
  }

  private static <T> T ask(
      ActorSystem<?> system,
      ActorRef<Command> kitchen,
      org.apache.pekko.japi.function.Function<ActorRef<T>, Command> message)
      throws Exception {
    CompletionStage<T> reply = AskPattern.ask(kitchen, message, TIMEOUT, system.scheduler());
    return reply.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Starts and stops kitchen entities, each under this guardian, one incarnation at a time. */
  static final class Incarnations {

    sealed interface Command {}

    record Start(
        String kitchenId, KitchenConfig config, ActorRef<ActorRef<KitchenEntity.Command>> replyTo)
        implements Command {}

    record Stop(ActorRef<KitchenEntity.Command> kitchen, ActorRef<Boolean> replyTo)
        implements Command {}

    record Stopped(ActorRef<Boolean> replyTo) implements Command {}

    record Sink(ActorRef<ActorRef<BookingReply>> replyTo) implements Command {}

    static Behavior<Command> create() {
      return Behaviors.receive(
          (ctx, message) -> {
            if (message instanceof Start s) {
              ActorRef<KitchenEntity.Command> kitchen =
                  ctx.spawnAnonymous(
                      KitchenEntity.create(s.kitchenId(), null, s.config(), Clock.systemUTC()));
              s.replyTo().tell(kitchen);
            } else if (message instanceof Stop s) {
              ctx.watchWith(s.kitchen(), new Stopped(s.replyTo()));
              ctx.stop(s.kitchen());
            } else if (message instanceof Stopped s) {
              s.replyTo().tell(true);
            } else if (message instanceof Sink s) {
              s.replyTo().tell(ctx.spawnAnonymous(Behaviors.ignore()));
            }
            return Behaviors.same();
          });
    }

    static ActorRef<KitchenEntity.Command> start(
        ActorSystem<Command> system, String kitchenId, KitchenConfig config) throws Exception {
      return AskPattern.<Command, ActorRef<KitchenEntity.Command>>ask(
              system, r -> new Start(kitchenId, config, r), TIMEOUT, system.scheduler())
          .toCompletableFuture()
          .get();
    }

    static void stop(ActorSystem<Command> system, ActorRef<KitchenEntity.Command> kitchen)
        throws Exception {
      AskPattern.<Command, Boolean>ask(
              system, r -> new Stop(kitchen, r), TIMEOUT, system.scheduler())
          .toCompletableFuture()
          .get();
    }

    static ActorRef<BookingReply> sink(ActorSystem<Command> system) throws Exception {
      return AskPattern.<Command, ActorRef<BookingReply>>ask(
              system, Sink::new, TIMEOUT, system.scheduler())
          .toCompletableFuture()
          .get();
    }
  }
}
