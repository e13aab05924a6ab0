package com.hearth.http.observability;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.Function1;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal, timed: each write ({@code hearth_journal_write_seconds}, the
 * events in it in {@code hearth_journal_events_written_total}) and each recovery of an entity when
 * it starts ({@code hearth_journal_recovery_seconds}). Configured as {@code jdbc-journal.class}; it
 * changes nothing else.
 */
public final class TimedJournal extends JdbcAsyncWriteJournal {

  public TimedJournal(Config config) {
    super(config);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long start = System.nanoTime();
    String type = messages.isEmpty() ? "unknown" : entityType(messages.head().persistenceId());
    long events = 0;
    for (scala.collection.Iterator<AtomicWrite> it = messages.iterator(); it.hasNext(); )
      events += it.next().size();
    long written = events;
    Future<Seq<Try<BoxedUnit>>> result = super.asyncWriteMessages(messages);
    result.onComplete(
        outcome -> {
          boolean ok = outcome.isSuccess();
          HearthMetrics.journalWrite(type, ok ? "success" : "failure", System.nanoTime() - start);
          if (ok) HearthMetrics.journalEvents(type, written);
          return BoxedUnit.UNIT;
        },
        ec());
    return result;
  }

  @Override
  public Future<BoxedUnit> asyncReplayMessages(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Function1<PersistentRepr, BoxedUnit> recoveryCallback) {
    long start = System.nanoTime();
    Future<BoxedUnit> result =
        super.asyncReplayMessages(
            persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
    result.onComplete(
        outcome -> {
          HearthMetrics.journalRecovery(
              entityType(persistenceId),
              "replay",
              outcome.isSuccess() ? "success" : "failure",
              System.nanoTime() - start);
          return BoxedUnit.UNIT;
        },
        ec());
    return result;
  }

  @Override
  public Future<Object> asyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    long start = System.nanoTime();
    Future<Object> result = super.asyncReadHighestSequenceNr(persistenceId, fromSequenceNr);
    result.onComplete(
        outcome -> {
          HearthMetrics.journalRecovery(
              entityType(persistenceId),
              "highest_sequence_nr",
              outcome.isSuccess() ? "success" : "failure",
              System.nanoTime() - start);
          return BoxedUnit.UNIT;
        },
        ec());
    return result;
  }

  /** {@code Kitchen|k-123} is of type {@code Kitchen}: a bounded label, never the id. */
  static String entityType(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    String type = bar < 0 ? "other" : persistenceId.substring(0, bar);
    return type.matches("[A-Za-z][A-Za-z0-9_-]{0,40}") ? type : "other";
  }
}
