package com.hearth.http;

import com.hearth.engine.compliance.ComplianceEntity;
import com.hearth.engine.compliance.DocumentField;
import com.hearth.engine.compliance.FieldReading;
import com.hearth.ocr.worker.DocumentJobs;
import com.hearth.ocr.worker.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the OCR workers' outcomes to the kitchens' compliance entities, where they become events
 * ({@code DocumentRead}, {@code DocumentUnreadable}), then marks them delivered. Every node runs it
 * every {@code hearth.ocr.delivery-interval}, and an embedded worker runs it as each document
 * finishes. Delivering twice is harmless: an entity records a result only for a document that still
 * waits for one. JDBC runs on the query dispatcher, never on an actor thread.
 */
final class DocumentDelivery {

  private static final Logger log = LoggerFactory.getLogger(DocumentDelivery.class);
  private static final int BATCH = 50;

  private final ClusterSharding sharding;
  private final DocumentJobs jobs;
  private final Executor jdbc;
  private final Duration askTimeout;
  private final Clock clock;
  private final ComplianceStandings standings;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  DocumentDelivery(
      ActorSystem<?> system,
      DocumentJobs jobs,
      Executor jdbc,
      Duration askTimeout,
      ComplianceStandings standings,
      Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.jobs = jobs;
    this.jdbc = jdbc;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.standings = standings;
  }

  static DocumentDelivery start(
      ActorSystem<?> system,
      DocumentJobs jobs,
      Executor jdbc,
      Duration askTimeout,
      ComplianceStandings standings,
      Clock clock) {
    DocumentDelivery delivery =
        new DocumentDelivery(system, jobs, jdbc, askTimeout, standings, clock);
    Duration every = system.settings().config().getDuration("hearth.ocr.delivery-interval");
    system
        .scheduler()
        .scheduleWithFixedDelay(every, every, delivery::deliver, system.executionContext());
    return delivery;
  }

  /** Delivers what has finished; a call while a round runs asks for one more round after it. */
  void deliver() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    CompletableFuture.supplyAsync(() -> jobs.undelivered(BATCH), jdbc)
        .thenCompose(
            finished ->
                CompletableFuture.allOf(
                        finished.stream().map(this::deliver).toArray(CompletableFuture[]::new))
                    .thenApply(v -> finished.size()))
        .whenComplete(
            (count, failure) -> {
              if (failure != null)
                log.warn("cannot deliver OCR results now: {}", failure.getMessage());
              running.set(false);
              if (again.getAndSet(false) || (count != null && count == BATCH)) deliver();
            });
  }

  private CompletableFuture<Void> deliver(DocumentJobs.Finished f) {
    var entity = sharding.entityRefFor(ComplianceEntity.ENTITY_KEY, f.kitchenId());
    Outcome o = f.outcome();
    var recorded =
        o.kind() == Outcome.Kind.READ
            ? entity.<ComplianceEntity.Recorded>ask(
                r ->
                    new ComplianceEntity.RecordReading(
                        f.documentId(),
                        fields(o),
                        o.textConfidence() == null ? 0.0 : o.textConfidence(),
                        o.attempts(),
                        r),
                askTimeout)
            : entity.<ComplianceEntity.Recorded>ask(
                r ->
                    new ComplianceEntity.RecordUnreadable(
                        f.documentId(), o.reason(), o.attempts(), r),
                askTimeout);
    return recorded
        .toCompletableFuture()
        .thenAcceptAsync(
            done -> {
              jobs.delivered(f.documentId(), clock.instant());
              if (done.applied()) standings.refresh(f.kitchenId());
            },
            jdbc)
        .exceptionally(
            e -> {
              log.warn("OCR result for {} not delivered yet: {}", f.documentId(), e.getMessage());
              return null;
            });
  }

  /** The worker's field names are the engine's; a name the engine does not know is left out. */
  private static Map<DocumentField, FieldReading> fields(Outcome o) {
    Map<DocumentField, FieldReading> out = new EnumMap<>(DocumentField.class);
    if (o.fields() == null) return out;
    o.fields()
        .forEach(
            (name, field) -> {
              try {
                out.put(
                    DocumentField.valueOf(name),
                    new FieldReading(field.value(), field.confidence()));
              } catch (IllegalArgumentException e) {
                log.warn("OCR result field {} is not known to the engine; left out", name);
              }
            });
    return out;
  }
}
