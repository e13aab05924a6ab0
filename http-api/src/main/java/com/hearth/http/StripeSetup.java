package com.hearth.http;

import com.hearth.engine.payment.PaymentGateway;
import com.hearth.http.stripe.StripeGateway;
import com.hearth.http.stripe.StripeWebhooks;
import com.typesafe.config.Config;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Stripe gateway and webhook verifier of a node configured with a Stripe key. */
record StripeSetup(PaymentGateway gateway, Optional<PaymentRoutes.WebhookVerifier> webhooks) {

  private static final Logger log = LoggerFactory.getLogger(StripeSetup.class);

  static StripeSetup create(ActorSystem<?> system, Config stripe) {
    Executor calls =
        system
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig("hearth.payments.gateway-dispatcher"));
    StripeGateway gateway =
        new StripeGateway(stripe.getString("api-key"), stripe.getString("api-base"), calls);
    String secret = stripe.getString("webhook-secret");
    PaymentRoutes.WebhookVerifier verifier;
    if (secret.isBlank()) {
      log.error(
          "payments: HEARTH_STRIPE_WEBHOOK_SECRET is not set; every Stripe webhook will be refused");
      verifier =
          (payload, header) -> {
            throw new PaymentRoutes.InvalidWebhook("no webhook secret is configured on this node");
          };
    } else {
      StripeWebhooks webhooks = new StripeWebhooks(secret);
      verifier =
          (payload, header) -> {
            try {
              return webhooks.verify(payload, header);
            } catch (StripeWebhooks.InvalidWebhook e) {
              throw new PaymentRoutes.InvalidWebhook(e.getMessage());
            }
          };
    }
    if (stripe.getString("publishable-key").isBlank())
      log.warn(
          "payments: HEARTH_STRIPE_PUBLISHABLE_KEY is not set; the web console cannot take card"
              + " payments (the API can)");
    log.info("payments: Stripe at {}", stripe.getString("api-base"));
    return new StripeSetup(gateway, Optional.of(verifier));
  }
}
