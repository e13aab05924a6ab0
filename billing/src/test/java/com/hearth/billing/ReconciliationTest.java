package com.hearth.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.hearth.billing.Reconciliation.Kind;
import com.hearth.billing.Reconciliation.Mismatch;
import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.payment.OfflineGateway;
import com.hearth.engine.payment.PaymentGateway;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import com.hearth.engine.payment.PaymentGateway.RefundStatus;
import com.hearth.projections.PaymentRows;
import com.hearth.projections.PaymentRows.BookingRow;
import com.hearth.projections.ReadModelDatabase;
import com.hearth.projections.SqlDialect;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reconciliation of the offline gateway with rows written straight into the read tables, on H2 and
 * PostgreSQL: a clean period reports nothing, and each kind of difference is found.
 */
class ReconciliationTest {

  static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant T = Instant.parse("2026-11-15T10:00:00Z");
  // An hour at 40.00 untaxed: fee 15 % = 600, host 4000 - 600 = 3400.
  static final PriceBreakdown USD_40 = new PriceBreakdown(4000, 600, 0, 4000, 3400, "USD");

  /** When the gateway creates something. */
  final TestClock clock = TestClock.stoppedAt(T);

  final OfflineGateway gateway = new OfflineGateway(clock);

  Intent intent(BookingRow b, long amountCents) {
    return gateway
        .createIntent(
            "hearth:" + b.bookingId() + ":intent",
            amountCents,
            b.price().currency(),
            Map.of(
                "booking_id", b.bookingId(), "kitchen_id", b.kitchenId(), "renter_id", "renter-1"))
        .toCompletableFuture()
        .join();
  }

  Refund gatewayRefund(BookingRow b, String intentId, String key, long amountCents) {
    return gateway
        .createRefund(
            key, intentId, amountCents, Map.of("booking_id", b.bookingId(), "kind", "partial"))
        .toCompletableFuture()
        .join();
  }

