package com.hearth.projections;

import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.payment.GatewayEvent;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.engine.payment.PaymentEntity.BookingConfirmedByPayment;
import com.hearth.engine.payment.PaymentEntity.GatewayEventRecorded;
import com.hearth.engine.payment.PaymentEntity.IntentCreated;
import com.hearth.engine.payment.PaymentEntity.IntentRequested;
import com.hearth.engine.payment.PaymentEntity.PaymentFailed;
import com.hearth.engine.payment.PaymentEntity.PaymentSucceeded;
import com.hearth.engine.payment.PaymentEntity.RefundAttemptAbandoned;
import com.hearth.engine.payment.PaymentEntity.RefundFailed;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundRejected;
import com.hearth.engine.payment.PaymentEntity.RefundRequested;
import com.hearth.engine.payment.PaymentEntity.RefundSucceeded;
import com.hearth.engine.payment.PaymentEntity.Terms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Applies one group of payment journal events to {@code payments}, {@code refunds} and {@code
 * payment_events} inside the projection's transaction.
 *
 * <p>As with the kitchens' read models, everything written is a function of the events alone:
 * instants are the events' own, and amounts come from the events and, for a refund's shares, from
 * the booking's price as the kitchen projection stored it (see {@link RefundShares}). Rows are
 * inserted unless there (a payment asked for again, under the next attempt's key, keeps its first
 * request) and updated with absolute values, so an event applied a second time changes nothing; a
 * status never moves back (a failure after a success, a rejection after a success).
 */
final class PaymentReadModelWriter {

  private final Connection c;
  private final SqlDialect dialect;

  PaymentReadModelWriter(Connection connection, SqlDialect dialect) {
    this.c = connection;
    this.dialect = dialect;
  }

  void apply(List<EventEnvelope<PaymentEntity.Event>> envelopes) throws SQLException {
    TreeSet<String> refunded = new TreeSet<>();
    for (EventEnvelope<PaymentEntity.Event> envelope : envelopes)
      if (envelope.event() instanceof RefundSucceeded e) refunded.add(e.bookingId());
      else if (envelope.event() instanceof RefundFailed e) refunded.add(e.bookingId());
    RefundShares.lock(c, dialect, refunded);
    for (EventEnvelope<PaymentEntity.Event> envelope : envelopes) apply(envelope);
  }

  private void apply(EventEnvelope<PaymentEntity.Event> envelope) throws SQLException {
    PaymentEntity.Event event = envelope.event();
    if (event instanceof IntentRequested e) {
      insertPayment(e);
    } else if (event instanceof IntentCreated e) {
      // The intent is created once, right after it was requested; a status further on stays.
      updatePayment(
          e.bookingId(),
          "intent_id = ?, intent_created_at = ?,"
              + " status = CASE WHEN status = 'AWAITING_INTENT' THEN 'REQUIRES_PAYMENT' ELSE status END",
          e.intentId(),
          e.at());
    } else if (event instanceof PaymentSucceeded e) {
      updatePayment(
          e.bookingId(),
          "status = 'SUCCEEDED', paid_cents = ?, succeeded_at = ?,"
              + " outcome = CASE WHEN outcome = 'NONE' THEN 'CONFIRMING' ELSE outcome END",
          e.amountCents(),
          e.at());
    } else if (event instanceof PaymentFailed e) {
      // A failure reported after the payment succeeded changes nothing: the money arrived.
      execute(
          "UPDATE payments SET status = 'FAILED', failed_at = ? WHERE booking_id = ? AND status <> 'SUCCEEDED'",
          e.at(),
          e.bookingId());
    } else if (event instanceof BookingConfirmedByPayment e) {
      updatePayment(e.bookingId(), "outcome = 'CONFIRMED', confirmed_at = ?", e.at());
    } else if (event instanceof PaymentEntity.LatePaymentSettled e) {
      updatePayment(e.bookingId(), "outcome = 'REFUNDED_LATE'");
    } else if (event instanceof RefundRequested e) {
      insertRefund(e);
    } else if (event instanceof RefundSucceeded e) {
      refundSucceeded(e);
    } else if (event instanceof RefundAttemptAbandoned) {
      // Only the gateway key of the next try changes: the refund is still REQUESTED, for the record
      // only.
    } else if (event instanceof RefundRejected e) {
      execute(
          "UPDATE refunds SET status = 'REJECTED', rejected_at = ? WHERE refund_key = ? AND status <> 'SUCCEEDED'",
          e.at(),
          e.key());
    } else if (event instanceof RefundFailed e) {
      refundFailed(e);
    } else if (event instanceof GatewayEventRecorded e) {
      // Also recorded for bookings never paid here: those have no payments row, only the audit row.
      // Any dispute event says there is a dispute: they may come in any order.
      if (GatewayEvent.isDispute(e.type()))
        execute("UPDATE payments SET disputed = TRUE WHERE booking_id = ?", e.bookingId());
    } else {
      throw new IllegalStateException(
          "no read model knows the payment event " + event.getClass().getName());
    }
    insertAuditRow(envelope);
  }

  // ---------------------------------------------------------------- payments

  private void insertPayment(IntentRequested e) throws SQLException {
    Terms t = e.terms();
    insertUnlessPresent(
        "payments",
        "booking_id",
        e.bookingId(),
        "booking_id, kitchen_id, host_id, renter_id, amount_cents, currency, status, outcome, requested_at",
        e.bookingId(),
        t.kitchenId(),
        t.hostId(),
        t.renterId(),
        t.totalCents(),
        t.currency(),
        "AWAITING_INTENT",
        "NONE",
        e.at());
  }

