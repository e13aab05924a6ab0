package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer meets in the first hour, on one embedded node: sample data that makes a payout
 * ({@code hearth demo-data}), {@code /health}, and one sentence instead of a stack trace when a
 * node is already running.
 */
class FirstHourTest {

  static TestDatabase db;
  static DemoData.Result demo;
  static String demoProgress;
  static TestNode node;

  static Config config(Map<String, Object> overrides) {
    Map<String, Object> settings = new HashMap<>(db.nodeSettings());
    settings.put("hearth.auth.jwt-secret", TestNode.SECRET);
    settings.putAll(overrides);
    return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
  }

  @BeforeAll
  static void demoDataThenANode() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    demo =
        DemoData.write(
            config(Map.of()),
            Clock.systemUTC(),
            new PrintStream(progress, true, StandardCharsets.UTF_8));
    demoProgress = progress.toString(StandardCharsets.UTF_8);
    node = TestNode.start(db, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void demoDataMakesLastWeeksPayoutShowTheDemoHost() {
    LocalDate monday = DemoData.lastWeeksMonday(Instant.now());
    assertThat(demo.week()).isEqualTo(DemoData.label(monday));
    assertThat(demo.bookingIds()).hasSize(5);
    assertThat(demoProgress).contains("published", "held and paid");

    TestNode.Reply payouts =
        node.get("/v1/admin/payouts?week=" + demo.week(), node.token("admin-1", "admin"));
    assertThat(payouts.status()).as(payouts.raw().body()).isEqualTo(200);
    String[] lines = payouts.raw().body().split("\r?\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[1])
        .startsWith("demo-host,Dana Demo,demo-host@example.com,USD,5,")
        .endsWith("," + demo.hostPayoutCents());
    assertThat(demo.hostPayoutCents()).isPositive();
  }

  @Test
  void healthAnswersLikeReadyAndSaysWhereToLook() {
    assertThat(node.get("/health", null).body().path("checks").isMissingNode())
        .as("public: up or down only")
        .isTrue();
    TestNode.Reply health = node.get("/health", node.token("op-1", "operator"));
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asText()).isEqualTo("UP");
    assertThat(health.body().path("checks").path("cluster_member_up").asBoolean()).isTrue();
    assertThat(health.body().path("see").path("ready").asText()).isEqualTo("/health/ready");
    assertThat(health.body().path("see").path("projections").asText())
        .isEqualTo("/health/projections");
  }

  /**
   * In a process of its own, as {@code ./hearth run} would be: within one JVM, H2 shares the open
   * database.
   */
  @Test
  void aSecondNodeOnTheSameDataDirectoryIsOneSentence() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run");
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    builder
        .environment()
        .putAll(
            Map.of(
                "HEARTH_DATA_DIR",
                db.dataDir().toString(),
                "HEARTH_JWT_SECRET",
                TestNode.SECRET,
                "HEARTH_HTTP_INTERFACE",
                "127.0.0.1",
                "HEARTH_HTTP_PORT",
                String.valueOf(freePort()),
                "HEARTH_CLUSTER_PORT",
                String.valueOf(freePort()),
                "HEARTH_LOG_LEVEL",
                "WARN"));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process second = builder.start();
    try {
      String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(err)
          .isEqualTo(
              "Hearth did not start: another Hearth node is already using the data directory "
                  + db.dataDir().toAbsolutePath().normalize()
                  + " (the embedded H2 database serves one process). Stop that node,"
                  + " or set HEARTH_DATA_DIR to another directory (and HEARTH_HTTP_PORT and HEARTH_CLUSTER_PORT to free ports).\n");
    } finally {
      second.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  @Test
  void aPortInUseIsOneSentenceBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Config http =
          config(
              Map.of(
                  "hearth.http.interface",
                  "127.0.0.1",
                  "hearth.http.port",
                  port,
                  "pekko.remote.artery.canonical.port",
                  0));
      assertThat(Main.portInUse(NodeSettings.from(http), http))
          .isEqualTo(
              "Hearth did not start: the HTTP port "
                  + port
                  + " is already in use (by another Hearth node?)."
                  + " Stop that process, or set HEARTH_HTTP_PORT to a free port.");
      Config cluster =
          config(
              Map.of(
                  "hearth.http.port",
                  0,
                  "pekko.remote.artery.canonical.hostname",
                  "127.0.0.1",
                  "pekko.remote.artery.canonical.port",
                  port));
      assertThat(Main.portInUse(NodeSettings.from(cluster), cluster))
          .contains("the cluster port " + port, "HEARTH_CLUSTER_PORT");
      Config free = config(Map.of("hearth.http.port", 0, "pekko.remote.artery.canonical.port", 0));
      assertThat(Main.portInUse(NodeSettings.from(free), free)).isNull();
    }
  }
}
