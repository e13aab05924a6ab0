package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.GetKitchen;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.UpdateKitchen;
import com.hearth.testing.TestClock;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passivation: a kitchen with no holds outstanding asks its shard to stop it once it has been idle
 * for {@code passivate-idle-after}, checked by a timer every half of that; 0 turns it off.
 *
 * <p>Both clocks are the test's: the timers run on Pekko's manual scheduler ({@link ManualTime}),
 * and "idle" is measured on the kitchen's injected clock. The shard is a probe. After moving time,
 * the test asks the kitchen something and waits for the answer: the timer's message was queued
 * before that question, so whatever the tick sent to the shard is in the probe's queue by then.
 */
class KitchenPassivationTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(2);

  /** How long a reply may take in real time on a loaded machine; only bounds a wait. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));

  private static ActorTestKit testKit;
  private static ManualTime manualTime;

  private TestClock clock;
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private String kitchenId;

  @BeforeAll
  static void startActorSystem() {
    testKit =
        ActorTestKit.create(
            ManualTime.config()
                .withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
    manualTime = ManualTime.get(testKit.system());
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newShard() {
    clock = TestClock.stoppedAt(T0);
    shard = testKit.createTestProbe();
  }

  @Test
  void anIdleKitchenWithNoHoldsOutstandingAsksItsShardToPassivateIt() {
    ActorRef<Command> kitchen = publishedKitchen(IDLE);

    clock.advance(IDLE);
    manualTime.timePasses(IDLE.dividedBy(2));

    ClusterSharding.Passivate<?> passivate =
        shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT);
    assertThat(passivate.entity()).isEqualTo(kitchen);
  }

  @Test
  void aKitchenIdleForLessThanTheIdleTimeStays() {
    ActorRef<Command> kitchen = publishedKitchen(IDLE);

    clock.advance(IDLE.minusSeconds(1));
    manualTime.timePasses(IDLE.dividedBy(2));
    answers(kitchen);

    shard.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aKitchenWithAHoldOutstandingStaysHoweverLongItIsIdle() {
    ActorRef<Command> kitchen = publishedKitchen(IDLE);
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    Interval slot =
        new Interval(Instant.parse("2026-06-03T14:00:00Z"), Instant.parse("2026-06-03T16:00:00Z"));
    kitchen.tell(
        new HoldSlot(RENTER, KitchenIds.newBookingId(kitchenId), slot, null, renter.ref()));
    renter.expectMessageClass(BookingAccepted.class, WAIT);

    // Idle for 5 minutes, within the hold's 10.
    clock.advance(Duration.ofMinutes(5));
    manualTime.timePasses(IDLE.dividedBy(2));
    answers(kitchen);

    shard.expectNoMessage(Duration.ZERO);
  }

  @Test
  void zeroTurnsPassivationOff() {
    ActorRef<Command> kitchen = publishedKitchen(Duration.ZERO);

    clock.advance(Duration.ofDays(1));
    manualTime.timePasses(Duration.ofHours(1));
    answers(kitchen);

    shard.expectNoMessage(Duration.ZERO);
  }

  /**
   * Every command a kitchen handles counts as activity, whatever its answer: after each one, with
   * the kitchen idle for exactly the idle time before it, the next check finds it busy. Once
   * nothing more comes, the same check passivates it.
   */
  @Test
  void everyCommandCountsAsActivity() {
    kitchenId = KitchenIds.newKitchenId();
    ActorRef<Command> kitchen =
        testKit.spawn(KitchenEntity.create(kitchenId, shard.ref(), config(IDLE), clock));
    TestProbe<KitchenReply> host = testKit.createTestProbe();
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    TestProbe<AvailabilityReply> browser = testKit.createTestProbe();
    String unknownBooking = KitchenIds.newBookingId(kitchenId);
    Interval inThePast = new Interval(T0.minus(Duration.ofHours(2)), T0.minus(Duration.ofHours(1)));
    Interval day =
        new Interval(Instant.parse("2026-06-03T00:00:00Z"), Instant.parse("2026-06-04T00:00:00Z"));
    List<Runnable> commands =
        List.of(
            () -> {
              kitchen.tell(
                  new CreateKitchen(HOST, KitchenEntityFixture.SETTINGS, "fp", host.ref()));
              host.expectMessageClass(KitchenAccepted.class, WAIT);
            },
            () -> {
              kitchen.tell(
                  new UpdateKitchen(
                      HOST,
                      new KitchenPatch(null, null, null, null, null, 3000L, null, null, null, null),
                      host.ref()));
              host.expectMessageClass(KitchenAccepted.class, WAIT);
            },
            () -> {
              kitchen.tell(new PublishKitchen(HOST, host.ref()));
              host.expectMessageClass(KitchenAccepted.class, WAIT);
            },
            () -> {
              kitchen.tell(new GetAvailability(RENTER, day, browser.ref()));
              browser.expectMessageClass(Availability.class, WAIT);
            },
            () -> { // refused (in the past), so no hold is outstanding afterwards
              kitchen.tell(
                  new HoldSlot(
                      RENTER, KitchenIds.newBookingId(kitchenId), inThePast, null, renter.ref()));
              renter.expectMessageClass(BookingRejected.class, WAIT);
            },
            () -> {
              kitchen.tell(new ConfirmBooking(ADMIN, unknownBooking, renter.ref()));
              renter.expectMessageClass(BookingRejected.class, WAIT);
            },
            () -> {
              kitchen.tell(new CancelBooking(RENTER, unknownBooking, null, renter.ref()));
              renter.expectMessageClass(BookingRejected.class, WAIT);
            },
            () -> {
              kitchen.tell(new GetBooking(RENTER, unknownBooking, renter.ref()));
              renter.expectMessageClass(BookingRejected.class, WAIT);
            },
            () -> {
              kitchen.tell(new PauseKitchen(HOST, host.ref()));
              host.expectMessageClass(KitchenAccepted.class, WAIT);
            });

    for (int i = 0; i < commands.size(); i++) {
      clock.advance(IDLE);
      commands.get(i).run();
      manualTime.timePasses(IDLE.dividedBy(2));
      answers(kitchen);
      shard.expectNoMessage(Duration.ZERO);
    }

    clock.advance(IDLE);
    manualTime.timePasses(IDLE.dividedBy(2));
    assertThat(shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT).entity())
        .isEqualTo(kitchen);
  }

  private ActorRef<Command> publishedKitchen(Duration idleAfter) {
    kitchenId = KitchenIds.newKitchenId();
    ActorRef<Command> kitchen =
        testKit.spawn(KitchenEntity.create(kitchenId, shard.ref(), config(idleAfter), clock));
    TestProbe<KitchenReply> host = testKit.createTestProbe();
    kitchen.tell(new CreateKitchen(HOST, KitchenEntityFixture.SETTINGS, "fp", host.ref()));
    host.expectMessageClass(KitchenAccepted.class, WAIT);
    kitchen.tell(new PublishKitchen(HOST, host.ref()));
    host.expectMessageClass(KitchenAccepted.class, WAIT);
    return kitchen;
  }

  private static KitchenConfig config(Duration idleAfter) {
    return new KitchenConfig(
        Duration.ofMinutes(10),
        1500,
        Duration.ofDays(30),
        Duration.ofHours(24),
        idleAfter,
        100,
        62);
  }

  /**
   * Asks the kitchen for itself and waits for the answer: every message queued before has been
   * handled.
   */
  private void answers(ActorRef<Command> kitchen) {
    TestProbe<KitchenReply> probe = testKit.createTestProbe();
    kitchen.tell(new GetKitchen(HOST, probe.ref()));
    probe.expectMessageClass(KitchenAccepted.class, WAIT);
  }
}
