package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The quick start's certificates end to end, as a host would send them: a node with its default
 * reader (real Tesseract), the README's kitchen in New York, the five files of docs/samples
 * uploaded. Every one is read; the fields come from the images; the expired fire inspection makes
 * the kitchen non-compliant, citing that document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleCertificatesTest {

  private static final Map<String, String> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("health-permit.png", "HEALTH_PERMIT");
    SAMPLES.put("business-licence.pdf", "BUSINESS_LICENCE");
    SAMPLES.put("liability-insurance-photo.jpg", "LIABILITY_INSURANCE");
    SAMPLES.put("food-handler-certificate.png", "FOOD_HANDLER_CERTIFICATE");
    SAMPLES.put("fire-inspection-expired.png", "FIRE_INSPECTION");
  }

  private TestDatabase db;
  private TestNode node;
  private String host;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of("hearth.ocr.poll-interval", "100ms", "hearth.ocr.delivery-interval", "200ms"));
    host = node.token("hana-host", "host");
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
    db.close();
  }

  @Test
  void theSamplesAreReadByTesseractAndTheExpiredOneIsCited() throws Exception {
    TestNode.Reply profile =
        node.send(
            "PUT",
            "/v1/hosts/me",
            host,
            "{\"legal_name\":\"Harbor Street Commissary LLC\","
                + "\"business_name\":\"Harbor Street Commissary LLC\",\"contact_email\":\"hana@harbor.example\","
                + "\"address\":\"12 Harbor Street, Brooklyn, NY 11201\",\"city\":\"Brooklyn\",\"region\":\"NY\",\"country\":\"US\"}");
    assertThat(profile.status()).as(profile.body().toString()).isEqualTo(200);
    TestNode.Reply kitchen =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Harbor Street Commissary\","
                + "\"address\":\"12 Harbor Street, Brooklyn, NY 11201\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4500}");
    assertThat(kitchen.status()).as(kitchen.body().toString()).isEqualTo(201);
    String kitchenId = kitchen.body().get("kitchen_id").asText();

    Map<String, String> ids = new LinkedHashMap<>();
    for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
      TestNode.Reply r =
          upload(
              kitchenId,
              sample.getValue(),
              Files.readAllBytes(Path.of("../docs/samples", sample.getKey())));
      assertThat(r.status()).as(sample.getKey() + ": " + r.body()).isEqualTo(201);
      ids.put(sample.getKey(), r.body().get("document_id").asText());
    }

    Map<String, JsonNode> read = new LinkedHashMap<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (JsonNode d :
                  node.get("/v1/kitchens/" + kitchenId + "/documents", host)
                      .body()
                      .path("documents"))
                if (!d.get("status").asText().equals("PENDING"))
                  read.put(d.get("document_id").asText(), d);
              return read.keySet().containsAll(ids.values());
            });
    for (Map.Entry<String, String> id : ids.entrySet())
      assertThat(read.get(id.getValue()).get("status").asText())
          .as(id.getKey() + ": " + read.get(id.getValue()))
          .isIn("READ", "NEEDS_REVIEW");

    JsonNode permit = read.get(ids.get("health-permit.png"));
    assertThat(permit.at("/fields/expiry_date/value").asText()).isEqualTo("2028-09-13");
    assertThat(permit.at("/fields/licence_number/value").asText()).isEqualTo("HP-2026-004512");
    assertThat(permit.at("/fields/holder_name/value").asText())
        .containsIgnoringCase("Harbor Street Commissary");
    JsonNode fire = read.get(ids.get("fire-inspection-expired.png"));
    assertThat(fire.at("/fields/expiry_date/value").asText()).isEqualTo("2026-05-31");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode summary = node.get("/v1/kitchens/" + kitchenId + "/compliance", host).body();
              assertThat(summary.get("status").asText())
                  .as(summary.toString())
                  .isEqualTo("NON_COMPLIANT");
              assertThat(summary.toString())
                  .as("a failed check cites the expired inspection")
                  .contains(ids.get("fire-inspection-expired.png"));
            });
    TestNode.Reply publish = node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
    assertThat(publish.status()).isEqualTo(409);
    assertThat(publish.code()).isEqualTo("KITCHEN_NOT_COMPLIANT");
  }

  private TestNode.Reply upload(String kitchenId, String type, byte[] file) {
    return node.upload(host, kitchenId, type, "certificate", file);
  }
}
