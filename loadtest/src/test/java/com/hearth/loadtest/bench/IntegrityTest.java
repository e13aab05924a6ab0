package com.hearth.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The overlap and none-lost checks, on a throwaway database of the test PostgreSQL server. */
class IntegrityTest {

  private static final String USER = TestPostgres.USER;
  private static final String PASSWORD = TestPostgres.PASSWORD;
  private static String name;
  private static String url;

  @BeforeAll
  static void createDatabase() throws Exception {
    name = TestPostgres.createDatabase("hearth_test_bench_");
    url = TestPostgres.url(name);
    System.setProperty("bench.pg.user", USER);
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE bookings (booking_id VARCHAR(51) PRIMARY KEY, kitchen_id VARCHAR(36) NOT NULL,"
              + " start_at TIMESTAMPTZ NOT NULL, end_at TIMESTAMPTZ NOT NULL, status VARCHAR(16) NOT NULL)");
      s.execute(
          "INSERT INTO bookings VALUES"
              + " ('b1', 'k1', '2030-01-01 10:00Z', '2030-01-01 11:00Z', 'HELD'),"
              + " ('b2', 'k1', '2030-01-01 11:00Z', '2030-01-01 12:00Z', 'CONFIRMED')," // touches
              // b1: no
              // overlap
              + " ('b3', 'k1', '2030-01-01 10:30Z', '2030-01-01 11:30Z', 'CANCELLED')," // overlaps
              // but not
              // live
              + " ('b4', 'k2', '2030-01-01 10:00Z', '2030-01-01 11:00Z', 'HELD')"); // same time,
      // other kitchen
    }
  }

  @AfterAll
  static void dropDatabase() {
    if (name != null) TestPostgres.dropDatabase(name);
  }

  @Test
  void liveBookingsThatOnlyTouchOrAreInOtherKitchensDoNotOverlap() {
    Integrity.Result r = Integrity.check(url, List.of("b1", "b2", "b4"));
    assertThat(r.live()).isEqualTo(3);
    assertThat(r.overlappingPairs()).isZero();
    assertThat(r.missing()).isZero();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void anAcknowledgedBookingMissingFromTheTableIsLost() {
    Integrity.Result r = Integrity.check(url, List.of("b1", "never-written"));
    assertThat(r.missing()).isEqualTo(1);
    assertThat(r.ok()).isFalse();
  }

  @Test
  void twoLiveBookingsOfOneKitchenThatShareTimeAreCounted() throws Exception {
    try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO bookings VALUES ('b5', 'k3', '2030-01-01 10:00Z', '2030-01-01 12:00Z', 'HELD'),"
              + " ('b6', 'k3', '2030-01-01 11:45Z', '2030-01-01 13:00Z', 'CONFIRMED')");
      assertThat(Integrity.check(url, List.of()).overlappingPairs()).isEqualTo(1);
      s.execute("DELETE FROM bookings WHERE kitchen_id = 'k3'");
    }
  }
}
