package com.hearth.projections;

import com.hearth.engine.Role;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * A scripted payment journal for projection tests: events as the payment entities would write them,
 * in order.
 */
final class PaymentJournal {

  private final List<EventEnvelope<PaymentEntity.Event>> envelopes = new ArrayList<>();
  private final Map<String, Long> seqNrs = new HashMap<>();
  private long ordering;

  PaymentJournal add(PaymentEntity.Event event) {
    long seqNr = seqNrs.merge(event.bookingId(), 1L, Long::sum);
    ordering++;
    envelopes.add(
        EventEnvelope.create(
            Sequence.apply(ordering),
            PaymentEntity.ENTITY_KEY.name() + "|" + event.bookingId(),
            seqNr,
            event,
            event.at().toEpochMilli()));
    return this;
  }

  static String intentId(String bookingId) {
    return "pi_" + bookingId.substring(bookingId.length() - 4);
  }

  /** The renter asks to pay; the gateway creates the intent a second later. */
  PaymentJournal intent(
      String bookingId, String kitchenId, String renterId, long totalCents, Instant at) {
    return add(new IntentRequested(
            bookingId,
            new Terms(bookingId, kitchenId, "host-1", renterId, totalCents, "USD"),
            PaymentEntity.intentKey(bookingId),
            at))
        .add(
            new IntentCreated(
                bookingId,
                PaymentEntity.intentKey(bookingId),
                intentId(bookingId),
                intentId(bookingId) + "_secret_s3cr3t",
                at.plusSeconds(1)));
  }

  PaymentJournal succeeded(String bookingId, long amountCents, Instant at) {
    return add(
        new PaymentSucceeded(
            bookingId, "evt_ok_" + bookingId, intentId(bookingId), amountCents, at));
  }

  PaymentJournal failed(String bookingId, Instant at) {
    return add(
        new PaymentFailed(
            bookingId, "evt_ko_" + bookingId, intentId(bookingId), "card declined", at));
  }

  PaymentJournal confirmed(String bookingId, String kitchenId, Instant at) {
    return add(new BookingConfirmedByPayment(bookingId, kitchenId, at));
  }

  /** A refund asked for by {@code actorId}; LATE_PAYMENT refunds are the platform's own. */
  PaymentJournal refund(
      String bookingId,
      RefundKind kind,
      String requestKey,
      long amountCents,
      String actorId,
      Role role,
      Instant at) {
    return add(
        new RefundRequested(
            bookingId,
            PaymentEntity.refundKey(bookingId, kind, requestKey),
            requestKey,
            amountCents,
            kind,
            kind.name().toLowerCase() + " refund",
            actorId,
            role,
            at));
  }

  PaymentJournal refunded(
      String bookingId, RefundKind kind, String requestKey, long amountCents, Instant at) {
    String key = PaymentEntity.refundKey(bookingId, kind, requestKey);
    return add(
        new RefundSucceeded(
            bookingId,
            key,
            "re_" + requestKey + "_" + bookingId.substring(bookingId.length() - 4),
            amountCents,
            at));
  }

  PaymentJournal refundAbandoned(String bookingId, RefundKind kind, String requestKey, Instant at) {
    return add(
        new RefundAttemptAbandoned(
            bookingId, PaymentEntity.refundKey(bookingId, kind, requestKey), 2, at));
  }

  PaymentJournal refundRejected(String bookingId, RefundKind kind, String requestKey, Instant at) {
    return add(
        new RefundRejected(
            bookingId,
            PaymentEntity.refundKey(bookingId, kind, requestKey),
            "amount_too_large",
            at));
  }

  /** A refund that succeeded and then failed at the gateway (refund.failed). */
  PaymentJournal refundFailed(
      String bookingId, RefundKind kind, String requestKey, long amountCents, Instant at) {
    String key = PaymentEntity.refundKey(bookingId, kind, requestKey);
    return add(
        new RefundFailed(
            bookingId,
            "evt_rf_" + requestKey,
            key,
            "re_" + requestKey + "_" + bookingId.substring(bookingId.length() - 4),
            amountCents,
            "the gateway reports the refund failed (refund.failed)",
            at));
  }

  PaymentJournal dispute(String bookingId, long amountCents, Instant at) {
    return add(
        new GatewayEventRecorded(
            bookingId, "evt_dp_" + bookingId, GatewayEvent.DISPUTE_CREATED, amountCents, at));
  }

  PaymentJournal gatewayEvent(String bookingId, String type, Instant at) {
    return add(new GatewayEventRecorded(bookingId, "evt_" + type + "_" + bookingId, type, 0, at));
  }

  List<EventEnvelope<PaymentEntity.Event>> envelopes() {
    return List.copyOf(envelopes);
  }
}
