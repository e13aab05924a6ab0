package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.testing.QueryPlans;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kitchens' projection looks up the daily rows a group of events touches, a hundred keys at a
 * time. On PostgreSQL that lookup must read the rows asked for and no others, when 10,000 kitchens
 * have a row on the same day and whatever the statistics say: taken when the table held one kitchen
 * with 150 days (as after a busy first kitchen, before many kitchens book the same new day), or up
 * to date; each with the plan made for the values at hand and with the generic plan a connection
 * switches to after a statement's fifth run. Autovacuum is off on the table so that the statistics
 * stay as the test left them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DailyStatsLookupPlanTest {

  private static final LocalDate DAY = LocalDate.parse("2027-03-01");
  private static final int KITCHENS = 10_000;

  /** Each lookup is planned both ways: for the values at hand, and generic. */
  private static final List<String> PLAN_CACHE_MODES = List.of("auto", "force_generic_plan");

  enum Statistics {
    TAKEN_WITH_ONE_KITCHEN,
    UP_TO_DATE
  }

  private final Map<Statistics, ReadModelDatabase> databases = new EnumMap<>(Statistics.class);

  @AfterAll
  void drop() {
    databases.values().forEach(ReadModelDatabase::close);
  }

  @ParameterizedTest(name = "statistics {0}")
  @EnumSource(Statistics.class)
  void aHundredKitchensOfOneDayReadTheirHundredRows(Statistics stats) throws Exception {
    List<Object> keys = new ArrayList<>();
    for (int k = 1; k <= 100; k++) keys.addAll(List.of(kitchen(k * 97), DAY));
    assertReadsOnly(database(stats), keys, 100);
  }

  @ParameterizedTest(name = "statistics {0}")
  @EnumSource(Statistics.class)
  void kitchensOfTwoDaysReadTheirRows(Statistics stats) throws Exception {
    List<Object> keys = new ArrayList<>();
    for (int k = 1; k <= 60; k++) keys.addAll(List.of(kitchen(k * 89), DAY));
    // Kitchens with an even number have a row on the next day too.
    for (int k = 1; k <= 40; k++) keys.addAll(List.of(kitchen(k * 166), DAY.plusDays(1)));
    assertReadsOnly(database(stats), keys, 100);
  }

  @ParameterizedTest(name = "statistics {0}")
  @EnumSource(Statistics.class)
  void keysWithoutARowReadNothing(Statistics stats) throws Exception {
    List<Object> keys = new ArrayList<>();
    for (int k = 1; k <= 50; k++) keys.addAll(List.of(kitchen(k * 101), DAY.plusDays(2)));
    for (int k = 1; k <= 50; k++) keys.addAll(List.of("no-such-kitchen-" + k, DAY));
    assertReadsOnly(database(stats), keys, 0);
  }

  private static String kitchen(int n) {
    return "k-" + n;
  }

  private ReadModelDatabase database(Statistics stats) throws Exception {
    ReadModelDatabase existing = databases.get(stats);
    if (existing != null) return existing;
    ReadModelDatabase db = ReadModelDatabase.create(SqlDialect.POSTGRES);
    databases.put(stats, db);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE kitchen_daily_stats SET (autovacuum_enabled = false)");
      String columns =
          "INSERT INTO kitchen_daily_stats (kitchen_id, local_date, host_id, currency,"
              + " open_minutes, booked_minutes, occupancy, holds_placed, bookings_confirmed,"
              + " holds_expired, bookings_cancelled, bookings_completed, conversion, gross_cents,"
              + " refunds_cents, tax_cents, platform_fee_cents, host_net_cents) ";
      String figures = "'USD', 1440, 60, 0.0417, 1, 0, 0, 0, 0, 0, 4000, 0, 0, 600, 3400";
      s.execute(
          columns
              + "SELECT 'first-kitchen', DATE '"
              + DAY
              + "' - 150 + d, 'host-0', "
              + figures
              + " FROM generate_series(0, 150) d");
      if (stats == Statistics.TAKEN_WITH_ONE_KITCHEN) s.execute("ANALYZE kitchen_daily_stats");
      // Every kitchen books the same day, half of them the next day too.
      s.execute(
          columns
              + "SELECT 'k-' || k, DATE '"
              + DAY
              + "' + d, 'host-' || (k % 50), "
              + figures
              + " FROM generate_series(1, "
              + KITCHENS
              + ") k, generate_series(0, 1) d WHERE d = 0 OR k % 2 = 0");
      if (stats == Statistics.UP_TO_DATE) s.execute("ANALYZE kitchen_daily_stats");
    }
    return db;
  }

  /** The plan PostgreSQL runs for the lookup, as the projection's connection would run it. */
  private static JsonNode plan(ReadModelDatabase db, List<Object> keys, String planCacheMode)
      throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
      JsonNode plan =
          QueryPlans.analyze(
              c,
              DailyStatsTable.existingDaysStatement(SqlDialect.POSTGRES, keys.size() / 2),
              ps -> Sql.bind(ps, keys.toArray()));
      c.rollback();
      return plan;
    }
  }

  /**
   * The table is read by index only, and every scan of it returns at most the rows asked for and
   * throws none away.
   */
  private static void assertReadsOnly(ReadModelDatabase db, List<Object> keys, int rows)
      throws Exception {
    for (String mode : PLAN_CACHE_MODES) assertReadsOnly(plan(db, keys, mode), rows);
  }

  private static void assertReadsOnly(JsonNode root, int rows) {
    List<JsonNode> nodes = QueryPlans.nodes(root);
    assertThat(nodes)
        .extracting(n -> n.get("Node Type").asText())
        .as("%s", root)
        .doesNotContain("Seq Scan");
    List<JsonNode> scans =
        nodes.stream().filter(n -> n.get("Node Type").asText().contains("Index")).toList();
    assertThat(scans).as("%s", root).isNotEmpty();
    assertThat(scans)
        .as("looked up by both columns of the key: %s", root)
        .allSatisfy(
            scan ->
                assertThat(scan.path("Index Cond").asText())
                    .contains("kitchen_id")
                    .contains("local_date"));
    long read = 0;
    for (JsonNode scan : scans) {
      read += scan.get("Actual Rows").asLong() * scan.get("Actual Loops").asLong();
      assertThat(scan.path("Rows Removed by Filter").asLong(0))
          .as("rows read and thrown away: %s", scan)
          .isZero();
    }
    assertThat(read).as("%s", root).isLessThanOrEqualTo(rows);
    JsonNode top = nodes.get(0);
    assertThat(top.get("Actual Rows").asLong()).as("%s", root).isEqualTo(rows);
    assertThat(top.path("Rows Removed by Filter").asLong(0)).as("%s", root).isZero();
    assertThat(top.path("Rows Removed by Index Recheck").asLong(0)).as("%s", root).isZero();
  }
}
