package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.engine.EventSourcing;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.payment.GatewayEvent;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read-model projection run by the projection test kit over a scripted journal, into a real
 * database: what lands in each table, and that replaying or redelivering changes nothing.
 */
abstract class ReadModelProjectionContract {

  static final String K1 = "11111111-1111-1111-1111-111111111111";
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(20);

  private static final Map<SqlDialect, ActorTestKit> KITS = new LinkedHashMap<>();

  ReadModelDatabase db;
  ActorTestKit testKit;
  ProjectionTestKit projections;
  int runs;

  abstract SqlDialect dialect();

  @BeforeEach
  void setUp() {
    testKit =
        KITS.computeIfAbsent(
            dialect(),
            d ->
                ActorTestKit.create(
                    "rm-" + d.name().toLowerCase(),
                    ConfigFactory.parseString(
                            "pekko.projection.jdbc.dialect = "
                                + d.projectionDialect()
                                + "\npekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 4")
                        .withFallback(ConfigFactory.load())));
    projections = ProjectionTestKit.create(testKit.system());
    db = ReadModelDatabase.create(dialect());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @AfterAll
  static void stopKits() {
    KITS.values().forEach(ActorTestKit::shutdownTestKit);
    KITS.clear();
  }

  /**
   * The scenario: a New York kitchen; one booking over the night DST starts; three on March 10th.
   */
  static Journal scenario() {
    Instant evening = Instant.parse("2026-03-08T04:00:00Z"); // 23:00 on March 7th in New York
    Instant day10 = Instant.parse("2026-03-10T14:00:00Z");
    return new Journal()
        .kitchen(
            K1, "host-1", Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK), T0)
        .hold(K1, bk(1), "renter-1", evening, Duration.ofHours(3), T0.plusSeconds(60))
        .confirm(K1, bk(1), T0.plusSeconds(120))
        .hold(K1, bk(2), "renter-2", day10, Duration.ofHours(2), T0.plusSeconds(180))
        .hold(
            K1,
            bk(3),
            "renter-1",
            day10.plus(Duration.ofHours(3)),
            Duration.ofHours(1),
            T0.plusSeconds(190))
        .hold(
            K1,
            bk(4),
            "renter-3",
            day10.plus(Duration.ofHours(5)),
            Duration.ofHours(1),
            T0.plusSeconds(200))
        .confirm(K1, bk(2), T0.plusSeconds(240))
        .expire(K1, bk(3), T0.plusSeconds(790))
        .cancel(K1, bk(4), Role.RENTER, 0, T0.plusSeconds(800))
        .cancel(K1, bk(2), Role.RENTER, 8227, T0.plusSeconds(900))
        .complete(K1, bk(1), evening.plus(Duration.ofHours(3)));
  }

  static String bk(int n) {
    return "bk_" + K1.replace("-", "") + String.format("%016x", n);
  }

  /** The scripted events as a projection's source, in order, offsets taken from the envelopes. */
  static <E> TestSourceProvider<Offset, EventEnvelope<E>> source(List<EventEnvelope<E>> envelopes) {
    return TestSourceProvider.create(
        Source.from(envelopes).mapMaterializedValue(m -> NotUsed.getInstance()),
        EventEnvelope::offset);
  }

  void project(String projectionKey, List<EventEnvelope<KitchenEntity.Event>> envelopes) {
    run(
        envelopes,
        ReadModels.projection(
            testKit.system(),
            nextId(projectionKey),
            source(envelopes),
            db.dataSource(),
            dialect(),
            new ProjectionStats(Clock.systemUTC())));
  }

  void projectPayments(String projectionKey, List<EventEnvelope<PaymentEntity.Event>> envelopes) {
    run(
        envelopes,
        ReadModels.paymentProjection(
            testKit.system(),
            nextId(projectionKey),
            source(envelopes),
            db.dataSource(),
            dialect(),
            new ProjectionStats(Clock.systemUTC())));
  }

  /**
   * A projection id never used before in this test: its offsets start empty, so every event
   * arrives.
   */
  private ProjectionId nextId(String projectionKey) {
    runs++;
    return ProjectionId.of("test-" + runs, projectionKey);
  }

  /** Runs {@code projection} until the offset of the last envelope is committed. */
  private void run(List<? extends EventEnvelope<?>> envelopes, Projection<?> projection) {
    EventEnvelope<?> last = envelopes.get(envelopes.size() - 1);
    projections.run(
        projection,
        WAIT,
        () ->
            assertThat(
                    db.count(
                        "SELECT COUNT(*) FROM pekko_projection_offset_store WHERE projection_name = ? AND current_offset = ?",
                        projection.projectionId().name(),
                        String.valueOf(((Sequence) last.offset()).value())))
                .as("offset of event %d committed", last.sequenceNr())
                .isEqualTo(1));
  }

