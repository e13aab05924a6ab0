package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.engine.kitchen.KitchenStatus;
import com.hearth.projections.ReadModelQueries;
import com.hearth.projections.Sql;
import com.hearth.testing.QueryPlans;
import com.hearth.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A page of the public kitchen list must read about a page of kitchens, however many there are,
 * however deep the page and whatever PostgreSQL's statistics say, on the statement {@link
 * ReadModelQueries#kitchenPageStatement} sends with the setting {@link
 * ReadModelQueries#KITCHEN_PAGE_SETTING} it runs under. 10,000 kitchens, the oldest 3,400 still
 * drafts, the others published; statistics in three states that each went wrong once:
 *
 * <ul>
 *   <li>never taken (a new deployment, or autovacuum not yet round after a bulk onboarding):
 *       PostgreSQL estimated a handful of published kitchens, read all of them by bitmap and sorted
 *       them for every page (32 ms a page in the benchmark's journey);
 *   <li>taken while every kitchen was a draft: it estimated few published kitchens, found them by
 *       status and sorted them;
 *   <li>up to date: it walked the (created_at, kitchen_id) index and threw the older drafts away.
 * </ul>
 *
 * Each with the plan made for the values at hand and with the generic plan a connection switches to
 * after a statement's fifth run. Autovacuum is off on these tables so that the statistics stay as
 * the test left them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KitchenListQueryPlanTest {

  private static final int KITCHENS = 10_000;

  /** The oldest kitchens, left as drafts: a third of them, as in the benchmark's journey. */
  private static final int OLDEST_DRAFTS = 3_400;

  enum Statistics {
    NEVER_TAKEN,
    TAKEN_WHILE_ALL_DRAFTS,
    UP_TO_DATE
  }

  private final Map<Statistics, TestDatabase> databases = new EnumMap<>(Statistics.class);

  @AfterAll
  void drop() throws Exception {
    for (TestDatabase db : databases.values()) db.close();
  }

  static Stream<Arguments> cases() {
    return Arrays.stream(Statistics.values())
        .flatMap(
            stats ->
                Stream.of("auto", "force_generic_plan").map(mode -> Arguments.of(stats, mode)));
  }

  @ParameterizedTest(name = "statistics {0}, plan_cache_mode {1}")
  @MethodSource("cases")
  void theFirstPageReadsAboutAPageWithoutSortingThemAll(Statistics stats, String planCacheMode)
      throws Exception {
    assertReadsAboutAPage(
        kitchens(stats),
        ReadModelQueries.kitchenPageStatement(null, EnumSet.of(KitchenStatus.PUBLISHED), null, 20),
        planCacheMode);
  }

  @ParameterizedTest(name = "statistics {0}, plan_cache_mode {1}")
  @MethodSource("cases")
  void aDeepPageStartsWhereThePageBeforeItEnded(Statistics stats, String planCacheMode)
      throws Exception {
    TestDatabase db = kitchens(stats);
    // The cursor of page 100 of 20, from the list itself.
    ReadModelQueries queries = new ReadModelQueries(dataSource(db));
    String cursor = null;
    for (int page = 0; page < 100; page++)
      cursor = queries.kitchens(null, EnumSet.of(KitchenStatus.PUBLISHED), cursor, 20).nextCursor();
    assertThat(cursor).isNotNull();

    assertReadsAboutAPage(
        db,
        ReadModelQueries.kitchenPageStatement(
            null, EnumSet.of(KitchenStatus.PUBLISHED), cursor, 20),
        planCacheMode);
  }

  private TestDatabase kitchens(Statistics stats) throws Exception {
    TestDatabase existing = databases.get(stats);
    if (existing != null) return existing;
    TestDatabase db = TestDatabase.migratedPostgres();
    databases.put(stats, db);
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE kitchens SET (autovacuum_enabled = false)");
      // Kitchen g was created g seconds ago: k-10000 is the oldest.
      s.execute(
          "INSERT INTO kitchens (kitchen_id, host_id, name, city, time_zone, currency,"
              + " hourly_rate_cents, tax_bps, status, slot_minutes, min_duration_minutes,"
              + " max_duration_minutes, min_notice_minutes, horizon_days, buffer_minutes,"
              + " opening_hours, blackouts, created_at, updated_at)"
              + " SELECT 'k-' || g, 'host-' || (g % 50), 'Kitchen ' || g, 'City ' || (g % 20),"
              + " 'Europe/London', 'GBP', 4000, 2000, 'DRAFT', 30, 60, 480, 60, 90, 0, '{}', '[]',"
              + " now() - (g || ' seconds')::interval, now()"
              + " FROM generate_series(1, "
              + KITCHENS
              + ") g");
      if (stats == Statistics.TAKEN_WHILE_ALL_DRAFTS) s.execute("ANALYZE kitchens");
      s.execute(
          "UPDATE kitchens SET status = 'PUBLISHED' WHERE created_at > now() - interval '"
              + (KITCHENS - OLDEST_DRAFTS)
              + " seconds'");
      if (stats == Statistics.UP_TO_DATE) s.execute("ANALYZE kitchens");
    }
    return db;
  }

  private static void assertReadsAboutAPage(
      TestDatabase db, ReadModelQueries.Statement page, String planCacheMode) throws Exception {
    List<JsonNode> nodes = QueryPlans.nodes(plan(db, page, planCacheMode));
    assertThat(nodes).extracting(n -> n.get("Node Type").asText()).doesNotContain("Sort");
    JsonNode scan = nodes.stream().filter(n -> n.has("Relation Name")).findFirst().orElseThrow();
    assertThat(scan.get("Relation Name").asText()).isEqualTo("kitchens");
    assertThat(scan.get("Actual Rows").asLong()).as(scan.toString()).isLessThanOrEqualTo(21);
    assertThat(scan.path("Rows Removed by Filter").asLong(0))
        .as("rows read and thrown away: %s", scan)
        .isLessThanOrEqualTo(1);
  }

  /** The plan of the page as the list runs it: in a transaction with the list's setting. */
  private static JsonNode plan(
      TestDatabase db, ReadModelQueries.Statement page, String planCacheMode) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
      s.execute(ReadModelQueries.KITCHEN_PAGE_SETTING);
      JsonNode plan = QueryPlans.analyze(c, page.sql(), ps -> Sql.bind(ps, page.args().toArray()));
      c.rollback();
      return plan;
    }
  }

  private static DataSource dataSource(TestDatabase db) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(db.nodeSettings().get("hearth.db.url").toString());
    ds.setUser(TestPostgres.USER);
    ds.setPassword(TestPostgres.PASSWORD);
    return ds;
  }
}
