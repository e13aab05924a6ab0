package com.hearth.http;

/** Host onboarding over HTTP on PostgreSQL. */
class PostgresOnboardingApiTest extends OnboardingApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
