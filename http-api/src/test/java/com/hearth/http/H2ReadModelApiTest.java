package com.hearth.http;

/** The read models from HTTP to rows on the embedded H2 default. */
class H2ReadModelApiTest extends ReadModelApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
