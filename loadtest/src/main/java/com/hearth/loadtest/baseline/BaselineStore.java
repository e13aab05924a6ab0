package com.hearth.loadtest.baseline;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The baseline's database: kitchens and bookings in plain tables, every hold decided by ONE
 * PostgreSQL transaction, in one of two designs a team would pick instead of Hearth's actors:
 *
 * <ul>
 *   <li>{@link Variant#FORUPDATE}: lock the kitchen row ({@code SELECT ... FOR UPDATE}), look for
 *       an overlapping live booking, insert;
 *   <li>{@link Variant#EXCLUDE}: one insert into a table with an exclusion constraint over the
 *       kitchen and the time range of live bookings; a violation (SQLSTATE 23P01) is the refusal.
 * </ul>
 *
 * All calls block: the server runs them on a dedicated dispatcher.
 */
public final class BaselineStore implements AutoCloseable {

  public enum Variant {
    FORUPDATE,
    EXCLUDE
  }

  /** A hold's outcome: the booking made, or why not. */
  public sealed interface HoldResult {}

  public record Held(Booking booking) implements HoldResult {}

  public record Overlaps() implements HoldResult {}

  public record NotBookable() implements HoldResult {}

  public record Booking(
      String bookingId,
      String kitchenId,
      String renterId,
      Instant start,
      Instant end,
      String status) {}

  private final HikariDataSource pool;
  private final Variant variant;

  public BaselineStore(String jdbcUrl, String user, int poolSize, Variant variant) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null && !user.isBlank()) config.setUsername(user);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setPoolName("baseline-" + variant.name().toLowerCase());
    this.pool = new HikariDataSource(config);
    this.variant = variant;
  }

  /**
   * Creates the schema in an empty database; the exclusion constraint only for {@link
   * Variant#EXCLUDE}.
   */
  public void createSchema() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE kitchens (kitchen_id VARCHAR(36) PRIMARY KEY, host_id VARCHAR(255) NOT NULL,"
              + " name VARCHAR(200) NOT NULL, city VARCHAR(200), status VARCHAR(16) NOT NULL,"
              + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      s.execute(
          "CREATE INDEX kitchens_status_created_idx ON kitchens (status, created_at, kitchen_id)");
      s.execute(
          "CREATE TABLE bookings (booking_id VARCHAR(51) PRIMARY KEY, kitchen_id VARCHAR(36) NOT NULL,"
              + " renter_id VARCHAR(255) NOT NULL, start_at TIMESTAMPTZ NOT NULL, end_at TIMESTAMPTZ NOT NULL,"
              + " status VARCHAR(16) NOT NULL, held_at TIMESTAMPTZ NOT NULL DEFAULT now(), CHECK (end_at > start_at))");
      s.execute("CREATE INDEX bookings_kitchen_start_idx ON bookings (kitchen_id, start_at)");
      s.execute(
          "CREATE TABLE payments (booking_id VARCHAR(51) PRIMARY KEY, intent_id VARCHAR(64) NOT NULL,"
              + " status VARCHAR(32) NOT NULL)");
      if (variant == Variant.EXCLUDE) {
        s.execute("CREATE EXTENSION IF NOT EXISTS btree_gist");
        s.execute(
            "ALTER TABLE bookings ADD CONSTRAINT bookings_live_no_overlap EXCLUDE USING gist"
                + " (kitchen_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE (status IN ('HELD', 'CONFIRMED'))");
      }
    }
  }

  public Map<String, Object> createKitchen(String hostId, String name, String city)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO kitchens (kitchen_id, host_id, name, city, status) VALUES (?, ?, ?, ?, 'DRAFT')")) {
      p.setString(1, id);
      p.setString(2, hostId);
      p.setString(3, name);
      p.setString(4, city);
      p.executeUpdate();
    }
    return kitchen(id, hostId, name, city, "DRAFT");
  }

  /** Publishes the host's kitchen; null when there is no such kitchen of this host. */
  public Map<String, Object> publish(String kitchenId, String hostId) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE kitchens SET status = 'PUBLISHED' WHERE kitchen_id = ? AND host_id = ? RETURNING name, city")) {
      p.setString(1, kitchenId);
      p.setString(2, hostId);
      try (ResultSet r = p.executeQuery()) {
        return r.next()
            ? kitchen(kitchenId, hostId, r.getString(1), r.getString(2), "PUBLISHED")
            : null;
      }
    }
  }

  public List<Map<String, Object>> publishedKitchens(int limit) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT kitchen_id, host_id, name, city FROM kitchens"
                    + " WHERE status = 'PUBLISHED' ORDER BY created_at, kitchen_id LIMIT ?")) {
      p.setInt(1, limit);
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next())
          out.add(
              kitchen(r.getString(1), r.getString(2), r.getString(3), r.getString(4), "PUBLISHED"));
      }
      return out;
    }
  }

  private static Map<String, Object> kitchen(
      String id, String hostId, String name, String city, String status) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kitchen_id", id);
    k.put("host_id", hostId);
    k.put("name", name);
    k.put("city", city);
    k.put("status", status);
    return k;
  }

  /**
   * The live bookings of a kitchen overlapping [from, to), by start; null when the kitchen is not
   * published.
   */
  public List<Instant[]> liveBookings(String kitchenId, Instant from, Instant to)
      throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement k =
            c.prepareStatement(
                "SELECT 1 FROM kitchens WHERE kitchen_id = ? AND status = 'PUBLISHED'");
        PreparedStatement p =
            c.prepareStatement(
                "SELECT start_at, end_at FROM bookings WHERE kitchen_id = ?"
                    + " AND status IN ('HELD', 'CONFIRMED') AND start_at < ? AND end_at > ? ORDER BY start_at")) {
      k.setString(1, kitchenId);
      try (ResultSet r = k.executeQuery()) {
        if (!r.next()) return null;
      }
      p.setString(1, kitchenId);
      p.setTimestamp(2, Timestamp.from(to));
      p.setTimestamp(3, Timestamp.from(from));
      List<Instant[]> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next())
          out.add(new Instant[] {r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant()});
      }
      return out;
    }
  }

  /** Free stretches of [from, to) between the given busy intervals (sorted by start). */
  public static List<Instant[]> free(Instant from, Instant to, List<Instant[]> busy) {
    List<Instant[]> free = new ArrayList<>();
    Instant cursor = from;
    for (Instant[] b : busy) {
      if (b[0].isAfter(cursor)) free.add(new Instant[] {cursor, b[0].isBefore(to) ? b[0] : to});
      if (b[1].isAfter(cursor)) cursor = b[1];
      if (!cursor.isBefore(to)) break;
    }
    if (cursor.isBefore(to)) free.add(new Instant[] {cursor, to});
    return free;
  }

  /**
   * A hold, decided in one transaction by this store's design. Concurrent inserts checked by the
   * same exclusion constraint can deadlock (SQLSTATE 40P01; PostgreSQL aborts one of them): the
   * aborted transaction is run again, up to five times, as a careful team would.
   */
  public HoldResult hold(String kitchenId, String renterId, Instant start, Instant end)
      throws SQLException {
    String bookingId = "bk_" + UUID.randomUUID().toString().replace("-", "");
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        return variant == Variant.FORUPDATE
            ? holdWithRowLock(c, bookingId, kitchenId, renterId, start, end)
            : holdWithExclusion(c, bookingId, kitchenId, renterId, start, end);
      } catch (SQLException e) {
        boolean retriable = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
        if (!retriable || attempt >= 5) throw e;
        RETRIES.incrementAndGet();
      }
    }
  }

  /** Holds run again after a deadlock or serialization failure, since start. */
  public static final java.util.concurrent.atomic.AtomicLong RETRIES =
      new java.util.concurrent.atomic.AtomicLong();

  private static HoldResult holdWithRowLock(
      Connection c, String bookingId, String kitchenId, String renterId, Instant start, Instant end)
      throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement lock =
            c.prepareStatement("SELECT status FROM kitchens WHERE kitchen_id = ? FOR UPDATE");
        PreparedStatement overlap =
            c.prepareStatement(
                "SELECT 1 FROM bookings WHERE kitchen_id = ?"
                    + " AND status IN ('HELD', 'CONFIRMED') AND start_at < ? AND end_at > ? LIMIT 1");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO bookings (booking_id, kitchen_id, renter_id,"
                    + " start_at, end_at, status) VALUES (?, ?, ?, ?, ?, 'HELD')")) {
      lock.setString(1, kitchenId);
      try (ResultSet r = lock.executeQuery()) {
        if (!r.next() || !"PUBLISHED".equals(r.getString(1))) {
          c.rollback();
          return new NotBookable();
        }
      }
      overlap.setString(1, kitchenId);
      overlap.setTimestamp(2, Timestamp.from(end));
      overlap.setTimestamp(3, Timestamp.from(start));
      try (ResultSet r = overlap.executeQuery()) {
        if (r.next()) {
          c.rollback();
          return new Overlaps();
        }
      }
      bindInsert(insert, bookingId, kitchenId, renterId, start, end);
      insert.executeUpdate();
      c.commit();
      return new Held(new Booking(bookingId, kitchenId, renterId, start, end, "HELD"));
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static HoldResult holdWithExclusion(
      Connection c, String bookingId, String kitchenId, String renterId, Instant start, Instant end)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO bookings (booking_id, kitchen_id, renter_id,"
                + " start_at, end_at, status) SELECT ?, ?, ?, ?, ?, 'HELD' FROM kitchens"
                + " WHERE kitchen_id = ? AND status = 'PUBLISHED'")) {
      bindInsert(insert, bookingId, kitchenId, renterId, start, end);
      insert.setString(6, kitchenId);
      if (insert.executeUpdate() == 0) return new NotBookable();
      return new Held(new Booking(bookingId, kitchenId, renterId, start, end, "HELD"));
    } catch (SQLException e) {
      if ("23P01".equals(e.getSQLState())) return new Overlaps();
      throw e;
    }
  }

  private static void bindInsert(
      PreparedStatement p,
      String bookingId,
      String kitchenId,
      String renterId,
      Instant start,
      Instant end)
      throws SQLException {
    p.setString(1, bookingId);
    p.setString(2, kitchenId);
    p.setString(3, renterId);
    p.setTimestamp(4, Timestamp.from(start));
    p.setTimestamp(5, Timestamp.from(end));
  }

  /** The renter's booking, or null when there is none. */
  public Booking booking(String bookingId, String renterId) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT kitchen_id, start_at, end_at, status FROM bookings"
                    + " WHERE booking_id = ? AND renter_id = ?")) {
      p.setString(1, bookingId);
      p.setString(2, renterId);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) return null;
        return new Booking(
            bookingId,
            r.getString(1),
            renterId,
            r.getTimestamp(2).toInstant(),
            r.getTimestamp(3).toInstant(),
            r.getString(4));
      }
    }
  }

  /**
   * Starts (or returns) the payment of the renter's booking: its intent id, or null when there is
   * no booking.
   */
  public String startPayment(String bookingId, String renterId) throws SQLException {
    if (booking(bookingId, renterId) == null) return null;
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO payments (booking_id, intent_id, status)"
                    + " VALUES (?, ?, 'REQUIRES_PAYMENT') ON CONFLICT (booking_id) DO UPDATE SET status = payments.status"
                    + " RETURNING intent_id")) {
      p.setString(1, bookingId);
      p.setString(2, "pi_offline_" + bookingId.substring(3));
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }

  /**
   * A succeeded payment confirms a held booking, in one transaction; false when there is no
   * payment.
   */
  public boolean paymentSucceeded(String bookingId, String renterId) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement pay =
              c.prepareStatement(
                  "UPDATE payments SET status = 'SUCCEEDED' WHERE booking_id = ?"
                      + " AND EXISTS (SELECT 1 FROM bookings b WHERE b.booking_id = ? AND b.renter_id = ?)");
          PreparedStatement confirm =
              c.prepareStatement(
                  "UPDATE bookings SET status = 'CONFIRMED' WHERE booking_id = ? AND status = 'HELD'")) {
        pay.setString(1, bookingId);
        pay.setString(2, bookingId);
        pay.setString(3, renterId);
        if (pay.executeUpdate() == 0) {
          c.rollback();
          return false;
        }
        confirm.setString(1, bookingId);
        confirm.executeUpdate();
        c.commit();
        return true;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Cancels the renter's live booking; null when there is no such booking. */
  public Booking cancel(String bookingId, String renterId) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE bookings SET status = 'CANCELLED' WHERE booking_id = ?"
                    + " AND renter_id = ? AND status IN ('HELD', 'CONFIRMED') RETURNING kitchen_id, start_at, end_at")) {
      p.setString(1, bookingId);
      p.setString(2, renterId);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) return null;
        return new Booking(
            bookingId,
            r.getString(1),
            renterId,
            r.getTimestamp(2).toInstant(),
            r.getTimestamp(3).toInstant(),
            "CANCELLED");
      }
    }
  }

  public boolean ping() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
