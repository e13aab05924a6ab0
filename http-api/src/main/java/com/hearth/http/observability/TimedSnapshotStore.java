package com.hearth.http.observability;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.jdbc.snapshot.JdbcSnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.Option;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;

/**
 * pekko-persistence-jdbc's snapshot store, measured: the serialized size of each snapshot saved
 * ({@code hearth_snapshot_size_bytes}) and the time to load one when an entity starts ({@code
 * hearth_snapshot_load_seconds}). Configured as {@code jdbc-snapshot-store.class}. Snapshots are
 * rare (one per many events), so sizing one by serializing it again costs little.
 */
public final class TimedSnapshotStore extends JdbcSnapshotStore {

  public TimedSnapshotStore(Config config) {
    super(config);
  }

  @Override
  public Future<BoxedUnit> saveAsync(SnapshotMetadata metadata, Object snapshot) {
    String type = TimedJournal.entityType(metadata.persistenceId());
    try {
      Serialization serialization = SerializationExtension.get(context().system());
      HearthMetrics.snapshotSize(type, serialization.serialize(snapshot).get().length);
    } catch (RuntimeException e) {
      // The store serializes it again below and reports its own failure; the size is only a
      // measure.
    }
    return super.saveAsync(metadata, snapshot);
  }

  @Override
  public Future<Option<SelectedSnapshot>> loadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    long start = System.nanoTime();
    Future<Option<SelectedSnapshot>> result = super.loadAsync(persistenceId, criteria);
    result.onComplete(
        outcome -> {
          HearthMetrics.snapshotLoad(
              TimedJournal.entityType(persistenceId),
              outcome.isSuccess() ? "success" : "failure",
              System.nanoTime() - start);
          return BoxedUnit.UNIT;
        },
        ec());
    return result;
  }
}
