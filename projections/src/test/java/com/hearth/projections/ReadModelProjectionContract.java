package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.OpeningHours;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read-model projection run by the projection test kit over a scripted journal, into a real
 * database: what lands in each table, and that replaying or redelivering changes nothing.
 */
abstract class ReadModelProjectionContract {

  static final String K1 = "11111111-1111-1111-1111-111111111111";
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(20);

  private static final Map<SqlDialect, ActorTestKit> KITS = new LinkedHashMap<>();

  ReadModelDatabase db;
  ActorTestKit testKit;
  ProjectionTestKit projections;
  int runs;

  abstract SqlDialect dialect();

  @BeforeEach
  void setUp() {
    testKit = KITS.computeIfAbsent(dialect(), d -> ActorTestKit.create("rm-" + d.name().toLowerCase(),
        ConfigFactory.parseString("pekko.projection.jdbc.dialect = " + d.projectionDialect()
            + "\npekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size = 4")
            .withFallback(ConfigFactory.load())));
    projections = ProjectionTestKit.create(testKit.system());
    db = ReadModelDatabase.create(dialect());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @AfterAll
  static void stopKits() {
    KITS.values().forEach(ActorTestKit::shutdownTestKit);
    KITS.clear();
  }

  /** The scenario: a New York kitchen; one booking over the night DST starts; three on March 10th. */
  static Journal scenario() {
    Instant evening = Instant.parse("2026-03-08T04:00:00Z"); // 23:00 on March 7th in New York
    Instant day10 = Instant.parse("2026-03-10T14:00:00Z");
    return new Journal()
        .kitchen(K1, "host-1", Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK), T0)
        .hold(K1, bk(1), "renter-1", evening, Duration.ofHours(3), T0.plusSeconds(60))
        .confirm(K1, bk(1), T0.plusSeconds(120))
        .hold(K1, bk(2), "renter-2", day10, Duration.ofHours(2), T0.plusSeconds(180))
        .hold(K1, bk(3), "renter-1", day10.plus(Duration.ofHours(3)), Duration.ofHours(1), T0.plusSeconds(190))
        .hold(K1, bk(4), "renter-3", day10.plus(Duration.ofHours(5)), Duration.ofHours(1), T0.plusSeconds(200))
        .confirm(K1, bk(2), T0.plusSeconds(240))
        .expire(K1, bk(3), T0.plusSeconds(790))
        .cancel(K1, bk(4), Role.RENTER, 0, T0.plusSeconds(800))
        .cancel(K1, bk(2), Role.RENTER, 8227, T0.plusSeconds(900))
        .complete(K1, bk(1), evening.plus(Duration.ofHours(3)));
  }

  static String bk(int n) {
    return "bk_" + K1.replace("-", "") + String.format("%016x", n);
  }

  /** The scripted events as a projection's source, in order, offsets taken from the envelopes. */
  static TestSourceProvider<Offset, EventEnvelope<KitchenEntity.Event>> source(List<EventEnvelope<KitchenEntity.Event>> envelopes) {
    return TestSourceProvider.create(
        Source.from(envelopes).mapMaterializedValue(m -> NotUsed.getInstance()), EventEnvelope::offset);
  }

  void project(String projectionKey, List<EventEnvelope<KitchenEntity.Event>> envelopes) {
    runs++;
    var projection = ReadModels.projection(testKit.system(), ProjectionId.of("test-" + runs, projectionKey), source(envelopes),
        db.dataSource(), dialect(), new ProjectionStats(Clock.systemUTC()));
    long lastSeqNr = envelopes.get(envelopes.size() - 1).sequenceNr();
    projections.run(projection, WAIT, () -> assertThat(db.count(
        "SELECT COUNT(*) FROM pekko_projection_offset_store WHERE projection_name = ? AND current_offset = ?",
        "test-" + runs, String.valueOf(((org.apache.pekko.persistence.query.Sequence) envelopes.get(envelopes.size() - 1).offset()).value())))
        .as("offset of event %d committed", lastSeqNr).isEqualTo(1));
  }

