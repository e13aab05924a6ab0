package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import com.hearth.ocr.worker.testing.KnownFieldsReader;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A lapse with nobody calling, on a node: a London kitchen of a GB host (health permit,
 * food-handler certificate and insurance required) is published while its health permit is valid
 * through today; at local midnight the kitchen's own timer suspends it, holds get 409
 * KITCHEN_NOT_BOOKABLE, and a new valid permit, once read, reinstates it. The clock is set to a few
 * seconds before midnight just before publishing: the kitchen's timer waits real time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceLapseTest {

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final LocalDate DAY = LocalDate.of(2027, 3, 10);

  TestDatabase db;
  TestNode node;
  final TestClock clock = TestClock.runningFrom(DAY.atTime(9, 0).atZone(LONDON).toInstant());

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of("hearth.ocr.poll-interval", "100ms", "hearth.ocr.delivery-interval", "200ms"),
            clock,
            new KnownFieldsReader());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    db.close();
  }

  static Map<String, String> certificate(String type, LocalDate expiry) {
    return ComplianceLossContract.certificate(type, expiry);
  }

  Reply upload(String token, String kitchenId, String type, Map<String, String> fields) {
    return node.upload(
        token,
        kitchenId,
        type,
        "x.png",
        KnownFieldsReader.certificate(UUID.randomUUID().toString(), fields));
  }

  String status(String kitchenId, String token) {
    return node.get("/v1/kitchens/" + kitchenId, token).body().get("status").asText();
  }

  @Test
  void aLapsedPermitSuspendsTheKitchenByItsOwnTimerAndANewOneReinstatesIt() {
    String host = node.token("host-gb", "host");
    String renter = node.token("renter-gb", "renter");
    assertThat(node.send("PUT", "/v1/hosts/me", host, ComplianceLossContract.PROFILE).status())
        .isEqualTo(200);
    String kitchenId =
        node.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"Thames\",\"address\":\"4 Wharf Road, London\","
                    + "\"time_zone\":\"Europe/London\",\"hourly_rate_cents\":3000,\"opening_hours\":{\"thu\":[{\"open\":\"08:00\",\"close\":\"20:00\"}],"
                    + "\"fri\":[{\"open\":\"08:00\",\"close\":\"20:00\"}]}}")
            .body()
            .get("kitchen_id")
            .asText();

    Reply early = node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.code()).isEqualTo("KITCHEN_NOT_COMPLIANT");

    // The permit is valid through today; the others for a year.
    upload(host, kitchenId, "HEALTH_PERMIT", certificate("HEALTH_PERMIT", DAY));
    upload(
        host,
        kitchenId,
        "FOOD_HANDLER_CERTIFICATE",
        certificate("FOOD_HANDLER_CERTIFICATE", DAY.plusYears(1)));
    upload(
        host,
        kitchenId,
        "LIABILITY_INSURANCE",
        certificate("LIABILITY_INSURANCE", DAY.plusYears(1)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                node.get("/v1/kitchens/" + kitchenId + "/compliance", host)
                    .body()
                    .get("status")
                    .asText()
                    .equals("EXPIRING_SOON"));

    Instant midnight = DAY.plusDays(1).atStartOfDay(LONDON).toInstant();
    clock.set(midnight.minusSeconds(3));
    Reply published = node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
    assertThat(published.status()).as(published.body().toString()).isEqualTo(200);
    assertThat(published.body().get("status").asText()).isEqualTo("PUBLISHED");

    // Nobody calls: the kitchen's timer fires at midnight.
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("SUSPENDED"));
    Instant friday = DAY.plusDays(2).atTime(10, 0).atZone(LONDON).toInstant();
    Reply hold =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + friday + "\",\"end\":\"" + friday.plusSeconds(7200) + "\"}");
    assertThat(hold.status()).isEqualTo(409);
    assertThat(hold.code()).isEqualTo("KITCHEN_NOT_BOOKABLE");
    assertThat(
            node.get("/v1/kitchens/" + kitchenId + "/compliance", host)
                .body()
                .get("status")
                .asText())
        .isEqualTo("NON_COMPLIANT");

    upload(host, kitchenId, "HEALTH_PERMIT", certificate("HEALTH_PERMIT", DAY.plusYears(1)));
    await().atMost(Duration.ofSeconds(60)).until(() -> status(kitchenId, host).equals("PUBLISHED"));
    Reply again =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + friday + "\",\"end\":\"" + friday.plusSeconds(7200) + "\"}");
    assertThat(again.status()).as(again.body().toString()).isEqualTo(201);
  }
}
