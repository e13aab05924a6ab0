package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code hearth demo-data}: sample kitchens and paid bookings that took place last week, so that a
 * newcomer can see a payout without waiting a week. Nothing is written behind the kitchens' back:
 * the command starts a node of its own on the configured database (the real one must be stopped)
 * whose clock is set back to the Saturday before last week, and goes through the HTTP API as a host
 * and two renters would: create and publish two kitchens, hold five slots during last week, pay for
 * each with the offline provider. It waits until the read tables hold every payment, then stops.
 * Run again, it finds its kitchens and bookings (idempotency keys) and adds nothing.
 */
final class DemoData {

  static final String HOST = "demo-host";

  private DemoData() {}

  /** What was written: the ISO week the bookings fall in, and the bookings. */
  record Result(String week, List<String> bookingIds, long hostPayoutCents) {}

  static int run(String[] args) {
    if (args.length > 0) {
      System.err.println("demo-data takes no options\nusage: hearth demo-data");
      return 2;
    }
    QuietStdout.install();
    if (System.getenv("HEARTH_LOG_LEVEL") == null) {
      // The node it runs is a means, not the subject: its start-up and shutdown lines would drown
      // the result.
      ((ch.qos.logback.classic.Logger)
              org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Config config = ConfigFactory.load();
    NodeSettings settings = NodeSettings.from(config);
    if (nodeAnswers(settings.httpPort())) {
      System.err.println(
          "A node answers on port "
              + settings.httpPort()
              + ": stop it first (demo-data writes into the past"
              + " through a node of its own, and two nodes must not share the database).");
      return 1;
    }
    System.err.println("demo-data: starting a node whose clock is set back to before last week...");
    try {
      Result result = write(config, Clock.systemUTC(), System.err);
      System.err.printf(
          "demo-data: %d paid bookings of host %s in week %s (host payout %.2f USD).%n",
          result.bookingIds().size(), HOST, result.week(), result.hostPayoutCents() / 100.0);
      System.err.println(
          "Now start the node (./hearth run) and, in another terminal, ask for that week's payouts:");
      System.out.println("./hearth payouts --week " + result.week());
      return 0;
    } catch (RuntimeException e) {
      System.err.println(
          Main.startFailure(e, settings, config)
              .replace("Hearth did not start", "demo-data failed"));
      return 1;
    }
  }

  /**
   * The ISO week before the one {@code now} is in, UTC: the latest week a payout can be made for.
   */
  static LocalDate lastWeeksMonday(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC)
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .minusWeeks(1);
  }

  static String label(LocalDate monday) {
    return String.format(
        "%d-W%02d",
        monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /**
   * Writes the sample data through a node on {@code config}'s database whose clock runs behind
   * {@code realClock}.
   */
  static Result write(Config config, Clock realClock, PrintStream progress) {
    LocalDate monday = lastWeeksMonday(realClock.instant());
    Instant demoStart = monday.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    Clock clock = Clock.offset(realClock, Duration.between(realClock.instant(), demoStart));
    Config nodeConfig =
        ConfigFactory.parseMap(
                Map.of(
                    "hearth.http.port",
                    0,
                    "hearth.http.interface",
                    "127.0.0.1",
                    "pekko.remote.artery.canonical.port",
                    0,
                    "hearth.cluster.seed-nodes",
                    List.of(),
                    "hearth.cluster.discovery",
                    "",
                    "hearth.cluster.contact-points",
                    "",
                    "hearth.management.port",
                    0,
                    "hearth.payments.stripe.api-key",
                    ""))
            .withFallback(config);
    try (HearthNode node = HearthNode.start(nodeConfig, clock)) {
      NodeSettings settings = NodeSettings.from(nodeConfig);
      JwtAuth auth =
          new JwtAuth(JwtAuth.resolveSecret(settings.jwtSecret(), settings.dataDir()), clock);
      Api api = new Api("http://127.0.0.1:" + node.httpPort());
      String host =
          auth.mint(
              HOST,
              List.of("host"),
              "Dana Demo",
              "demo-host@example.com",
              Duration.ofHours(1),
              clock);
      String renter1 = auth.mint("demo-renter-1", List.of("renter"), Duration.ofHours(1), clock);
      String renter2 = auth.mint("demo-renter-2", List.of("renter"), Duration.ofHours(1), clock);

      String harbor =
          kitchen(
              api,
              host,
              "demo-kitchen-harbor",
              """
          {"name": "Demo Harbor Kitchen", "address": "1 Pier St, Brooklyn, NY", "city": "New York",
           "time_zone": "America/New_York", "hourly_rate_cents": 4500, "tax_bps": 888,
           "opening_hours": %s}"""
                  .formatted(everyDay("06:00", "23:00")));
      String mission =
          kitchen(
              api,
              host,
              "demo-kitchen-mission",
              """
          {"name": "Demo Mission Kitchen", "address": "20 Valencia St, San Francisco, CA", "city": "San Francisco",
           "time_zone": "America/Los_Angeles", "hourly_rate_cents": 3800, "tax_bps": 863,
           "opening_hours": %s}"""
                  .formatted(everyDay("06:00", "22:00")));
      progress.println("demo-data: kitchens " + harbor + " and " + mission + " published");

      String week = label(monday);
      record Slot(String kitchen, String renter, int day, int fromHour, int toHour) {}
      List<Slot> slots =
          List.of(
              new Slot(harbor, renter1, 1, 15, 17),
              new Slot(harbor, renter2, 2, 14, 18),
              new Slot(mission, renter1, 3, 16, 19),
              new Slot(mission, renter2, 4, 17, 20),
              new Slot(harbor, renter1, 5, 15, 17));
      List<String> bookings = new ArrayList<>();
      long payout = 0;
      for (int i = 0; i < slots.size(); i++) {
        Slot s = slots.get(i);
        Instant day = monday.plusDays(s.day()).atStartOfDay(ZoneOffset.UTC).toInstant();
        JsonNode booking =
            api.call(
                "POST",
                "/v1/kitchens/" + s.kitchen() + "/bookings",
                s.renter(),
                "{\"start\": \"%s\", \"end\": \"%s\"}"
                    .formatted(
                        day.plusSeconds(3600L * s.fromHour()), day.plusSeconds(3600L * s.toHour())),
                "Idempotency-Key",
                "demo-" + week + "-" + (i + 1));
        String id = booking.path("booking_id").asText();
        if (booking.path("status").asText().equals("HELD")) {
          api.call("POST", "/v1/bookings/" + id + "/payment", s.renter(), null);
          api.call(
              "POST",
              "/v1/bookings/" + id + "/payment/simulate",
              s.renter(),
              "{\"outcome\": \"succeeded\"}");
        }
        bookings.add(id);
        payout += booking.path("price").path("host_payout_cents").asLong();
      }
      progress.println(
          "demo-data: "
              + bookings.size()
              + " bookings held and paid; waiting for the read tables...");
      awaitReadTables(node.database(), bookings, Duration.ofSeconds(60));
      return new Result(week, Collections.unmodifiableList(bookings), payout);
    }
  }

  private static String everyDay(String open, String close) {
    StringBuilder days = new StringBuilder("{");
    for (String day : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
      days.append(days.length() > 1 ? ", " : "")
          .append("\"%s\": [{\"open\": \"%s\", \"close\": \"%s\"}]".formatted(day, open, close));
    return days.append('}').toString();
  }

  /** Creates (or finds, by its idempotency key) a kitchen and publishes it. */
  private static String kitchen(Api api, String host, String key, String json) {
    JsonNode kitchen = api.call("POST", "/v1/kitchens", host, json, "Idempotency-Key", key);
    String id = kitchen.path("kitchen_id").asText();
    if (!kitchen.path("status").asText().equals("PUBLISHED"))
      api.call("POST", "/v1/kitchens/" + id + "/publish", host, null);
    return id;
  }

  /**
   * Until every booking is CONFIRMED in {@code bookings} and paid in {@code payments}: what a
   * payout reads.
   */
  private static void awaitReadTables(
      Database database, List<String> bookingIds, Duration timeout) {
    String in = String.join(",", Collections.nCopies(bookingIds.size(), "?"));
    String sql =
        "SELECT (SELECT COUNT(*) FROM bookings WHERE status = 'CONFIRMED' AND booking_id IN ("
            + in
            + ")),"
            + " (SELECT COUNT(*) FROM payments WHERE paid_cents > 0 AND outcome = 'CONFIRMED' AND booking_id IN ("
            + in
            + "))";
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try (Connection c = database.queryPool().getConnection();
          PreparedStatement st = c.prepareStatement(sql)) {
        for (int i = 0; i < bookingIds.size(); i++) {
          st.setString(i + 1, bookingIds.get(i));
          st.setString(bookingIds.size() + i + 1, bookingIds.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == bookingIds.size() && rs.getInt(2) == bookingIds.size()) return;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read the read tables: " + e.getMessage(), e);
      }
      if (Instant.now().isAfter(deadline))
        throw new IllegalStateException(
            "the read tables did not show the demo bookings within " + timeout.toSeconds() + " s");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
  }

  private static boolean nodeAnswers(int port) {
    try {
      HttpResponse<Void> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() > 0;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A small client for the node's own API; any answer but a 2xx is a failure that names the call.
   */
  private record Api(String base) {
    private static final HttpClient CLIENT =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    JsonNode call(String method, String path, String token, String json, String... headers) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token)
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) request.header("Content-Type", "application/json");
      for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
      try {
        HttpResponse<String> response =
            CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2)
          throw new IllegalStateException(
              method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        return Json.MAPPER.readTree(response.body());
      } catch (IOException e) {
        throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
