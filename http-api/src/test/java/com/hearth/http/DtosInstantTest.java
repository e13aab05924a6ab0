package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Date-times in request bodies: the hand-read UTC form agrees with the ISO parser on every input.
 */
class DtosInstantTest {

  @Test
  void theCommonUtcFormAndOtherIsoFormsReadTheSameInstant() throws Exception {
    for (String value :
        List.of(
            "2026-12-01T09:00:00Z",
            "2028-02-29T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "2026-12-01T09:00:00.250Z",
            "2026-12-01T10:00:00+01:00",
            "2026-12-01T09:00Z",
            "2026-12-01T04:00:00-05:00",
            "2026-12-01T09:00:00z"))
      assertThat(Dtos.instant(value, "start"))
          .as(value)
          .isEqualTo(OffsetDateTime.parse(value).toInstant());
    assertThat(Dtos.instant("2026-12-01T09:00:00Z", "start"))
        .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
  }

  @Test
  void impossibleOrMalformedDateTimesAreRefusedWithTheField() {
    for (String value :
        List.of(
            "2026-02-30T09:00:00Z",
            "2027-02-29T09:00:00Z",
            "2026-13-01T09:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T09:60:00Z",
            "2026-12-01T09:00:60Z",
            "2026-12-01 09:00:00Z",
            "2026-12-01T09:0a:00Z",
            "2026-12-01T09:00:00",
            "+026-12-01T09:00:00Z",
            "2026-12-01T09:00:00Zx",
            "",
            "tomorrow"))
      assertThatThrownBy(() -> Dtos.instant(value, "start"))
          .as(value)
          .isInstanceOfSatisfying(
              Dtos.InvalidField.class, e -> assertThat(e.error.field()).isEqualTo("start"));
  }

  @Test
  void datesBeforeTheEpochOrAfterTheYear9999AreOutOfRange() {
    assertThatThrownBy(() -> Dtos.instant("1969-12-31T23:59:59Z", "end"))
        .isInstanceOfSatisfying(
            Dtos.InvalidField.class,
            e -> assertThat(e.error.message()).isEqualTo("is out of range"));
    assertThatThrownBy(() -> Dtos.instant("9999-01-01T00:00:01Z", "end"))
        .isInstanceOfSatisfying(
            Dtos.InvalidField.class,
            e -> assertThat(e.error.message()).isEqualTo("is out of range"));
  }
}
