package com.hearth.http;

import com.hearth.engine.FieldError;
import com.hearth.http.AccountStore.Account;
import com.hearth.http.AccountStore.EmailTaken;
import com.hearth.http.AccountStore.RefreshToken;
import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in accounts of the embedded default (docs/security.md, "Identity"): sign-up of renters and
 * hosts, sign-in with an e-mail and a password, access tokens that are the node's own HS256 tokens,
 * rotating refresh tokens with reuse detection, and sign-out. Passwords are hashed with Argon2id on
 * {@link PasswordHashing}'s threads; the database is used on the JDBC executor. Refusals are {@link
 * Refused} failures carrying their problem document.
 */
final class Accounts {

  private static final Logger log = LoggerFactory.getLogger(Accounts.class);

  static final int MIN_PASSWORD_CHARS = 10;
  static final int MAX_PASSWORD_CHARS = 128;
  static final int MAX_EMAIL_CHARS = 254;
  static final int MAX_NAME_CHARS = TokenClaims.MAX_NAME_CHARS;

  /** Roles anyone may sign up with; an admin's route may also make admins and operators. */
  static final Set<String> PUBLIC_ROLES = Set.of("renter", "host");

  static final Set<String> ALL_ROLES = Set.of("renter", "host", "admin", "operator");

