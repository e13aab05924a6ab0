package com.hearth.engine.payment;

import com.hearth.engine.CborSerializable;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A verified notification from the payment provider, reduced to what the payments need. The
 * provider may deliver one event several times and in any order, so consumers deduplicate by {@code
 * eventId} and treat amounts as facts about an intent, not as increments.
 *
 * <p>For a type this record does not model, only {@code eventId}, {@code type} and {@code created}
 * are set: the other fields are null, 0 and an empty map.
 *
 * @param intentId the payment intent the event concerns
 * @param refundOrChargeId the charge behind the intent (for payment and refund events) or the
 *     charge disputed; null when the provider did not name one
 * @param amountCents in minor units: the amount received for {@link #PAYMENT_SUCCEEDED}, the amount
 *     asked for {@link #PAYMENT_FAILED}, the total refunded so far on the charge (cumulative, not
 *     this refund alone) for {@link #CHARGE_REFUNDED}, the disputed amount for {@link
 *     #DISPUTE_CREATED} For refund events {@code refundOrChargeId} is the refund and {@code
 *     amountCents} its amount.
 * @param currency ISO 4217, upper case
 * @param status the status of the event's object as the provider reported it (a refund's {@code
 *     failed}, a dispute's {@code lost}...); null when it did not say
 */
public record GatewayEvent(
    String eventId,
    String type,
    Instant created,
    String intentId,
    String refundOrChargeId,
    long amountCents,
    String currency,
    Map<String, String> metadata,
    String status)
    implements CborSerializable {

  public static final String PAYMENT_SUCCEEDED = "payment_intent.succeeded";
  public static final String PAYMENT_FAILED = "payment_intent.payment_failed";
  public static final String PAYMENT_CANCELED = "payment_intent.canceled";
  public static final String CHARGE_REFUNDED = "charge.refunded";
  public static final String REFUND_FAILED = "refund.failed";
  public static final String REFUND_UPDATED = "refund.updated";
  public static final String DISPUTE_CREATED = "charge.dispute.created";
  public static final String DISPUTE_UPDATED = "charge.dispute.updated";
  public static final String DISPUTE_CLOSED = "charge.dispute.closed";
  public static final String DISPUTE_FUNDS_WITHDRAWN = "charge.dispute.funds_withdrawn";
  public static final String DISPUTE_FUNDS_REINSTATED = "charge.dispute.funds_reinstated";

  /**
   * The types the payments record; a provider's endpoint subscribes to exactly these. Others are
   * acknowledged and ignored.
   */
  public static final Set<String> RECORDED =
      Set.of(
          PAYMENT_SUCCEEDED,
          PAYMENT_FAILED,
          PAYMENT_CANCELED,
          CHARGE_REFUNDED,
          REFUND_FAILED,
          REFUND_UPDATED,
          DISPUTE_CREATED,
          DISPUTE_UPDATED,
          DISPUTE_CLOSED,
          DISPUTE_FUNDS_WITHDRAWN,
          DISPUTE_FUNDS_REINSTATED);

  public GatewayEvent {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An event whose provider reported no status. */
  public GatewayEvent(
      String eventId,
      String type,
      Instant created,
      String intentId,
      String refundOrChargeId,
      long amountCents,
      String currency,
      Map<String, String> metadata) {
    this(eventId, type, created, intentId, refundOrChargeId, amountCents, currency, metadata, null);
  }

  public static boolean isDispute(String type) {
    return type.startsWith("charge.dispute.");
  }

  /**
   * A refund that the provider made and then reports failed or canceled: the money did not reach
   * the renter.
   */
  public boolean refundFailed() {
    return type.equals(REFUND_FAILED)
        || (type.equals(REFUND_UPDATED) && ("failed".equals(status) || "canceled".equals(status)));
  }

  /**
   * The booking the event concerns, from the {@code booking_id} the payments put in the metadata;
   * null if absent.
   */
  public String bookingId() {
    return metadata.get("booking_id");
  }
}
