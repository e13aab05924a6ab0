package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * Availability: open time minus bookings and their buffers. The kitchen, clock and prices are
 * {@link KitchenEntityFixture}'s.
 */
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
    assertThat(result.reply())
        .isEqualTo(
            new Availability(
                kitchenId,
                range,
                List.of(
                    slot("2026-06-01T13:00:00Z", "2026-06-01T13:30:00Z"),
                    slot("2026-06-01T16:30:00Z", "2026-06-01T20:00:00Z"))));
    assertThat(result.hasNoEvents()).isTrue();

    // Once the hold has run out it no longer blocks anything, even before its expiry is recorded;
    // the earliest start is now 12:10Z + 1 h = 13:10Z, rounded up to 13:30Z (09:30 EDT).
    clock.advance(Duration.ofMinutes(10));
    assertThat(
            kit.<AvailabilityReply>runCommand(r -> new GetAvailability(OTHER_RENTER, range, r))
                .reply())
        .isEqualTo(
            new Availability(
                kitchenId, range, List.of(slot("2026-06-01T13:30:00Z", "2026-06-01T20:00:00Z"))));
  }
}
