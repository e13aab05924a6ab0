package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The overlap tripwire of docs/analytics.md end to end on PostgreSQL: a row that makes the next
 * live booking overlap another in the read table (planted here, as a double booking in the engine
 * would) stops that projection instance, which health reports FAILING with a 503, and an ERROR log
 * names the constraint. Removing the cause lets the projection carry on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlapTripwireTest {

  private static final String CONSTRAINT = "bookings_live_no_overlap";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PLANTED = "bk_" + "f".repeat(48);

  private TestDatabase db;
  private TestNode node;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeAll
  void start() {
    logs.start();
    root.addAppender(logs);
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node = TestNode.start(db, Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    root.detachAppender(logs);
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void aRowThatWouldDoubleBookTripsTheConstraintAndHealthSaysFailing() throws Exception {
    String host = node.token("host-1", "host");
    String renter = node.token("renter-1", "renter");
    String kitchen =
        node.post(
                "/v1/kitchens",
                host,
                "{\"name\":\"Trip\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100}")
            .body()
            .get("kitchen_id")
            .asText();
    assertThat(node.post("/v1/kitchens/" + kitchen + "/publish", host, null).status())
        .isEqualTo(200);
    Instant day =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(5)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC);
    String first =
        hold(renter, kitchen, day.plus(Duration.ofHours(10)), day.plus(Duration.ofHours(11)));
    await()
        .atMost(WAIT)
        .until(
            () -> rows("SELECT booking_id FROM bookings WHERE booking_id = ?", first).size() == 1);
    assertThat(node.get("/health/projections", node.token("op-1", "operator")).status())
        .isEqualTo(200);

    plantALiveBooking(first, day.plus(Duration.ofHours(14)), day.plus(Duration.ofHours(15)));
    String second =
        hold(renter, kitchen, day.plus(Duration.ofHours(14)), day.plus(Duration.ofHours(15)));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Reply health = node.get("/health/projections", node.token("op-1", "operator"));
              assertThat(health.status()).as(health.body().toString()).isEqualTo(503);
              assertThat(health.body().get("status").asText()).isEqualTo("DOWN");
              List<JsonNode> failing = new ArrayList<>();
              health
                  .body()
                  .get("projections")
                  .forEach(
                      p -> {
                        if (p.path("state").asText().equals("FAILING")) failing.add(p);
                      });
              assertThat(failing).hasSize(1);
              assertThat(failing.get(0).toString()).contains(CONSTRAINT);
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(List.copyOf(logs.list))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                          assertThat(e.getFormattedMessage() + chain(e.getThrowableProxy()))
                              .contains(CONSTRAINT);
                        }));
    assertThat(rows("SELECT booking_id FROM bookings WHERE booking_id = ?", second)).isEmpty();

    // The cause removed, the projection carries on from the event it stopped at.
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("DELETE FROM bookings WHERE booking_id = ?")) {
      ps.setString(1, PLANTED);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    await()
        .atMost(WAIT)
        .until(
            () -> rows("SELECT booking_id FROM bookings WHERE booking_id = ?", second).size() == 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(node.get("/health/projections", node.token("op-1", "operator")).status())
                    .isEqualTo(200));
  }

  /** A copy of booking {@code from}'s row, live, under another id and at another time. */
  void plantALiveBooking(String from, Instant start, Instant end) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(
          "CREATE TEMPORARY TABLE planted ON COMMIT DROP AS SELECT * FROM bookings WHERE booking_id = '"
              + from
              + "'");
      s.execute(
          "UPDATE planted SET booking_id = '"
              + PLANTED
              + "', status = 'HELD', start_at = '"
              + start
              + "', end_at = '"
              + end
              + "'");
      assertThat(s.executeUpdate("INSERT INTO bookings SELECT * FROM planted")).isEqualTo(1);
      c.commit();
    }
  }

  String hold(String renter, String kitchen, Instant start, Instant end) {
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("booking_id").asText();
  }

  List<String> rows(String sql, String arg) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    }
  }

  static String chain(IThrowableProxy t) {
    StringBuilder out = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) out.append(' ').append(p.getMessage());
    return out.toString();
  }
}
