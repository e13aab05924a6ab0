package com.hearth.projections;

import com.hearth.engine.compliance.ComplianceRuleBook;
import com.hearth.engine.compliance.DocumentField;
import com.hearth.engine.compliance.DocumentStatus;
import com.hearth.engine.compliance.DocumentType;
import com.hearth.engine.compliance.FieldReading;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The onboarding tables as the API reads and writes them outside the journal: the uploaded files,
 * stored once per content hash, and the admins' review queue. Every method blocks on JDBC; callers
 * run it on a dispatcher meant for that.
 */
public final class OnboardingQueries {

  /**
   * A document an admin should look at: unreadable, without an expiry date, or read with low
   * confidence.
   */
  public record ReviewItem(
      String documentId,
      String kitchenId,
      String hostId,
      DocumentType type,
      DocumentStatus status,
      Map<DocumentField, FieldReading> fields,
      Double minConfidence,
      String unreadableReason,
      String jurisdiction,
      Instant uploadedAt,
      Instant updatedAt) {}

  /** A stored file. */
  public record Content(String mediaType, byte[] bytes) {}

  private final DataSource dataSource;

  public OnboardingQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores a file unless a file with the same SHA-256 is stored already. */
  public void storeContent(String contentHash, String mediaType, byte[] bytes, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM document_contents WHERE content_hash = ?")) {
        ps.setString(1, contentHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) return;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO document_contents (content_hash, media_type, size_bytes,"
                  + " content, stored_at) VALUES (?, ?, ?, ?, ?)")) {
        Sql.bind(ps, contentHash, mediaType, (long) bytes.length, bytes, now);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (!exists(c, contentHash)) throw e; // else another upload of the same bytes won the race
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store the document: " + e.getMessage(), e);
    }
  }

  public Optional<Content> content(String contentHash) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT media_type, content FROM document_contents WHERE content_hash = ?")) {
      ps.setString(1, contentHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Content(rs.getString(1), rs.getBytes(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the document: " + e.getMessage(), e);
    }
  }

  private static boolean exists(Connection c, String contentHash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM document_contents WHERE content_hash = ?")) {
      ps.setString(1, contentHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The host's kitchens that take or took bookings (published, paused or suspended), from the
   * {@code kitchens} read table: those whose compliance a change of the host's profile may move.
   */
  public List<String> listedKitchensOf(String hostId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT kitchen_id FROM kitchens WHERE host_id = ?"
                    + " AND status IN ('PUBLISHED', 'PAUSED', 'SUSPENDED') ORDER BY kitchen_id")) {
      ps.setString(1, hostId);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the host's kitchens: " + e.getMessage(), e);
    }
  }

  /**
   * The review queue, oldest first: documents that could not be read, were read without an expiry
   * date, or with a field below the review threshold of their host's jurisdiction.
   */
  public List<ReviewItem> reviewQueue(ComplianceRuleBook rules, int limit) {
    List<ReviewItem> items = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.document_id, d.kitchen_id, d.host_id, d.document_type, d.status,"
                    + " d.fields_json, d.min_confidence, d.unreadable_reason, d.uploaded_at, d.updated_at, h.country, h.region"
                    + " FROM kitchen_documents d LEFT JOIN host_profiles h ON h.host_id = d.host_id"
                    + " WHERE d.status = 'UNREADABLE' OR (d.status = 'READ' AND (d.expiry_date IS NULL OR d.min_confidence IS NULL"
                    + " OR d.min_confidence < ?)) ORDER BY d.updated_at, d.document_id")) {
      ps.setDouble(1, rules.highestReviewThreshold());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && items.size() < limit) {
          String country = rs.getString("country");
          String region = rs.getString("region");
          String jurisdiction =
              country == null ? null : region == null ? country : country + "-" + region;
          double threshold = rules.forJurisdiction(jurisdiction).reviewBelowConfidence();
          DocumentStatus status = DocumentStatus.valueOf(rs.getString("status"));
          Double min = (Double) rs.getObject("min_confidence");
          String json = rs.getString("fields_json");
          Map<DocumentField, FieldReading> fields =
              json == null ? Map.of() : OnboardingReadModelWriter.readFields(json);
          boolean due =
              status == DocumentStatus.UNREADABLE
                  || min == null
                  || min < threshold
                  || !fields.containsKey(DocumentField.EXPIRY_DATE);
          if (!due) continue;
          items.add(
              new ReviewItem(
                  rs.getString("document_id"),
                  rs.getString("kitchen_id"),
                  rs.getString("host_id"),
                  DocumentType.valueOf(rs.getString("document_type")),
                  status,
                  fields,
                  min,
                  rs.getString("unreadable_reason"),
                  jurisdiction == null ? "default" : jurisdiction,
                  Sql.instant(rs, "uploaded_at"),
                  Sql.instant(rs, "updated_at")));
        }
      }
      return items;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the review queue: " + e.getMessage(), e);
    }
  }
}
