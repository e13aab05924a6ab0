package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code hearth admin create}'s refusals before it calls a node: usage, and no password on stdin.
 */
class AdminCreateUsageTest {

  record Run(int exit, String err) {}

  static Run admin(String stdin, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        AdminCli.admin(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badUsageAndAMissingPasswordExitTwoWithTheAdminUsage() {
    Run noEmail = admin("a password here\n", "create");
    assertThat(noEmail.exit()).isEqualTo(2);
    assertThat(noEmail.err()).contains("--email is required", "hearth admin create --email E");
    Run other = admin("", "delete");
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.err()).contains("hearth admin create");
    Run passwordOption = admin("", "create", "--email", "a@example.org", "--password", "x");
    assertThat(passwordOption.exit()).isEqualTo(2);
    assertThat(passwordOption.err()).contains("unknown option --password");
    Run noPassword = admin("", "create", "--email", "a@example.org");
    assertThat(noPassword.exit()).isEqualTo(2);
    assertThat(noPassword.err()).contains("no password on standard input");
  }
}
