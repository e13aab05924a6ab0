package com.hearth.http;

/** A host's payouts by week over HTTP on the embedded H2 default. */
class H2HostPayoutsApiTest extends HostPayoutsApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