  /**
   * A booking paid through the gateway and recorded as such, with one refund recorded on both
   * sides.
   */
  BookingRow paidAndRefunded(PaymentRows rows, Instant at) {
    clock.set(at);
    BookingRow b = rows.booking("host-a", at.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
    Intent i = intent(b, 4000);
    gateway.succeed(i.id());
    rows.payment(b, i.id(), "SUCCEEDED", 4000, "CONFIRMED", at.minusSeconds(1));
    clock.set(at.plusSeconds(600));
    Refund r = gatewayRefund(b, i.id(), "refund-" + b.bookingId(), 1000);
    rows.refund(
        b, "refund-" + b.bookingId(), "PARTIAL", 1000, "SUCCEEDED", r.id(), at.plusSeconds(601));
    return b;
  }

  static String intentOf(ReadModelDatabase db, BookingRow b) {
    try (var c = db.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT intent_id FROM payments WHERE booking_id = ?")) {
      ps.setString(1, b.bookingId());
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Mismatch> reconcile(ReadModelDatabase db) {
    return new Reconciliation(gateway, db.dataSource())
        .run(FROM, TO, Runnable::run)
        .toCompletableFuture()
        .join();
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aCleanPeriodReportsNothing(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      paidAndRefunded(rows, T);
      paidAndRefunded(rows, FROM); // on the boundaries
      paidAndRefunded(rows, TO.minusSeconds(300)); // its refund is made after the period
      // Not paid yet, and paid after a failed attempt.
      clock.set(T);
      BookingRow open = rows.booking("host-b", T.plus(Duration.ofDays(2)), "HELD", USD_40);
      rows.payment(open, intent(open, 4000).id(), "REQUIRES_PAYMENT", 0, "NONE", T.minusSeconds(1));
      BookingRow failed = rows.booking("host-b", T.plus(Duration.ofDays(2)), "HELD", USD_40);
      Intent f = intent(failed, 4000);
      gateway.fail(f.id());
      rows.payment(failed, f.id(), "FAILED", 0, "NONE", T.minusSeconds(1));
      // Requested in the period, its intent made (after retries) long after: looked up by id.
      BookingRow slow = rows.booking("host-b", T.plus(Duration.ofDays(2)), "CONFIRMED", USD_40);
      clock.set(TO.plus(Duration.ofHours(6)));
      Intent s = intent(slow, 4000);
      gateway.succeed(s.id());
      rows.payment(slow, s.id(), "SUCCEEDED", 4000, "CONFIRMED", TO.minusSeconds(10));
      // Outside the period on both sides.
      paidAndRefunded(rows, TO.plus(Duration.ofDays(2)));
      // A payment still waiting for its intent: nothing at the gateway to compare.
      rows.payment(
          rows.booking("host-b", T.plus(Duration.ofDays(2)), "HELD", USD_40),
          null,
          "AWAITING_INTENT",
          0,
          "NONE",
          T);

      List<Mismatch> mismatches = reconcile(db);

      assertThat(mismatches).isEmpty();
      assertThat(Reconciliation.csv(mismatches)).isEqualTo(Reconciliation.CSV_HEADER + "\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void everyKindOfDifferenceIsReported(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      paidAndRefunded(rows, T);
      clock.set(T);
      // GATEWAY_ONLY: an intent and a refund the platform never recorded.
      BookingRow unrecorded =
          rows.booking("host-a", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent lost = intent(unrecorded, 4000);
      BookingRow refundedBehind = paidAndRefunded(rows, T.plusSeconds(3600));
      clock.set(T.plusSeconds(7200));
      Refund stray = gatewayRefund(refundedBehind, intentOf(db, refundedBehind), "stray", 200);
      // PLATFORM_ONLY: a payment and a refund with gateway ids the gateway does not know.
      BookingRow phantom = rows.booking("host-a", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      rows.payment(phantom, "pi_phantom", "SUCCEEDED", 4000, "CONFIRMED", T);
      rows.refund(
          phantom, "phantom-refund", "PARTIAL", 500, "SUCCEEDED", "re_phantom", T.plusSeconds(60));
      // AMOUNT_DIFFERS: the platform expects 5000 of an intent for 4000; a refund of 800 recorded
      // as 900.
      BookingRow dearer = rows.booking("host-a", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent cheap = intent(dearer, 4000);
      rows.payment(dearer, cheap.id(), 5000, "REQUIRES_PAYMENT", 0, "NONE", T);
      BookingRow misRefunded =
          rows.booking("host-b", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent paid = intent(misRefunded, 4000);
      gateway.succeed(paid.id());
      rows.payment(misRefunded, paid.id(), "SUCCEEDED", 4000, "CONFIRMED", T);
      Refund eight = gatewayRefund(misRefunded, paid.id(), "nine", 800);
      rows.refund(misRefunded, "nine", "PARTIAL", 900, "SUCCEEDED", eight.id(), T.plusSeconds(1));
      // STATUS_DIFFERS: the gateway refunded what the platform thinks was rejected; a success never
      // recorded.
      BookingRow rejected = rows.booking("host-b", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent r = intent(rejected, 4000);
      gateway.succeed(r.id());
      rows.payment(rejected, r.id(), "SUCCEEDED", 4000, "CONFIRMED", T);
      Refund made = gatewayRefund(rejected, r.id(), "made", 400);
      rows.refund(rejected, "made", "PARTIAL", 400, "REJECTED", made.id(), T.plusSeconds(1));
      BookingRow webhookLost = rows.booking("host-b", T.plus(Duration.ofDays(3)), "HELD", USD_40);
      Intent w = intent(webhookLost, 4000);
      gateway.succeed(w.id());
      rows.payment(webhookLost, w.id(), "REQUIRES_PAYMENT", 0, "NONE", T);
      // A refund the gateway made whose success the platform has not recorded yet (no gateway id).
      BookingRow pending = rows.booking("host-b", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent p = intent(pending, 4000);
      gateway.succeed(p.id());
      rows.payment(pending, p.id(), "SUCCEEDED", 4000, "CONFIRMED", T);
      Refund unseen = gatewayRefund(pending, p.id(), "unseen", 300);
      rows.refund(pending, "unseen", "PARTIAL", 300, "REQUESTED", null, T);

      List<Mismatch> mismatches = reconcile(db);

      assertThat(mismatches)
          .extracting(
              Mismatch::kind,
              Mismatch::object,
              Mismatch::id,
              Mismatch::bookingId,
              Mismatch::gatewayAmountCents,
              Mismatch::platformAmountCents,
              Mismatch::gatewayStatus,
              Mismatch::platformStatus)
          .containsExactlyInAnyOrder(
              tuple(
                  Kind.GATEWAY_ONLY,
                  "payment_intent",
                  lost.id(),
                  unrecorded.bookingId(),
                  4000L,
                  null,
                  "REQUIRES_PAYMENT_METHOD",
                  null),
              tuple(
                  Kind.GATEWAY_ONLY,
                  "refund",
                  stray.id(),
                  refundedBehind.bookingId(),
                  200L,
                  null,
                  "SUCCEEDED",
                  null),
              tuple(
                  Kind.PLATFORM_ONLY,
                  "payment_intent",
                  "pi_phantom",
                  phantom.bookingId(),
                  null,
                  4000L,
                  null,
                  "SUCCEEDED"),
              tuple(
                  Kind.PLATFORM_ONLY,
                  "refund",
                  "re_phantom",
                  phantom.bookingId(),
                  null,
                  500L,
                  null,
                  "SUCCEEDED"),
              tuple(
                  Kind.AMOUNT_DIFFERS,
                  "payment_intent",
                  cheap.id(),
                  dearer.bookingId(),
                  4000L,
                  5000L,
                  "REQUIRES_PAYMENT_METHOD",
                  "REQUIRES_PAYMENT"),
              tuple(
                  Kind.AMOUNT_DIFFERS,
                  "refund",
                  eight.id(),
                  misRefunded.bookingId(),
                  800L,
                  900L,
                  "SUCCEEDED",
                  "SUCCEEDED"),
              tuple(
                  Kind.STATUS_DIFFERS,
                  "refund",
                  made.id(),
                  rejected.bookingId(),
                  400L,
                  400L,
                  "SUCCEEDED",
                  "REJECTED"),
              tuple(
                  Kind.AMOUNT_DIFFERS,
                  "payment_intent",
                  w.id(),
                  webhookLost.bookingId(),
                  4000L,
                  0L,
                  "SUCCEEDED",
                  "REQUIRES_PAYMENT"),
              tuple(
                  Kind.STATUS_DIFFERS,
                  "payment_intent",
                  w.id(),
                  webhookLost.bookingId(),
                  4000L,
                  4000L,
                  "SUCCEEDED",
                  "REQUIRES_PAYMENT"),
              tuple(
                  Kind.STATUS_DIFFERS,
                  "refund",
                  unseen.id(),
                  pending.bookingId(),
                  300L,
                  300L,
                  "SUCCEEDED",
                  "REQUESTED"));
      String csv = Reconciliation.csv(mismatches);
      assertThat(csv.split("\r\n")).hasSize(1 + mismatches.size());
      assertThat(csv)
          .contains(
              "\r\nGATEWAY_ONLY,payment_intent,"
                  + lost.id()
                  + ","
                  + unrecorded.bookingId()
                  + ",4000,,REQUIRES_PAYMENT_METHOD,,the platform has no payment for this booking\r\n");
      // Sorted: intents before refunds, then by id and kind; the same every run.
      assertThat(reconcile(db)).isEqualTo(mismatches);
      assertThat(mismatches.get(0).object()).isEqualTo("payment_intent");
      assertThat(mismatches.get(mismatches.size() - 1).object()).isEqualTo("refund");
    }
  }

  @org.junit.jupiter.api.Test
  void theCsvQuotesTextThatASpreadsheetWouldRunAsAFormulaButNotAmounts() {
    // A booking id from a gateway object's metadata is anyone's text: it must not become a formula.
    List<Mismatch> mismatches =
        List.of(
            new Mismatch(
                Kind.GATEWAY_ONLY,
                "refund",
                "re_1",
                "=HYPERLINK(\"https://evil.example\",\"x\")",
                -5L,
                null,
                "SUCCEEDED",
                null,
                "+1"),
            new Mismatch(
                Kind.AMOUNT_DIFFERS,
                "refund",
                "@re_2",
                "-2",
                800L,
                -900L,
                "SUCCEEDED",
                "SUCCEEDED",
                "\rcmd"));

    assertThat(Reconciliation.csv(mismatches))
        .isEqualTo(
            Reconciliation.CSV_HEADER
                + "\r\n"
                + "GATEWAY_ONLY,refund,re_1,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",-5,,SUCCEEDED,,'+1\r\n"
                + "AMOUNT_DIFFERS,refund,'@re_2,'-2,800,-900,SUCCEEDED,SUCCEEDED,\"'\rcmd\"\r\n");
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aRefundThatFailedAfterItWasMadeIsListedForAnOperator(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      clock.set(T);
      BookingRow b = rows.booking("host-a", T.plus(Duration.ofDays(3)), "CONFIRMED", USD_40);
      Intent i = intent(b, 4000);
      gateway.succeed(i.id());
      rows.payment(b, i.id(), "SUCCEEDED", 4000, "CONFIRMED", T.minusSeconds(1));
      Refund bounced = gatewayRefund(b, i.id(), "bounced-" + b.bookingId(), 1000);
      rows.refund(
          b,
          "bounced-" + b.bookingId(),
          "PARTIAL",
          1000,
          "SUCCEEDED",
          bounced.id(),
          T.plusSeconds(1));
      db.execute(
          "UPDATE refunds SET status = 'FAILED', failed_at = TIMESTAMP WITH TIME ZONE '2026-11-16 10:00:00+00',"
              + " failure_reason = 'the gateway reports the refund failed (refund.failed)'");
      // The gateway, as Stripe after refund.failed: the refund is listed with status failed.
      PaymentGateway afterTheFailure =
          new PaymentGateway() {
            public java.util.concurrent.CompletionStage<Intent> createIntent(
                String k, long a, String c, Map<String, String> m) {
              throw new UnsupportedOperationException();
            }

            public java.util.concurrent.CompletionStage<Intent> retrieveIntent(String id) {
              return gateway.retrieveIntent(id);
            }

            public java.util.concurrent.CompletionStage<Refund> createRefund(
                String k, String id, long a, Map<String, String> m) {
              throw new UnsupportedOperationException();
            }

            public java.util.concurrent.CompletionStage<List<Intent>> listIntents(
                Instant from, Instant to) {
              return gateway.listIntents(from, to);
            }

            public java.util.concurrent.CompletionStage<List<Refund>> listRefunds(
                Instant from, Instant to) {
              return gateway
                  .listRefunds(from, to)
                  .thenApply(
                      all ->
                          all.stream()
                              .map(
                                  r ->
                                      new Refund(
                                          r.id(),
                                          r.intentId(),
                                          r.amountCents(),
                                          r.currency(),
                                          RefundStatus.FAILED,
                                          r.metadata(),
                                          r.createdAt()))
                              .toList());
            }
          };

      List<Mismatch> mismatches =
          new Reconciliation(afterTheFailure, db.dataSource())
              .run(FROM, TO, Runnable::run)
              .toCompletableFuture()
              .join();

      assertThat(mismatches)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.kind()).isEqualTo(Kind.REFUND_FAILED);
                assertThat(m.id()).isEqualTo(bounced.id());
                assertThat(m.bookingId()).isEqualTo(b.bookingId());
                assertThat(m.platformAmountCents()).isEqualTo(1000L);
                assertThat(m.platformStatus()).isEqualTo("FAILED");
                assertThat(m.detail())
                    .contains("has not received 1000 USD")
                    .contains("refund.failed");
              });
      assertThat(Reconciliation.csv(mismatches))
          .contains("\r\nREFUND_FAILED,refund," + bounced.id() + ",");
      // Against a gateway that still calls it succeeded, that difference shows as well.
      assertThat(reconcile(db))
          .extracting(Mismatch::kind)
          .containsExactlyInAnyOrder(Kind.STATUS_DIFFERS, Kind.REFUND_FAILED);
    }
  }
}
