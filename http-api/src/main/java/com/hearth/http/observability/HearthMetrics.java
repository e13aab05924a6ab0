package com.hearth.http.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/**
 * Every metric Hearth records itself, in one place, with its Prometheus name in the comment (Kamon
 * adds {@code _total} to counters and {@code _seconds} or {@code _bytes} to histograms of time or
 * size). Label values are bounded: route templates, statuses, outcome and rule codes, entity types,
 * projection names, shard ids, never a kitchen, booking or user id. docs/metrics.md lists them all.
 */
public final class HearthMetrics {

  private HearthMetrics() {}

  private static final MeasurementUnit SECONDS = MeasurementUnit.time().seconds();
  private static final MeasurementUnit BYTES = MeasurementUnit.information().bytes();

  /**
   * The instruments of the metrics recorded on every request, looked up once per tag set: a lookup
   * by name and tags (a tag map, a tag set, the registry's maps) cost more than the recording. The
   * tag values are bounded (see above), so these maps are too; Kamon keeps the same instruments in
   * its registry anyway.
   */
  private record HttpKey(String route, String method, int status) {}

  private record HoldKey(String outcome, String rule) {}

  private static final ConcurrentHashMap<HttpKey, kamon.metric.Timer> HTTP_REQUESTS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<HoldKey, kamon.metric.Counter> HOLDS =
      new ConcurrentHashMap<>();
  private static volatile kamon.metric.Gauge httpActive;

  /** {@code hearth_http_requests_seconds}: requests by route template, method and status. */
  public static void httpRequest(String route, String method, int status, long nanos) {
    HTTP_REQUESTS
        .computeIfAbsent(
            new HttpKey(route, method, status),
            k ->
                Kamon.timer(
                        "hearth.http.requests",
                        "HTTP requests by route template, method and status")
                    .withTags(
                        TagSet.from(
                            Map.of(
                                "route",
                                k.route(),
                                "method",
                                k.method(),
                                "status",
                                Integer.toString(k.status())))))
        .record(nanos);
  }

  /** {@code hearth_http_requests_active}: requests being answered right now. */
  public static kamon.metric.Gauge httpActive() {
    kamon.metric.Gauge gauge = httpActive;
    if (gauge == null) {
      gauge = Kamon.gauge("hearth.http.requests.active", "HTTP requests in progress").withoutTags();
      httpActive = gauge;
    }
    return gauge;
  }

  /**
   * {@code hearth_holds_total}: hold decisions by outcome (accepted, replayed, rejected, busy,
   * timeout, failed) and rule (the rejection's code, or its rule for a rule violation; none when
   * accepted).
   */
  public static void holdDecision(String outcome, String rule) {
    HOLDS
        .computeIfAbsent(
            new HoldKey(outcome, rule),
            k ->
                Kamon.counter("hearth.holds", "Hold decisions by outcome and rule")
                    .withTags(TagSet.from(Map.of("outcome", k.outcome(), "rule", k.rule()))))
        .increment();
  }

  /**
   * {@code hearth_journal_write_seconds}: one journal write (a batch of events of one or more
   * entities).
   */
  public static void journalWrite(String entityType, String outcome, long nanos) {
    Kamon.timer("hearth.journal.write", "Journal writes by entity type and outcome")
        .withTags(TagSet.from(Map.of("entity_type", entityType, "outcome", outcome)))
        .record(nanos);
  }

  /** {@code hearth_journal_events_written_total}: events written to the journal. */
  public static void journalEvents(String entityType, long events) {
    Kamon.counter("hearth.journal.events.written", "Events written to the journal by entity type")
        .withTag("entity_type", entityType)
        .increment(events);
  }

  /**
   * {@code hearth_journal_recovery_seconds}: an entity's recovery from the journal when it starts,
   * by phase: {@code highest_sequence_nr} (every recovery) and {@code replay} (the events after its
   * snapshot).
   */
  public static void journalRecovery(String entityType, String phase, String outcome, long nanos) {
    Kamon.timer(
            "hearth.journal.recovery",
            "Entity recovery from the journal by entity type, phase and outcome")
        .withTags(
            TagSet.from(Map.of("entity_type", entityType, "phase", phase, "outcome", outcome)))
        .record(nanos);
  }

  /** {@code hearth_snapshot_load_seconds}: loading an entity's newest snapshot when it starts. */
  public static void snapshotLoad(String entityType, String outcome, long nanos) {
    Kamon.timer("hearth.snapshot.load", "Snapshot loads by entity type and outcome")
        .withTags(TagSet.from(Map.of("entity_type", entityType, "outcome", outcome)))
        .record(nanos);
  }

