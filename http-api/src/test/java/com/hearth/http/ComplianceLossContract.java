package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.ocr.worker.testing.KnownFieldsReader;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a published kitchen's compliance does between lapses, on a node (the known-fields reader;
 * {@link H2ComplianceLossTest}, {@link PostgresComplianceLossTest}): the host and operators see the
 * confirmed bookings a coming lapse would catch and the host its notices; withdrawing a required
 * document that would never have expired suspends the kitchen at once and lists its confirmed
 * bookings as inside the lapse; a valid replacement reinstates it; an admin's rejection suspends it
 * again and an approval lifts it; a new business name on the host's profile suspends it with no
 * document changing, and the old name back lifts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ComplianceLossContract {

  abstract TestDatabase.Backend backend();

  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final LocalDate DAY = LocalDate.of(2027, 3, 10);
  static final String PROFILE =
      "{\"legal_name\":\"Thames Pantry Ltd\",\"business_name\":\"Thames Pantry\","
          + "\"contact_email\":\"a@thames.example\",\"address\":\"4 Wharf Road, London\",\"country\":\"GB\"}";

  TestDatabase db;
  TestNode node;
  final TestClock clock = TestClock.runningFrom(DAY.atTime(9, 0).atZone(LONDON).toInstant());

  @BeforeAll
  void start() {
    db = TestDatabase.create(backend());
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

  /** The fields a GB host's certificate reads as (KnownFieldsReader), valid through expiry. */
  static Map<String, String> certificate(String type, LocalDate expiry) {
    return Map.of(
        "DOCUMENT_TYPE",
        type + "|0.95",
        "HOLDER_NAME",
        "Thames Pantry Ltd|0.95",
        "EXPIRY_DATE",
        expiry + "|0.97",
        "ADDRESS",
        "4 Wharf Road, London N1 7RY|0.92");
  }

  String upload(String token, String kitchenId, String type, Map<String, String> fields) {
    Reply reply =
        node.upload(
            token,
            kitchenId,
            type,
            "x.png",
            KnownFieldsReader.certificate(UUID.randomUUID().toString(), fields));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    return reply.body().get("document_id").asText();
  }

  String status(String kitchenId, String token) {
    return node.get("/v1/kitchens/" + kitchenId, token).body().get("status").asText();
  }

  String compliance(String kitchenId, String token) {
    return node.get("/v1/kitchens/" + kitchenId + "/compliance", token)
        .body()
        .get("status")
        .asText();
  }

  String confirmedBooking(String renter, String admin, String kitchenId, LocalDate day) {
    Instant start = day.atTime(10, 0).atZone(LONDON).toInstant();
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(7200) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String id = held.body().get("booking_id").asText();
    Reply confirmed = node.post("/v1/bookings/" + id + "/confirm", admin, null);
    assertThat(confirmed.status()).as(confirmed.body().toString()).isEqualTo(200);
    return id;
  }

  /** "booking id:lapse" of every item, page after page (two a page, so the cursor is used). */
  List<String> lapseItems(String url, String token) {
    List<String> items = new ArrayList<>();
    String cursor = null;
    do {
      Reply page =
          node.get(
              url
                  + (url.contains("?") ? "&" : "?")
                  + "limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              token);
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      for (JsonNode item : page.body().get("items"))
        items.add(
            item.get("booking").get("booking_id").asText() + ":" + item.get("lapse").asText());
      cursor = page.body().has("next_cursor") ? page.body().get("next_cursor").asText() : null;
    } while (cursor != null);
    return items;
  }

  List<String> notices(String token) {
    Reply reply = node.get("/v1/hosts/me/compliance-notices", token);
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    List<String> kinds = new ArrayList<>();
    for (JsonNode n : reply.body().get("items"))
      kinds.add(
          n.get("kind").asText()
              + (n.has("at") ? "@" + n.get("at").asText() : "")
              + (n.has("expiry_date") ? "@" + n.get("expiry_date").asText() : "")
              + (n.has("confirmed_bookings_affected")
                  ? "#" + n.get("confirmed_bookings_affected").asInt()
                  : ""));
    return kinds;
  }

  @Test
  void aLostDocumentOrBusinessNameSuspendsAtOnceAndTheBookingsInsideTheLapseAreListed() {
    String host = node.token("host-loss", "host");
    String otherHost = node.token("host-other", "host");
    String renter = node.token("renter-loss", "renter");
    String admin = node.token("admin-loss", "admin");
    String operator = node.token("op-loss", "operator");
    assertThat(node.send("PUT", "/v1/hosts/me", host, PROFILE).status()).isEqualTo(200);
    String hours = "[{\"open\":\"08:00\",\"close\":\"20:00\"}]";
    String kitchenId =
        node.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"Thames\",\"address\":\"4 Wharf Road, London\",\"time_zone\":\"Europe/London\","
                    + "\"hourly_rate_cents\":3000,\"opening_hours\":{\"mon\":"
                    + hours
                    + ",\"tue\":"
                    + hours
                    + ",\"wed\":"
                    + hours
                    + ",\"thu\":"
                    + hours
                    + ",\"fri\":"
                    + hours
                    + ",\"sat\":"
                    + hours
                    + ",\"sun\":"
                    + hours
                    + "}}")
            .body()
            .get("kitchen_id")
            .asText();

    // The insurance runs out in five days; the rest in a year.
    String permit =
        upload(host, kitchenId, "HEALTH_PERMIT", certificate("HEALTH_PERMIT", DAY.plusYears(1)));
    upload(
        host,
        kitchenId,
        "FOOD_HANDLER_CERTIFICATE",
        certificate("FOOD_HANDLER_CERTIFICATE", DAY.plusYears(1)));
    String insurance =
        upload(
            host,
            kitchenId,
            "LIABILITY_INSURANCE",
            certificate("LIABILITY_INSURANCE", DAY.plusDays(5)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> compliance(kitchenId, host).equals("EXPIRING_SOON"));
    assertThat(node.post("/v1/kitchens/" + kitchenId + "/publish", host, null).status())
        .isEqualTo(200);
    String before = confirmedBooking(renter, admin, kitchenId, DAY.plusDays(2));
    String after = confirmedBooking(renter, admin, kitchenId, DAY.plusDays(7));
    String later = confirmedBooking(renter, admin, kitchenId, DAY.plusDays(8));

    // Ahead of the lapse: the bookings after the insurance's last day, for the host and operators.
    Instant lapse = DAY.plusDays(6).atStartOfDay(LONDON).toInstant();
    String lapseUrl = "/v1/kitchens/" + kitchenId + "/lapse-bookings";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> lapseItems(lapseUrl, host).equals(List.of(after + ":AHEAD", later + ":AHEAD")));
    assertThat(node.get(lapseUrl, host).body().get("items").get(0).get("lapse_from").asText())
        .isEqualTo(lapse.toString());
    assertThat(lapseItems(lapseUrl, operator)).hasSize(2);
    assertThat(lapseItems("/v1/admin/compliance/lapses?lapse=AHEAD", admin))
        .containsExactly(after + ":AHEAD", later + ":AHEAD");
    assertThat(lapseItems("/v1/admin/compliance/lapses?lapse=LAPSED", operator)).isEmpty();
    assertThat(node.get(lapseUrl, otherHost).status()).isEqualTo(403);
    assertThat(node.get(lapseUrl, renter).status()).isEqualTo(403);
    assertThat(node.get("/v1/admin/compliance/lapses", host).status()).isEqualTo(403);
    assertThat(node.get(lapseUrl + "?lapse=SOON", host).status()).isEqualTo(400);
    // The document's expiry comes from the onboarding read model, which may be a moment behind
    // the kitchens' (another projection family).
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(notices(host))
                    .containsExactly(
                        "DOCUMENT_EXPIRING@" + DAY.plusDays(5), "LAPSE_AHEAD@" + lapse + "#2"));
    assertThat(node.get("/v1/hosts/me/compliance-notices", otherHost).body().get("items"))
        .isEmpty();
    assertThat(node.get("/v1/hosts/me/compliance-notices?within_days=3", host).body().get("items"))
        .as("nothing within three days")
        .isEmpty();
    assertThat(node.get("/v1/hosts/me/compliance-notices?within_days=x", host).status())
        .isEqualTo(400);
    assertThat(node.get("/v1/hosts/me/compliance-notices", renter).status()).isEqualTo(403);

    // The health permit (valid a year) withdrawn: suspended at once, nobody waits for an expiry.
    assertThat(
            node.send("DELETE", "/v1/kitchens/" + kitchenId + "/documents/" + permit, host, null)
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("SUSPENDED"));
    Instant friday = DAY.plusDays(9).atTime(14, 0).atZone(LONDON).toInstant();
    Reply hold =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + friday + "\",\"end\":\"" + friday.plusSeconds(3600) + "\"}");
    assertThat(hold.status()).isEqualTo(409);
    assertThat(hold.code()).isEqualTo("KITCHEN_NOT_BOOKABLE");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lapseItems(lapseUrl, host)
                    .equals(List.of(before + ":LAPSED", after + ":LAPSED", later + ":LAPSED")));
    assertThat(lapseItems("/v1/admin/compliance/lapses?lapse=LAPSED", operator))
        .containsExactly(before + ":LAPSED", after + ":LAPSED", later + ":LAPSED");
    JsonNode first = node.get(lapseUrl, admin).body().get("items").get(0);
    assertThat(first.get("kitchen_status").asText()).isEqualTo("SUSPENDED");
    assertThat(first.get("reason").asText()).contains("no longer meets its compliance rules");
    assertThat(notices(host)).anyMatch(n -> n.startsWith("KITCHEN_SUSPENDED@") && n.endsWith("#3"));

    // Valid replacements (a permit, and insurance for a year): reinstated, nothing inside a lapse.
    String newPermit =
        upload(host, kitchenId, "HEALTH_PERMIT", certificate("HEALTH_PERMIT", DAY.plusYears(1)));
    upload(
        host,
        kitchenId,
        "LIABILITY_INSURANCE",
        certificate("LIABILITY_INSURANCE", DAY.plusYears(1)));
    await().atMost(Duration.ofSeconds(60)).until(() -> status(kitchenId, host).equals("PUBLISHED"));
    await().atMost(Duration.ofSeconds(30)).until(() -> lapseItems(lapseUrl, host).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> notices(host).isEmpty());
    assertThat(insurance).isNotEqualTo(permit);

    // An admin rejects the new permit: suspended again; approving it lifts the suspension.
    assertThat(
            node.post(
                    "/v1/admin/compliance/documents/" + newPermit + "/reject",
                    admin,
                    "{\"reason\":\"the permit number is not the council's\"}")
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("SUSPENDED"));
    assertThat(
            node.post(
                    "/v1/admin/compliance/documents/" + newPermit + "/approve",
                    admin,
                    "{\"reason\":\"confirmed with the council\"}")
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("PUBLISHED"));

    // The host's business name changes: no document changed, yet the kitchen is judged again.
    assertThat(
            node.send(
                    "PUT",
                    "/v1/hosts/me",
                    host,
                    PROFILE
                        .replace("Thames Pantry Ltd", "Riverside Catering Ltd")
                        .replace("Thames Pantry", "Riverside Catering"))
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("SUSPENDED"));
    assertThat(compliance(kitchenId, host)).isEqualTo("NON_COMPLIANT");
    assertThat(node.send("PUT", "/v1/hosts/me", host, PROFILE).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(kitchenId, host).equals("PUBLISHED"));
  }
}
