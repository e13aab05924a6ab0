package com.hearth.http;

import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.projections.SqlDialect;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The node's database: H2 files under the data directory by default, PostgreSQL when a URL is
 * configured. Owns the schema through Flyway migrations and a small pool for health checks; the
 * journal gets its own pool from the persistence plugin, configured by {@link #persistenceConfig}.
 */
public final class Database implements AutoCloseable {

  private final String url;
  private final String user;
  private final String password;
  private final boolean postgres;
  private final int maxConnections;
  private final HikariDataSource admin;
  private final HikariDataSource projections;
  private final HikariDataSource queries;

  public Database(NodeSettings settings) {
    this.postgres = settings.usesPostgres();
    this.url = postgres ? settings.dbUrl() : h2Url(settings.dataDir());
    this.user = postgres ? settings.dbUser() : "sa";
    this.password = postgres ? settings.dbPassword() : "";
    this.maxConnections = settings.dbMaxConnections();
    this.admin = pool("hearth-admin", 2);
    // One connection per projection instance that may run here, and one for a rebuild.
    this.projections = pool("hearth-projections", KitchenEntity.TAG_COUNT + 1);
    this.queries = pool("hearth-queries", settings.readModelConnections());
  }

  private HikariDataSource pool(String name, int size) {
    HikariConfig pool = new HikariConfig();
    pool.setPoolName(name);
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(size);
    pool.setMinimumIdle(0);
    pool.setConnectionTimeout(5_000);
    pool.setInitializationFailTimeout(-1);
    return new HikariDataSource(pool);
  }

  /** Connections for the read-model projections' transactions. */
  public DataSource projectionPool() {
    return projections;
  }

  /** Connections for the list endpoints' queries and the completion sweeper. */
  public DataSource queryPool() {
    return queries;
  }

  public SqlDialect dialect() {
    return postgres ? SqlDialect.POSTGRES : SqlDialect.H2;
  }

  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("hearth").toString().replace('\\', '/')
        + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
  }

  public boolean isPostgres() {
    return postgres;
  }

  public String url() {
    return url;
  }

  /** Brings the schema to the newest migration; run before the actor system touches the journal. */
  public void migrate() {
    Flyway.configure()
        .dataSource(admin)
        .locations("classpath:db/migration/" + (postgres ? "postgres" : "h2"))
        .load()
        .migrate();
  }

  /** Whether the database answers a trivial query within the pool's timeout. Blocking. */
  public boolean ping() {
    try (Connection c = admin.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The shared-database block of pekko-persistence-jdbc for this database. */
  public Config persistenceConfig() {
    Map<String, Object> db = new HashMap<>();
    db.put("url", url);
    db.put("user", user);
    db.put("password", password);
    db.put("driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver");
    db.put("numThreads", maxConnections);
    db.put("maxConnections", maxConnections);
    db.put("minConnections", 1);
    db.put("connectionTimeout", 5000);
    Map<String, Object> shared = new HashMap<>();
    shared.put("profile", postgres ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$");
    shared.put("db", db);
    return ConfigFactory.parseMap(Map.of(
        "pekko-persistence-jdbc.shared-databases.hearth", shared,
        "pekko.projection.jdbc.dialect", dialect().projectionDialect()));
  }

  @Override
  public void close() {
    queries.close();
    projections.close();
    admin.close();
  }
}
