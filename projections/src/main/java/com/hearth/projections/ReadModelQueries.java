package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.BookingRules;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenSettings;
import com.hearth.engine.kitchen.KitchenStatus;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.kitchen.PriceBreakdown;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.pekko.projection.ProjectionId;

/**
 * The list endpoints' reads, from the read tables alone: keyset pagination in a stable order,
 * and how fresh the tables are. Every method blocks; callers run them on a dispatcher for JDBC.
 */
public final class ReadModelQueries {

  public static final int MAX_LIMIT = 200;

  /** Bookings overlapping {@code [from, to)} (either end may be open) in any of {@code statuses} (all when empty). */
  public record BookingFilter(Instant from, Instant to, Set<BookingStatus> statuses) {}

  /** One page and the cursor of the next, null on the last page. */
  public record Page<T>(List<T> items, String nextCursor) {}

  /**
   * How current the read tables are: every event written before {@code consistentAsOf} is in
   * them, the kitchens' and the payments' alike. When nothing is waiting that is the moment of
   * asking; otherwise it is just before the oldest event not yet projected.
   */
  public record Freshness(Instant consistentAsOf, long lagMs, long pendingEvents) {}

  /** A cursor or filter that does not parse; the routes answer 400. */
  public static final class BadCursor extends IllegalArgumentException {
    BadCursor() {
      super("the cursor is not one this endpoint handed out");
    }
  }

  private final DataSource dataSource;

  public ReadModelQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Page<Booking> bookingsOfRenter(String renterId, BookingFilter filter, String cursor, int limit) {
    return bookings("renter_id", renterId, filter, cursor, limit);
  }

  public Page<Booking> bookingsOfKitchen(String kitchenId, BookingFilter filter, String cursor, int limit) {
    return bookings("kitchen_id", kitchenId, filter, cursor, limit);
  }

  private Page<Booking> bookings(String ownerColumn, String owner, BookingFilter filter, String cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM bookings WHERE " + ownerColumn + " = ?");
    List<Object> args = new ArrayList<>(List.of(owner));
    if (filter.to() != null) {
      sql.append(" AND start_at < ?");
      args.add(filter.to());
    }
    if (filter.from() != null) {
      sql.append(" AND end_at > ?");
      args.add(filter.from());
    }
    if (!filter.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(String.join(", ", filter.statuses().stream().map(s -> "?").toList())).append(")");
      filter.statuses().stream().sorted().forEach(args::add);
    }
    return keysetPage(sql, args, new Keyset<>("b", "start_at", "booking_id", b -> b.slot().start(), Booking::bookingId),
        cursor, limit, ReadModelQueries::booking);
  }

