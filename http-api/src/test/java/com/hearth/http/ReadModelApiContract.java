package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.engine.EventSourcing;
import com.hearth.http.TestNode.Reply;
import com.hearth.projections.ReadModelChecksum;
import com.hearth.projections.ReadModels;
import com.hearth.testing.TestDates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The read models from HTTP to rows and back: a mixed workload goes in through the API; the read
 * tables, the list endpoints, the projection health and a rebuild are checked against what the API
 * acknowledged. Run once per database backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReadModelApiContract {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Duration CATCH_UP = Duration.ofSeconds(30);

  TestDatabase db;
  TestNode node;
  String host;
  String otherHost;
  String renter;
  String otherRenter;
  String admin;
  String operator;
  String kitchenId;
  String draftId;

  /**
   * The node's day in New York when the class started: the helpers count days from it, not from the
   * real date.
   */
  LocalDate today;

  /** Every booking the API acknowledged, by id, as it last answered. */
  final Map<String, JsonNode> acknowledged = new HashMap<>();

  abstract TestDatabase.Backend backend();

  @BeforeAll
  void startNodeAndRunAWorkload() {
    db = TestDatabase.create(backend());
    node = TestNode.start(db, Map.of());
    today = TestDates.today(node.clock(), NEW_YORK);
    host = node.contactToken("host-1", "Hana Host", "hana@example.com", "host");
    otherHost = node.token("host-2", "host");
    renter = node.token("renter-1", "renter");
    otherRenter = node.token("renter-2", "renter");
    admin = node.token("admin-1", "admin");
    operator = node.token("ops-1", "operator");

    kitchenId = kitchen(host, "Springfield", true);
    draftId = kitchen(host, "Springfield", false);
    kitchen(otherHost, "Shelbyville", true);

    // Renter 1: six holds on consecutive days; renter 2: three. Then confirm, cancel and leave
    // some.
    List<String> mine = new ArrayList<>();
    for (int day = 2; day < 8; day++) mine.add(hold(renter, at(day, 9), at(day, 11)));
    List<String> theirs = new ArrayList<>();
    for (int day = 2; day < 5; day++) theirs.add(hold(otherRenter, at(day, 13), at(day, 15)));
    for (String id : List.of(mine.get(0), mine.get(1), mine.get(2), theirs.get(0)))
      record(node.post("/v1/bookings/" + id + "/confirm", admin, null), 200);
    record(
        node.post(
            "/v1/bookings/" + mine.get(1) + "/cancel", renter, "{\"reason\":\"plans changed\"}"),
        200);
    record(node.post("/v1/bookings/" + mine.get(3) + "/cancel", renter, null), 200);
    record(
        node.post("/v1/bookings/" + theirs.get(0) + "/cancel", host, "{\"reason\":\"oven broke\"}"),
        200);
    awaitCaughtUp();
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ------------------------------------------------------------------ the rows

  @Test
  void everyAcknowledgedBookingIsInTheTableOnceWithItsAmountsAndStatus() throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT booking_id, status, renter_id, total_cents, platform_fee_cents, tax_cents, host_payout_cents, refund_cents,"
                    + " refund_host_share_cents + refund_platform_share_cents + refund_tax_share_cents AS refund_parts"
                    + " FROM bookings")) {
      Map<String, List<Object>> rows = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          rows.put(
              rs.getString(1),
              List.of(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getLong(8),
                  rs.getLong(9)));
      }
      assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
      acknowledged.forEach(
          (id, b) ->
              assertThat(rows.get(id))
                  .as(id)
                  .containsExactly(
                      b.get("status").asText(),
                      b.get("renter_id").asText(),
                      b.at("/price/total_cents").asLong(),
                      b.at("/price/platform_fee_cents").asLong(),
                      b.at("/price/tax_cents").asLong(),
                      b.at("/price/host_payout_cents").asLong(),
                      b.get("refund_cents").asLong(),
                      b.get("refund_cents").asLong()));
    }
  }

  @Test
  void dailyAggregatesAddUpToTheRows() throws SQLException {
    String mismatches =
        """
        SELECT s.kitchen_id, s.local_date FROM kitchen_daily_stats s
        LEFT JOIN (
          SELECT kitchen_id, local_date, COUNT(*) AS holds,
                 SUM(CASE WHEN confirmed_at IS NOT NULL THEN 1 ELSE 0 END) AS confirmed,
                 SUM(CASE WHEN status = 'CANCELLED' THEN 1 ELSE 0 END) AS cancelled,
                 SUM(CASE WHEN confirmed_at IS NOT NULL THEN total_cents ELSE 0 END) AS gross,
                 SUM(refund_cents) AS refunds,
                 SUM(CASE WHEN confirmed_at IS NOT NULL THEN host_payout_cents - refund_host_share_cents ELSE 0 END) AS host_net
          FROM bookings GROUP BY kitchen_id, local_date) b
        ON b.kitchen_id = s.kitchen_id AND b.local_date = s.local_date
        WHERE b.holds IS NULL OR b.holds <> s.holds_placed OR b.confirmed <> s.bookings_confirmed
           OR b.cancelled <> s.bookings_cancelled OR b.gross <> s.gross_cents OR b.refunds <> s.refunds_cents
           OR b.host_net <> s.host_net_cents
           OR s.gross_cents - s.refunds_cents <> s.tax_cents + s.platform_fee_cents + s.host_net_cents""";
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(mismatches);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).as("a daily row that does not add up").isFalse();
    }
    assertThat(count("SELECT COUNT(*) FROM kitchen_daily_stats WHERE kitchen_id = ?", kitchenId))
        .isEqualTo(6);
    assertThat(count("SELECT SUM(holds_placed) FROM kitchen_daily_stats"))
        .isEqualTo(acknowledged.size());
    // Two of renter 1's confirmed bookings remain: 2 x 120 booked minutes.
    assertThat(
            count(
                "SELECT SUM(booked_minutes) FROM kitchen_daily_stats WHERE kitchen_id = ?",
                kitchenId))
        .isEqualTo(240);
  }

  @Test
  void aKitchenKeepsTheContactClaimsOfTheTokenThatCreatedIt() {
    assertThat(
            count(
                "SELECT COUNT(*) FROM kitchens WHERE kitchen_id = ? AND host_name = 'Hana Host'"
                    + " AND host_email = 'hana@example.com'",
                kitchenId))
        .isEqualTo(1);
    assertThat(
            count("SELECT COUNT(*) FROM kitchens WHERE host_id = 'host-2' AND host_name IS NULL"))
        .isEqualTo(1);
  }

  @Test
  void theAuditTrailHoldsOneRowPerJournalEventWithWhoDidIt() {
    assertThat(count("SELECT COUNT(*) FROM booking_events")).isEqualTo(kitchenEvents());
    assertThat(
            count(
                "SELECT COUNT(*) FROM booking_events WHERE event_type = 'BookingCancelled' AND principal = 'host-1'"
                    + " AND principal_role = 'HOST'"))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT COUNT(*) FROM booking_events WHERE event_type = 'BookingConfirmed' AND principal = 'admin-1'"
                    + " AND principal_role = 'ADMIN'"))
        .isEqualTo(4);
  }

  // ------------------------------------------------------------------ the list endpoints

  @Test
  void aRenterPagesThroughOnlyTheirOwnBookingsInStartOrder() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply page =
          node.get("/v1/me/bookings?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), renter);
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      page.body().get("items").forEach(b -> seen.add(b.get("booking_id").asText()));
      assertThat(page.body().at("/freshness/consistent_as_of").isTextual()).isTrue();
      cursor = page.body().path("next_cursor").asText(null);
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(2);
    List<String> expected =
        acknowledged.values().stream()
            .filter(b -> b.get("renter_id").asText().equals("renter-1"))
            .sorted((a, b) -> a.get("start").asText().compareTo(b.get("start").asText()))
            .map(b -> b.get("booking_id").asText())
            .toList();
    assertThat(seen).hasSize(6).containsExactlyElementsOf(expected);
  }

  @Test
  void aRenterFiltersTheirBookingsByStatusAndStartAndAHostHasNone() {
    Reply held = node.get("/v1/me/bookings?status=held,confirmed", renter);
    assertThat(held.body().get("items"))
        .extracting(b -> b.get("status").asText())
        .containsOnly("HELD", "CONFIRMED")
        .hasSize(4);
    Reply window = node.get("/v1/me/bookings?from=" + at(3, 0) + "&to=" + at(5, 0), renter);
    assertThat(window.body().get("items")).hasSize(2);
    assertThat(node.get("/v1/me/bookings", host).body().get("items")).isEmpty();
  }

  @Test
  void aKitchensBookingsAreForItsHostAndAdminsOnly() {
    Reply forHost = node.get("/v1/kitchens/" + kitchenId + "/bookings?limit=200", host);
    assertThat(forHost.status()).isEqualTo(200);
    assertThat(forHost.body().get("items")).hasSize(acknowledged.size());
    assertThat(
            node.get("/v1/kitchens/" + kitchenId + "/bookings?status=CANCELLED", admin)
                .body()
                .get("items"))
        .hasSize(3);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/bookings", otherHost).status())
        .isEqualTo(403);
    assertThat(node.get("/v1/kitchens/" + kitchenId + "/bookings", renter).status()).isEqualTo(403);
    assertThat(node.get("/v1/kitchens/" + draftId + "/bookings", otherHost).status())
        .as("a draft stays hidden")
        .isEqualTo(404);
    assertThat(
            node.get("/v1/kitchens/00000000-0000-0000-0000-000000000000/bookings", admin).status())
        .isEqualTo(404);
  }

  @Test
  void aHostPagesThroughItsOwnKitchensDraftsIncludedAndNobodyElses() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Reply page =
          node.get(
              "/v1/hosts/me/kitchens?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), host);
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      page.body().get("items").forEach(k -> seen.add(k.get("kitchen_id").asText()));
      page.body()
          .get("items")
          .forEach(k -> assertThat(k.get("host_id").asText()).isEqualTo("host-1"));
      assertThat(page.body().at("/freshness/consistent_as_of").isTextual()).isTrue();
      cursor = page.body().path("next_cursor").asText(null);
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(2);
    // Oldest first: the published kitchen was created before the draft.
    assertThat(seen).containsExactly(kitchenId, draftId);
    Reply drafts = node.get("/v1/hosts/me/kitchens?status=draft", host);
    assertThat(drafts.body().get("items"))
        .extracting(k -> k.get("status").asText() + " " + k.get("kitchen_id").asText())
        .containsExactly("DRAFT " + draftId);
    assertThat(drafts.body().at("/items/0/name").asText()).isEqualTo("Kitchen in Springfield");
    // The other host sees its own kitchen only, not host-1's draft.
    assertThat(node.get("/v1/hosts/me/kitchens", otherHost).body().get("items"))
        .extracting(k -> k.get("host_id").asText() + " " + k.get("city").asText())
        .containsExactly("host-2 Shelbyville");
    // A host with no kitchen gets an empty page; renters, admins and operators a 403.
    assertThat(node.get("/v1/hosts/me/kitchens", node.token("host-9", "host")).body().get("items"))
        .isEmpty();
    for (String notAHost : List.of(renter, admin, operator)) {
      Reply refused = node.get("/v1/hosts/me/kitchens", notAHost);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.code()).isEqualTo("FORBIDDEN");
    }
    Reply badStatus = node.get("/v1/hosts/me/kitchens?status=OPEN", host);
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.body().at("/errors/0/field").asText()).isEqualTo("status");
    // Another list's cursor is not this one's.
    String otherCursor = node.get("/v1/kitchens?limit=1", admin).body().get("next_cursor").asText();
    Reply badCursor = node.get("/v1/hosts/me/kitchens?cursor=" + otherCursor, host);
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.body().at("/errors/0/field").asText()).isEqualTo("cursor");
  }

  @Test
  void publishedKitchensAreListedForAnyoneAndEveryKitchenForAdmins() {
    Reply springfield = node.get("/v1/kitchens?city=springfield", renter);
    assertThat(springfield.status()).isEqualTo(200);
    assertThat(springfield.body().get("items"))
        .extracting(k -> k.get("kitchen_id").asText())
        .containsExactly(kitchenId);
    assertThat(node.get("/v1/kitchens", renter).body().get("items")).hasSize(2);
    assertThat(node.get("/v1/kitchens?status=DRAFT", admin).body().get("items"))
        .extracting(k -> k.get("kitchen_id").asText())
        .containsExactly(draftId);
    assertThat(node.get("/v1/kitchens", admin).body().get("items")).hasSize(3);
    Reply forbidden = node.get("/v1/kitchens?status=DRAFT", renter);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("FORBIDDEN");
  }

  @Test
  void badListParametersAreClearProblemsAndNeverServerErrors() {
    for (String query :
        List.of(
            "limit=0",
            "limit=201",
            "limit=ten",
            "status=LOST",
            "cursor=not-a-cursor",
            "cursor=" + java.util.Base64.getUrlEncoder().encodeToString("k|x|y".getBytes()),
            "from=yesterday",
            "from=" + at(5, 0) + "&to=" + at(4, 0))) {
      Reply r = node.get("/v1/me/bookings?" + query, renter);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.code()).as(query).isEqualTo("VALIDATION_FAILED");
      assertThat(r.raw().headers().firstValue("Content-Type"))
          .as(query)
          .hasValue("application/problem+json");
    }
    assertThat(node.get("/v1/me/bookings", null).status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------ operations

  @Test
  void projectionHealthShowsEveryInstanceRunningWithItsLag() {
    // A test before this one may have paused and resumed a projection (a rebuild does): it runs
    // again shortly after, not at the instant the resume returns.
    Reply health =
        await()
            .atMost(CATCH_UP)
            .until(
                () -> node.get("/health/projections", node.token("op-1", "operator")),
                r ->
                    r.status() == 200
                        && r.body().get("projections").findValuesAsText("state").stream()
                            .allMatch("RUNNING"::equals));
    assertThat(health.status()).as(health.body().toString()).isEqualTo(200);
    assertThat(health.body().get("status").asText()).isEqualTo("UP");
    assertThat(health.body().at("/freshness/pending_events").asLong()).isZero();
    JsonNode projections = health.body().get("projections");
    // Four instances project the kitchens' tags, four the payments', one the onboarding events.
    assertThat(projections.size())
        .isEqualTo(EventSourcing.KITCHEN_TAGS.count() + EventSourcing.PAYMENT_TAGS.count() + 1);
    assertThat(projections.findValuesAsText("state")).containsOnly("RUNNING");
    long projected = 0;
    for (JsonNode p : projections) projected += p.get("events_projected").asLong();
    assertThat(projected)
        .as("at least every kitchen event once (more after a rebuild)")
        .isGreaterThanOrEqualTo(kitchenEvents());
    assertThat(projections.findValues("last_lag_ms"))
        .isNotEmpty()
        .allSatisfy(lag -> assertThat(lag.asLong()).isNotNegative());
  }

  @Test
  void onlyOperatorsAndAdminsMayRebuild() {
    Reply refused = node.post("/v1/admin/read-models/rebuild", renter, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("FORBIDDEN");
  }

  @Test
  void aRebuildEmptiesTheTablesAndReplaysTheJournalIntoThemExactly() throws SQLException {
    Map<String, String> before = checksum();
    assertThat(before.get("bookings")).startsWith(acknowledged.size() + ":");
    plantRowsOnlyAnEmptyingRebuildRepairs();
    assertThat(checksum()).as("the planted damage shows").isNotEqualTo(before);

    Reply rebuild = node.post("/v1/admin/read-models/rebuild", operator, null);
    assertThat(rebuild.status()).as(rebuild.body().toString()).isEqualTo(202);
    assertThat(rebuild.body().get("status").asText()).isEqualTo("REBUILDING");
    awaitCaughtUp();
    await().atMost(CATCH_UP).untilAsserted(() -> assertThat(checksum()).isEqualTo(before));
  }

  @Test
  void aProjectionLeftPausedByAnUnfinishedRebuildShowsInHealthAndARebuildResumesIt()
      throws SQLException {
    Map<String, String> before = checksum();
    ProjectionManagement.get(node.system())
        .pause(ReadModels.projectionId(2))
        .toCompletableFuture()
        .join();
    Reply down = node.get("/health/projections", node.token("op-1", "operator"));
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body().get("paused")).extracting(JsonNode::asText).containsExactly("kitchen-2");
    plantRowsOnlyAnEmptyingRebuildRepairs();

    assertThat(node.post("/v1/admin/read-models/rebuild", admin, null).status()).isEqualTo(202);
    awaitCaughtUp();
    await()
        .atMost(CATCH_UP)
        .untilAsserted(
            () ->
                assertThat(node.get("/health/projections", node.token("op-1", "operator")).status())
                    .isEqualTo(200));
    await().atMost(CATCH_UP).untilAsserted(() -> assertThat(checksum()).isEqualTo(before));
  }

  /**
   * Damage no event will touch again: a kitchen's name changed behind the projection's back and a
   * row of the audit trail deleted. A rebuild that did not empty the tables keeps the wrong name;
   * one that emptied them without replaying the journal (offsets kept) loses every row.
   */
  void plantRowsOnlyAnEmptyingRebuildRepairs() throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement rename =
            c.prepareStatement(
                "UPDATE kitchens SET name = 'planted by the test' WHERE kitchen_id = ?");
        PreparedStatement forget =
            c.prepareStatement("DELETE FROM booking_events WHERE kitchen_id = ? AND seq_nr = 1")) {
      rename.setString(1, kitchenId);
      assertThat(rename.executeUpdate()).isEqualTo(1);
      forget.setString(1, kitchenId);
      assertThat(forget.executeUpdate()).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ platform stats

  /**
   * GET /v1/admin/stats over days 1 to 8 of the workload, checked against the bookings the API
   * acknowledged (not against the table it reads). The workload: renter 1 holds 9:00-11:00 on days
   * 2 to 7, renter 2 13:00-15:00 on days 2 to 4, all at the Springfield kitchen (open around the
   * clock, the default); renter 1's days 2, 3, 4 and renter 2's day 2 are confirmed, then renter
   * 1's day 3 (confirmed) and day 5 (held) and renter 2's day 2 (confirmed, by the host) are
   * cancelled. So over the period: 9 holds, 4 confirmed, 3 cancelled, 240 booked minutes (days 2
   * and 4, 120 each).
   */
  @Test
  void platformStatsSumEachDaysBookingsForAdminsAndOperators() {
    LocalDate from = today.plusDays(1);
    LocalDate to = today.plusDays(9);
    String path = "/v1/admin/stats?from=" + from + "&to=" + to;
    Reply r = node.get(path, operator);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(node.get(path, admin).body().get("days")).isEqualTo(r.body().get("days"));
    JsonNode days = r.body().get("days");
    assertThat(days).hasSize(8);
    for (int i = 0; i < 8; i++) {
      LocalDate day = from.plusDays(i);
      JsonNode d = days.get(i);
      assertThat(d.get("date").asText()).isEqualTo(day.toString());
      List<JsonNode> starting =
          acknowledged.values().stream()
              .filter(
                  b ->
                      Instant.parse(b.get("start").asText())
                          .atZone(NEW_YORK)
                          .toLocalDate()
                          .equals(day))
              .toList();
      List<JsonNode> confirmed =
          starting.stream().filter(b -> b.hasNonNull("confirmed_at")).toList();
      long booked =
          starting.stream()
              .filter(b -> b.get("status").asText().equals("CONFIRMED"))
              .mapToLong(
                  b ->
                      Duration.between(
                              Instant.parse(b.get("start").asText()),
                              Instant.parse(b.get("end").asText()))
                          .toMinutes())
              .sum();
      long gross = confirmed.stream().mapToLong(b -> b.at("/price/total_cents").asLong()).sum();
      long refunds = confirmed.stream().mapToLong(b -> b.get("refund_cents").asLong()).sum();
      long dayMinutes =
          Duration.between(day.atStartOfDay(NEW_YORK), day.plusDays(1).atStartOfDay(NEW_YORK))
              .toMinutes();
      assertThat(d.get("holds_placed").asLong()).as(day + " holds").isEqualTo(starting.size());
      assertThat(d.get("bookings_confirmed").asLong())
          .as(day + " confirmed")
          .isEqualTo(confirmed.size());
      assertThat(d.get("bookings_cancelled").asLong())
          .as(day + " cancelled")
          .isEqualTo(
              starting.stream().filter(b -> b.get("status").asText().equals("CANCELLED")).count());
      assertThat(d.get("holds_expired").asLong()).isZero();
      assertThat(d.get("booked_minutes").asLong()).as(day + " booked").isEqualTo(booked);
      assertThat(d.get("open_minutes").asLong())
          .as(day + " open: the one kitchen's whole day when it has a booking")
          .isEqualTo(starting.isEmpty() ? 0 : dayMinutes);
      if (starting.isEmpty()) assertThat(d.has("occupancy")).isFalse();
      else
        assertThat(d.get("occupancy").decimalValue())
            .isEqualByComparingTo(
                java.math.BigDecimal.valueOf(booked)
                    .divide(
                        java.math.BigDecimal.valueOf(dayMinutes),
                        4,
                        java.math.RoundingMode.HALF_UP));
      // The kitchens' currencies that day (the read table's rows), confirmed bookings or not.
      if (starting.isEmpty()) assertThat(d.get("revenue")).isEmpty();
      else
        assertThat(d.get("revenue"))
            .singleElement()
            .satisfies(
                m -> {
                  assertThat(m.get("currency").asText()).isEqualTo("USD");
                  assertThat(m.get("gross_cents").asLong()).as(day + " gross").isEqualTo(gross);
                  assertThat(m.get("refunds_cents").asLong())
                      .as(day + " refunds")
                      .isEqualTo(refunds);
                  assertThat(m.get("net_cents").asLong()).isEqualTo(gross - refunds);
                });
    }
    JsonNode totals = r.body().get("totals");
    assertThat(totals.has("date")).isFalse();
    assertThat(totals.get("holds_placed").asLong()).isEqualTo(9);
    assertThat(totals.get("bookings_confirmed").asLong()).isEqualTo(4);
    assertThat(totals.get("bookings_cancelled").asLong()).isEqualTo(3);
    assertThat(totals.get("booked_minutes").asLong()).isEqualTo(240);
    // 2 h at $40 plus 8.25 % tax is $86.60 a booking: four were confirmed, and the host's
    // cancellation of renter 2's refunded all of it; renter 1's, 6 days ahead, all but 5 %.
    long each = acknowledged.values().iterator().next().at("/price/total_cents").asLong();
    assertThat(totals.get("revenue").get(0).get("gross_cents").asLong()).isEqualTo(4 * each);
    assertThat(totals.get("revenue").get(0).get("refunds_cents").asLong())
        .isEqualTo(each + (each - (each * 5 + 50) / 100));
    assertThat(r.body().at("/freshness/pending_events").asLong()).isZero();
  }

  @Test
  void platformStatsRefuseBadPeriodsNamingTheField() {
    for (String[] bad :
        List.of(
            new String[] {"", "from"},
            new String[] {"?from=2026-11-01", "to"},
            new String[] {"?from=2026-13-01&to=2026-12-01", "from"},
            new String[] {"?from=2026-11-01&to=2026-11-01", "to"},
            new String[] {"?from=2026-01-01&to=2026-04-04", "to"})) {
      Reply r = node.get("/v1/admin/stats" + bad[0], admin);
      assertThat(r.status()).as(bad[0]).isEqualTo(400);
      assertThat(r.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(r.body().at("/errors/0/field").asText()).as(bad[0]).isEqualTo(bad[1]);
    }
    assertThat(node.get("/v1/admin/stats?from=2026-01-01&to=2026-04-03", admin).status())
        .as("92 days")
        .isEqualTo(200);
    assertThat(node.get("/v1/admin/stats?from=2026-01-01&to=2026-01-02", host).status())
        .isEqualTo(403);
  }

  // ------------------------------------------------------------------ helpers

  String kitchen(String token, String city, boolean publish) {
    Reply r =
        node.post(
            "/v1/kitchens",
            token,
            "{\"name\":\"Kitchen in "
                + city
                + "\",\"city\":\""
                + city
                + "\","
                + "\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    String id = r.body().get("kitchen_id").asText();
    if (publish)
      assertThat(node.post("/v1/kitchens/" + id + "/publish", token, null).status()).isEqualTo(200);
    return id;
  }

  String hold(String token, Instant start, Instant end) {
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            token,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    return record(r, 201);
  }

  String record(Reply r, int status) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    acknowledged.put(r.body().get("booking_id").asText(), r.body());
    return r.body().get("booking_id").asText();
  }

  Instant at(int days, int hour) {
    return TestDates.at(today.plusDays(days), hour, 0, NEW_YORK);
  }

  void awaitCaughtUp() {
    await()
        .atMost(CATCH_UP)
        .untilAsserted(
            () -> {
              Reply r = node.get("/v1/me/bookings?limit=1", renter);
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body().at("/freshness/pending_events").asLong()).isZero();
            });
  }

  /** The journal also holds sharding's remembered entities; these are the kitchens' own events. */
  long kitchenEvents() {
    return count("SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'Kitchen|%'");
  }

  Map<String, String> checksum() throws SQLException {
    try (Connection c = db.connect()) {
      return ReadModelChecksum.of(c);
    }
  }

  long count(String sql, Object... args) {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