  /** {@code hearth_snapshot_size_bytes}: the serialized size of each snapshot saved. */
  public static void snapshotSize(String entityType, long bytes) {
    Kamon.histogram("hearth.snapshot.size", "Serialized snapshot sizes by entity type", BYTES)
        .withTag("entity_type", entityType)
        .record(bytes);
  }

  /** {@code hearth_gateway_requests_seconds}: payment gateway calls by operation and outcome. */
  public static void gatewayCall(String operation, String outcome, long nanos) {
    Kamon.timer("hearth.gateway.requests", "Payment gateway calls by operation and outcome")
        .withTags(TagSet.from(Map.of("operation", operation, "outcome", outcome)))
        .record(nanos);
  }

  /** {@code hearth_webhooks_total}: webhooks received, by outcome. */
  public static void webhook(String outcome) {
    Kamon.counter("hearth.webhooks", "Payment webhooks by outcome")
        .withTag("outcome", outcome)
        .increment();
  }

  /**
   * {@code hearth_sharding_entities}: entities in memory on this node, per entity type and shard.
   */
  public static kamon.metric.Gauge entitiesInShard(String entityType, String shard) {
    return Kamon.gauge(
            "hearth.sharding.entities", "Entities in memory on this node by type and shard")
        .withTags(TagSet.from(Map.of("entity_type", entityType, "shard", shard)));
  }

  /** {@code hearth_sharding_shards}: shards hosted on this node per entity type. */
  public static kamon.metric.Gauge shards(String entityType) {
    return Kamon.gauge("hearth.sharding.shards", "Shards hosted on this node by entity type")
        .withTag("entity_type", entityType);
  }

  /**
   * {@code hearth_sharding_entities_total_in_memory}: entities in memory on this node per entity
   * type.
   */
  public static kamon.metric.Gauge entitiesInMemory(String entityType) {
    return Kamon.gauge(
            "hearth.sharding.entities.in.memory", "Entities in memory on this node by type")
        .withTag("entity_type", entityType);
  }

  /** {@code hearth_cluster_members}: cluster members by status, as this node sees them. */
  public static kamon.metric.Gauge clusterMembers(String status) {
    return Kamon.gauge("hearth.cluster.members", "Cluster members by status")
        .withTag("status", status);
  }

  /** {@code hearth_cluster_unreachable_members}: members this node cannot reach. */
  public static kamon.metric.Gauge unreachableMembers() {
    return Kamon.gauge(
            "hearth.cluster.unreachable.members", "Cluster members unreachable from this node")
        .withoutTags();
  }

  /** {@code hearth_ready}: 1 when this node's readiness check passes, else 0. */
  public static kamon.metric.Gauge ready(String check) {
    return Kamon.gauge("hearth.ready", "Readiness checks of this node (1 passing, 0 failing)")
        .withTag("check", check);
  }

  /**
   * {@code hearth_projection_lag_seconds}: from an event's write to its projection's commit,
   * latest.
   */
  public static kamon.metric.Gauge projectionLag(String projection) {
    return Kamon.gauge("hearth.projection.lag", "Projection lag by projection", SECONDS)
        .withTag("projection", projection);
  }

  /** {@code hearth_projection_events_total}: events a projection has committed on this node. */
  public static void projectionEvents(String projection, long events) {
    Kamon.counter("hearth.projection.events", "Events projected by projection")
        .withTag("projection", projection)
        .increment(events);
  }

  /**
   * {@code hearth_projection_failing}: 1 while a projection instance is failing (the tripwire among
   * them).
   */
  public static kamon.metric.Gauge projectionFailing(String projection) {
    return Kamon.gauge("hearth.projection.failing", "Projections failing (1) or not (0)")
        .withTag("projection", projection);
  }

  /**
   * {@code hearth_payments_backlog}: payments waiting, by what they wait for (see
   * docs/operations.md).
   */
  public static kamon.metric.Gauge paymentBacklog(String entry) {
    return Kamon.gauge("hearth.payments.backlog", "Payments waiting by kind")
        .withTag("entry", entry);
  }

  /**
   * {@code hearth_payments_backlog_oldest_age_seconds}: how long the oldest payment of each kind
   * has waited.
   */
  public static kamon.metric.Gauge paymentBacklogAge(String entry) {
    return Kamon.gauge(
            "hearth.payments.backlog.oldest.age",
            "Age of the oldest waiting payment by kind",
            SECONDS)
        .withTag("entry", entry);
  }

  /**
   * {@code hearth_read_models_lag_seconds}: how far the read tables are behind the journal (all
   * projections).
   */
  public static kamon.metric.Gauge readModelsLag() {
    return Kamon.gauge(
            "hearth.read.models.lag", "How far the read tables are behind the journal", SECONDS)
        .withoutTags();
  }
}
