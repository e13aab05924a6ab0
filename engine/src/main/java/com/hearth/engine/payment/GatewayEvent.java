package com.hearth.engine.payment;

import com.hearth.engine.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * A verified notification from the payment provider, reduced to what the payments need. The
 * provider may deliver one event several times and in any order, so consumers deduplicate by
 * {@code eventId} and treat amounts as facts about an intent, not as increments.
 *
 * <p>For a type this record does not model, only {@code eventId}, {@code type} and {@code created}
 * are set: the other fields are null, 0 and an empty map.
 *
 * @param intentId the payment intent the event concerns
 * @param refundOrChargeId the charge behind the intent (for payment and refund events) or the
 *     charge disputed; null when the provider did not name one
 * @param amountCents in minor units: the amount received for {@link #PAYMENT_SUCCEEDED}, the amount
 *     asked for {@link #PAYMENT_FAILED}, the total refunded so far on the charge (cumulative, not
 *     this refund alone) for {@link #CHARGE_REFUNDED}, the disputed amount for
 *     {@link #DISPUTE_CREATED}
 * @param currency ISO 4217, upper case
 */
public record GatewayEvent(
    String eventId,
    String type,
    Instant created,
    String intentId,
    String refundOrChargeId,
    long amountCents,
    String currency,
    Map<String, String> metadata)
    implements CborSerializable {

  public static final String PAYMENT_SUCCEEDED = "payment_intent.succeeded";
  public static final String PAYMENT_FAILED = "payment_intent.payment_failed";
  public static final String CHARGE_REFUNDED = "charge.refunded";
  public static final String DISPUTE_CREATED = "charge.dispute.created";

  public GatewayEvent {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** The booking the event concerns, from the {@code booking_id} the payments put in the metadata; null if absent. */
  public String bookingId() {
    return metadata.get("booking_id");
  }
}
