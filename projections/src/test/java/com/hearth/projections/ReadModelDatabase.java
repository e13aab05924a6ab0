package com.hearth.projections;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A migrated database of its own for one test class: an in-memory H2 database, or a fresh
 * PostgreSQL database on the local server (127.0.0.1:5432, user postgres; override with
 * HEARTH_TEST_PG_URL / _USER / _PASSWORD), dropped on close. PostgreSQL tests never skip.
 */
final class ReadModelDatabase implements AutoCloseable {

  private static final String PG_ADMIN_URL = env("HEARTH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String PG_USER = env("HEARTH_TEST_PG_USER", "postgres");
  private static final String PG_PASSWORD = env("HEARTH_TEST_PG_PASSWORD", "");

  final SqlDialect dialect;
  private final String pgName;
  private final HikariDataSource pool;

  private ReadModelDatabase(SqlDialect dialect, String url, String user, String password, String pgName) {
    this.dialect = dialect;
    this.pgName = pgName;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(6);
    this.pool = new HikariDataSource(config);
    Flyway.configure().dataSource(pool)
        .locations("classpath:db/migration/" + (dialect == SqlDialect.POSTGRES ? "postgres" : "h2"))
        .load().migrate();
  }

  static ReadModelDatabase create(SqlDialect dialect) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    if (dialect == SqlDialect.H2)
      return new ReadModelDatabase(dialect, "jdbc:h2:mem:rm_" + suffix + ";DATABASE_TO_UPPER=false",
          "sa", "", null);
    String name = "hearth_rm_test_" + suffix;
    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a PostgreSQL test database: " + e.getMessage(), e);
    }
    return new ReadModelDatabase(dialect, PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1) + name,
        PG_USER, PG_PASSWORD, name);
  }

  DataSource dataSource() {
    return pool;
  }

  long count(String sql, Object... args) {
    try (Connection c = pool.getConnection(); var ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void execute(String sql) {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.close();
    if (pgName == null) return;
    try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop " + pgName + ": " + e.getMessage(), e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
