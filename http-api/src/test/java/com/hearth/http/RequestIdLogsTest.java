package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.http.observability.JsonLinesEncoder;
import com.hearth.http.stripe.FakeStripe;
import com.hearth.http.stripe.FakeStripe.Faults;
import com.hearth.testing.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The request id reaches past the HTTP edge: the lines the kitchen entity, the payment entity and
 * the Stripe gateway log while serving a request carry its {@code X-Request-Id} as {@code
 * request_id}, in the JSON lines too, even on the gateway's own threads and its retries.
 */
class RequestIdLogsTest {

  static final String HOLD_ID = "req-hold-1";
  static final String TAKEN_ID = "req-hold-2";
  static final String PAY_ID = "req-pay-7";

  @Test
  void entityAndGatewayLinesCarryTheRequestId() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // The kitchen's per-hold decisions and the gateway's retries are DEBUG lines.
    ch.qos.logback.classic.Logger kitchens = context.getLogger("com.hearth.engine.kitchen");
    ch.qos.logback.classic.Logger stripeLog = context.getLogger("com.hearth.http.stripe");
    Level kitchensBefore = kitchens.getLevel();
    Level stripeBefore = stripeLog.getLevel();
    root.addAppender(appender);
    kitchens.setLevel(Level.DEBUG);
    stripeLog.setLevel(Level.DEBUG);
    try (FakeStripe stripe = new FakeStripe(7);
        TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode node =
            TestNode.start(
                db,
                Map.of(
                    "hearth.payments.stripe.api-key",
                    stripe.apiKey(),
                    "hearth.payments.stripe.api-base",
                    stripe.apiBase(),
                    "hearth.payments.stripe.webhook-secret",
                    "whsec_test_request_ids",
                    "hearth.http.ask-timeout",
                    "15s"),
                TestClock.runningFrom(Instant.parse("2027-01-06T15:00:00Z")))) {
      String host = node.token("host-req", "host");
      String renter = node.token("renter-req", "renter");
      String other = node.token("renter-req-2", "renter");
      String kitchen =
          node.publishedKitchen(
              host,
              "{\"name\":\"Request ids\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":2500}");
      String slot = "{\"start\":\"2027-02-01T15:00:00Z\",\"end\":\"2027-02-01T16:00:00Z\"}";
      TestNode.Reply held =
          node.post("/v1/kitchens/" + kitchen + "/bookings", renter, slot, "X-Request-Id", HOLD_ID);
      assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
      TestNode.Reply taken =
          node.post("/v1/kitchens/" + kitchen + "/bookings", other, slot, "X-Request-Id", TAKEN_ID);
      assertThat(taken.status()).as(taken.body().toString()).isEqualTo(409);
      // Stripe answers 500 to everything: the gateway retries on its threads, gives up, and the
      // payment entity looks the intent up; all of it under the payment request's id.
      stripe.setFaults(Faults.none().serverErrors(1.0));
      String booking = held.body().get("booking_id").asText();
      TestNode.Reply pay =
          node.post("/v1/bookings/" + booking + "/payment", renter, null, "X-Request-Id", PAY_ID);
      assertThat(pay.status()).as(pay.body().toString()).isEqualTo(503);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !linesOf(captured, "looking it up", PAY_ID).isEmpty());
    } finally {
      root.detachAppender(appender);
      kitchens.setLevel(kitchensBefore);
      stripeLog.setLevel(stripeBefore);
      appender.stop();
      Files.writeString(
          Path.of("target", "request-id-logs.jsonl"), captured.toString(StandardCharsets.UTF_8));
    }
    assertThat(linesOf(captured, "accepted", HOLD_ID))
        .as("the kitchen's decision on the first hold")
        .anySatisfy(l -> assertThat(l.path("logger").asText()).contains("KitchenEntity"));
    assertThat(linesOf(captured, "refused (SLOT_UNAVAILABLE)", TAKEN_ID))
        .as("the kitchen's decision on the second hold")
        .anySatisfy(l -> assertThat(l.path("logger").asText()).contains("KitchenEntity"));
    assertThat(linesOf(captured, "Stripe: create payment intent", PAY_ID))
        .as("the gateway's retries and failure, logged on its own threads")
        .anySatisfy(l -> assertThat(l.path("message").asText()).contains("retrying"))
        .anySatisfy(l -> assertThat(l.path("message").asText()).contains("failed after"))
        .allSatisfy(l -> assertThat(l.path("logger").asText()).contains("StripeGateway"));
    assertThat(linesOf(captured, "Stripe: list payment intents", PAY_ID))
        .as("the gateway's lookup the entity asked for after the failure")
        .isNotEmpty();
    assertThat(linesOf(captured, "looking it up", PAY_ID))
        .as("the payment entity's line")
        .anySatisfy(l -> assertThat(l.path("logger").asText()).contains("PaymentEntity"));
    // No line of another request is mislabelled with these ids.
    assertThat(linesOf(captured, "", HOLD_ID))
        .allSatisfy(l -> assertThat(l.path("message").asText()).doesNotContain("Stripe"));
  }

  /**
   * The captured JSON lines whose message contains {@code text} and whose request id is {@code id}.
   */
  static List<JsonNode> linesOf(ByteArrayOutputStream captured, String text, String id) {
    String all;
    synchronized (captured) {
      all = captured.toString(StandardCharsets.UTF_8);
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> found = new ArrayList<>();
    for (String line : all.split("\n")) {
      if (line.isBlank() || !line.contains(id)) continue;
      try {
        JsonNode node = json.readTree(line);
        if (node.path("message").asText().contains(text)
            && node.path("request_id").asText().equals(id)) found.add(node);
      } catch (IOException e) {
        throw new UncheckedIOException(line, e);
      }
    }
    return found;
  }
}
