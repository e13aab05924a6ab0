package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conventions every route shares (docs/openapi.yaml, "Conventions of every route"), over real
 * HTTP: 405 with its code and Allow, 415 with its code, strictly read JSON bodies, field lengths,
 * and the widest availability range.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpConventionsTest {

  private TestDatabase db;
  private TestNode node;
  private String host;
  private String renter;
  private String kitchenId;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    Reply k =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Rules\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100}");
    assertThat(k.status()).as(k.body().toString()).isEqualTo(201);
    kitchenId = k.body().get("kitchen_id").asText();
    assertThat(node.post("/v1/kitchens/" + kitchenId + "/publish", host, null).status())
        .isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ------------------------------------------------------------------ methods and media types

  @Test
  void requestsTooMalformedForTheRoutesStillGetAProblemDocument() {
    // Over pekko-http's max-uri-length (2k): refused by the parser, before any route.
    Reply longTarget = node.get("/v1/kitchens/" + "k".repeat(3000), renter);
    assertThat(longTarget.status()).isEqualTo(414);
    assertThat(longTarget.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(longTarget.code()).isEqualTo("BAD_REQUEST");
    assertThat(longTarget.body().get("detail").asText())
        .isEqualTo("the request target is longer than 2048 characters");

    // A header value over its limit: refused by the parser too, and its value is not echoed.
    String secret = "s".repeat(20_000);
    Reply bigHeader =
        node.send(node.request("/v1/kitchens/" + kitchenId, renter).header("X-Big", secret).GET());
    assertThat(bigHeader.status()).isBetween(400, 499);
    assertThat(bigHeader.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(bigHeader.body().toString()).doesNotContain("sssss");
  }

  @Test
  void aMethodAPathDoesNotListIsA405WithItsCodeAndTheAllowedMethods() {
    Reply r = node.send("DELETE", "/v1/kitchens/" + kitchenId, host, null);

    assertThat(r.status()).isEqualTo(405);
    assertThat(r.code()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    // GET and PATCH are what docs/openapi.yaml lists for /v1/kitchens/{id}.
    assertThat(methods(r.header("Allow"))).containsExactly("GET", "PATCH");
    assertThat(
            methods(
                node.send("PUT", "/v1/bookings/bk_" + "0".repeat(48) + "/cancel", host, "{}")
                    .header("Allow")))
        .containsExactly("POST");
  }

  @Test
  void aBodyThatIsNotJsonIsA415WithItsCode() {
    HttpRequest.Builder request =
        node.request("/v1/kitchens", host)
            .POST(HttpRequest.BodyPublishers.ofString("name=Rules&time_zone=UTC"))
            .header("Content-Type", "application/x-www-form-urlencoded");

    Reply r = node.send(request);

    assertThat(r.status()).isEqualTo(415);
    assertThat(r.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    Reply textPlain =
        node.send(
            node.request("/v1/kitchens", host)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"x\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":1}"))
                .header("Content-Type", "text/plain"));
    assertThat(textPlain.status()).isEqualTo(415);
    assertThat(textPlain.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
  }

  // ------------------------------------------------------------------ strict JSON

  @Test
  void aDuplicateKeyIsRefusedNamingTheBody() {
    Reply r =
        createKitchen(
            "{\"name\":\"A\",\"name\":\"B\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(r.body().get("detail").asText()).contains("Duplicate field 'name'");
  }

  @Test
  void trailingContentAfterTheObjectIsRefused() {
    for (String trailing : List.of("{}", "x", "[1]", "{\"name\":\"C\"}")) {
      Reply r =
          createKitchen(
              "{\"name\":\"A\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100} " + trailing);
      assertThat(r.status()).as(trailing).isEqualTo(400);
      assertThat(r.code()).as(trailing).isEqualTo("VALIDATION_FAILED");
    }
  }

  @Test
  void aNumberSentAsAStringAndAnUnknownFieldAreRefusedByName() {
    Reply quoted =
        createKitchen("{\"name\":\"A\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":\"2500\"}");
    assertThat(quoted.status()).isEqualTo(400);
    assertThat(quoted.body().at("/errors/0/field").asText()).isEqualTo("hourly_rate_cents");

    Reply unknown =
        createKitchen(
            "{\"name\":\"A\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":1,\"colour\":\"red\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().at("/errors/0/field").asText()).isEqualTo("colour");
    assertThat(unknown.body().at("/errors/0/message").asText()).isEqualTo("unknown field");
  }

  @Test
  void fieldsAreRefusedOneCharacterPastTheirLimitAndAcceptedAtIt() {
    // name 1..200, address up to 500, city 1..100 characters.
    for (String field : List.of("name:200", "address:500", "city:100")) {
      String name = field.split(":")[0];
      int limit = Integer.parseInt(field.split(":")[1]);
      Reply atLimit = createKitchen(kitchenWith(name, "k".repeat(limit)));
      assertThat(atLimit.status())
          .as("%s of %d characters: %s", name, limit, atLimit.body())
          .isEqualTo(201);
      Reply past = createKitchen(kitchenWith(name, "k".repeat(limit + 1)));
      assertThat(past.status()).as("%s of %d characters", name, limit + 1).isEqualTo(400);
      assertThat(past.body().at("/errors/0/field").asText()).isEqualTo(name);
    }
  }

  @Test
  void aCancellationReasonIsAtMost500Characters() {
    Instant start =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(5)
            .atTime(10, 0)
            .toInstant(ZoneOffset.UTC);
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(1, ChronoUnit.HOURS) + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String cancel = "/v1/bookings/" + held.body().get("booking_id").asText() + "/cancel";

    Reply tooLong = node.post(cancel, renter, "{\"reason\":\"" + "r".repeat(501) + "\"}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body().at("/errors/0/field").asText()).isEqualTo("reason");
    assertThat(node.post(cancel, renter, "{\"reason\":\"" + "r".repeat(500) + "\"}").status())
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------ availability

  @Test
  void availabilitySpansAtMost62Days() {
    Instant from =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(1)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    // 62 days are 62 x 24 x 60 = 89,280 minutes: that many is allowed, one more is not.
    Reply widest = availability(from, from.plus(89_280, ChronoUnit.MINUTES));
    assertThat(widest.status()).as(widest.body().toString()).isEqualTo(200);
    Reply tooWide = availability(from, from.plus(89_281, ChronoUnit.MINUTES));
    assertThat(tooWide.status()).isEqualTo(400);
    assertThat(tooWide.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(tooWide.body().at("/errors/0/field").asText()).isEqualTo("to");
  }

  // ------------------------------------------------------------------ helpers

  Reply availability(Instant from, Instant to) {
    return node.get(
        "/v1/kitchens/" + kitchenId + "/availability?from=" + from + "&to=" + to, renter);
  }

  Reply createKitchen(String json) {
    return node.post("/v1/kitchens", host, json);
  }

  static String kitchenWith(String field, String value) {
    String base = "\"time_zone\":\"UTC\",\"hourly_rate_cents\":100";
    return field.equals("name")
        ? "{\"name\":\"" + value + "\"," + base + "}"
        : "{\"name\":\"N\",\"" + field + "\":\"" + value + "\"," + base + "}";
  }

  static Set<String> methods(String allow) {
    assertThat(allow).as("an Allow header").isNotNull();
    Set<String> methods = new TreeSet<>();
    for (String m : allow.split(",")) methods.add(m.trim());
    return methods;
  }
}
