package com.hearth.projections;

import com.hearth.engine.payment.PaymentEntity;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/** Writes a group of payment events to the payment read tables in the transaction that also stores the group's offset. */
final class PaymentReadModelHandler extends JdbcHandler<List<EventEnvelope<PaymentEntity.Event>>, HikariJdbcSession> {

  private final SqlDialect dialect;

  PaymentReadModelHandler(SqlDialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public void process(HikariJdbcSession session, List<EventEnvelope<PaymentEntity.Event>> envelopes) throws Exception {
    session.withConnection(connection -> {
      new PaymentReadModelWriter(connection, dialect).apply(envelopes);
      return null;
    });
  }
}
