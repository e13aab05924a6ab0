package com.hearth.http;

/** Host onboarding over HTTP on the embedded H2 default. */
class H2OnboardingApiTest extends OnboardingApiContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
