package com.hearth.http;

/** A published kitchen losing and regaining compliance, and the lapse listings, on Postgres. */
class PostgresComplianceLossTest extends ComplianceLossContract {
  @Override
  TestDatabase.Backend backend() {
    return TestDatabase.Backend.POSTGRES;
  }
}
