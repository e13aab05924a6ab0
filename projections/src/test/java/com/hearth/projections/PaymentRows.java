package com.hearth.projections;

import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.kitchen.RefundSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Rows of {@code bookings}, {@code payments} and {@code refunds} written straight into a test
 * database. Prices and refund shares are what the test says they are: the test works them out by
 * hand, never with the engine's own {@code Pricing}, so that a fault there cannot hide in both the
 * rows and the expected values.
 */
public final class PaymentRows {

  private final DataSource dataSource;

  public PaymentRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A booking as the read model holds it; each in a kitchen of its own, so that none overlap. */
  public record BookingRow(
      String bookingId,
      String kitchenId,
      String hostId,
      Instant end,
      String status,
      PriceBreakdown price) {}

  public BookingRow booking(String hostId, Instant end, String status, PriceBreakdown price) {
    return booking(hostId, end, status, price, RefundSplit.NONE);
  }

  /**
   * A booking of one hour ending at {@code end}; {@code policyRefund} as a cancellation decided and
   * split it.
   */
  public BookingRow booking(
      String hostId, Instant end, String status, PriceBreakdown price, RefundSplit policyRefund) {
    String kitchenId = KitchenIds.newKitchenId();
    String bookingId = KitchenIds.newBookingId(kitchenId);
    Instant start = end.minus(Duration.ofHours(1));
    long policyRefundCents = policyRefund.totalCents();
    RefundSplit split = policyRefund;
    execute(
        "INSERT INTO bookings (booking_id, kitchen_id, host_id, renter_id, start_at, end_at, local_date, minutes, status,"
            + " currency, subtotal_cents, platform_fee_cents, tax_cents, total_cents, host_payout_cents, refund_cents,"
            + " refund_host_share_cents, refund_platform_share_cents, refund_tax_share_cents, held_at, hold_expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bookingId,
        kitchenId,
        hostId,
        "renter-1",
        start,
        end,
        LocalDate.ofInstant(start, ZoneOffset.UTC),
        60,
        status,
        price.currency(),
        price.subtotalCents(),
        price.platformFeeCents(),
        price.taxCents(),
        price.totalCents(),
        price.hostPayoutCents(),
        policyRefundCents,
        split.hostCents(),
        split.platformCents(),
        split.taxCents(),
        start.minus(Duration.ofDays(3)),
        start.minus(Duration.ofDays(3)).plus(Duration.ofMinutes(10)));
    return new BookingRow(bookingId, kitchenId, hostId, end, status, price);
  }

  /** The booking was paid in full and its payment confirmed it. */
  public BookingRow paid(BookingRow b) {
    return payment(
        b,
        "pi_" + b.bookingId(),
        "SUCCEEDED",
        b.price().totalCents(),
        "CONFIRMED",
        b.end().minus(Duration.ofDays(3)));
  }

  public BookingRow payment(
      BookingRow b,
      String intentId,
      String status,
      long paidCents,
      String outcome,
      Instant requestedAt) {
    return payment(b, intentId, b.price().totalCents(), status, paidCents, outcome, requestedAt);
  }

  public BookingRow payment(
      BookingRow b,
      String intentId,
      long amountCents,
      String status,
      long paidCents,
      String outcome,
      Instant requestedAt) {
    execute(
        "INSERT INTO payments (booking_id, kitchen_id, host_id, renter_id, intent_id, amount_cents, currency, status,"
            + " paid_cents, refunded_cents, outcome, requested_at, intent_created_at, succeeded_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        b.bookingId(),
        b.kitchenId(),
        b.hostId(),
        "renter-1",
        intentId,
        amountCents,
        b.price().currency(),
        status,
        paidCents,
        outcome,
        requestedAt,
        intentId == null ? null : requestedAt,
        paidCents > 0 ? requestedAt : null);
    return b;
  }

  /**
   * A refund of {@code shares.totalCents()}, split as {@code shares} says; returns the host's
   * share.
   */
  public long refund(
      BookingRow b, String refundKey, String kind, RefundSplit shares, String status, Instant at) {
    return refund(
        b,
        refundKey,
        kind,
        shares,
        status,
        status.equals("SUCCEEDED") ? "re_" + refundKey : null,
        at);
  }

  /**
   * A refund whose shares do not matter to the test (reconciliation compares amounts only): zeros.
   */
  public long refund(
      BookingRow b,
      String refundKey,
      String kind,
      long amountCents,
      String status,
      String gatewayRefundId,
      Instant at) {
    return insertRefund(
        b, refundKey, kind, amountCents, RefundSplit.NONE, status, gatewayRefundId, at);
  }

  public long refund(
      BookingRow b,
      String refundKey,
      String kind,
      RefundSplit shares,
      String status,
      String gatewayRefundId,
      Instant at) {
    return insertRefund(
        b, refundKey, kind, shares.totalCents(), shares, status, gatewayRefundId, at);
  }

  private long insertRefund(
      BookingRow b,
      String refundKey,
      String kind,
      long amountCents,
      RefundSplit split,
      String status,
      String gatewayRefundId,
      Instant at) {
    execute(
        "INSERT INTO refunds (refund_key, booking_id, kind, amount_cents, currency, reason, status, gateway_refund_id,"
            + " requested_by, requested_by_role, requested_at, succeeded_at, rejected_at, host_share_cents,"
            + " platform_share_cents, tax_share_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        refundKey,
        b.bookingId(),
        kind,
        amountCents,
        b.price().currency(),
        "test",
        status,
        gatewayRefundId,
        b.hostId(),
        "HOST",
        at.minusSeconds(5),
        status.equals("SUCCEEDED") ? at : null,
        status.equals("REJECTED") ? at : null,
        split.hostCents(),
        split.platformCents(),
        split.taxCents());
    return split.hostCents();
  }

  public void execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
