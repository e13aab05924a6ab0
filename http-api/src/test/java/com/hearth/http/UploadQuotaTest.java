package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Document uploads per host and hour, and documents kept per kitchen: 429 QUOTA_EXCEEDED with
 * Retry-After and a problem document, before the file is read; nothing is stored.
 */
class UploadQuotaTest {

  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.limits.uploads-per-host-per-hour", 3,
                "hearth.limits.documents-per-kitchen", 2));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void aHostUploadsAtMostItsHourlyQuotaAndAKitchenKeepsAtMostItsDocuments() throws Exception {
    String host = node.token("q-host", "host");
    String kitchen = kitchen(host);
    String second = kitchen(host);
    assertThat(upload(host, kitchen).status()).isEqualTo(201);
    assertThat(upload(host, kitchen).status()).isEqualTo(201);
    long stored = contents();

    Reply full = upload(host, kitchen);
    assertTooMany(full);
    assertThat(full.body().get("detail").asText()).contains("at most 2 documents");
    assertThat(node.get("/v1/kitchens/" + kitchen + "/documents", host).body().get("documents"))
        .hasSize(2);

    // Three attempts used the host's three uploads an hour, whichever kitchen.
    Reply tooMany = upload(host, second);
    assertTooMany(tooMany);
    assertThat(tooMany.body().get("detail").asText()).contains("3 documents an hour");
    // One upload comes back every 20 minutes.
    assertThat(Long.parseLong(tooMany.header("Retry-After"))).isBetween(1000L, 1200L);
    assertThat(node.get("/v1/kitchens/" + second + "/documents", host).body().get("documents"))
        .isEmpty();
    assertThat(contents()).as("no file stored by a refused upload").isEqualTo(stored);

    // Another host is not affected.
    String other = node.token("q-host-2", "host");
    assertThat(upload(other, kitchen(other)).status()).isEqualTo(201);
  }

  private static void assertTooMany(Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(429);
    assertThat(reply.code()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(reply.header("Content-Type")).contains("application/problem+json");
    assertThat(Long.parseLong(reply.header("Retry-After"))).isPositive();
  }

  private static String kitchen(String host) {
    Reply created =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Q\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return created.body().get("kitchen_id").asText();
  }

  /** A distinct small JPEG-looking file (judged by its first bytes) as a HEALTH_PERMIT. */
  private static Reply upload(String token, String kitchenId) {
    return node.upload(token, kitchenId, "HEALTH_PERMIT", "a.jpg", TestNode.distinctJpeg());
  }

  private static long contents() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM document_contents")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
