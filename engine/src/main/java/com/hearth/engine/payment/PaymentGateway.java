package com.hearth.engine.payment;

import com.hearth.engine.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the payments need of a payment provider, in the provider's terms but with none of its types:
 * payment intents and refunds, each created under an idempotency key, so that a retried request
 * replays the first one's result instead of charging or refunding twice.
 *
 * <p>Implementations never block the caller: blocking I/O runs on an executor of their own, and
 * transient failures (network errors, 409, 429, 5xx) are retried with backoff under the same key
 * before a stage fails with {@link GatewayUnavailable}. A request the provider refuses for good
 * fails with {@link GatewayRejected}.
 */
public interface PaymentGateway {

  /**
   * Creates a payment intent for {@code amountCents} of {@code currency}, or replays the one this
   * key made.
   */
  CompletionStage<Intent> createIntent(
      String idempotencyKey, long amountCents, String currency, Map<String, String> metadata);

  CompletionStage<Intent> retrieveIntent(String intentId);

  /** Refunds {@code amountCents} of a succeeded intent, or replays the refund this key made. */
  CompletionStage<Refund> createRefund(
      String idempotencyKey, String intentId, long amountCents, Map<String, String> metadata);

  /** Every intent created in {@code [from, to)}, all pages. */
  CompletionStage<List<Intent>> listIntents(Instant from, Instant to);

  /** Every refund created in {@code [from, to)}, all pages. */
  CompletionStage<List<Refund>> listRefunds(Instant from, Instant to);

  /** A payment intent as the provider reports it. Amounts in minor units; currency upper case. */
  record Intent(
      String id,
      String clientSecret,
      long amountCents,
      long amountReceivedCents,
      String currency,
      IntentStatus status,
      Map<String, String> metadata,
      Instant createdAt)
      implements CborSerializable {}

  enum IntentStatus {
    REQUIRES_PAYMENT_METHOD,
    REQUIRES_CONFIRMATION,
    REQUIRES_ACTION,
    PROCESSING,
    REQUIRES_CAPTURE,
    SUCCEEDED,
    CANCELED
  }

  record Refund(
      String id,
      String intentId,
      long amountCents,
      String currency,
      RefundStatus status,
      Map<String, String> metadata,
      Instant createdAt)
      implements CborSerializable {}

  enum RefundStatus {
    PENDING,
    REQUIRES_ACTION,
    SUCCEEDED,
    FAILED,
    CANCELED
  }

  /**
   * The provider could not be reached or kept failing transiently; retrying later with the same key
   * is safe.
   */
  final class GatewayUnavailable extends RuntimeException {
    public GatewayUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The provider refused the request for good (an invalid request, a reused key with other
   * parameters...).
   */
  final class GatewayRejected extends RuntimeException {
    private final int status;
    private final String code;

    public GatewayRejected(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }
}
