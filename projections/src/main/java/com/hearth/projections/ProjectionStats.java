package com.hearth.projections;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators need to know of the read-model projections on this node: whether each one is
 * running or failing (and why), and the lag from an event's write to its committed row.
 *
 * <p>States: STARTING, RUNNING, STOPPED, RESTARTING (the stream failed and restarts after a
 * backoff) and FAILING (the handler could not apply an event; it stays so until that event goes
 * through, which may need a fix).
 *
 * <p>Lag is measured when a group's offset has been committed, against the journal's write
 * timestamp of the group's last event. It is logged every interval in which events were projected.
 */
public final class ProjectionStats {

  private static final Logger log = LoggerFactory.getLogger(ProjectionStats.class);

  /** One projection instance as last seen. */
  public record Status(
      String projection,
      String state,
      long eventsProjected,
      Long lastLagMs,
      Long maxLagMsSinceReport,
      Instant lastEventWrittenAt,
      Instant lastProgressAt,
      String lastError,
      Instant lastErrorAt) {

    public boolean failing() {
      return "FAILING".equals(state);
    }
  }

  private final Clock clock;
  private final Map<String, Status> statuses = new ConcurrentHashMap<>();

  public ProjectionStats(Clock clock) {
    this.clock = clock;
  }

  /**
   * Every instance seen on this node, by projection key. An error is shown until the instance has
   * progressed past it, or has been RUNNING without failing for {@link #FAILING_IS_CURRENT_FOR} (an
   * idle instance has nothing to progress with); after that it is history, not health.
   */
  public Map<String, Status> snapshot() {
    Instant recent = clock.instant().minus(FAILING_IS_CURRENT_FOR);
    Map<String, Status> shown = new TreeMap<>();
    statuses.forEach(
        (key, s) ->
            shown.put(
                key,
                "RUNNING".equals(s.state())
                        && s.lastErrorAt() != null
                        && s.lastErrorAt().isBefore(recent)
                    ? withoutError(s)
                    : s));
    return shown;
  }

  private static Status withoutError(Status s) {
    return new Status(
        s.projection(),
        s.state(),
        s.eventsProjected(),
        s.lastLagMs(),
        s.maxLagMsSinceReport(),
        s.lastEventWrittenAt(),
        s.lastProgressAt(),
        null,
        null);
  }

  /**
   * Running streams of each instance. After a rebuild or a rebalance the new stream may start
   * before the old one reports that it stopped; the instance is STOPPED only when none runs.
   */
  private final Map<String, Integer> streamsRunning = new ConcurrentHashMap<>();

  /** Failures of each instance since it last progressed: the first few are logged as warnings. */
  private final Map<String, Integer> failuresSinceProgress = new ConcurrentHashMap<>();

  /**
   * A restart or two is routine (a busy database at start-up); more is an error worth a stack
   * trace.
   */
  static final int FAILURES_LOGGED_AS_WARNINGS = 2;

  /**
   * Whether an instance here is failing now. A failing projection retries at least every {@link
   * #FAILING_IS_CURRENT_FOR} and fails again each time; one whose last failure is older no longer
   * runs here (it moved to another node, which reports it now).
   */
  public boolean anyFailing() {
    Instant recent = clock.instant().minus(FAILING_IS_CURRENT_FOR);
    return statuses.values().stream().anyMatch(s -> s.failing() && s.lastErrorAt().isAfter(recent));
  }

  /** Twice the longest restart backoff of pekko.projection.restart-backoff (30 s), and some. */
  static final Duration FAILING_IS_CURRENT_FOR = Duration.ofSeconds(90);

  /** Logs each instance's lag since the last report and resets the per-report maximum. */
  public void report() {
    statuses.replaceAll(
        (key, s) -> {
          if (s.maxLagMsSinceReport() != null)
            log.info(
                "read models {}: {} events projected, lag {} ms (max {} ms since last report)",
                key,
                s.eventsProjected(),
                s.lastLagMs(),
                s.maxLagMsSinceReport());
          return new Status(
              s.projection(),
              s.state(),
              s.eventsProjected(),
              s.lastLagMs(),
              null,
              s.lastEventWrittenAt(),
              s.lastProgressAt(),
              s.lastError(),
              s.lastErrorAt());
        });
  }

