package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A page of the public kitchen list must read about a page of kitchens, however many there are and
 * whatever PostgreSQL's statistics say. The case that went wrong: statistics taken while 10,000
 * kitchens were drafts, then all of them published (as a host onboarding many kitchens, or the
 * benchmark's set-up, does); PostgreSQL then estimated few published kitchens, read them all by
 * status and sorted them for every page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KitchenListQueryPlanTest {

  /** The statement ReadModelQueries.kitchens sends for one status and no city. */
  private static final String FIRST_PAGE =
      "SELECT * FROM kitchens WHERE status IN (?) ORDER BY created_at, kitchen_id LIMIT ?";

  private static final int KITCHENS = 10_000;

  private TestDatabase db;

  @BeforeAll
  void tenThousandKitchensPublishedAfterTheStatisticsWereTaken() throws Exception {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    Flyway.configure()
        .dataSource(db.nodeSettings().get("hearth.db.url").toString(), "postgres", "")
        .locations("classpath:db/migration/postgres")
        .load()
        .migrate();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
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
      s.execute("ANALYZE kitchens");
      s.execute("UPDATE kitchens SET status = 'PUBLISHED'");
    }
  }

  @AfterAll
  void drop() throws Exception {
    db.close();
  }

  @Test
  void aPageOfPublishedKitchensReadsAboutAPageWithoutSortingThemAll() throws Exception {
    List<JsonNode> nodes = QueryPlans.nodes(plan("PUBLISHED", 21));
    assertThat(nodes).extracting(n -> n.get("Node Type").asText()).doesNotContain("Sort");
    JsonNode scan = nodes.stream().filter(n -> n.has("Relation Name")).findFirst().orElseThrow();
    assertThat(scan.get("Relation Name").asText()).isEqualTo("kitchens");
    assertThat(scan.get("Actual Rows").asLong()).isLessThanOrEqualTo(21);
  }

  private JsonNode plan(String status, int limit) throws Exception {
    try (Connection c = db.connect()) {
      return QueryPlans.analyze(
          c,
          FIRST_PAGE,
          ps -> {
            ps.setString(1, status);
            ps.setInt(2, limit);
          });
    }
  }
}
