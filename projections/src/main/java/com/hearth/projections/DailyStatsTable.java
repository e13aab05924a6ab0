package com.hearth.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code kitchen_daily_stats} rows of one projection transaction: a group's deltas applied to
 * the days they touch, of all its kitchens together, read and written by key in batches, and a
 * kitchen's days restated from its bookings after a change of calendar. Only days a booking touches
 * have a row; empty days are derived at query time. See {@link DailyStats} for what a day's figures
 * are.
 */
final class DailyStatsTable {

  /** Most keys bound in one {@code IN (...)} list. */
  private static final int KEYS_PER_QUERY = 100;

  private final Connection c;
  private final SqlDialect dialect;

  DailyStatsTable(Connection connection, SqlDialect dialect) {
    this.c = connection;
    this.dialect = dialect;
  }

  /**
   * Adds each kitchen's deltas to its days, creating the days not there yet. A day has a row once a
   * booking of any status touches it; the days between that no booking touches have none, and
   * whoever needs them (docs/analytics.md, query (a2)) derives them at query time, so a booking on
   * a far day costs one row, not one per day in between. All the group's kitchens together: one
   * read of the days touched per hundred, one batch of updates, one of inserts.
   */
  void apply(Map<KitchenCalendar, SortedMap<LocalDate, DailyStats.Figures>> byKitchen)
      throws SQLException {
    Map<String, DailyStats> existing = existingDays(byKitchen);
    List<DailyStats> updates = new ArrayList<>();
    List<DailyStats> inserts = new ArrayList<>();
    for (Map.Entry<KitchenCalendar, SortedMap<LocalDate, DailyStats.Figures>> kitchen :
        byKitchen.entrySet()) {
      KitchenCalendar calendar = kitchen.getKey();
      for (Map.Entry<LocalDate, DailyStats.Figures> day : kitchen.getValue().entrySet()) {
        DailyStats now = existing.get(key(calendar.kitchenId(), day.getKey()));
        if (now != null) updates.add(DailyStats.of(calendar, day.getKey(), now, day.getValue()));
        else inserts.add(DailyStats.of(calendar, day.getKey(), null, day.getValue()));
      }
    }
    writeDays(updates, inserts);
  }

  private static String key(String kitchenId, LocalDate date) {
    return kitchenId + "|" + date;
  }