  <E> StatusObserver<EventEnvelope<E>> observer() {
    return new StatusObserver<>() {
      @Override
      public void started(ProjectionId id) {
        streamsRunning.merge(id.key(), 1, Integer::sum);
        // A handler that failed on an event stays FAILING until that event goes through.
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    s.failing() ? "FAILING" : "RUNNING",
                    s.eventsProjected(),
                    s.lastLagMs(),
                    s.maxLagMsSinceReport(),
                    s.lastEventWrittenAt(),
                    s.lastProgressAt(),
                    s.lastError(),
                    s.lastErrorAt()));
      }

      @Override
      public void failed(ProjectionId id, Throwable cause) {
        int failures = failuresSinceProgress.merge(id.key(), 1, Integer::sum);
        if (failures <= FAILURES_LOGGED_AS_WARNINGS)
          log.warn(
              "read-model projection {} stopped on a passing error and restarts in a few seconds (nothing is lost: it"
                  + " resumes from its last offset): {}",
              id.id(),
              cause.toString());
        else
          log.error(
              "read-model projection {} failed {} times in a row and will restart after a backoff: {}",
              id.id(),
              failures,
              cause.toString(),
              cause);
        Instant now = clock.instant();
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    s.failing() ? "FAILING" : "RESTARTING",
                    s.eventsProjected(),
                    s.lastLagMs(),
                    s.maxLagMsSinceReport(),
                    s.lastEventWrittenAt(),
                    s.lastProgressAt(),
                    cause.toString(),
                    now));
      }

      @Override
      public void stopped(ProjectionId id) {
        // A failing projection is stopped before each restart: it stays FAILING. A stream that
        // stops
        // after its successor started leaves the instance as the successor made it.
        int stillRunning =
            streamsRunning.compute(id.key(), (key, n) -> n == null || n <= 1 ? 0 : n - 1);
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    s.failing() ? "FAILING" : stillRunning > 0 ? s.state() : "STOPPED",
                    s.eventsProjected(),
                    s.lastLagMs(),
                    s.maxLagMsSinceReport(),
                    s.lastEventWrittenAt(),
                    s.lastProgressAt(),
                    s.lastError(),
                    s.lastErrorAt()));
      }

      @Override
      public void beforeProcess(ProjectionId id, EventEnvelope<E> envelope) {}

      @Override
      public void afterProcess(ProjectionId id, EventEnvelope<E> envelope) {
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    s.state(),
                    s.eventsProjected() + 1,
                    s.lastLagMs(),
                    s.maxLagMsSinceReport(),
                    s.lastEventWrittenAt(),
                    s.lastProgressAt(),
                    s.lastError(),
                    s.lastErrorAt()));
      }

      @Override
      public void offsetProgress(ProjectionId id, EventEnvelope<E> envelope) {
        Instant now = clock.instant();
        Instant written = Instant.ofEpochMilli(envelope.timestamp());
        long lag = Math.max(0, Duration.between(written, now).toMillis());
        failuresSinceProgress.remove(id.key());
        // Progress after an error means the error is over.
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    "RUNNING",
                    s.eventsProjected(),
                    lag,
                    Math.max(lag, s.maxLagMsSinceReport() == null ? 0 : s.maxLagMsSinceReport()),
                    written,
                    now,
                    null,
                    null));
      }

      @Override
      public void error(
          ProjectionId id,
          EventEnvelope<E> envelope,
          Throwable cause,
          HandlerRecoveryStrategy strategy) {
        log.error(
            "read-model projection {} cannot apply event {} of {}: {}",
            id.id(),
            envelope.sequenceNr(),
            envelope.persistenceId(),
            cause.toString());
        Instant now = clock.instant();
        update(
            id,
            s ->
                new Status(
                    s.projection(),
                    "FAILING",
                    s.eventsProjected(),
                    s.lastLagMs(),
                    s.maxLagMsSinceReport(),
                    s.lastEventWrittenAt(),
                    s.lastProgressAt(),
                    cause.toString(),
                    now));
      }
    };
  }

  private void update(ProjectionId id, java.util.function.UnaryOperator<Status> change) {
    statuses.compute(
        id.key(),
        (key, s) ->
            change.apply(
                s != null
                    ? s
                    : new Status(id.name(), "STARTING", 0, null, null, null, null, null, null)));
  }
}
