package com.hearth.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes a group of events to read tables in the transaction that also stores the group's offset:
 * the writer gets the projection's connection and the whole group.
 */
final class GroupHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, HikariJdbcSession> {

  /** Applies a group of events over one connection, inside the projection's transaction. */
  interface Writer<E> {
    void apply(Connection connection, List<EventEnvelope<E>> envelopes) throws SQLException;
  }

  private final Writer<E> writer;

  GroupHandler(Writer<E> writer) {
    this.writer = writer;
  }

  @Override
  public void process(HikariJdbcSession session, List<EventEnvelope<E>> envelopes)
      throws Exception {
    session.withConnection(
        connection -> {
          writer.apply(connection, envelopes);
          return null;
        });
  }
}
