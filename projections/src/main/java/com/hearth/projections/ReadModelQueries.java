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
import com.hearth.engine.quota.HoldQuota;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The list endpoints' reads, from the read tables alone: keyset pagination in a stable order, and
 * how fresh the tables are. Every method blocks; callers run them on a dispatcher for JDBC.
 */
public final class ReadModelQueries {

  public static final int MAX_LIMIT = 200;

  /**
   * Bookings overlapping {@code [from, to)} (either end may be open) in any of {@code statuses}
   * (all when empty).
   */
  public record BookingFilter(Instant from, Instant to, Set<BookingStatus> statuses) {}

  /** One page and the cursor of the next, null on the last page. */
  public record Page<T>(List<T> items, String nextCursor) {}

  /**
   * How current the read tables are: every event written before {@code consistentAsOf} is in them,
   * the kitchens' and the payments' alike. When nothing is waiting that is the moment of asking;
   * otherwise it is just before the oldest event not yet projected.
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
    this.freshnessLook = new FreshnessLook(dataSource);
  }

  public Page<Booking> bookingsOfRenter(
      String renterId, BookingFilter filter, String cursor, int limit) {
    return bookings("renter_id", renterId, filter, cursor, limit);
  }

  public Page<Booking> bookingsOfKitchen(
      String kitchenId, BookingFilter filter, String cursor, int limit) {
    return bookings("kitchen_id", kitchenId, filter, cursor, limit);
  }

  private Page<Booking> bookings(
      String ownerColumn, String owner, BookingFilter filter, String cursor, int limit) {
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
      sql.append(" AND status IN (")
          .append(String.join(", ", filter.statuses().stream().map(s -> "?").toList()))
          .append(")");
      filter.statuses().stream().sorted().forEach(args::add);
    }
    return keysetPage(
        sql,
        args,
        new Keyset<>("b", "start_at", "booking_id", b -> b.slot().start(), Booking::bookingId),
        cursor,
        limit,
        ReadModelQueries::booking);
  }

  /**
   * Where a kitchen's compliance stands against a confirmed booking: {@code LAPSED}, the kitchen is
   * suspended and the booking ends after the lapse began; {@code AHEAD}, the kitchen is still
   * listed but a required document's validity ends before the booking does.
   */
  public enum LapseState {
    LAPSED,
    AHEAD
  }

  /** A confirmed booking inside a kitchen's compliance lapse, past or coming. */
  public record LapseBooking(
      Booking booking,
      String kitchenName,
      KitchenStatus kitchenStatus,
      LapseState lapse,
      Instant lapseFrom,
      String reason) {}

  /**
   * The confirmed bookings inside a compliance lapse, of one kitchen or (null) of every kitchen, in
   * any of {@code states} (both when empty), by start then booking id.
   */
  public Page<LapseBooking> lapseBookings(
      String kitchenId, Set<LapseState> states, String cursor, int limit) {
    boolean lapsed = states.isEmpty() || states.contains(LapseState.LAPSED);
    boolean ahead = states.isEmpty() || states.contains(LapseState.AHEAD);
    List<String> when = new ArrayList<>();
    if (lapsed)
      when.add("(k.status = 'SUSPENDED' AND k.lapsed_at IS NOT NULL AND b.end_at > k.lapsed_at)");
    if (ahead)
      when.add(
          "(k.status IN ('PUBLISHED', 'PAUSED') AND k.compliance_required"
              + " AND k.compliance_valid_until IS NOT NULL AND b.end_at > k.compliance_valid_until)");
    StringBuilder sql =
        new StringBuilder(
            "SELECT b.*, k.name AS lapse_kitchen_name, k.status AS lapse_kitchen_status,"
                + " k.lapsed_at AS lapse_lapsed_at, k.compliance_valid_until AS lapse_valid_until,"
                + " k.suspension_reason AS lapse_reason"
                + " FROM bookings b JOIN kitchens k ON k.kitchen_id = b.kitchen_id"
                + " WHERE b.status = ? AND ("
                + String.join(" OR ", when)
                + ")");
    List<Object> args = new ArrayList<>(List.of(BookingStatus.CONFIRMED));
    if (kitchenId != null) {
      sql.append(" AND b.kitchen_id = ?");
      args.add(kitchenId);
    }
    return keysetPage(
        sql,
        args,
        new Keyset<>(
            "l",
            "start_at",
            "booking_id",
            (LapseBooking l) -> l.booking().slot().start(),
            l -> l.booking().bookingId()),
        cursor,
        limit,
        rs -> {
          KitchenStatus status = KitchenStatus.valueOf(rs.getString("lapse_kitchen_status"));
          boolean suspended = status == KitchenStatus.SUSPENDED;
          return new LapseBooking(
              booking(rs),
              rs.getString("lapse_kitchen_name"),
              status,
              suspended ? LapseState.LAPSED : LapseState.AHEAD,
              Sql.instant(rs, suspended ? "lapse_lapsed_at" : "lapse_valid_until"),
              suspended
                  ? rs.getString("lapse_reason")
                  : "a required compliance document's validity ends before the booking does");
        });
  }

