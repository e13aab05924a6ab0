package com.hearth.projections;

import com.hearth.testing.TestPostgres;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A migrated database of its own for one test class: an in-memory H2 database, or a fresh
 * PostgreSQL database on the local server ({@link TestPostgres}), dropped on close. PostgreSQL
 * tests never skip.
 */
public final class ReadModelDatabase implements AutoCloseable {

  final SqlDialect dialect;
  private final String pgName;
  private final HikariDataSource pool;

  private ReadModelDatabase(
      SqlDialect dialect, String url, String user, String password, String pgName) {
    this.dialect = dialect;
    this.pgName = pgName;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(6);
    this.pool = new HikariDataSource(config);
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration/" + (dialect == SqlDialect.POSTGRES ? "postgres" : "h2"))
        .load()
        .migrate();
  }

  public static ReadModelDatabase create(SqlDialect dialect) {
    if (dialect == SqlDialect.H2) {
      String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      return new ReadModelDatabase(
          dialect,
          "jdbc:h2:mem:rm_" + suffix + ";DATABASE_TO_UPPER=false;LOCK_TIMEOUT=10000",
          "sa",
          "",
          null);
    }
    String name = TestPostgres.createDatabase("hearth_rm_test_");
    return new ReadModelDatabase(
        dialect, TestPostgres.url(name), TestPostgres.USER, TestPostgres.PASSWORD, name);
  }

  public DataSource dataSource() {
    return pool;
  }

  public long count(String sql, Object... args) {
    try (Connection c = pool.getConnection();
        var ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public void execute(String sql) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.close();
    if (pgName != null) TestPostgres.dropDatabase(pgName);
  }
}
