package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.testing.TestClock;
import java.time.Instant;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

class ProjectionStatsTest {

  private final ProjectionStats stats =
      new ProjectionStats(TestClock.stoppedAt(Instant.parse("2027-01-06T10:00:00Z")));
  private final StatusObserver<EventEnvelope<Object>> observer = stats.observer();
  private final ProjectionId id = ProjectionId.of("read-models", "kitchen-0");

  private String state() {
    return stats.snapshot().get(id.key()).state();
  }

  @Test
  void anInstanceWhoseStreamStopsIsStopped() {
    observer.started(id);
    assertThat(state()).isEqualTo("RUNNING");
    observer.stopped(id);
    assertThat(state()).isEqualTo("STOPPED");
  }

  @Test
  void theOldStreamStoppingAfterItsSuccessorStartedLeavesTheInstanceRunning() {
    observer.started(id);
    observer.started(id); // the successor, after a rebuild, before the old stream reports its stop
    observer.stopped(id);
    assertThat(state()).isEqualTo("RUNNING");
    observer.stopped(id);
    assertThat(state()).isEqualTo("STOPPED");
    observer.started(id);
    assertThat(state()).isEqualTo("RUNNING");
  }
}
