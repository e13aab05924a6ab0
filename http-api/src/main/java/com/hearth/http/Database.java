package com.hearth.http;

import com.hearth.engine.EventSourcing;
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
    this.admin = pool("hearth-admin", 2, null);
    // One connection per projection instance that may run here, and one for a rebuild.
    this.projections =
        pool(
            "hearth-projections",
            EventSourcing.KITCHEN_TAGS.count() + 1,
            WRITER_PG_OPTIONS + " " + READ_MODEL_PG_OPTIONS);
    this.queries = pool("hearth-queries", settings.readModelConnections(), READ_MODEL_PG_OPTIONS);
  }

  /** {@code pgOptions}: the session settings of its connections on PostgreSQL, or null. */
  private HikariDataSource pool(String name, int size, String pgOptions) {
    HikariConfig pool = new HikariConfig();
    pool.setPoolName(name);
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(size);
    pool.setMinimumIdle(0);
    pool.setConnectionTimeout(5_000);
    pool.setInitializationFailTimeout(-1);
    if (postgres && pgOptions != null) pool.addDataSourceProperty("options", pgOptions);
    // The projections write rows in JDBC batches (daily statistics fill a kitchen's new days, a
    // group's
    // bookings and events); the driver sends a batch of inserts as multi-row statements, not one
    // each.
    if (postgres) pool.addDataSourceProperty("reWriteBatchedInserts", "true");
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
    return "jdbc:h2:file:"
        + dataDir.resolve("hearth").toString().replace('\\', '/')
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
    flyway(postgres).dataSource(admin).load().migrate();
  }

  /**
   * Flyway set up for the node's migrations on this backend. On PostgreSQL its lock is held by the
   * session, not by a transaction: a migration that builds an index {@code CONCURRENTLY} (V15)
   * waits for every open transaction to end, Flyway's own included, and would wait forever for a
   * transactional lock.
   */
  static org.flywaydb.core.api.configuration.FluentConfiguration flyway(boolean postgres) {
    var flyway =
        Flyway.configure().locations("classpath:db/migration/" + (postgres ? "postgres" : "h2"));
    if (postgres)
      flyway
          .getConfigurationExtension(
              org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension.class)
          .setTransactionalLock(false);
    return flyway;
  }

  /** Whether the database answers a trivial query within the pool's timeout. Blocking. */
  public boolean ping() {
    try (Connection c = admin.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Whether the journal holds an event of {@code persistenceId} (a primary-key lookup, on the query
   * pool). Blocking; a failure to ask is an exception, not a "no".
   */
  public boolean journalHas(String persistenceId) {
    try (Connection c = queries.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM event_journal WHERE persistence_id = ? AND sequence_number >= 1"
                    + " FETCH FIRST 1 ROWS ONLY")) {
      ps.setString(1, persistenceId);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal: " + e.getMessage(), e);
    }
  }

  /** Connections of the read journal: the projections' polls and the journal sequence check. */
  static final int READ_JOURNAL_CONNECTIONS = 4;

  /**
   * Session settings of the read journal's connections on PostgreSQL. Its only join is the by-tag
   * poll ({@link com.hearth.projections.TagIndexedReadJournalDao}): at most a batch of one tag's
   * events, read from the index {@code event_tag (tag, event_id)} (migration V15), each fetched
   * from the journal by its ordering. With hash and merge joins off, no plan can instead hash the
   * journal or walk it in full, so a poll costs the same at ten thousand and ten million events.
   */
  static final String READ_JOURNAL_PG_OPTIONS = "-c enable_hashjoin=off -c enable_mergejoin=off";

  /**
   * Session settings of every connection that writes, on PostgreSQL: a transaction left open and
   * idle for 5 s is ended by the server. A node frozen (or cut off) in the middle of a journal or
   * projection transaction would otherwise keep its row locks, among them the uncommitted (kitchen,
   * sequence number) keys its journal batch inserted; the survivors that start its kitchens about
   * 11 s later would wait on those keys until the journal's circuit breaker opened and failed every
   * write and recovery of their own for its reset time. 5 s is far above any pause between two
   * statements of a healthy transaction and well below the fail-over.
   */
  static final String WRITER_PG_OPTIONS = "-c idle_in_transaction_session_timeout=5000";

  /**
   * Session settings of the read tables' connections (projections and list queries) on PostgreSQL:
   * every execution of a prepared statement is planned for its own parameters. The driver prepares
   * a statement on the server after its fifth use, and PostgreSQL then keeps a generic plan when it
   * looks no dearer than the custom ones; on a new deployment, or after a rebuild, those first uses
   * meet empty tables, and the generic plan kept is a sequential scan (of {@code
   * kitchen_daily_stats}, {@code bookings}) that stays in use as the tables grow, until
   * autovacuum's next ANALYZE happens to invalidate it. A custom plan costs a few tens of
   * microseconds of planning per statement; the projections send a handful per group of events.
   */
  static final String READ_MODEL_PG_OPTIONS = "-c plan_cache_mode=force_custom_plan";

  /**
   * The shared-database blocks of pekko-persistence-jdbc for this database: {@code hearth} for the
   * journal's writes, snapshots and replays, and {@code hearth-read} for the read journal, which
   * differs only in its session settings and size.
   */
  public Config persistenceConfig() {
    return ConfigFactory.parseMap(
        Map.of(
            "pekko-persistence-jdbc.shared-databases.hearth",
                sharedDatabase(
                    maxConnections, postgres ? Map.of("options", WRITER_PG_OPTIONS) : Map.of()),
            "pekko-persistence-jdbc.shared-databases.hearth-read",
                sharedDatabase(
                    READ_JOURNAL_CONNECTIONS,
                    postgres ? Map.of("options", READ_JOURNAL_PG_OPTIONS) : Map.of()),
            "pekko.projection.jdbc.dialect", dialect().projectionDialect()));
  }

  private Map<String, Object> sharedDatabase(
      int connections, Map<String, String> driverProperties) {
    Map<String, Object> db = new HashMap<>();
    db.put("url", url);
    db.put("user", user);
    db.put("password", password);
    db.put("driver", postgres ? "org.postgresql.Driver" : "org.h2.Driver");
    db.put("numThreads", connections);
    db.put("maxConnections", connections);
    db.put("minConnections", 1);
    db.put("connectionTimeout", 5000);
    if (!driverProperties.isEmpty()) db.put("properties", driverProperties);
    Map<String, Object> shared = new HashMap<>();
    shared.put("profile", postgres ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$");
    shared.put("db", db);
    return shared;
  }

  @Override
  public void close() {
    queries.close();
    projections.close();
    admin.close();
  }
}
