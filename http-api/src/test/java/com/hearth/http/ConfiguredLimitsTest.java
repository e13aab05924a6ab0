package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node whose limits are set away from their defaults: a 300 ms ask timeout, a 3-day availability
 * range and a 1,024-byte body. Each setting must change what the API answers.
 *
 * <p>On PostgreSQL, so that a kitchen can be kept from answering for certain. The kitchens were
 * made by another node, which remembered them (sharding's remember-entities), so the node under
 * test starts them as soon as it starts, and a started kitchen recovers within milliseconds: a
 * short timeout alone does not keep it from answering (it answered a stranger 404, hiding its
 * draft, in a clean-clone run). So the node starts while the snapshot table is locked: every
 * kitchen's recovery (and its shard's, which remembers it) begins there and waits until the test
 * lets go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfiguredLimitsTest {

  private TestDatabase db;
  private TestNode node;
  private Connection snapshotLock;
  private String renter;
  private final java.util.Deque<String> coldKitchens = new java.util.ArrayDeque<>();

  @BeforeAll
  void start() throws Exception {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
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
    snapshotLock = db.connect();
    snapshotLock.setAutoCommit(false);
    // The journal stays readable (the node finds that the kitchens exist); recoveries wait. The
    // statement closes with the connection.
    snapshotLock.createStatement().execute("LOCK TABLE snapshot IN ACCESS EXCLUSIVE MODE");
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.http.ask-timeout", "300ms",
                "hearth.kitchen.max-availability-days", 3,
                "hearth.http.max-body-bytes", 1024));
    renter = node.token("renter-1", "renter", "host");
  }

  @AfterAll
  void stop() throws Exception {
    if (snapshotLock != null) snapshotLock.close();
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
  void aKitchenThatDoesNotAnswerInTheAskTimeoutIsA503WithRetryAfter() throws Exception {
    String kitchen = coldKitchen();
    Reply r = node.get(kitchen, renter);
    snapshotLock.rollback();

    assertThat(r.status()).as(r.body().toString()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("UNAVAILABLE");
    assertThat(r.header("Retry-After")).isEqualTo("1");
    assertThat(r.body().get("detail").asText()).contains("did not answer in time");
    // Once the database lets it recover, the same kitchen answers (a draft is hidden from a
    // stranger): the 503 was the timeout, not the kitchen.
    Reply later =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> node.get(kitchen, renter), reply -> reply.status() != 503);
    assertThat(later.status()).as(later.body().toString()).isEqualTo(404);
    assertThat(later.code()).isEqualTo("NOT_FOUND");
  }

  @Test
  void theAvailabilityRangeFollowsTheSetting() {
    Instant from =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(1)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    // 3 days are 4,320 minutes. One more is refused before any kitchen is asked; 4,320 passes the
    // check and reaches the kitchen (which answers 200, or 503 while its recovery waits).
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
