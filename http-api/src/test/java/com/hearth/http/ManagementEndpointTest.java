package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operators' port: a token guards everything but the bootstrap probe, the port refuses to leave
 * loopback without a token, and Hearth's cluster view is there and on the API for operators.
 */
class ManagementEndpointTest {

  private static final String TOKEN = "operator-token-0123456789";

  @Test
  void aTokenGuardsEverythingButTheBootstrapProbe() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode node = TestNode.start(db, Map.of("hearth.management.token", TOKEN))) {
      assertThat(management(node, "/cluster/members", null).status()).isEqualTo(401);
      assertThat(management(node, "/cluster/members", "wrong-token-0123456789").status())
          .isEqualTo(401);
      Reply members = management(node, "/cluster/members", TOKEN);
      assertThat(members.status()).isEqualTo(200);
      assertThat(members.body().path("members").get(0).path("status").asText()).isEqualTo("Up");
      assertThat(management(node, "/bootstrap/seed-nodes", null).status()).isEqualTo(200);
      // Kubernetes' probes need no token; they show the readiness checks, nothing more.
      assertThat(management(node, "/health/live", null).status()).isEqualTo(200);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> management(node, "/health/ready", null).status() == 200);
      assertThat(
              management(node, "/health/ready", null)
                  .body()
                  .path("checks")
                  .path("database")
                  .asBoolean())
          .isTrue();

      Reply view = management(node, "/hearth/cluster", TOKEN);
      assertThat(view.status()).isEqualTo(200);
      assertThat(view.body().path("expected_size").asInt()).isEqualTo(1);
      assertThat(view.body().path("kitchens").path("in_memory_here").isInt()).isTrue();
    }
  }

  @Test
  void operatorsSeeTheClusterOnTheApiAndTheNodeIsReadyAlone() {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode node = TestNode.start(db, Map.of())) {
      String host = node.token("host-1", "host");
      String kitchen =
          node.post(
                  "/v1/kitchens",
                  host,
                  "{\"name\":\"K\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100}")
              .body()
              .get("kitchen_id")
              .asText();
      Reply view = node.get("/v1/admin/cluster", node.token("op-1", "operator"));
      assertThat(view.status()).isEqualTo(200);
      JsonNode nodes = view.body().path("kitchens").path("nodes");
      assertThat(nodes.size()).isEqualTo(1);
      assertThat(nodes.elements().next().path("in_memory").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(view.body().path("members").size()).isEqualTo(1);
      assertThat(node.get("/v1/admin/cluster", host).status()).isEqualTo(403);
      assertThat(kitchen).isNotBlank();

      assertThat(node.get("/health/ready", null).body().path("checks").isMissingNode())
          .as("public: up or down only")
          .isTrue();
      // A node alone becomes ready once its cluster is up and its shard regions have registered,
      // which may come a moment after the HTTP API answers.
      String operator = node.token("op-1", "operator");
      Reply ready =
          await()
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> node.get("/health/ready", operator), r -> r.status() == 200);
      assertThat(ready.body().path("checks").path("shard_regions_registered").asBoolean()).isTrue();
      assertThat(ready.body().path("checks").path("cluster_majority_reachable").asBoolean())
          .isTrue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void operatorsPauseAndResumeTheProjections() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2);
        TestNode node = TestNode.start(db, Map.of())) {
      String operator = node.token("op-1", "operator");
      assertThat(
              node.post("/v1/admin/projections/pause", node.token("r-1", "renter"), null).status())
          .isEqualTo(403);
      Reply paused = node.post("/v1/admin/projections/pause", operator, null);
      assertThat(paused.status()).isEqualTo(200);
      assertThat(paused.body().path("status").asText()).isEqualTo("PAUSED");
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  node.get("/health/projections", operator).body().path("paused").size()
                      == paused.body().path("projections").size());
      assertThat(node.post("/v1/admin/projections/resume", operator, null).status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  node.get("/health/projections", operator).body().path("paused").isMissingNode());
    }
  }

  @Test
  void beyondLoopbackWithoutATokenTheNodeRefusesToStart() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2)) {
      assertThatThrownBy(() -> TestNode.start(db, Map.of("hearth.management.interface", "0.0.0.0")))
          .hasMessageContaining("HEARTH_MANAGEMENT_TOKEN");
    }
  }

  private static Reply management(TestNode node, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort() + path))
            .GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return node.send(b);
  }
}
