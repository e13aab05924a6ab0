package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.testing.TestDates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code hearth reconcile} as a user runs it: its own JVM, against a node on the embedded default.
 * The command mints its operator token on the system clock, so the node runs on the real clock
 * here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileCommandTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private TestDatabase db;
  private TestNode node;
  private String renter;
  private String admin;
  private String kitchenId;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    String host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    admin = node.token("admin-1", "admin");
    kitchenId =
        node.publishedKitchen(
            host,
            "{\"name\":\"Reconciled kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000}");
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /** A two-hour hold three days ahead, paid with the offline provider and confirmed. */
  private String paidBooking() {
    Instant start =
        TestDates.at(TestDates.today(node.clock(), NEW_YORK).plusDays(3), 10, 0, NEW_YORK);
    return node.confirmedPaidBooking(kitchenId, renter, start, start.plus(Duration.ofHours(2)));
  }

  record Cli(int exit, String out, String err) {}

  /**
   * {@code hearth reconcile ...} as its own JVM, with the test node's secret; stdout and stderr
   * apart.
   */
  Cli reconcile(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "reconcile"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
    builder.environment().put("HEARTH_JWT_SECRET", TestNode.SECRET);
    builder.environment().put("HEARTH_DATA_DIR", db.dataDir().resolve("cli").toString());
    builder.redirectError(db.dataDir().resolve("cli-err").toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends by itself").isTrue();
    return new Cli(
        process.exitValue(), out, java.nio.file.Files.readString(db.dataDir().resolve("cli-err")));
  }

  String url() {
    return "http://127.0.0.1:" + node.port();
  }

  @Test
  void reconcileExitsZeroWhenAllAgreesAndThreeWhenSomethingDiffers() throws Exception {
    String id = paidBooking();
    String from = Instant.now().minus(Duration.ofHours(1)).toString();
    String to = Instant.now().plus(Duration.ofMinutes(5)).toString();
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(
                        node.get("/v1/admin/reconciliation?from=" + from + "&to=" + to, admin)
                            .header("X-Reconciliation-Mismatches"))
                    .isEqualTo("0"));

    Cli clean = reconcile("--from", from, "--to", to, "--url", url());
    assertThat(clean.exit()).as(clean.err()).isZero();
    assertThat(clean.err()).contains("no differences");

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE payments SET paid_cents = paid_cents - 1 WHERE booking_id = '" + id + "'");
    }
    try {
      Cli differs = reconcile("--from", from, "--to", to, "--url", url());
      assertThat(differs.exit()).as(differs.err()).isEqualTo(3);
      assertThat(differs.out()).contains("AMOUNT_DIFFERS").contains(id);
      assertThat(differs.err()).contains("1 difference");
    } finally {
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE payments SET paid_cents = paid_cents + 1 WHERE booking_id = '" + id + "'");
      }
    }
  }

  @Test
  void reconcileExitsOneWhenTheNodeRefusesOrIsAbsentAndTwoOnBadUsage() throws Exception {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Cli tooLong =
        reconcile(
            "--from",
            from.toString(),
            "--to",
            from.plus(Duration.ofDays(31)).plusSeconds(1).toString(),
            "--url",
            url());
    assertThat(tooLong.exit()).isEqualTo(1);
    assertThat(tooLong.err()).startsWith("400 ").contains("at most 31 days");

    int closed;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Cli absent =
        reconcile(
            "--from",
            from.toString(),
            "--to",
            from.plus(Duration.ofDays(1)).toString(),
            "--url",
            "http://127.0.0.1:" + closed);
    assertThat(absent.exit()).isEqualTo(1);
    assertThat(absent.err()).contains("no node answered");

    Cli usage = reconcile("--from", from.toString());
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--to is required").contains("usage:");
  }
}
