package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.FieldError;
import com.hearth.engine.Rejection;
import com.hearth.engine.RuleViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one mapping from the domain's rejections to problem documents. */
class ProblemsTest {

  @Test
  void everyDomainRejectionCodeHasAProblemTypeOfTheSameName() {
    for (Rejection.Code code : Rejection.Code.values())
      assertThat(Problems.Type.of(code).name()).as(code.name()).isEqualTo(code.name());
  }

  @Test
  void aRejectionBecomesItsTypesStatusTitleAndCodeWithItsDetail() {
    Problem p = Problems.of(Rejection.of(Rejection.Code.SLOT_UNAVAILABLE, "taken"));
    assertThat(p)
        .isEqualTo(
            new Problem(
                "urn:hearth:problem:slot-unavailable",
                "Slot unavailable",
                409,
                "taken",
                "SLOT_UNAVAILABLE",
                null,
                null));
  }

  @Test
  void aBrokenRuleIsNamedAndInvalidFieldsAreListedAndMakeTheDetail() {
    assertThat(Problems.of(Rejection.rule(RuleViolation.TOO_SOON, "too soon")).rule())
        .isEqualTo("TOO_SOON");
    Problem invalid =
        Problems.of(
            Rejection.invalid(
                List.of(new FieldError("a", "is required"), new FieldError("b", "is bad"))));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.detail()).isEqualTo("a: is required; b: is bad");
    assertThat(invalid.errors()).hasSize(2);
    assertThat(Problems.invalid("week", "is bad"))
        .isEqualTo(
            new Problem(
                "urn:hearth:problem:validation-failed",
                "Invalid request",
                400,
                "week: is bad",
                "VALIDATION_FAILED",
                null,
                List.of(new FieldError("week", "is bad"))));
  }

  @Test
  void busyAndUnavailableCarryRetryAfter() {
    assertThat(
            HearthDirectives.rejected(Rejection.of(Rejection.Code.KITCHEN_BUSY, "busy"))
                .getHeader("Retry-After"))
        .hasValueSatisfying(h -> assertThat(h.value()).isEqualTo("1"));
    assertThat(
            HearthDirectives.problem(Problems.Type.UNAVAILABLE, "later").getHeader("Retry-After"))
        .hasValueSatisfying(h -> assertThat(h.value()).isEqualTo("2"));
    assertThat(HearthDirectives.problem(Problems.Type.NOT_FOUND, "no").getHeader("Retry-After"))
        .isEmpty();
  }
}