  private void updatePayment(String bookingId, String assignments, Object... values)
      throws SQLException {
    requireOne(
        execute(
            "UPDATE payments SET " + assignments + " WHERE booking_id = ?",
            concat(values, bookingId)),
        "payment",
        bookingId);
  }

  // ---------------------------------------------------------------- refunds

  private void insertRefund(RefundRequested e) throws SQLException {
    String currency;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT currency FROM payments WHERE booking_id = ?")) {
      Sql.bind(ps, e.bookingId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw missing("payment", e.bookingId());
        currency = rs.getString(1);
      }
    }
    insertUnlessPresent(
        "refunds",
        "refund_key",
        e.key(),
        "refund_key, booking_id, kind, amount_cents, currency, reason, status, requested_by, requested_by_role, requested_at",
        e.key(),
        e.bookingId(),
        e.kind(),
        e.amountCents(),
        currency,
        e.reason(),
        "REQUESTED",
        e.actorId(),
        e.actorRole(),
        e.at());
    if (e.kind() == RefundKind.LATE_PAYMENT)
      updatePayment(e.bookingId(), "outcome = 'REFUNDED_LATE'");
  }

  /**
   * The refund's amount becomes what the gateway refunded (the amount asked for, in practice), and
   * the payment's {@code refunded_cents} the sum of its succeeded refunds: a total recomputed, not
   * an increment, so that applying the event again adds nothing.
   */
  private void refundSucceeded(RefundSucceeded e) throws SQLException {
    requireOne(
        execute(
            "UPDATE refunds SET status = 'SUCCEEDED', gateway_refund_id = ?, succeeded_at = ?, amount_cents = ?"
                + " WHERE refund_key = ?",
            e.refundId(),
            e.at(),
            e.amountCents(),
            e.key()),
        "refund",
        e.key());
    recomputeRefunded(e.bookingId());
  }

  /**
   * A refund made and then failed: FAILED, no longer in {@code refunded_cents}, and its shares
   * zero, the others' recomputed (a payout already made is corrected by the next batch, see {@code
   * com.hearth.billing.Payouts}).
   */
  private void refundFailed(RefundFailed e) throws SQLException {
    requireOne(
        execute(
            "UPDATE refunds SET status = 'FAILED', failed_at = ?, failure_reason = ?,"
                + " gateway_refund_id = COALESCE(?, gateway_refund_id) WHERE refund_key = ?",
            e.at(),
            e.reason(),
            e.refundId(),
            e.key()),
        "refund",
        e.key());
    recomputeRefunded(e.bookingId());
  }

  private void recomputeRefunded(String bookingId) throws SQLException {
    RefundShares.recompute(c, bookingId, priceOf(bookingId));
    updatePayment(
        bookingId,
        "refunded_cents = (SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r"
            + " WHERE r.booking_id = ? AND r.status = 'SUCCEEDED')",
        bookingId);
  }

  /**
   * The booking's price as the kitchen projection stored it; null while its row is not there yet.
   */
  private PriceBreakdown priceOf(String bookingId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT subtotal_cents, platform_fee_cents, tax_cents, total_cents,"
                + " host_payout_cents, currency FROM bookings WHERE booking_id = ?")) {
      Sql.bind(ps, bookingId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        return new PriceBreakdown(
            rs.getLong(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getString(6));
      }
    }
  }

  // ---------------------------------------------------------------- audit trail

  private void insertAuditRow(EventEnvelope<PaymentEntity.Event> envelope) throws SQLException {
    PaymentEntity.Event event = envelope.event();
    execute(
        dialect.insertIgnoring(
            "payment_events",
            "booking_id, seq_nr",
            "booking_id, seq_nr, journal_offset, event_type, occurred_at, data",
            "?, ?, ?, ?, ?, " + dialect.json()),
        event.bookingId(),
        envelope.sequenceNr(),
        ((Sequence) envelope.offset()).value(),
        event.getClass().getSimpleName(),
        event.at(),
        ReadModelJson.write(forTheRecord(event)));
  }

  /**
   * The event as analysts may read it: without the client secret, which lets its holder pay the
   * intent.
   */
  private static PaymentEntity.Event forTheRecord(PaymentEntity.Event event) {
    if (event instanceof IntentCreated e)
      return new IntentCreated(e.bookingId(), e.key(), e.intentId(), null, e.at());
    return event;
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Inserts the row of {@code key} unless the table has it. Not {@link SqlDialect#insertIgnoring},
   * which on H2 overwrites the row's columns: a payment requested again, or a refund whose request
   * arrives a second time, must keep what later events made of its row. A booking's payment events
   * are all projected by one projection instance, so nothing inserts the same key concurrently.
   */
  private void insertUnlessPresent(
      String table, String keyColumn, String key, String columns, Object... values)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM " + table + " WHERE " + keyColumn + " = ?")) {
      Sql.bind(ps, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) return;
      }
    }
    execute(
        "INSERT INTO "
            + table
            + " ("
            + columns
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(values.length, "?"))
            + ")",
        values);
  }

  private int execute(String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, values);
      return ps.executeUpdate();
    }
  }

  private static void requireOne(int rows, String what, String id) {
    if (rows != 1) throw missing(what, id);
  }

  private static IllegalStateException missing(String what, String id) {
    return new IllegalStateException(
        "no " + what + " row for " + id + " although its events exist");
  }

  private static Object[] concat(Object[] head, Object... tail) {
    Object[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
