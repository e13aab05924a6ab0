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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Who gives back what of a succeeded refund ({@code refunds.host_share_cents}, {@code
 * platform_share_cents}, {@code tax_share_cents}), and how the two projection families agree on it.
 *
 * <p>The split needs the booking's price, which only the kitchen's journal carries, and the refund,
 * which only the payment's journal carries. The two journals are projected independently and in no
 * order relative to each other (a rebuild replays both at once), so whichever of the two rows
 * arrives second completes the shares: the payment projection splits a refund when it succeeds if
 * the booking's row is there, and otherwise writes zeros; the kitchen projection, when it inserts a
 * booking's row, splits that booking's refunds that succeeded already. Both write the same absolute
 * values, computed from the events alone.
 *
 * <p>"Second" must hold across concurrent transactions too: two uncommitted transactions do not see
 * each other's rows, and each would find the other's missing. So both first lock the booking's row
 * in {@code refund_share_locks} (inserting it if need be) and only then read: whichever gets the
 * lock second waits until the first has committed, and then sees its rows. Each transaction takes
 * all its locks at its start, in booking id order, so the two families never wait on each other in
 * a cycle.
 *
 * <p>A booking's refunds are split <b>cumulatively</b>, in the order they succeeded (then by key):
 * each refund's shares are the split of all the booking's refunds so far minus the split of those
 * before it. Rounding each refund on its own could make a host give back a cent more than it earned
 * over several refunds; split cumulatively, the shares of all refunds always add up to the split of
 * their sum, which never exceeds what each party received. Since one refund's shares depend on the
 * others', every change recomputes all of the booking's refunds.
 *
 * <p>A late payment's refund ({@link RefundKind#LATE_PAYMENT}) needs no price: its booking was
 * never confirmed, so the host never earned any of it and the platform, which took the money, gives
 * it all back. It is wholly the platform's share; host and tax shares are 0.
 */
final class RefundShares {

  private RefundShares() {}

  /** Locks the bookings' rows in booking id order; held until the transaction ends. */
  static void lock(Connection c, SqlDialect dialect, SortedSet<String> bookingIds)
      throws SQLException {
    if (bookingIds.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(dialect.lockingUpsert("refund_share_locks", "booking_id"))) {
      for (String bookingId : bookingIds) {
        ps.setString(1, bookingId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The split of {@code refundedCents} in all; beyond the booking's total (never, in practice) the
   * platform's.
   */
  private static RefundSplit splitOf(PriceBreakdown price, long refundedCents) {
    long splittable = Math.min(refundedCents, price.totalCents());
    RefundSplit split = Pricing.splitRefund(price, splittable);
    return new RefundSplit(
        split.hostCents(), split.platformCents() + refundedCents - splittable, split.taxCents());
  }

  /**
   * Writes the shares of every succeeded refund of the booking, cumulatively; with the price
   * unknown ({@code price} null) all but late-payment refunds get zeros, to be completed by {@link
   * #complete} when the booking's row arrives. The booking's row in {@code refund_share_locks} must
   * be locked by this transaction.
   */
  static void recompute(Connection c, String bookingId, PriceBreakdown price) throws SQLException {
    Map<String, PriceBreakdown> prices = new HashMap<>();
    prices.put(bookingId, price);
    rewrite(c, prices);
  }

  /**
   * Splits the succeeded refunds of bookings whose rows this transaction inserted, by their prices.
   * The bookings' rows must be locked with {@link #lock} since the start of the transaction.
   */
  static void complete(Connection c, SortedMap<String, PriceBreakdown> prices) throws SQLException {
    rewrite(c, prices);
  }

  /** Most bookings bound in one {@code IN (...)} list. */
  private static final int KEYS_PER_QUERY = 100;

  /**
   * Rewrites the shares of all refunds of these bookings (a null price: not known yet): one read
   * per hundred bookings and one batch of updates for the refunds there are, so that a group of
   * holds, whose bookings have no refunds yet, costs one query.
   */
  private static void rewrite(Connection c, Map<String, PriceBreakdown> prices)
      throws SQLException {
    List<String> bookingIds = new ArrayList<>(prices.keySet());
    List<Object[]> updates = new ArrayList<>();
    for (int from = 0; from < bookingIds.size(); from += KEYS_PER_QUERY) {
      List<String> chunk =
          bookingIds.subList(from, Math.min(bookingIds.size(), from + KEYS_PER_QUERY));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT booking_id, refund_key, kind, amount_cents, status FROM refunds"
                  + " WHERE booking_id IN ("
                  + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                  + ")"
                  + " ORDER BY booking_id, succeeded_at, refund_key")) {
        Sql.bind(ps, chunk.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          String booking = null;
          long refunded = 0;
          RefundSplit before = RefundSplit.NONE;
          while (rs.next()) {
            if (!rs.getString("booking_id").equals(booking)) {
              booking = rs.getString("booking_id");
              refunded = 0;
              before = RefundSplit.NONE;
            }
            PriceBreakdown price = prices.get(booking);
            long amount = rs.getLong("amount_cents");
            RefundSplit share;
            if (!"SUCCEEDED".equals(rs.getString("status"))) {
              // A refund that is not (or no longer, having failed) succeeded gives nothing back.
              share = RefundSplit.NONE;
            } else if (RefundKind.valueOf(rs.getString("kind")) == RefundKind.LATE_PAYMENT) {
              share = new RefundSplit(0, amount, 0);
            } else if (price == null) {
              share = RefundSplit.NONE;
            } else {
              refunded += amount;
              RefundSplit upToHere = splitOf(price, refunded);
              share =
                  new RefundSplit(
                      upToHere.hostCents() - before.hostCents(),
                      upToHere.platformCents() - before.platformCents(),
                      upToHere.taxCents() - before.taxCents());
              before = upToHere;
            }
            updates.add(
                new Object[] {
                  share.hostCents(),
                  share.platformCents(),
                  share.taxCents(),
                  rs.getString("refund_key")
                });
          }
        }
      }
    }
    if (updates.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE refunds SET host_share_cents = ?, platform_share_cents = ?,"
                + " tax_share_cents = ? WHERE refund_key = ?")) {
      for (Object[] update : updates) {
        Sql.bind(ps, update);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
