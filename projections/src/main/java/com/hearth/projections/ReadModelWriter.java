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
import java.util.Collections;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Applies one group of journal events to the read tables inside the projection's transaction,
 * at a cost per event that does not depend on how many events or bookings came before:
 *
 * <ul>
 *   <li>the bookings the group's events name are read once, by key, in one query per hundred;
 *       the events are applied to them in memory, and each changed row is written once, in
 *       batches (updates before inserts, so the no-overlap tripwire only ever sees final states);
 *   <li>the audit rows are inserted in one batch;
 *   <li>each day's figures change by the difference between what the group's bookings
 *       contributed before and after (see {@link DailyStats}): the days touched are read by key
 *       and written in batches, and the days between a kitchen's known days and new ones are
 *       filled once, when they first come into its range.
 * </ul>
 *
 * <p>A change of a kitchen's time zone, hours, blackouts or currency restates its days from all
 * of its bookings: a host's rare edit, not booking traffic.
 *
 * <p>Everything written is a function of the events alone (no clock, no randomness), which is
 * what lets a rebuild from the journal reproduce the tables exactly.
 *
 * <p>A booking's row also completes the shares of its refunds that the payment projection saw
 * succeed before the row was there (see {@link RefundShares}).
 */
final class ReadModelWriter {

  /** Most keys bound in one {@code IN (...)} list. */
  private static final int KEYS_PER_QUERY = 100;

  private final Connection c;
  private final SqlDialect dialect;
  private final Map<String, KitchenCalendar> calendars = new HashMap<>();
  /** The group's bookings as they stand after the events so far, by id. */
  private final Map<String, BookingRow> rows = new HashMap<>();
  /** The bookings' rows as the table had them before the group; absent for bookings held in it. */
  private final Map<String, BookingRow> before = new HashMap<>();
  private final Set<String> recalendared = new LinkedHashSet<>();
  private final List<Object[]> auditRows = new ArrayList<>();

  ReadModelWriter(Connection connection, SqlDialect dialect) {
    this.c = connection;
    this.dialect = dialect;
  }

