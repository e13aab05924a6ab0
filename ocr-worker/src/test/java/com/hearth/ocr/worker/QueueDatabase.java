package com.hearth.ocr.worker;

import com.hearth.testing.TestPostgres;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database of its own with Hearth's schema for one test class (in-memory H2, or a fresh
 * PostgreSQL database dropped on close), and the few rows the queue's tests need: a stored file and
 * its queued document, as the upload route and the onboarding projection write them.
 */
final class QueueDatabase implements AutoCloseable {

  enum Backend {
    H2,
    POSTGRES
  }

  private final HikariDataSource pool;
  private final String pgName;

  private QueueDatabase(String url, String user, String password, String pgName, String location) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    this.pool = new HikariDataSource(config);
    this.pgName = pgName;
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration/" + location)
        .load()
        .migrate();
  }

  static QueueDatabase create(Backend backend) {
    if (backend == Backend.H2)
      return new QueueDatabase(
          "jdbc:h2:mem:ocr_"
              + UUID.randomUUID().toString().replace("-", "")
              + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1",
          "sa",
          "",
          null,
          "h2");
    String name = TestPostgres.createDatabase("hearth_ocr_test_");
    return new QueueDatabase(
        TestPostgres.url(name), TestPostgres.USER, TestPostgres.PASSWORD, name, "postgres");
  }

  DataSource dataSource() {
    return pool;
  }

  /** Stores {@code content} and queues it as document {@code documentId}, due at {@code at}. */
  void queue(String documentId, byte[] content, Instant at) {
    String hash = sha256(content);
    OffsetDateTime when = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    try (Connection c = pool.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM document_contents WHERE content_hash = ?")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO document_contents (content_hash, media_type,"
                        + " size_bytes, content, stored_at) VALUES (?, 'image/png', ?, ?, ?)")) {
              insert.setString(1, hash);
              insert.setLong(2, content.length);
              insert.setBytes(3, content);
              insert.setObject(4, when);
              insert.executeUpdate();
            }
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO document_jobs (document_id, kitchen_id, content_hash,"
                  + " media_type, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'image/png', 'PENDING', 0, ?, ?)")) {
        ps.setString(1, documentId);
        ps.setString(
            2, UUID.nameUUIDFromBytes(documentId.getBytes(StandardCharsets.UTF_8)).toString());
        ps.setString(3, hash);
        ps.setObject(4, when);
        ps.setObject(5, when);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  String state(String documentId) {
    return text("SELECT state FROM document_jobs WHERE document_id = ?", documentId);
  }

  String outcome(String documentId) {
    return text("SELECT outcome_json FROM document_jobs WHERE document_id = ?", documentId);
  }

  long count(String sql) {
    try (Connection c = pool.getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String text(String sql, String arg) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.close();
    if (pgName != null) TestPostgres.dropDatabase(pgName);
  }
}
