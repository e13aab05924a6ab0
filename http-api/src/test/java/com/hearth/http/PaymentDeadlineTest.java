package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No ghost payments: a refund that reaches its payment after the deadline its route gave it (the
 * ask timeout less the configured write budget) is dropped, its caller gets 503, and a retry with
 * the same Idempotency-Key returns the real outcome. The payment is kept busy by holding a lock on
 * the journal while it records a settled payment, so the refund waits behind that write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentDeadlineTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  // Deadline: 6 s - 3 s = 3 s after the route asked. With the old fixed 1 s budget it would be 5 s.
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(6);
  private static final Duration WRITE_BUDGET = Duration.ofSeconds(3);

  /** When the journal is released, counted from the refund's request: past 3 s, before 5 s. */
  private static final Duration RELEASE_AFTER = Duration.ofMillis(4200);

  private TestDatabase db;
  private TestNode node;
  private String host;
  private String renter;
  private String admin;
  private String kitchenId;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.http.ask-timeout",
                ASK_TIMEOUT.toMillis() + "ms",
                "hearth.http.write-budget",
                WRITE_BUDGET.toMillis() + "ms"));
    host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    admin = node.token("admin-1", "admin");
    kitchenId =
        node.publishedKitchen(
            host,
            "{\"name\":\"Deadline kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000}");
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void aRefundThatWaitedPastItsDeadlineIsNotAppliedAndItsRetryIs() throws Exception {
    Instant start = LocalDate.now(NEW_YORK).plusDays(5).atTime(10, 0).atZone(NEW_YORK).toInstant();
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(2)) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String id = held.body().get("booking_id").asText();
    assertThat(node.post("/v1/bookings/" + id + "/payment", renter, null).status()).isEqualTo(200);
    String refunds = "/v1/bookings/" + id + "/refunds";

    CompletableFuture<Reply> settled;
    CompletableFuture<Reply> refund;
    Instant asked;
    try (Connection lock = db.connect();
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("LOCK TABLE event_journal IN EXCLUSIVE MODE"); // reads go on, appends wait
      settled =
          CompletableFuture.supplyAsync(
              () ->
                  node.post(
                      "/v1/bookings/" + id + "/payment/simulate",
                      renter,
                      "{\"outcome\":\"succeeded\"}"));
      // The payment is writing the settled payment (its append waits on the lock): it stashes what
      // comes next.
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingAppends(s) > 0);
      asked = Instant.now();
      refund =
          CompletableFuture.supplyAsync(
              () ->
                  node.post(refunds, host, "{\"amount_cents\":1000}", "Idempotency-Key", "late-1"));
      // Keep the payment busy until the refund's deadline (3 s) has passed, but not the old fixed
      // one (5 s).
      await()
          .pollDelay(Duration.ZERO)
          .atMost(Duration.ofSeconds(10))
          .until(() -> !Instant.now().isBefore(asked.plus(RELEASE_AFTER)));
      lock.commit();
    }

    Reply late = refund.get();
    assertThat(late.status())
        .as("the refund waited past its deadline: " + late.body())
        .isEqualTo(503);
    assertThat(late.header("Retry-After")).isNotNull();
    assertThat(Duration.between(asked, Instant.now()))
        .as("answered at the ask timeout")
        .isGreaterThanOrEqualTo(ASK_TIMEOUT);
    settled.get();
    // Asked after the refund, so answered after the payment has dealt with it.
    JsonNode payment = node.get("/v1/bookings/" + id + "/payment", admin).body();
    assertThat(payment.get("paid_cents").asLong()).as(payment.toString()).isEqualTo(8000);
    assertThat(payment.get("refunds")).as("the 503'd refund was not applied").isEmpty();
    assertThat(db.eventCount("RefundRequested")).isZero();

    Reply retried =
        node.post(refunds, host, "{\"amount_cents\":1000}", "Idempotency-Key", "late-1");
    assertThat(retried.status()).as(retried.body().toString()).isEqualTo(202);
    assertThat(retried.body().get("refunds")).hasSize(1);
    assertThat(retried.body().at("/refunds/0/amount_cents").asLong()).isEqualTo(1000);
    Reply again = node.post(refunds, host, "{\"amount_cents\":1000}", "Idempotency-Key", "late-1");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().get("refunds")).as("the retry's outcome, once").hasSize(1);
    assertThat(db.eventCount("RefundRequested")).isEqualTo(1);
  }

  private static long waitingAppends(Statement s) throws Exception {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT count(*) FROM pg_locks WHERE relation = 'event_journal'::regclass AND NOT granted")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
