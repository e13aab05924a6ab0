package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The accounts' rules as plain functions: e-mail, password, name, role, ids. */
class AccountsPolicyTest {

  @Test
  void emailsAreTrimmedCheckedAndComparedWithoutCase() {
    assertThat(Accounts.email("  Jane.Doe+x@Example.org ")).isEqualTo("Jane.Doe+x@Example.org");
    assertThat(Accounts.emailKey("Jane.Doe+x@Example.org")).isEqualTo("jane.doe+x@example.org");
    for (String bad :
        new String[] {
          null,
          "",
          "jane",
          "jane@",
          "@example.org",
          "jane@example",
          "ja ne@example.org",
          "jane@@example.org",
          "jane\u0000x@example.org",
          "a".repeat(250) + "@example.org"
        })
      assertThatThrownBy(() -> Accounts.email(bad))
          .as(String.valueOf(bad))
          .isInstanceOfSatisfying(
              Accounts.Refused.class,
              r -> assertThat(r.problem.code()).isEqualTo("VALIDATION_FAILED"));
  }

  @Test
  void passwordsHaveTenTo128CharactersAndAreNotTheEmail() {
    Accounts.password("0123456789", "jane@example.org");
    Accounts.password("x".repeat(128), "jane@example.org");
    // Characters, not UTF-16 units: ten emoji are ten characters.
    Accounts.password("\uD83D\uDD11".repeat(10), "jane@example.org");
    for (String weak : new String[] {"012345678", "x".repeat(129), "JANE@example.org"})
      assertThatThrownBy(() -> Accounts.password(weak, "jane@example.org"))
          .as(weak)
          .isInstanceOfSatisfying(
              Accounts.Refused.class, r -> assertThat(r.problem.code()).isEqualTo("WEAK_PASSWORD"));
  }

  @Test
  void namesAndRolesAreChecked() {
    assertThat(Accounts.name("  Jane Doe ")).isEqualTo("Jane Doe");
    assertThatThrownBy(() -> Accounts.name(" ")).isInstanceOf(Accounts.Refused.class);
    assertThatThrownBy(() -> Accounts.name("a\u0007b")).isInstanceOf(Accounts.Refused.class);
    assertThatThrownBy(() -> Accounts.name("n".repeat(201))).isInstanceOf(Accounts.Refused.class);
    Accounts.role("host", Accounts.PUBLIC_ROLES);
    for (String role : new String[] {"admin", "operator", "Host", "", null})
      assertThatThrownBy(() -> Accounts.role(role, Accounts.PUBLIC_ROLES))
          .as(String.valueOf(role))
          .isInstanceOf(Accounts.Refused.class);
    Accounts.role("admin", Accounts.ALL_ROLES);
    assertThat(Accounts.ALL_ROLES).containsAll(Accounts.PUBLIC_ROLES);
    assertThat(Set.copyOf(Accounts.PUBLIC_ROLES)).doesNotContain("admin", "operator");
  }

  @Test
  void accountIdsAreTokenSubjects() {
    String id = Accounts.newAccountId();
    assertThat(id).matches("acct_[0-9a-f]{32}").matches(TokenClaims.SUBJECT);
    assertThat(Accounts.newAccountId()).isNotEqualTo(id);
  }
}