  void apply(List<EventEnvelope<KitchenEntity.Event>> group) throws SQLException {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = notYetApplied(group);
    TreeMap<String, PriceBreakdown> held = new TreeMap<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes)
      if (envelope.event() instanceof SlotHeld e) held.put(e.bookingId(), e.price());
    RefundShares.lock(c, dialect, held.navigableKeySet());
    loadBookings(envelopes, held.keySet());
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes) apply(envelope);
    writeBookings();
    insertAuditRows();
    RefundShares.complete(c, held);
    writeDays();
  }

  /**
   * The events whose audit rows are not there yet. Every event leaves one, with its journal
   * offset, in the same transaction as its other effects; an event delivered again (to a new
   * projection, say) finds its row in one range read over the group's offsets and is skipped, so
   * that the deltas count it once.
   */
  private List<EventEnvelope<KitchenEntity.Event>> notYetApplied(List<EventEnvelope<KitchenEntity.Event>> group)
      throws SQLException {
    if (group.isEmpty()) return group;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (EventEnvelope<KitchenEntity.Event> envelope : group) {
      long offset = ((Sequence) envelope.offset()).value();
      first = Math.min(first, offset);
      last = Math.max(last, offset);
    }
    Set<String> applied = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT kitchen_id, seq_nr FROM booking_events WHERE journal_offset >= ? AND journal_offset <= ?")) {
      Sql.bind(ps, first, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) applied.add(rs.getString(1) + "#" + rs.getLong(2));
      }
    }
    if (applied.isEmpty()) return group;
    return group.stream().filter(e -> !applied.contains(e.event().kitchenId() + "#" + e.sequenceNr())).toList();
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
      KitchenCalendar calendar = calendar(e.kitchenId());
      rows.putIfAbsent(e.bookingId(), new BookingRow(e.bookingId(), e.kitchenId(), e.hostId(), e.renterId(), e.slot(),
          calendar.dateOf(e.slot().start()), BookingStatus.HELD, e.price(), e.at(), e.holdExpiresAt()));
    } else if (event instanceof BookingConfirmed e) {
      BookingRow row = row(e.bookingId());
      row.status = BookingStatus.CONFIRMED;
      row.confirmedAt = e.at();
      row.confirmedBy = e.actorId();
    } else if (event instanceof BookingCancelled e) {
      BookingRow row = row(e.bookingId());
      RefundSplit split = Pricing.splitRefund(row.price, e.refundCents());
      row.status = BookingStatus.CANCELLED;
      row.cancelledAt = e.at();
      row.cancelledBy = e.actorId();
      row.cancelledByRole = e.actorRole();
      row.cancelReason = e.reason();
      row.refundCents = e.refundCents();
      row.refundHostShareCents = split.hostCents();
      row.refundPlatformShareCents = split.platformCents();
      row.refundTaxShareCents = split.taxCents();
    } else if (event instanceof HoldExpired e) {
      BookingRow row = row(e.bookingId());
      row.status = BookingStatus.EXPIRED;
      row.expiredAt = e.at();
    } else if (event instanceof BookingCompleted e) {
      BookingRow row = row(e.bookingId());
      row.status = BookingStatus.COMPLETED;
      row.completedAt = e.at();
    } else {
      throw new IllegalStateException("no read model knows the event " + event.getClass().getName());
    }
    auditRows.add(auditRow(envelope));
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

  private BookingRow row(String bookingId) {
    BookingRow row = rows.get(bookingId);
    if (row == null) throw new IllegalStateException("no booking row for " + bookingId + " although its events exist");
    return row;
  }

  /** Reads the rows of the bookings the group changes but did not hold, by key. */
  private void loadBookings(List<EventEnvelope<KitchenEntity.Event>> envelopes, Set<String> heldHere) throws SQLException {
    Set<String> wanted = new LinkedHashSet<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes) {
      String bookingId = bookingIdOf(envelope.event());
      if (bookingId != null && !heldHere.contains(bookingId)) wanted.add(bookingId);
    }
    List<String> ids = new ArrayList<>(wanted);
    for (int from = 0; from < ids.size(); from += KEYS_PER_QUERY) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", BookingRow.COLUMNS)
          + " FROM bookings WHERE booking_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
        Sql.bind(ps, chunk.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            BookingRow row = BookingRow.read(rs);
            before.put(row.bookingId, row);
            rows.put(row.bookingId, row.copy());
          }
        }
      }
    }
  }

  /** Writes each booking the group changed once: updates first, then the new rows. */
  private void writeBookings() throws SQLException {
    List<String> assignments = BookingRow.COLUMNS.subList(1, BookingRow.COLUMNS.size()).stream()
        .map(column -> column + " = ?").toList();
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE bookings SET " + String.join(", ", assignments) + " WHERE booking_id = ?")) {
      int batched = 0;
      for (BookingRow old : before.values()) {
        rows.get(old.bookingId).bindUpdate(ps);
        ps.addBatch();
        batched++;
      }
      if (batched > 0) ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnoring("bookings", "booking_id",
        String.join(", ", BookingRow.COLUMNS), String.join(", ", Collections.nCopies(BookingRow.COLUMNS.size(), "?"))))) {
      int batched = 0;
      for (BookingRow row : rows.values()) {
        if (before.containsKey(row.bookingId)) continue;
        Sql.bind(ps, row.values());
        ps.addBatch();
        batched++;
      }
      if (batched > 0) ps.executeBatch();
    }
  }

  // ---------------------------------------------------------------- audit trail

  private static Object[] auditRow(EventEnvelope<KitchenEntity.Event> envelope) {
    KitchenEntity.Event event = envelope.event();
    Principal who = Principal.of(event);
    return new Object[] {event.kitchenId(), envelope.sequenceNr(), ((Sequence) envelope.offset()).value(),
        event.getClass().getSimpleName(), bookingIdOf(event), who.id(), who.role(), event.at(), ReadModelJson.write(event)};
  }

  private void insertAuditRows() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect.insertIgnoring("booking_events", "kitchen_id, seq_nr",
        "kitchen_id, seq_nr, journal_offset, event_type, booking_id, principal, principal_role, occurred_at, data",
        "?, ?, ?, ?, ?, ?, ?, ?, " + dialect.json()))) {
      for (Object[] row : auditRows) {
        Sql.bind(ps, row);
        ps.addBatch();
      }
      if (!auditRows.isEmpty()) ps.executeBatch();
    }
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

  /** Applies the difference the group made to each kitchen's days; restates the days of re-calendared kitchens. */
  private void writeDays() throws SQLException {
    Map<String, SortedMap<LocalDate, DailyStats.Figures>> deltas = new TreeMap<>();
    for (BookingRow row : rows.values()) {
      if (recalendared.contains(row.kitchenId)) continue;
      KitchenCalendar calendar = calendar(row.kitchenId);
      SortedMap<LocalDate, DailyStats.Figures> days = deltas.computeIfAbsent(row.kitchenId, k -> new TreeMap<>());
      BookingRow old = before.get(row.bookingId);
      if (old != null) DailyStats.Figures.add(old, calendar, -1, days);
      DailyStats.Figures.add(row, calendar, +1, days);
    }
    for (Map.Entry<String, SortedMap<LocalDate, DailyStats.Figures>> kitchen : deltas.entrySet())
      applyDays(calendar(kitchen.getKey()), kitchen.getValue());
    for (String kitchenId : recalendared) restate(kitchenId);
  }

  /**
   * Adds the deltas to the kitchen's days, creating the days not there yet, and the empty days
   * between the kitchen's range of days so far and the new ones (with their open minutes), so
   * that every day from its first booked day to its last has a row.
   */
  private void applyDays(KitchenCalendar calendar, SortedMap<LocalDate, DailyStats.Figures> deltas) throws SQLException {
    LocalDate first = edgeDay(calendar.kitchenId(), "ASC");
    LocalDate last = edgeDay(calendar.kitchenId(), "DESC");
    Map<LocalDate, DailyStats> existing = existingDays(calendar.kitchenId(), deltas.keySet());
    List<DailyStats> updates = new ArrayList<>();
    List<DailyStats> inserts = new ArrayList<>();
    for (Map.Entry<LocalDate, DailyStats.Figures> day : deltas.entrySet()) {
      DailyStats now = existing.get(day.getKey());
      if (now != null) updates.add(DailyStats.of(calendar, day.getKey(), now, day.getValue()));
      else inserts.add(DailyStats.of(calendar, day.getKey(), null, day.getValue()));
    }
    LocalDate newFirst = deltas.firstKey();
    LocalDate newLast = deltas.lastKey();
    if (first == null) {
      fillBetween(calendar, newFirst, newLast, deltas, inserts);
    } else {
      if (newFirst.isBefore(first)) fillBetween(calendar, newFirst, first.minusDays(1), deltas, inserts);
      if (newLast.isAfter(last)) fillBetween(calendar, last.plusDays(1), newLast, deltas, inserts);
    }
    writeDays(updates, inserts);
  }

  /**
   * The kitchen's first or last day with a row, read from the primary key's edge: MIN and MAX
   * over a kitchen's rows would read all of its days.
   */
  private LocalDate edgeDay(String kitchenId, String direction) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT local_date FROM kitchen_daily_stats WHERE kitchen_id = ?"
        + " ORDER BY kitchen_id " + direction + ", local_date " + direction + " LIMIT 1")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Sql.date(rs, "local_date") : null;
      }
    }
  }

  private void fillBetween(KitchenCalendar calendar, LocalDate from, LocalDate to,
      SortedMap<LocalDate, DailyStats.Figures> deltas, List<DailyStats> inserts) {
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1))
      if (!deltas.containsKey(d)) inserts.add(DailyStats.of(calendar, d, null, null));
  }

  private Map<LocalDate, DailyStats> existingDays(String kitchenId, Set<LocalDate> dates) throws SQLException {
    Map<LocalDate, DailyStats> found = new HashMap<>();
    List<LocalDate> all = new ArrayList<>(dates);
    for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
      List<LocalDate> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", DAY_COLUMNS)
          + " FROM kitchen_daily_stats WHERE kitchen_id = ? AND local_date IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")")) {
        List<Object> values = new ArrayList<>();
        values.add(kitchenId);
        values.addAll(chunk);
        Sql.bind(ps, values.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            DailyStats day = new DailyStats(rs.getString("kitchen_id"), Sql.date(rs, "local_date"), rs.getString("host_id"),
                rs.getString("currency"), rs.getLong("open_minutes"), rs.getLong("booked_minutes"),
                rs.getBigDecimal("occupancy"), rs.getLong("holds_placed"), rs.getLong("bookings_confirmed"),
                rs.getLong("holds_expired"), rs.getLong("bookings_cancelled"), rs.getLong("bookings_completed"),
                rs.getBigDecimal("conversion"), rs.getLong("gross_cents"), rs.getLong("refunds_cents"),
                rs.getLong("tax_cents"), rs.getLong("platform_fee_cents"), rs.getLong("host_net_cents"));
            found.put(day.localDate(), day);
          }
        }
      }
    }
    return found;
  }

  /**
   * After a change of time zone, hours, blackouts or currency: re-dates the kitchen's bookings and
   * computes all its days again from them.
   */
  private void restate(String kitchenId) throws SQLException {
    KitchenCalendar calendar = calendar(kitchenId);
    execute("DELETE FROM kitchen_daily_stats WHERE kitchen_id = ?", kitchenId);
    SortedMap<LocalDate, DailyStats.Figures> days = new TreeMap<>();
    List<Object[]> redated = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + String.join(", ", BookingRow.COLUMNS) + " FROM bookings WHERE kitchen_id = ?")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BookingRow row = BookingRow.read(rs);
          LocalDate date = calendar.dateOf(row.slot.start());
          if (!date.equals(row.localDate)) {
            redated.add(new Object[] {date, row.bookingId});
            row.localDate = date;
          }
          DailyStats.Figures.add(row, calendar, +1, days);
        }
      }
    }
    for (Object[] change : redated) execute("UPDATE bookings SET local_date = ? WHERE booking_id = ?", change);
    if (days.isEmpty()) return;
    List<DailyStats> inserts = new ArrayList<>();
    for (LocalDate d = days.firstKey(); !d.isAfter(days.lastKey()); d = d.plusDays(1))
      inserts.add(DailyStats.of(calendar, d, null, days.get(d)));
    writeDays(List.of(), inserts);
  }

  /** The table's columns, in the order of {@link #dayValues}. */
  private static final List<String> DAY_COLUMNS = List.of("kitchen_id", "local_date", "host_id", "currency",
      "open_minutes", "booked_minutes", "occupancy", "holds_placed", "bookings_confirmed", "holds_expired",
      "bookings_cancelled", "bookings_completed", "conversion", "gross_cents", "refunds_cents", "tax_cents",
      "platform_fee_cents", "host_net_cents");

  private static Object[] dayValues(DailyStats s) {
    return new Object[] {s.kitchenId(), s.localDate(), s.hostId(), s.currency(), s.openMinutes(), s.bookedMinutes(),
        s.occupancy(), s.holdsPlaced(), s.bookingsConfirmed(), s.holdsExpired(), s.bookingsCancelled(),
        s.bookingsCompleted(), s.conversion(), s.grossCents(), s.refundsCents(), s.taxCents(), s.platformFeeCents(),
        s.hostNetCents()};
  }

  private void writeDays(List<DailyStats> updates, List<DailyStats> inserts) throws SQLException {
    if (!updates.isEmpty()) {
      List<String> assignments = DAY_COLUMNS.subList(2, DAY_COLUMNS.size()).stream().map(col -> col + " = ?").toList();
      try (PreparedStatement ps = c.prepareStatement("UPDATE kitchen_daily_stats SET " + String.join(", ", assignments)
          + " WHERE kitchen_id = ? AND local_date = ?")) {
        for (DailyStats day : updates) {
          Object[] all = dayValues(day);
          Object[] shifted = new Object[all.length];
          System.arraycopy(all, 2, shifted, 0, all.length - 2);
          shifted[all.length - 2] = all[0];
          shifted[all.length - 1] = all[1];
          Sql.bind(ps, shifted);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!inserts.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO kitchen_daily_stats (" + String.join(", ", DAY_COLUMNS)
          + ") VALUES (" + String.join(", ", Collections.nCopies(DAY_COLUMNS.size(), "?")) + ")")) {
        for (DailyStats day : inserts) {
          Sql.bind(ps, dayValues(day));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
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
