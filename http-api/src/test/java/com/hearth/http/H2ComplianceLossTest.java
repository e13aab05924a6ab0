package com.hearth.http;

/** A published kitchen losing and regaining compliance, and the lapse listings, on H2. */
class H2ComplianceLossTest extends ComplianceLossContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.H2;
  }
}
