package com.hearth.http;

/** The read models from HTTP to rows on a real PostgreSQL database. */
class PostgresReadModelApiTest extends ReadModelApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
