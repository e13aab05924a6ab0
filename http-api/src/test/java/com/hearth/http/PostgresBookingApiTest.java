package com.hearth.http;

/** The booking API contract on a real PostgreSQL (a database of its own per run). */
class PostgresBookingApiTest extends BookingApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
