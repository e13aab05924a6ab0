package com.hearth.http;

/** The booking API contract on the embedded H2 default. */
class H2BookingApiTest extends BookingApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
