package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.SettleDue;
import com.hearth.engine.kitchen.KitchenEntity.State;
import com.hearth.testing.TestClock;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the kitchen entity's tests share: the behaviour test kit, with serialization of every
 * command, event and state checked (Jackson CBOR) and deserialized copies compared for equality, a
 * snapshot store, and one new kitchen per test. Each subclass tests one behaviour.
 *
 * <p>Time is a stopped {@link TestClock} starting Monday 2026-06-01 12:00Z (08:00 EDT). The kitchen
 * is in New York at 2500 cents an hour with 8.25 % tax and the default rules (30-minute slots, 1 h
 * to 12 h, 1 h notice, 180 days ahead). A 2-hour booking therefore costs, by hand: subtotal 2500 *
 * 120 / 60 = 5000; fee 15 % = 750; tax 5000 * 0.0825 = 412.5 -> 413; total 5413; host payout 5000 -
 * 750 = 4250.
 */
abstract class KitchenEntityFixture {

  static final KitchenConfig CONFIG =
      new KitchenConfig(
          Duration.ofMinutes(10),
          1500,
          Duration.ofDays(30),
          Duration.ofHours(24),
          Duration.ofMinutes(2),
          100,
          62);

  static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  static final Actor OTHER_RENTER = new Actor("renter-2", Set.of(Role.RENTER));
  static final Actor THIRD_RENTER = new Actor("renter-3", Set.of(Role.RENTER));
  static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));

  static final KitchenSettings SETTINGS =
      new KitchenSettings(
          "Night Kitchen",
          "1 Main St, Brooklyn",
          "New York",
          "America/New_York",
          "USD",
          2500,
          825,
          BookingRules.DEFAULTS,
          OpeningHours.AROUND_THE_CLOCK,
          List.of());

  static final BookingRules WITH_30_MIN_BUFFER = new BookingRules(30, 60, 720, 60, 180, 30);

  /** Wednesday 2026-06-03 10:00-12:00 EDT. */
  static final Interval SLOT_A = slot("2026-06-03T14:00:00Z", "2026-06-03T16:00:00Z");

  /** Wednesday 2026-06-03 14:00-15:00 EDT, well clear of A. */
  static final Interval SLOT_B = slot("2026-06-03T18:00:00Z", "2026-06-03T19:00:00Z");

  static final PriceBreakdown TWO_HOURS = new PriceBreakdown(5000, 750, 413, 5413, 4250, "USD");

  static ActorTestKit testKit;

  TestClock clock;
  String kitchenId;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startActorSystem() {
    testKit =
        ActorTestKit.create(
            EventSourcedBehaviorTestKit.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newKitchen() {
    clock = TestClock.stoppedAt(T0);
    kitchenId = KitchenIds.newKitchenId();
    kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            KitchenEntity.create(kitchenId, null, config(), clock),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  // ---------------------------------------------------------------- helpers

  /** The kitchens' configuration; a subclass may change it (a smaller snapshot interval, say). */
  KitchenConfig config() {
    return CONFIG;
  }

  static Interval slot(String start, String end) {
    return new Interval(Instant.parse(start), Instant.parse(end));
  }

  static KitchenSettings withRules(BookingRules rules) {
    return new KitchenSettings(
        SETTINGS.name(),
        SETTINGS.address(),
        SETTINGS.city(),
        SETTINGS.timeZone(),
        SETTINGS.currency(),
        SETTINGS.hourlyRateCents(),
        SETTINGS.taxBps(),
        rules,
        SETTINGS.openingHours(),
        SETTINGS.blackouts());
  }

  void createKitchen(KitchenSettings settings) {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, settings, "fp-create", r))
        .replyOfType(KitchenAccepted.class);
  }

  void publish() {
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new PublishKitchen(HOST, r));
    assertThat(result.replyOfType(KitchenAccepted.class).kitchen().status())
        .isEqualTo(KitchenStatus.PUBLISHED);
  }

  CommandResultWithReply<Command, Event, State, BookingReply> hold(
      Actor renter, Interval slot, String key) {
    String bookingId = KitchenIds.newBookingId(kitchenId);
    return kit.runCommand(r -> new HoldSlot(renter, bookingId, slot, key, r));
  }

  Booking heldBooking(Actor renter, Interval slot) {
    return heldBooking(renter, slot, null);
  }

  Booking heldBooking(Actor renter, Interval slot, String key) {
    CommandResultWithReply<Command, Event, State, BookingReply> result = hold(renter, slot, key);
    assertThat(result.reply()).as("hold of %s", slot).isInstanceOf(BookingAccepted.class);
    return ((BookingAccepted) result.reply()).booking();
  }

  void confirm(Actor actor, String bookingId) {
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new ConfirmBooking(actor, bookingId, r));
    assertThat(result.replyOfType(BookingAccepted.class).booking().status())
        .isEqualTo(BookingStatus.CONFIRMED);
  }

  /** Holds and confirms {@code SLOT_A}, moves the clock to its end and lets a tick complete it. */
  Booking completedBooking() {
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);
    clock.advance(Duration.between(clock.instant(), SLOT_A.end()));
    CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
    assertThat(tick.events())
        .containsExactly(new BookingCompleted(kitchenId, bookingId, SLOT_A.end()));
    return tick.stateOfType(Listed.class).bookings().get(bookingId);
  }

  Booking getBooking(Actor actor, String bookingId) {
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new GetBooking(actor, bookingId, r));
    assertThat(result.reply()).isInstanceOf(BookingAccepted.class);
    return ((BookingAccepted) result.reply()).booking();
  }

  static Rejection rejectionOf(CommandResultWithReply<Command, Event, State, BookingReply> result) {
    assertThat(result.reply()).isInstanceOf(BookingRejected.class);
    return ((BookingRejected) result.reply()).rejection();
  }
}
