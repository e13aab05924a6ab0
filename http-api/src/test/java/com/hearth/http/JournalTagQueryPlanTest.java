package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The projections' by-tag query must cost the same whatever the size of the journal: PostgreSQL
 * must walk the journal's ordering index over the range asked for and probe the tags by event id,
 * never scan a tag's history. Checked on the plans PostgreSQL really picks, through a connection
 * set up as the read journal's are, on two journals of events under four tags: a small one, where
 * PostgreSQL would otherwise hash-join a whole tag, and a larger one, where it would otherwise walk
 * a tag's index from its first event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalTagQueryPlanTest {

  /**
   * The query pekko-persistence-jdbc 1.1 sends for eventsByTag(tag, offset, maxOffset, limit), as
   * it sends it.
   */
  private static final String EVENTS_BY_TAG =
      "select x2.x3, x2.x4, x2.x5, x2.x6, x2.x7, x2.x8, x2.x9, x2.x10, x2.x11,"
          + " x2.x12, x2.x13, x2.x14, x2.x15 from (select \"deleted\" as x4, \"meta_ser_id\" as x14, \"meta_ser_manifest\""
          + " as x15, \"sequence_number\" as x6, \"writer\" as x7, \"event_ser_manifest\" as x12, \"write_timestamp\" as x8,"
          + " \"persistence_id\" as x5, \"adapter_manifest\" as x9, \"ordering\" as x3, \"event_payload\" as x10,"
          + " \"event_ser_id\" as x11, \"meta_payload\" as x13 from \"event_journal\" where \"deleted\" = false) x2,"
          + " \"event_tag\" x16 where ((x16.\"tag\" = ?) and ((x2.x3 > ?) and (x2.x3 <= ?))) and (x2.x3 = x16.\"event_id\")"
          + " order by x2.x3 limit ?";

  private static final List<Integer> SIZES = List.of(20_000, 200_000);

  private final Map<Integer, TestDatabase> journals = new java.util.TreeMap<>();

  @BeforeAll
  void journalsWithHistory() throws Exception {
    for (int events : SIZES) {
      TestDatabase db = TestDatabase.migratedPostgres();
      journals.put(events, db);
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp, event_ser_id,"
                + " event_ser_manifest, event_payload) SELECT 'Kitchen|k' || (g % 500), g, 'w', 0, 1, 'm', '\\x00'::bytea"
                + " FROM generate_series(1, "
                + events
                + ") g");
        s.execute(
            "INSERT INTO event_tag (event_id, tag) SELECT ordering, 'kitchen-' || (ordering % 4) FROM event_journal");
        s.execute("ANALYZE event_journal");
        s.execute("ANALYZE event_tag");
      }
    }
  }

  @AfterAll
  void drop() throws Exception {
    for (TestDatabase db : journals.values()) db.close();
  }

  @Test
  void aCaughtUpPollWalksOnlyTheNewEvents() throws Exception {
    for (var journal : journals.entrySet())
      assertWalksTheJournalRange(
          plan(journal.getValue(), journal.getKey() - 100, journal.getKey(), 500), 100);
  }

  @Test
  void aProjectionFarBehindStillStartsAtItsOffset() throws Exception {
    for (var journal : journals.entrySet())
      assertWalksTheJournalRange(
          plan(journal.getValue(), journal.getKey() / 2, journal.getKey(), 500), 500 * 4 + 4);
  }

  @Test
  void aReplayFromTheStartReadsOnlyOneBatch() throws Exception {
    for (var journal : journals.entrySet())
      assertWalksTheJournalRange(plan(journal.getValue(), 0, journal.getKey(), 500), 500 * 4 + 4);
  }

  /**
   * The plan is one nested loop whose outer side reads at most {@code maxRows} journal rows by
   * ordering.
   */
  private void assertWalksTheJournalRange(JsonNode root, int maxRows) {
    List<JsonNode> nodes = QueryPlans.nodes(root);
    assertThat(nodes)
        .extracting(n -> n.get("Node Type").asText())
        .doesNotContain("Hash Join", "Merge Join", "Seq Scan", "Sort");
    JsonNode loop =
        nodes.stream()
            .filter(n -> n.get("Node Type").asText().equals("Nested Loop"))
            .findFirst()
            .orElseThrow();
    JsonNode outer = loop.get("Plans").get(0);
    assertThat(outer.get("Relation Name").asText()).isEqualTo("event_journal");
    assertThat(outer.get("Index Name").asText()).isEqualTo("event_journal_ordering_idx");
    assertThat(outer.get("Actual Rows").asLong()).isLessThanOrEqualTo(maxRows);
  }

  private JsonNode plan(TestDatabase db, long offset, long maxOffset, long limit) throws Exception {
    try (Connection c = db.connect(Map.of("options", Database.READ_JOURNAL_PG_OPTIONS))) {
      return QueryPlans.analyze(
          c,
          EVENTS_BY_TAG,
          ps -> {
            ps.setString(1, "kitchen-1");
            ps.setLong(2, offset);
            ps.setLong(3, maxOffset);
            ps.setLong(4, limit);
          });
    }
  }
}
