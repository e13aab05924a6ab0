package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.http.TestNode.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The completion sweeper (a cluster singleton) wakes a kitchen that passivated with a confirmed
 * booking, once the booking has ended, and the kitchen records the completion. Nothing else touches
 * the kitchen after it passivates: the completion is watched in the journal, since asking the
 * kitchen for the booking would itself wake it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletionSweepTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestDatabase db;
  private TestNode node;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.kitchen.passivate-idle-after", "2s",
                "hearth.read-models.completion-sweep-interval", "1s"));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void aPassivatedKitchenIsWokenAndCompletesItsEndedConfirmedBooking() throws Exception {
    String host = node.token("host-1", "host");
    String renter = node.token("renter-1", "renter");
    String kitchenId =
        node.publishedKitchen(
            host,
            "{\"name\":\"Sweep kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000}");
    Instant start = LocalDate.now(NEW_YORK).plusDays(5).atTime(10, 0).atZone(NEW_YORK).toInstant();
    Instant end = start.plus(Duration.ofHours(2));
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String id = held.body().get("booking_id").asText();
    Reply payment = node.post("/v1/bookings/" + id + "/payment", renter, null);
    assertThat(payment.status()).as(payment.body().toString()).isEqualTo(200);
    Reply paid =
        node.post(
            "/v1/bookings/" + id + "/payment/simulate", renter, "{\"outcome\":\"succeeded\"}");
    assertThat(paid.status()).as(paid.body().toString()).isLessThan(300);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(node.get("/v1/bookings/" + id, renter).body().path("status").asText())
                    .isEqualTo("CONFIRMED"));

    // Left alone, the kitchen passivates (no holds outstanding, idle for 2 s).
    await().atMost(WAIT).until(() -> !kitchensInMemory().contains(kitchenId));
    assertThat(db.eventCount("BookingCompleted")).isZero();

    // The booking ends; only the sweeper can tell the sleeping kitchen.
    node.clock().set(end.plus(Duration.ofMinutes(1)));
    await().atMost(WAIT).until(() -> db.eventCount("BookingCompleted") == 1);
    assertThat(kitchensInMemory()).as("the sweeper woke the kitchen").contains(kitchenId);

    Reply completed = node.get("/v1/bookings/" + id, renter);
    assertThat(completed.status()).isEqualTo(200);
    assertThat(completed.body().path("status").asText())
        .as(completed.body().toString())
        .isEqualTo("COMPLETED");
  }

  /** The kitchens this node's shard region holds in memory. */
  private Set<String> kitchensInMemory() throws Exception {
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(node.system()).shardState(),
                replyTo -> new GetShardRegionState(KitchenEntity.ENTITY_KEY, replyTo),
                Duration.ofSeconds(5),
                node.system().scheduler())
            .toCompletableFuture()
            .get();
    return state.getShards().stream()
        .flatMap(s -> s.getEntityIds().stream())
        .collect(Collectors.toSet());
  }
}
