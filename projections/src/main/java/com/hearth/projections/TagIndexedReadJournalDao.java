package com.hearth.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.concurrent.ExecutionContext;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * The read journal's data access (pekko-persistence-jdbc's {@code jdbc-read-journal.dao}), with one
 * change: a projection's poll finds the events of its tag through the tag's own index, {@code
 * event_tag (tag, event_id)}, and reads only those.
 *
 * <p>The plugin's own query puts the offset range on the journal's ordering and the tag on {@code
 * event_tag}; PostgreSQL does not carry a range across a join's equality, so its only plan that
 * does not read a tag's whole history walks the journal over the range and probes {@code event_tag}
 * once per event, for every tag stream: with 13 streams each event was probed 13 times, whatever
 * its tag. Here the range is on {@code event_tag.event_id} itself, so a poll reads its own tag's
 * events in the range, in order, and fetches each from the journal by its ordering. The rows, their
 * order and the limit are the plugin's; the events of other tags are not touched.
 *
 * <p>The statement runs through Slick on the read journal's own pool and threads, as the plugin's
 * queries do. The table names are the read journal's configured ones; the columns are those of the
 * plugin's schema (migration V1).
 */
public final class TagIndexedReadJournalDao extends DefaultReadJournalDao {

  private final Serialization serialization;
  private final String eventsByTag;

  public TagIndexedReadJournalDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      ReadJournalConfig readJournalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, readJournalConfig, serialization, ec, mat);
    this.serialization = serialization;
    this.eventsByTag =
        eventsByTagStatement(
            readJournalConfig.eventJournalTableConfiguration().tableName(),
            readJournalConfig.eventTagTableConfiguration().tableName());
  }

  /**
   * The statement of a poll: up to {@code limit} events of the tag with offset < ordering <= max
   * offset, in order, deleted ones included (the caller drops them). The tag's events are picked
   * first, in a subquery with its own limit that the planner cannot merge into the join: with the
   * two in one query the planner may instead walk the journal's ordering from its very first event
   * (the order asked for is also the journal's) and probe the tag for each.
   */
  public static String eventsByTagStatement(String journalTable, String tagTable) {
    return "SELECT j.ordering, j.deleted, j.persistence_id, j.sequence_number, j.writer,"
        + " j.write_timestamp, j.adapter_manifest, j.event_payload, j.event_ser_id,"
        + " j.event_ser_manifest, j.meta_payload, j.meta_ser_id, j.meta_ser_manifest"
        + " FROM (SELECT event_id FROM "
        + tagTable
        + " WHERE tag = ? AND event_id > ? AND event_id <= ?"
        + " ORDER BY event_id FETCH FIRST ? ROWS ONLY) t JOIN "
        + journalTable
        + " j ON j.ordering = t.event_id ORDER BY t.event_id";
  }

  @Override
  public org.apache.pekko.stream.scaladsl.Source<
          Try<Tuple3<PersistentRepr, scala.collection.immutable.Set<String>, Object>>, NotUsed>
      eventsByTag(String tag, long offset, long maxOffset, long max) {
    int limit = (int) Math.min(max, Integer.MAX_VALUE);
    return Source.completionStage(
            FutureConverters.asJava(
                run(connection -> rows(connection, tag, offset, maxOffset, limit))))
        .mapConcat(rows -> rows)
        .map(this::deserialize)
        .asScala();
  }

  /**
   * Runs plain JDBC as a Slick action, on one of the pool's connections and Slick's threads.
   * Slick's actions are contravariant in their effect, which Java's generics cannot say; hence raw
   * types.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> scala.concurrent.Future<R> run(java.util.function.Function<Connection, R> work) {
    DBIOAction action = new SimpleJdbcAction<R>(context -> work.apply(context.session().conn()));
    return (scala.concurrent.Future<R>) db().run(action);
  }

  /**
   * Up to {@code limit} of the tag's events after {@code offset}, deleted ones left out. Deleted
   * events are read past until the batch is full or the tag has no more: the read journal takes a
   * short batch to mean that the tag has nothing more for now, and an empty one to mean nothing up
   * to {@code maxOffset}.
   */
  private List<JournalPekkoSerializationRow> rows(
      Connection connection, String tag, long offset, long maxOffset, int limit) {
    try (PreparedStatement ps = connection.prepareStatement(eventsByTag)) {
      List<JournalPekkoSerializationRow> live = new ArrayList<>();
      long from = offset;
      while (true) {
        int asked = limit - live.size();
        ps.setString(1, tag);
        ps.setLong(2, from);
        ps.setLong(3, maxOffset);
        ps.setInt(4, asked);
        int read = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            read++;
            from = rs.getLong(1);
            if (!rs.getBoolean(2)) live.add(row(rs));
          }
        }
        if (live.size() >= limit || read < asked) return live;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal by tag " + tag, e);
    }
  }

  private static JournalPekkoSerializationRow row(ResultSet rs) throws SQLException {
    int metaSerId = rs.getInt(12);
    boolean hasMetaSerId = !rs.wasNull();
    return new JournalPekkoSerializationRow(
        rs.getLong(1),
        rs.getBoolean(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getBytes(8),
        rs.getInt(9),
        rs.getString(10),
        Option.apply(rs.getBytes(11)),
        hasMetaSerId ? Option.<Object>apply(metaSerId) : Option.empty(),
        Option.apply(rs.getString(13)));
  }

  private Try<Tuple3<PersistentRepr, scala.collection.immutable.Set<String>, Object>> deserialize(
      JournalPekkoSerializationRow row) {
    Try<Tuple2<PersistentRepr, Object>> event = PekkoSerialization.fromRow(serialization, row);
    return event.map(
        e -> new Tuple3<>(e._1(), scala.collection.immutable.Set$.MODULE$.<String>empty(), e._2()));
  }
}
