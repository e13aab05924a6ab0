package com.hearth.projections;

import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.kitchen.Pricing;
import com.hearth.engine.kitchen.RefundSplit;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Who gives back what of a succeeded refund ({@code refunds.host_share_cents},
 * {@code platform_share_cents}, {@code tax_share_cents}), and how the two projection families
 * agree on it.
 *
 * <p>The split needs the booking's price, which only the kitchen's journal carries, and the
 * refund, which only the payment's journal carries. The two journals are projected independently
 * and in no order relative to each other (a rebuild replays both at once), so whichever of the
 * two rows arrives second completes the shares: the payment projection splits a refund when it
 * succeeds if the booking's row is there, and otherwise writes zeros; the kitchen projection, when
 * it inserts a booking's row, splits that booking's refunds that succeeded already. Both write
 * the same absolute values, computed from the events alone.
 *
 * <p>"Second" must hold across concurrent transactions too: two uncommitted transactions do not
 * see each other's rows, and each would find the other's missing. So both first lock the
 * booking's row in {@code refund_share_locks} (inserting it if need be) and only then read:
 * whichever gets the lock second waits until the first has committed, and then sees its rows.
 * Each transaction takes all its locks at its start, in booking id order, so the two families
 * never wait on each other in a cycle.
 *
 * <p>A late payment's refund ({@link RefundKind#LATE_PAYMENT}) needs no price: its booking was never
 * confirmed, so the host never earned any of it and the platform, which took the money, gives it
 * all back. It is wholly the platform's share; host and tax shares are 0.
 */
final class RefundShares {

  private static final int IDS_PER_QUERY = 500;

  private RefundShares() {}

  /** Locks the bookings' rows in booking id order; held until the transaction ends. */
  static void lock(Connection c, SqlDialect dialect, SortedSet<String> bookingIds) throws SQLException {
    if (bookingIds.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(dialect.lockingUpsert("refund_share_locks", "booking_id"))) {
      for (String bookingId : bookingIds) {
        ps.setString(1, bookingId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The shares of a refund of {@code amountCents}; all 0 while the booking's price is not known
   * ({@code price} null), to be completed by {@link #complete}.
   */
  static RefundSplit split(RefundKind kind, PriceBreakdown price, long amountCents) {
    if (kind == RefundKind.LATE_PAYMENT) return new RefundSplit(0, amountCents, 0);
    if (price == null) return RefundSplit.NONE;
    // The payments never refund more than was paid, which is the booking's total; should a gateway
    // ever report more, the excess is the platform's rather than a projection stuck on the event.
    long splittable = Math.min(amountCents, price.totalCents());
    RefundSplit split = Pricing.splitRefund(price, splittable);
    return new RefundSplit(split.hostCents(), split.platformCents() + amountCents - splittable, split.taxCents());
  }

  /**
   * Splits the succeeded refunds of bookings whose rows this transaction inserted, by their prices.
   * The bookings' rows must be locked with {@link #lock} since the start of the transaction.
   */
  static void complete(Connection c, SortedMap<String, PriceBreakdown> prices) throws SQLException {
    List<String> ids = new ArrayList<>(prices.keySet());
    for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
      List<Object[]> updates = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT refund_key, booking_id, kind, amount_cents FROM refunds"
          + " WHERE status = 'SUCCEEDED' AND booking_id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
          + ") ORDER BY refund_key")) {
        Sql.bind(ps, chunk.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            RefundSplit s = split(RefundKind.valueOf(rs.getString("kind")), prices.get(rs.getString("booking_id")),
                rs.getLong("amount_cents"));
            updates.add(new Object[] {s.hostCents(), s.platformCents(), s.taxCents(), rs.getString("refund_key")});
          }
        }
      }
      if (updates.isEmpty()) continue;
      try (PreparedStatement ps = c.prepareStatement("UPDATE refunds SET host_share_cents = ?, platform_share_cents = ?,"
          + " tax_share_cents = ? WHERE refund_key = ?")) {
        for (Object[] update : updates) {
          Sql.bind(ps, update);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
