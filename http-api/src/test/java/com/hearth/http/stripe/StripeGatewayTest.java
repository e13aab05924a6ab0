package com.hearth.http.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.GatewayUnavailable;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.IntentStatus;
import com.hearth.engine.payment.PaymentGateway.Refund;
import com.hearth.engine.payment.PaymentGateway.RefundStatus;
import com.hearth.http.stripe.FakeStripe.Fault;
import com.hearth.http.stripe.FakeStripe.Faults;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StripeGateway} through stripe-java against {@link FakeStripe} over real HTTP on 127.0.0.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StripeGatewayTest {

  /** Five attempts, as in production, but milliseconds apart. */
  private static final StripeGateway.Settings FAST =
      StripeGateway.Settings.defaults()
          .withRetries(5, Duration.ofMillis(1), Duration.ofMillis(5))
          .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));

  private FakeStripe fake;
  private ExecutorService stripeThreads;
  private StripeGateway gateway;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeStripe(42);
    stripeThreads = Executors.newFixedThreadPool(8);
    gateway = gateway(FAST);
  }

  @AfterEach
  void stop() {
    fake.close();
    stripeThreads.shutdownNow();
  }

  private StripeGateway gateway(StripeGateway.Settings settings) {
    return new StripeGateway(fake.apiKey(), fake.apiBase(), stripeThreads, settings);
  }

  @Test
  void createsAndRetrievesAnIntent() throws Exception {
    Instant now = Instant.parse("2026-03-01T10:15:30Z");
    fake.setClock(Clock.fixed(now, ZoneOffset.UTC));

    Intent created =
        join(gateway.createIntent("booking-1:intent", 12_345, "usd", Map.of("booking_id", "b-1")));

    assertThat(created.id()).startsWith("pi_");
    assertThat(created.clientSecret()).startsWith(created.id() + "_secret_");
    assertThat(created.amountCents()).isEqualTo(12_345);
    assertThat(created.amountReceivedCents()).isZero();
    assertThat(created.currency()).isEqualTo("USD");
    assertThat(created.status()).isEqualTo(IntentStatus.REQUIRES_PAYMENT_METHOD);
    assertThat(created.metadata()).containsExactly(Map.entry("booking_id", "b-1"));
    assertThat(created.createdAt()).isEqualTo(now);
    assertThat(fake.intents())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.currency()).isEqualTo("usd");
              assertThat(i.automaticPaymentMethods()).isTrue();
              assertThat(i.idempotencyKey()).isEqualTo("booking-1:intent");
            });
    assertThat(join(gateway.retrieveIntent(created.id()))).isEqualTo(created);

    fake.succeed(created.id());
    Intent paid = join(gateway.retrieveIntent(created.id()));
    assertThat(paid.status()).isEqualTo(IntentStatus.SUCCEEDED);
    assertThat(paid.amountReceivedCents()).isEqualTo(12_345);
  }

  @Test
  void createsRefundsOfWhatWasPaidAndNoMore() throws Exception {
    Intent intent = paidIntent("booking-2:intent", 10_000);

    Refund first =
        join(
            gateway.createRefund(
                "booking-2:refund:1", intent.id(), 6_000, Map.of("booking_id", "b-2")));
    assertThat(first.id()).startsWith("re_");
    assertThat(first.intentId()).isEqualTo(intent.id());
    assertThat(first.amountCents()).isEqualTo(6_000);
    assertThat(first.currency()).isEqualTo("EUR");
    assertThat(first.status()).isEqualTo(RefundStatus.SUCCEEDED);
    assertThat(first.metadata()).containsEntry("booking_id", "b-2");

    GatewayRejected tooMuch =
        rejected(gateway.createRefund("booking-2:refund:2", intent.id(), 4_001, Map.of()));
    assertThat(tooMuch.status()).isEqualTo(400);
    assertThat(tooMuch.code()).isEqualTo("amount_too_large");
    assertThat(fake.requestsWithKey("booking-2:refund:2"))
        .as("refused for good: not retried")
        .isEqualTo(1);

    assertThat(
            join(gateway.createRefund("booking-2:refund:3", intent.id(), 4_000, Map.of()))
                .amountCents())
        .isEqualTo(4_000);
    assertThat(
            rejected(gateway.createRefund("booking-2:refund:4", intent.id(), 1, Map.of())).code())
        .isEqualTo("charge_already_refunded");
    assertThat(fake.refunds())
        .extracting(FakeStripe.RefundView::amount)
        .containsExactly(6_000L, 4_000L);
  }

  @Test
  void refusesToRefundAnIntentThatWasNotPaid() throws Exception {
    Intent unpaid = join(gateway.createIntent("booking-3:intent", 5_000, "usd", Map.of()));

    GatewayRejected refused =
        rejected(gateway.createRefund("booking-3:refund", unpaid.id(), 5_000, Map.of()));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.getMessage()).contains("does not have a successful charge to refund");
    assertThat(fake.refunds()).isEmpty();
  }

  @Test
  void listsIntentsAndRefundsOfAHalfOpenWindowAcrossPages() throws Exception {
    Instant t1 = Instant.parse("2026-03-01T00:00:00Z");
    Instant t2 = t1.plusSeconds(3600);
    Instant t3 = t2.plusSeconds(3600);
    List<String> inWindow = new ArrayList<>();
    fake.setClock(Clock.fixed(t1, ZoneOffset.UTC));
    createIntents("early", 3);
    fake.setClock(Clock.fixed(t2, ZoneOffset.UTC));
    createIntents("window", 230).forEach(i -> inWindow.add(i.id()));
    fake.setClock(Clock.fixed(t3, ZoneOffset.UTC));
    List<Intent> late = createIntents("late", 4);

    List<Intent> listed = join(gateway.listIntents(t2, t3));

    assertThat(listed).extracting(Intent::id).containsExactlyInAnyOrderElementsOf(inWindow);
    assertThat(listed).allSatisfy(i -> assertThat(i.createdAt()).isEqualTo(t2));
    assertThat(fake.requests("GET /v1/payment_intents")).as("pages of 100").isEqualTo(3);
    // Created has whole seconds: [t2 + 0.5 s, t3 + 0.5 s) holds what was created at t3, not at t2.
    assertThat(join(gateway.listIntents(t2.plusMillis(500), t3.plusMillis(500))))
        .extracting(Intent::id)
        .containsExactlyInAnyOrderElementsOf(late.stream().map(Intent::id).toList());

    fake.succeed(late.get(0).id());
    fake.succeed(late.get(1).id());
    fake.setClock(Clock.fixed(t3.plusSeconds(10), ZoneOffset.UTC));
    Refund r1 = join(gateway.createRefund("late:refund:1", late.get(0).id(), 100, Map.of()));
    fake.setClock(Clock.fixed(t3.plusSeconds(20), ZoneOffset.UTC));
    Refund r2 = join(gateway.createRefund("late:refund:2", late.get(1).id(), 200, Map.of()));

    assertThat(join(gateway.listRefunds(t3, t3.plusSeconds(20)))).containsExactly(r1);
    assertThat(join(gateway.listRefunds(t3, t3.plusSeconds(21)))).containsExactly(r2, r1);
    assertThat(join(gateway.listRefunds(t1, t2))).isEmpty();
  }

  @Test
  void theSameKeyTwiceMakesOneIntent() throws Exception {
    Intent first =
        join(gateway.createIntent("booking-4:intent", 7_000, "usd", Map.of("booking_id", "b-4")));
    Intent again =
        join(gateway.createIntent("booking-4:intent", 7_000, "usd", Map.of("booking_id", "b-4")));

    assertThat(again).isEqualTo(first);
    assertThat(fake.intents()).hasSize(1);
    assertThat(fake.replays()).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherAmountIsRejected() throws Exception {
    join(gateway.createIntent("booking-5:intent", 7_000, "usd", Map.of()));

    GatewayRejected rejected =
        rejected(gateway.createIntent("booking-5:intent", 7_001, "usd", Map.of()));

    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.code()).isEqualTo("idempotency_error");
    assertThat(rejected.getMessage()).contains("same parameters");
    assertThat(fake.intents()).hasSize(1);
    assertThat(fake.requestsWithKey("booking-5:intent")).isEqualTo(2);
  }

  @Test
  void aKeyServesOneEndpointOnly() throws Exception {
    Intent intent = paidIntent("booking-6", 3_000);

    GatewayRejected rejected =
        rejected(gateway.createRefund("booking-6", intent.id(), 3_000, Map.of()));

    assertThat(rejected.code()).isEqualTo("idempotency_error");
    assertThat(rejected.getMessage()).contains("same endpoint");
    assertThat(fake.refunds()).isEmpty();
  }

  @Test
  void twinRequestsInFlightShareOneIntent() throws Exception {
    StripeGateway patient =
        gateway(FAST.withRetries(10, Duration.ofMillis(50), Duration.ofMillis(200)));
    Runnable release = fake.holdRequests();
    CompletableFuture<Intent> first =
        patient.createIntent("booking-7:intent", 4_000, "usd", Map.of()).toCompletableFuture();
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> fake.requestsWithKey("booking-7:intent") == 1);

    CompletableFuture<Intent> twin =
        patient.createIntent("booking-7:intent", 4_000, "usd", Map.of()).toCompletableFuture();
    await()
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> fake.keysInUse() >= 1);
    release.run();

    assertThat(join(twin)).isEqualTo(join(first));
    assertThat(fake.intents()).hasSize(1);
    assertThat(fake.replays()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void transientFaultsAreRetriedUnderTheSameKeyAndChargeOnce() throws Exception {
    // 30 % of calls fail: 500s, 409s, and connections dropped before or after the request ran.
    fake.setFaults(
        Faults.none()
            .serverErrors(0.10)
            .conflicts(0.10)
            .dropsBeforeApply(0.05)
            .dropsAfterApply(0.05));
    // 0.3^12: no key runs out of attempts in practice, so every create must end with one intent.
    StripeGateway persistent =
        gateway(FAST.withRetries(12, Duration.ofMillis(1), Duration.ofMillis(5)));
    List<String> keys = IntStream.range(0, 50).mapToObj(i -> "booking-f" + i + ":intent").toList();

    List<CompletableFuture<Intent>> calls =
        keys.stream()
            .map(
                key ->
                    persistent
                        .createIntent(key, 1_000 + keys.indexOf(key), "usd", Map.of("key", key))
                        .toCompletableFuture())
            .toList();

    for (int i = 0; i < keys.size(); i++) {
      Intent intent = join(calls.get(i));
      // One intent per call, found by what the call sent rather than by its key: the fake replays a
      // key's first answer, so a count by key could not see a gateway that changed keys on retry.
      String key = keys.get(i);
      assertThat(fake.intents())
          .filteredOn(on -> key.equals(on.metadata().get("key")))
          .as(key)
          .singleElement()
          .satisfies(on -> assertThat(on.id()).isEqualTo(intent.id()));
      assertThat(fake.intentsCreatedWith(key))
          .singleElement()
          .satisfies(on -> assertThat(on.id()).isEqualTo(intent.id()));
      assertThat(intent.amountCents()).isEqualTo(1_000 + i);
    }
    assertThat(fake.intents()).hasSize(50);
    assertThat(new HashSet<>(calls.stream().map(c -> c.join().id()).toList())).hasSize(50);
    for (Fault fault :
        List.of(
            Fault.SERVER_ERROR, Fault.CONFLICT, Fault.DROP_BEFORE_APPLY, Fault.DROP_AFTER_APPLY))
      assertThat(fake.injected(fault)).as("%s injected", fault).isPositive();
    assertThat(fake.replays()).as("answers lost after the fact were replayed").isPositive();

    // Refunds under the same faults: each refunds once, never twice.
    for (String key : keys) fake.succeed(fake.intentsCreatedWith(key).get(0).id());
    List<CompletableFuture<Refund>> refunds =
        keys.stream()
            .map(
                key ->
                    persistent
                        .createRefund(
                            key + ":refund",
                            fake.intentsCreatedWith(key).get(0).id(),
                            500,
                            Map.of())
                        .toCompletableFuture())
            .toList();
    for (CompletableFuture<Refund> refund : refunds)
      assertThat(join(refund).amountCents()).isEqualTo(500);
    assertThat(fake.refunds()).hasSize(50);
    assertThat(fake.intents()).allSatisfy(i -> assertThat(i.amountRefunded()).isEqualTo(500));

    // Listings survive the faults too, page by page.
    assertThat(join(persistent.listIntents(Instant.EPOCH, Instant.now().plusSeconds(60))))
        .hasSize(50);
  }

  @Test
  void slowAnswersPastTheReadTimeoutStillChargeOnce() throws Exception {
    fake.setFaults(Faults.none().latency(0.5, Duration.ofMillis(400)));
    StripeGateway impatient =
        gateway(
            StripeGateway.Settings.defaults()
                .withRetries(15, Duration.ofMillis(20), Duration.ofMillis(100))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(150)));
    List<String> keys = IntStream.range(0, 10).mapToObj(i -> "booking-s" + i + ":intent").toList();

    List<CompletableFuture<Intent>> calls =
        keys.stream()
            .map(
                key ->
                    impatient
                        .createIntent(key, 2_500, "usd", Map.of("key", key))
                        .toCompletableFuture())
            .toList();

    for (int i = 0; i < keys.size(); i++) {
      Intent intent = join(calls.get(i));
      String key = keys.get(i);
      assertThat(fake.intents())
          .filteredOn(on -> key.equals(on.metadata().get("key")))
          .as(key)
          .singleElement()
          .satisfies(on -> assertThat(on.id()).isEqualTo(intent.id()));
    }
    assertThat(fake.intents()).hasSize(10);
    assertThat(fake.keysInUse() + fake.replays())
        .as("timed-out attempts met their first request running or done")
        .isPositive();
  }

  @Test
  void persistentServerErrorsGiveUpAfterTheLastAttempt() throws Exception {
    fake.setFaults(Faults.none().serverErrors(1.0));

    Throwable failure = failure(gateway.createIntent("booking-8:intent", 9_000, "usd", Map.of()));

    assertThat(failure)
        .isInstanceOf(GatewayUnavailable.class)
        .hasMessageContaining("5 attempt(s)")
        .hasMessageContaining("500");
    assertThat(fake.requestsWithKey("booking-8:intent")).isEqualTo(5);
    assertThat(fake.requests("POST /v1/payment_intents")).isEqualTo(5);
    assertThat(fake.intents()).isEmpty();
  }

  @Test
  void aSavedServerErrorReplaysUntilGivenUpAndListingsFindWhatItCreated() throws Exception {
    // Stripe saves a 500 that happened during execution and replays it for the key: retrying cannot
    // tell whether the intent exists. Listing the window can.
    fake.setFaults(Faults.none().serverErrorsAfterApply(1.0));

    Throwable failure =
        failure(
            gateway.createIntent("booking-9:intent", 9_000, "usd", Map.of("booking_id", "b-9")));

    assertThat(failure).isInstanceOf(GatewayUnavailable.class);
    assertThat(fake.requestsWithKey("booking-9:intent")).isEqualTo(5);
    assertThat(fake.replays()).isEqualTo(4);
    fake.setFaults(Faults.none());
    assertThat(join(gateway.listIntents(Instant.EPOCH, Instant.now().plusSeconds(60))))
        .singleElement()
        .satisfies(i -> assertThat(i.metadata()).containsEntry("booking_id", "b-9"));
  }

  @Test
  void rateLimitsAreRetried() throws Exception {
    fake.setFaults(Faults.none().rateLimits(0.5));
    StripeGateway persistent =
        gateway(FAST.withRetries(20, Duration.ofMillis(1), Duration.ofMillis(2)));

    List<CompletableFuture<Intent>> calls =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    persistent
                        .createIntent("booking-r" + i, 1_000, "usd", Map.of())
                        .toCompletableFuture())
            .toList();

    for (CompletableFuture<Intent> call : calls) join(call);
    assertThat(fake.intents()).hasSize(10);
    assertThat(fake.injected(Fault.RATE_LIMIT)).isPositive();
  }

  @Test
  void otherClientErrorsFailAtOnce() throws Exception {
    GatewayRejected missing = rejected(gateway.retrieveIntent("pi_doesnotexist"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("resource_missing");

    GatewayRejected tooSmall =
        rejected(gateway.createIntent("booking-10:intent", 10, "usd", Map.of()));
    assertThat(tooSmall.status()).isEqualTo(400);
    assertThat(tooSmall.code()).isEqualTo("amount_too_small");
    assertThat(fake.requestsWithKey("booking-10:intent")).isEqualTo(1);

    StripeGateway wrongKey =
        new StripeGateway("sk_test_not_the_right_one", fake.apiBase(), stripeThreads, FAST);
    GatewayRejected unauthorized =
        rejected(wrongKey.createIntent("booking-11:intent", 5_000, "usd", Map.of()));
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(fake.requestsWithKey("booking-11:intent")).isEqualTo(1);
    assertThat(fake.intents()).isEmpty();
  }

  @Test
  void neverBlocksTheCaller() throws Exception {
    ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
    StripeGateway deferred = new StripeGateway(fake.apiKey(), fake.apiBase(), queued::add, FAST);

    CompletableFuture<Intent> call =
        deferred.createIntent("booking-12:intent", 5_000, "usd", Map.of()).toCompletableFuture();

    assertThat(call).isNotDone();
    assertThat(fake.requests("POST /v1/payment_intents")).isZero();
    queued.poll().run();
    assertThat(join(call).amountCents()).isEqualTo(5_000);
  }

  @Test
  void aCallWaitingToRetryLeavesTheExecutorFree() throws Exception {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    try (FakeStripe healthy = new FakeStripe(7)) {
      fake.setFaults(Faults.none().serverErrors(1.0));
      // A backoff of an hour outlasts the test however slow the machine: the second attempt never
      // comes while the test looks, and the call must hold no thread while it waits.
      StripeGateway failing =
          new StripeGateway(
              fake.apiKey(),
              fake.apiBase(),
              oneThread,
              FAST.withRetries(2, Duration.ofHours(1), Duration.ofHours(1)));
      StripeGateway working =
          new StripeGateway(healthy.apiKey(), healthy.apiBase(), oneThread, FAST);

      CompletableFuture<Intent> backingOff =
          failing.createIntent("booking-13:intent", 5_000, "usd", Map.of()).toCompletableFuture();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fake.requestsWithKey("booking-13:intent") == 1);
      Intent meanwhile = join(working.createIntent("booking-14:intent", 5_000, "usd", Map.of()));

      assertThat(meanwhile.amountCents()).isEqualTo(5_000);
      assertThat(backingOff).as("still waiting out its backoff, on no thread").isNotDone();
      assertThat(fake.requestsWithKey("booking-13:intent"))
          .as("no second attempt before the backoff")
          .isEqualTo(1);
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void backsOffExponentiallyWithJitterUpToTheCap() {
    StripeGateway.Settings defaults = StripeGateway.Settings.defaults();
    for (int i = 0; i < 200; i++) {
      assertThat(defaults.backoff(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
      assertThat(defaults.backoff(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
      assertThat(defaults.backoff(40)).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
    }
  }

  private Intent paidIntent(String key, long amountCents) throws Exception {
    Intent intent = join(gateway.createIntent(key, amountCents, "eur", Map.of()));
    fake.succeed(intent.id());
    return intent;
  }

  private List<Intent> createIntents(String prefix, int count) throws Exception {
    List<CompletableFuture<Intent>> calls =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    gateway
                        .createIntent(prefix + ":" + i, 1_000, "usd", Map.of())
                        .toCompletableFuture())
            .toList();
    List<Intent> intents = new ArrayList<>();
    for (CompletableFuture<Intent> call : calls) intents.add(join(call));
    return intents;
  }

  private static <T> T join(CompletionStage<T> stage)
      throws InterruptedException, ExecutionException, TimeoutException {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletionStage<?> stage)
      throws InterruptedException, TimeoutException {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the call to fail");
  }

  private static GatewayRejected rejected(CompletionStage<?> stage)
      throws InterruptedException, TimeoutException {
    Throwable failure = failure(stage);
    assertThat(failure).isInstanceOf(GatewayRejected.class);
    return (GatewayRejected) failure;
  }
}
