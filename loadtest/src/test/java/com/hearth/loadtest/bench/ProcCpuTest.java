package com.hearth.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcCpuTest {

  @Test
  void utimePlusStimeAfterACommandNameWithSpacesAndParentheses() {
    // Fields 14 (utime) and 15 (stime) are 250 and 75; the name holds ") " to trip a naive split.
    String stat =
        "4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 1 0 99 1000 50 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    assertThat(ProcCpu.ticks(stat)).isEqualTo(325);
  }

  @Test
  void theDatabaseOfABackendComesFromItsProcessTitle() {
    assertThat(ProcCpu.database("postgres: postgres hearth_bench_1_node 127.0.0.1(51234) idle\0\0"))
        .isEqualTo("hearth_bench_1_node");
    assertThat(ProcCpu.database("postgres: postgres shop [local] SELECT")).isEqualTo("shop");
    assertThat(ProcCpu.database("postgres: 15/main: postgres prof3 127.0.0.1(50460) idle"))
        .isEqualTo("prof3");
    assertThat(ProcCpu.database("postgres: 15/main: checkpointer ")).isNull();
    assertThat(ProcCpu.database("postgres: checkpointer ")).isNull();
    assertThat(ProcCpu.database("postgres: autovacuum launcher ")).isNull();
    assertThat(ProcCpu.database("/usr/lib/postgresql/15/bin/postgres\0-D\0/var/lib/postgresql"))
        .isNull();
  }

  @Test
  void thisProcessHasSpentSomeCpu() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcCpu.processMillis(pid)).isPositive();
    assertThat(ProcCpu.processMillis(Integer.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void perOperationFiguresKeepThreeDecimalsBelowTen() {
    assertThat(Report.perOp(1234, 10_000)).isEqualTo("0.123");
    assertThat(Report.perOp(50_000, 1000)).isEqualTo("50.0");
    assertThat(Report.perOp(10, 0)).isEqualTo("-");
  }

  @Test
  void postgresCpuIsTakenPerProcessSoAnEndedBackendDoesNotSubtract() {
    ProcCpu.PgSample before =
        new ProcCpu.PgSample(
            java.util.Map.of(1L, 100L, 2L, 500L, 3L, 40L),
            java.util.Map.of(2L, "ours", 3L, "theirs"));
    // Process 3 (another user's backend) ended; 4 is a new backend of ours.
    ProcCpu.PgSample after =
        new ProcCpu.PgSample(
            java.util.Map.of(1L, 110L, 2L, 800L, 4L, 25L),
            java.util.Map.of(2L, "ours", 4L, "ours"));
    assertThat(after.totalSince(before)).isEqualTo(10 + 300 + 25);
    assertThat(after.databaseSince(before, "ours")).isEqualTo(300 + 25);
    assertThat(after.databaseSince(before, "theirs")).isZero();
  }
}