  @Test
  void everyTableIsWrittenFromTheJournal() throws SQLException {
    Journal journal = scenario();
    project("kitchen-0", journal.envelopes());

    assertThat(rows("SELECT booking_id, status FROM bookings ORDER BY booking_id"))
        .containsExactly(
            List.of(bk(1), "COMPLETED"),
            List.of(bk(2), "CANCELLED"),
            List.of(bk(3), "EXPIRED"),
            List.of(bk(4), "CANCELLED"));
    assertThat(
            rows(
                "SELECT subtotal_cents, platform_fee_cents, tax_cents, total_cents, host_payout_cents, refund_cents,"
                    + " refund_host_share_cents, refund_platform_share_cents, refund_tax_share_cents, cancelled_by_role"
                    + " FROM bookings WHERE booking_id = '"
                    + bk(2)
                    + "'"))
        .containsExactly(
            List.of(
                "8000", "1200", "660", "8660", "6800", "8227", "6460", "1140", "627", "RENTER"));
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM bookings WHERE booking_id = ? AND confirmed_at IS NOT NULL"
                    + " AND completed_at IS NOT NULL AND local_date = ?",
                bk(1),
                LocalDate.parse("2026-03-07")))
        .isEqualTo(1);
    assertThat(rows("SELECT status, city FROM kitchens"))
        .containsExactly(List.of("PUBLISHED", "Springfield"));

    assertThat(db.count("SELECT COUNT(*) FROM booking_events"))
        .isEqualTo(journal.envelopes().size());
    assertThat(
            rows(
                "SELECT event_type, principal, principal_role FROM booking_events WHERE booking_id = '"
                    + bk(3)
                    + "' ORDER BY seq_nr"))
        .containsExactly(
            List.of("SlotHeld", "renter-1", "RENTER"), List.of("HoldExpired", "system", "SYSTEM"));

    Map<String, List<String>> days = new LinkedHashMap<>();
    for (List<String> r :
        rows(
            "SELECT local_date, open_minutes, booked_minutes, holds_placed, bookings_confirmed,"
                + " holds_expired, bookings_cancelled, bookings_completed, gross_cents, refunds_cents, tax_cents,"
                + " platform_fee_cents, host_net_cents FROM kitchen_daily_stats ORDER BY local_date"))
      days.put(r.get(0), r.subList(1, r.size()));
    // The 9th has no booking although it lies between booked days: it has no row (empty days are
    // derived at query time, docs/analytics.md (a2), so no event writes a row per day in between).
    assertThat(days).containsOnlyKeys("2026-03-07", "2026-03-08", "2026-03-10");
    // 180 minutes at 40.00/h: subtotal 12000, fee 1800, tax 990, total 12990, payout 10200; 60 of
    // its minutes on the 7th.
    assertThat(days.get("2026-03-07"))
        .containsExactly(
            "1440", "60", "1", "1", "0", "0", "1", "12990", "0", "990", "1800", "10200");
    // The 8th is the 23-hour day of the spring-forward change; the booking's other 120 real minutes
    // fall on it.
    assertThat(days.get("2026-03-08"))
        .containsExactly("1380", "120", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0");
    // Three holds; one paid then refunded 8227 of 8660: what stays is split 33 tax, 60 fee, 340
    // host.
    assertThat(days.get("2026-03-10"))
        .containsExactly("1440", "0", "3", "1", "1", "2", "0", "8660", "8227", "33", "60", "340");
    assertThat(
            rows("SELECT conversion, occupancy FROM kitchen_daily_stats WHERE local_date = DATE '2026-03-10'")
                .get(0))
        .satisfies(
            r -> {
              assertThat(new BigDecimal(r.get(0))).isEqualByComparingTo("0.3333");
              assertThat(new BigDecimal(r.get(1))).isEqualByComparingTo("0");
            });
  }

  @Test
  void replayingTheJournalIntoEmptiedTablesReproducesThemExactly() {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = scenario().envelopes();
    project("kitchen-0", envelopes);
    Map<String, String> first = ReadModelChecksum.of(db.dataSource());
    assertThat(first.get("bookings")).startsWith("4:");

    ReadModels.TABLES.forEach(t -> db.execute("DELETE FROM " + t));
    assertThat(ReadModelChecksum.of(db.dataSource())).isNotEqualTo(first);
    project("kitchen-0", envelopes);
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(first);
  }

  @Test
  void redeliveredEventsChangeNothing() {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = scenario().envelopes();
    project("kitchen-0", envelopes);
    Map<String, String> once = ReadModelChecksum.of(db.dataSource());
    project("kitchen-0", envelopes); // a new projection id: every event arrives a second time
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(once);
  }

  @Test
  void aNewTimeZoneRedatesTheBookingsAndTheirDays() throws SQLException {
    Journal journal =
        scenario()
            .update(
                K1,
                Journal.settings("Europe/Berlin", OpeningHours.AROUND_THE_CLOCK),
                T0.plus(Duration.ofDays(20)));
    project("kitchen-0", journal.envelopes());
    // 04:00Z on March 8th is 05:00 in Berlin: the evening booking now lies wholly on the 8th.
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM bookings WHERE booking_id = ? AND local_date = ?",
                bk(1),
                LocalDate.parse("2026-03-08")))
        .isEqualTo(1);
    assertThat(
            rows(
                "SELECT local_date, open_minutes, booked_minutes, holds_placed FROM kitchen_daily_stats"
                    + " ORDER BY local_date"))
        .containsExactly(
            List.of("2026-03-08", "1440", "180", "1"), List.of("2026-03-10", "1440", "0", "3"));
  }

  @Test
  void theSweeperFindsKitchensWithConfirmedBookingsPastTheirEnd() {
    Instant evening = Instant.parse("2026-03-08T04:00:00Z");
    Journal journal =
        new Journal()
            .kitchen(
                K1,
                "host-1",
                Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK),
                T0)
            .hold(K1, bk(1), "renter-1", evening, Duration.ofHours(3), T0.plusSeconds(60))
            .confirm(K1, bk(1), T0.plusSeconds(120));
    project("kitchen-0", journal.envelopes());
    Instant end = evening.plus(Duration.ofHours(3));
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end.minusSeconds(1))).isEmpty();
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end)).containsExactly(K1);
    project("kitchen-0", journal.complete(K1, bk(1), end).envelopes());
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end.plusSeconds(3600))).isEmpty();
  }

  // ------------------------------------------------------------------ payments

  /**
   * A booking that lies a week and more after the kitchen scenario's, on the 12th and 13th of
   * March.
   */
  static final Instant DAY12 = Instant.parse("2026-03-12T14:00:00Z");

  /**
   * What a two-hour booking at 40.00/h with 8.25 % tax costs: subtotal 8000, fee 1200, tax 660,
   * host 6800.
   */
  static final long TOTAL = 8660;

  /**
   * An id from another integration on the same gateway account: longer than a booking id, never
   * paid here.
   */
  static final String FOREIGN = "order-of-another-integration-on-this-stripe-account-000000000042";

  /**
   * The kitchen's side of the payment scenario: bk(11) confirmed then cancelled by its renter two
   * days ahead (policy refund 8227); bk(12) expired; bk(13) and bk(14) confirmed.
   */
  static Journal paidKitchen() {
    return new Journal()
        .kitchen(
            K1, "host-1", Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK), T0)
        .hold(K1, bk(11), "renter-1", DAY12, Duration.ofHours(2), T0.plusSeconds(60))
        .hold(
            K1,
            bk(12),
            "renter-2",
            DAY12.plus(Duration.ofHours(3)),
            Duration.ofHours(2),
            T0.plusSeconds(70))
        .hold(
            K1,
            bk(13),
            "renter-3",
            DAY12.plus(Duration.ofHours(6)),
            Duration.ofHours(2),
            T0.plusSeconds(80))
        .hold(
            K1,
            bk(14),
            "renter-1",
            DAY12.plus(Duration.ofDays(1)),
            Duration.ofHours(2),
            T0.plusSeconds(90))
        .confirm(K1, bk(11), T0.plusSeconds(200))
        .confirm(K1, bk(14), T0.plusSeconds(300))
        .confirm(K1, bk(13), T0.plusSeconds(400))
        .expire(K1, bk(12), T0.plusSeconds(670))
        .cancel(K1, bk(11), Role.RENTER, 8227, T0.plusSeconds(5000));
  }

  /**
   * The payments' side: bk(11) paid, confirmed, refunded 5.00 by its host and then its policy
   * refund (capped at the 8160 left); bk(12) paid after its hold expired and refunded in full (the
   * first gateway key abandoned on the way); bk(13) failed once, then paid; bk(14) paid, a refund
   * the gateway rejected, then disputed; and a gateway event about a booking never paid here.
   */
  static PaymentJournal payments() {
    return new PaymentJournal()
        .intent(bk(11), K1, "renter-1", TOTAL, T0.plusSeconds(100))
        .intent(bk(12), K1, "renter-2", TOTAL, T0.plusSeconds(110))
        .intent(bk(13), K1, "renter-3", TOTAL, T0.plusSeconds(120))
        .intent(bk(14), K1, "renter-1", TOTAL, T0.plusSeconds(130))
        .succeeded(bk(11), TOTAL, T0.plusSeconds(150))
        .confirmed(bk(11), K1, T0.plusSeconds(200))
        .failed(bk(13), T0.plusSeconds(200))
        .succeeded(bk(14), TOTAL, T0.plusSeconds(250))
        .confirmed(bk(14), K1, T0.plusSeconds(300))
        .succeeded(bk(13), TOTAL, T0.plusSeconds(350))
        .confirmed(bk(13), K1, T0.plusSeconds(400))
        .succeeded(bk(12), TOTAL, T0.plusSeconds(700))
        .refund(
            bk(12),
            RefundKind.LATE_PAYMENT,
            "full",
            TOTAL,
            "system",
            Role.SYSTEM,
            T0.plusSeconds(701))
        .refundAbandoned(bk(12), RefundKind.LATE_PAYMENT, "full", T0.plusSeconds(702))
        .refunded(bk(12), RefundKind.LATE_PAYMENT, "full", TOTAL, T0.plusSeconds(710))
        .gatewayEvent(FOREIGN, GatewayEvent.CHARGE_REFUNDED, T0.plusSeconds(800))
        .refund(bk(14), RefundKind.PARTIAL, "k-14", 300, "admin-1", Role.ADMIN, T0.plusSeconds(900))
        .refundRejected(bk(14), RefundKind.PARTIAL, "k-14", T0.plusSeconds(901))
        .dispute(bk(14), TOTAL, T0.plusSeconds(950))
        .refund(
            bk(11), RefundKind.PARTIAL, "goodwill", 500, "host-1", Role.HOST, T0.plusSeconds(3000))
        .refunded(bk(11), RefundKind.PARTIAL, "goodwill", 500, T0.plusSeconds(3010))
        .refund(
            bk(11),
            RefundKind.CANCELLATION,
            "policy",
            TOTAL - 500,
            "system",
            Role.SYSTEM,
            T0.plusSeconds(5010))
        .refunded(bk(11), RefundKind.CANCELLATION, "policy", TOTAL - 500, T0.plusSeconds(5020));
  }

  static final String REFUND_SHARES =
      "SELECT refund_key, status, amount_cents, host_share_cents, platform_share_cents,"
          + " tax_share_cents FROM refunds ORDER BY requested_at";

  @Test
  void thePaymentTablesAreWrittenFromThePaymentJournal() throws SQLException {
    PaymentJournal journal = payments();
    project("kitchen-0", paidKitchen().envelopes());
    projectPayments("payment-0", journal.envelopes());

    assertThat(
            rows(
                "SELECT booking_id, status, outcome, amount_cents, paid_cents, refunded_cents, currency, intent_id"
                    + " FROM payments ORDER BY booking_id"))
        .containsExactly(
            List.of(
                bk(11),
                "SUCCEEDED",
                "CONFIRMED",
                "8660",
                "8660",
                "8660",
                "USD",
                PaymentJournal.intentId(bk(11))),
            List.of(
                bk(12),
                "SUCCEEDED",
                "REFUNDED_LATE",
                "8660",
                "8660",
                "8660",
                "USD",
                PaymentJournal.intentId(bk(12))),
            List.of(
                bk(13),
                "SUCCEEDED",
                "CONFIRMED",
                "8660",
                "8660",
                "0",
                "USD",
                PaymentJournal.intentId(bk(13))),
            List.of(
                bk(14),
                "SUCCEEDED",
                "CONFIRMED",
                "8660",
                "8660",
                "0",
                "USD",
                PaymentJournal.intentId(bk(14))));
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM payments WHERE booking_id = ? AND requested_at = ? AND intent_created_at = ?"
                    + " AND succeeded_at = ? AND confirmed_at = ? AND failed_at IS NULL",
                bk(11),
                T0.plusSeconds(100),
                T0.plusSeconds(101),
                T0.plusSeconds(150),
                T0.plusSeconds(200)))
        .as("the instants are the events' own")
        .isEqualTo(1);
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM payments WHERE booking_id = ? AND failed_at = ? AND succeeded_at = ?",
                bk(13),
                T0.plusSeconds(200),
                T0.plusSeconds(350)))
        .as("failed, then paid")
        .isEqualTo(1);
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM payments WHERE booking_id = ? AND confirmed_at IS NULL",
                bk(12)))
        .isEqualTo(1);
    assertThat(rows("SELECT booking_id FROM payments WHERE disputed"))
        .containsExactly(List.of(bk(14)));

    // Shares of a 8660 total: host 6800, tax 660, the platform the rest, host and tax rounded half
    // up.
    // 500: host 392.6 -> 393, tax 38.1 -> 38, platform 69. 8160: host 6407.4 -> 6407, tax 621.9 ->
    // 622, platform 1131.
    // The late payment's refund is the platform's alone: the booking was never confirmed, the host
    // earned nothing.
    assertThat(
            rows(
                "SELECT booking_id, kind, status, amount_cents, currency, host_share_cents, platform_share_cents,"
                    + " tax_share_cents, requested_by, requested_by_role, gateway_refund_id FROM refunds ORDER BY requested_at"))
        .containsExactly(
            List.of(
                bk(12),
                "LATE_PAYMENT",
                "SUCCEEDED",
                "8660",
                "USD",
                "0",
                "8660",
                "0",
                "system",
                "SYSTEM",
                "re_full_" + tail(bk(12))),
            Arrays.asList(
                bk(14),
                "PARTIAL",
                "REJECTED",
                "300",
                "USD",
                "0",
                "0",
                "0",
                "admin-1",
                "ADMIN",
                null),
            List.of(
                bk(11),
                "PARTIAL",
                "SUCCEEDED",
                "500",
                "USD",
                "393",
                "69",
                "38",
                "host-1",
                "HOST",
                "re_goodwill_" + tail(bk(11))),
            List.of(
                bk(11),
                "CANCELLATION",
                "SUCCEEDED",
                "8160",
                "USD",
                "6407",
                "1131",
                "622",
                "system",
                "SYSTEM",
                "re_policy_" + tail(bk(11))));
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM refunds WHERE status = 'SUCCEEDED'"
                    + " AND host_share_cents + platform_share_cents + tax_share_cents <> amount_cents"))
        .as("shares add up")
        .isZero();
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM refunds WHERE refund_key = ? AND rejected_at = ? AND succeeded_at IS NULL",
                PaymentEntity.refundKey(bk(14), RefundKind.PARTIAL, "k-14"),
                T0.plusSeconds(901)))
        .isEqualTo(1);

    assertThat(db.count("SELECT COUNT(*) FROM payment_events"))
        .isEqualTo(journal.envelopes().size());
    assertThat(
            rows(
                "SELECT seq_nr, event_type FROM payment_events WHERE booking_id = '"
                    + bk(13)
                    + "' ORDER BY seq_nr"))
        .containsExactly(
            List.of("1", "IntentRequested"),
            List.of("2", "IntentCreated"),
            List.of("3", "PaymentFailed"),
            List.of("4", "PaymentSucceeded"),
            List.of("5", "BookingConfirmedByPayment"));
    assertThat(rows("SELECT event_type FROM payment_events WHERE booking_id = '" + FOREIGN + "'"))
        .as("a gateway event about a booking never paid here is kept")
        .containsExactly(List.of("GatewayEventRecorded"));
    assertThat(rows("SELECT data FROM payment_events WHERE event_type = 'IntentCreated'"))
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(ReadModelJson.MAPPER.readTree(r.get(0)).get("intent_id").asText())
                  .startsWith("pi_");
              assertThat(r.get(0))
                  .as("the client secret stays out of the audit trail")
                  .doesNotContain("secret");
            });
  }

  @Test
  void aRefundThatFailsAfterItSucceededIsFailedGivesNothingBackAndLeavesTheOthersShares()
      throws SQLException {
    PaymentJournal journal =
        payments()
            .refund(
                bk(13),
                RefundKind.PARTIAL,
                "bounced",
                1000,
                "host-1",
                Role.HOST,
                T0.plusSeconds(6000))
            .refunded(bk(13), RefundKind.PARTIAL, "bounced", 1000, T0.plusSeconds(6010))
            .refund(
                bk(13), RefundKind.PARTIAL, "kept", 500, "host-1", Role.HOST, T0.plusSeconds(6020))
            .refunded(bk(13), RefundKind.PARTIAL, "kept", 500, T0.plusSeconds(6030))
            .refundFailed(bk(13), RefundKind.PARTIAL, "bounced", 1000, T0.plusSeconds(9000))
            .gatewayEvent(bk(13), GatewayEvent.DISPUTE_CLOSED, T0.plusSeconds(9100));
    project("kitchen-0", paidKitchen().envelopes());
    projectPayments("payment-0", journal.envelopes());

    assertThat(
            rows(
                "SELECT refund_key, status, amount_cents, host_share_cents, platform_share_cents, tax_share_cents,"
                    + " gateway_refund_id, failure_reason FROM refunds WHERE booking_id = '"
                    + bk(13)
                    + "' ORDER BY requested_at"))
        .containsExactly(
            List.of(
                PaymentEntity.refundKey(bk(13), RefundKind.PARTIAL, "bounced"),
                "FAILED",
                "1000",
                "0",
                "0",
                "0",
                "re_bounced_" + tail(bk(13)),
                "the gateway reports the refund failed (refund.failed)"),
            // 500 of 8660, split alone: the failed refund no longer counts before it.
            Arrays.asList(
                PaymentEntity.refundKey(bk(13), RefundKind.PARTIAL, "kept"),
                "SUCCEEDED",
                "500",
                "393",
                "69",
                "38",
                "re_kept_" + tail(bk(13)),
                null));
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM refunds WHERE booking_id = ? AND failed_at = ? AND succeeded_at = ?",
                bk(13),
                T0.plusSeconds(9000),
                T0.plusSeconds(6010)))
        .isEqualTo(1);
    assertThat(
            rows(
                "SELECT refunded_cents FROM payments WHERE disputed AND booking_id = '"
                    + bk(13)
                    + "'"))
        .as("only the refund that reached the renter; any dispute event marks the payment disputed")
        .containsExactly(List.of("500"));
  }

  @Test
  void replayingBothJournalsInEitherOrderReproducesTheTablesExactly() throws SQLException {
    List<EventEnvelope<KitchenEntity.Event>> kitchens = paidKitchen().envelopes();
    List<EventEnvelope<PaymentEntity.Event>> payments = payments().envelopes();
    project("kitchen-0", kitchens);
    projectPayments("payment-0", payments);
    Map<String, String> first = ReadModelChecksum.of(db.dataSource());
    assertThat(first).containsKeys("payments", "refunds", "payment_events");
    assertThat(first.get("refunds")).startsWith("4:");

    // The payments first: their refunds succeed before any booking row exists.
    ReadModels.TABLES.forEach(t -> db.execute("DELETE FROM " + t));
    projectPayments("payment-0", payments);
    assertThat(rows(REFUND_SHARES).stream().map(r -> r.subList(1, 6)).toList())
        .as("shares wait for the bookings")
        .containsExactly(
            List.of("SUCCEEDED", "8660", "0", "8660", "0"),
            List.of("REJECTED", "300", "0", "0", "0"),
            List.of("SUCCEEDED", "500", "0", "0", "0"),
            List.of("SUCCEEDED", "8160", "0", "0", "0"));
    project("kitchen-0", kitchens);
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(first);
  }

  @Test
  void redeliveredPaymentEventsChangeNothing() {
    List<EventEnvelope<PaymentEntity.Event>> payments = payments().envelopes();
    project("kitchen-0", paidKitchen().envelopes());
    projectPayments("payment-0", payments);
    Map<String, String> once = ReadModelChecksum.of(db.dataSource());
    projectPayments(
        "payment-0", payments); // a new projection id: every event arrives a second time
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(once);
    project("kitchen-0", paidKitchen().envelopes());
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(once);
  }

  @Test
  void aPaymentAskedForAgainKeepsItsFirstRequest() throws SQLException {
    project("kitchen-0", paidKitchen().envelopes());
    PaymentJournal journal =
        new PaymentJournal()
            .add(
                new PaymentEntity.IntentRequested(
                    bk(13),
                    new PaymentEntity.Terms(bk(13), K1, "host-1", "renter-3", TOTAL, "USD"),
                    PaymentEntity.intentKey(bk(13)),
                    T0.plusSeconds(100)))
            .add(
                new PaymentEntity.IntentRequested(
                    bk(13),
                    new PaymentEntity.Terms(bk(13), K1, "host-1", "renter-3", TOTAL, "USD"),
                    PaymentEntity.intentKey(bk(13), 2),
                    T0.plusSeconds(130)));
    projectPayments("payment-0", journal.envelopes());
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM payments WHERE booking_id = ? AND requested_at = ? AND status = 'AWAITING_INTENT'",
                bk(13),
                T0.plusSeconds(100)))
        .isEqualTo(1);
    assertThat(db.count("SELECT COUNT(*) FROM payment_events WHERE booking_id = ?", bk(13)))
        .isEqualTo(2);
  }

  /**
   * The two families run at once (a rebuild replays both): whichever commits second must see what
   * the first committed, though each started before the other committed.
   */
  @Test
  void whicheverFamilyCommitsSecondCompletesTheRefundShares() throws Exception {
    List<EventEnvelope<KitchenEntity.Event>> held =
        new Journal()
            .kitchen(
                K1,
                "host-1",
                Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK),
                T0)
            .hold(K1, bk(11), "renter-1", DAY12, Duration.ofHours(2), T0.plusSeconds(60))
            .envelopes();
    List<EventEnvelope<PaymentEntity.Event>> refunded =
        new PaymentJournal()
            .intent(bk(11), K1, "renter-1", TOTAL, T0.plusSeconds(100))
            .succeeded(bk(11), TOTAL, T0.plusSeconds(150))
            .refund(
                bk(11),
                RefundKind.PARTIAL,
                "goodwill",
                500,
                "host-1",
                Role.HOST,
                T0.plusSeconds(3000))
            .refunded(bk(11), RefundKind.PARTIAL, "goodwill", 500, T0.plusSeconds(3010))
            .envelopes();
    Transaction kitchens = c -> new ReadModelWriter(c, dialect()).apply(held);
    Transaction payments = c -> new PaymentReadModelWriter(c, dialect()).apply(refunded);

    concurrently(kitchens, payments);
    assertThat(rows(REFUND_SHARES).get(0).subList(3, 6))
        .as("kitchens first")
        .containsExactly("393", "69", "38");

    ReadModels.TABLES.forEach(t -> db.execute("DELETE FROM " + t));
    concurrently(payments, kitchens);
    assertThat(rows(REFUND_SHARES).get(0).subList(3, 6))
        .as("payments first")
        .containsExactly("393", "69", "38");
  }

  interface Transaction {
    void run(Connection c) throws SQLException;
  }

  /** Runs {@code first} and, while it is not committed, {@code second}, which must wait for it. */
  private void concurrently(Transaction first, Transaction second) throws Exception {
    try (Connection a = db.dataSource().getConnection();
        Connection b = db.dataSource().getConnection()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      first.run(a);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      Thread secondThread =
          new Thread(
              () -> {
                try {
                  second.run(b);
                  b.commit();
                  waiting.complete(null);
                } catch (SQLException | RuntimeException e) {
                  waiting.completeExceptionally(e);
                }
              },
              "second-transaction");
      secondThread.start();
      // The second waits for the first to end. PostgreSQL shows its session waiting for a lock;
      // embedded H2 retries the lock inside the calling thread and shows nothing a test can wait
      // on, so there only the outcome (the shares) is checked.
      if (dialect() == SqlDialect.POSTGRES) {
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .untilAsserted(
                () ->
                    assertThat(
                            db.count(
                                "SELECT COUNT(*) FROM pg_stat_activity"
                                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'"))
                        .as("sessions waiting for a lock")
                        .isEqualTo(1));
        assertThat(waiting).isNotDone();
      }
      a.commit();
      waiting.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void freshnessCountsWhatEitherFamilyHasNotProjectedYet() {
    journalTables();
    String[] tags = {"kitchen-0", "payment-1", "kitchen-0", "payment-1", "payment-3"};
    for (int i = 0; i < tags.length; i++) journalEvent(i + 1, tags[i]);
    // kitchen-0 has projected its two events, payment-1 its first; the same key under another name
    // counts for nothing.
    storedOffset(ReadModels.PROJECTION_NAME, "kitchen-0", 3);
    storedOffset(ReadModels.PAYMENT_PROJECTION_NAME, "payment-1", 2);
    storedOffset(ReadModels.PROJECTION_NAME, "payment-3", 5);

    ReadModelQueries.Freshness freshness =
        new ReadModelQueries(db.dataSource())
            .freshness(Clock.fixed(Instant.ofEpochMilli(10_000), java.time.ZoneOffset.UTC));
    assertThat(freshness.pendingEvents()).isEqualTo(2);
    assertThat(freshness.consistentAsOf()).isEqualTo(Instant.ofEpochMilli(3999));
  }

  /**
   * A node remembers how far each tag had nothing pending and reads the journal only past that on
   * its next look; what it counts must stay right as events come, as offsets move, and after a
   * rebuild takes offsets back to nothing.
   */
  @Test
  void freshnessStaysRightAsTheJournalGrowsAndAfterARebuild() {
    journalTables();
    ReadModelQueries queries = new ReadModelQueries(db.dataSource());
    // Looks far enough apart that every write below the newest ordering has settled.
    java.util.function.LongFunction<ReadModelQueries.Freshness> looks =
        looksEvery(queries::freshness);
    java.util.function.Supplier<ReadModelQueries.Freshness> look = () -> looks.apply(3_000);

    journalEvent(1, "kitchen-0");
    journalEvent(2, "payment-1");
    journalEvent(3, "kitchen-1");
    assertThat(look.get().pendingEvents()).isEqualTo(3);
    storedOffset("kitchen-0", 1);
    storedOffset("kitchen-1", 3);
    assertThat(look.get().pendingEvents()).isEqualTo(1);
    assertThat(look.get().pendingEvents()).isEqualTo(1);
    journalEvent(4, "kitchen-0");
    journalEvent(5, "payment-3");
    ReadModelQueries.Freshness grown = look.get();
    assertThat(grown.pendingEvents()).isEqualTo(3);
    assertThat(grown.consistentAsOf()).isEqualTo(Instant.ofEpochMilli(1999));
    storedOffset("payment-1", 2);
    storedOffset("kitchen-0", 4);
    assertThat(look.get().pendingEvents()).isEqualTo(1);
    storedOffset("payment-3", 5);
    assertThat(look.get().pendingEvents()).isZero();
    assertThat(look.get().pendingEvents()).isZero();
    journalEvent(6, "kitchen-1");
    assertThat(look.get().pendingEvents()).isEqualTo(1);
    assertThat(look.get().consistentAsOf()).isEqualTo(Instant.ofEpochMilli(5999));

    // A rebuild deletes the offsets: everything is pending again, and counted as such.
    db.execute("DELETE FROM pekko_projection_offset_store");
    ReadModelQueries.Freshness rebuilding = look.get();
    assertThat(rebuilding.pendingEvents()).isEqualTo(6);
    assertThat(rebuilding.consistentAsOf()).isEqualTo(Instant.ofEpochMilli(999));
    storedOffset("kitchen-0", 4);
    assertThat(look.get().pendingEvents()).isEqualTo(4);
  }

  /**
   * Looks closer together than writes take to settle: a node keeps the recent events in memory and
   * reads only what is new, and what it found missing, at each look. A write that commits after
   * later ones (its ordering was taken first) must still be counted when it shows, and a gap that
   * never fills (a failed write) must not hold anything up.
   */
  @Test
  void freshnessCountsAWriteThatCommitsAfterLaterOnesAndIgnoresAGapThatNeverFills() {
    journalTables();
    java.util.function.LongFunction<ReadModelQueries.Freshness> lookAfter =
        looksEvery(new ReadModelQueries(db.dataSource())::freshness);

    journalEvent(1, "kitchen-0");
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(1);
    storedOffset("kitchen-0", 1);
    assertThat(lookAfter.apply(100).pendingEvents()).isZero();
    // 2 is being written; 3 commits first.
    journalEvent(3, "kitchen-0");
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(1);
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(1);
    journalEvent(2, "kitchen-1");
    ReadModelQueries.Freshness late = lookAfter.apply(100);
    assertThat(late.pendingEvents()).isEqualTo(2);
    assertThat(late.consistentAsOf()).isEqualTo(Instant.ofEpochMilli(1999));
    storedOffset("kitchen-0", 3);
    storedOffset("kitchen-1", 2);
    assertThat(lookAfter.apply(100).pendingEvents()).isZero();

    // 4 never comes; 5 and 6 do, the projections take them, and looks go on past settling.
    journalEvent(5, "kitchen-1");
    journalEvent(6, "kitchen-0");
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(2);
    storedOffset("kitchen-1", 5);
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(1);
    storedOffset("kitchen-0", 6);
    for (int i = 0; i < 30; i++) assertThat(lookAfter.apply(200).pendingEvents()).isZero();
    // Then a write that commits after later ones again, long after the first looks.
    journalEvent(8, "kitchen-0");
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(1);
    journalEvent(7, "kitchen-1");
    ReadModelQueries.Freshness again = lookAfter.apply(100);
    assertThat(again.pendingEvents()).isEqualTo(2);
    assertThat(again.consistentAsOf()).isEqualTo(Instant.ofEpochMilli(6999));
  }

  /**
   * More events than the look keeps in memory (here 3): after a burst since the last look, and
   * behind a projection that lags, the journal query counts what memory does not hold.
   */
  @Test
  void freshnessStaysRightPastWhatItKeepsInMemory() {
    journalTables();
    java.util.function.LongFunction<ReadModelQueries.Freshness> lookAfter =
        looksEvery(new FreshnessLook(db.dataSource(), 3)::look);

    journalEvent(1, "kitchen-0");
    storedOffset("kitchen-0", 1);
    assertThat(lookAfter.apply(100).pendingEvents()).isZero();
    // A burst of 10 since the last look, a projection that takes them slowly, looks that go on.
    for (int o = 2; o <= 11; o++) journalEvent(o, "kitchen-0");
    assertThat(lookAfter.apply(100).pendingEvents()).isEqualTo(10);
    for (int at = 2; at <= 11; at++) {
      storedOffset("kitchen-0", at);
      journalEvent(10 + at, "kitchen-0");
      // Pending: every event past the offset, (at, 10 + at].
      ReadModelQueries.Freshness f = lookAfter.apply(700);
      assertThat(f.pendingEvents()).as("offset %d", at).isEqualTo(10);
      assertThat(f.consistentAsOf()).isEqualTo(Instant.ofEpochMilli((at + 1) * 1000L - 1));
    }
  }

  /** The few columns of the journal's tables that the freshness look reads. */
  private void journalTables() {
    db.execute(
        "CREATE TABLE event_journal (ordering BIGINT PRIMARY KEY, write_timestamp BIGINT NOT NULL)");
    db.execute("CREATE TABLE event_tag (event_id BIGINT NOT NULL, tag VARCHAR(255) NOT NULL)");
  }

  /** An event of {@code tag} at {@code ordering}, written at {@code ordering} seconds. */
  private void journalEvent(int ordering, String tag) {
    db.execute("INSERT INTO event_journal VALUES (" + ordering + ", " + ordering * 1000 + ")");
    db.execute("INSERT INTO event_tag VALUES (" + ordering + ", '" + tag + "')");
  }

  /**
   * The offset of the projection that reads {@code tag}, in its family (kitchens' or payments').
   */
  private void storedOffset(String tag, long at) {
    storedOffset(
        tag.startsWith("kitchen") ? ReadModels.PROJECTION_NAME : ReadModels.PAYMENT_PROJECTION_NAME,
        tag,
        at);
  }

  private void storedOffset(String projectionName, String tag, long at) {
    db.execute("DELETE FROM pekko_projection_offset_store WHERE projection_key = '" + tag + "'");
    db.execute(
        "INSERT INTO pekko_projection_offset_store (projection_name, projection_key,"
            + " current_offset, manifest, mergeable, last_updated) VALUES ('"
            + projectionName
            + "', '"
            + tag
            + "', '"
            + at
            + "', 'SEQ', FALSE, 0)");
  }

  /** Looks at a clock that moves on by the given milliseconds before each look. */
  private static java.util.function.LongFunction<ReadModelQueries.Freshness> looksEvery(
      java.util.function.Function<Clock, ReadModelQueries.Freshness> look) {
    java.util.concurrent.atomic.AtomicLong millis =
        new java.util.concurrent.atomic.AtomicLong(100_000);
    return step ->
        look.apply(
            Clock.fixed(Instant.ofEpochMilli(millis.addAndGet(step)), java.time.ZoneOffset.UTC));
  }

  @Test
  void bothFamiliesAreRebuiltAndThePayoutsNever() {
    assertThat(ReadModels.TABLES)
        .contains("payments", "refunds", "payment_events", "kitchen_documents", "host_profiles")
        .noneMatch(t -> t.startsWith("payout") || t.startsWith("document_"));
    assertThat(ReadModelChecksum.of(db.dataSource())).containsOnlyKeys(ReadModels.TABLES);
    // The kitchens' and payments' families, and the one onboarding projection.
    assertThat(ReadModels.projectionIds())
        .extracting(ProjectionId::key)
        .doesNotHaveDuplicates()
        .hasSize(EventSourcing.KITCHEN_TAGS.count() + EventSourcing.PAYMENT_TAGS.count() + 1)
        .contains("onboarding");
    // Every booking's payment tag is read by a payment projection.
    for (int n = 0; n < 64; n++)
      assertThat(ReadModels.projectionIds())
          .extracting(ProjectionId::key)
          .contains(EventSourcing.PAYMENT_TAGS.of(bk(n)));
  }

  private static String tail(String bookingId) {
    return bookingId.substring(bookingId.length() - 4);
  }

  List<List<String>> rows(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++)
          row.add(rs.getString(i) == null ? null : rs.getString(i).trim());
        rows.add(row);
      }
      return rows;
    }
  }
}
