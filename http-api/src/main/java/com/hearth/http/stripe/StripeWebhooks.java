package com.hearth.http.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hearth.engine.payment.GatewayEvent;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies Stripe webhook deliveries and reads their events into {@link GatewayEvent}s.
 *
 * <p>The signature ({@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}) is
 * checked by stripe-java over the raw body exactly as received; a timestamp more than {@link
 * #TOLERANCE} away from now, in the past or in the future, is refused, which bounds replays of a
 * captured delivery (stripe-java checks only the past: a timestamp ahead of the clock would let a
 * captured delivery be replayed for as long as it is ahead). The event itself is read from the
 * JSON, not through stripe-java's typed models: those come back empty when the event's API version
 * differs from the one the library pins, and an account's webhook endpoint may well be on another
 * version.
 */
public final class StripeWebhooks {

  public static final Duration TOLERANCE = Duration.ofSeconds(300);
  public static final String SIGNATURE_HEADER = "Stripe-Signature";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * A delivery that is not a genuine, fresh, readable Stripe event. Answer 400 and process nothing.
   */
  public static final class InvalidWebhook extends RuntimeException {
    public InvalidWebhook(String message) {
      super(message);
    }

    public InvalidWebhook(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String secret;
  private final Clock clock;

  /**
   * @param secret the endpoint's signing secret ({@code whsec_...})
   */
  public StripeWebhooks(String secret) {
    this(secret, Clock.systemUTC());
  }

  public StripeWebhooks(String secret, Clock clock) {
    if (secret == null || secret.isBlank())
      throw new IllegalArgumentException("a webhook signing secret is required");
    this.secret = secret;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The event in {@code payload} if {@code signatureHeader} proves Stripe sent it within the
   * tolerance.
   *
   * @throws InvalidWebhook if the header is missing or malformed, no signature matches, the
   *     timestamp is more than {@link #TOLERANCE} in the past or the future, or the payload is not
   *     a Stripe event
   */
  public GatewayEvent verify(String payload, String signatureHeader) {
    if (payload == null) throw new InvalidWebhook("no request body");
    if (signatureHeader == null || signatureHeader.isBlank())
      throw new InvalidWebhook("missing " + SIGNATURE_HEADER + " header");
    try {
      Webhook.Signature.verifyHeader(
          payload, signatureHeader, secret, TOLERANCE.toSeconds(), clock);
    } catch (SignatureVerificationException e) {
      throw new InvalidWebhook("bad " + SIGNATURE_HEADER + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // stripe-java lets a malformed header through as, for example, a NumberFormatException.
      throw new InvalidWebhook("malformed " + SIGNATURE_HEADER + " header", e);
    }
    long ahead = timestamp(signatureHeader) - clock.instant().getEpochSecond();
    if (ahead > TOLERANCE.toSeconds())
      throw new InvalidWebhook(
          "bad "
              + SIGNATURE_HEADER
              + ": Timestamp outside the tolerance zone ("
              + ahead
              + " s in the future)");
    return read(payload);
  }

  /** The header's {@code t}, as stripe-java reads it: the first {@code t=} element. */
  private static long timestamp(String signatureHeader) {
    for (String item : signatureHeader.split(",")) {
      String[] pair = item.split("=", 2);
      if (pair.length == 2 && pair[0].trim().equals("t")) return Long.parseLong(pair[1].trim());
    }
    throw new InvalidWebhook("malformed " + SIGNATURE_HEADER + " header: no timestamp");
  }

  private static GatewayEvent read(String payload) {
    JsonNode event;
    try {
      event = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidWebhook("the body is not JSON: " + e.getOriginalMessage(), e);
    }
    if (event == null || !event.isObject() || !"event".equals(text(event, "object")))
      throw new InvalidWebhook("the body is not a Stripe event");
    String id = text(event, "id");
    String type = text(event, "type");
    JsonNode created = event.get("created");
    if (id == null
        || type == null
        || created == null
        || !created.isIntegralNumber()
        || !created.canConvertToLong())
      throw new InvalidWebhook("the event lacks an id, a type or a creation time");
    Instant at = Instant.ofEpochSecond(created.asLong());
    JsonNode object = event.path("data").path("object");
    if (!object.isObject()) throw new InvalidWebhook("event " + id + " has no data.object");
    String status = text(object, "status");
    return switch (type) {
      // data.object is the PaymentIntent.
      case GatewayEvent.PAYMENT_SUCCEEDED ->
          new GatewayEvent(
              id,
              type,
              at,
              text(object, "id"),
              text(object, "latest_charge"),
              amount(object, "amount_received"),
              currency(object),
              metadata(object),
              status);
      case GatewayEvent.PAYMENT_FAILED, GatewayEvent.PAYMENT_CANCELED ->
          new GatewayEvent(
              id,
              type,
              at,
              text(object, "id"),
              text(object, "latest_charge"),
              amount(object, "amount"),
              currency(object),
              metadata(object),
              status);
      // data.object is the Charge; since API version 2022-11-15 it no longer lists its refunds, so
      // the
      // amount is the charge's cumulative amount_refunded.
      case GatewayEvent.CHARGE_REFUNDED ->
          new GatewayEvent(
              id,
              type,
              at,
              text(object, "payment_intent"),
              text(object, "id"),
              amount(object, "amount_refunded"),
              currency(object),
              metadata(object),
              status);
      // data.object is the Refund, with the metadata the payments gave it (booking_id, refund_key).
      case GatewayEvent.REFUND_FAILED, GatewayEvent.REFUND_UPDATED ->
          new GatewayEvent(
              id,
              type,
              at,
              text(object, "payment_intent"),
              text(object, "id"),
              amount(object, "amount"),
              currency(object),
              metadata(object),
              status);
      // data.object is the Dispute; it carries no metadata of ours.
      case GatewayEvent.DISPUTE_CREATED,
          GatewayEvent.DISPUTE_UPDATED,
          GatewayEvent.DISPUTE_CLOSED,
          GatewayEvent.DISPUTE_FUNDS_WITHDRAWN,
          GatewayEvent.DISPUTE_FUNDS_REINSTATED ->
          new GatewayEvent(
              id,
              type,
              at,
              text(object, "payment_intent"),
              text(object, "charge"),
              amount(object, "amount"),
              currency(object),
              metadata(object),
              status);
      default -> new GatewayEvent(id, type, at, null, null, 0, null, Map.of());
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return null;
    // An expanded reference ({"id": ...}) instead of an id string.
    if (value.isObject()) return text(value, "id");
    return value.isTextual() ? value.asText() : null;
  }

  private static long amount(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) return 0;
    if (!value.canConvertToLong() || !value.isIntegralNumber())
      throw new InvalidWebhook(field + " is not an integer amount");
    return value.asLong();
  }

  private static String currency(JsonNode object) {
    String currency = text(object, "currency");
    return currency == null ? null : currency.toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> metadata(JsonNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata == null || !metadata.isObject()) return Map.of();
    Map<String, String> values = new LinkedHashMap<>();
    metadata
        .properties()
        .forEach(
            e -> {
              if (e.getValue().isTextual()) values.put(e.getKey(), e.getValue().asText());
            });
    return values;
  }
}
