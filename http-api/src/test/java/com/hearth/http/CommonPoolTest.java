package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommonPoolTest {

  @Test
  void onTwoCoresOrFewerTheCommonPoolIsRaisedToTwoSoThatAsyncStepsShareAPool() {
    assertThat(CommonPool.parallelism(null, 1)).isEqualTo("2");
    assertThat(CommonPool.parallelism(null, 2)).isEqualTo("2");
    assertThat(CommonPool.parallelism("  ", 2)).isEqualTo("2");
  }

  @Test
  void withThreeCoresOrMoreTheJdksOwnSizeIsAlreadyAPool() {
    assertThat(CommonPool.parallelism(null, 3)).isNull();
    assertThat(CommonPool.parallelism(null, 16)).isNull();
  }

  @Test
  void anOperatorsOwnSettingIsLeftAlone() {
    assertThat(CommonPool.parallelism("1", 2)).isNull();
    assertThat(CommonPool.parallelism("8", 2)).isNull();
  }
}
