package com.hearth.http.stripe;

import com.hearth.engine.RequestIds;
import com.hearth.engine.payment.PaymentGateway;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PaymentGateway} on Stripe. Every Stripe call blocks, so each attempt runs on the executor
 * given (a dedicated dispatcher); waits between attempts are timers, not sleeping threads.
 *
 * <p>stripe-java's own retries are off: this class retries network errors, 409 (a request with the
 * same idempotency key still in flight, a lock timeout), 429 and 5xx with exponential backoff and
 * jitter, always under the caller's idempotency key, so a retry after a lost response replays the
 * first result instead of charging twice. Listings fetch page by page, each page retried on its
 * own. The transport sends each attempt exactly once ({@link JdkStripeHttpClient}).
 */
public final class StripeGateway implements PaymentGateway {

  public static final String PRODUCTION_API_BASE = "https://api.stripe.com";

  private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);
  private static final long PAGE_SIZE = 100;

  /**
   * How hard to try. An attempt that times out counts as a network error and is retried.
   *
   * @param maxAttempts attempts per call (and per page of a listing), the first included
   * @param firstDelay backoff before the second attempt; it doubles up to {@code maxDelay}, and
   *     each wait is drawn between half of it and all of it
   */
  public record Settings(
      int maxAttempts,
      Duration firstDelay,
      Duration maxDelay,
      Duration connectTimeout,
      Duration readTimeout) {

    public Settings {
      if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
      if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0)
        throw new IllegalArgumentException("need 0 <= firstDelay <= maxDelay");
      if (connectTimeout.isNegative()
          || connectTimeout.isZero()
          || readTimeout.isNegative()
          || readTimeout.isZero()) throw new IllegalArgumentException("timeouts must be positive");
    }

    /**
     * 5 attempts from 200 ms up to 5 s apart; stripe-java's own timeouts (30 s connect, 80 s read).
     */
    public static Settings defaults() {
      return new Settings(
          5,
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(80));
    }

    public Settings withRetries(int maxAttempts, Duration firstDelay, Duration maxDelay) {
      return new Settings(maxAttempts, firstDelay, maxDelay, connectTimeout, readTimeout);
    }

    public Settings withTimeouts(Duration connectTimeout, Duration readTimeout) {
      return new Settings(maxAttempts, firstDelay, maxDelay, connectTimeout, readTimeout);
    }

    /**
     * The wait after {@code failedAttempts} attempts: "equal jitter" over an exponential ceiling.
     */
    Duration backoff(int failedAttempts) {
      long cap = maxDelay.toNanos();
      long ceiling = Math.min(cap, firstDelay.toNanos());
      for (int i = 1; i < failedAttempts && ceiling < cap; i++)
        ceiling = Math.min(cap, ceiling * 2);
      long floor = ceiling / 2;
      return Duration.ofNanos(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
  }

  /** One blocking Stripe call. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws StripeException;
  }

  private final StripeClient stripe;
  private final Executor blocking;
  private final Settings settings;

  /** A gateway with {@link Settings#defaults()}. */
  public StripeGateway(String apiKey, String apiBase, Executor blocking) {
    this(apiKey, apiBase, blocking, Settings.defaults());
  }

  /**
   * @param apiKey a secret or restricted key ({@code sk_...}, {@code rk_...})
   * @param apiBase {@link #PRODUCTION_API_BASE}, or a local server in tests
   * @param blocking where the blocking calls run; never an actor or HTTP-server thread
   */
  public StripeGateway(String apiKey, String apiBase, Executor blocking, Settings settings) {
    this(apiKey, apiBase, blocking, settings, new JdkStripeHttpClient(settings.connectTimeout()));
  }

  /**
   * As above on another transport; null is stripe-java's default, the reference for what reaches
   * the wire.
   */
  StripeGateway(
      String apiKey,
      String apiBase,
      Executor blocking,
      Settings settings,
      com.stripe.net.HttpClient transport) {
    if (apiKey == null || apiKey.isBlank())
      throw new IllegalArgumentException("a Stripe API key is required");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.settings = Objects.requireNonNull(settings, "settings");
    StripeClient.StripeClientBuilder builder =
        StripeClient.builder()
            .setApiKey(apiKey)
            .setApiBase(Objects.requireNonNull(apiBase, "apiBase"))
            .setMaxNetworkRetries(0)
            .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
            .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
    if (transport != null) builder.setHttpClient(transport);
    this.stripe = builder.build();
  }

  @Override
  public CompletionStage<Intent> createIntent(
      String idempotencyKey, long amountCents, String currency, Map<String, String> metadata) {
    RequestOptions options = keyed(idempotencyKey);
    PaymentIntentCreateParams params =
        PaymentIntentCreateParams.builder()
            .setAmount(amountCents)
            .setCurrency(currency.toLowerCase(Locale.ROOT))
            .setAutomaticPaymentMethods(
                PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                    .setEnabled(true)
                    .build())
            .putAllMetadata(Objects.requireNonNull(metadata, "metadata"))
            .build();
    return withRetries(
        "create payment intent (key " + idempotencyKey + ")",
        () -> toIntent(stripe.v1().paymentIntents().create(params, options)));
  }

  @Override
  public CompletionStage<Intent> retrieveIntent(String intentId) {
    Objects.requireNonNull(intentId, "intentId");
    return withRetries(
        "retrieve payment intent " + intentId,
        () -> toIntent(stripe.v1().paymentIntents().retrieve(intentId)));
  }

  @Override
  public CompletionStage<Refund> createRefund(
      String idempotencyKey, String intentId, long amountCents, Map<String, String> metadata) {
    RequestOptions options = keyed(idempotencyKey);
    RefundCreateParams params =
        RefundCreateParams.builder()
            .setPaymentIntent(Objects.requireNonNull(intentId, "intentId"))
            .setAmount(amountCents)
            .putAllMetadata(Objects.requireNonNull(metadata, "metadata"))
            .build();
    return withRetries(
        "create refund of " + intentId + " (key " + idempotencyKey + ")",
        () -> toRefund(stripe.v1().refunds().create(params, options)));
  }

  @Override
  public CompletionStage<List<Intent>> listIntents(Instant from, Instant to) {
    PaymentIntentListParams.Created created =
        PaymentIntentListParams.Created.builder()
            .setGte(epochSecondCeiling(from))
            .setLt(epochSecondCeiling(to))
            .build();
    return allPages(
        "list payment intents",
        startingAfter -> {
          PaymentIntentListParams.Builder page =
              PaymentIntentListParams.builder().setCreated(created).setLimit(PAGE_SIZE);
          if (startingAfter != null) page.setStartingAfter(startingAfter);
          PaymentIntentListParams params = page.build();
          return () -> stripe.v1().paymentIntents().list(params);
        },
        StripeGateway::toIntent);
  }

  @Override
  public CompletionStage<List<Refund>> listRefunds(Instant from, Instant to) {
    RefundListParams.Created created =
        RefundListParams.Created.builder()
            .setGte(epochSecondCeiling(from))
            .setLt(epochSecondCeiling(to))
            .build();
    return allPages(
        "list refunds",
        startingAfter -> {
          RefundListParams.Builder page =
              RefundListParams.builder().setCreated(created).setLimit(PAGE_SIZE);
          if (startingAfter != null) page.setStartingAfter(startingAfter);
          RefundListParams params = page.build();
          return () -> stripe.v1().refunds().list(params);
        },
        StripeGateway::toRefund);
  }

  /**
   * Stripe's {@code created} has whole seconds. An object created at second {@code s} lies in
   * {@code [from, to)} exactly when {@code ceil(from) <= s < ceil(to)}, so adjacent windows never
   * overlap nor leave a gap.
   */
  private static long epochSecondCeiling(Instant instant) {
    return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
  }

  /**
   * Every page of a listing, newest first as Stripe returns them; each page is one retried call, so
   * a fault on page 7 costs one page, not the whole listing.
   */
  private <S extends com.stripe.model.HasId, T> CompletionStage<List<T>> allPages(
      String operation, Function<String, Call<StripeCollection<S>>> page, Function<S, T> convert) {
    List<T> all = new ArrayList<>();
    return nextPage(operation, page, convert, null, all).thenApply(done -> List.copyOf(all));
  }

  private <S extends com.stripe.model.HasId, T> CompletionStage<Void> nextPage(
      String operation,
      Function<String, Call<StripeCollection<S>>> page,
      Function<S, T> convert,
      String startingAfter,
      List<T> all) {
    return withRetries(operation, page.apply(startingAfter))
        .thenCompose(
            collection -> {
              List<S> data = collection.getData() == null ? List.of() : collection.getData();
              data.forEach(item -> all.add(convert.apply(item)));
              if (!Boolean.TRUE.equals(collection.getHasMore()) || data.isEmpty())
                return CompletableFuture.completedFuture(null);
              return nextPage(operation, page, convert, data.get(data.size() - 1).getId(), all);
            });
  }

  private static RequestOptions keyed(String idempotencyKey) {
    // Without a key a retried create would make a second object: refuse rather than risk it.
    if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255)
      throw new IllegalArgumentException("an idempotency key of 1 to 255 characters is required");
    return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
  }

  private <T> CompletableFuture<T> withRetries(String operation, Call<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    // The caller's request id (the payment entity sets it), for the lines logged on other threads.
    attempt(operation, call, 1, result, RequestIds.current());
    return result;
  }

  private <T> void attempt(
      String operation, Call<T> call, int attempt, CompletableFuture<T> result, String requestId) {
    try {
      blocking.execute(
          () ->
              RequestIds.run(
                  requestId, () -> attemptNow(operation, call, attempt, result, requestId)));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new GatewayUnavailable("the Stripe executor refused " + operation, e));
    }
  }

  private <T> void attemptNow(
      String operation, Call<T> call, int attempt, CompletableFuture<T> result, String requestId) {
    try {
      T answer = call.run();
      log.debug("Stripe: {} answered (attempt {})", operation, attempt);
      result.complete(answer);
    } catch (StripeException e) {
      if (!worthRetrying(e)) {
        result.completeExceptionally(rejected(e));
      } else if (attempt >= settings.maxAttempts()) {
        log.warn("Stripe: {} failed after {} attempt(s): {}", operation, attempt, describe(e));
        result.completeExceptionally(
            new GatewayUnavailable(
                operation + " failed after " + attempt + " attempt(s): " + describe(e), e));
      } else {
        Duration delay = settings.backoff(attempt);
        log.debug(
            "Stripe: {} attempt {} failed ({}); retrying in {} ms",
            operation,
            attempt,
            describe(e),
            delay.toMillis());
        // A timer hands the next attempt to the blocking executor: no thread waits
        // meanwhile.
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
            .execute(() -> attempt(operation, call, attempt + 1, result, requestId));
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * Worth retrying under the same key: the request may not have run, or ran and its answer was
   * lost.
   */
  private static boolean worthRetrying(StripeException e) {
    if (e instanceof ApiConnectionException) return true;
    Integer status = e.getStatusCode();
    if (status == null || status < 400)
      return true; // no HTTP answer, or one stripe-java could not read
    return status == 409 || status == 429 || status >= 500;
  }

  private static GatewayRejected rejected(StripeException e) {
    StripeError error = e.getStripeError();
    String code;
    if (e instanceof IdempotencyException) {
      code = "idempotency_error";
    } else if (error != null && error.getCode() != null) {
      code = error.getCode();
    } else if (error != null && error.getType() != null) {
      code = error.getType();
    } else {
      code = "stripe_error";
    }
    String message =
        error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
    return new GatewayRejected(e.getStatusCode(), code, message);
  }

  private static String describe(StripeException e) {
    if (e instanceof ApiConnectionException || e.getStatusCode() == null || e.getStatusCode() == 0)
      return "network error: " + e.getMessage();
    return "HTTP " + e.getStatusCode() + ": " + e.getMessage();
  }

  private static Intent toIntent(PaymentIntent pi) {
    return new Intent(
        pi.getId(),
        pi.getClientSecret(),
        orZero(pi.getAmount()),
        orZero(pi.getAmountReceived()),
        upper(pi.getCurrency()),
        stripeEnum(IntentStatus.class, pi.getStatus()),
        metadata(pi.getMetadata()),
        Instant.ofEpochSecond(orZero(pi.getCreated())));
  }

  private static Refund toRefund(com.stripe.model.Refund r) {
    return new Refund(
        r.getId(),
        r.getPaymentIntent(),
        orZero(r.getAmount()),
        upper(r.getCurrency()),
        stripeEnum(RefundStatus.class, r.getStatus()),
        metadata(r.getMetadata()),
        Instant.ofEpochSecond(orZero(r.getCreated())));
  }

  private static <E extends Enum<E>> E stripeEnum(Class<E> type, String stripeValue) {
    try {
      return Enum.valueOf(type, String.valueOf(stripeValue).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Stripe sent a " + type.getSimpleName() + " this gateway does not know: " + stripeValue,
          e);
    }
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static String upper(String currency) {
    return currency == null ? null : currency.toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> metadata(Map<String, String> metadata) {
    return metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
