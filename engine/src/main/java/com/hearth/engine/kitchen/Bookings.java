package com.hearth.engine.kitchen;

import com.hearth.engine.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.pcollections.HashPMap;
import org.pcollections.HashTreePMap;
import org.pcollections.TreePMap;

/**
 * The bookings a kitchen remembers, by id, with the orders its decisions read: live bookings by
 * start (overlap checks and availability), holds by expiry and confirmed bookings by end (the
 * settle timer), and every booking by when it settled (pruning). So a hot kitchen with thousands of
 * live bookings decides a hold in O(log n) instead of scanning them all.
 *
 * <p>Every order is a persistent tree: a change costs O(log n) and leaves the previous value
 * intact, so the state stays an immutable value and a command handler may apply a batch of holds to
 * it one by one without copying and without touching the state it was given.
 *
 * <p>It is a read-only {@link Map} by booking id, so snapshots keep their format: Jackson writes it
 * as the map it always was, and {@link #of} rebuilds the orders from a map read back.
 */
final class Bookings extends AbstractMap<String, Booking> {

  private static final Bookings EMPTY =
      new Bookings(
          HashTreePMap.empty(),
          TreePMap.empty(),
          TreePMap.empty(),
          TreePMap.empty(),
          TreePMap.empty(),
          TreePMap.empty());

  private final HashPMap<String, Booking> byId;

  /**
   * HELD and CONFIRMED bookings by start, holds past their expiry included until they are expired.
   */
  private final TreePMap<TimeKey, Booking> liveByStart;

  private final TreePMap<TimeKey, Booking> heldByExpiry;
  private final TreePMap<TimeKey, Booking> confirmedByEnd;
  private final TreePMap<TimeKey, Booking> bySettledAt;

  /**
   * How many live bookings have each length: the longest bounds how early an overlapping one can
   * start.
   */
  private final TreePMap<Duration, Integer> liveLengths;

  private Bookings(
      HashPMap<String, Booking> byId,
      TreePMap<TimeKey, Booking> liveByStart,
      TreePMap<TimeKey, Booking> heldByExpiry,
      TreePMap<TimeKey, Booking> confirmedByEnd,
      TreePMap<TimeKey, Booking> bySettledAt,
      TreePMap<Duration, Integer> liveLengths) {
    this.byId = byId;
    this.liveByStart = liveByStart;
    this.heldByExpiry = heldByExpiry;
    this.confirmedByEnd = confirmedByEnd;
    this.bySettledAt = bySettledAt;
    this.liveLengths = liveLengths;
  }

  /**
   * The bookings of {@code bookings}, indexed. A map read back from a snapshot is indexed here in
   * bulk: sorted once, then made persistent, which recovers a hot kitchen's thousands of bookings
   * faster than adding them one by one.
   */
  static Bookings of(Map<String, Booking> bookings) {
    if (bookings instanceof Bookings indexed) return indexed;
    Map<String, Booking> id = new HashMap<>();
    SortedMap<TimeKey, Booking> live = new TreeMap<>();
    SortedMap<TimeKey, Booking> held = new TreeMap<>();
    SortedMap<TimeKey, Booking> confirmed = new TreeMap<>();
    SortedMap<TimeKey, Booking> settled = new TreeMap<>();
    SortedMap<Duration, Integer> lengths = new TreeMap<>();
    for (Booking booking : bookings.values()) {
      id.put(booking.bookingId(), booking);
      settled.put(settledKey(booking), booking);
      if (liveKey(booking) != null) {
        live.put(liveKey(booking), booking);
        lengths.merge(length(booking), 1, Integer::sum);
      }
      if (heldKey(booking) != null) held.put(heldKey(booking), booking);
      if (confirmedKey(booking) != null) confirmed.put(confirmedKey(booking), booking);
    }
    return new Bookings(
        HashTreePMap.from(id),
        TreePMap.fromSortedMap(live),
        TreePMap.fromSortedMap(held),
        TreePMap.fromSortedMap(confirmed),
        TreePMap.fromSortedMap(settled),
        TreePMap.fromSortedMap(lengths));
  }

  /** These bookings with {@code booking} added, or replacing the one with its id. */
  Bookings with(Booking booking) {
    return replace(byId.get(booking.bookingId()), booking);
  }

  /**
   * The live bookings whose slot, widened by {@code buffer}, overlaps {@code range}, in start
   * order. Only bookings starting less than the longest live booking before the widened range are
   * looked at.
   */
  Stream<Booking> liveOverlapping(Interval range, Duration buffer) {
    if (liveByStart.isEmpty()) return Stream.empty();
    Instant from = range.start().minus(buffer).minus(liveLengths.lastKey());
    Instant to = range.end().plus(buffer);
    return liveByStart
        .subMap(TimeKey.before(from), true, TimeKey.before(to), false)
        .values()
        .stream()
        .filter(b -> b.slot().widen(buffer).overlaps(range));
  }

