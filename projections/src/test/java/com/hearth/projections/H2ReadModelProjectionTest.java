package com.hearth.projections;

class H2ReadModelProjectionTest extends ReadModelProjectionContract {
  @Override
  SqlDialect dialect() {
    return SqlDialect.H2;
  }
}
