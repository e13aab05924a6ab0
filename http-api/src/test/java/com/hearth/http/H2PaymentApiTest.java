package com.hearth.http;

/**
 * Payments over HTTP on the embedded H2 default. (The reconcile command is tested against a node on
 * the real clock in {@link ReconcileCommandTest}: the command mints its token on the system clock.)
 */
class H2PaymentApiTest extends PaymentApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