  /** When something next falls due: the earliest hold expiry or end of a confirmed booking. */
  Optional<Instant> nextDue() {
    if (heldByExpiry.isEmpty() && confirmedByEnd.isEmpty()) return Optional.empty();
    if (heldByExpiry.isEmpty()) return Optional.of(confirmedByEnd.firstKey().at());
    if (confirmedByEnd.isEmpty()) return Optional.of(heldByExpiry.firstKey().at());
    Instant expiry = heldByExpiry.firstKey().at();
    Instant end = confirmedByEnd.firstKey().at();
    return Optional.of(expiry.isAfter(end) ? end : expiry);
  }

  boolean hasHolds() {
    return !heldByExpiry.isEmpty();
  }

  /** Holds whose time has run out by {@code now}, earliest expiry first. */
  List<Booking> holdsExpiredBy(Instant now) {
    return heldByExpiry.values().stream().takeWhile(b -> !b.holdExpiresAt().isAfter(now)).toList();
  }

  /** Confirmed bookings that have ended by {@code now}, earliest end first. */
  List<Booking> confirmedEndedBy(Instant now) {
    return confirmedByEnd.values().stream().takeWhile(b -> !b.slot().end().isAfter(now)).toList();
  }

  /**
   * These bookings without the ones that settled before {@code cutoff} and are over by {@code now}.
   */
  Bookings withoutSettledBefore(Instant cutoff, Instant now) {
    Bookings kept = this;
    for (Booking booking : bySettledAt.headMap(TimeKey.before(cutoff)).values())
      if (!booking.status().occupies() || !booking.slot().end().isAfter(now))
        kept = kept.replace(booking, null);
    return kept;
  }

  private Bookings replace(Booking old, Booking next) {
    HashPMap<String, Booking> id = byId;
    TreePMap<TimeKey, Booking> live = liveByStart;
    TreePMap<TimeKey, Booking> held = heldByExpiry;
    TreePMap<TimeKey, Booking> confirmed = confirmedByEnd;
    TreePMap<TimeKey, Booking> settled = bySettledAt;
    TreePMap<Duration, Integer> lengths = liveLengths;
    if (old != null) {
      id = id.minus(old.bookingId());
      settled = settled.minus(settledKey(old));
      if (liveKey(old) != null) {
        live = live.minus(liveKey(old));
        lengths = count(lengths, length(old), -1);
      }
      if (heldKey(old) != null) held = held.minus(heldKey(old));
      if (confirmedKey(old) != null) confirmed = confirmed.minus(confirmedKey(old));
    }
    if (next != null) {
      id = id.plus(next.bookingId(), next);
      settled = settled.plus(settledKey(next), next);
      if (liveKey(next) != null) {
        live = live.plus(liveKey(next), next);
        lengths = count(lengths, length(next), +1);
      }
      if (heldKey(next) != null) held = held.plus(heldKey(next), next);
      if (confirmedKey(next) != null) confirmed = confirmed.plus(confirmedKey(next), next);
    }
    return new Bookings(id, live, held, confirmed, settled, lengths);
  }

  // Each order's key for a booking, or null when the booking is not in that order.

  private static TimeKey liveKey(Booking booking) {
    return booking.status().occupies()
        ? new TimeKey(booking.slot().start(), booking.bookingId())
        : null;
  }

  private static TimeKey heldKey(Booking booking) {
    return booking.status() == BookingStatus.HELD
        ? new TimeKey(booking.holdExpiresAt(), booking.bookingId())
        : null;
  }

  private static TimeKey confirmedKey(Booking booking) {
    return booking.status() == BookingStatus.CONFIRMED
        ? new TimeKey(booking.slot().end(), booking.bookingId())
        : null;
  }

  private static TimeKey settledKey(Booking booking) {
    return new TimeKey(booking.settledAt(), booking.bookingId());
  }

  private static Duration length(Booking booking) {
    return Duration.between(booking.slot().start(), booking.slot().end());
  }

  private static TreePMap<Duration, Integer> count(
      TreePMap<Duration, Integer> counts, Duration length, int delta) {
    int next = counts.getOrDefault(length, 0) + delta;
    return next == 0 ? counts.minus(length) : counts.plus(length, next);
  }

  // ---------------------------------------------------------------- the read-only map by id

  @Override
  public Set<Entry<String, Booking>> entrySet() {
    return byId.entrySet();
  }

  @Override
  public Booking get(Object bookingId) {
    return byId.get(bookingId);
  }

  @Override
  public boolean containsKey(Object bookingId) {
    return byId.containsKey(bookingId);
  }

  @Override
  public int size() {
    return byId.size();
  }
}
