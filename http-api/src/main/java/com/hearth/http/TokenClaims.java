package com.hearth.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The claims of a token whose signature was verified, checked strictly whatever signed it (the
 * node's HS256 secret or an OpenID Connect provider): every claim Hearth reads has one type and a
 * bound, and anything else makes the whole token invalid (401), never a 500 or a partial identity.
 * Role names are exact ({@code "renter"}, {@code "host"}, {@code "admin"}, {@code "operator"}):
 * nothing is case-folded, so {@code "ADMIN"} or {@code "admın"} grant nothing.
 */
final class TokenClaims {

  /** Longest token accepted, in characters; a longer one is refused before it is decoded. */
  static final int MAX_TOKEN_CHARS = 4096;

  /**
   * A subject: 1 to 128 characters of a safe set (ids of common providers fit: UUIDs, {@code
   * auth0|...}, e-mails).
   */
  static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._~:@|+=-]{1,128}");

  static final int MAX_ROLES = 16;
  static final int MAX_ROLE_CHARS = 64;
  static final int MAX_NAME_CHARS = 200;
  static final int MAX_EMAIL_CHARS = 320;

  /**
   * The three base64url parts of a compact JWS, and nothing else (no spaces, no {@code ;} or {@code
   * ,}).
   */
  static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private static final Map<String, Role> ROLES =
      Map.of(
          "renter", Role.RENTER, "host", Role.HOST, "admin", Role.ADMIN, "operator", Role.OPERATOR);

  /**
   * A payload with a repeated key (two {@code sub}, two {@code roles}) is refused, not read
   * last-wins.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** How long a token may live, and how much clock skew its times may have. */
  record Limits(Duration maxLifetime, Duration leeway) {
    static final Limits DEFAULT = new Limits(Duration.ofHours(24), Duration.ofSeconds(30));

    Limits {
      if (maxLifetime.isNegative() || maxLifetime.isZero())
        throw new IllegalArgumentException("max-token-lifetime must be positive");
      if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0)
        throw new IllegalArgumentException("token-leeway must be between 0 and 5 minutes");
    }
  }

  /**
   * Where the roles are in a payload: a top-level array by default, or a dotted path such as {@code
   * realm_access.roles}.
   */
  private final String rolesClaim;

  private final String[] rolesPath;
  private final Limits limits;

  TokenClaims(String rolesClaim, Limits limits) {
    this.rolesClaim = rolesClaim;
    this.rolesPath = rolesClaim.split("\\.");
    this.limits = limits;
  }

  /**
   * The header of a compact JWS as a JSON object, or empty when it is not one (or repeats a key).
   */
  static Optional<JsonNode> headerOf(String token) {
    int first = token.indexOf('.');
    return first < 0 ? Optional.empty() : object(token.substring(0, first));
  }

  /**
   * The payload of a compact JWS as a JSON object, or empty when it is not one (or repeats a key).
   */
  static Optional<JsonNode> payloadOf(String token) {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    if (first < 0 || second < 0) return Optional.empty();
    return object(token.substring(first + 1, second));
  }

  private static Optional<JsonNode> object(String base64url) {
    try {
      byte[] json = java.util.Base64.getUrlDecoder().decode(base64url);
      JsonNode node = STRICT.readTree(json);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A token text worth verifying: bounded and shaped like a compact JWS. */
  static boolean wellFormed(String token) {
    return token.length() <= MAX_TOKEN_CHARS && COMPACT_JWS.matcher(token).matches();
  }

  /**
   * The principal a verified payload names at {@code now}, or empty when any claim is missing,
   * mistyped or out of bounds.
   */
  Optional<Principal> principalOf(JsonNode payload, Instant now) {
    JsonNode sub = payload.get("sub");
    if (sub == null || !sub.isTextual() || !SUBJECT.matcher(sub.textValue()).matches())
      return Optional.empty();
    Optional<Instant> exp = numericDate(payload, "exp", true);
    Optional<Instant> iat = numericDate(payload, "iat", false);
    Optional<Instant> nbf = numericDate(payload, "nbf", false);
    if (exp == null || iat == null || nbf == null || exp.isEmpty()) return Optional.empty();
    Instant expires = exp.get();
    Duration leeway = limits.leeway();
    if (!now.isBefore(expires.plus(leeway))) return Optional.empty();
    if (iat.isPresent() && iat.get().isAfter(now.plus(leeway))) return Optional.empty();
    if (nbf.isPresent() && nbf.get().isAfter(now.plus(leeway))) return Optional.empty();
    // The lifetime counts from iat when the token has one, else from now: a token minted for a year
    // is refused outright.
    if (Duration.between(iat.orElse(now), expires).compareTo(limits.maxLifetime()) > 0)
      return Optional.empty();
    Set<Role> roles = roles(payload);
    if (roles == null) return Optional.empty();
    Optional<String> name = contact(payload, "name", MAX_NAME_CHARS);
    Optional<String> email = contact(payload, "email", MAX_EMAIL_CHARS);
    if (name == null || email == null) return Optional.empty();
    return Optional.of(
        new Principal(
            new Actor(sub.textValue(), roles, name.orElse(null), email.orElse(null)), expires));
  }

  /** A verified identity and when its token expires. */
  record Principal(Actor actor, Instant expires) {}

  /**
   * The roles array: exact known names grant their role, other strings grant nothing; anything not
   * a string refuses the token (null).
   */
  private Set<Role> roles(JsonNode payload) {
    // A claim named with dots (a URL, as Auth0's namespaced claims are) first, else a path into
    // objects.
    JsonNode node = payload.get(rolesClaim);
    if (node == null) {
      node = payload;
      for (String step : rolesPath) node = node == null || !node.isObject() ? null : node.get(step);
    }
    if (node == null || !node.isArray() || node.size() > MAX_ROLES) return null;
    Set<Role> granted = EnumSet.noneOf(Role.class);
    for (JsonNode role : node) {
      if (!role.isTextual() || role.textValue().length() > MAX_ROLE_CHARS) return null;
      Role r = ROLES.get(role.textValue());
      if (r != null) granted.add(r);
    }
    return granted;
  }

  /**
   * A NumericDate claim: empty when absent and optional, null when present but not a whole number
   * of seconds in a sane range (or absent and required).
   */
  private static Optional<Instant> numericDate(JsonNode payload, String claim, boolean required) {
    JsonNode value = payload.get(claim);
    if (value == null) return required ? null : Optional.empty();
    if (!value.isIntegralNumber() || !value.canConvertToLong()) return null;
    long seconds = value.longValue();
    if (seconds < 0 || seconds > 253_402_300_799L) return null; // up to 9999-12-31
    return Optional.of(Instant.ofEpochSecond(seconds));
  }

  /**
   * An optional contact claim: absent, null or blank is empty; a string of bounded length without
   * control characters is kept; anything else (a number, an object, too long) refuses the token
   * (null).
   */
  private static Optional<String> contact(JsonNode payload, String claim, int maxChars) {
    JsonNode value = payload.get(claim);
    if (value == null || value.isNull()) return Optional.empty();
    if (!value.isTextual()) return null;
    String text = value.textValue().strip();
    if (text.length() > maxChars || text.chars().anyMatch(Character::isISOControl)) return null;
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }
}
