package com.hearth.http;

/** The accounts contract on a real PostgreSQL (a database of its own per run). */
class PostgresAccountsApiTest extends AccountsApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
