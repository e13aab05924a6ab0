package com.hearth.http.observability;

import com.hearth.engine.payment.PaymentGateway;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A payment gateway that counts and times every call by operation and outcome ({@code
 * hearth_gateway_requests_seconds}): {@code success}, {@code unavailable} (transient failures
 * outlasted the retries), {@code rejected} (refused for good) or {@code error}.
 */
public final class MeteredGateway implements PaymentGateway {

  private final PaymentGateway gateway;

  public MeteredGateway(PaymentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public CompletionStage<Intent> createIntent(
      String key, long amountCents, String currency, Map<String, String> metadata) {
    return timed("create_intent", () -> gateway.createIntent(key, amountCents, currency, metadata));
  }

  @Override
  public CompletionStage<Intent> retrieveIntent(String intentId) {
    return timed("retrieve_intent", () -> gateway.retrieveIntent(intentId));
  }

  @Override
  public CompletionStage<Refund> createRefund(
      String key, String intentId, long amountCents, Map<String, String> metadata) {
    return timed("create_refund", () -> gateway.createRefund(key, intentId, amountCents, metadata));
  }

  @Override
  public CompletionStage<List<Intent>> listIntents(Instant from, Instant to) {
    return timed("list_intents", () -> gateway.listIntents(from, to));
  }

  @Override
  public CompletionStage<List<Refund>> listRefunds(Instant from, Instant to) {
    return timed("list_refunds", () -> gateway.listRefunds(from, to));
  }

  private static <T> CompletionStage<T> timed(String operation, Supplier<CompletionStage<T>> call) {
    long start = System.nanoTime();
    CompletionStage<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      HearthMetrics.gatewayCall(operation, outcome(e), System.nanoTime() - start);
      throw e;
    }
    result.whenComplete(
        (value, failure) ->
            HearthMetrics.gatewayCall(
                operation,
                failure == null ? "success" : outcome(failure),
                System.nanoTime() - start));
    return result;
  }

  static String outcome(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof GatewayUnavailable) return "unavailable";
    if (cause instanceof GatewayRejected) return "rejected";
    return "error";
  }
}
