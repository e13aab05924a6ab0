package com.hearth.http;

import com.hearth.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A database of its own for one test class: a fresh H2 directory, or a fresh PostgreSQL database on
 * the local server ({@link TestPostgres}). PostgreSQL tests never skip: no server, no pass.
 */
public final class TestDatabase implements AutoCloseable {

  public enum Backend {
    H2,
    POSTGRES
  }

  private static final String PG_USER = TestPostgres.USER;
  private static final String PG_PASSWORD = TestPostgres.PASSWORD;

  private final Backend backend;
  private final Path dataDir;
  private final String pgName;

  private TestDatabase(Backend backend, Path dataDir, String pgName) {
    this.backend = backend;
    this.dataDir = dataDir;
    this.pgName = pgName;
  }

  public static TestDatabase create(Backend backend) {
    try {
      Path dir = Files.createTempDirectory("hearth-test-");
      if (backend == Backend.H2) return new TestDatabase(backend, dir, null);
      return new TestDatabase(backend, dir, TestPostgres.createDatabase("hearth_test_"));
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create a test database on " + backend + ": " + e.getMessage(), e);
    }
  }

  public Backend backend() {
    return backend;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Settings that point a node at this database. */
  public Map<String, Object> nodeSettings() {
    Map<String, Object> m = new HashMap<>();
    m.put("hearth.db.data-dir", dataDir.toString());
    if (backend == Backend.POSTGRES) {
      m.put("hearth.db.url", pgUrl());
      m.put("hearth.db.user", PG_USER);
      m.put("hearth.db.password", PG_PASSWORD);
    } else {
      m.put("hearth.db.url", "");
    }
    return m;
  }

  private String pgUrl() {
    return TestPostgres.url(pgName);
  }

  /**
   * A fresh PostgreSQL database with the node's schema (every Flyway migration) and nothing else:
   * for tests that fill tables themselves and look at query plans.
   */
  public static TestDatabase migratedPostgres() {
    return migrated(Backend.POSTGRES);
  }

  /** A fresh database of this backend with the node's schema (every Flyway migration). */
  public static TestDatabase migrated(Backend backend) {
    TestDatabase db = create(backend);
    boolean postgres = backend == Backend.POSTGRES;
    Database.flyway(postgres)
        .dataSource(
            postgres ? db.pgUrl() : Database.h2Url(db.dataDir),
            postgres ? PG_USER : "sa",
            postgres ? PG_PASSWORD : "")
        .load()
        .migrate();
    return db;
  }

  public Connection connect() throws SQLException {
    return connect(Map.of());
  }

  /** A connection with these extra driver properties (PostgreSQL's {@code options}, say). */
  public Connection connect(Map<String, String> driverProperties) throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.putAll(driverProperties);
    properties.setProperty("user", backend == Backend.POSTGRES ? PG_USER : "sa");
    properties.setProperty("password", backend == Backend.POSTGRES ? PG_PASSWORD : "");
    return DriverManager.getConnection(
        backend == Backend.POSTGRES ? pgUrl() : Database.h2Url(dataDir), properties);
  }

  /**
   * How many journal events of this type ({@code SlotHeld}, {@code HoldExpired}...) were written.
   */
  public long eventCount(String eventType) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM event_journal WHERE event_ser_manifest LIKE '%$"
                    + eventType
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    if (backend == Backend.POSTGRES) TestPostgres.dropDatabase(pgName);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
