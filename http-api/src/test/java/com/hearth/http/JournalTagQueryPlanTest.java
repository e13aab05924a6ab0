package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.projections.FreshnessLook;
import com.hearth.projections.TagIndexedReadJournalDao;
import com.hearth.testing.QueryPlans;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The projections' by-tag poll must read only its own tag's events: what it costs depends on the
 * events it returns, not on the size of the journal nor on how many events of other tags lie in the
 * range. PostgreSQL must walk the index {@code event_tag (tag, event_id)} from the offset and fetch
 * each event from the journal by its ordering, never scan a tag's history nor probe the tags of
 * every event. Checked on the plans PostgreSQL really picks for the statement {@link
 * TagIndexedReadJournalDao} sends, through a connection set up as the read journal's are, on two
 * journals of events under four busy tags and one rare one: a small one and a larger one, and on a
 * third whose statistics were never taken.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalTagQueryPlanTest {

  private static final String EVENTS_BY_TAG =
      TagIndexedReadJournalDao.eventsByTagStatement("event_journal", "event_tag");

  /** Every 100th event is tagged {@code onboarding}, the others {@code kitchen-0..3}. */
  private static final int RARE_EVERY = 100;

  private static final List<Integer> SIZES = List.of(20_000, 200_000);

  /**
   * A journal of this many events whose statistics are never taken (autovacuum is off for it): at
   * this size PostgreSQL, without statistics, answered the freshness look's MIN of an event's tag
   * by walking the index by tag from its first entry, for every event.
   */
  private static final int UNANALYZED = 150_000;

  private final Map<Integer, TestDatabase> journals = new java.util.TreeMap<>();

  @BeforeAll
  void journalsWithHistory() throws Exception {
    for (int events :
        java.util.stream.Stream.concat(SIZES.stream(), java.util.stream.Stream.of(UNANALYZED))
            .toList()) {
      TestDatabase db = TestDatabase.migratedPostgres();
      journals.put(events, db);
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        if (events == UNANALYZED) {
          s.execute("ALTER TABLE event_journal SET (autovacuum_enabled = false)");
          s.execute("ALTER TABLE event_tag SET (autovacuum_enabled = false)");
        }
        s.execute(
            "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp, event_ser_id,"
                + " event_ser_manifest, event_payload) SELECT 'Kitchen|k' || (g % 500), g, 'w', 0, 1, 'm', '\\x00'::bytea"
                + " FROM generate_series(1, "
                + events
                + ") g");
        s.execute(
            "INSERT INTO event_tag (event_id, tag) SELECT ordering, CASE WHEN ordering % "
                + RARE_EVERY
                + " = 0 THEN 'onboarding' ELSE 'kitchen-' || (ordering % 4) END FROM event_journal");
        if (events != UNANALYZED) {
          s.execute("ANALYZE event_journal");
          s.execute("ANALYZE event_tag");
        }
      }
    }
  }

  @AfterAll
  void drop() throws Exception {
    for (TestDatabase db : journals.values()) db.close();
  }

  @Test
  void aCaughtUpPollReadsOnlyItsNewEvents() throws Exception {
    // 100 new events, of which 24 or 25 are kitchen-1's.
    for (var journal : journals.entrySet())
      assertReadsOnlyTheTag(
          plan(journal.getValue(), "kitchen-1", journal.getKey() - 100, journal.getKey(), 500), 25);
  }

  @Test
  void aProjectionFarBehindReadsOneBatchFromItsOffset() throws Exception {
    for (var journal : journals.entrySet())
      assertReadsOnlyTheTag(
          plan(journal.getValue(), "kitchen-1", journal.getKey() / 2, journal.getKey(), 500), 500);
  }

  @Test
  void aReplayFromTheStartReadsOnlyOneBatch() throws Exception {
    for (var journal : journals.entrySet())
      assertReadsOnlyTheTag(plan(journal.getValue(), "kitchen-1", 0, journal.getKey(), 500), 500);
  }

  @Test
  void aRareTagsPollDoesNotReadTheOtherTagsEvents() throws Exception {
    // The plugin's own query read every event of the range to find these: 10,000 here.
    for (var journal : journals.entrySet())
      assertReadsOnlyTheTag(
          plan(journal.getValue(), "onboarding", journal.getKey() - 10_000, journal.getKey(), 500),
          10_000 / RARE_EVERY);
  }

  @Test
  void theFreshnessLooksReadOnlyWhatIsNewOrPending() throws Exception {
    for (var journal : journals.entrySet()) {
      int newest = journal.getKey();
      try (Connection c =
          journal.getValue().connect(Map.of("options", Database.READ_MODEL_PG_OPTIONS))) {
        assertProbesTagsByEventId(
            QueryPlans.analyze(
                c,
                FreshnessLook.newEventsStatement(),
                ps -> {
                  ps.setLong(1, newest - 100);
                  ps.setLong(2, newest);
                }),
            100);
        // A projection 100 events behind, one 150 behind whose tag is rare, and one whose tag has
        // no event at all and no stored offset: the last reads nothing, however long the journal.
        assertReadsTheTagsPendingEventsOnly(
            QueryPlans.analyze(
                c,
                FreshnessLook.pendingStatement(3),
                ps -> {
                  ps.setString(1, "kitchen-1");
                  ps.setLong(2, newest - 100);
                  ps.setLong(3, newest);
                  ps.setString(4, "onboarding");
                  ps.setLong(5, newest - 150);
                  ps.setLong(6, newest);
                  ps.setString(7, "payment-0");
                  ps.setLong(8, 0);
                  ps.setLong(9, newest);
                }),
            25);
      }
    }
  }

  /**
   * Each tag's pending events come from one pass over its range of the index by tag (at most {@code
   * maxRows} rows), and each event's write time from the journal by its ordering; nothing else is
   * read.
   */
  private void assertReadsTheTagsPendingEventsOnly(JsonNode root, int maxRows) {
    List<JsonNode> nodes = QueryPlans.nodes(root);
    assertThat(nodes)
        .extracting(n -> n.get("Node Type").asText())
        .as("%s", root)
        .doesNotContain("Seq Scan", "Hash Join", "Merge Join");
    List<JsonNode> tags = relation(nodes, "event_tag");
    assertThat(tags).as("%s", root).hasSize(3);
    for (JsonNode scan : tags) {
      assertThat(scan.get("Actual Loops").asLong()).as("%s", root).isEqualTo(1);
      assertThat(scan.get("Actual Rows").asLong()).as("%s", root).isLessThanOrEqualTo(maxRows);
    }
    assertThat(nodes)
        .filteredOn(n -> n.path("Index Name").asText().startsWith("event_tag"))
        .as("%s", root)
        .allSatisfy(
            n -> assertThat(n.get("Index Name").asText()).isEqualTo("event_tag_tag_event_idx"));
    for (JsonNode fetch : relation(nodes, "event_journal")) {
      assertThat(fetch.get("Index Name").asText()).isEqualTo("event_journal_ordering_idx");
      assertThat(fetch.get("Actual Loops").asLong()).as("%s", root).isLessThanOrEqualTo(maxRows);
    }
  }

  /**
   * The plan reads the journal's range by ordering and each event's tags by the event id's hash
   * index, once per event: never the index by tag, which the MIN of a tag would walk from its first
   * entry.
   */
  private void assertProbesTagsByEventId(JsonNode root, int events) {
    List<JsonNode> nodes = QueryPlans.nodes(root);
    assertThat(nodes).extracting(n -> n.get("Node Type").asText()).doesNotContain("Seq Scan");
    List<JsonNode> tags = relation(nodes, "event_tag");
    assertThat(tags).as("%s", root).isNotEmpty();
    for (JsonNode probe : tags)
      assertThat(probe.get("Actual Loops").asLong()).as("%s", root).isLessThanOrEqualTo(events);
    assertThat(nodes)
        .filteredOn(n -> n.path("Index Name").asText().startsWith("event_tag"))
        .as("%s", root)
        .isNotEmpty()
        .allSatisfy(
            n -> assertThat(n.get("Index Name").asText()).isEqualTo("event_tag_event_id_idx"));
    for (JsonNode scan : relation(nodes, "event_journal"))
      assertThat(scan.get("Actual Rows").asLong()).isLessThanOrEqualTo(events);
  }

  /**
   * The plan reads at most {@code maxRows} rows of the tag's index, in one pass, and fetches each
   * of them from the journal by its ordering; it reads nothing else, and neither scans nor hashes a
   * table. (The plugin's own statement fails this: it reads the tags once per journal event.)
   */
  private void assertReadsOnlyTheTag(JsonNode root, int maxRows) {
    List<JsonNode> nodes = QueryPlans.nodes(root);
    assertThat(nodes)
        .extracting(n -> n.get("Node Type").asText())
        .doesNotContain("Hash Join", "Merge Join", "Seq Scan", "Hash")
        .contains("Nested Loop");
    List<JsonNode> tags = relation(nodes, "event_tag");
    assertThat(tags).isNotEmpty();
    for (JsonNode scan : tags) {
      assertThat(scan.get("Actual Loops").asLong()).isEqualTo(1);
      assertThat(scan.get("Actual Rows").asLong()).isLessThanOrEqualTo(maxRows);
      assertThat(scan.path("Rows Removed by Filter").asLong(0)).isZero();
      if (scan.has("Index Name"))
        assertThat(scan.get("Index Name").asText()).isEqualTo("event_tag_tag_event_idx");
    }
    assertThat(nodes)
        .filteredOn(n -> n.get("Node Type").asText().equals("Bitmap Index Scan"))
        .allSatisfy(
            n -> assertThat(n.get("Index Name").asText()).isEqualTo("event_tag_tag_event_idx"));
    List<JsonNode> journal = relation(nodes, "event_journal");
    assertThat(journal).hasSize(1);
    assertThat(journal.get(0).get("Index Name").asText()).isEqualTo("event_journal_ordering_idx");
    assertThat(journal.get(0).get("Actual Loops").asLong()).isLessThanOrEqualTo(maxRows);
  }

  private static List<JsonNode> relation(List<JsonNode> nodes, String table) {
    return nodes.stream()
        .filter(n -> n.has("Relation Name") && n.get("Relation Name").asText().equals(table))
        .toList();
  }

  private JsonNode plan(TestDatabase db, String tag, long offset, long maxOffset, int limit)
      throws Exception {
    try (Connection c = db.connect(Map.of("options", Database.READ_JOURNAL_PG_OPTIONS))) {
      return QueryPlans.analyze(
          c,
          EVENTS_BY_TAG,
          ps -> {
            ps.setString(1, tag);
            ps.setLong(2, offset);
            ps.setLong(3, maxOffset);
            ps.setInt(4, limit);
          });
    }
  }
}
