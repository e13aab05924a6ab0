package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPaused;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPublished;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenSettings;
import com.hearth.engine.kitchen.KitchenStatus;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.kitchen.Pricing;
import com.hearth.engine.kitchen.RefundSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Applies one group of journal events to the read tables inside the projection's transaction.
 * Rows are written event by event; the daily aggregates of every (kitchen, local day) the group
 * touched are then recomputed from the rows, once per group.
 *
 * <p>Everything written is a function of the events alone (no clock, no randomness), which is
 * what lets a rebuild from the journal reproduce the tables exactly.
 *
 * <p>A booking's row also completes the shares of its refunds that the payment projection saw
 * succeed before the row was there (see {@link RefundShares}).
 */
final class ReadModelWriter {

  /** Longest booking the rules allow, plus a day: how far back a booking can start and still touch a day. */
  private static final Duration LONGEST_SPAN = Duration.ofDays(15);

  private final Connection c;
  private final SqlDialect dialect;
  private final Map<String, KitchenCalendar> calendars = new HashMap<>();
  private final Map<String, SortedSet<LocalDate>> touched = new TreeMap<>();
  private final Set<String> recalendared = new LinkedHashSet<>();

  ReadModelWriter(Connection connection, SqlDialect dialect) {
    this.c = connection;
    this.dialect = dialect;
  }

