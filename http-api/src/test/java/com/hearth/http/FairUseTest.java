package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quotas and rate limits on a real node: 429 with Retry-After and a problem document, and nothing
 * applied.
 */
class FairUseTest {

  private static final String KITCHEN =
      "{\"name\":\"K\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500,\"opening_hours\":{"
          + String.join(
              ",",
              java.util.stream.Stream.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                  .map(d -> "\"" + d + "\":[{\"open\":\"06:00\",\"close\":\"23:00\"}]")
                  .toList())
          + "}}";
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    Map<String, Object> limits = new HashMap<>();
    limits.put("hearth.limits.writes-per-second-per-principal", 1);
    limits.put("hearth.limits.write-burst-per-principal", 12);
    limits.put("hearth.limits.writes-per-second-per-address", 1000);
    limits.put("hearth.limits.write-burst-per-address", 1000);
    limits.put("hearth.limits.open-holds-per-renter", 5);
    limits.put("hearth.limits.open-holds-per-renter-per-kitchen", 3);
    limits.put("hearth.limits.held-minutes-per-renter-per-kitchen", 240);
    limits.put("hearth.limits.kitchens-per-host", 2);
    node = TestNode.start(db, limits);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  private static Instant day(int ahead) {
    // 08:00 UTC on a day ahead: open every day from 06:00 to 23:00.
    return TestDates.today(node.clock(), ZoneOffset.UTC)
        .plusDays(ahead)
        .atStartOfDay()
        .toInstant(ZoneOffset.UTC)
        .plus(Duration.ofHours(8));
  }

  private static Reply hold(String renter, String kitchen, Instant start, int hours) {
    return node.post(
        "/v1/kitchens/" + kitchen + "/bookings",
        renter,
        "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(hours)) + "\"}");
  }

  private static void assertTooMany(Reply reply, String code) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(429);
    assertThat(reply.code()).isEqualTo(code);
    assertThat(reply.raw().headers().firstValue("Content-Type"))
        .contains("application/problem+json");
    assertThat(Long.parseLong(reply.header("Retry-After"))).isPositive();
  }

  @Test
  void aRenterHoldsAtMostThreeSlotsOfOneKitchenAndACancelFreesOne() {
    String host = node.token("host-a", "host");
    String kitchen = node.publishedKitchen(host, KITCHEN);
    String renter = node.token("renter-a", "renter");
    String first = null;
    for (int i = 0; i < 3; i++) {
      Reply held = hold(renter, kitchen, day(3).plus(Duration.ofHours(2 * i)), 1);
      assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
      if (first == null) first = held.body().get("booking_id").asText();
    }
    Instant fourth = day(3).plus(Duration.ofHours(8));
    assertTooMany(hold(renter, kitchen, fourth, 1), "QUOTA_EXCEEDED");
    // Nothing was applied: the slot is free for someone else.
    assertThat(hold(node.token("renter-other", "renter"), kitchen, fourth, 1).status())
        .isEqualTo(201);

    assertThat(node.post("/v1/bookings/" + first + "/cancel", renter, null).status())
        .isEqualTo(200);
    assertThat(hold(renter, kitchen, day(3).plus(Duration.ofHours(10)), 1).status()).isEqualTo(201);
  }

  @Test
  void aRenterHoldsAtMostFiveSlotsOverallAndFourHoursOfOneKitchen() {
    String host = node.token("host-b", "host");
    String k1 = node.publishedKitchen(host, KITCHEN);
    String k2 = node.publishedKitchen(host, KITCHEN);
    String renter = node.token("renter-b", "renter");
    assertThat(hold(renter, k1, day(4), 3).status()).isEqualTo(201);
    assertTooMany(hold(renter, k1, day(4).plus(Duration.ofHours(5)), 2), "QUOTA_EXCEEDED");
    assertThat(hold(renter, k1, day(4).plus(Duration.ofHours(5)), 1).status())
        .as("exactly 240 minutes")
        .isEqualTo(201);
    for (int i = 0; i < 3; i++)
      assertThat(hold(renter, k2, day(5).plus(Duration.ofHours(2 * i)), 1).status()).isEqualTo(201);
    String host2 = node.token("host-b2", "host");
    String k3 = node.publishedKitchen(host2, KITCHEN);
    assertTooMany(hold(renter, k3, day(6), 1), "QUOTA_EXCEEDED");
  }

  @Test
  void aPrincipalsWritesAreRateLimitedAndItsReadsAreNot() {
    String renter = node.token("renter-c", "renter");
    int limited = 0;
    Reply last = null;
    for (int i = 0; i < 20; i++) {
      Reply r = node.post("/v1/bookings/bk_" + "0".repeat(48) + "/cancel", renter, null);
      if (r.status() == 429) {
        limited++;
        last = r;
      }
    }
    assertThat(limited).as("a burst of 12, then about one a second").isGreaterThanOrEqualTo(5);
    assertTooMany(last, "RATE_LIMITED");
    for (int i = 0; i < 30; i++)
      assertThat(node.get("/v1/me/bookings", renter).status()).isEqualTo(200);
  }

  @Test
  void aHostListsAtMostTwoKitchens() {
    String host = node.token("host-d", "host");
    String admin = node.token("admin-d", "admin");
    assertThat(node.post("/v1/kitchens", host, KITCHEN).status()).isEqualTo(201);
    assertThat(node.post("/v1/kitchens", host, KITCHEN).status()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                node
                        .get("/v1/kitchens?status=DRAFT&limit=200", admin)
                        .body()
                        .path("items")
                        .findValuesAsText("host_id")
                        .stream()
                        .filter("host-d"::equals)
                        .count()
                    == 2);
    assertTooMany(node.post("/v1/kitchens", host, KITCHEN), "QUOTA_EXCEEDED");
  }
}
