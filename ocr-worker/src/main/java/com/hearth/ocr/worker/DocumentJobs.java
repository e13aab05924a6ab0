package com.hearth.ocr.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The OCR queue in the database ({@code document_jobs}, filled by the onboarding projection) as
 * workers use it, the same on H2 and PostgreSQL. A worker claims one due row in a short transaction
 * with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so two workers never take the same row, and marks
 * it with its id and a lease; it then reads the document outside any transaction and finishes the
 * row only if it still holds the claim. A worker that dies leaves its row to be claimed again once
 * the lease has run out. Every method blocks on JDBC.
 */
public final class DocumentJobs {

  /** A claimed document: {@code attempt} counts this one (1 for the first). */
  public record Job(
      String documentId, String kitchenId, String contentHash, String mediaType, int attempt) {}

  /** A finished document whose outcome waits to be delivered to its kitchen's compliance entity. */
  public record Finished(String documentId, String kitchenId, Outcome outcome) {}

  private final DataSource dataSource;

  public DocumentJobs(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Claims the document that has waited longest among those due, or nothing. */
  public Optional<Job> claim(String workerId, Instant now, Duration lease) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Job job = null;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT document_id, kitchen_id, content_hash, media_type, attempts"
                    + " FROM document_jobs WHERE state = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                    + " ORDER BY next_attempt_at, document_id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")) {
          ps.setObject(1, utc(now));
          ps.setObject(2, utc(now));
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next())
              job =
                  new Job(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getInt(5) + 1);
          }
        }
        if (job != null) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE document_jobs SET claimed_by = ?, lease_until = ?, attempts = ? WHERE document_id = ?")) {
            ps.setString(1, workerId);
            ps.setObject(2, utc(now.plus(lease)));
            ps.setInt(3, job.attempt());
            ps.setString(4, job.documentId());
            ps.executeUpdate();
          }
        }
        c.commit();
        return Optional.ofNullable(job);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot claim a document: " + e.getMessage(), e);
    }
  }

  /** The stored file of a content hash. */
  public byte[] content(String contentHash) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT content FROM document_contents WHERE content_hash = ?")) {
      ps.setString(1, contentHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new IllegalStateException("no stored content " + contentHash);
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a document: " + e.getMessage(), e);
    }
  }

  /**
   * Records the outcome if this worker still holds the claim; false when it lost it (lease over,
   * withdrawn).
   */
  public boolean finish(Job job, String workerId, Outcome outcome, Instant now) {
    return update(
            "UPDATE document_jobs SET state = ?, outcome_json = ?, finished_at = ?, claimed_by = NULL,"
                + " lease_until = NULL WHERE document_id = ? AND claimed_by = ? AND state = 'PENDING'",
            outcome.kind().name(),
            outcome.toJson(),
            utc(now),
            job.documentId(),
            workerId)
        == 1;
  }

  /**
   * Puts the document back in the queue, due at {@code at}, if this worker still holds the claim.
   */
  public boolean retryLater(Job job, String workerId, Instant at, String error) {
    String reason = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
    return update(
            "UPDATE document_jobs SET next_attempt_at = ?, last_error = ?, claimed_by = NULL, lease_until = NULL"
                + " WHERE document_id = ? AND claimed_by = ? AND state = 'PENDING'",
            utc(at),
            reason,
            job.documentId(),
            workerId)
        == 1;
  }

  /** Finished documents not yet delivered, oldest first. */
  public List<Finished> undelivered(int limit) {
    List<Finished> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT document_id, kitchen_id, outcome_json FROM document_jobs"
                    + " WHERE state IN ('READ', 'UNREADABLE') ORDER BY finished_at, document_id FETCH FIRST "
                    + limit
                    + " ROWS ONLY")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          out.add(
              new Finished(rs.getString(1), rs.getString(2), Outcome.fromJson(rs.getString(3))));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read finished documents: " + e.getMessage(), e);
    }
  }

  /** The outcome is in the kitchen's journal: the row is done. */
  public void delivered(String documentId, Instant now) {
    update(
        "UPDATE document_jobs SET state = 'DELIVERED', delivered_at = ? WHERE document_id = ?"
            + " AND state IN ('READ', 'UNREADABLE')",
        utc(now),
        documentId);
  }

  private int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] == null) ps.setNull(i + 1, Types.VARCHAR);
        else ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the OCR queue: " + e.getMessage(), e);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
