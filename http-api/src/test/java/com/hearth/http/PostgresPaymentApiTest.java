package com.hearth.http;

/** Payments over HTTP on a real PostgreSQL database. */
class PostgresPaymentApiTest extends PaymentApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
