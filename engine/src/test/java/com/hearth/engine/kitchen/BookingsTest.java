package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.HoldKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kitchen's indexed bookings answer exactly what a scan over all of them would. */
class BookingsTest {

  private static final Instant DAY = Instant.parse("2026-06-03T00:00:00Z");
  private static final PriceBreakdown PRICE = new PriceBreakdown(5000, 750, 413, 5413, 4250, "USD");
  private static final Duration BUFFER = Duration.ofMinutes(30);

  @Test
  void overlapsReachTheEdgesOfBothNeighboursWidenedByTheBuffer() {
    // Neighbours 10:00-11:00 and 13:00-14:00; widened by 30 minutes they cover 09:30-11:30 and
    // 12:30-14:30.
    Bookings bookings =
        Bookings.of(Map.of())
            .with(held("before", at(10, 0), at(11, 0), at(23, 0)))
            .with(held("after", at(13, 0), at(14, 0), at(23, 0)));

    assertThat(ids(bookings, at(11, 30), at(12, 30))).isEmpty();
    assertThat(ids(bookings, at(11, 29), at(12, 30))).containsExactly("before");
    assertThat(ids(bookings, at(11, 30), at(12, 31))).containsExactly("after");
    assertThat(ids(bookings, at(11, 29), at(12, 31))).containsExactly("before", "after");
    assertThat(bookings.liveOverlapping(interval(at(11, 30), at(12, 30)), Duration.ZERO).toList())
        .isEmpty();
    assertThat(
            bookings
                .liveOverlapping(interval(at(10, 59), at(13, 1)), Duration.ZERO)
                .map(Booking::bookingId))
        .containsExactly("before", "after");
  }

  @Test
  void aLongBookingThatStartedFarEarlierStillOverlaps() {
    Bookings bookings =
        Bookings.of(Map.of())
            .with(held("short", at(1, 0), at(2, 0), at(23, 0)))
            .with(held("long", at(2, 0), at(14, 0), at(23, 0)));

    assertThat(ids(bookings, at(15, 0), at(15, 30))).isEmpty();
    assertThat(ids(bookings, at(14, 29), at(15, 0))).containsExactly("long");

    // Once the long one is cancelled, nothing occupies the afternoon any more.
    Bookings cancelled =
        bookings.with(bookings.get("long").cancelled(at(3, 0), Role.RENTER, null, 0));
    assertThat(ids(cancelled, at(12, 0), at(13, 0))).isEmpty();
    assertThat(cancelled.get("long").status()).isEqualTo(BookingStatus.CANCELLED);
  }

  @Test
  void dueHoldsComeInExpiryOrderAndConfirmedOnesByEnd() {
    Bookings bookings =
        Bookings.of(Map.of())
            .with(held("late", at(10, 0), at(11, 0), at(0, 30)))
            .with(held("early", at(12, 0), at(13, 0), at(0, 10)))
            .with(held("same-b", at(14, 0), at(15, 0), at(0, 20)))
            .with(held("same-a", at(16, 0), at(17, 0), at(0, 20)))
            .with(held("paid", at(8, 0), at(9, 0), at(0, 5)).confirmed(at(0, 1)));

    assertThat(bookings.nextDue()).contains(at(0, 10));
    assertThat(bookings.holdsExpiredBy(at(0, 20)).stream().map(Booking::bookingId))
        .containsExactly("early", "same-a", "same-b");
    assertThat(bookings.holdsExpiredBy(at(0, 9))).isEmpty();
    assertThat(bookings.hasHolds()).isTrue();
    assertThat(bookings.confirmedEndedBy(at(9, 0)).stream().map(Booking::bookingId))
        .containsExactly("paid");
    assertThat(bookings.confirmedEndedBy(at(8, 59))).isEmpty();

    Bookings noHolds = bookings;
    for (Booking due : bookings.holdsExpiredBy(at(1, 0)))
      noHolds = noHolds.with(due.expired(at(1, 0)));
    assertThat(noHolds.hasHolds()).isFalse();
    assertThat(noHolds.nextDue()).contains(at(9, 0));
  }

  @Test
  void aChangeLeavesThePreviousValueAsItWas() {
    Bookings one = Bookings.of(Map.of()).with(held("a", at(10, 0), at(11, 0), at(1, 0)));
    Bookings two = one.with(held("b", at(12, 0), at(13, 0), at(0, 30)));

    assertThat(one).containsOnlyKeys("a");
    assertThat(one.nextDue()).contains(at(1, 0));
    assertThat(ids(one, at(12, 0), at(13, 0))).isEmpty();
    assertThat(two).containsOnlyKeys("a", "b");
    assertThat(two.nextDue()).contains(at(0, 30));
  }

  @Test
  void aPlainMapReadBackFromASnapshotIsIndexedAndEqual() {
    Map<String, Booking> plain = new HashMap<>();
    plain.put("a", held("a", at(10, 0), at(11, 0), at(1, 0)));
    plain.put("b", held("b", at(12, 0), at(13, 0), at(0, 30)).confirmed(at(0, 1)));

    Bookings indexed = Bookings.of(plain);

    assertThat(indexed).isEqualTo(plain);
    assertThat(plain).isEqualTo(indexed);
    assertThat(indexed.nextDue()).contains(at(1, 0));
    assertThat(ids(indexed, at(13, 0), at(14, 0))).containsExactly("b");
  }

