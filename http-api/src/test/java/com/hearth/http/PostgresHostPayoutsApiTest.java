package com.hearth.http;

/** A host's payouts by week over HTTP on a real PostgreSQL database. */
class PostgresHostPayoutsApiTest extends HostPayoutsApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