  /** Kitchens in {@code statuses}, optionally in one city (any case), oldest first. */
  public Page<KitchenView> kitchens(String city, Set<KitchenStatus> statuses, String cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM kitchens WHERE status IN (")
        .append(String.join(", ", statuses.stream().map(s -> "?").toList())).append(")");
    List<Object> args = new ArrayList<>(statuses.stream().sorted().toList());
    if (city != null) {
      sql.append(" AND LOWER(city) = ?");
      args.add(city.toLowerCase(java.util.Locale.ROOT));
    }
    return keysetPage(sql, args, new Keyset<>("k", "created_at", "kitchen_id", KitchenView::createdAt, KitchenView::kitchenId),
        cursor, limit, ReadModelQueries::kitchen);
  }

  /**
   * A stable order, (instant column, id column), and how to read both from a row; the cursor of
   * a page is the last row's position, tagged with {@code kind} so one list's cursor never
   * passes for another's.
   */
  private record Keyset<T>(String kind, String instantColumn, String idColumn, Function<T, Instant> instant,
      Function<T, String> id) {}

  private <T> Page<T> keysetPage(StringBuilder sql, List<Object> args, Keyset<T> keyset, String cursor, int limit,
      RowReader<T> reader) {
    if (cursor != null) {
      String[] after = decode(cursor, keyset.kind());
      Instant position = parseInstant(after[0]);
      sql.append(" AND (").append(keyset.instantColumn()).append(" > ? OR (").append(keyset.instantColumn())
          .append(" = ? AND ").append(keyset.idColumn()).append(" > ?))");
      args.addAll(List.of(position, position, after[1]));
    }
    sql.append(" ORDER BY ").append(keyset.instantColumn()).append(", ").append(keyset.idColumn()).append(" LIMIT ?");
    args.add(limit + 1);
    List<T> rows = query(sql.toString(), args, reader);
    if (rows.size() <= limit) return new Page<>(rows, null);
    T last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit),
        encode(keyset.kind(), keyset.instant().apply(last).toString(), keyset.id().apply(last)));
  }

  /** Two queries whatever the number of projections: their offsets, then what the journal holds past them. */
  public Freshness freshness(Clock clock) {
    Instant now = clock.instant();
    List<ProjectionId> ids = ReadModels.projectionIds();
    try (Connection c = dataSource.getConnection()) {
      Map<ProjectionId, Long> offsets = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT projection_name, projection_key, current_offset"
          + " FROM pekko_projection_offset_store WHERE projection_name IN (?, ?)")) {
        ps.setString(1, ReadModels.PROJECTION_NAME);
        ps.setString(2, ReadModels.PAYMENT_PROJECTION_NAME);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) offsets.put(ProjectionId.of(rs.getString(1), rs.getString(2)), Long.parseLong(rs.getString(3)));
        }
      }
      // Each projection's key is the tag it reads: what is pending is past its offset in its tag.
      String pendingPerTag = String.join(" OR ", Collections.nCopies(ids.size(), "(t.tag = ? AND j.ordering > ?)"));
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(j.write_timestamp), COUNT(*) FROM event_journal j"
          + " JOIN event_tag t ON t.event_id = j.ordering WHERE " + pendingPerTag)) {
        int i = 0;
        for (ProjectionId id : ids) {
          ps.setString(++i, id.key());
          ps.setLong(++i, offsets.getOrDefault(id, 0L));
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long pending = rs.getLong(2);
          Instant asOf = pending == 0 ? now : Instant.ofEpochMilli(rs.getLong(1)).minusMillis(1);
          if (asOf.isAfter(now)) asOf = now;
          return new Freshness(asOf, Math.max(0, Duration.between(asOf, now).toMillis()), pending);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot tell how fresh the read models are: " + e.getMessage(), e);
    }
  }

  /** The booking whose payment made this intent; empty when the payments table does not know it (yet). */
  public Optional<String> bookingOfIntent(String intentId) {
    List<String> ids = query("SELECT booking_id FROM payments WHERE intent_id = ?", List.of(intentId), rs -> rs.getString(1));
    return ids.stream().findFirst();
  }

  // ---------------------------------------------------------------- rows

  private static Booking booking(ResultSet rs) throws SQLException {
    String role = rs.getString("cancelled_by_role");
    return new Booking(rs.getString("booking_id"), rs.getString("kitchen_id"), rs.getString("host_id"),
        rs.getString("renter_id"), new Interval(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at")),
        BookingStatus.valueOf(rs.getString("status")),
        new PriceBreakdown(rs.getLong("subtotal_cents"), rs.getLong("platform_fee_cents"), rs.getLong("tax_cents"),
            rs.getLong("total_cents"), rs.getLong("host_payout_cents"), rs.getString("currency")),
        Sql.instant(rs, "held_at"), Sql.instant(rs, "hold_expires_at"), Sql.instant(rs, "confirmed_at"),
        Sql.instant(rs, "cancelled_at"), Sql.instant(rs, "expired_at"), Sql.instant(rs, "completed_at"),
        role == null ? null : Role.valueOf(role), rs.getString("cancel_reason"), rs.getLong("refund_cents"));
  }

  private static KitchenView kitchen(ResultSet rs) throws SQLException {
    KitchenSettings settings = new KitchenSettings(rs.getString("name"), rs.getString("address"), rs.getString("city"),
        rs.getString("time_zone"), rs.getString("currency"), rs.getLong("hourly_rate_cents"), rs.getInt("tax_bps"),
        new BookingRules(rs.getInt("slot_minutes"), rs.getInt("min_duration_minutes"), rs.getInt("max_duration_minutes"),
            rs.getInt("min_notice_minutes"), rs.getInt("horizon_days"), rs.getInt("buffer_minutes")),
        ReadModelJson.read(rs.getString("opening_hours"), OpeningHours.class),
        Arrays.asList(ReadModelJson.read(rs.getString("blackouts"), Interval[].class)));
    return new KitchenView(rs.getString("kitchen_id"), rs.getString("host_id"),
        KitchenStatus.valueOf(rs.getString("status")), settings, Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, List<Object> args, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args.toArray());
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(reader.read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("read-model query failed: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- cursors

  private static String encode(String kind, String position, String id) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + "|" + position + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String cursor, String kind) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
      if (parts.length != 3 || !parts[0].equals(kind) || parts[2].isEmpty()) throw new BadCursor();
      return new String[] {parts[1], parts[2]};
    } catch (IllegalArgumentException e) {
      throw new BadCursor();
    }
  }

  private static Instant parseInstant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new BadCursor();
    }
  }
}