  /** A local part, an {@code @}, and a domain with a dot; no spaces or control characters. */
  private static final Pattern EMAIL =
      Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]+\\.[^\\s@\\p{Cntrl}.]+");

  /** {@code hrt_} and 32 random bytes in base64url: what {@link #newRefreshToken} makes. */
  private static final Pattern REFRESH_TOKEN = Pattern.compile("hrt_[A-Za-z0-9_-]{43}");

  /** The {@code hearth.accounts} settings; a 0 rate turns that limit off. */
  record Settings(
      Duration accessTokenLifetime,
      Duration refreshTokenLifetime,
      boolean secureCookie,
      double signUpsPerHourPerAddress,
      int signUpBurstPerAddress,
      double failedSignInsPerHourPerAccount,
      int failedSignInBurstPerAccount,
      double failedSignInsPerHourPerAddress,
      int failedSignInBurstPerAddress,
      int hashThreads,
      int maxWaitingHashes,
      PasswordHashing.Cost cost) {

    static Settings from(Config config) {
      Config c = config.getConfig("hearth.accounts");
      Settings s =
          new Settings(
              c.getDuration("access-token-lifetime"),
              c.getDuration("refresh-token-lifetime"),
              c.getBoolean("secure-cookie"),
              c.getDouble("sign-ups-per-hour-per-address"),
              c.getInt("sign-up-burst-per-address"),
              c.getDouble("failed-sign-ins-per-hour-per-account"),
              c.getInt("failed-sign-in-burst-per-account"),
              c.getDouble("failed-sign-ins-per-hour-per-address"),
              c.getInt("failed-sign-in-burst-per-address"),
              c.getInt("hash-threads"),
              c.getInt("max-waiting-hashes"),
              new PasswordHashing.Cost(
                  c.getInt("argon2-memory-kib"), c.getInt("argon2-iterations")));
      Duration max = config.getDuration("hearth.auth.max-token-lifetime");
      if (s.accessTokenLifetime().isNegative()
          || s.accessTokenLifetime().isZero()
          || s.accessTokenLifetime().compareTo(max) > 0)
        throw new IllegalArgumentException(
            "hearth.accounts.access-token-lifetime must be positive and at most"
                + " hearth.auth.max-token-lifetime ("
                + max
                + ")");
      if (s.refreshTokenLifetime().isNegative() || s.refreshTokenLifetime().isZero())
        throw new IllegalArgumentException(
            "hearth.accounts.refresh-token-lifetime must be positive");
      if (s.hashThreads() < 1 || s.maxWaitingHashes() < 0)
        throw new IllegalArgumentException(
            "hearth.accounts.hash-threads must be at least 1 and max-waiting-hashes 0 or more");
      return s;
    }
  }

  /** What an account shows of itself: never its hash. */
  record View(String id, String email, String name, String role) {
    static View of(Account a) {
      return new View(a.id(), a.email(), a.name(), a.role());
    }
  }

  /** A signed-in session: a short access token and the refresh token that renews it. */
  record Session(String accessToken, long expiresIn, String refreshToken, View account) {}

  /** A refusal, with the problem to answer and, for a limit, how long to wait. */
  static final class Refused extends RuntimeException {
    final Problem problem;
    final Duration retryAfter;

    Refused(Problem problem, Duration retryAfter) {
      super(problem.code(), null, false, false);
      this.problem = problem;
      this.retryAfter = retryAfter;
    }

    Refused(Problem problem) {
      this(problem, null);
    }
  }

  private final Settings settings;
  private final AccountStore store;
  private final PasswordHashing hashing;
  private final JwtAuth auth;
  private final Executor jdbc;
  private final Clock clock;
  private final RateLimiter signUps;
  private final RateLimiter failuresByAccount;
  private final RateLimiter failuresByAddress;
  private final SecureRandom random = new SecureRandom();

  Accounts(
      Settings settings,
      AccountStore store,
      PasswordHashing hashing,
      JwtAuth auth,
      IntSupplier members,
      Executor jdbc,
      Clock clock) {
    this.settings = settings;
    this.store = store;
    this.hashing = hashing;
    this.auth = auth;
    this.jdbc = jdbc;
    this.clock = clock;
    this.signUps =
        new RateLimiter(
            settings.signUpsPerHourPerAddress() / 3600,
            settings.signUpBurstPerAddress(),
            members,
            System::nanoTime);
    this.failuresByAccount =
        new RateLimiter(
            settings.failedSignInsPerHourPerAccount() / 3600,
            settings.failedSignInBurstPerAccount(),
            members,
            System::nanoTime);
    this.failuresByAddress =
        new RateLimiter(
            settings.failedSignInsPerHourPerAddress() / 3600,
            settings.failedSignInBurstPerAddress(),
            members,
            System::nanoTime);
  }

  Settings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- use cases

  /**
   * A new account of {@code role} among {@code allowedRoles}; {@code address} (when known) counts
   * against its sign-up rate.
   */
  CompletionStage<View> create(
      String email,
      String password,
      String name,
      String role,
      Set<String> allowedRoles,
      Optional<String> address) {
    String cleanEmail;
    String cleanName;
    try {
      cleanEmail = email(email);
      password(password, cleanEmail);
      cleanName = name(name);
      role(role, allowedRoles);
    } catch (Refused r) {
      return CompletableFuture.failedFuture(r);
    }
    if (address.isPresent()) {
      Optional<Duration> wait = signUps.take(address.get());
      if (wait.isPresent())
        return CompletableFuture.failedFuture(
            new Refused(
                Problems.of(
                    Problems.Type.RATE_LIMITED,
                    "too many accounts made from this address in a short time; try again later"),
                wait.get()));
    }
    String key = emailKey(cleanEmail);
    return CompletableFuture.supplyAsync(() -> store.emailTaken(key), jdbc)
        .thenCompose(
            taken -> {
              if (taken) throw emailTaken();
              return hashing.hash(password);
            })
        .thenApplyAsync(
            hash -> {
              Account account =
                  new Account(newAccountId(), cleanEmail, cleanName, role, hash, clock.instant());
              try {
                store.create(account, key);
              } catch (EmailTaken e) {
                throw emailTaken();
              }
              log.info("account {} created with role {}", account.id(), role);
              return View.of(account);
            },
            jdbc);
  }

  /**
   * Signs in: a new session, or {@code BAD_CREDENTIALS} alike for an unknown e-mail and a wrong
   * password (the unknown one is checked against a dummy hash, so both take as long). Failures
   * count against the e-mail and the address; past either's limit the answer is 429 at once.
   */
  CompletionStage<Session> signIn(String email, String password, Optional<String> address) {
    if (email == null || password == null)
      return CompletableFuture.failedFuture(
          new Refused(Problems.invalid(email == null ? "email" : "password", "is required"), null));
    String key = emailKey(email.strip());
    Optional<Duration> wait =
        longest(
            failuresByAccount.waitFor(key),
            address.flatMap(failuresByAddress::waitFor).orElse(null));
    if (wait.isPresent())
      return CompletableFuture.failedFuture(
          new Refused(
              Problems.of(
                  Problems.Type.RATE_LIMITED,
                  "too many failed sign-ins for this account or from this address; wait and try"
                      + " again"),
              wait.get()));
    // A password longer than any account may have is still hashed (cut to the maximum), so that
    // its answer takes as long as any other.
    String candidate =
        password.codePointCount(0, password.length()) > MAX_PASSWORD_CHARS
            ? password.substring(0, password.offsetByCodePoints(0, MAX_PASSWORD_CHARS))
            : password;
    boolean possible = candidate.equals(password) && key.length() <= MAX_EMAIL_CHARS;
    return CompletableFuture.supplyAsync(
            () -> possible ? store.byEmail(key) : Optional.<Account>empty(), jdbc)
        .thenCompose(
            account ->
                hashing
                    .matches(candidate, account.map(Account::passwordHash).orElse(null))
                    .thenApply(ok -> ok ? account : Optional.<Account>empty()))
        .thenApplyAsync(
            account -> {
              if (account.isEmpty()) {
                failuresByAccount.take(key);
                address.ifPresent(failuresByAddress::take);
                throw new Refused(
                    Problems.of(
                        Problems.Type.BAD_CREDENTIALS, "the e-mail or the password is wrong"));
              }
              return startSession(account.get(), "fam_" + randomId());
            },
            jdbc);
  }

  /**
   * A new session for the holder of a current refresh token, which stops working. A token that was
   * already rotated revokes its whole family: someone else has a copy.
   */
  CompletionStage<Session> refresh(String refreshToken) {
    if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches())
      return CompletableFuture.failedFuture(invalidRefresh());
    String hash = sha256(refreshToken);
    return CompletableFuture.supplyAsync(
        () -> {
          Instant now = clock.instant();
          RefreshToken token = store.refreshToken(hash).orElseThrow(Accounts::invalidRefresh);
          if (token.revoked() || !now.isBefore(token.expires())) throw invalidRefresh();
          if (token.rotated() || !store.rotate(hash, now)) {
            store.revokeFamily(token.familyId(), now);
            log.warn(
                "a rotated refresh token of account {} was used again: its sessions are revoked",
                token.account().id());
            throw invalidRefresh();
          }
          return startSession(token.account(), token.familyId());
        },
        jdbc);
  }

  /** Revokes the family of {@code refreshToken}; nothing to do for one that is not current. */
  CompletionStage<Void> signOut(String refreshToken) {
    if (refreshToken == null || !REFRESH_TOKEN.matcher(refreshToken).matches())
      return CompletableFuture.completedFuture(null);
    String hash = sha256(refreshToken);
    return CompletableFuture.runAsync(
        () ->
            store
                .refreshToken(hash)
                .ifPresent(t -> store.revokeFamily(t.familyId(), clock.instant())),
        jdbc);
  }

  private Session startSession(Account account, String familyId) {
    Instant now = clock.instant();
    String refresh = newRefreshToken();
    store.addRefreshToken(
        sha256(refresh), familyId, account.id(), now, now.plus(settings.refreshTokenLifetime()));
    String access =
        auth.mint(
            account.id(),
            List.of(account.role()),
            account.name(),
            account.email(),
            settings.accessTokenLifetime(),
            clock);
    return new Session(
        access, settings.accessTokenLifetime().toSeconds(), refresh, View.of(account));
  }

  // ---------------------------------------------------------------- policy

  /** The e-mail as kept: trimmed, checked; {@code VALIDATION_FAILED} otherwise. */
  static String email(String email) {
    if (email == null) throw invalid("email", "is required");
    String trimmed = email.strip();
    if (trimmed.length() > MAX_EMAIL_CHARS || !EMAIL.matcher(trimmed).matches())
      throw invalid("email", "is not an e-mail address");
    return trimmed;
  }

  /** The key two spellings of one address share. */
  static String emailKey(String email) {
    return email.toLowerCase(Locale.ROOT);
  }

  /** {@code WEAK_PASSWORD} unless 10 to 128 characters and not the e-mail itself. */
  static void password(String password, String email) {
    if (password == null) throw invalid("password", "is required");
    int chars = password.codePointCount(0, password.length());
    String why =
        chars < MIN_PASSWORD_CHARS
            ? "must have at least " + MIN_PASSWORD_CHARS + " characters"
            : chars > MAX_PASSWORD_CHARS
                ? "may have at most " + MAX_PASSWORD_CHARS + " characters"
                : password.strip().equalsIgnoreCase(email)
                    ? "must not be the e-mail address"
                    : null;
    if (why != null)
      throw new Refused(
          Problems.of(Problems.Type.WEAK_PASSWORD, "password: " + why)
              .withErrors(List.of(new FieldError("password", why))));
  }

  static String name(String name) {
    if (name == null) throw invalid("name", "is required");
    String trimmed = name.strip();
    if (trimmed.isEmpty()) throw invalid("name", "must not be blank");
    if (trimmed.length() > MAX_NAME_CHARS)
      throw invalid("name", "may have at most " + MAX_NAME_CHARS + " characters");
    if (trimmed.chars().anyMatch(Character::isISOControl))
      throw invalid("name", "must not contain control characters");
    return trimmed;
  }

  static void role(String role, Set<String> allowed) {
    if (role == null) throw invalid("role", "is required");
    if (!allowed.contains(role))
      throw invalid("role", "must be one of " + allowed.stream().sorted().toList());
  }

  private static Refused invalid(String field, String message) {
    return new Refused(Problems.invalid(field, message));
  }

  private static Refused emailTaken() {
    return new Refused(
        Problems.of(Problems.Type.EMAIL_TAKEN, "an account with this e-mail address exists"));
  }

  private static Refused invalidRefresh() {
    return new Refused(
        Problems.of(
            Problems.Type.INVALID_REFRESH_TOKEN,
            "the refresh token is unknown, expired, signed out or already used; sign in again"));
  }

  private static Optional<Duration> longest(Optional<Duration> a, Duration b) {
    if (b == null) return a;
    return Optional.of(a.filter(x -> x.compareTo(b) > 0).orElse(b));
  }

  // ---------------------------------------------------------------- ids and tokens

  /** {@code acct_} and 32 hex digits: a token subject ({@link TokenClaims#SUBJECT}). */
  static String newAccountId() {
    return "acct_" + randomId();
  }

  private static String randomId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private String newRefreshToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "hrt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
