package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node whose limits are set away from their defaults: an ask timeout no kitchen can meet (1 ms: a
 * kitchen asked for the first time is recovered from the database first), a 3-day availability
 * range and a 1,024-byte body. Each setting must change what the API answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfiguredLimitsTest {

  private TestDatabase db;
  private TestNode node;
  private String renter;
  private final java.util.Deque<String> coldKitchens = new java.util.ArrayDeque<>();

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    // Kitchens that exist (made-up ids are 404s that start nothing), made by a node with the
    // default settings and never asked since: cold on the node under test.
    try (TestNode maker = TestNode.start(db, Map.of())) {
      String host = maker.token("host-1", "host");
      for (int i = 0; i < 2; i++) {
        Reply created =
            maker.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"C\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        coldKitchens.add(created.body().get("kitchen_id").asText());
      }
    }
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.http.ask-timeout", "1ms",
                "hearth.kitchen.max-availability-days", 3,
                "hearth.http.max-body-bytes", 1024));
    renter = node.token("renter-1", "renter", "host");
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /**
   * A kitchen never asked on this node: its first ask starts it and recovers it from the journal.
   */
  String coldKitchen() {
    return "/v1/kitchens/" + coldKitchens.pop();
  }

  @Test
  void aKitchenThatDoesNotAnswerInTheAskTimeoutIsA503WithRetryAfter() {
    Reply r = node.get(coldKitchen(), renter);

    assertThat(r.status()).as(r.body().toString()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("UNAVAILABLE");
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.body().get("detail").asText()).contains("did not answer in time");
  }

  @Test
  void theAvailabilityRangeFollowsTheSetting() {
    Instant from =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(1)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    // 3 days are 4,320 minutes. One more is refused before any kitchen is asked; 4,320 passes the
    // check and reaches the kitchen (which answers 503 or, had it started in time, 200).
    String kitchen = coldKitchen();
    Reply tooWide =
        node.get(
            kitchen + "/availability?from=" + from + "&to=" + from.plus(4_321, ChronoUnit.MINUTES),
            renter);
    assertThat(tooWide.status()).isEqualTo(400);
    assertThat(tooWide.body().get("detail").asText()).contains("at most 3 days");
    Reply widest =
        node.get(
            kitchen + "/availability?from=" + from + "&to=" + from.plus(4_320, ChronoUnit.MINUTES),
            renter);
    assertThat(widest.status()).as(widest.body().toString()).isNotEqualTo(400);
  }

  @Test
  void aBodyPastTheConfiguredSizeIsA413WithItsCode() {
    // {"colour":""} is 13 characters around the value; an unknown field is refused before any
    // kitchen is asked.
    String around = "{\"colour\":\"\"}";
    assertThat(around).hasSize(13);
    Reply tooLarge =
        node.post(
            "/v1/kitchens",
            renter,
            around.replace("\"\"", "\"" + "n".repeat(1024 - 13 + 1) + "\""));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
    Reply largest =
        node.post(
            "/v1/kitchens", renter, around.replace("\"\"", "\"" + "n".repeat(1024 - 13) + "\""));
    assertThat(largest.status()).as("1,024 bytes are read: %s", largest.body()).isEqualTo(400);
    assertThat(largest.body().at("/errors/0/field").asText()).isEqualTo("colour");
  }
}
