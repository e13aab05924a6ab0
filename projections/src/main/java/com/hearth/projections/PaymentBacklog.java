package com.hearth.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * What the payments still owe the world, for operators: work waiting on the gateway or a kitchen,
 * and refunds that ended badly. Read from the payments' read tables (partial indexes keep each
 * count to the rows it counts), so it is as current as their projection: {@code consistentAsOf}. No
 * amounts: operators run the platform but do not see money.
 */
public final class PaymentBacklog {

  /**
   * How many, and the oldest and newest of them by the instant that started the wait (null when
   * none).
   */
  public record Queue(long count, Instant oldest, Instant newest, Long oldestAgeSeconds) {}

  /**
   * {@code awaitingIntent}: payments whose intent the gateway has not created yet (the payment
   * retries); {@code awaitingConfirmation}: paid, the kitchen not yet confirmed (retried); {@code
   * refundsPending}: refunds asked of the gateway without a final answer yet (retried); {@code
   * refundsFailed}: refunds the gateway made and then reported failed, so the money is with the
   * platform, not the renter, since ever (see the reconciliation); {@code refundsRejected}: refunds
   * the gateway refused, since ever.
   */
  public record Backlog(
      Instant consistentAsOf,
      long lagMs,
      Queue awaitingIntent,
      Queue awaitingConfirmation,
      Queue refundsPending,
      Queue refundsFailed,
      Queue refundsRejected) {}

  private final DataSource dataSource;
  private final ReadModelQueries queries;

  public PaymentBacklog(DataSource dataSource) {
    this.dataSource = dataSource;
    this.queries = new ReadModelQueries(dataSource);
  }

  /** Six small queries; blocks, so callers run it on a dispatcher for JDBC. */
  public Backlog read(Clock clock) {
    ReadModelQueries.Freshness freshness = queries.freshness(clock);
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection()) {
      return new Backlog(
          freshness.consistentAsOf(),
          freshness.lagMs(),
          queue(c, now, "payments", "requested_at", "status = 'AWAITING_INTENT'"),
          queue(
              c,
              now,
              "payments",
              "succeeded_at",
              "status = 'SUCCEEDED' AND outcome = 'CONFIRMING'"),
          queue(c, now, "refunds", "requested_at", "status = 'REQUESTED'"),
          queue(c, now, "refunds", "failed_at", "status = 'FAILED'"),
          queue(c, now, "refunds", "rejected_at", "status = 'REJECTED'"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the payment backlog: " + e.getMessage(), e);
    }
  }

  private static Queue queue(Connection c, Instant now, String table, String since, String where)
      throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*), MIN("
                    + since
                    + "), MAX("
                    + since
                    + ") FROM "
                    + table
                    + " WHERE "
                    + where);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Instant oldest = Sql.instant(rs, 2);
      return new Queue(
          rs.getLong(1),
          oldest,
          Sql.instant(rs, 3),
          oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds()));
    }
  }
}
