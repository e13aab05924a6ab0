package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hearth.engine.kitchen.OpeningHours;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.junit.jupiter.api.Test;

class PostgresReadModelProjectionTest extends ReadModelProjectionContract {

  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRES;
  }

  private static String bookingInsert(String bookingId, String status, String start, String end) {
    return "INSERT INTO bookings (booking_id, kitchen_id, host_id, renter_id, start_at, end_at, local_date, minutes, status,"
        + " currency, subtotal_cents, platform_fee_cents, tax_cents, total_cents, host_payout_cents, held_at, hold_expires_at)"
        + " VALUES ('"
        + bookingId
        + "', '"
        + K1
        + "', 'host-1', 'renter-1', TIMESTAMPTZ '"
        + start
        + "', TIMESTAMPTZ '"
        + end
        + "', DATE '2026-03-10', 60, '"
        + status
        + "', 'USD', 4000, 600, 0, 4000, 3400, now(), now())";
  }

  @Test
  void theTripwireRefusesAnOverlappingLiveBooking() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          bookingInsert(bk(1), "CONFIRMED", "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z"));
      // Touching is not overlapping, and settled bookings do not count.
      s.executeUpdate(bookingInsert(bk(2), "HELD", "2026-03-10T12:00:00Z", "2026-03-10T13:00:00Z"));
      s.executeUpdate(
          bookingInsert(bk(3), "EXPIRED", "2026-03-10T11:00:00Z", "2026-03-10T12:30:00Z"));
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      bookingInsert(bk(4), "HELD", "2026-03-10T11:30:00Z", "2026-03-10T12:30:00Z")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("bookings_live_no_overlap")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23P01"));
    }
    assertThat(db.count("SELECT COUNT(*) FROM bookings")).isEqualTo(3);
  }

  @Test
  void aProjectionThatHitsTheTripwireFailsLoudlyAndDoesNotAdvance() {
    Instant start = Instant.parse("2026-03-10T14:00:00Z");
    Journal journal =
        new Journal()
            .kitchen(
                K1,
                "host-1",
                Journal.settings("America/New_York", OpeningHours.AROUND_THE_CLOCK),
                T0)
            .hold(K1, bk(1), "renter-1", start, Duration.ofHours(2), T0.plusSeconds(10))
            .hold(
                K1,
                bk(2),
                "renter-2",
                start.plus(Duration.ofHours(1)),
                Duration.ofHours(2),
                T0.plusSeconds(20)); // a bug's output
    ProjectionStats stats = new ProjectionStats(Clock.systemUTC());
    ActorRef<ProjectionBehavior.Command> running =
        testKit.spawn(
            ProjectionBehavior.create(
                ReadModels.projection(
                    testKit.system(),
                    ProjectionId.of("tripwire", "kitchen-0"),
                    source(journal.envelopes()),
                    db.dataSource(),
                    dialect(),
                    stats)));
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(stats.anyFailing()).isTrue();
                assertThat(stats.snapshot().get("kitchen-0").lastError())
                    .contains("bookings_live_no_overlap");
              });
      // The whole group was rolled back with its offset: nothing of it is in the tables.
      assertThat(db.count("SELECT COUNT(*) FROM bookings")).isZero();
      assertThat(
              db.count(
                  "SELECT COUNT(*) FROM pekko_projection_offset_store WHERE projection_name = 'tripwire'"))
          .isZero();
    } finally {
      testKit.stop(running);
    }
  }
}
