package com.hearth.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.hearth.engine.Actor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens: HS256 JWTs with {@code sub}, {@code roles} and a required {@code exp}. The
 * principal and its roles come only from here, never from a request body. Every claim is checked by
 * {@link TokenClaims}: typed, bounded, exact role names, a maximum lifetime and a small leeway.
 */
public final class JwtAuth {

  static final int MIN_SECRET_BYTES = 32;

  /**
   * Verified tokens kept at most this many; a full cache is swept of expired entries, else cleared.
   */
  static final int CACHE_MAX_ENTRIES = 10_000;

  /**
   * A verified token is trusted from the cache this long at most, and never past its {@code exp}.
   */
  static final Duration CACHE_TTL = Duration.ofMinutes(1);

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final TokenClaims claims;

  /** Tokens of an external OpenID Connect provider, when one is configured. */
  private final Optional<ExternalTokens> external;

  private final TokenClaims externalClaims;

  /**
   * Whether the node's own HS256 tokens are accepted (a deployment with a provider may turn them
   * off).
   */
  private final boolean localTokens;

  private final Clock clock;

  /**
   * Tokens that passed full verification, by their exact text, with the principal they carry: a
   * client sends the same token with every request, and checking its HMAC and parsing its JSON
   * again each time was a tenth of the node's CPU per request. Only verified tokens get in, and an
   * entry lapses at its token's {@code exp} (the verifier's leeway is not extended to it).
   */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Actor actor, Instant until) {}

  public JwtAuth(String secret, Clock clock) {
    this(secret, clock, TokenClaims.Limits.DEFAULT);
  }

  JwtAuth(String secret, Clock clock, TokenClaims.Limits limits) {
    this(secret, clock, limits, Optional.empty(), true);
  }

  JwtAuth(
      String secret,
      Clock clock,
      TokenClaims.Limits limits,
      Optional<ExternalTokens> external,
      boolean localTokens) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < MIN_SECRET_BYTES)
      throw new IllegalArgumentException(
          "the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
    this.algorithm = Algorithm.HMAC256(key);
    this.verifier =
        ((JWTVerifier.BaseVerification)
                JWT.require(algorithm).acceptLeeway(limits.leeway().toSeconds()))
            .build(clock);
    this.claims = new TokenClaims("roles", limits);
    this.external = external;
    this.externalClaims =
        new TokenClaims(external.map(ExternalTokens::rolesClaim).orElse("roles"), limits);
    this.localTokens = localTokens;
    this.clock = clock;
  }

  /** The node's verifier as configured under {@code hearth.auth}. */
  static JwtAuth from(NodeSettings settings, Clock clock) {
    return new JwtAuth(
        resolveSecret(settings.jwtSecret(), settings.dataDir()),
        clock,
        settings.tokenLimits(),
        settings.oidc().map(ExternalTokens::new),
        settings.localTokens());
  }

  /**
   * The principal of a valid token, or empty for a forged, expired, malformed or out-of-bounds one.
   */
  public Optional<Actor> verify(String token) {
    if (token == null) return Optional.empty();
    Instant now = clock.instant();
    // Only tokens that were well formed and verified are cached, so a hit needs no shape check.
    Verified hit = verified.get(token);
    if (hit != null) {
      if (now.isBefore(hit.until())) return Optional.of(hit.actor());
      verified.remove(token, hit);
    }
    if (!TokenClaims.wellFormed(token)) return Optional.empty();
    Optional<TokenClaims.Principal> principal =
        switch (algorithmOf(token)) {
          case "HS256" ->
              localTokens && signatureHolds(token)
                  ? TokenClaims.payloadOf(token).flatMap(p -> claims.principalOf(p, now))
                  : Optional.empty();
          case "RS256", "ES256" ->
              external
                  .flatMap(e -> e.verify(token))
                  .flatMap(p -> externalClaims.principalOf(p, now));
          default -> Optional.empty();
        };
    if (principal.isEmpty()) return Optional.empty();
    Actor actor = principal.get().actor();
    Instant expires = principal.get().expires();
    Instant until = expires.isBefore(now.plus(CACHE_TTL)) ? expires : now.plus(CACHE_TTL);
    if (now.isBefore(until)) remember(token, new Verified(actor, until), now);
    return Optional.of(actor);
  }

  /** The {@code alg} of a token's header, or "" when the header is not a JSON object naming one. */
  private static String algorithmOf(String token) {
    return TokenClaims.headerOf(token)
        .map(h -> h.path("alg"))
        .filter(a -> a.isTextual())
        .map(a -> a.textValue())
        .orElse("");
  }

  private boolean signatureHolds(String token) {
    try {
      verifier.verify(token);
      return true;
    } catch (JWTVerificationException e) {
      return false;
    }
  }

  /** How many verified tokens the cache holds now. */
  int cachedTokens() {
    return verified.size();
  }

  private void remember(String token, Verified entry, Instant now) {
    if (verified.size() >= CACHE_MAX_ENTRIES) {
      verified.values().removeIf(v -> !now.isBefore(v.until()));
      if (verified.size() >= CACHE_MAX_ENTRIES) verified.clear();
    }
    verified.put(token, entry);
  }

  /** Mints a token; used by the local {@code token} command and by tests. */
  public String mint(String subject, List<String> roles, Duration ttl, Clock clock) {
    return mint(subject, roles, null, null, ttl, clock);
  }

  /** Mints a token with the optional contact claims {@code name} and {@code email}. */
  public String mint(
      String subject, List<String> roles, String name, String email, Duration ttl, Clock clock) {
    var builder =
        JWT.create()
            .withSubject(subject)
            .withClaim("roles", roles)
            .withIssuedAt(clock.instant())
            .withExpiresAt(clock.instant().plus(ttl));
    if (name != null) builder.withClaim("name", name);
    if (email != null) builder.withClaim("email", email);
    return builder.sign(algorithm);
  }

  /**
   * The configured secret, or else the one kept in {@code <dataDir>/jwt-secret}, made on first use
   * with 256 random bits in a file created owner-only (no moment where others may read it) in a
   * data directory that is owner-only too.
   */
  public static String resolveSecret(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) return configured;
    Path file = dataDir.resolve("jwt-secret");
    try {
      if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8).trim();
      OwnerOnly.directory(dataDir);
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        OwnerOnly.writeNewFile(file, secret + "\n");
      } catch (java.nio.file.FileAlreadyExistsException madeMeanwhile) {
        // Another process (a second `hearth token`) made it first: use theirs.
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the JWT secret at " + file, e);
    }
  }
}
