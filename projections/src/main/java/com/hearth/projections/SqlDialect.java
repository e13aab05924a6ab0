package com.hearth.projections;

/** The two databases Hearth runs on, and the few statements that differ between them. */
public enum SqlDialect {
  H2("h2-dialect"),
  POSTGRES("postgres-dialect");

  private final String projectionDialect;

  SqlDialect(String projectionDialect) {
    this.projectionDialect = projectionDialect;
  }

  public static SqlDialect ofUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRES;
    if (jdbcUrl.startsWith("jdbc:h2:")) return H2;
    throw new IllegalArgumentException("unsupported database URL " + jdbcUrl);
  }

  /** The value of {@code pekko.projection.jdbc.dialect} for this database. */
  public String projectionDialect() {
    return projectionDialect;
  }

  /** A placeholder for a JSON text parameter. */
  String json() {
    return this == POSTGRES ? "CAST(? AS jsonb)" : "?";
  }

  /**
   * An INSERT that does nothing when a row with the same key exists; the key is in {@code
   * keyColumns}.
   */
  String insertIgnoring(String table, String keyColumns, String columns, String values) {
    return this == POSTGRES
        ? "INSERT INTO "
            + table
            + " ("
            + columns
            + ") VALUES ("
            + values
            + ") ON CONFLICT ("
            + keyColumns
            + ") DO NOTHING"
        : "MERGE INTO "
            + table
            + " ("
            + columns
            + ") KEY ("
            + keyColumns
            + ") VALUES ("
            + values
            + ")";
  }

  /**
   * Writes the row of one key (the table's only column) and leaves it locked until the transaction
   * ends: on either database the statement waits while another transaction holds that row, also one
   * that has just inserted it and not committed yet.
   */
  String lockingUpsert(String table, String keyColumn) {
    return this == POSTGRES
        ? "INSERT INTO "
            + table
            + " ("
            + keyColumn
            + ") VALUES (?) ON CONFLICT ("
            + keyColumn
            + ") DO UPDATE SET "
            + keyColumn
            + " = EXCLUDED."
            + keyColumn
        : "MERGE INTO " + table + " (" + keyColumn + ") KEY (" + keyColumn + ") VALUES (?)";
  }
}