  /**
   * The rows of the days the deltas touch, by {@link #key}: up to a hundred (kitchen, day) keys a
   * statement (see {@link #existingDaysStatement}).
   */
  private Map<String, DailyStats> existingDays(
      Map<KitchenCalendar, SortedMap<LocalDate, DailyStats.Figures>> byKitchen)
      throws SQLException {
    List<Object[]> keys = new ArrayList<>();
    for (var kitchen : byKitchen.entrySet())
      for (LocalDate date : kitchen.getValue().keySet())
        keys.add(new Object[] {kitchen.getKey().kitchenId(), date});
    Map<String, DailyStats> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
      List<Object[]> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps =
          c.prepareStatement(existingDaysStatement(dialect, chunk.size()))) {
        List<Object> values = new ArrayList<>();
        for (Object[] key : chunk) values.addAll(List.of(key));
        Sql.bind(ps, values.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            DailyStats day =
                new DailyStats(
                    rs.getString("kitchen_id"),
                    Sql.date(rs, "local_date"),
                    rs.getString("host_id"),
                    rs.getString("currency"),
                    rs.getLong("open_minutes"),
                    rs.getLong("booked_minutes"),
                    rs.getBigDecimal("occupancy"),
                    rs.getLong("holds_placed"),
                    rs.getLong("bookings_confirmed"),
                    rs.getLong("holds_expired"),
                    rs.getLong("bookings_cancelled"),
                    rs.getLong("bookings_completed"),
                    rs.getBigDecimal("conversion"),
                    rs.getLong("gross_cents"),
                    rs.getLong("refunds_cents"),
                    rs.getLong("tax_cents"),
                    rs.getLong("platform_fee_cents"),
                    rs.getLong("host_net_cents"));
            found.put(key(day.kitchenId(), day.localDate()), day);
          }
        }
      }
    }
    return found;
  }

  /**
   * The lookup of {@code keys} (kitchen, day) rows, each key bound as its kitchen id then its day.
   * On PostgreSQL one index lookup per key, by both columns: a key list joined laterally to a
   * fenced subquery ({@code OFFSET 0}), which the planner can neither merge into a hash join over
   * the whole table nor factor. Written as {@code (kitchen_id, local_date) IN ((?, ?), ...)},
   * PostgreSQL factored out a day all the keys shared and, with statistics taken before that day
   * had many kitchens, read every kitchen's row of the day through the date index to keep the
   * hundred asked for: about 3,100 rows a lookup in a 10,000-kitchen benchmark, where many kitchens
   * book the same days (DailyStatsLookupPlanTest). H2, which has no lateral join, keeps that form.
   */
  static String existingDaysStatement(SqlDialect dialect, int keys) {
    String columns = String.join(", ", DAY_COLUMNS);
    if (dialect == SqlDialect.H2)
      return "SELECT "
          + columns
          + " FROM kitchen_daily_stats WHERE (kitchen_id, local_date) IN ("
          + String.join(", ", Collections.nCopies(keys, "(?, ?)"))
          + ")";
    return "SELECT d.* FROM (VALUES (CAST(? AS VARCHAR(36)), CAST(? AS DATE))"
        + ", (?, ?)".repeat(keys - 1)
        + ") AS k (kitchen_id, local_date) CROSS JOIN LATERAL (SELECT "
        + columns
        + " FROM kitchen_daily_stats s WHERE s.kitchen_id = k.kitchen_id"
        + " AND s.local_date = k.local_date OFFSET 0) d";
  }

  /**
   * After a change of time zone, hours, blackouts or currency: re-dates the kitchen's bookings and
   * computes all its days again from them.
   */
  void restate(KitchenCalendar calendar) throws SQLException {
    String kitchenId = calendar.kitchenId();
    execute("DELETE FROM kitchen_daily_stats WHERE kitchen_id = ?", kitchenId);
    SortedMap<LocalDate, DailyStats.Figures> days = new TreeMap<>();
    List<Object[]> redated = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + String.join(", ", BookingRow.COLUMNS)
                + " FROM bookings WHERE kitchen_id = ?")) {
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
    for (Object[] change : redated)
      execute("UPDATE bookings SET local_date = ? WHERE booking_id = ?", change);
    if (days.isEmpty()) return;
    List<DailyStats> inserts = new ArrayList<>();
    for (Map.Entry<LocalDate, DailyStats.Figures> day : days.entrySet())
      inserts.add(DailyStats.of(calendar, day.getKey(), null, day.getValue()));
    writeDays(List.of(), inserts);
  }

  /** The table's columns, in the order of {@link #dayValues}. */
  private static final List<String> DAY_COLUMNS =
      List.of(
          "kitchen_id",
          "local_date",
          "host_id",
          "currency",
          "open_minutes",
          "booked_minutes",
          "occupancy",
          "holds_placed",
          "bookings_confirmed",
          "holds_expired",
          "bookings_cancelled",
          "bookings_completed",
          "conversion",
          "gross_cents",
          "refunds_cents",
          "tax_cents",
          "platform_fee_cents",
          "host_net_cents");

  private static Object[] dayValues(DailyStats s) {
    return new Object[] {
      s.kitchenId(),
      s.localDate(),
      s.hostId(),
      s.currency(),
      s.openMinutes(),
      s.bookedMinutes(),
      s.occupancy(),
      s.holdsPlaced(),
      s.bookingsConfirmed(),
      s.holdsExpired(),
      s.bookingsCancelled(),
      s.bookingsCompleted(),
      s.conversion(),
      s.grossCents(),
      s.refundsCents(),
      s.taxCents(),
      s.platformFeeCents(),
      s.hostNetCents()
    };
  }

  private void writeDays(List<DailyStats> updates, List<DailyStats> inserts) throws SQLException {
    if (!updates.isEmpty()) {
      List<String> assignments =
          DAY_COLUMNS.subList(2, DAY_COLUMNS.size()).stream().map(col -> col + " = ?").toList();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE kitchen_daily_stats SET "
                  + String.join(", ", assignments)
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
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO kitchen_daily_stats ("
                  + String.join(", ", DAY_COLUMNS)
                  + ") VALUES ("
                  + String.join(", ", Collections.nCopies(DAY_COLUMNS.size(), "?"))
                  + ")")) {
        for (DailyStats day : inserts) {
          Sql.bind(ps, dayValues(day));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private void execute(String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, values);
      ps.executeUpdate();
    }
  }
}
