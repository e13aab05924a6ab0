package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.ComplianceStanding;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Applies one group of journal events to the read tables inside the projection's transaction, at a
 * cost per event that does not depend on how many events or bookings came before:
 *
 * <ul>
 *   <li>the bookings the group's events name are read once, by key, in one query per hundred; the
 *       events are applied to them in memory, and each changed row is written once, in batches
 *       (updates before inserts, so the no-overlap tripwire only ever sees final states);
 *   <li>the audit rows are inserted in one batch;
 *   <li>each day's figures change by the difference between what the group's bookings contributed
 *       before and after (see {@link DailyStats}): the days touched are read by key and written in
 *       batches. Only days a booking touches have a row: the empty days between them are derived at
 *       query time (docs/analytics.md), never written, so no event loops over days.
 * </ul>
 *
 * <p>A change of a kitchen's time zone, hours, blackouts or currency restates its days from all of
 * its bookings: a host's rare edit, not booking traffic.
 *
 * <p>Everything written is a function of the events alone (no clock, no randomness), which is what
 * lets a rebuild from the journal reproduce the tables exactly.
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
  private final DailyStatsTable days;

  ReadModelWriter(Connection connection, SqlDialect dialect) {
    this.c = connection;
    this.dialect = dialect;
    this.days = new DailyStatsTable(connection, dialect);
  }

  void apply(List<EventEnvelope<KitchenEntity.Event>> group) throws SQLException {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = notYetApplied(group);
    TreeMap<String, PriceBreakdown> held = new TreeMap<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes)
      if (envelope.event() instanceof SlotHeld e) held.put(e.bookingId(), e.price());
    RefundShares.lock(c, dialect, held.navigableKeySet());
    preloadCalendars(envelopes);
    loadBookings(envelopes, held.keySet());
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes) apply(envelope);
    writeBookings();
    insertAuditRows();
    RefundShares.complete(c, held);
    writeDays();
  }

  /**
   * The events whose audit rows are not there yet. Every event leaves one, with its journal offset,
   * in the same transaction as its other effects; an event delivered again (to a new projection,
   * say) finds its row in one range read over the group's offsets and is skipped, so that the
   * deltas count it once.
   */
  private List<EventEnvelope<KitchenEntity.Event>> notYetApplied(
      List<EventEnvelope<KitchenEntity.Event>> group) throws SQLException {
    if (group.isEmpty()) return group;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (EventEnvelope<KitchenEntity.Event> envelope : group) {
      long offset = ((Sequence) envelope.offset()).value();
      first = Math.min(first, offset);
      last = Math.max(last, offset);
    }
    Set<String> applied = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT kitchen_id, seq_nr FROM booking_events WHERE journal_offset >= ? AND journal_offset <= ?")) {
      Sql.bind(ps, first, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) applied.add(rs.getString(1) + "#" + rs.getLong(2));
      }
    }
    if (applied.isEmpty()) return group;
    return group.stream()
        .filter(e -> !applied.contains(e.event().kitchenId() + "#" + e.sequenceNr()))
        .toList();
  }

  private void apply(EventEnvelope<KitchenEntity.Event> envelope) throws SQLException {
    KitchenEntity.Event event = envelope.event();
    if (event instanceof KitchenCreated e) {
      insertKitchen(e);
    } else if (event instanceof KitchenUpdated e) {
      updateKitchen(e);
    } else if (event instanceof KitchenPublished e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.PUBLISHED, e.at());
      setCompliance(e.kitchenId(), e.compliance());
    } else if (event instanceof KitchenPaused e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.PAUSED, e.at());
    } else if (event instanceof KitchenEntity.KitchenSuspended e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.SUSPENDED, e.at());
      execute(
          "UPDATE kitchens SET lapsed_at = ?, suspension_reason = ? WHERE kitchen_id = ?",
          e.lapsedAt(),
          e.reason(),
          e.kitchenId());
    } else if (event instanceof KitchenEntity.KitchenReinstated e) {
      setKitchenStatus(e.kitchenId(), KitchenStatus.PUBLISHED, e.at());
      setCompliance(e.kitchenId(), e.compliance());
    } else if (event instanceof KitchenEntity.ComplianceUpdated e) {
      // The summary is computed on request; the standing says until when the kitchen is covered.
      setCompliance(e.kitchenId(), e.compliance());
    } else if (event instanceof SlotHeld e) {
      KitchenCalendar calendar = calendar(e.kitchenId());
      rows.putIfAbsent(
          e.bookingId(),
          new BookingRow(
              e.bookingId(),
              e.kitchenId(),
              e.hostId(),
              e.renterId(),
              e.slot(),
              calendar.dateOf(e.slot().start()),
              BookingStatus.HELD,
              e.price(),
              e.at(),
              e.holdExpiresAt()));
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
      throw new IllegalStateException(
          "no read model knows the event " + event.getClass().getName());
    }
    auditRows.add(auditRow(envelope));
  }

  // ---------------------------------------------------------------- kitchens

  private void insertKitchen(KitchenCreated e) throws SQLException {
    KitchenSettings s = e.settings();
    execute(
        dialect.insertIgnoring(
            "kitchens",
            "kitchen_id",
            "kitchen_id, host_id, host_name, host_email, status, created_at, "
                + SETTINGS_COLUMNS
                + ", updated_at",
            "?, ?, ?, ?, ?, ?, " + String.join(", ", settingsPlaceholders()) + ", ?"),
        concat(
            concat(
                new Object[] {
                  e.kitchenId(),
                  e.hostId(),
                  e.hostName(),
                  e.hostEmail(),
                  KitchenStatus.DRAFT,
                  e.at()
                },
                settingsValues(s)),
            e.at()));
    calendars.remove(e.kitchenId());
  }

  private void updateKitchen(KitchenUpdated e) throws SQLException {
    KitchenCalendar before = calendar(e.kitchenId());
    List<String> assignments = new ArrayList<>();
    List<String> placeholders = settingsPlaceholders();
    for (int i = 0; i < SETTINGS.size(); i++)
      assignments.add(SETTINGS.get(i) + " = " + placeholders.get(i));
    String sql =
        "UPDATE kitchens SET "
            + String.join(", ", assignments)
            + ", updated_at = ? WHERE kitchen_id = ?";
    requireOne(
        execute(sql, concat(settingsValues(e.settings()), e.at(), e.kitchenId())),
        "kitchen",
        e.kitchenId());
    calendars.remove(e.kitchenId());
    KitchenCalendar after = calendar(e.kitchenId());
    if (!before.zone().equals(after.zone())
        || !before.hours().equals(after.hours())
        || !before.blackouts().equals(after.blackouts())
        || !before.currency().equals(after.currency())) recalendared.add(e.kitchenId());
  }

  /**
   * The standing the kitchen was told (null: published before compliance existed, no rules); a
   * suspension's start and reason are cleared once the kitchen is published again.
   */
  private void setCompliance(String kitchenId, ComplianceStanding standing) throws SQLException {
    ComplianceStanding s = standing == null ? ComplianceStanding.NOT_REQUIRED : standing;
    execute(
        "UPDATE kitchens SET compliance_required = ?, compliance_valid_until = ?,"
            + " lapsed_at = CASE WHEN status = 'SUSPENDED' THEN lapsed_at END,"
            + " suspension_reason = CASE WHEN status = 'SUSPENDED' THEN suspension_reason END"
            + " WHERE kitchen_id = ?",
        s.required(),
        s.validUntil(),
        kitchenId);
  }

  private void setKitchenStatus(String kitchenId, KitchenStatus status, Instant at)
      throws SQLException {
    requireOne(
        execute(
            "UPDATE kitchens SET status = ?, updated_at = ? WHERE kitchen_id = ?",
            status,
            at,
            kitchenId),
        "kitchen",
        kitchenId);
  }

  /** The kitchens columns a host's settings fill, in the order of {@link #settingsValues}. */
  private static final List<String> SETTINGS =
      List.of(
          "name",
          "address",
          "city",
          "time_zone",
          "currency",
          "hourly_rate_cents",
          "tax_bps",
          "slot_minutes",
          "min_duration_minutes",
          "max_duration_minutes",
          "min_notice_minutes",
          "horizon_days",
          "buffer_minutes",
          "opening_hours",
          "blackouts");

  private static final String SETTINGS_COLUMNS = String.join(", ", SETTINGS);

  private List<String> settingsPlaceholders() {
    return SETTINGS.stream()
        .map(
            column ->
                column.equals("opening_hours") || column.equals("blackouts") ? dialect.json() : "?")
        .toList();
  }

  private static Object[] settingsValues(KitchenSettings s) {
    return new Object[] {
      s.name(),
      s.address(),
      s.city(),
      s.timeZone(),
      s.currency(),
      s.hourlyRateCents(),
      s.taxBps(),
      s.rules().slotMinutes(),
      s.rules().minDurationMinutes(),
      s.rules().maxDurationMinutes(),
      s.rules().minNoticeMinutes(),
      s.rules().horizonDays(),
      s.rules().bufferMinutes(),
      ReadModelJson.write(s.openingHours()),
      ReadModelJson.write(s.blackouts())
    };
  }

  /** The kitchen's days as its row now describes them, read once per group. */
  private static final String CALENDAR_COLUMNS =
      "k.kitchen_id, k.host_id, k.currency, k.time_zone, k.opening_hours," + " k.blackouts";

  private KitchenCalendar calendar(String kitchenId) throws SQLException {
    KitchenCalendar cached = calendars.get(kitchenId);
    if (cached != null) return cached;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + CALENDAR_COLUMNS + " FROM kitchens k WHERE k.kitchen_id = ?")) {
      Sql.bind(ps, kitchenId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next())
          throw new IllegalStateException(
              "no kitchen row for " + kitchenId + " although its events exist");
        KitchenCalendar calendar = calendar(rs);
        calendars.put(kitchenId, calendar);
        return calendar;
      }
    }
  }

  private static KitchenCalendar calendar(ResultSet rs) throws SQLException {
    return new KitchenCalendar(
        rs.getString("kitchen_id"),
        rs.getString("host_id"),
        rs.getString("currency"),
        java.time.ZoneId.of(rs.getString("time_zone")),
        ReadModelJson.read(rs.getString("opening_hours"), OpeningHours.class),
        Arrays.asList(ReadModelJson.read(rs.getString("blackouts"), Interval[].class)));
  }

  /**
   * Reads the calendars of the kitchens whose bookings the group changes, a hundred kitchens a
   * query, instead of one query per kitchen as each is met. Kitchens created in the group have no
   * row yet; they are read when first needed.
   */
  private void preloadCalendars(List<EventEnvelope<KitchenEntity.Event>> envelopes)
      throws SQLException {
    Set<String> kitchenIds = new LinkedHashSet<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes)
      if (!(envelope.event() instanceof KitchenCreated))
        kitchenIds.add(envelope.event().kitchenId());
    List<String> all = new ArrayList<>(kitchenIds);
    for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + CALENDAR_COLUMNS
                  + " FROM kitchens k WHERE k.kitchen_id IN ("
                  + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                  + ")")) {
        Sql.bind(ps, chunk.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            KitchenCalendar calendar = calendar(rs);
            calendars.put(calendar.kitchenId(), calendar);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- bookings

  private BookingRow row(String bookingId) {
    BookingRow row = rows.get(bookingId);
    if (row == null)
      throw new IllegalStateException(
          "no booking row for " + bookingId + " although its events exist");
    return row;
  }

  /** Reads the rows of the bookings the group changes but did not hold, by key. */
  private void loadBookings(
      List<EventEnvelope<KitchenEntity.Event>> envelopes, Set<String> heldHere)
      throws SQLException {
    Set<String> wanted = new LinkedHashSet<>();
    for (EventEnvelope<KitchenEntity.Event> envelope : envelopes) {
      String bookingId = bookingIdOf(envelope.event());
      if (bookingId != null && !heldHere.contains(bookingId)) wanted.add(bookingId);
    }
    List<String> ids = new ArrayList<>(wanted);
    for (int from = 0; from < ids.size(); from += KEYS_PER_QUERY) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + String.join(", ", BookingRow.COLUMNS)
                  + " FROM bookings WHERE booking_id IN ("
                  + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                  + ")")) {
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
    List<String> assignments =
        BookingRow.COLUMNS.subList(1, BookingRow.COLUMNS.size()).stream()
            .map(column -> column + " = ?")
            .toList();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bookings SET " + String.join(", ", assignments) + " WHERE booking_id = ?")) {
      int batched = 0;
      for (BookingRow old : before.values()) {
        rows.get(old.bookingId).bindUpdate(ps);
        ps.addBatch();
        batched++;
      }
      if (batched > 0) ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            dialect.insertIgnoring(
                "bookings",
                "booking_id",
                String.join(", ", BookingRow.COLUMNS),
                String.join(", ", Collections.nCopies(BookingRow.COLUMNS.size(), "?"))))) {
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
    return new Object[] {
      event.kitchenId(),
      envelope.sequenceNr(),
      ((Sequence) envelope.offset()).value(),
      event.getClass().getSimpleName(),
      bookingIdOf(event),
      who.id(),
      who.role(),
      event.at(),
      ReadModelJson.write(event)
    };
  }

  private void insertAuditRows() throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            dialect.insertIgnoring(
                "booking_events",
                "kitchen_id, seq_nr",
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

  /**
   * Who caused an event: the acting principal and the role it acted in; the platform for timers.
   */
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

  /**
   * Applies the difference the group made to each kitchen's days; restates the days of
   * re-calendared kitchens.
   */
  private void writeDays() throws SQLException {
    Map<String, SortedMap<LocalDate, DailyStats.Figures>> deltas = new TreeMap<>();
    for (BookingRow row : rows.values()) {
      if (recalendared.contains(row.kitchenId)) continue;
      KitchenCalendar calendar = calendar(row.kitchenId);
      SortedMap<LocalDate, DailyStats.Figures> days =
          deltas.computeIfAbsent(row.kitchenId, k -> new TreeMap<>());
      BookingRow old = before.get(row.bookingId);
      if (old != null) DailyStats.Figures.add(old, calendar, -1, days);
      DailyStats.Figures.add(row, calendar, +1, days);
    }
    Map<KitchenCalendar, SortedMap<LocalDate, DailyStats.Figures>> byKitchen =
        new LinkedHashMap<>();
    for (Map.Entry<String, SortedMap<LocalDate, DailyStats.Figures>> kitchen : deltas.entrySet())
      byKitchen.put(calendar(kitchen.getKey()), kitchen.getValue());
    days.apply(byKitchen);
    for (String kitchenId : recalendared) days.restate(calendar(kitchenId));
  }

  // ---------------------------------------------------------------- plumbing

  private int execute(String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, values);
      return ps.executeUpdate();
    }
  }

  private static void requireOne(int rows, String what, String id) {
    if (rows != 1)
      throw new IllegalStateException(
          "no " + what + " row for " + id + " although its events exist");
  }

  private static Object[] concat(Object[] head, Object... tail) {
    Object[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
