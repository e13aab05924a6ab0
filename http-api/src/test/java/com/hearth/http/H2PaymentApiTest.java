package com.hearth.http;

/** Payments over HTTP on the embedded H2 default. */
class H2PaymentApiTest extends PaymentApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
