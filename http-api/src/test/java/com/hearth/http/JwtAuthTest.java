package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token checks, and the cache of verified tokens that must never outlive a token or admit a bad one. */
class JwtAuthTest {

  private static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private final TestClock clock = TestClock.stoppedAt(T0);
  private final JwtAuth auth = new JwtAuth(SECRET, clock);

  @Test
  void aValidTokenNamesItsSubjectAndKnownRoles() {
    String token = auth.mint("renter-1", List.of("renter", "wizard"), "Ana", null, Duration.ofHours(1), clock);

    Actor actor = auth.verify(token).orElseThrow();

    assertThat(actor.id()).isEqualTo("renter-1");
    assertThat(actor.has(Role.RENTER)).isTrue();
    assertThat(actor.roles()).containsExactly(Role.RENTER);
    assertThat(actor.name()).isEqualTo("Ana");
  }

  @Test
  void aVerifiedTokenIsAnsweredFromTheCacheUntilItsTimeToLive() {
    String token = auth.mint("renter-1", List.of("renter"), Duration.ofHours(1), clock);
    Actor first = auth.verify(token).orElseThrow();

    clock.advance(JwtAuth.CACHE_TTL.minusSeconds(1));
    assertThat(auth.verify(token).orElseThrow()).isSameAs(first);

    clock.advance(Duration.ofSeconds(1));
    Actor again = auth.verify(token).orElseThrow();
    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void aCachedTokenLapsesAtItsExpiry() {
    String token = auth.mint("renter-1", List.of("renter"), Duration.ofSeconds(20), clock);
    assertThat(auth.verify(token)).isPresent();

    // Past exp but inside the verifier's 30 s leeway: verified again in full, not served from the cache.
    clock.advance(Duration.ofSeconds(25));
    Actor withinLeeway = auth.verify(token).orElseThrow();
    assertThat(auth.verify(token).orElseThrow()).isNotSameAs(withinLeeway);

    clock.advance(Duration.ofSeconds(30));
    assertThat(auth.verify(token)).isEmpty();
  }

  @Test
  void forgedIncompleteAndTamperedTokensAreRefusedEveryTime() {
    String forged = new JwtAuth("another-secret-that-is-long-enough-000000", clock)
        .mint("admin-1", List.of("admin"), Duration.ofHours(1), clock);
    String noRoles = auth.mint("renter-1", List.of(), Duration.ofHours(1), clock);
    String good = auth.mint("renter-1", List.of("renter"), Duration.ofHours(1), clock);
    assertThat(auth.verify(good)).isPresent();
    String tampered = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");

    for (int i = 0; i < 2; i++) {
      assertThat(auth.verify(forged)).isEmpty();
      assertThat(auth.verify(tampered)).isEmpty();
      assertThat(auth.verify("not.a.token")).isEmpty();
    }
    assertThat(auth.verify(noRoles)).map(Actor::roles).contains(java.util.Set.of());
  }

  @Test
  void theCacheStaysBoundedAndKeepsAnsweringCorrectly() {
    Optional<Actor> last = Optional.empty();
    for (int i = 0; i < JwtAuth.CACHE_MAX_ENTRIES + 10; i++)
      last = auth.verify(auth.mint("renter-" + i, List.of("renter"), Duration.ofHours(1), clock));
    assertThat(last.map(Actor::id)).contains("renter-" + (JwtAuth.CACHE_MAX_ENTRIES + 9));
    assertThat(auth.cachedTokens()).isLessThanOrEqualTo(JwtAuth.CACHE_MAX_ENTRIES);
  }
}
