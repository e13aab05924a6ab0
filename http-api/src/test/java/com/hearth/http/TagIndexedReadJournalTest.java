package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.projections.TagIndexedReadJournalDao;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The projections' polls by tag go through {@link TagIndexedReadJournalDao}, and it returns exactly
 * what pekko-persistence-jdbc's own data access returns: the same events of the tag, in the same
 * order, from any offset, across batch limits, without deleted events. Checked on H2 and PostgreSQL
 * against the plugin's default DAO on the same journal, and against the journal's contents as
 * written.
 */
class TagIndexedReadJournalTest {

  private static final int EVENTS = 3_000;
  private static final List<String> TAGS =
      List.of("kitchen-0", "kitchen-1", "kitchen-2", "kitchen-3", "onboarding", "payment-0");

  /** An event as a reader sees it: its ordering, entity, sequence number and payload. */
  record Seen(long ordering, String persistenceId, long sequenceNr, String payload) {}

  @ParameterizedTest
  @EnumSource(TestDatabase.Backend.class)
  void pollsByTagReturnWhatThePluginsQueryReturns(TestDatabase.Backend backend) throws Exception {
    try (TestDatabase db = TestDatabase.migrated(backend)) {
      List<List<String>> tagsOf = journal(db);
      Config base =
          ConfigFactory.parseMap(db.nodeSettings())
              .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
              .withFallback(ConfigFactory.load());
      Config config =
          new Database(NodeSettings.from(base))
              .persistenceConfig()
              .withFallback(
                  ConfigFactory.parseString(
                      // A small batch, so that polls end inside a tag's events; and the plugin's
                      // own read journal beside the node's, on the same database.
                      """
                      jdbc-read-journal.max-buffer-size = 7
                      plugin-read-journal = ${jdbc-read-journal}
                      plugin-read-journal.dao = "org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao"
                      """))
              .withFallback(base)
              .resolve();
      ActorSystem system = ActorSystem.create("tag-index-" + backend.name().toLowerCase(), config);
      try {
        org.apache.pekko.persistence.jdbc.query.scaladsl.JdbcReadJournal scaladsl =
            PersistenceQuery.get(system).readJournalFor(JdbcReadJournal.Identifier());
        assertThat(scaladsl.readJournalDao()).isInstanceOf(TagIndexedReadJournalDao.class);
        JdbcReadJournal node =
            PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        JdbcReadJournal plugin =
            PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, "plugin-read-journal");
        for (String tag : TAGS) {
          for (long offset : new long[] {0, 1, 1_000, EVENTS - 5, EVENTS}) {
            List<Seen> expected = written(tagsOf, tag, offset);
            List<Seen> read = read(system, node, tag, offset);
            assertThat(read).as("%s after %d", tag, offset).isEqualTo(expected);
            assertThat(read(system, plugin, tag, offset))
                .as("plugin, %s after %d", tag, offset)
                .isEqualTo(read);
          }
        }
        assertThat(written(tagsOf, "kitchen-1", 0)).hasSizeGreaterThan(500);
        assertThat(written(tagsOf, "onboarding", 0)).hasSizeBetween(5, 100);
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Writes {@value #EVENTS} events of 40 entities, each with one of the kitchen tags, some with a
   * second tag, a few with the rare {@code onboarding}, and every 97th deleted. Returns each
   * event's tags by ordering (index 0 is ordering 1), or null for a deleted event.
   */
  private static List<List<String>> journal(TestDatabase db) throws Exception {
    Random random = new Random(20261130);
    List<List<String>> tagsOf = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement event =
            c.prepareStatement(
                "INSERT INTO event_journal (ordering, persistence_id, sequence_number, deleted,"
                    + " writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
                    + " event_payload)"
                    + " VALUES (?, ?, ?, ?, 'w', 0, '', 4, '', ?)");
        PreparedStatement tag =
            c.prepareStatement("INSERT INTO event_tag (event_id, tag) VALUES (?, ?)")) {
      for (int ordering = 1; ordering <= EVENTS; ordering++) {
        int entity = ordering % 40;
        event.setLong(1, ordering);
        event.setString(2, persistenceId(entity));
        event.setLong(3, sequenceNr(ordering));
        boolean deleted = ordering % 97 == 0 || (ordering > 2_000 && ordering <= 2_100);
        event.setBoolean(4, deleted);
        event.setBytes(5, payload(ordering).getBytes(StandardCharsets.UTF_8));
        event.executeUpdate();
        List<String> tags = new ArrayList<>();
        tags.add(random.nextInt(100) < 2 ? "onboarding" : "kitchen-" + random.nextInt(4));
        if (random.nextInt(10) == 0) tags.add("kitchen-" + random.nextInt(4));
        for (String t : tags.stream().distinct().toList()) {
          tag.setLong(1, ordering);
          tag.setString(2, t);
          tag.executeUpdate();
        }
        tagsOf.add(deleted ? null : tags);
      }
    }
    return tagsOf;
  }

  private static String persistenceId(int entity) {
    return "Kitchen|k" + entity;
  }

  private static long sequenceNr(int ordering) {
    return (ordering - 1) / 40 + 1;
  }

  private static String payload(long ordering) {
    return "event " + ordering;
  }

  private static List<Seen> written(List<List<String>> tagsOf, String tag, long offset) {
    List<Seen> events = new ArrayList<>();
    for (int ordering = (int) offset + 1; ordering <= tagsOf.size(); ordering++) {
      List<String> tags = tagsOf.get(ordering - 1);
      if (tags != null && tags.contains(tag))
        events.add(
            new Seen(
                ordering, persistenceId(ordering % 40), sequenceNr(ordering), payload(ordering)));
    }
    return events;
  }

  private static List<Seen> read(
      ActorSystem system, JdbcReadJournal journal, String tag, long offset) throws Exception {
    return journal
        .currentEventsByTag(tag, Sequence.apply(offset))
        .map(
            e ->
                new Seen(
                    ((Sequence) e.offset()).value(),
                    e.persistenceId(),
                    e.sequenceNr(),
                    new String((byte[]) e.event(), StandardCharsets.UTF_8)))
        .runWith(Sink.seq(), org.apache.pekko.stream.Materializer.matFromSystem(system))
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }
}