  @Test
  void everyTableIsWrittenFromTheJournal() throws SQLException {
    Journal journal = scenario();
    project("kitchen-0", journal.envelopes());

    assertThat(rows("SELECT booking_id, status FROM bookings ORDER BY booking_id")).containsExactly(
        List.of(bk(1), "COMPLETED"), List.of(bk(2), "CANCELLED"), List.of(bk(3), "EXPIRED"), List.of(bk(4), "CANCELLED"));
    assertThat(rows("SELECT subtotal_cents, platform_fee_cents, tax_cents, total_cents, host_payout_cents, refund_cents,"
        + " refund_host_share_cents, refund_platform_share_cents, refund_tax_share_cents, cancelled_by_role"
        + " FROM bookings WHERE booking_id = '" + bk(2) + "'"))
        .containsExactly(List.of("8000", "1200", "660", "8660", "6800", "8227", "6460", "1140", "627", "RENTER"));
    assertThat(db.count("SELECT COUNT(*) FROM bookings WHERE booking_id = ? AND confirmed_at IS NOT NULL"
        + " AND completed_at IS NOT NULL AND local_date = ?", bk(1), LocalDate.parse("2026-03-07"))).isEqualTo(1);
    assertThat(rows("SELECT status, city FROM kitchens")).containsExactly(List.of("PUBLISHED", "Springfield"));

    assertThat(db.count("SELECT COUNT(*) FROM booking_events")).isEqualTo(journal.envelopes().size());
    assertThat(rows("SELECT event_type, principal, principal_role FROM booking_events WHERE booking_id = '" + bk(3)
        + "' ORDER BY seq_nr")).containsExactly(List.of("SlotHeld", "renter-1", "RENTER"), List.of("HoldExpired", "system", "SYSTEM"));

    Map<String, List<String>> days = new LinkedHashMap<>();
    for (List<String> r : rows("SELECT local_date, open_minutes, booked_minutes, holds_placed, bookings_confirmed,"
        + " holds_expired, bookings_cancelled, bookings_completed, gross_cents, refunds_cents, tax_cents,"
        + " platform_fee_cents, host_net_cents FROM kitchen_daily_stats ORDER BY local_date"))
      days.put(r.get(0), r.subList(1, r.size()));
    // The 9th has no booking but lies between booked days: it has a row, so weekly sums count its open minutes.
    assertThat(days).containsOnlyKeys("2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10");
    assertThat(days.get("2026-03-09")).containsExactly("1440", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0");
    // 180 minutes at 40.00/h: subtotal 12000, fee 1800, tax 990, total 12990, payout 10200; 60 of its minutes on the 7th.
    assertThat(days.get("2026-03-07")).containsExactly("1440", "60", "1", "1", "0", "0", "1", "12990", "0", "990", "1800", "10200");
    // The 8th is the 23-hour day of the spring-forward change; the booking's other 120 real minutes fall on it.
    assertThat(days.get("2026-03-08")).containsExactly("1380", "120", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0");
    // Three holds; one paid then refunded 8227 of 8660: what stays is split 33 tax, 60 fee, 340 host.
    assertThat(days.get("2026-03-10")).containsExactly("1440", "0", "3", "1", "1", "2", "0", "8660", "8227", "33", "60", "340");
    assertThat(rows("SELECT conversion, occupancy FROM kitchen_daily_stats WHERE local_date = DATE '2026-03-10'").get(0))
        .satisfies(r -> {
          assertThat(new BigDecimal(r.get(0))).isEqualByComparingTo("0.3333");
          assertThat(new BigDecimal(r.get(1))).isEqualByComparingTo("0");
        });
  }

  @Test
  void replayingTheJournalIntoEmptiedTablesReproducesThemExactly() {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = scenario().envelopes();
    project("kitchen-0", envelopes);
    Map<String, String> first = ReadModelChecksum.of(db.dataSource());
    assertThat(first.get("bookings")).startsWith("4:");

    ReadModels.TABLES.forEach(t -> db.execute("DELETE FROM " + t));
    assertThat(ReadModelChecksum.of(db.dataSource())).isNotEqualTo(first);
    project("kitchen-0", envelopes);
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(first);
  }

  @Test
  void redeliveredEventsChangeNothing() {
    List<EventEnvelope<KitchenEntity.Event>> envelopes = scenario().envelopes();
    project("kitchen-0", envelopes);
    Map<String, String> once = ReadModelChecksum.of(db.dataSource());
    project("kitchen-0", envelopes); // a new projection id: every event arrives a second time
    assertThat(ReadModelChecksum.of(db.dataSource())).isEqualTo(once);
  }

  @Test
  void aNewTimeZoneRedatesTheBookingsAndTheirDays() throws SQLException {
    Journal journal = scenario()
        .update(K1, Journal.settings("Europe/Berlin", OpeningHours.AROUND_THE_CLOCK), T0.plus(Duration.ofDays(20)));
    project("kitchen-0", journal.envelopes());
    // 04:00Z on March 8th is 05:00 in Berlin: the evening booking now lies wholly on the 8th.
    assertThat(db.count("SELECT COUNT(*) FROM bookings WHERE booking_id = ? AND local_date = ?", bk(1),
        LocalDate.parse("2026-03-08"))).isEqualTo(1);
    assertThat(rows("SELECT local_date, open_minutes, booked_minutes, holds_placed FROM kitchen_daily_stats"
        + " ORDER BY local_date")).containsExactly(List.of("2026-03-08", "1440", "180", "1"), List.of("2026-03-09", "1440", "0", "0"),
        List.of("2026-03-10", "1440", "0", "3"));
  }

  @Test
  void theSweeperFindsKitchensWithConfirmedBookingsPastTheirEnd() {
    Instant evening = Instant.parse("2026-03-08T04:00:00Z");
    Journal journal = new Journal()
        .kitchen(K1, "host-1", Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK), T0)
        .hold(K1, bk(1), "renter-1", evening, Duration.ofHours(3), T0.plusSeconds(60))
        .confirm(K1, bk(1), T0.plusSeconds(120));
    project("kitchen-0", journal.envelopes());
    Instant end = evening.plus(Duration.ofHours(3));
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end.minusSeconds(1))).isEmpty();
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end)).containsExactly(K1);
    project("kitchen-0", journal.complete(K1, bk(1), end).envelopes());
    assertThat(CompletionSweeper.overdueKitchens(db.dataSource(), end.plusSeconds(3600))).isEmpty();
  }

  List<List<String>> rows(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) row.add(rs.getString(i) == null ? null : rs.getString(i).trim());
        rows.add(row);
      }
      return rows;
    }
  }
}
