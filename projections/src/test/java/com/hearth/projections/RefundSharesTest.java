package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.kitchen.PriceBreakdown;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refund shares split cumulatively: however many refunds, a host never gives back more than it
 * earned.
 */
class RefundSharesTest {

  static final String BOOKING = "bk_" + "1".repeat(48);
  ReadModelDatabase db;

  @BeforeEach
  void setUp() {
    db = ReadModelDatabase.create(SqlDialect.H2);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  void refund(String key, String kind, long amount, String succeededAt) {
    db.execute(
        "INSERT INTO refunds (refund_key, booking_id, kind, amount_cents, currency, status, requested_by,"
            + " requested_by_role, requested_at, succeeded_at) VALUES ('"
            + key
            + "', '"
            + BOOKING
            + "', '"
            + kind
            + "', "
            + amount
            + ", 'USD', 'SUCCEEDED', 'host-1', 'HOST', TIMESTAMP WITH TIME ZONE '"
            + succeededAt
            + "', TIMESTAMP WITH TIME ZONE '"
            + succeededAt
            + "')");
  }

  List<long[]> shares() throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT host_share_cents, platform_share_cents, tax_share_cents FROM refunds"
                    + " ORDER BY succeeded_at, refund_key")) {
      List<long[]> rows = new ArrayList<>();
      while (rs.next()) rows.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
      return rows;
    }
  }

  void recompute(PriceBreakdown price) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      RefundShares.recompute(c, BOOKING, price);
    }
  }

  @Test
  void threeOneCentRefundsOfAThreeCentBookingTakeBackTheHostsTwoCentsExactly() throws Exception {
    // Total 3, host payout 2, fee 1: alone, each 1-cent refund would round the host's share up to
    // 1.
    PriceBreakdown price = new PriceBreakdown(3, 1, 0, 3, 2, "USD");
    refund("r1", "PARTIAL", 1, "2026-11-01 10:00:00+00");
    refund("r2", "PARTIAL", 1, "2026-11-01 11:00:00+00");
    refund("r3", "CANCELLATION", 1, "2026-11-01 12:00:00+00");
    recompute(price);
    List<long[]> shares = shares();
    assertThat(shares.stream().mapToLong(s -> s[0]).sum()).isEqualTo(2);
    assertThat(shares.stream().mapToLong(s -> s[1]).sum()).isEqualTo(1);
    assertThat(shares).allSatisfy(s -> assertThat(s[0] + s[1] + s[2]).isEqualTo(1));
  }

  @Test
  void sharesWaitForThePriceAndALatePaymentIsAllThePlatforms() throws Exception {
    refund("r1", "LATE_PAYMENT", 8660, "2026-11-01 10:00:00+00");
    refund("r2", "PARTIAL", 500, "2026-11-01 09:00:00+00");
    recompute(null);
    assertThat(shares()).containsExactly(new long[] {0, 0, 0}, new long[] {0, 8660, 0});
    PriceBreakdown price = new PriceBreakdown(8000, 1200, 660, 8660, 6800, "USD");
    recompute(price);
    // 500 of 8660: host 392.6 -> 393, tax 38.1 -> 38, platform the remaining 69.
    assertThat(shares()).containsExactly(new long[] {393, 69, 38}, new long[] {0, 8660, 0});
  }

  /**
   * Each refund's shares are the split of everything refunded so far less the split before it.
   * Price: total 8660, host 6800, tax 660, fee 1200. Two refunds of 500: 500 in all: host 500 *
   * 6800 / 8660 = 392.6 -> 393; tax 500 * 660 / 8660 = 38.1 -> 38; platform 69. 1000 in all: host
   * 785.2 -> 785; tax 76.2 -> 76; platform 1000 - 785 - 76 = 139. So the second refund gives back
   * host 785 - 393 = 392, platform 139 - 69 = 70, tax 76 - 38 = 38.
   */
  @Test
  void aLaterRefundGetsTheCumulativeSplitLessWhatTheEarlierOnesGot() throws Exception {
    refund("r1", "PARTIAL", 500, "2026-11-01 10:00:00+00");
    refund("r2", "PARTIAL", 500, "2026-11-01 11:00:00+00");
    recompute(new PriceBreakdown(8000, 1200, 660, 8660, 6800, "USD"));
    assertThat(shares()).containsExactly(new long[] {393, 69, 38}, new long[] {392, 70, 38});
  }
}
