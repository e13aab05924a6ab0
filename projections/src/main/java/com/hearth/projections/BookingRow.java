package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.PriceBreakdown;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One row of {@code bookings} as a group of events leaves it. The projection loads a booking's row
 * once per group, applies the group's events to it in memory, and writes it once: a booking held
 * and confirmed in the same group is inserted confirmed.
 */
final class BookingRow {

  /** Every column, in the order of {@link #values()}. */
  static final List<String> COLUMNS =
      List.of(
          "booking_id",
          "kitchen_id",
          "host_id",
          "renter_id",
          "start_at",
          "end_at",
          "local_date",
          "minutes",
          "status",
          "currency",
          "subtotal_cents",
          "platform_fee_cents",
          "tax_cents",
          "total_cents",
          "host_payout_cents",
          "refund_cents",
          "refund_host_share_cents",
          "refund_platform_share_cents",
          "refund_tax_share_cents",
          "held_at",
          "hold_expires_at",
          "confirmed_at",
          "confirmed_by",
          "cancelled_at",
          "cancelled_by",
          "cancelled_by_role",
          "cancel_reason",
          "expired_at",
          "completed_at");

  final String bookingId;
  final String kitchenId;
  final String hostId;
  final String renterId;
  final Interval slot;
  LocalDate localDate;
  BookingStatus status;
  final PriceBreakdown price;
  long refundCents;
  long refundHostShareCents;
  long refundPlatformShareCents;
  long refundTaxShareCents;
  final Instant heldAt;
  final Instant holdExpiresAt;
  Instant confirmedAt;
  String confirmedBy;
  Instant cancelledAt;
  String cancelledBy;
  Role cancelledByRole;
  String cancelReason;
  Instant expiredAt;
  Instant completedAt;

  BookingRow(
      String bookingId,
      String kitchenId,
      String hostId,
      String renterId,
      Interval slot,
      LocalDate localDate,
      BookingStatus status,
      PriceBreakdown price,
      Instant heldAt,
      Instant holdExpiresAt) {
    this.bookingId = bookingId;
    this.kitchenId = kitchenId;
    this.hostId = hostId;
    this.renterId = renterId;
    this.slot = slot;
    this.localDate = localDate;
    this.status = status;
    this.price = price;
    this.heldAt = heldAt;
    this.holdExpiresAt = holdExpiresAt;
  }

  static BookingRow read(ResultSet rs) throws SQLException {
    BookingRow row =
        new BookingRow(
            rs.getString("booking_id"),
            rs.getString("kitchen_id"),
            rs.getString("host_id"),
            rs.getString("renter_id"),
            new Interval(Sql.instant(rs, "start_at"), Sql.instant(rs, "end_at")),
            Sql.date(rs, "local_date"),
            BookingStatus.valueOf(rs.getString("status")),
            new PriceBreakdown(
                rs.getLong("subtotal_cents"),
                rs.getLong("platform_fee_cents"),
                rs.getLong("tax_cents"),
                rs.getLong("total_cents"),
                rs.getLong("host_payout_cents"),
                rs.getString("currency")),
            Sql.instant(rs, "held_at"),
            Sql.instant(rs, "hold_expires_at"));
    row.refundCents = rs.getLong("refund_cents");
    row.refundHostShareCents = rs.getLong("refund_host_share_cents");
    row.refundPlatformShareCents = rs.getLong("refund_platform_share_cents");
    row.refundTaxShareCents = rs.getLong("refund_tax_share_cents");
    row.confirmedAt = Sql.instant(rs, "confirmed_at");
    row.confirmedBy = rs.getString("confirmed_by");
    row.cancelledAt = Sql.instant(rs, "cancelled_at");
    row.cancelledBy = rs.getString("cancelled_by");
    String role = rs.getString("cancelled_by_role");
    row.cancelledByRole = role == null ? null : Role.valueOf(role);
    row.cancelReason = rs.getString("cancel_reason");
    row.expiredAt = Sql.instant(rs, "expired_at");
    row.completedAt = Sql.instant(rs, "completed_at");
    return row;
  }

  BookingRow copy() {
    BookingRow c =
        new BookingRow(
            bookingId,
            kitchenId,
            hostId,
            renterId,
            slot,
            localDate,
            status,
            price,
            heldAt,
            holdExpiresAt);
    c.refundCents = refundCents;
    c.refundHostShareCents = refundHostShareCents;
    c.refundPlatformShareCents = refundPlatformShareCents;
    c.refundTaxShareCents = refundTaxShareCents;
    c.confirmedAt = confirmedAt;
    c.confirmedBy = confirmedBy;
    c.cancelledAt = cancelledAt;
    c.cancelledBy = cancelledBy;
    c.cancelledByRole = cancelledByRole;
    c.cancelReason = cancelReason;
    c.expiredAt = expiredAt;
    c.completedAt = completedAt;
    return c;
  }

  /** Whether the booking was ever confirmed (paid): its money counts, net of refunds. */
  boolean wasConfirmed() {
    return confirmedAt != null;
  }

  /** Whether its minutes are booked time: confirmed, then completed. */
  boolean occupies() {
    return status == BookingStatus.CONFIRMED || status == BookingStatus.COMPLETED;
  }

  Object[] values() {
    return new Object[] {
      bookingId,
      kitchenId,
      hostId,
      renterId,
      slot.start(),
      slot.end(),
      localDate,
      slot.minutes(),
      status,
      price.currency(),
      price.subtotalCents(),
      price.platformFeeCents(),
      price.taxCents(),
      price.totalCents(),
      price.hostPayoutCents(),
      refundCents,
      refundHostShareCents,
      refundPlatformShareCents,
      refundTaxShareCents,
      heldAt,
      holdExpiresAt,
      confirmedAt,
      confirmedBy,
      cancelledAt,
      cancelledBy,
      cancelledByRole,
      cancelReason,
      expiredAt,
      completedAt
    };
  }

  /** Binds every column but the key, then the key, for {@link ReadModelWriter}'s UPDATE. */
  void bindUpdate(PreparedStatement ps) throws SQLException {
    Object[] all = values();
    Object[] shifted = new Object[all.length];
    System.arraycopy(all, 1, shifted, 0, all.length - 1);
    shifted[all.length - 1] = bookingId;
    Sql.bind(ps, shifted);
  }
}