  void apply(List<EventEnvelope<KitchenEntity.Event>> envelopes) throws SQLException {
    TreeMap<String, PriceBreakdown> held = new TreeMap<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes)
      if (envelope.event() instanceof SlotHeld e) held.put(e.bookingId(), e.price());
    RefundShares.lock(c, dialect, held.navigableKeySet());
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes) apply(envelope);
    RefundShares.complete(c, held);
    for (String kitchenId : recalendared) redate(kitchenId);
    for (Map.Entry<String, SortedSet<LocalDate>> days : touched.entrySet()) {
      for (LocalDate date : days.getValue()) writeDay(days.getKey(), date);
      fillGaps(days.getKey());
    }
  }

  private void apply(EventEnvelope<KitchenEntity.Event> envelope) throws SQLException {
    KitchenEntity.Event event = envelope.event();
    if (event instanceof KitchenCreated e) {
      insertKitchen(e);
    } else if (event instanceof KitchenUpdated e) {
      updateKitchen(e);
    } else if (event instanceof KitchenPublished e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.PUBLISHED, e.at());
    } else if (event instanceof KitchenPaused e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.PAUSED, e.at());
    } else if (event instanceof SlotHeld e) {
      insertBooking(e);
    } else if (event instanceof BookingConfirmed e) {
      updateBooking(e.bookingId(), "status = ?, confirmed_at = ?, confirmed_by = ?", BookingStatus.CONFIRMED, e.at(), e.actorId());
    } else if (event instanceof BookingCancelled e) {
      RefundSplit split = Pricing.splitRefund(priceOf(e.bookingId()), e.refundCents());
      updateBooking(e.bookingId(), "status = ?, cancelled_at = ?, cancelled_by = ?, cancelled_by_role = ?, cancel_reason = ?,"
              + " refund_cents = ?, refund_host_share_cents = ?, refund_platform_share_cents = ?, refund_tax_share_cents = ?",
          BookingStatus.CANCELLED, e.at(), e.actorId(), e.actorRole(), e.reason(), e.refundCents(),
          split.hostCents(), split.platformCents(), split.taxCents());
    } else if (event instanceof HoldExpired e) {
      updateBooking(e.bookingId(), "status = ?, expired_at = ?", BookingStatus.EXPIRED, e.at());
    } else if (event instanceof BookingCompleted e) {
      updateBooking(e.bookingId(), "status = ?, completed_at = ?", BookingStatus.COMPLETED, e.at());
    } else {
      throw new IllegalStateException("no read model knows the event " + event.getClass().getName());
    }
    insertAuditRow(envelope);
  }

  // ---------------------------------------------------------------- kitchens

  private void insertKitchen(KitchenCreated e) throws SQLException {
    KitchenSettings s = e.settings();
    execute(dialect.insertIgnoring("kitchens", "kitchen_id",
            "kitchen_id, host_id, host_name, host_email, status, created_at, " + SETTINGS_COLUMNS + ", updated_at",
            "?, ?, ?, ?, ?, ?, " + String.join(", ", settingsPlaceholders()) + ", ?"),
        concat(concat(new Object[] {e.kitchenId(), e.hostId(), e.hostName(), e.hostEmail(), KitchenStatus.DRAFT, e.at()},
            settingsValues(s)), e.at()));
    calendars.remove(e.kitchenId());
  }

  private void updateKitchen(KitchenUpdated e) throws SQLException {
    KitchenCalendar before = calendar(e.kitchenId());
    List<String> assignments = new ArrayList<>();
    List<String> placeholders = settingsPlaceholders();
    for (int i = 0; i < SETTINGS.size(); i++) assignments.add(SETTINGS.get(i) + " = " + placeholders.get(i));
    String sql = "UPDATE kitchens SET " + String.join(", ", assignments) + ", updated_at = ? WHERE kitchen_id = ?";
    requireOne(execute(sql, concat(settingsValues(e.settings()), e.at(), e.kitchenId())), "kitchen", e.kitchenId());
    calendars.remove(e.kitchenId());
    KitchenCalendar after = calendar(e.kitchenId());
    if (!before.zone().equals(after.zone()) || !before.hours().equals(after.hours())
        || !before.blackouts().equals(after.blackouts()) || !before.currency().equals(after.currency()))
      recalendared.add(e.kitchenId());
  }

  private void setKitchenStatus(String kitchenId, KitchenStatus status, Instant at) throws SQLException {
    requireOne(execute("UPDATE kitchens SET status = ?, updated_at = ? WHERE kitchen_id = ?", status, at, kitchenId),
        "kitchen", kitchenId);
  }

  /** The kitchens columns a host's settings fill, in the order of {@link #settingsValues}. */
  private static final List<String> SETTINGS = List.of("name", "address", "city", "time_zone", "currency",
      "hourly_rate_cents", "tax_bps", "slot_minutes", "min_duration_minutes", "max_duration_minutes",
      "min_notice_minutes", "horizon_days", "buffer_minutes", "opening_hours", "blackouts");
  private static final String SETTINGS_COLUMNS = String.join(", ", SETTINGS);

  private List<String> settingsPlaceholders() {
    return SETTINGS.stream().map(column -> column.equals("opening_hours") || column.equals("blackouts") ? dialect.json() : "?")
        .toList();
  }

  private static Object[] settingsValues(KitchenSettings s) {
    return new Object[] {s.name(), s.address(), s.city(), s.timeZone(), s.currency(), s.hourlyRateCents(), s.taxBps(),
        s.rules().slotMinutes(), s.rules().minDurationMinutes(), s.rules().maxDurationMinutes(),
        s.rules().minNoticeMinutes(), s.rules().horizonDays(), s.rules().bufferMinutes(),
        ReadModelJson.write(s.openingHours()), ReadModelJson.write(s.blackouts())};
  }

  /** The kitchen's days as its row now describes them, read once per group. */
  private KitchenCalendar calendar(String kitchenId) throws SQLException {
    KitchenCalendar cached = calendars.get(kitchenId);
    if (cached != null) return cached;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT host_id, currency, time_zone, opening_hours, blackouts FROM kitchens WHERE kitchen_id = ?")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new IllegalStateException("no kitchen row for " + kitchenId + " although its events exist");
        KitchenCalendar calendar = new KitchenCalendar(kitchenId, rs.getString("host_id"), rs.getString("currency"),
            java.time.ZoneId.of(rs.getString("time_zone")),
            ReadModelJson.read(rs.getString("opening_hours"), OpeningHours.class),
            Arrays.asList(ReadModelJson.read(rs.getString("blackouts"), Interval[].class)));
        calendars.put(kitchenId, calendar);
        return calendar;
      }
    }
  }

  // ---------------------------------------------------------------- bookings

  private void insertBooking(SlotHeld e) throws SQLException {
    KitchenCalendar calendar = calendar(e.kitchenId());
    PriceBreakdown p = e.price();
    execute(dialect.insertIgnoring("bookings", "booking_id",
            "booking_id, kitchen_id, host_id, renter_id, start_at, end_at, local_date, minutes, status, currency,"
                + " subtotal_cents, platform_fee_cents, tax_cents, total_cents, host_payout_cents, held_at, hold_expires_at",
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
        e.bookingId(), e.kitchenId(), e.hostId(), e.renterId(), e.slot().start(), e.slot().end(),
        calendar.dateOf(e.slot().start()), e.slot().minutes(), BookingStatus.HELD, p.currency(), p.subtotalCents(),
        p.platformFeeCents(), p.taxCents(), p.totalCents(), p.hostPayoutCents(), e.at(), e.holdExpiresAt());
    touch(e.kitchenId(), calendar.datesOf(e.slot()));
  }

  private void updateBooking(String bookingId, String assignments, Object... values) throws SQLException {
    requireOne(execute("UPDATE bookings SET " + assignments + " WHERE booking_id = ?", concat(values, bookingId)),
        "booking", bookingId);
    try (PreparedStatement ps = c.prepareStatement("SELECT kitchen_id, start_at, end_at FROM bookings WHERE booking_id = ?")) {
      Sql.bind(ps, bookingId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String kitchenId = rs.getString("kitchen_id");
        touch(kitchenId, calendar(kitchenId).datesOf(new Interval(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at"))));
      }
    }
  }

  private PriceBreakdown priceOf(String bookingId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT subtotal_cents, platform_fee_cents, tax_cents, total_cents,"
        + " host_payout_cents, currency FROM bookings WHERE booking_id = ?")) {
      Sql.bind(ps, bookingId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new IllegalStateException("no booking row for " + bookingId + " although its events exist");
        return new PriceBreakdown(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getString(6));
      }
    }
  }

  // ---------------------------------------------------------------- audit trail

  private void insertAuditRow(EventEnvelope<KitchenEntity.Event> envelope) throws SQLException {
    KitchenEntity.Event event = envelope.event();
    Principal who = Principal.of(event);
    execute(dialect.insertIgnoring("booking_events", "kitchen_id, seq_nr",
            "kitchen_id, seq_nr, journal_offset, event_type, booking_id, principal, principal_role, occurred_at, data",
            "?, ?, ?, ?, ?, ?, ?, ?, " + dialect.json()),
        event.kitchenId(), envelope.sequenceNr(), ((Sequence) envelope.offset()).value(), event.getClass().getSimpleName(),
        bookingIdOf(event), who.id(), who.role(), event.at(), ReadModelJson.write(event));
  }

  private static String bookingIdOf(KitchenEntity.Event event) {
    if (event instanceof SlotHeld e) return e.bookingId();
    if (event instanceof BookingConfirmed e) return e.bookingId();
    if (event instanceof BookingCancelled e) return e.bookingId();
    if (event instanceof HoldExpired e) return e.bookingId();
    if (event instanceof BookingCompleted e) return e.bookingId();
    return null;
  }

  /** Who caused an event: the acting principal and the role it acted in; the platform for timers. */
  record Principal(String id, Role role) {
    static final Principal PLATFORM = new Principal("system", Role.SYSTEM);

    static Principal of(KitchenEntity.Event event) {
      if (event instanceof KitchenCreated e) return new Principal(e.hostId(), Role.HOST);
      if (event instanceof KitchenUpdated e) return new Principal(e.actorId(), e.actorRole());
      if (event instanceof KitchenPublished e) return new Principal(e.actorId(), e.actorRole());
      if (event instanceof KitchenPaused e) return new Principal(e.actorId(), e.actorRole());
      if (event instanceof SlotHeld e) return new Principal(e.renterId(), Role.RENTER);
      if (event instanceof BookingConfirmed e) return new Principal(e.actorId(), e.actorRole());
      if (event instanceof BookingCancelled e) return new Principal(e.actorId(), e.actorRole());
      return PLATFORM;
    }
  }

  // ---------------------------------------------------------------- daily aggregates

  private void touch(String kitchenId, Set<LocalDate> dates) {
    touched.computeIfAbsent(kitchenId, k -> new TreeSet<>()).addAll(dates);
  }

  /** After a change of time zone, hours, blackouts or currency: re-date the kitchen's bookings and all its days. */
  private void redate(String kitchenId) throws SQLException {
    KitchenCalendar calendar = calendar(kitchenId);
    execute("DELETE FROM kitchen_daily_stats WHERE kitchen_id = ?", kitchenId);
    List<Object[]> changes = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT booking_id, start_at, end_at, local_date FROM bookings WHERE kitchen_id = ?")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Interval slot = new Interval(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at"));
          LocalDate date = calendar.dateOf(slot.start());
          if (!date.equals(Sql.date(rs, "local_date"))) changes.add(new Object[] {date, rs.getString("booking_id")});
          touch(kitchenId, calendar.datesOf(slot));
        }
      }
    }
    for (Object[] change : changes) execute("UPDATE bookings SET local_date = ? WHERE booking_id = ?", change);
  }

  private void writeDay(String kitchenId, LocalDate date) throws SQLException {
    KitchenCalendar calendar = calendar(kitchenId);
    Interval day = calendar.day(date);
    List<DailyStats.BookingFigures> figures = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT start_at, end_at, local_date, status, confirmed_at,"
        + " total_cents, tax_cents, platform_fee_cents, host_payout_cents, refund_cents, refund_host_share_cents,"
        + " refund_platform_share_cents, refund_tax_share_cents FROM bookings"
        + " WHERE kitchen_id = ? AND start_at < ? AND start_at > ? AND end_at > ?")) {
      Sql.bind(ps, kitchenId, day.end(), day.start().minus(LONGEST_SPAN), day.start());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          figures.add(new DailyStats.BookingFigures(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at"),
              Sql.date(rs, "local_date"), BookingStatus.valueOf(rs.getString("status")),
              rs.getObject("confirmed_at") != null, rs.getLong("total_cents"), rs.getLong("tax_cents"),
              rs.getLong("platform_fee_cents"), rs.getLong("host_payout_cents"), rs.getLong("refund_cents"),
              rs.getLong("refund_host_share_cents"), rs.getLong("refund_platform_share_cents"),
              rs.getLong("refund_tax_share_cents")));
        }
      }
    }
    execute("DELETE FROM kitchen_daily_stats WHERE kitchen_id = ? AND local_date = ?", kitchenId, date);
    if (!figures.isEmpty()) insertDay(DailyStats.compute(calendar, date, figures));
  }

  /**
   * Every local day from the kitchen's first booked day to its last has a row, those without a
   * booking too (zeros, with their open minutes), so that sums over a week or a month count
   * every open minute in between. Rows are never removed: bookings never leave the table.
   */
  private void fillGaps(String kitchenId) throws SQLException {
    LocalDate first;
    LocalDate last;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MIN(start_at), MAX(end_at) FROM bookings WHERE kitchen_id = ?")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getObject(1) == null) return;
        KitchenCalendar calendar = calendar(kitchenId);
        first = calendar.dateOf(Sql.instant(rs, 1));
        last = calendar.dateOf(Sql.instant(rs, 2).minusNanos(1));
      }
    }
    Set<LocalDate> present = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT local_date FROM kitchen_daily_stats WHERE kitchen_id = ? AND local_date >= ? AND local_date <= ?")) {
      Sql.bind(ps, kitchenId, first, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) present.add(Sql.date(rs, "local_date"));
      }
    }
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1))
      if (!present.contains(d)) insertDay(DailyStats.compute(calendar(kitchenId), d, List.of()));
  }

  private void insertDay(DailyStats s) throws SQLException {
    execute("INSERT INTO kitchen_daily_stats (kitchen_id, local_date, host_id, currency, open_minutes, booked_minutes,"
            + " occupancy, holds_placed, bookings_confirmed, holds_expired, bookings_cancelled, bookings_completed,"
            + " conversion, gross_cents, refunds_cents, tax_cents, platform_fee_cents, host_net_cents)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.kitchenId(), s.localDate(), s.hostId(), s.currency(), s.openMinutes(), s.bookedMinutes(), s.occupancy(),
        s.holdsPlaced(), s.bookingsConfirmed(), s.holdsExpired(), s.bookingsCancelled(), s.bookingsCompleted(),
        s.conversion(), s.grossCents(), s.refundsCents(), s.taxCents(), s.platformFeeCents(), s.hostNetCents());
  }

  // ---------------------------------------------------------------- plumbing

  private int execute(String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, values);
      return ps.executeUpdate();
    }
  }

  private static void requireOne(int rows, String what, String id) {
    if (rows != 1) throw new IllegalStateException("no " + what + " row for " + id + " although its events exist");
  }

  private static Object[] concat(Object[] head, Object... tail) {
    Object[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
