package com.hearth.loadtest.sim;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What every simulation reads from system properties (set by {@code Bench}, or by hand with {@code
 * -D} when running one simulation through the Gatling Maven plugin):
 *
 * <ul>
 *   <li>{@code bench.target}: base URL of the service under test, loopback only;
 *   <li>{@code bench.secret}: the HS256 secret its tokens are signed with;
 *   <li>{@code bench.users}: concurrent users of a closed-model phase (default 64);
 *   <li>{@code bench.duration}: seconds of the measured phase (default 15);
 *   <li>{@code bench.rate}: arrivals per second of an open-model phase;
 *   <li>{@code bench.kitchens}: a file with one published kitchen id per line.
 * </ul>
 */
public final class Params {

  private Params() {}

  public static String target() {
    String url = System.getProperty("bench.target", "http://127.0.0.1:8080");
    try {
      URI base = URI.create(url);
      if (!InetAddress.getByName(base.getHost()).isLoopbackAddress())
        throw new IllegalArgumentException(
            "benchmarks target 127.0.0.1 only, not " + base.getHost());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in " + url, e);
    }
    return url.replaceAll("/+$", "");
  }

  public static Algorithm key() {
    return Algorithm.HMAC256(
        System.getProperty("bench.secret", "load-secret-0123456789-0123456789-abcdef"));
  }

  public static int users() {
    return Integer.getInteger("bench.users", 64);
  }

  public static Duration duration() {
    return Duration.ofSeconds(Integer.getInteger("bench.duration", 15));
  }

  public static double rate() {
    return Double.parseDouble(System.getProperty("bench.rate", "100"));
  }

  public static List<String> kitchens() {
    String file = System.getProperty("bench.kitchens");
    if (file == null)
      throw new IllegalStateException("bench.kitchens (a file of kitchen ids) is required");
    try {
      List<String> ids = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(file)))
        if (!line.isBlank()) ids.add(line.trim());
      if (ids.isEmpty()) throw new IllegalStateException(file + " holds no kitchen id");
      return ids;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** A bearer token for {@code sub} in {@code role}, valid for two hours. */
  public static String token(Algorithm key, String sub, String role) {
    return JWT.create()
        .withSubject(sub)
        .withClaim("roles", List.of(role))
        .withExpiresAt(Instant.now().plus(Duration.ofHours(2)))
        .sign(key);
  }

  /** Renter tokens for {@code count} distinct renters, minted once per simulation. */
  public static List<String> renters(Algorithm key, int count) {
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) tokens.add(token(key, "bench-renter-" + i, "renter"));
    return tokens;
  }

  /**
   * Midnight UTC two days from now, plus {@code bench.dayOffset} days: every slot of a phase starts
   * at or after it, so phases that share kitchens give each their own days.
   */
  public static Instant firstDay() {
    return LocalDate.now(ZoneOffset.UTC)
        .plusDays(2L + Integer.getInteger("bench.dayOffset", 0))
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /** The JSON body of a hold. */
  public static String holdBody(Instant start, Instant end) {
    return "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}";
  }
}
