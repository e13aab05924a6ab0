package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Argon2id hashes on threads of their own, with a bounded queue. */
class PasswordHashingTest {

  @Test
  void hashesMatchTheirPasswordOnly() throws Exception {
    try (PasswordHashing hashing = new PasswordHashing(new PasswordHashing.Cost(1024, 1), 1, 4)) {
      String hash = hashing.hash("correct horse battery").get();
      assertThat(hash).startsWith("$argon2id$").doesNotContain("correct horse battery");
      assertThat(hashing.matches("correct horse battery", hash).get()).isTrue();
      assertThat(hashing.matches("correct horse batterz", hash).get()).isFalse();
      // No account: checked against the dummy hash, and never a match.
      assertThat(hashing.matches("correct horse battery", null).get()).isFalse();
    }
  }

  @Test
  void beyondTheThreadsAndTheQueueHashingIsRefusedAtOnce() throws Exception {
    // A costly hash on one thread and one waiting place: the third request finds both taken.
    try (PasswordHashing hashing = new PasswordHashing(new PasswordHashing.Cost(65536, 8), 1, 1)) {
      CompletableFuture<String> running = hashing.hash("first password");
      CompletableFuture<String> waiting = hashing.hash("second password");
      CompletableFuture<String> refused = hashing.hash("third password");
      assertThat(refused).isCompletedExceptionally();
      try {
        refused.get();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(PasswordHashing.Busy.class);
      }
      assertThat(running.get()).startsWith("$argon2id$");
      assertThat(waiting.get()).startsWith("$argon2id$");
    }
  }
}
