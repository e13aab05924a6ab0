package com.hearth.projections;

import com.hearth.engine.kitchen.KitchenEntity;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Writes a group of events to the read tables in the transaction that also stores the group's offset. */
final class ReadModelHandler extends JdbcHandler<List<EventEnvelope<KitchenEntity.Event>>, HikariJdbcSession> {

  private final SqlDialect dialect;

  ReadModelHandler(SqlDialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void process(HikariJdbcSession session, List<EventEnvelope<KitchenEntity.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      new ReadModelWriter(connection, dialect).apply(envelopes);
      return null;
    });
  }
}
