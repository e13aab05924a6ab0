package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A caller with a valid token names made-up but well-formed kitchen, booking, payment and document
 * ids on every route that takes one: each is a 404, and none starts a sharded entity (no
 * remember-entities record in the journal, no entity in memory). A kitchen created on one node is
 * found at once on the other, so the check has no race with creation. Two nodes on PostgreSQL.
 */
class MadeUpIdsTest {

  private static final int MADE_UP = 60;

  private static TestDatabase db;
  private static TestNode a;
  private static TestNode b;
  private static String host;
  private static String renter;
  private static String admin;

  @BeforeAll
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    a = TestNode.start(db, Map.of());
    String seed = Cluster.get(Adapter.toClassic(a.system())).selfAddress().toString();
    b = TestNode.start(db, Map.of("hearth.cluster.seed-nodes", List.of(seed)));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Cluster.get(Adapter.toClassic(a.system())).state().members().size() == 2);
    host = a.token("u-host", "host");
    renter = a.token("u-renter", "renter");
    admin = a.token("u-admin", "admin");
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) b.close();
    if (a != null) a.close();
    if (db != null) db.close();
  }

  @Test
  void madeUpIdsAre404AndStartNoEntity() throws Exception {
    // A real kitchen with a real booking, so made-up bookings of a real kitchen are tried too.
    String kitchen = a.publishedKitchen(host, kitchenJson());
    Instant start =
        TestDates.today(a.clock(), ZoneOffset.UTC)
            .plusDays(3)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC)
            .plus(Duration.ofHours(10));
    Reply held =
        a.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}");
    assertThat(held.status()).isEqualTo(201);

    long journalBefore = journalRows();
    long kitchensBefore = inMemory("kitchens");
    long paymentsBefore = inMemory("payments");

    String hold =
        "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}";
    for (int i = 0; i < MADE_UP; i++) {
      TestNode node = i % 2 == 0 ? a : b;
      String k = UUID.randomUUID().toString();
      String bookingOfMadeUpKitchen = "bk_" + k.replace("-", "") + hex(8);
      String bookingOfRealKitchen = "bk_" + kitchen.replace("-", "") + hex(8);
      String document = "doc_" + k.replace("-", "") + hex(8);
      for (Reply r :
          List.of(
              node.get("/v1/kitchens/" + k, renter),
              node.send("PATCH", "/v1/kitchens/" + k, host, "{\"name\":\"x\"}"),
              node.post("/v1/kitchens/" + k + "/publish", host, null),
              node.post("/v1/kitchens/" + k + "/pause", host, null),
              node.get(
                  "/v1/kitchens/"
                      + k
                      + "/availability?from="
                      + start
                      + "&to="
                      + start.plus(Duration.ofHours(2)),
                  renter),
              node.get("/v1/kitchens/" + k + "/bookings", host),
              node.post("/v1/kitchens/" + k + "/bookings", renter, hold),
              node.get("/v1/kitchens/" + k + "/documents", host),
              node.get("/v1/kitchens/" + k + "/compliance", host),
              node.send("DELETE", "/v1/kitchens/" + k + "/documents/" + document, host, null),
              node.get("/v1/bookings/" + bookingOfMadeUpKitchen, renter),
              node.post("/v1/bookings/" + bookingOfMadeUpKitchen + "/cancel", renter, null),
              node.post("/v1/bookings/" + bookingOfMadeUpKitchen + "/payment", renter, null),
              node.get("/v1/bookings/" + bookingOfRealKitchen, renter),
              node.get("/v1/bookings/" + bookingOfRealKitchen + "/payment", renter),
              node.post("/v1/bookings/" + bookingOfRealKitchen + "/payment", renter, null),
              node.post(
                  "/v1/bookings/" + bookingOfRealKitchen + "/payment/simulate",
                  renter,
                  "{\"outcome\":\"succeeded\"}"),
              node.post(
                  "/v1/bookings/" + bookingOfRealKitchen + "/refunds",
                  host,
                  "{\"amount_cents\":100}"),
              node.post("/v1/admin/compliance/documents/" + document + "/approve", admin, "{}"))) {
        assertThat(r.status()).as("%s %s", r.raw().request().uri(), r.body()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NOT_FOUND");
      }
    }
    assertThat(journalRows())
        .as("journal rows (remember-entities records)")
        .isEqualTo(journalBefore);
    assertThat(inMemory("kitchens")).as("kitchen entities in memory").isEqualTo(kitchensBefore);
    assertThat(inMemory("payments")).as("payment entities in memory").isEqualTo(paymentsBefore);
  }

  @Test
  void aKitchenCreatedOnOneNodeIsFoundAtOnceOnTheOther() {
    for (int i = 0; i < 5; i++) {
      TestNode creator = i % 2 == 0 ? a : b;
      TestNode other = i % 2 == 0 ? b : a;
      Reply created = creator.post("/v1/kitchens", host, kitchenJson());
      assertThat(created.status()).isEqualTo(201);
      String id = created.body().get("kitchen_id").asText();
      Reply seen = other.get("/v1/kitchens/" + id, host);
      assertThat(seen.status()).as(seen.body().toString()).isEqualTo(200);
      assertThat(other.send("PATCH", "/v1/kitchens/" + id, host, "{\"name\":\"Renamed\"}").status())
          .isEqualTo(200);
      assertThat(creator.get("/v1/kitchens/" + id + "/documents", host).status()).isEqualTo(200);
    }
  }

  private static String kitchenJson() {
    StringBuilder hours = new StringBuilder();
    for (String d : List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
      hours
          .append(hours.length() == 0 ? "" : ",")
          .append("\"")
          .append(d)
          .append("\":[{\"open\":\"06:00\",\"close\":\"23:00\"}]");
    return "{\"name\":\"U\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500,\"opening_hours\":{"
        + hours
        + "}}";
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Every row of the journal: entities' events and sharding's remembered-entity records. */
  private static long journalRows() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Entities of a type in memory across the cluster, as the admin view counts them. */
  private static long inMemory(String type) {
    Reply r = a.get("/v1/admin/cluster", admin);
    assertThat(r.status()).isEqualTo(200);
    long n = 0;
    for (var node : r.body().path(type).path("nodes")) n += node.path("in_memory").asLong();
    return n;
  }
}
