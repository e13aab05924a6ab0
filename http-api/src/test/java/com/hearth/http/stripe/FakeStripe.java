package com.hearth.http.stripe;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Stripe-compatible HTTP server for tests, on 127.0.0.1 and a free port: stripe-java talks to it
 * for real once pointed at {@link #apiBase()}. It keeps payment intents and refunds in memory,
 * answers in Stripe's JSON shapes and error format, and keeps Stripe's idempotency rules:
 *
 * <ul>
 *   <li>a POST with an {@code Idempotency-Key} seen before, same endpoint and same parameters,
 *       replays the first answer, status and body, with {@code Idempotent-Replayed: true}, errors
 *       and 500s included;
 *   <li>the same key with other parameters, or on another endpoint (keys are per account, not per
 *       endpoint), is a 400 {@code idempotency_error};
 *   <li>the same key while its first request still runs is a 409 {@code idempotency_key_in_use};
 *   <li>a request that fails parameter validation saves nothing under its key.
 * </ul>
 *
 * <p>It refuses what Stripe refuses about a request's shape, each with a 400 in Stripe's error
 * format: a POST whose {@code Content-Type} is not {@code application/x-www-form-urlencoded} (as
 * Stripe's own mock server does), a body or query that is not form-encoded, a missing or malformed
 * {@code Stripe-Version}, an {@code Idempotency-Key} longer than 255 characters; and anything
 * without {@code Authorization: Bearer} and its key (401). Every request is recorded as it reached
 * the wire ({@link #wire()}), so that tests can compare transports.
 *
 * <p>Faults ({@link Faults}) are drawn from a seeded {@link Random}. Test controls settle intents
 * ({@link #succeed}, {@link #fail}) and open disputes; every event Stripe would send is recorded
 * and can be delivered, signed, to a webhook endpoint ({@link #deliverWebhooks}).
 */
public final class FakeStripe implements AutoCloseable {

  /** What a request can suffer, besides latency. */
  public enum Fault {
    NONE,
    /**
     * A 500 before the request ran, saving nothing under its key (an edge or load-balancer error).
     */
    SERVER_ERROR,
    /**
     * A 409 {@code idempotency_key_in_use}, as if a twin request held the key; keyed POSTs only.
     */
    CONFLICT,
    /** A 429 {@code rate_limit}. */
    RATE_LIMIT,
    /** The connection closes before the request runs. */
    DROP_BEFORE_APPLY,
    /**
     * The request runs and its answer is saved under its key, then the connection closes
     * unanswered.
     */
    DROP_AFTER_APPLY,
    /**
     * The request runs, then answers 500, and Stripe's idempotency layer saves that 500 for the
     * key.
     */
    SERVER_ERROR_AFTER_APPLY
  }

  /**
   * Probabilities per request (their sum at most 1) and a latency: with probability {@code latency}
   * a request first waits up to {@code maxLatency}, drawn uniformly; for a keyed POST the wait
   * happens while the key is held, so a twin request meets a real 409.
   */
  public record Faults(
      double serverError,
      double conflict,
      double rateLimit,
      double dropBeforeApply,
      double dropAfterApply,
      double serverErrorAfterApply,
      double latency,
      Duration maxLatency) {

    public Faults {
      double sum =
          serverError
              + conflict
              + rateLimit
              + dropBeforeApply
              + dropAfterApply
              + serverErrorAfterApply;
      if (sum > 1
          || serverError < 0
          || conflict < 0
          || rateLimit < 0
          || dropBeforeApply < 0
          || dropAfterApply < 0
          || serverErrorAfterApply < 0
          || latency < 0
          || latency > 1)
        throw new IllegalArgumentException(
            "fault probabilities must be in [0, 1] and sum to at most 1");
    }

    public static Faults none() {
      return new Faults(0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
    }

    public Faults serverErrors(double p) {
      return new Faults(
          p,
          conflict,
          rateLimit,
          dropBeforeApply,
          dropAfterApply,
          serverErrorAfterApply,
          latency,
          maxLatency);
    }

    public Faults conflicts(double p) {
      return new Faults(
          serverError,
          p,
          rateLimit,
          dropBeforeApply,
          dropAfterApply,
          serverErrorAfterApply,
          latency,
          maxLatency);
    }

    public Faults rateLimits(double p) {
      return new Faults(
          serverError,
          conflict,
          p,
          dropBeforeApply,
          dropAfterApply,
          serverErrorAfterApply,
          latency,
          maxLatency);
    }

    public Faults dropsBeforeApply(double p) {
      return new Faults(
          serverError,
          conflict,
          rateLimit,
          p,
          dropAfterApply,
          serverErrorAfterApply,
          latency,
          maxLatency);
    }

    public Faults dropsAfterApply(double p) {
      return new Faults(
          serverError,
          conflict,
          rateLimit,
          dropBeforeApply,
          p,
          serverErrorAfterApply,
          latency,
          maxLatency);
    }

    public Faults serverErrorsAfterApply(double p) {
      return new Faults(
          serverError,
          conflict,
          rateLimit,
          dropBeforeApply,
          dropAfterApply,
          p,
          latency,
          maxLatency);
    }

    public Faults latency(double p, Duration max) {
      return new Faults(
          serverError,
          conflict,
          rateLimit,
          dropBeforeApply,
          dropAfterApply,
          serverErrorAfterApply,
          p,
          max);
    }
  }

  /** A payment intent as the fake holds it, for assertions. */
  public record IntentView(
      String id,
      String idempotencyKey,
      long amount,
      long amountReceived,
      long amountRefunded,
      String currency,
      String status,
      Map<String, String> metadata,
      boolean automaticPaymentMethods,
      long created) {}

  /** A refund as the fake holds it, for assertions. */
  public record RefundView(
      String id,
      String idempotencyKey,
      String paymentIntent,
      long amount,
      String currency,
      String status,
      Map<String, String> metadata,
      long created) {}

  /**
   * A request as it reached the wire: the headers Stripe reads and the form parameters of its body
   * (POST) or query (GET), decoded; {@code form} is the raw encoded text.
   */
  public record WireRequest(
      String method,
      String path,
      String contentType,
      String idempotencyKey,
      String stripeVersion,
      String authorization,
      String form,
      Map<String, String> params) {}

  /** An event Stripe would send to webhook endpoints: its id, type and JSON body. */
  public record Event(String id, String type, String json) {}

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Pattern INTENT_PATH = Pattern.compile("/v1/payment_intents/([^/]+)");
  private static final String FORM = "application/x-www-form-urlencoded";

  /**
   * What a form encoder leaves in a name or value: unreserved characters, '+', brackets and %XX
   * escapes.
   */
  private static final Pattern FORM_PAIR =
      Pattern.compile(
          "(?:[A-Za-z0-9*._~\\-+\\[\\]]|%[0-9A-Fa-f]{2})+(?:=(?:[A-Za-z0-9*._~\\-+\\[\\]]|%[0-9A-Fa-f]{2})*)?");

  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(\\.[a-z_]+)?");
  private static final String ALPHANUMERIC =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final HttpServer server;
  private final ExecutorService threads;
  private final String apiKey;
  private final String publishableKey;
  private final Random random;
  private final Random ids;

  // Everything below is guarded by this.
  private Faults faults = Faults.none();
  private Clock clock = Clock.systemUTC();
  private long sequence;
  private final Map<String, Intent> intents = new LinkedHashMap<>();
  private final Map<String, Refund> refunds = new LinkedHashMap<>();
  private final Map<String, Saved> idempotency = new HashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final List<WireRequest> wire = new ArrayList<>();
  private final Map<String, Map<String, Object>> disputes = new HashMap<>();
  private final Map<String, Integer> requestsByRoute = new TreeMap<>();
  private final Map<String, Integer> requestsByKey = new HashMap<>();
  private final Map<Fault, Integer> faultCounts = new EnumMap<>(Fault.class);
  private int replays;
  private int keysInUse;
  private CountDownLatch hold;

  /** Starts a fake on 127.0.0.1 and a free port; ids, keys and faults derive from {@code seed}. */
  public FakeStripe(long seed) throws IOException {
    this.random = new Random(seed);
    this.ids = new Random(seed * 31 + 7);
    this.apiKey = "sk_test_fake" + token(24);
    this.publishableKey = "pk_test_fake" + token(24);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-stripe");
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** The base URL for {@code StripeClient.builder().setApiBase(...)}. */
  public String apiBase() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The only secret key this fake accepts; others get Stripe's 401. */
  public String apiKey() {
    return apiKey;
  }

  /**
   * The publishable key: what a browser's Stripe.js sends, with an intent's client secret, to
   * confirm that intent ({@code POST /v1/payment_intents/{id}/confirm}); nothing else takes it.
   */
  public String publishableKey() {
    return publishableKey;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  // ---------------------------------------------------------------- test controls

  public synchronized void setFaults(Faults faults) {
    this.faults = faults;
  }

  /** The clock that stamps {@code created}; the system clock by default. */
  public synchronized void setClock(Clock clock) {
    this.clock = clock;
  }

  /**
   * The renter paid: status {@code succeeded}, everything received; emits {@code
   * payment_intent.succeeded}.
   */
  public synchronized void succeed(String intentId) {
    Intent intent = intent(intentId);
    if (intent.status.equals("succeeded") || intent.status.equals("canceled"))
      throw new IllegalStateException(intentId + " is already " + intent.status);
    intent.status = "succeeded";
    intent.amountReceived = intent.amount;
    intent.lastPaymentError = null;
    intent.latestCharge = "ch_" + token(24);
    emit("charge.succeeded", chargeJson(intent), null, null);
    emit("payment_intent.succeeded", intent.json(), null, null);
  }

  /**
   * The renter's card was declined: back to {@code requires_payment_method}; emits {@code
   * payment_intent.payment_failed}.
   */
  public synchronized void fail(String intentId) {
    Intent intent = intent(intentId);
    if (intent.status.equals("succeeded") || intent.status.equals("canceled"))
      throw new IllegalStateException(intentId + " is already " + intent.status);
    intent.status = "requires_payment_method";
    intent.latestCharge = "ch_" + token(24);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", "card_error");
    error.put("code", "card_declined");
    error.put("decline_code", "generic_decline");
    error.put("message", "Your card was declined.");
    error.put("doc_url", "https://stripe.com/docs/error-codes/card-declined");
    intent.lastPaymentError = error;
    Map<String, Object> charge = chargeJson(intent);
    charge.put("status", "failed");
    charge.put("paid", false);
    charge.put("captured", false);
    charge.put("amount_captured", 0);
    charge.put("failure_code", "card_declined");
    charge.put("failure_message", "Your card was declined.");
    emit("charge.failed", charge, null, null);
    emit("payment_intent.payment_failed", intent.json(), null, null);
  }

  /**
   * The renter's bank disputes the charge of a succeeded intent; emits {@code
   * charge.dispute.created}.
   */
  public synchronized String disputeCreated(String intentId) {
    Intent intent = intent(intentId);
    if (!intent.status.equals("succeeded"))
      throw new IllegalStateException(intentId + " has no successful charge");
    Map<String, Object> dispute = new LinkedHashMap<>();
    String id = "dp_" + token(24);
    dispute.put("id", id);
    dispute.put("object", "dispute");
    dispute.put("amount", intent.amountReceived);
    dispute.put("charge", intent.latestCharge);
    dispute.put("created", now());
    dispute.put("currency", intent.currency);
    dispute.put("is_charge_refundable", false);
    dispute.put("livemode", false);
    dispute.put("metadata", Map.of());
    dispute.put("payment_intent", intent.id);
    dispute.put("reason", "fraudulent");
    dispute.put("status", "needs_response");
    disputes.put(id, dispute);
    emit("charge.dispute.created", new LinkedHashMap<>(dispute), null, null);
    return id;
  }

  /**
   * A refund that succeeded fails after the fact (the renter's card was closed): status {@code
   * failed}, its amount refundable again; emits {@code refund.updated} and {@code refund.failed},
   * as Stripe does.
   */
  public synchronized void failRefund(String refundId) {
    Refund refund = refunds.get(refundId);
    if (refund == null) throw new IllegalArgumentException("no refund " + refundId);
    if (!refund.status.equals("succeeded"))
      throw new IllegalStateException(refundId + " is " + refund.status);
    refund.status = "failed";
    refund.failureReason = "expired_or_canceled_card";
    intents.get(refund.paymentIntent).amountRefunded -= refund.amount;
    emit("refund.updated", refund.json(), null, null);
    emit("refund.failed", refund.json(), null, null);
  }

  /** The intent is canceled before it was paid; emits {@code payment_intent.canceled}. */
  public synchronized void cancel(String intentId) {
    Intent intent = intent(intentId);
    if (intent.status.equals("succeeded") || intent.status.equals("canceled"))
      throw new IllegalStateException(intentId + " is already " + intent.status);
    intent.status = "canceled";
    emit("payment_intent.canceled", intent.json(), null, null);
  }

  /**
   * A dispute moves on: {@code type} one of {@code charge.dispute.updated}, {@code .closed}, {@code
   * .funds_withdrawn}, {@code .funds_reinstated}, with the dispute's new {@code status}.
   */
  public synchronized void disputeChanged(String disputeId, String type, String status) {
    Map<String, Object> dispute = disputes.get(disputeId);
    if (dispute == null) throw new IllegalArgumentException("no dispute " + disputeId);
    if (!type.startsWith("charge.dispute."))
      throw new IllegalArgumentException(type + " is not a dispute event");
    dispute.put("status", status);
    emit(type, new LinkedHashMap<>(dispute), null, null);
  }

  // ---------------------------------------------------------------- inspection

  public synchronized List<IntentView> intents() {
    return intents.values().stream().map(Intent::view).toList();
  }

  public synchronized List<IntentView> intentsCreatedWith(String idempotencyKey) {
    return intents.values().stream()
        .filter(i -> idempotencyKey.equals(i.idempotencyKey))
        .map(Intent::view)
        .toList();
  }

  public synchronized List<RefundView> refunds() {
    return refunds.values().stream().map(Refund::view).toList();
  }

  /**
   * Requests received per route, such as {@code "POST /v1/payment_intents"} or {@code "GET
   * /v1/payment_intents/{id}"}.
   */
  public synchronized int requests(String route) {
    return requestsByRoute.getOrDefault(route, 0);
  }

  public synchronized Map<String, Integer> requestsByRoute() {
    return Map.copyOf(requestsByRoute);
  }

  /** Requests received with this {@code Idempotency-Key}, faulted ones included. */
  public synchronized int requestsWithKey(String idempotencyKey) {
    return requestsByKey.getOrDefault(idempotencyKey, 0);
  }

  public synchronized int injected(Fault fault) {
    return faultCounts.getOrDefault(fault, 0);
  }

  /**
   * Holds every request that reaches execution (after the idempotency check, key taken) until the
   * returned action runs, at most 30 s: a twin request sent meanwhile meets a real 409.
   */
  public synchronized Runnable holdRequests() {
    CountDownLatch latch = new CountDownLatch(1);
    hold = latch;
    return () -> {
      synchronized (this) {
        if (hold == latch) hold = null;
      }
      latch.countDown();
    };
  }

  /**
   * 409s answered because the key's first request was still running (injected ones not included).
   */
  public synchronized int keysInUse() {
    return keysInUse;
  }

  /** Answers replayed from the idempotency store. */
  public synchronized int replays() {
    return replays;
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /**
   * Every request received, in order, as it reached the wire (faulted and refused ones included).
   */
  public synchronized List<WireRequest> wire() {
    return List.copyOf(wire);
  }

  // ---------------------------------------------------------------- webhooks

  /**
   * POSTs every recorded event {@code copies} times, all deliveries in an order shuffled by {@code
   * shuffle}, one at a time, each signed afresh with {@code secret} as Stripe signs them ({@code
   * Stripe-Signature: t=...,v1=...}).
   *
   * @return the HTTP status of each delivery, in delivery order
   */
  public List<Integer> deliverWebhooks(URI endpoint, String secret, int copies, Random shuffle)
      throws IOException, InterruptedException {
    return deliver(endpoint, secret, events(), copies, shuffle);
  }

  /** As {@link #deliverWebhooks}, for the events given only. */
  public static List<Integer> deliver(
      URI endpoint, String secret, List<Event> events, int copies, Random shuffle)
      throws IOException, InterruptedException {
    List<Event> deliveries = new ArrayList<>();
    for (Event event : events) {
      for (int i = 0; i < copies; i++) deliveries.add(event);
    }
    Collections.shuffle(deliveries, shuffle);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Integer> statuses = new ArrayList<>();
    for (Event event : deliveries) {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json; charset=utf-8")
              .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
              .header("Stripe-Signature", sign(event.json(), secret))
              .POST(HttpRequest.BodyPublishers.ofString(event.json(), UTF_8))
              .build();
      statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    }
    return statuses;
  }

  /** A {@code Stripe-Signature} header for {@code payload} signed now. */
  public static String sign(String payload, String secret) {
    try {
      return Webhook.Signature.generateSignatureHeader(payload, secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- HTTP

  /** An answer: status, JSON body and extra headers. */
  private record Answer(int status, String body, Map<String, String> headers) {
    Answer(int status, Object json) {
      this(status, write(json), Map.of());
    }

    Answer replayed(String originalRequest) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put("Idempotent-Replayed", "true");
      h.put("Original-Request", originalRequest);
      return new Answer(status, body, h);
    }
  }

  /**
   * What the idempotency layer holds for a key; {@code answer} is null while the first request
   * runs.
   */
  private static final class Saved {
    final String endpoint;
    final String parameters;
    final String requestId;
    Answer answer;

    Saved(String endpoint, String parameters, String requestId) {
      this.endpoint = endpoint;
      this.parameters = parameters;
      this.requestId = requestId;
    }
  }

  /** A request this fake implements: its route name, and the object id in its path if any. */
  private record Route(String name, String id) {}

  private void handle(HttpExchange exchange) {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
      String form = "GET".equals(method) ? exchange.getRequestURI().getRawQuery() : body;
      Map<String, String> params = isForm(form) ? parseForm(form) : null;
      var requestHeaders = exchange.getRequestHeaders();
      String key = requestHeaders.getFirst("Idempotency-Key");
      String contentType = requestHeaders.getFirst("Content-Type");
      String version = requestHeaders.getFirst("Stripe-Version");
      if (BROWSER_PATHS.matcher(path).matches() && !requestHeaders.containsKey("Authorization")) {
        fromBrowser(exchange, method, path, params);
        return;
      }
      Route route = route(method, path);
      String requestId;
      Fault fault;
      Duration latency;
      synchronized (this) {
        wire.add(
            new WireRequest(
                method,
                path,
                contentType,
                key,
                version,
                requestHeaders.getFirst("Authorization"),
                form == null ? "" : form,
                params == null ? null : Collections.unmodifiableMap(new TreeMap<>(params))));
        requestsByRoute.merge(route == null ? method + " " + path : route.name(), 1, Integer::sum);
        if (key != null) requestsByKey.merge(key, 1, Integer::sum);
        requestId = "req_" + token(14);
        fault = drawFault(key != null && "POST".equals(method));
        latency = drawLatency();
        faultCounts.merge(fault, 1, Integer::sum);
      }
      switch (fault) {
        case DROP_BEFORE_APPLY -> {
          return;
        }
        case SERVER_ERROR -> {
          send(exchange, requestId, key, serverError());
          return;
        }
        case RATE_LIMIT -> {
          send(
              exchange,
              requestId,
              key,
              error(
                  429,
                  "invalid_request_error",
                  "rate_limit",
                  null,
                  "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."));
          return;
        }
        case CONFLICT -> {
          send(exchange, requestId, key, keyInUse(key));
          return;
        }
        default -> {}
      }
      Answer unauthorized = authenticate(requestHeaders.getFirst("Authorization"));
      if (unauthorized != null) {
        send(exchange, requestId, key, unauthorized);
        return;
      }
      Answer malformed = checkShape(method, contentType, version, key, params);
      if (malformed != null) {
        send(exchange, requestId, key, malformed);
        return;
      }
      if (route == null) {
        send(
            exchange,
            requestId,
            key,
            error(
                404,
                "invalid_request_error",
                null,
                null,
                "Unrecognized request URL ("
                    + method
                    + ": "
                    + path
                    + "). FakeStripe implements only payment intents and refunds."));
        return;
      }
      Answer answer =
          "POST".equals(method)
              ? idempotently(route, method + " " + path, key, params, requestId, fault, latency)
              : run(route, params, requestId, null, latency);
      if (fault == Fault.DROP_AFTER_APPLY) return;
      send(exchange, requestId, key, answer);
    } catch (IOException | RuntimeException e) {
      // The client sees a dropped connection, which is what a crashed server looks like.
    } finally {
      // Unanswered, this closes the connection: the client reads end of stream, not a status.
      exchange.close();
    }
  }

  /** The calls a browser's Stripe.js makes with the publishable key. */
  private static final Pattern BROWSER_PATHS =
      Pattern.compile("/v1/payment_intents/([^/]+)/confirm");

  /**
   * What Stripe.js does in the renter's browser: confirm an intent with the publishable key and the
   * intent's client secret (never the secret key), cross-origin, so answered with CORS headers.
   * Stripe.js turns the card typed into its frame into a payment method; the stand-in sends
   * Stripe's test payment methods: {@code pm_card_visa} pays, {@code pm_card_chargeDeclined} is
   * declined.
   */
  private void fromBrowser(
      HttpExchange exchange, String method, String path, Map<String, String> params)
      throws IOException {
    var cors = exchange.getResponseHeaders();
    cors.set("Access-Control-Allow-Origin", "*");
    if ("OPTIONS".equals(method)) {
      cors.set("Access-Control-Allow-Methods", "POST");
      cors.set("Access-Control-Allow-Headers", "Content-Type");
      exchange.sendResponseHeaders(204, -1);
      return;
    }
    String requestId;
    synchronized (this) {
      requestsByRoute.merge("POST /v1/payment_intents/{id}/confirm", 1, Integer::sum);
      requestId = "req_" + token(14);
    }
    String id = URLDecoder.decode(path.split("/")[3], UTF_8);
    send(exchange, requestId, null, confirmFromBrowser(method, id, params));
  }

  private synchronized Answer confirmFromBrowser(
      String method, String id, Map<String, String> params) {
    if (!"POST".equals(method) || params == null)
      return error(400, "invalid_request_error", null, null, "Expected a form-encoded POST.");
    if (!publishableKey.equals(params.get("key")))
      return error(
          401, "invalid_request_error", null, null, "Invalid API Key provided: a publishable key");
    Intent intent = intents.get(id);
    if (intent == null || !intent.clientSecret.equals(params.get("client_secret")))
      return noSuch(404, "payment_intent", id, "intent");
    if (!intent.status.equals("requires_payment_method"))
      return error(
          400,
          "invalid_request_error",
          "payment_intent_unexpected_state",
          null,
          "You cannot confirm this PaymentIntent because it has a status of "
              + intent.status
              + ".");
    switch (String.valueOf(params.get("payment_method"))) {
      case "pm_card_visa" -> succeed(id);
      case "pm_card_chargeDeclined" -> {
        fail(id);
        Answer declined =
            error(402, "card_error", "card_declined", null, "Your card was declined.");
        return declined;
      }
      default -> {
        return error(
            400,
            "invalid_request_error",
            "resource_missing",
            "payment_method",
            "No such PaymentMethod: '" + params.get("payment_method") + "'");
      }
    }
    return new Answer(200, browserView(intent));
  }

  /** An intent as Stripe shows it to a publishable key: no metadata, no amounts received. */
  private static Map<String, Object> browserView(Intent intent) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", intent.id);
    json.put("object", "payment_intent");
    json.put("amount", intent.amount);
    json.put("currency", intent.currency);
    json.put("status", intent.status);
    json.put("client_secret", intent.clientSecret);
    json.put("livemode", false);
    return json;
  }

  private Route route(String method, String path) {
    Matcher intentPath = INTENT_PATH.matcher(path);
    if (path.equals("/v1/payment_intents") && (method.equals("POST") || method.equals("GET")))
      return new Route(method + " /v1/payment_intents", null);
    if (intentPath.matches() && method.equals("GET"))
      return new Route(
          "GET /v1/payment_intents/{id}", URLDecoder.decode(intentPath.group(1), UTF_8));
    if (path.equals("/v1/refunds") && (method.equals("POST") || method.equals("GET")))
      return new Route(method + " /v1/refunds", null);
    return null;
  }

  private Answer idempotently(
      Route route,
      String endpoint,
      String key,
      Map<String, String> params,
      String requestId,
      Fault fault,
      Duration latency) {
    if (key == null) return run(route, params, requestId, null, latency);
    String parameters = new TreeMap<>(params).toString();
    Saved saved;
    synchronized (this) {
      Saved previous = idempotency.get(key);
      if (previous != null) {
        if (previous.answer == null) {
          keysInUse++;
          return keyInUse(key);
        }
        if (!previous.endpoint.equals(endpoint))
          return error(
              400,
              "idempotency_error",
              null,
              null,
              "Keys for idempotent requests can only be used for the same "
                  + "endpoint they were first used for ('"
                  + path(previous.endpoint)
                  + "' vs '"
                  + path(endpoint)
                  + "'). Try using "
                  + "a key other than '"
                  + key
                  + "' if you meant to execute a different request.");
        if (!previous.parameters.equals(parameters))
          return error(
              400,
              "idempotency_error",
              null,
              null,
              "Keys for idempotent requests can only be used with the same "
                  + "parameters they were first used with. Try using a key other than '"
                  + key
                  + "' if you meant to execute a "
                  + "different request.");
        replays++;
        return previous.answer.replayed(previous.requestId);
      }
      // Stripe saves nothing for a request that fails validation: it never began to execute.
      Answer invalid = validate(route, params);
      if (invalid != null) return invalid;
      saved = new Saved(endpoint, parameters, requestId);
      idempotency.put(key, saved);
    }
    Answer answer;
    try {
      answer = run(route, params, requestId, key, latency);
    } catch (RuntimeException e) {
      synchronized (this) {
        idempotency.remove(key);
      }
      throw e;
    }
    if (fault == Fault.SERVER_ERROR_AFTER_APPLY) answer = serverError();
    synchronized (this) {
      saved.answer = answer;
    }
    return answer;
  }

  private static String path(String endpoint) {
    return endpoint.substring(endpoint.indexOf(' ') + 1);
  }

  private Answer run(
      Route route, Map<String, String> params, String requestId, String key, Duration latency) {
    pause(latency);
    CountDownLatch held;
    synchronized (this) {
      held = hold;
    }
    if (held != null) {
      try {
        held.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      Answer invalid = validate(route, params);
      if (invalid != null) return invalid;
      return switch (route.name()) {
        case "POST /v1/payment_intents" -> createIntent(params, requestId, key);
        case "GET /v1/payment_intents/{id}" -> retrieveIntent(route.id());
        case "GET /v1/payment_intents" ->
            list(
                "/v1/payment_intents",
                params,
                intents.values().stream().map(i -> (Listed) i).toList());
        case "POST /v1/refunds" -> createRefund(params, requestId, key);
        case "GET /v1/refunds" ->
            list(
                "/v1/refunds",
                params,
                refunds.values().stream()
                    .filter(
                        r ->
                            !params.containsKey("payment_intent")
                                || r.paymentIntent.equals(params.get("payment_intent")))
                    .map(r -> (Listed) r)
                    .toList());
        default -> throw new IllegalStateException(route.name());
      };
    }
  }

  private static void pause(Duration latency) {
    if (latency.isZero()) return;
    try {
      Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Fault drawFault(boolean keyedPost) {
    double u = random.nextDouble();
    double[] bounds = {
      faults.serverError(),
      faults.conflict(),
      faults.rateLimit(),
      faults.dropBeforeApply(),
      faults.dropAfterApply(),
      faults.serverErrorAfterApply()
    };
    Fault[] kinds = {
      Fault.SERVER_ERROR,
      Fault.CONFLICT,
      Fault.RATE_LIMIT,
      Fault.DROP_BEFORE_APPLY,
      Fault.DROP_AFTER_APPLY,
      Fault.SERVER_ERROR_AFTER_APPLY
    };
    double edge = 0;
    for (int i = 0; i < kinds.length; i++) {
      edge += bounds[i];
      if (u < edge) {
        // Only a keyed POST can meet a held key or have a 500 saved under its key.
        boolean needsKey = kinds[i] == Fault.CONFLICT || kinds[i] == Fault.SERVER_ERROR_AFTER_APPLY;
        return needsKey && !keyedPost ? Fault.NONE : kinds[i];
      }
    }
    return Fault.NONE;
  }

  private Duration drawLatency() {
    if (faults.latency() == 0 || random.nextDouble() >= faults.latency()) return Duration.ZERO;
    return Duration.ofNanos((long) (random.nextDouble() * faults.maxLatency().toNanos()));
  }

  private Answer authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer "))
      return error(
          401,
          "invalid_request_error",
          null,
          null,
          "You did not provide an API key. You need to provide your API "
              + "key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    String given = authorization.substring("Bearer ".length());
    if (!given.equals(apiKey)) {
      String shown =
          given.length() > 4
              ? given.substring(0, Math.min(8, given.length() - 4))
                  + "*****"
                  + given.substring(given.length() - 4)
              : "****";
      return error(401, "invalid_request_error", null, null, "Invalid API Key provided: " + shown);
    }
    return null;
  }

  /**
   * What Stripe refuses before it looks at the parameters; null when the request is well formed.
   */
  private static Answer checkShape(
      String method, String contentType, String version, String key, Map<String, String> params) {
    if (version == null || version.isBlank())
      return error(
          400,
          "invalid_request_error",
          null,
          null,
          "Missing Stripe-Version header: FakeStripe, stricter than "
              + "Stripe, wants every request to pin the API version its client was written for.");
    if (!API_VERSION.matcher(version).matches())
      return error(
          400, "invalid_request_error", null, null, "Invalid Stripe API version: " + version);
    if ("POST".equals(method)) {
      String mediaType =
          contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.equals(FORM))
        return error(
            400,
            "invalid_request_error",
            null,
            null,
            contentType == null || contentType.isBlank()
                ? "Request's Content-Type header was empty. Expected: " + FORM + "."
                : "Invalid Content-Type " + contentType + ". Expected: " + FORM + ".");
    }
    if (params == null)
      return error(
          400,
          "invalid_request_error",
          null,
          null,
          "Invalid request: the "
              + ("GET".equals(method) ? "query string" : "body")
              + " is not "
              + FORM
              + " (name=value pairs joined by '&', percent-encoded).");
    if (key != null && (key.isEmpty() || key.length() > 255))
      return error(
          400,
          "invalid_request_error",
          null,
          null,
          "Idempotency-Key must be between 1 and 255 characters long (it was "
              + key.length()
              + ").");
    return null;
  }

  /**
   * Whether {@code encoded} is application/x-www-form-urlencoded: empty, or name[=value] pairs
   * joined by '&'.
   */
  private static boolean isForm(String encoded) {
    if (encoded == null || encoded.isEmpty()) return true;
    for (String pair : encoded.split("&", -1)) {
      if (!FORM_PAIR.matcher(pair).matches()) return false;
    }
    return true;
  }

  private void send(HttpExchange exchange, String requestId, String key, Answer answer)
      throws IOException {
    byte[] bytes = answer.body().getBytes(UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Request-Id", requestId);
    headers.set("Stripe-Version", Stripe.API_VERSION);
    if (key != null) headers.set("Idempotency-Key", key);
    answer.headers().forEach(headers::set);
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---------------------------------------------------------------- validation

  private static final Set<String> INTENT_CREATE =
      Set.of(
          "amount",
          "currency",
          "description",
          "automatic_payment_methods[enabled]",
          "automatic_payment_methods[allow_redirects]");
  private static final Set<String> REFUND_CREATE = Set.of("payment_intent", "amount", "reason");
  private static final Set<String> LIST =
      Set.of(
          "limit",
          "starting_after",
          "created",
          "created[gte]",
          "created[gt]",
          "created[lt]",
          "created[lte]");

  /** Checks that need no stored object: Stripe saves nothing under the key when these fail. */
  private Answer validate(Route route, Map<String, String> params) {
    Set<String> allowed =
        switch (route.name()) {
          case "POST /v1/payment_intents" -> INTENT_CREATE;
          case "POST /v1/refunds" -> REFUND_CREATE;
          case "GET /v1/payment_intents" -> LIST;
          case "GET /v1/refunds" -> union(LIST, Set.of("payment_intent"));
          default -> Set.of();
        };
    boolean takesMetadata = route.name().startsWith("POST");
    for (String name : params.keySet()) {
      if (allowed.contains(name)
          || (takesMetadata && name.startsWith("metadata[") && name.endsWith("]"))) continue;
      return error(
          400,
          "invalid_request_error",
          "parameter_unknown",
          name,
          "Received unknown parameter: " + name);
    }
    if (takesMetadata) {
      Answer metadata = validateMetadata(params);
      if (metadata != null) return metadata;
    }
    switch (route.name()) {
      case "POST /v1/payment_intents" -> {
        if (!params.containsKey("amount")) return missing("amount");
        if (!params.containsKey("currency")) return missing("currency");
        Long amount = integer(params.get("amount"));
        if (amount == null) return invalidInteger("amount", params.get("amount"));
        String currency = params.get("currency").toLowerCase(Locale.ROOT);
        if (!isCurrency(currency))
          return error(
              400,
              "invalid_request_error",
              null,
              "currency",
              "Invalid currency: " + currency + ".");
        if (amount < 50)
          return error(
              400,
              "invalid_request_error",
              "amount_too_small",
              "amount",
              "Amount must be at least 50 in the smallest unit of " + currency + ".");
        if (amount > 99_999_999)
          return error(
              400,
              "invalid_request_error",
              "amount_too_large",
              "amount",
              "Amount must be no more than 99999999 in the smallest unit of " + currency + ".");
      }
      case "POST /v1/refunds" -> {
        if (!params.containsKey("payment_intent"))
          return error(
              400,
              "invalid_request_error",
              "parameter_missing",
              null,
              "One of the following params should be provided for this request: payment_intent or charge.");
        if (params.containsKey("amount")) {
          Long amount = integer(params.get("amount"));
          if (amount == null || amount < 1) return invalidInteger("amount", params.get("amount"));
        }
      }
      case "GET /v1/payment_intents", "GET /v1/refunds" -> {
        if (params.containsKey("limit")) {
          Long limit = integer(params.get("limit"));
          if (limit == null || limit < 1 || limit > 100)
            return error(
                400,
                "invalid_request_error",
                "parameter_invalid_integer",
                "limit",
                "This value must be greater than or equal to 1 and less than or equal to 100.");
        }
        for (String bound :
            List.of("created", "created[gte]", "created[gt]", "created[lt]", "created[lte]")) {
          if (params.containsKey(bound) && integer(params.get(bound)) == null)
            return invalidInteger(bound, params.get(bound));
        }
      }
      default -> {}
    }
    return null;
  }

  private static Answer validateMetadata(Map<String, String> params) {
    List<String> keys = params.keySet().stream().filter(k -> k.startsWith("metadata[")).toList();
    if (keys.size() > 50)
      return error(
          400,
          "invalid_request_error",
          null,
          "metadata",
          "You can only specify up to 50 metadata keys.");
    for (String name : keys) {
      String key = name.substring("metadata[".length(), name.length() - 1);
      if (key.length() > 40)
        return error(
            400,
            "invalid_request_error",
            null,
            name,
            "Metadata keys can have up to 40 characters.");
      if (params.get(name).length() > 500)
        return error(
            400,
            "invalid_request_error",
            null,
            name,
            "Metadata values can have up to 500 characters.");
    }
    return null;
  }

  private static boolean isCurrency(String code) {
    if (!code.matches("[a-z]{3}")) return false;
    try {
      Currency.getInstance(code.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    var all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Long integer(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Answer missing(String param) {
    return error(
        400,
        "invalid_request_error",
        "parameter_missing",
        param,
        "Missing required param: " + param + ".");
  }

  private static Answer invalidInteger(String param, String value) {
    return error(
        400,
        "invalid_request_error",
        "parameter_invalid_integer",
        param,
        "Invalid integer: " + value);
  }

  // ---------------------------------------------------------------- endpoints

  private Answer createIntent(Map<String, String> params, String requestId, String key) {
    Intent intent = new Intent();
    intent.id = "pi_" + token(24);
    intent.clientSecret = intent.id + "_secret_" + token(25);
    intent.amount = Long.parseLong(params.get("amount"));
    intent.currency = params.get("currency").toLowerCase(Locale.ROOT);
    intent.metadata = metadata(params);
    intent.automaticPaymentMethods =
        "true".equals(params.get("automatic_payment_methods[enabled]"));
    intent.description = params.get("description");
    intent.created = now();
    intent.sequence = ++sequence;
    intent.idempotencyKey = key;
    intents.put(intent.id, intent);
    emit("payment_intent.created", intent.json(), requestId, key);
    return new Answer(200, intent.json());
  }

  private Answer retrieveIntent(String id) {
    Intent intent = intents.get(id);
    if (intent == null) return noSuch(404, "payment_intent", id, "id");
    return new Answer(200, intent.json());
  }

  private Answer createRefund(Map<String, String> params, String requestId, String key) {
    String intentId = params.get("payment_intent");
    Intent intent = intents.get(intentId);
    if (intent == null) return noSuch(400, "payment_intent", intentId, "payment_intent");
    if (!intent.status.equals("succeeded"))
      return error(
          400,
          "invalid_request_error",
          null,
          "payment_intent",
          "This PaymentIntent (" + intentId + ") does not have a successful charge to refund.");
    long remaining = intent.amountReceived - intent.amountRefunded;
    if (remaining == 0)
      return error(
          400,
          "invalid_request_error",
          "charge_already_refunded",
          null,
          "Charge " + intent.latestCharge + " has already been refunded.");
    long amount = params.containsKey("amount") ? Long.parseLong(params.get("amount")) : remaining;
    if (amount > remaining)
      return error(
          400,
          "invalid_request_error",
          "amount_too_large",
          "amount",
          "Refund amount ("
              + amount
              + " "
              + intent.currency
              + ") is greater than unrefunded amount on charge ("
              + remaining
              + " "
              + intent.currency
              + ")");
    Refund refund = new Refund();
    refund.id = "re_" + token(24);
    refund.paymentIntent = intentId;
    refund.charge = intent.latestCharge;
    refund.amount = amount;
    refund.currency = intent.currency;
    refund.metadata = metadata(params);
    refund.reason = params.get("reason");
    refund.created = now();
    refund.sequence = ++sequence;
    refund.idempotencyKey = key;
    refunds.put(refund.id, refund);
    intent.amountRefunded += amount;
    emit("refund.created", refund.json(), requestId, key);
    emit("charge.refunded", chargeJson(intent), requestId, key);
    return new Answer(200, refund.json());
  }

  /** Stripe's list: newest first, {@code starting_after} the last id of the previous page. */
  private Answer list(String url, Map<String, String> params, List<Listed> all) {
    Predicate<Long> inRange =
        created ->
            bound(params, "created", c -> created == c)
                && bound(params, "created[gte]", c -> created >= c)
                && bound(params, "created[gt]", c -> created > c)
                && bound(params, "created[lt]", c -> created < c)
                && bound(params, "created[lte]", c -> created <= c);
    List<Listed> matching =
        all.stream()
            .filter(o -> inRange.test(o.created()))
            .sorted(
                Comparator.comparingLong(Listed::created)
                    .thenComparingLong(Listed::sequence)
                    .reversed())
            .toList();
    int from = 0;
    String startingAfter = params.get("starting_after");
    if (startingAfter != null) {
      int index = -1;
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).id().equals(startingAfter)) index = i;
      }
      if (index < 0)
        return noSuch(
            404,
            url.endsWith("refunds") ? "refund" : "payment_intent",
            startingAfter,
            "starting_after");
      from = index + 1;
    }
    int limit = params.containsKey("limit") ? Integer.parseInt(params.get("limit")) : 10;
    List<Listed> page = matching.subList(from, Math.min(matching.size(), from + limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", page.stream().map(Listed::json).toList());
    body.put("has_more", from + limit < matching.size());
    body.put("url", url);
    return new Answer(200, body);
  }

  private static boolean bound(Map<String, String> params, String name, Predicate<Long> holds) {
    return !params.containsKey(name) || holds.test(Long.parseLong(params.get(name)));
  }

  // ---------------------------------------------------------------- objects

  private interface Listed {
    String id();

    long created();

    long sequence();

    Map<String, Object> json();
  }

  private static final class Intent implements Listed {
    String id;
    String clientSecret;
    long amount;
    long amountReceived;
    long amountRefunded;
    String currency;
    String status = "requires_payment_method";
    Map<String, String> metadata;
    boolean automaticPaymentMethods;
    String description;
    String latestCharge;
    Map<String, Object> lastPaymentError;
    long created;
    long sequence;
    String idempotencyKey;

    @Override
    public String id() {
      return id;
    }

    @Override
    public long created() {
      return created;
    }

    @Override
    public long sequence() {
      return sequence;
    }

    @Override
    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", id);
      json.put("object", "payment_intent");
      json.put("amount", amount);
      json.put("amount_capturable", 0);
      json.put("amount_received", amountReceived);
      json.put(
          "automatic_payment_methods", automaticPaymentMethods ? Map.of("enabled", true) : null);
      json.put("canceled_at", null);
      json.put("cancellation_reason", null);
      json.put("capture_method", "automatic_async");
      json.put("client_secret", clientSecret);
      json.put("confirmation_method", "automatic");
      json.put("created", created);
      json.put("currency", currency);
      json.put("customer", null);
      json.put("description", description);
      json.put("last_payment_error", lastPaymentError);
      json.put("latest_charge", latestCharge);
      json.put("livemode", false);
      json.put("metadata", metadata);
      json.put("next_action", null);
      json.put("payment_method", null);
      json.put("payment_method_types", List.of("card"));
      json.put("status", status);
      return json;
    }

    IntentView view() {
      return new IntentView(
          id,
          idempotencyKey,
          amount,
          amountReceived,
          amountRefunded,
          currency,
          status,
          metadata,
          automaticPaymentMethods,
          created);
    }
  }

  private static final class Refund implements Listed {
    String id;
    String paymentIntent;
    String charge;
    long amount;
    String currency;
    Map<String, String> metadata;
    String reason;
    String status = "succeeded";
    String failureReason;
    long created;
    long sequence;
    String idempotencyKey;

    @Override
    public String id() {
      return id;
    }

    @Override
    public long created() {
      return created;
    }

    @Override
    public long sequence() {
      return sequence;
    }

    @Override
    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", id);
      json.put("object", "refund");
      json.put("amount", amount);
      json.put("balance_transaction", "txn_" + id.substring(3));
      json.put("charge", charge);
      json.put("created", created);
      json.put("currency", currency);
      json.put("metadata", metadata);
      json.put("payment_intent", paymentIntent);
      json.put("reason", reason);
      json.put("receipt_number", null);
      json.put("source_transfer_reversal", null);
      json.put("status", status);
      if (failureReason != null) json.put("failure_reason", failureReason);
      json.put("transfer_reversal", null);
      return json;
    }

    RefundView view() {
      return new RefundView(
          id, idempotencyKey, paymentIntent, amount, currency, status, metadata, created);
    }
  }

  private Map<String, Object> chargeJson(Intent intent) {
    Map<String, Object> charge = new LinkedHashMap<>();
    charge.put("id", intent.latestCharge);
    charge.put("object", "charge");
    charge.put("amount", intent.amount);
    charge.put("amount_captured", intent.amountReceived);
    charge.put("amount_refunded", intent.amountRefunded);
    charge.put("captured", true);
    charge.put("created", now());
    charge.put("currency", intent.currency);
    charge.put("livemode", false);
    charge.put("metadata", intent.metadata);
    charge.put("paid", true);
    charge.put("payment_intent", intent.id);
    charge.put(
        "refunded", intent.amountReceived > 0 && intent.amountRefunded == intent.amountReceived);
    charge.put("status", "succeeded");
    return charge;
  }

  private void emit(String type, Map<String, Object> object, String requestId, String key) {
    Map<String, Object> event = new LinkedHashMap<>();
    String id = "evt_" + token(24);
    event.put("id", id);
    event.put("object", "event");
    event.put("api_version", Stripe.API_VERSION);
    event.put("created", now());
    event.put("data", Map.of("object", object));
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", requestId);
    request.put("idempotency_key", key);
    event.put("request", request);
    event.put("type", type);
    events.add(new Event(id, type, write(event)));
  }

  // ---------------------------------------------------------------- helpers

  private Intent intent(String id) {
    Intent intent = intents.get(id);
    if (intent == null) throw new IllegalArgumentException("no payment intent " + id);
    return intent;
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private String token(int length) {
    StringBuilder s = new StringBuilder(length);
    synchronized (ids) {
      for (int i = 0; i < length; i++)
        s.append(ALPHANUMERIC.charAt(ids.nextInt(ALPHANUMERIC.length())));
    }
    return s.toString();
  }

  private static Map<String, String> metadata(Map<String, String> params) {
    Map<String, String> metadata = new TreeMap<>();
    params.forEach(
        (name, value) -> {
          if (name.startsWith("metadata[") && name.endsWith("]"))
            metadata.put(name.substring("metadata[".length(), name.length() - 1), value);
        });
    return Collections.unmodifiableMap(metadata);
  }

  private static Answer serverError() {
    return error(500, "api_error", null, null, "An unknown error occurred");
  }

  private static Answer keyInUse(String key) {
    // As Stripe answers it: a 409 typed invalid_request_error, not idempotency_error.
    Answer answer =
        error(
            409,
            "invalid_request_error",
            "idempotency_key_in_use",
            null,
            "There is currently another "
                + "in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request "
                + "is still going through): "
                + key
                + ". Please try again later.");
    return new Answer(answer.status(), answer.body(), Map.of("Stripe-Should-Retry", "true"));
  }

  private static Answer noSuch(int status, String object, String id, String param) {
    return error(
        status,
        "invalid_request_error",
        "resource_missing",
        param,
        "No such " + object + ": '" + id + "'");
  }

  private static Answer error(int status, String type, String code, String param, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    if (code != null) {
      error.put("code", code);
      error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
    }
    error.put("message", message);
    if (param != null) error.put("param", param);
    error.put("type", type);
    return new Answer(status, Map.of("error", error));
  }

  private static Map<String, String> parseForm(String encoded) {
    Map<String, String> params = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) return params;
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static String write(Object json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