  @Test
  void holdKeysForgetOnlyTheOnesUsedBeforeTheCutoff() {
    HoldKeys keys =
        HoldKeys.of(Map.of())
            .with("r1\nk1", new HoldKey("a", "fp", at(1, 0)))
            .with("r1\nk2", new HoldKey("b", "fp", at(2, 0)))
            .with("r2\nk1", new HoldKey("c", "fp", at(3, 0)));

    assertThat(keys.withoutUsedBefore(at(1, 0))).isSameAs(keys);
    assertThat(keys.withoutUsedBefore(at(2, 30))).containsOnlyKeys("r2\nk1");
    assertThat(keys).hasSize(3);
    // Reusing a key moves it in the order of use.
    assertThat(keys.with("r1\nk1", new HoldKey("a", "fp", at(4, 0))).withoutUsedBefore(at(3, 30)))
        .containsOnlyKeys("r1\nk1");
  }

  /**
   * Random holds, confirmations, cancellations, expiries and pruning, checked against plain scans.
   */
  @Test
  void everyQueryMatchesAScanOverRandomHistories() {
    Random random = new Random(20261129);
    for (int round = 0; round < 20; round++) {
      Bookings bookings = Bookings.of(Map.of());
      Map<String, Booking> plain = new HashMap<>();
      for (int step = 0; step < 300; step++) {
        Instant now = DAY.plus(Duration.ofMinutes(step));
        List<Booking> existing = new ArrayList<>(plain.values());
        existing.sort(Comparator.comparing(Booking::bookingId));
        int choice = random.nextInt(10);
        Booking next;
        if (choice < 6 || existing.isEmpty()) {
          Instant start = DAY.plus(Duration.ofMinutes(30L * random.nextInt(400)));
          next =
              Booking.held(
                  "b" + round + "-" + step,
                  "k",
                  "h",
                  "r",
                  interval(start, start.plus(Duration.ofMinutes(30L * (1 + random.nextInt(24))))),
                  PRICE,
                  now,
                  now.plus(Duration.ofMinutes(random.nextInt(120))));
        } else {
          Booking b = existing.get(random.nextInt(existing.size()));
          next =
              switch (choice) {
                case 6, 7 -> b.status() == BookingStatus.HELD ? b.confirmed(now) : b;
                case 8 -> b.status().occupies() ? b.cancelled(now, Role.RENTER, null, 0) : b;
                default -> b.status() == BookingStatus.HELD ? b.expired(now) : b;
              };
        }
        bookings = bookings.with(next);
        plain.put(next.bookingId(), next);
        if (step % 50 == 49) {
          Instant cutoff = now.minus(Duration.ofHours(3));
          bookings = bookings.withoutSettledBefore(cutoff, now);
          plain
              .values()
              .removeIf(
                  b ->
                      b.settledAt().isBefore(cutoff)
                          && (!b.status().occupies() || !b.slot().end().isAfter(now)));
        }
        assertThat(bookings).isEqualTo(plain);
        if (step % 50 == 0)
          bookings = Bookings.of(new HashMap<>(plain)); // as recovery rebuilds it, in bulk
        Instant start = DAY.plus(Duration.ofMinutes(15L * random.nextInt(800)));
        Interval query =
            interval(start, start.plus(Duration.ofMinutes(15L * (1 + random.nextInt(20)))));
        assertThat(bookings.liveOverlapping(query, BUFFER).toList())
            .containsExactlyElementsOf(
                plain.values().stream()
                    .filter(b -> b.status().occupies() && b.slot().widen(BUFFER).overlaps(query))
                    .sorted(
                        Comparator.comparing((Booking b) -> b.slot().start())
                            .thenComparing(Booking::bookingId))
                    .toList());
        Instant later = now.plus(Duration.ofMinutes(random.nextInt(600)));
        assertThat(bookings.holdsExpiredBy(later))
            .containsExactlyElementsOf(
                plain.values().stream()
                    .filter(
                        b -> b.status() == BookingStatus.HELD && !b.holdExpiresAt().isAfter(later))
                    .sorted(
                        Comparator.comparing(Booking::holdExpiresAt)
                            .thenComparing(Booking::bookingId))
                    .toList());
        assertThat(bookings.confirmedEndedBy(later))
            .containsExactlyElementsOf(
                plain.values().stream()
                    .filter(
                        b ->
                            b.status() == BookingStatus.CONFIRMED && !b.slot().end().isAfter(later))
                    .sorted(
                        Comparator.comparing((Booking b) -> b.slot().end())
                            .thenComparing(Booking::bookingId))
                    .toList());
        Optional<Instant> due =
            plain.values().stream()
                .filter(b -> b.status().occupies())
                .map(b -> b.status() == BookingStatus.HELD ? b.holdExpiresAt() : b.slot().end())
                .min(Comparator.naturalOrder());
        assertThat(bookings.nextDue()).isEqualTo(due);
        assertThat(bookings.hasHolds())
            .isEqualTo(plain.values().stream().anyMatch(b -> b.status() == BookingStatus.HELD));
      }
    }
  }

  private static List<String> ids(Bookings bookings, Instant start, Instant end) {
    return bookings.liveOverlapping(interval(start, end), BUFFER).map(Booking::bookingId).toList();
  }

  private static Booking held(String id, Instant start, Instant end, Instant expires) {
    return Booking.held(id, "k", "h", "r", interval(start, end), PRICE, DAY, expires);
  }

  private static Instant at(int hour, int minute) {
    return DAY.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
  }

  private static Interval interval(Instant start, Instant end) {
    return new Interval(start, end);
  }
}