  /** What a host should know of its kitchens' compliance, and when. */
  public enum NoticeKind {
    /** The kitchen is suspended since {@code at}: it takes no new holds. */
    KITCHEN_SUSPENDED,
    /** The kitchen will be suspended at {@code at} unless a required document is renewed. */
    LAPSE_AHEAD,
    /** A document, the newest of its type on file, expires on (or expired on) {@code date}. */
    DOCUMENT_EXPIRING
  }

  public record Notice(
      NoticeKind kind,
      String kitchenId,
      String kitchenName,
      KitchenStatus kitchenStatus,
      Instant at,
      String documentId,
      String documentType,
      java.time.LocalDate expiryDate,
      String detail,
      long confirmedBookingsAffected) {}

  /**
   * A host's compliance notices from the read tables: its suspended kitchens, the lapses due before
   * {@code horizon}, and its documents expiring on or before {@code lastDay} that no later document
   * of their kitchen and type replaces, soonest first.
   */
  public List<Notice> hostNotices(
      String hostId, Instant horizon, java.time.LocalDate lastDay, int limit) {
    List<Notice> notices = new ArrayList<>();
    notices.addAll(
        query(
            "SELECT k.kitchen_id, k.name, k.status, k.lapsed_at, k.compliance_valid_until,"
                + " k.suspension_reason, (SELECT COUNT(*) FROM bookings b WHERE b.kitchen_id = k.kitchen_id"
                + " AND b.status = 'CONFIRMED' AND b.end_at > COALESCE(CASE WHEN k.status = 'SUSPENDED'"
                + " THEN k.lapsed_at END, k.compliance_valid_until)) AS affected"
                + " FROM kitchens k WHERE k.host_id = ? AND ((k.status = 'SUSPENDED' AND k.lapsed_at IS NOT NULL)"
                + " OR (k.status IN ('PUBLISHED', 'PAUSED') AND k.compliance_required"
                + " AND k.compliance_valid_until IS NOT NULL AND k.compliance_valid_until <= ?))",
            List.of(hostId, horizon),
            rs -> {
              KitchenStatus status = KitchenStatus.valueOf(rs.getString("status"));
              boolean suspended = status == KitchenStatus.SUSPENDED;
              Instant at = Sql.instant(rs, suspended ? "lapsed_at" : "compliance_valid_until");
              return new Notice(
                  suspended ? NoticeKind.KITCHEN_SUSPENDED : NoticeKind.LAPSE_AHEAD,
                  rs.getString("kitchen_id"),
                  rs.getString("name"),
                  status,
                  at,
                  null,
                  null,
                  null,
                  suspended
                      ? rs.getString("suspension_reason")
                      : "suspended at " + at + " unless a required document is renewed before",
                  rs.getLong("affected"));
            }));
    notices.addAll(
        query(
            "SELECT d.document_id, d.document_type, d.expiry_date, k.kitchen_id, k.name, k.status"
                + " FROM kitchen_documents d JOIN kitchens k ON k.kitchen_id = d.kitchen_id"
                + " WHERE d.host_id = ? AND d.status IN ('READ', 'APPROVED') AND d.expiry_date IS NOT NULL"
                + " AND d.expiry_date <= ? AND NOT EXISTS (SELECT 1 FROM kitchen_documents o"
                + " WHERE o.kitchen_id = d.kitchen_id AND o.document_type = d.document_type"
                + " AND o.status IN ('READ', 'APPROVED', 'PENDING') AND (o.expiry_date > d.expiry_date"
                + " OR o.status = 'PENDING'))",
            List.of(hostId, lastDay),
            rs -> {
              java.time.LocalDate expiry = Sql.date(rs, "expiry_date");
              return new Notice(
                  NoticeKind.DOCUMENT_EXPIRING,
                  rs.getString("kitchen_id"),
                  rs.getString("name"),
                  KitchenStatus.valueOf(rs.getString("status")),
                  null,
                  rs.getString("document_id"),
                  rs.getString("document_type"),
                  expiry,
                  "the " + rs.getString("document_type") + " on file expires on " + expiry,
                  0);
            }));
    notices.sort(
        java.util.Comparator.comparing(
                (Notice n) ->
                    n.at() != null
                        ? n.at()
                        : n.expiryDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
            .thenComparing(Notice::kitchenId)
            .thenComparing(n -> n.documentId() == null ? "" : n.documentId()));
    return notices.size() > limit ? List.copyOf(notices.subList(0, limit)) : notices;
  }

  /** Kitchens in {@code statuses}, optionally in one city (any case), oldest first. */
  public Page<KitchenView> kitchens(
      String city, Set<KitchenStatus> statuses, String cursor, int limit) {
    Statement page = kitchenPageStatement(city, statuses, cursor, limit);
    List<KitchenView> rows = queryWithoutSort(page.sql(), page.args(), ReadModelQueries::kitchen);
    return page(rows, KITCHENS_ORDER, limit);
  }

  /** A statement and its arguments, in order. */
  public record Statement(String sql, List<Object> args) {}

  /**
   * What the kitchen list's transaction sets on PostgreSQL before its page (public for the tests of
   * its plan): sorting priced out, so the page is read from an index in list order.
   *
   * <p>Without it, the plan depends on statistics that may not exist: a kitchens table not yet
   * analyzed (a new deployment, or hosts onboarding kitchens in bulk, for up to a minute of
   * autovacuum's nap) is estimated at a handful of published kitchens, and PostgreSQL read them all
   * by bitmap and sorted them for every page (32 ms a page over 10,000 kitchens in the benchmark's
   * journey). The setting is local to the page's transaction.
   */
  public static final String KITCHEN_PAGE_SETTING = "SET LOCAL enable_sort = off";

  private static final Keyset<KitchenView> KITCHENS_ORDER =
      new Keyset<>("k", "created_at", "kitchen_id", KitchenView::createdAt, KitchenView::kitchenId);

  /**
   * The statement that reads one page of {@link #kitchens} (public for the tests of its plan).
   *
   * <p>The statuses are written as literals (enum names, nothing a caller types), so that the
   * planner weighs each status by its statistics and, for published kitchens alone (the public
   * list), finds the partial index of published kitchens in list order: with a parameter, or with
   * the oldest kitchens drafts, PostgreSQL walked the (created_at, kitchen_id) index and threw away
   * every older draft on every page (3,400 rows a page with the oldest third of 10,000 kitchens
   * drafts, KitchenListQueryPlanTest).
   */
  public static Statement kitchenPageStatement(
      String city, Set<KitchenStatus> statuses, String cursor, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT * FROM kitchens WHERE status IN (")
            .append(
                String.join(
                    ", ", statuses.stream().sorted().map(st -> "'" + st.name() + "'").toList()))
            .append(")");
    List<Object> args = new ArrayList<>();
    if (city != null) {
      sql.append(" AND LOWER(city) = ?");
      args.add(city.toLowerCase(java.util.Locale.ROOT));
    }
    return keysetStatement(sql, args, KITCHENS_ORDER, cursor, limit);
  }

  /**
   * The kitchens of one host in {@code statuses} (every status when empty), drafts included, oldest
   * first; the host's index ({@code kitchens_host_idx}) finds them.
   */
  public Page<KitchenView> kitchensOfHost(
      String hostId, Set<KitchenStatus> statuses, String cursor, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM kitchens WHERE host_id = ?");
    List<Object> args = new ArrayList<>(List.of(hostId));
    if (!statuses.isEmpty()) {
      sql.append(" AND status IN (")
          .append(String.join(", ", statuses.stream().map(s -> "?").toList()))
          .append(")");
      args.addAll(statuses.stream().sorted().toList());
    }
    return keysetPage(
        sql,
        args,
        new Keyset<>(
            "h", "created_at", "kitchen_id", KitchenView::createdAt, KitchenView::kitchenId),
        cursor,
        limit,
        ReadModelQueries::kitchen);
  }

  /**
   * A stable order, (instant column, id column), and how to read both from a row; the cursor of a
   * page is the last row's position, tagged with {@code kind} so one list's cursor never passes for
   * another's.
   */
  private record Keyset<T>(
      String kind,
      String instantColumn,
      String idColumn,
      Function<T, Instant> instant,
      Function<T, String> id) {}

  private <T> Page<T> keysetPage(
      StringBuilder sql,
      List<Object> args,
      Keyset<T> keyset,
      String cursor,
      int limit,
      RowReader<T> reader) {
    return keysetPage(keysetStatement(sql, args, keyset, cursor, limit), keyset, limit, reader);
  }

  private <T> Page<T> keysetPage(
      Statement statement, Keyset<T> keyset, int limit, RowReader<T> reader) {
    return page(query(statement.sql(), statement.args(), reader), keyset, limit);
  }

  /** A page of {@code rows} (read with one more than {@code limit}) and the next page's cursor. */
  private static <T> Page<T> page(List<T> rows, Keyset<T> keyset, int limit) {
    if (rows.size() <= limit) return new Page<>(rows, null);
    T last = rows.get(limit - 1);
    return new Page<>(
        rows.subList(0, limit),
        encode(keyset.kind(), keyset.instant().apply(last).toString(), keyset.id().apply(last)));
  }

  /**
   * {@code sql} (its conditions so far) with the cursor's position, the order and the limit. Past
   * the cursor is written {@code t >= ? AND (t > ? OR id > ?)}: the same rows as {@code t > ? OR (t
   * = ? AND id > ?)}, but its first term bounds an index range on either database, so a later page
   * starts where the last one ended instead of reading every row before it.
   */
  private static Statement keysetStatement(
      StringBuilder sql, List<Object> args, Keyset<?> keyset, String cursor, int limit) {
    List<Object> all = new ArrayList<>(args);
    if (cursor != null) {
      String[] after = decode(cursor, keyset.kind());
      Instant position = parseInstant(after[0]);
      sql.append(" AND ")
          .append(keyset.instantColumn())
          .append(" >= ? AND (")
          .append(keyset.instantColumn())
          .append(" > ? OR ")
          .append(keyset.idColumn())
          .append(" > ?)");
      all.addAll(List.of(position, position, after[1]));
    }
    sql.append(" ORDER BY ")
        .append(keyset.instantColumn())
        .append(", ")
        .append(keyset.idColumn())
        .append(" LIMIT ?");
    all.add(limit + 1);
    return new Statement(sql.toString(), List.copyOf(all));
  }

  /**
   * How fresh the read tables are (see {@link FreshnessLook}). Concurrent callers share one look
   * ({@link SharedRound}): many list requests at once cost one look, not one each, and each still
   * gets a look begun after it asked. Only callers with the node's clock (the first one given)
   * share; another clock looks on its own.
   */
  public Freshness freshness(Clock clock) {
    SharedRound<Freshness> shared = sharedFreshness;
    if (shared == null) {
      synchronized (this) {
        if (sharedFreshness == null) {
          freshnessClock = clock;
          sharedFreshness = new SharedRound<>(() -> freshnessLook.look(freshnessClock));
        }
        shared = sharedFreshness;
      }
    }
    return clock == freshnessClock ? shared.get() : freshnessLook.look(clock);
  }

  private final FreshnessLook freshnessLook;

  private volatile SharedRound<Freshness> sharedFreshness;

  private volatile Clock freshnessClock;

  /**
   * The booking whose payment made this intent; empty when the payments table does not know it
   * (yet).
   */
  public Optional<String> bookingOfIntent(String intentId) {
    List<String> ids =
        query(
            "SELECT booking_id FROM payments WHERE intent_id = ?",
            List.of(intentId),
            rs -> rs.getString(1));
    return ids.stream().findFirst();
  }

  /**
   * A renter's holds that are still open at {@code now}, with their minutes and when they lapse:
   * what a renter's quota starts from. An open hold starts at most its hold time before now, so the
   * index on (renter, start) is walked from a day back only.
   */
  public List<HoldQuota.OpenHold> openHoldsOfRenter(String renterId, Instant now) {
    return query(
        "SELECT booking_id, kitchen_id, minutes, hold_expires_at FROM bookings WHERE renter_id = ? AND start_at >= ?"
            + " AND status = 'HELD' AND hold_expires_at > ?",
        List.of(renterId, now.minus(Duration.ofDays(1)), now),
        rs ->
            new HoldQuota.OpenHold(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                Sql.instant(rs, "hold_expires_at")));
  }

  /**
   * One local day's figures summed over every kitchen whose currency is {@code currency}, from
   * {@code kitchen_daily_stats} (docs/analytics.md): a kitchen's day has a row when one of its
   * bookings touches it, so days without a row add nothing, open minutes included.
   */
  public record DailyTotals(
      LocalDate date,
      String currency,
      long openMinutes,
      long bookedMinutes,
      long holdsPlaced,
      long bookingsConfirmed,
      long bookingsCancelled,
      long holdsExpired,
      long bookingsCompleted,
      long grossCents,
      long refundsCents) {}

  /** The platform's daily figures over local days {@code [from, to)}, by day and currency. */
  public List<DailyTotals> dailyTotals(LocalDate from, LocalDate to) {
    return query(
        "SELECT local_date, currency, SUM(open_minutes), SUM(booked_minutes), SUM(holds_placed),"
            + " SUM(bookings_confirmed), SUM(bookings_cancelled), SUM(holds_expired),"
            + " SUM(bookings_completed), SUM(gross_cents), SUM(refunds_cents)"
            + " FROM kitchen_daily_stats WHERE local_date >= ? AND local_date < ?"
            + " GROUP BY local_date, currency ORDER BY local_date, currency",
        List.of(from, to),
        rs ->
            new DailyTotals(
                rs.getObject(1, LocalDate.class),
                rs.getString(2).trim(),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11)));
  }

  /** How many kitchens a host has listed, whatever their status. */
  public long kitchenCountOfHost(String hostId) {
    return query(
            "SELECT COUNT(*) FROM kitchens WHERE host_id = ?", List.of(hostId), rs -> rs.getLong(1))
        .get(0);
  }

  // ---------------------------------------------------------------- rows

  private static Booking booking(ResultSet rs) throws SQLException {
    String role = rs.getString("cancelled_by_role");
    return new Booking(
        rs.getString("booking_id"),
        rs.getString("kitchen_id"),
        rs.getString("host_id"),
        rs.getString("renter_id"),
        new Interval(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at")),
        BookingStatus.valueOf(rs.getString("status")),
        new PriceBreakdown(
            rs.getLong("subtotal_cents"),
            rs.getLong("platform_fee_cents"),
            rs.getLong("tax_cents"),
            rs.getLong("total_cents"),
            rs.getLong("host_payout_cents"),
            rs.getString("currency")),
        Sql.instant(rs, "held_at"),
        Sql.instant(rs, "hold_expires_at"),
        Sql.instant(rs, "confirmed_at"),
        Sql.instant(rs, "cancelled_at"),
        Sql.instant(rs, "expired_at"),
        Sql.instant(rs, "completed_at"),
        role == null ? null : Role.valueOf(role),
        rs.getString("cancel_reason"),
        rs.getLong("refund_cents"));
  }

  private static KitchenView kitchen(ResultSet rs) throws SQLException {
    KitchenSettings settings =
        new KitchenSettings(
            rs.getString("name"),
            rs.getString("address"),
            rs.getString("city"),
            rs.getString("time_zone"),
            rs.getString("currency"),
            rs.getLong("hourly_rate_cents"),
            rs.getInt("tax_bps"),
            new BookingRules(
                rs.getInt("slot_minutes"),
                rs.getInt("min_duration_minutes"),
                rs.getInt("max_duration_minutes"),
                rs.getInt("min_notice_minutes"),
                rs.getInt("horizon_days"),
                rs.getInt("buffer_minutes")),
            ReadModelJson.read(rs.getString("opening_hours"), OpeningHours.class),
            Arrays.asList(ReadModelJson.read(rs.getString("blackouts"), Interval[].class)));
    return new KitchenView(
        rs.getString("kitchen_id"),
        rs.getString("host_id"),
        KitchenStatus.valueOf(rs.getString("status")),
        settings,
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, List<Object> args, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection()) {
      return rows(c, sql, args, reader);
    } catch (SQLException e) {
      throw new IllegalStateException("read-model query failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@link #query}, on PostgreSQL in a transaction of its own with {@link #KITCHEN_PAGE_SETTING}
   * (two more round trips than a bare query, against a sort of every published kitchen).
   */
  private <T> List<T> queryWithoutSort(String sql, List<Object> args, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection()) {
      if (!onPostgres(c)) return rows(c, sql, args, reader);
      c.setAutoCommit(false);
      try {
        try (java.sql.Statement setting = c.createStatement()) {
          setting.execute(KITCHEN_PAGE_SETTING);
        }
        List<T> rows = rows(c, sql, args, reader);
        c.commit();
        return rows;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("read-model query failed: " + e.getMessage(), e);
    }
  }

  /** Whether the read tables are on PostgreSQL: asked of the first connection, then remembered. */
  private boolean onPostgres(Connection c) throws SQLException {
    Boolean known = postgres;
    if (known == null) postgres = known = c.getMetaData().getURL().startsWith("jdbc:postgresql:");
    return known;
  }

  private volatile Boolean postgres;

  private static <T> List<T> rows(Connection c, String sql, List<Object> args, RowReader<T> reader)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args.toArray());
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(reader.read(rs));
      }
      return rows;
    }
  }

  // ---------------------------------------------------------------- cursors

  private static String encode(String kind, String position, String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + "|" + position + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decode(String cursor, String kind) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
              .split("\\|", -1);
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
