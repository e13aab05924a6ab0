package com.hearth.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens: HS256 JWTs with {@code sub}, {@code roles} and a required {@code exp}. The
 * principal and its roles come only from here, never from a request body.
 */
public final class JwtAuth {

  static final int MIN_SECRET_BYTES = 32;
  private static final Set<Role> TOKEN_ROLES = EnumSet.of(Role.RENTER, Role.HOST, Role.ADMIN, Role.OPERATOR);

  /** Verified tokens kept at most this many; a full cache is swept of expired entries, else cleared. */
  static final int CACHE_MAX_ENTRIES = 10_000;
  /** A verified token is trusted from the cache this long at most, and never past its {@code exp}. */
  static final Duration CACHE_TTL = Duration.ofMinutes(1);

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
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
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < MIN_SECRET_BYTES)
      throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
    this.algorithm = Algorithm.HMAC256(key);
    this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).acceptLeeway(30)).build(clock);
    this.clock = clock;
  }

  /** The principal of a valid token, or empty for a forged, expired or incomplete one. */
  public Optional<Actor> verify(String token) {
    Instant now = clock.instant();
    Verified hit = verified.get(token);
    if (hit != null) {
      if (now.isBefore(hit.until())) return Optional.of(hit.actor());
      verified.remove(token, hit);
    }
    Optional<DecodedJWT> jwt = decode(token);
    if (jwt.isEmpty()) return Optional.empty();
    Actor actor = actorOf(jwt.get());
    if (actor == null) return Optional.empty();
    Instant expires = jwt.get().getExpiresAtAsInstant();
    Instant until = expires.isBefore(now.plus(CACHE_TTL)) ? expires : now.plus(CACHE_TTL);
    if (now.isBefore(until)) remember(token, new Verified(actor, until), now);
    return Optional.of(actor);
  }

  private Optional<DecodedJWT> decode(String token) {
    try {
      return Optional.of(verifier.verify(token));
    } catch (JWTVerificationException e) {
      return Optional.empty();
    }
  }

  /** The principal a verified token names, or null when it lacks a subject, an expiry or roles. */
  private static Actor actorOf(DecodedJWT jwt) {
    if (jwt.getSubject() == null || jwt.getSubject().isBlank() || jwt.getExpiresAt() == null) return null;
    List<String> roles;
    try {
      roles = jwt.getClaim("roles").asList(String.class);
    } catch (JWTDecodeException notAList) {
      return null;
    }
    if (roles == null) return null;
    Set<Role> granted = EnumSet.noneOf(Role.class);
    for (String role : roles) {
      try {
        Role r = Role.valueOf(role.toUpperCase(Locale.ROOT));
        if (TOKEN_ROLES.contains(r)) granted.add(r);
      } catch (IllegalArgumentException unknownRole) {
        // Roles this version does not know grant nothing.
      }
    }
    return new Actor(jwt.getSubject(), granted, contact(jwt, "name", 200), contact(jwt, "email", 320));
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

  /** An optional contact claim ({@code name}, {@code email}): a non-blank string of bounded length, else null. */
  private static String contact(DecodedJWT jwt, String claim, int maxLength) {
    String value = jwt.getClaim(claim).asString();
    if (value == null) return null;
    value = value.strip();
    return value.isEmpty() || value.length() > maxLength ? null : value;
  }

  /** Mints a token; used by the local {@code token} command and by tests. */
  public String mint(String subject, List<String> roles, Duration ttl, Clock clock) {
    return mint(subject, roles, null, null, ttl, clock);
  }

  /** Mints a token with the optional contact claims {@code name} and {@code email}. */
  public String mint(String subject, List<String> roles, String name, String email, Duration ttl, Clock clock) {
    var builder = JWT.create()
        .withSubject(subject)
        .withClaim("roles", roles)
        .withIssuedAt(clock.instant())
        .withExpiresAt(clock.instant().plus(ttl));
    if (name != null) builder.withClaim("name", name);
    if (email != null) builder.withClaim("email", email);
    return builder.sign(algorithm);
  }

  /**
   * The configured secret, or else the one kept in {@code <dataDir>/jwt-secret}, made on first
   * use with 256 random bits and owner-only permissions.
   */
  public static String resolveSecret(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) return configured;
    Path file = dataDir.resolve("jwt-secret");
    try {
      if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8).trim();
      Files.createDirectories(dataDir);
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file stays with the directory's permissions.
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the JWT secret at " + file, e);
    }
  }
}
