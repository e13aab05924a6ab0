package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.BookingRules;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPublished;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenSettings;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.kitchen.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * A scripted journal for projection tests: events as the kitchen entity would write them, in order.
 */
final class Journal {

  static final int FEE_BPS = 1500;

  private final List<EventEnvelope<KitchenEntity.Event>> envelopes = new ArrayList<>();
  private final Map<String, Long> seqNrs = new HashMap<>();
  private long ordering;

  static KitchenSettings settings(String zone, OpeningHours hours) {
    return new KitchenSettings(
        "Test kitchen",
        "1 Main St",
        "Springfield",
        zone,
        "USD",
        4000,
        825,
        BookingRules.DEFAULTS,
        hours,
        List.of());
  }

  Journal add(KitchenEntity.Event event) {
    long seqNr = seqNrs.merge(event.kitchenId(), 1L, Long::sum);
    ordering++;
    envelopes.add(
        EventEnvelope.create(
            Sequence.apply(ordering),
            KitchenEntity.ENTITY_KEY.name() + "|" + event.kitchenId(),
            seqNr,
            event,
            event.at().toEpochMilli()));
    return this;
  }

  Journal kitchen(String kitchenId, String hostId, KitchenSettings settings, Instant at) {
    return add(new KitchenCreated(
            kitchenId, hostId, settings, "fp", at, "Host " + hostId, hostId + "@example.com"))
        .add(new KitchenPublished(kitchenId, hostId, Role.HOST, at));
  }

  Journal hold(
      String kitchenId,
      String bookingId,
      String renterId,
      Instant start,
      Duration length,
      Instant at) {
    Interval slot = new Interval(start, start.plus(length));
    return add(
        new SlotHeld(
            kitchenId,
            bookingId,
            "host-1",
            renterId,
            slot,
            Pricing.quote(4000, slot.minutes(), FEE_BPS, 825, "USD"),
            at.plus(Duration.ofMinutes(10)),
            null,
            null,
            at));
  }

  Journal confirm(String kitchenId, String bookingId, Instant at) {
    return add(new BookingConfirmed(kitchenId, bookingId, "payments", Role.SYSTEM, at));
  }

  Journal cancel(String kitchenId, String bookingId, Role role, long refund, Instant at) {
    return add(
        new BookingCancelled(
            kitchenId,
            bookingId,
            role == Role.RENTER ? "renter-1" : "host-1",
            role,
            "plans changed",
            refund,
            at));
  }

  Journal expire(String kitchenId, String bookingId, Instant at) {
    return add(new HoldExpired(kitchenId, bookingId, at));
  }

  Journal complete(String kitchenId, String bookingId, Instant at) {
    return add(new BookingCompleted(kitchenId, bookingId, at));
  }

  Journal update(String kitchenId, KitchenSettings settings, Instant at) {
    return add(new KitchenUpdated(kitchenId, "host-1", Role.HOST, settings, at));
  }

  List<EventEnvelope<KitchenEntity.Event>> envelopes() {
    return List.copyOf(envelopes);
  }
}
