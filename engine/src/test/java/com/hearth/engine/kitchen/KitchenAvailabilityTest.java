package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import com.hearth.engine.Actor;
import com.hearth.engine.FieldError;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.SettleDue;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import com.hearth.engine.kitchen.KitchenEntity.UpdateKitchen;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Availability: open time minus bookings and their buffers. The kitchen, clock and prices are {@link KitchenEntityFixture}'s. */
class KitchenAvailabilityTest extends KitchenEntityFixture {

  @Test
  void availabilityIsOpenTimeMinusBookingsAndTheirBuffers() {
    createKitchen(withRules(WITH_30_MIN_BUFFER));
    publish();
    // Monday 10:00-12:00 EDT today; with the buffer it takes 13:30Z-16:30Z.
    heldBooking(RENTER, slot("2026-06-01T14:00:00Z", "2026-06-01T16:00:00Z"));
    Interval range = slot("2026-06-01T12:00:00Z", "2026-06-01T20:00:00Z");

    // The earliest start is now + 1 h notice = 13:00Z (09:00 EDT, aligned).
    CommandResultWithReply<Command, Event, State, AvailabilityReply> result =
        kit.runCommand(r -> new GetAvailability(OTHER_RENTER, range, r));
    assertThat(result.reply()).isEqualTo(new Availability(kitchenId, range, List.of(
        slot("2026-06-01T13:00:00Z", "2026-06-01T13:30:00Z"),
        slot("2026-06-01T16:30:00Z", "2026-06-01T20:00:00Z"))));
    assertThat(result.hasNoEvents()).isTrue();

    // Once the hold has run out it no longer blocks anything, even before its expiry is recorded;
    // the earliest start is now 12:10Z + 1 h = 13:10Z, rounded up to 13:30Z (09:30 EDT).
    clock.advance(Duration.ofMinutes(10));
    assertThat(kit.<AvailabilityReply>runCommand(r -> new GetAvailability(OTHER_RENTER, range, r)).reply())
        .isEqualTo(new Availability(kitchenId, range, List.of(slot("2026-06-01T13:30:00Z", "2026-06-01T20:00:00Z"))));
  }
}
