package com.hearth.projections;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A digest of every read table's rows in key order: two databases (or one database before and after
 * a rebuild) hold the same read models exactly when their checksums are equal.
 */
public final class ReadModelChecksum {

  private static final Map<String, String> KEYS =
      Map.of(
          "host_profiles", "host_id",
          "kitchen_documents", "document_id",
          "kitchens", "kitchen_id",
          "bookings", "booking_id",
          "booking_events", "kitchen_id, seq_nr",
          "kitchen_daily_stats", "kitchen_id, local_date",
          "payments", "booking_id",
          "refunds", "refund_key",
          "payment_events", "booking_id, seq_nr");

  private ReadModelChecksum() {}

  /** SHA-256 of each read table, by table name. */
  public static Map<String, String> of(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return of(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot checksum the read tables: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of each read table, by table name, read over {@code c}. */
  public static Map<String, String> of(Connection c) {
    Map<String, String> sums = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      for (String table : ReadModels.TABLES) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        try (ResultSet rs =
            s.executeQuery("SELECT * FROM " + table + " ORDER BY " + KEYS.get(table))) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            rows++;
            for (int i = 1; i <= columns; i++) {
              String value = rs.getString(i);
              digest.update((value == null ? "\u0000" : value).getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0x1f);
            }
            digest.update((byte) 0x1e);
          }
        }
        sums.put(table, rows + ":" + HexFormat.of().formatHex(digest.digest()));
      }
      return sums;
    } catch (SQLException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot checksum the read tables: " + e.getMessage(), e);
    }
  }
}
