package com.hearth.http;

import com.hearth.engine.payment.KitchenConfirmations;
import com.hearth.engine.payment.OfflineGateway;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.engine.payment.PaymentGateway;
import com.hearth.projections.CancellationRefunds;
import com.hearth.projections.ReadModelQueries;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the payments of a node: the gateway (Stripe when a key is configured, else the offline
 * provider), the payment entities, the refunds that cancellations grant, and the routes.
 */
final class Payments {

  private static final Logger log = LoggerFactory.getLogger(Payments.class);

  private Payments() {}

  /** The node's payment routes, and the gateway they drive (reconciliation lists it). */
  record Started(PaymentRoutes routes, PaymentGateway gateway) {}

  static Started start(
      ActorSystem<?> system,
      Config config,
      Database database,
      ReadModelQueries queries,
      NodeSettings settings,
      KnownEntities known,
      Clock clock) {
    Duration askTimeout = settings.askTimeout();
    ClusterSharding sharding = ClusterSharding.get(system);
    Config stripe = config.getConfig("hearth.payments.stripe");
    PaymentGateway gateway;
    Optional<OfflineGateway> offline = Optional.empty();
    Optional<PaymentRoutes.WebhookVerifier> webhooks = Optional.empty();
    if (stripe.getString("api-key").isBlank()) {
      OfflineGateway local = new OfflineGateway(clock);
      // What the offline provider reports after a refund (charge.refunded) goes to the payment,
      // like a webhook.
      local.onEvent(
          event -> {
            if (event.bookingId() != null
                && !event.type().equals(com.hearth.engine.payment.GatewayEvent.PAYMENT_SUCCEEDED)
                && !event.type().equals(com.hearth.engine.payment.GatewayEvent.PAYMENT_FAILED))
              sharding
                  .entityRefFor(PaymentEntity.ENTITY_KEY, event.bookingId())
                  .tell(new PaymentEntity.RecordGatewayEvent(event, system.ignoreRef()));
          });
      gateway = local;
      offline = Optional.of(local);
      log.info(
          "payments: offline provider (no HEARTH_STRIPE_API_KEY); settle payments with POST /v1/bookings/{id}/payment/simulate");
    } else {
      StripeSetup setup = StripeSetup.create(system, stripe);
      gateway = setup.gateway();
      webhooks = setup.webhooks();
    }
    gateway = new com.hearth.http.observability.MeteredGateway(gateway);
    PaymentEntity.init(system, gateway, new KitchenConfirmations(sharding, askTimeout), clock);
    CancellationRefunds.start(system, database.projectionPool(), askTimeout);
    java.util.concurrent.Executor jdbc =
        system
            .dispatchers()
            .lookup(
                org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(
                    "hearth.read-models.query-dispatcher"));
    return new Started(
        new PaymentRoutes(
            sharding,
            askTimeout,
            settings.writeBudget(),
            clock,
            offline,
            webhooks,
            intent ->
                java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> queries.bookingOfIntent(intent), jdbc),
            known),
        gateway);
  }
}
