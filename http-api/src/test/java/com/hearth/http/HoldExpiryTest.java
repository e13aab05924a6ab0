package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestClock;
import com.hearth.testing.TestDates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Holds expire on time with no request touching the kitchen: while the node runs, and after it was
 * stopped with holds outstanding and started again on the same database.
 */
class HoldExpiryTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /**
   * Short enough to wait for: the kitchen's own timer, not the test, has to notice the hold ran
   * out.
   */
  private static final Map<String, Object> SHORT_HOLDS = Map.of("hearth.kitchen.hold-ttl", "2s");

  @ParameterizedTest
  @EnumSource(TestDatabase.Backend.class)
  void holdsExpireWhileNobodyCalls(TestDatabase.Backend backend) throws Exception {
    try (TestDatabase db = TestDatabase.create(backend);
        TestNode node = TestNode.start(db, SHORT_HOLDS)) {
      String kitchenId = publishedKitchen(node);
      Reply held = hold(node, kitchenId, 2);
      assertThat(held.status()).isEqualTo(201);
      String bookingId = held.body().get("booking_id").asText();

      // Nothing talks to the node; the journal alone shows the expiry.
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> db.eventCount("HoldExpired") == 1);
      Reply after = node.get("/v1/bookings/" + bookingId, node.token("renter-1", "renter"));
      assertThat(after.body().get("status").asText()).isEqualTo("EXPIRED");
      Instant expiredAt = Instant.parse(after.body().get("expired_at").asText());
      Instant due = Instant.parse(after.body().get("hold_expires_at").asText());
      assertThat(expiredAt).isAfterOrEqualTo(due).isBefore(due.plusSeconds(5));
      // The slot is free again.
      assertThat(hold(node, kitchenId, 2).status()).isEqualTo(201);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Backend.class)
  void holdsExpireAfterARestartWithoutAnyRequest(TestDatabase.Backend backend) throws Exception {
    TestClock clock = TestClock.runningFromNow();
    try (TestDatabase db = TestDatabase.create(backend)) {
      String kitchenId;
      String heldId;
      String confirmedId;
      Instant due;
      // Holds of the default ten minutes: the first node stops long before this one is due.
      try (TestNode first = TestNode.start(db, Map.of(), clock)) {
        kitchenId = publishedKitchen(first);
        confirmedId = hold(first, kitchenId, 3).body().get("booking_id").asText();
        assertThat(
                first
                    .post(
                        "/v1/bookings/" + confirmedId + "/confirm",
                        first.token("admin-1", "admin"),
                        null)
                    .status())
            .isEqualTo(200);
        Reply held = hold(first, kitchenId, 4);
        heldId = held.body().get("booking_id").asText();
        due = Instant.parse(held.body().get("hold_expires_at").asText());
      }
      assertThat(db.eventCount("HoldExpired")).as("stopped before the hold was due").isZero();

      // The hold falls due while no node runs.
      clock.set(due.plusSeconds(60));
      try (TestNode second = TestNode.start(db, Map.of(), clock)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> db.eventCount("HoldExpired") == 1);
        String renter = second.token("renter-1", "renter");
        Reply expired = second.get("/v1/bookings/" + heldId, renter);
        assertThat(expired.body().get("status").asText()).isEqualTo("EXPIRED");
        assertThat(Instant.parse(expired.body().get("expired_at").asText()))
            .isAfterOrEqualTo(due.plusSeconds(60));
        Reply confirmed = second.get("/v1/bookings/" + confirmedId, renter);
        assertThat(confirmed.body().get("status").asText()).isEqualTo("CONFIRMED");
        // One hour at 25.00 an hour.
        assertThat(confirmed.body().at("/price/subtotal_cents").asLong()).isEqualTo(2500);
      }
    }
  }

  private static String publishedKitchen(TestNode node) {
    String host = node.token("host-1", "host");
    Reply k =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Expiry kitchen\",\"time_zone\":\"Europe/Berlin\",\"hourly_rate_cents\":2500}");
    String id = k.body().get("kitchen_id").asText();
    assertThat(node.post("/v1/kitchens/" + id + "/publish", host, null).status()).isEqualTo(200);
    return id;
  }

  /** One hour from 10:00 in Berlin, {@code daysAhead} after the node's today. */
  private static Reply hold(TestNode node, String kitchenId, int daysAhead) {
    Instant start =
        TestDates.at(TestDates.today(node.clock(), BERLIN).plusDays(daysAhead), 10, 0, BERLIN);
    return node.post(
        "/v1/kitchens/" + kitchenId + "/bookings",
        node.token("renter-1", "renter"),
        "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}");
  }
}
