package com.hearth.engine.payment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The payment provider of a node with no Stripe key: it behaves like Stripe's test mode, in memory.
 * Intents and refunds are created under idempotency keys with Stripe's rules (the same key and
 * parameters replay the first result; the same key with other parameters is refused), and nobody
 * pays until someone says so: {@link #succeed} and {@link #fail} settle an intent and emit the
 * gateway event a webhook would bring. What it holds is lost when the node stops; the payment
 * entities keep the truth.
 */
public final class OfflineGateway implements PaymentGateway {

  private record Keyed(String parameters, Object result) {}

  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Keyed> keys = new HashMap<>();
  private final Map<String, Intent> intents = new HashMap<>();
  private final List<Refund> refunds = new ArrayList<>();
  private volatile Consumer<GatewayEvent> events = e -> {};

  public OfflineGateway(Clock clock) {
    this.clock = clock;
  }

  /** Where settled intents and refunds are reported, as webhooks would report them. */
  public void onEvent(Consumer<GatewayEvent> sink) {
    this.events = sink;
  }

  @Override
  public synchronized CompletionStage<Intent> createIntent(
      String idempotencyKey, long amountCents, String currency, Map<String, String> metadata) {
    String parameters =
        "intent:" + amountCents + ":" + currency + ":" + new java.util.TreeMap<>(metadata);
    return replayOr(
        idempotencyKey,
        parameters,
        () -> {
          String id = "pi_offline_" + sequence.incrementAndGet();
          Intent intent =
              new Intent(
                  id,
                  id + "_secret_offline",
                  amountCents,
                  0,
                  currency.toUpperCase(),
                  IntentStatus.REQUIRES_PAYMENT_METHOD,
                  metadata,
                  clock.instant());
          intents.put(id, intent);
          return intent;
        });
  }

  @Override
  public synchronized CompletionStage<Intent> retrieveIntent(String intentId) {
    Intent intent = intents.get(intentId);
    return intent != null
        ? CompletableFuture.completedFuture(intent)
        : CompletableFuture.failedFuture(
            new GatewayRejected(404, "resource_missing", "no such payment intent: " + intentId));
  }

  @Override
  public synchronized CompletionStage<Refund> createRefund(
      String idempotencyKey, String intentId, long amountCents, Map<String, String> metadata) {
    String parameters = "refund:" + intentId + ":" + amountCents;
    // Stripe refuses a refund of nothing (or less) before looking at the key.
    if (amountCents <= 0)
      return CompletableFuture.failedFuture(
          new GatewayRejected(400, "parameter_invalid_integer", "a refund must be positive"));
    Keyed previous = keys.get(idempotencyKey);
    if (previous == null) {
      Intent intent = intents.get(intentId);
      if (intent == null || intent.status() != IntentStatus.SUCCEEDED)
        return CompletableFuture.failedFuture(
            new GatewayRejected(400, "charge_not_succeeded", "the payment did not succeed"));
      long refunded =
          refunds.stream()
              .filter(r -> r.intentId().equals(intentId))
              .mapToLong(Refund::amountCents)
              .sum();
      if (amountCents > intent.amountReceivedCents() - refunded)
        return CompletableFuture.failedFuture(
            new GatewayRejected(400, "amount_too_large", "the refund exceeds what is left"));
    }
    return replayOr(
        idempotencyKey,
        parameters,
        () -> {
          Refund refund =
              new Refund(
                  "re_offline_" + sequence.incrementAndGet(),
                  intentId,
                  amountCents,
                  intents.get(intentId).currency(),
                  RefundStatus.SUCCEEDED,
                  metadata,
                  clock.instant());
          refunds.add(refund);
          Intent intent = intents.get(intentId);
          emit(
              new GatewayEvent(
                  "evt_offline_" + sequence.incrementAndGet(),
                  GatewayEvent.CHARGE_REFUNDED,
                  clock.instant(),
                  intentId,
                  refund.id(),
                  amountCents,
                  intent.currency(),
                  intent.metadata()));
          return refund;
        });
  }

  @Override
  public synchronized CompletionStage<List<Intent>> listIntents(Instant from, Instant to) {
    return CompletableFuture.completedFuture(
        intents.values().stream()
            .filter(i -> !i.createdAt().isBefore(from) && i.createdAt().isBefore(to))
            .toList());
  }

  @Override
  public synchronized CompletionStage<List<Refund>> listRefunds(Instant from, Instant to) {
    return CompletableFuture.completedFuture(
        refunds.stream()
            .filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
            .toList());
  }

  /**
   * The renter paid: the intent succeeds and a {@code payment_intent.succeeded} event is emitted.
   */
  public Optional<GatewayEvent> succeed(String intentId) {
    return settle(intentId, IntentStatus.SUCCEEDED, GatewayEvent.PAYMENT_SUCCEEDED);
  }

  /** The renter's payment failed: a {@code payment_intent.payment_failed} event is emitted. */
  public Optional<GatewayEvent> fail(String intentId) {
    return settle(intentId, IntentStatus.REQUIRES_PAYMENT_METHOD, GatewayEvent.PAYMENT_FAILED);
  }

  private Optional<GatewayEvent> settle(String intentId, IntentStatus status, String type) {
    GatewayEvent event;
    synchronized (this) {
      Intent intent = intents.get(intentId);
      if (intent == null || intent.status() == IntentStatus.SUCCEEDED) return Optional.empty();
      long received = status == IntentStatus.SUCCEEDED ? intent.amountCents() : 0;
      intents.put(
          intentId,
          new Intent(
              intent.id(),
              intent.clientSecret(),
              intent.amountCents(),
              received,
              intent.currency(),
              status,
              intent.metadata(),
              intent.createdAt()));
      event =
          new GatewayEvent(
              "evt_offline_" + sequence.incrementAndGet(),
              type,
              clock.instant(),
              intentId,
              null,
              intent.amountCents(),
              intent.currency(),
              intent.metadata());
    }
    emit(event);
    return Optional.of(event);
  }

  private void emit(GatewayEvent event) {
    events.accept(event);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<T> replayOr(
      String key, String parameters, java.util.function.Supplier<T> create) {
    Keyed previous = keys.get(key);
    if (previous != null) {
      if (!previous.parameters().equals(parameters))
        return CompletableFuture.failedFuture(
            new GatewayRejected(
                400, "idempotency_error", "this idempotency key was used with other parameters"));
      return CompletableFuture.completedFuture((T) previous.result());
    }
    T result = create.get();
    keys.put(key, new Keyed(parameters, result));
    return CompletableFuture.completedFuture(result);
  }
}
