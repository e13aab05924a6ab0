package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.HoldKey;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.persistence.typed.SnapshotAdapter;

/**
 * The form a listed kitchen is snapshotted in: its bookings and idempotency keys as columns, one
 * array per field, with every instant as nanoseconds since the epoch. A kitchen with thousands of
 * live bookings recovers from one snapshot, and the plain document of {@link Listed} spent most of
 * that time on field names repeated per booking and on parsing ISO-8601 text (five instants a
 * booking); arrays of numbers parse many times faster and take about a third of the bytes.
 *
 * <p>The kitchen id, host id and currency of a booking are left out (null) when they are the
 * kitchen's, which is every booking so far. Snapshots written before this form, plain {@link
 * Listed} documents, still load: {@link #ADAPTER} passes them through. A state it cannot write
 * exactly (an instant beyond what nanoseconds since the epoch hold, years 1678 to 2261) is
 * snapshotted in the old form.
 */
public record KitchenSnapshot(
    String kitchenId,
    String hostId,
    KitchenSettings settings,
    KitchenStatus status,
    String fingerprint,
    Instant createdAt,
    Instant updatedAt,
    BookingColumns bookings,
    HoldKeyColumns holdKeys,
    ComplianceStanding compliance)
    implements CborSerializable {

  /** What stands for an absent instant in a column. */
  static final long NONE = Long.MIN_VALUE;

  /**
   * Bookings, one array per field, all of the same length; ids, kitchen, host and currency null
   * when the kitchen's.
   */
  public record BookingColumns(
      String[] bookingId,
      String[] kitchenId,
      String[] hostId,
      String[] renterId,
      long[] start,
      long[] end,
      String[] status,
      long[] subtotalCents,
      long[] platformFeeCents,
      long[] taxCents,
      long[] totalCents,
      long[] hostPayoutCents,
      String[] currency,
      long[] heldAt,
      long[] holdExpiresAt,
      long[] confirmedAt,
      long[] cancelledAt,
      long[] expiredAt,
      long[] completedAt,
      String[] cancelledBy,
      String[] cancelReason,
      long[] refundCents) {}

  /** Idempotency keys of holds, one array per field. */
  public record HoldKeyColumns(
      String[] scopedKey, String[] bookingId, String[] fingerprint, long[] at) {}

  /** Writes listed kitchens in this form and reads both forms back. */
  static final SnapshotAdapter<State> ADAPTER =
      new SnapshotAdapter<>() {
        @Override
        public Object toJournal(State state) {
          if (state instanceof Listed listed) {
            try {
              return of(listed);
            } catch (ArithmeticException beyondNanos) {
              return state;
            }
          }
          return state;
        }

        @Override
        public State fromJournal(Object from) {
          return from instanceof KitchenSnapshot snapshot ? snapshot.toListed() : (State) from;
        }
      };

  static KitchenSnapshot of(Listed listed) {
    int n = listed.bookings().size();
    String currency = listed.settings().currency();
    BookingColumns b =
        new BookingColumns(
            new String[n],
            new String[n],
            new String[n],
            new String[n],
            new long[n],
            new long[n],
            new String[n],
            new long[n],
            new long[n],
            new long[n],
            new long[n],
            new long[n],
            new String[n],
            new long[n],
            new long[n],
            new long[n],
            new long[n],
            new long[n],
            new long[n],
            new String[n],
            new String[n],
            new long[n]);
    int i = 0;
    for (Map.Entry<String, Booking> entry : listed.bookings().entrySet()) {
      Booking booking = entry.getValue();
      if (!entry.getKey().equals(booking.bookingId()))
        throw new IllegalStateException("a booking under another id");
      b.bookingId[i] = booking.bookingId();
      b.kitchenId[i] = booking.kitchenId().equals(listed.kitchenId()) ? null : booking.kitchenId();
      b.hostId[i] = booking.hostId().equals(listed.hostId()) ? null : booking.hostId();
      b.renterId[i] = booking.renterId();
      b.start[i] = nanos(booking.slot().start());
      b.end[i] = nanos(booking.slot().end());
      b.status[i] = booking.status().name();
      PriceBreakdown price = booking.price();
      b.subtotalCents[i] = price.subtotalCents();
      b.platformFeeCents[i] = price.platformFeeCents();
      b.taxCents[i] = price.taxCents();
      b.totalCents[i] = price.totalCents();
      b.hostPayoutCents[i] = price.hostPayoutCents();
      b.currency[i] = price.currency().equals(currency) ? null : price.currency();
      b.heldAt[i] = nanos(booking.heldAt());
      b.holdExpiresAt[i] = nanos(booking.holdExpiresAt());
      b.confirmedAt[i] = nanos(booking.confirmedAt());
      b.cancelledAt[i] = nanos(booking.cancelledAt());
      b.expiredAt[i] = nanos(booking.expiredAt());
      b.completedAt[i] = nanos(booking.completedAt());
      b.cancelledBy[i] = booking.cancelledBy() == null ? null : booking.cancelledBy().name();
      b.cancelReason[i] = booking.cancelReason();
      b.refundCents[i] = booking.refundCents();
      i++;
    }
    int k = listed.holdKeys().size();
    HoldKeyColumns h = new HoldKeyColumns(new String[k], new String[k], new String[k], new long[k]);
    int j = 0;
    for (Map.Entry<String, HoldKey> entry : listed.holdKeys().entrySet()) {
      h.scopedKey[j] = entry.getKey();
      h.bookingId[j] = entry.getValue().bookingId();
      h.fingerprint[j] = entry.getValue().fingerprint();
      h.at[j] = nanos(entry.getValue().at());
      j++;
    }
    return new KitchenSnapshot(
        listed.kitchenId(),
        listed.hostId(),
        listed.settings(),
        listed.status(),
        listed.fingerprint(),
        listed.createdAt(),
        listed.updatedAt(),
        b,
        h,
        listed.compliance());
  }

  Listed toListed() {
    BookingColumns b = bookings;
    String currency = settings.currency();
    Map<String, Booking> byId = new LinkedHashMap<>(b.bookingId.length * 2);
    for (int i = 0; i < b.bookingId.length; i++) {
      Booking booking =
          new Booking(
              b.bookingId[i],
              b.kitchenId[i] == null ? kitchenId : b.kitchenId[i],
              b.hostId[i] == null ? hostId : b.hostId[i],
              b.renterId[i],
              new Interval(instant(b.start[i]), instant(b.end[i])),
              BookingStatus.valueOf(b.status[i]),
              new PriceBreakdown(
                  b.subtotalCents[i],
                  b.platformFeeCents[i],
                  b.taxCents[i],
                  b.totalCents[i],
                  b.hostPayoutCents[i],
                  b.currency[i] == null ? currency : b.currency[i]),
              instant(b.heldAt[i]),
              instant(b.holdExpiresAt[i]),
              instant(b.confirmedAt[i]),
              instant(b.cancelledAt[i]),
              instant(b.expiredAt[i]),
              instant(b.completedAt[i]),
              b.cancelledBy[i] == null ? null : Role.valueOf(b.cancelledBy[i]),
              b.cancelReason[i],
              b.refundCents[i]);
      byId.put(booking.bookingId(), booking);
    }
    HoldKeyColumns h = holdKeys;
    Map<String, HoldKey> keys = new LinkedHashMap<>(h.scopedKey.length * 2);
    for (int j = 0; j < h.scopedKey.length; j++)
      keys.put(h.scopedKey[j], new HoldKey(h.bookingId[j], h.fingerprint[j], instant(h.at[j])));
    return new Listed(
        kitchenId,
        hostId,
        settings,
        status,
        fingerprint,
        createdAt,
        updatedAt,
        byId,
        keys,
        compliance);
  }

  /**
   * Nanoseconds since the epoch, {@link #NONE} for null; throws ArithmeticException beyond a long.
   */
  static long nanos(Instant at) {
    if (at == null) return NONE;
    long nanos =
        Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    if (nanos == NONE) throw new ArithmeticException("the instant that stands for none");
    return nanos;
  }

  static Instant instant(long nanos) {
    return nanos == NONE
        ? null
        : Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
