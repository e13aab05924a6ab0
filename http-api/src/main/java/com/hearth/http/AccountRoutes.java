package com.hearth.http;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in accounts' routes: {@code POST /v1/accounts} (sign-up, no token), {@code POST
 * /v1/sessions} (sign-in), {@code /v1/sessions/refresh}, {@code /v1/sessions/sign-out}, and the
 * admins' {@code POST /v1/admin/accounts}. Sessions answer {@code accessToken}, {@code tokenType},
 * {@code expiresIn}, {@code refreshToken} and {@code account} (camelCase, as OAuth clients and the
 * console expect), and set the refresh token as an HttpOnly cookie scoped to {@code /v1/sessions}.
 * When the node's own tokens are off ({@code hearth.auth.local-tokens = false}) every one of them
 * answers 404.
 */
final class AccountRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);

  static final String REFRESH_COOKIE = "hearth_refresh";
  static final String COOKIE_PATH = "/v1/sessions";

  record SignUpRequest(String email, String password, String name, String role) {}

  record SignInRequest(String email, String password) {}

  record RefreshRequest(
      @JsonProperty("refreshToken") @JsonAlias("refresh_token") String refreshToken) {}

  /** Null when the node's own tokens are off. */
  private final Accounts accounts;

  /** Reads a JSON body within the node's size and time limits (ApiRoutes' directives). */
  private final Function<Supplier<Route>, Route> readBody;

  AccountRoutes(Accounts accounts, Function<Supplier<Route>, Route> readBody) {
    this.accounts = accounts;
    this.readBody = readBody;
  }

  /** The routes that need no token, under the {@code /v1} prefix the caller matched. */
  Route publicRoutes() {
    return concat(
        path(
            "accounts",
            () ->
                publicPost(
                    SignUpRequest.class,
                    (req, address) ->
                        created(
                            accounts.create(
                                req.email(),
                                req.password(),
                                req.name(),
                                req.role(),
                                Accounts.PUBLIC_ROLES,
                                address)))),
        pathPrefix(
            "sessions",
            () ->
                concat(
                    pathEnd(
                        () ->
                            publicPost(
                                SignInRequest.class,
                                (req, address) ->
                                    session(
                                        accounts.signIn(req.email(), req.password(), address)))),
                    path(
                        "refresh",
                        () ->
                            post(
                                () ->
                                    enabled(
                                        () ->
                                            refreshToken(
                                                token -> session(accounts.refresh(token)))))),
                    path(
                        "sign-out",
                        () -> post(() -> enabled(() -> refreshToken(this::signOut)))))));
  }

  /**
   * A POST with a JSON body that needs no token: refused when accounts are off, limited by the
   * client's address (which the handler gets), the body read under the node's limits.
   */
  private <T> Route publicPost(Class<T> type, BiFunction<T, Optional<String>, Route> handle) {
    return post(
        () ->
            enabled(
                () ->
                    clientAddress(
                        address ->
                            readBody.apply(() -> body(type, req -> handle.apply(req, address))))));
  }

  /**
   * {@code POST /v1/admin/accounts}: an admin or operator makes an account of any role (the command
   * line's {@code hearth admin create} makes the first admin this way).
   */
  Route admin(Actor actor) {
    return path(
        "accounts",
        () ->
            post(
                () ->
                    requireRole(
                        actor,
                        EnumSet.of(Role.ADMIN, Role.OPERATOR),
                        () ->
                            enabled(
                                () ->
                                    body(
                                        SignUpRequest.class,
                                        req ->
                                            created(
                                                accounts.create(
                                                    req.email(),
                                                    req.password(),
                                                    req.name(),
                                                    req.role(),
                                                    Accounts.ALL_ROLES,
                                                    Optional.empty())))))));
  }

  private Route enabled(Supplier<Route> inner) {
    if (accounts != null) return inner.get();
    return complete(
        problem(
            Problems.Type.NOT_FOUND,
            "built-in accounts are off on this node (hearth.auth.local-tokens = false): sign in"
                + " with the identity provider"));
  }

  /** The TCP peer's address, when known: sign-ups and failed sign-ins are counted by it. */
  private Route clientAddress(Function<Optional<String>, Route> inner) {
    return extractRequest(
        request ->
            inner.apply(
                request
                    .getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(RemoteAddress::getAddress)
                    .map(InetAddress::getHostAddress)));
  }

  /** The refresh token from the body's {@code refreshToken}, else from the cookie. */
  private Route refreshToken(Function<String, Route> inner) {
    return readBody.apply(
        () ->
            optionalBody(
                RefreshRequest.class,
                body ->
                    optionalCookie(
                        REFRESH_COOKIE,
                        cookie -> {
                          Optional<String> token =
                              body.map(RefreshRequest::refreshToken)
                                  .or(() -> cookie.map(c -> c.value()));
                          if (token.isEmpty())
                            return complete(
                                problem(
                                    Problems.invalid(
                                        "refreshToken",
                                        "send it in the body or the "
                                            + REFRESH_COOKIE
                                            + " cookie")));
                          return inner.apply(token.get());
                        })));
  }

  private Route created(CompletionStage<Accounts.View> account) {
    return completeWithFuture(
        account.handle(
            (view, failure) ->
                failure == null ? json(201, view).addHeader(noStore()) : refused(failure)));
  }

  private Route session(CompletionStage<Accounts.Session> session) {
    return completeWithFuture(
        session.handle(
            (s, failure) -> {
              if (failure != null) return refused(failure);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("accessToken", s.accessToken());
              body.put("tokenType", "Bearer");
              body.put("expiresIn", s.expiresIn());
              body.put("refreshToken", s.refreshToken());
              body.put("account", s.account());
              return json(200, body)
                  .addHeader(noStore())
                  .addHeader(
                      cookie(
                          s.refreshToken(),
                          accounts.settings().refreshTokenLifetime().toSeconds()));
            }));
  }

  private Route signOut(String token) {
    return completeWithFuture(
        accounts
            .signOut(token)
            .handle(
                (done, failure) ->
                    failure == null
                        ? HttpResponse.create()
                            .withStatus(204)
                            .addHeader(noStore())
                            .addHeader(cookie("", 0))
                        : refused(failure)));
  }

  /** The refresh cookie: HttpOnly, SameSite=Strict, sent only to the session routes. */
  private RawHeader cookie(String value, long maxAgeSeconds) {
    return RawHeader.create(
        "Set-Cookie",
        REFRESH_COOKIE
            + "="
            + value
            + "; Max-Age="
            + maxAgeSeconds
            + "; Path="
            + COOKIE_PATH
            + "; HttpOnly; SameSite=Strict"
            + (accounts.settings().secureCookie() ? "; Secure" : ""));
  }

  private static CacheControl noStore() {
    return CacheControl.create(CacheDirectives.NO_STORE);
  }

  private static HttpResponse refused(Throwable failure) {
    Throwable cause = cause(failure);
    if (cause instanceof Accounts.Refused r) {
      HttpResponse response = problem(r.problem);
      if (r.retryAfter != null)
        response =
            response.addHeader(
                RetryAfter.create(Math.max(1, (r.retryAfter.toMillis() + 999) / 1000)));
      if (r.problem.status() == 401)
        response =
            response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"hearth\""));
      return response;
    }
    if (cause instanceof PasswordHashing.Busy)
      return problem(Problems.Type.UNAVAILABLE, "too many sign-ins at once; retry shortly");
    log.error("an account request failed", cause);
    return problem(
        Problems.Type.UNAVAILABLE, "accounts cannot be reached right now; retry shortly");
  }
}
