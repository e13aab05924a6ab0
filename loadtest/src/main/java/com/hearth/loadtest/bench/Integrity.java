package com.hearth.loadtest.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * The two checks that make a throughput figure honest: no two live (HELD or CONFIRMED) bookings of
 * a kitchen overlap, and every booking a client was told was created (a 201 with its id) is in the
 * bookings table. Both run on a table {@code bookings(booking_id, kitchen_id, start_at, end_at,
 * status)}, the shape of Hearth's read table and of the baseline's table alike.
 */
public final class Integrity {

  /**
   * Live bookings that start before an earlier-starting live booking of their kitchen has ended:
   * zero exactly when no two live bookings overlap. One sort per kitchen instead of a self-join,
   * whose cost grew with the square of one kitchen's bookings (tens of thousands after scenario a
   * on a baseline: the check ran for minutes).
   */
  static final String OVERLAPS =
      "SELECT count(*) FROM (SELECT start_at, max(end_at) OVER (PARTITION BY kitchen_id"
          + " ORDER BY start_at, booking_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
          + " AS ended FROM bookings WHERE status IN ('HELD', 'CONFIRMED')) live"
          + " WHERE start_at < ended";

  private Integrity() {}

  public record Result(long live, long overlappingPairs, long acknowledged, long missing) {
    public boolean ok() {
      return overlappingPairs == 0 && missing == 0;
    }
  }

  public static Result check(String jdbcUrl, Collection<String> acknowledgedIds) {
    try (Connection c = Db.connect(jdbcUrl)) {
      long live;
      long overlaps;
      try (Statement s = c.createStatement()) {
        // A check that runs away fails the run instead of holding it past its time bound.
        s.execute("SET statement_timeout = '3min'");
        try (ResultSet r =
            s.executeQuery("SELECT count(*) FROM bookings WHERE status IN ('HELD', 'CONFIRMED')")) {
          r.next();
          live = r.getLong(1);
        }
        try (ResultSet r = s.executeQuery(OVERLAPS)) {
          r.next();
          overlaps = r.getLong(1);
        }
        s.execute("CREATE TEMPORARY TABLE acknowledged (booking_id VARCHAR(64) PRIMARY KEY)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement p =
          c.prepareStatement("INSERT INTO acknowledged VALUES (?) ON CONFLICT DO NOTHING")) {
        int n = 0;
        for (String id : acknowledgedIds) {
          p.setString(1, id);
          p.addBatch();
          if (++n % 1000 == 0) p.executeBatch();
        }
        p.executeBatch();
      }
      c.commit();
      long missing;
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*) FROM acknowledged a WHERE NOT EXISTS"
                      + " (SELECT 1 FROM bookings b WHERE b.booking_id = a.booking_id)")) {
        r.next();
        missing = r.getLong(1);
      }
      c.rollback();
      return new Result(live, overlaps, acknowledgedIds.size(), missing);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check the bookings of " + jdbcUrl, e);
    }
  }
}
