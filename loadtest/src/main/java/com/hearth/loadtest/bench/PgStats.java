package com.hearth.loadtest.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Snapshots of {@code pg_stat_user_tables} of one database, and their differences. */
public final class PgStats {

  static final String[] COLUMNS = {
    "seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch", "n_tup_ins", "n_tup_upd", "n_tup_del"
  };

  private PgStats() {}

  /**
   * Table name to counters, in {@link #COLUMNS} order. Counters lag a little: call it after {@code
   * pg_stat_clear_snapshot}.
   */
  public static Map<String, long[]> snapshot(String jdbcUrl) {
    try (Connection c = Db.connect(jdbcUrl);
        Statement s = c.createStatement()) {
      // Backends report their counters when idle for a moment; ask for fresh numbers.
      s.execute("SELECT pg_stat_clear_snapshot()");
      Map<String, long[]> out = new TreeMap<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT relname, coalesce(seq_scan, 0), coalesce(seq_tup_read, 0),"
                  + " coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0), n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
        while (r.next()) {
          long[] v = new long[COLUMNS.length];
          for (int i = 0; i < v.length; i++) v[i] = r.getLong(i + 2);
          out.put(r.getString(1), v);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_user_tables of " + jdbcUrl, e);
    }
  }

  /** after - before per table, leaving out tables where nothing changed. */
  public static Map<String, long[]> delta(Map<String, long[]> before, Map<String, long[]> after) {
    Map<String, long[]> out = new LinkedHashMap<>();
    after.forEach(
        (table, a) -> {
          long[] b = before.getOrDefault(table, new long[a.length]);
          long[] d = new long[a.length];
          boolean any = false;
          for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
            any |= d[i] != 0;
          }
          if (any) out.put(table, d);
        });
    return out;
  }
}
