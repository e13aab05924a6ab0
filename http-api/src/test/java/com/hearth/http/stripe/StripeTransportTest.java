package com.hearth.http.stripe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import com.hearth.http.stripe.FakeStripe.WireRequest;
import com.stripe.Stripe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What reaches Stripe. The same calls go through stripe-java's default transport ({@code
 * HttpURLConnectionClient}, the reference) and through {@link JdkStripeHttpClient} (what the node
 * uses) to two fakes started alike; both must put the same requests on the wire, and the strict
 * fake must accept all of them. Then the fake itself: it refuses what Stripe refuses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StripeTransportTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final StripeGateway.Settings ONE_ATTEMPT =
      StripeGateway.Settings.defaults()
          .withRetries(1, Duration.ZERO, Duration.ZERO)
          .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

  private ExecutorService threads;
  private final List<FakeStripe> fakes = new ArrayList<>();

  @BeforeEach
  void start() {
    threads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stop() {
    fakes.forEach(FakeStripe::close);
    threads.shutdownNow();
  }

  @Test
  void theNodesTransportPutsOnTheWireWhatStripeJavasDefaultDoes() throws Exception {
    List<WireRequest> reference = drive(null);
    List<WireRequest> ours = drive(new JdkStripeHttpClient(Duration.ofSeconds(5)));

    assertThat(reference)
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "POST /v1/payment_intents",
            "POST /v1/payment_intents",
            "GET /v1/payment_intents/" + intentId(reference),
            "POST /v1/refunds",
            "GET /v1/payment_intents",
            "GET /v1/refunds");
    assertThat(ours).hasSameSizeAs(reference);
    for (int i = 0; i < reference.size(); i++)
      assertThat(ours.get(i))
          .as("request %d, %s %s", i, reference.get(i).method(), reference.get(i).path())
          .isEqualTo(reference.get(i));

    // And what both sent is what Stripe documents.
    String apiKey = fakes.get(0).apiKey();
    assertThat(ours)
        .allSatisfy(
            r -> {
              assertThat(r.authorization()).isEqualTo("Bearer " + apiKey);
              assertThat(r.stripeVersion()).isEqualTo(Stripe.API_VERSION);
              assertThat(r.params()).as("form-encoded").isNotNull();
            });
    assertThat(ours)
        .filteredOn(r -> r.method().equals("POST"))
        .allSatisfy(
            r -> {
              assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
              assertThat(r.idempotencyKey()).isNotBlank();
            });
    assertThat(ours.get(0).params())
        .containsEntry("amount", "12345")
        .containsEntry("currency", "usd")
        .containsEntry("automatic_payment_methods[enabled]", "true")
        .containsEntry("metadata[booking_id]", "bk-1");
    assertThat(ours.get(0).idempotencyKey()).isEqualTo("hearth:bk-1:intent");
    assertThat(ours.get(3).params())
        .containsEntry("amount", "2000")
        .containsEntry("payment_intent", intentId(ours));
    assertThat(ours.get(3).idempotencyKey()).isEqualTo("hearth:bk-1:refund:partial:r1");
    assertThat(ours.get(4).params())
        .containsEntry("created[gte]", String.valueOf(NOW.minusSeconds(60).getEpochSecond()))
        .containsEntry("limit", "100");
    assertThat(ours)
        .filteredOn(r -> r.method().equals("GET"))
        .allSatisfy(r -> assertThat(r.idempotencyKey()).isNull());
  }

  /**
   * The same calls through a gateway on {@code transport} (null: stripe-java's default) against a
   * fresh fake.
   */
  private List<WireRequest> drive(com.stripe.net.HttpClient transport) throws Exception {
    FakeStripe fake = new FakeStripe(5);
    fakes.add(fake);
    fake.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
    StripeGateway gateway =
        new StripeGateway(fake.apiKey(), fake.apiBase(), threads, ONE_ATTEMPT, transport);

    Intent intent =
        join(
            gateway.createIntent(
                "hearth:bk-1:intent", 12_345, "USD", Map.of("booking_id", "bk-1")));
    Intent replayed =
        join(
            gateway.createIntent(
                "hearth:bk-1:intent", 12_345, "USD", Map.of("booking_id", "bk-1")));
    assertThat(replayed).isEqualTo(intent);
    assertThat(fake.replays()).isEqualTo(1);
    fake.succeed(intent.id());
    assertThat(join(gateway.retrieveIntent(intent.id())).amountReceivedCents()).isEqualTo(12_345);
    Refund refund =
        join(
            gateway.createRefund(
                "hearth:bk-1:refund:partial:r1",
                intent.id(),
                2_000,
                Map.of("booking_id", "bk-1", "refund_key", "hearth:bk-1:refund:partial:r1")));
    assertThat(refund.amountCents()).isEqualTo(2_000);
    assertThat(join(gateway.listIntents(NOW.minusSeconds(60), NOW.plusSeconds(60))))
        .extracting(Intent::id)
        .containsExactly(intent.id());
    assertThat(join(gateway.listRefunds(NOW.minusSeconds(60), NOW.plusSeconds(60))))
        .containsExactly(refund);
    return fake.wire();
  }

  private static String intentId(List<WireRequest> wire) {
    return wire.get(2).path().substring("/v1/payment_intents/".length());
  }

  // ---------------------------------------------------------------- the fake is strict

  @Test
  void theFakeRefusesWhatStripeRefuses() throws Exception {
    FakeStripe fake = new FakeStripe(6);
    fakes.add(fake);
    String bearer = "Bearer " + fake.apiKey();
    String form = "amount=5000&currency=usd";

    JsonNode noType =
        send(
            fake,
            "POST",
            "/v1/payment_intents",
            form,
            400,
            "Authorization",
            bearer,
            "Stripe-Version",
            Stripe.API_VERSION,
            "Idempotency-Key",
            "k-1");
    assertThat(noType.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(noType.at("/error/message").asText()).contains("Content-Type header was empty");

    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    "{\"amount\":5000,\"currency\":\"usd\"}",
                    400,
                    "Authorization",
                    bearer,
                    "Stripe-Version",
                    Stripe.API_VERSION,
                    "Content-Type",
                    "application/json")
                .at("/error/message")
                .asText())
        .contains("Invalid Content-Type");
    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    "{\"amount\":5000,\"currency\":\"usd\"}",
                    400,
                    "Authorization",
                    bearer,
                    "Stripe-Version",
                    Stripe.API_VERSION,
                    "Content-Type",
                    "application/x-www-form-urlencoded")
                .at("/error/message")
                .asText())
        .contains("not application/x-www");
    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    "amount=50%zz",
                    400,
                    "Authorization",
                    bearer,
                    "Stripe-Version",
                    Stripe.API_VERSION,
                    "Content-Type",
                    "application/x-www-form-urlencoded")
                .at("/error/message")
                .asText())
        .contains("not application/x-www");

    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    form,
                    400,
                    "Authorization",
                    bearer,
                    "Content-Type",
                    "application/x-www-form-urlencoded")
                .at("/error/message")
                .asText())
        .contains("Missing Stripe-Version");
    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    form,
                    400,
                    "Authorization",
                    bearer,
                    "Stripe-Version",
                    "latest",
                    "Content-Type",
                    "application/x-www-form-urlencoded")
                .at("/error/message")
                .asText())
        .contains("Invalid Stripe API version");

    assertThat(
            send(
                    fake,
                    "POST",
                    "/v1/payment_intents",
                    form,
                    401,
                    "Stripe-Version",
                    Stripe.API_VERSION,
                    "Content-Type",
                    "application/x-www-form-urlencoded")
                .at("/error/message")
                .asText())
        .contains("Bearer auth");
    send(
        fake,
        "POST",
        "/v1/payment_intents",
        form,
        401,
        "Authorization",
        "Basic "
            + java.util.Base64.getEncoder().encodeToString((fake.apiKey() + ":").getBytes(UTF_8)),
        "Stripe-Version",
        Stripe.API_VERSION,
        "Content-Type",
        "application/x-www-form-urlencoded");

    send(
        fake,
        "POST",
        "/v1/payment_intents",
        form,
        400,
        "Authorization",
        bearer,
        "Stripe-Version",
        Stripe.API_VERSION,
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Idempotency-Key",
        "k".repeat(256));
    assertThat(fake.intents()).as("nothing refused was made").isEmpty();

    // Idempotency: the same key and parameters replay; other parameters are refused.
    String[] good = {
      "Authorization",
      bearer,
      "Stripe-Version",
      Stripe.API_VERSION,
      "Content-Type",
      "application/x-www-form-urlencoded; charset=UTF-8",
      "Idempotency-Key",
      "k-2"
    };
    JsonNode made = send(fake, "POST", "/v1/payment_intents", form, 200, good);
    assertThat(send(fake, "POST", "/v1/payment_intents", form, 200, good).get("id"))
        .isEqualTo(made.get("id"));
    assertThat(
            send(fake, "POST", "/v1/payment_intents", "amount=5001&currency=usd", 400, good)
                .at("/error/type")
                .asText())
        .isEqualTo("idempotency_error");
    assertThat(fake.intents()).hasSize(1);
    assertThat(
            send(
                    fake,
                    "GET",
                    "/v1/payment_intents/" + made.get("id").asText(),
                    null,
                    200,
                    "Authorization",
                    bearer,
                    "Stripe-Version",
                    Stripe.API_VERSION)
                .get("amount")
                .asLong())
        .isEqualTo(5000);
  }

  private static JsonNode send(
      FakeStripe fake,
      String method,
      String path,
      String body,
      int expectedStatus,
      String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(fake.apiBase() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("%s %s: %s", method, path, response.body())
        .isEqualTo(expectedStatus);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JsonMapper.builder().build().readTree(response.body());
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
