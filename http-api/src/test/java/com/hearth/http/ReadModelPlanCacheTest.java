package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A read-model statement first used on an empty table must not keep a plan made for an empty table
 * once the table has grown. On a new deployment the projections' first statements meet empty
 * tables; after five uses the driver prepares them on the server, and PostgreSQL keeps the generic
 * plan (a sequential scan) when it looks no dearer than the custom ones. With autovacuum off here,
 * nothing invalidates that plan, as on a busy server between two ANALYZEs. Checked through the
 * node's own pools, on the statement the projections send most: a kitchen's last day of daily
 * statistics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadModelPlanCacheTest {

  private static final String LAST_DAY =
      "SELECT local_date FROM kitchen_daily_stats WHERE kitchen_id = ?"
          + " ORDER BY kitchen_id DESC, local_date DESC LIMIT 1";

  private TestDatabase db;
  private Database database;

  @BeforeAll
  void migratedDatabase() {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    Map<String, Object> settings = new HashMap<>(db.nodeSettings());
    settings.put("hearth.auth.jwt-secret", TestNode.SECRET);
    database =
        new Database(
            NodeSettings.from(ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load())));
    database.migrate();
  }

  @AfterAll
  void drop() throws Exception {
    database.close();
    db.close();
  }

  @Test
  void theProjectionsPlanEachStatementForTheTableAsItIsNow() throws Exception {
    assertThat(scansAfterGrowth(database.projectionPool())).isZero();
  }

  @Test
  void theListQueriesPlanEachStatementForTheTableAsItIsNow() throws Exception {
    assertThat(scansAfterGrowth(database.queryPool())).isZero();
  }

  @Test
  void withoutTheSessionSettingTheEmptyTablesPlanStays() throws Exception {
    // The control: a plain connection reproduces the plan these settings exist to avoid.
    try (Connection plain = db.connect()) {
      assertThat(scansAfterGrowth(plain)).isPositive();
    }
  }

  private long scansAfterGrowth(DataSource pool) throws Exception {
    try (Connection c = pool.getConnection()) {
      return scansAfterGrowth(c);
    }
  }

  /**
   * Uses the statement a dozen times on an empty, analysed table, fills the table with 1,000
   * kitchens' days, and returns the sequential scans of the table that one more use makes.
   */
  private long scansAfterGrowth(Connection c) throws SQLException {
    try (Connection admin = db.connect();
        Statement s = admin.createStatement()) {
      s.execute("TRUNCATE kitchen_daily_stats");
      s.execute("ALTER TABLE kitchen_daily_stats SET (autovacuum_enabled = false)");
      s.execute("ANALYZE kitchen_daily_stats");
    }
    try (PreparedStatement last = c.prepareStatement(LAST_DAY)) {
      for (int i = 0; i < 12; i++) assertThat(lastDay(last, "kitchen-" + i)).isNull();
      try (Connection admin = db.connect();
          Statement s = admin.createStatement()) {
        s.execute(
            "INSERT INTO kitchen_daily_stats (kitchen_id, local_date, host_id, currency, open_minutes,"
                + " booked_minutes, occupancy, holds_placed, bookings_confirmed, holds_expired, bookings_cancelled,"
                + " bookings_completed, conversion, gross_cents, refunds_cents, tax_cents, platform_fee_cents, host_net_cents)"
                + " SELECT 'kitchen-' || k, DATE '2027-01-01' + d, 'host-1', 'EUR', 600, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0"
                + " FROM generate_series(1, 1000) k, generate_series(0, 99) d");
      }
      // pg_stat_xact_user_tables also counts this backend's earlier scans not yet reported, which
      // it
      // reports only between transactions: take the difference within one.
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        long before = sequentialScans(c);
        assertThat(lastDay(last, "kitchen-500")).isEqualTo("2027-04-10");
        return sequentialScans(c) - before;
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private static long sequentialScans(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'kitchen_daily_stats'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String lastDay(PreparedStatement last, String kitchenId) throws SQLException {
    last.setString(1, kitchenId);
    try (ResultSet rs = last.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
