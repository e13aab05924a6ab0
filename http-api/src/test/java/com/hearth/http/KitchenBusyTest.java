package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.http.TestNode.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 429 {@code KITCHEN_BUSY} over HTTP: with {@code hearth.kitchen.max-waiting-holds = 2}, holds for
 * one kitchen that arrive while its group is being written wait, two at most; the rest are turned
 * away at once with Retry-After, and nothing of theirs is written. The group is kept in flight by a
 * lock on the journal (appends wait, reads go on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KitchenBusyTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final int MAX_WAITING = 2;

  /** Holds sent while the first one's write waits on the lock. */
  private static final int BEHIND = 5;

  private TestDatabase db;
  private TestNode node;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.kitchen.max-waiting-holds", MAX_WAITING, "hearth.http.ask-timeout", "20s"));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void holdsBeyondTheWaitingLimitAreTurnedAwayAsBusyAndNotWritten() throws Exception {
    String host = node.token("host-1", "host");
    String renter = node.token("renter-1", "renter");
    String kitchenId =
        node.publishedKitchen(
            host,
            "{\"name\":\"Busy kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000}");
    String holds = "/v1/kitchens/" + kitchenId + "/bookings";
    LocalDate first = LocalDate.now(NEW_YORK).plusDays(5);

    CompletableFuture<Reply> inFlight;
    List<CompletableFuture<Reply>> behind = new ArrayList<>();
    List<Reply> busy = new ArrayList<>();
    try (Connection lock = db.connect();
        Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("LOCK TABLE event_journal IN EXCLUSIVE MODE");
      inFlight = CompletableFuture.supplyAsync(() -> node.post(holds, renter, slot(first)));
      await().atMost(Duration.ofSeconds(10)).until(() -> waitingAppends(s) > 0);
      for (int i = 1; i <= BEHIND; i++) {
        String body = slot(first.plusDays(i));
        behind.add(CompletableFuture.supplyAsync(() -> node.post(holds, renter, body)));
      }
      // The holds beyond the two waiting are answered while the journal is still locked.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  behind.stream().filter(CompletableFuture::isDone).count()
                      == BEHIND - MAX_WAITING);
      for (CompletableFuture<Reply> f : behind) if (f.isDone()) busy.add(f.get());
      lock.commit();
    }

    for (Reply r : busy) {
      assertThat(r.status()).as(r.body().toString()).isEqualTo(429);
      assertThat(r.code()).isEqualTo("KITCHEN_BUSY");
      assertThat(r.header("Retry-After")).isEqualTo("1");
    }
    assertThat(inFlight.get().status()).as(inFlight.get().body().toString()).isEqualTo(201);
    List<Reply> answered = new ArrayList<>();
    for (CompletableFuture<Reply> f : behind) answered.add(f.get());
    assertThat(answered)
        .filteredOn(r -> r.status() == 201)
        .as("the two that waited are held")
        .hasSize(MAX_WAITING);
    assertThat(answered).filteredOn(r -> r.status() == 429).hasSize(BEHIND - MAX_WAITING);
    assertThat(db.eventCount("SlotHeld"))
        .as("only the held ones are written")
        .isEqualTo(1 + MAX_WAITING);
  }

  private static String slot(LocalDate day) {
    Instant start = day.atTime(10, 0).atZone(NEW_YORK).toInstant();
    return "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}";
  }

  private static long waitingAppends(Statement s) throws Exception {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT count(*) FROM pg_locks WHERE relation = 'event_journal'::regclass AND NOT granted")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
