package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.HoldBatcher;
import com.hearth.engine.kitchen.KitchenConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP API v1: the route tree, built once at startup (the caller is resolved per request and kept
 * on the request, see {@link HearthDirectives#caller}); the kitchens' and the bookings' routes are
 * in {@link KitchenRoutes} and {@link BookingRoutes}, one ask per route. The domain's rejections
 * become problem documents in {@link Problems}, timeouts in {@link HearthDirectives#askFailed}.
 */
public final class ApiRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final Set<Role> ADMIN_OR_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);

  private final JwtAuth auth;
  private final ClusterView cluster;
  private final ProjectionControl projections;
  private final long maxBodyBytes;
  private final long webhookMaxBodyBytes;
  private final Duration bodyTimeout;
  private final Supplier<CompletionStage<Map<String, Boolean>>> readiness;
  private final ReadRoutes reads;
  private final PaymentRoutes payments;
  private final AdminRoutes admin;
  private final Quotas quotas;
  private final OnboardingRoutes onboarding;
  private final AccountRoutes accounts;
  private final KitchenRoutes kitchens;
  private final BookingRoutes bookings;
  private final ConsoleRoutes console;
  private final Route route;

  /** {@code accounts}: the built-in accounts, or null when the node's own tokens are off. */
  public ApiRoutes(
      ActorSystem<?> system,
      ActorRef<HoldBatcher.Command> holdBatcher,
      JwtAuth auth,
      NodeSettings settings,
      KitchenConfig kitchenConfig,
      Supplier<CompletionStage<Map<String, Boolean>>> readiness,
      ReadRoutes reads,
      PaymentRoutes payments,
      AdminRoutes admin,
      Quotas quotas,
      OnboardingRoutes onboarding,
      ComplianceStandings standings,
      Accounts accounts,
      ClusterView cluster,
      KnownEntities known,
      Clock clock) {
    this.console = new ConsoleRoutes(settings.consoleStripe());
    this.auth = auth;
    this.cluster = cluster;
    this.projections = new ProjectionControl(system);
    this.maxBodyBytes = settings.maxBodyBytes();
    this.webhookMaxBodyBytes = settings.webhookMaxBodyBytes();
    this.bodyTimeout = settings.bodyTimeout();
    this.readiness = readiness;
    this.reads = reads;
    this.payments = payments;
    this.admin = admin;
    this.quotas = quotas;
    this.onboarding = onboarding;
    this.accounts =
        new AccountRoutes(
            accounts, inner -> withSizeLimit(maxBodyBytes, () -> jsonBodyInTime(inner)));
    this.kitchens =
        new KitchenRoutes(
            system,
            holdBatcher,
            settings,
            kitchenConfig,
            reads,
            quotas,
            onboarding,
            standings,
            known,
            clock);
    this.bookings = new BookingRoutes(system, settings, payments, quotas, known, clock);
    this.route = build();
  }

  /** The whole tree, built once: requests run through it without building routes of their own. */
  public Route route() {
    return route;
  }

  private Route build() {
    Route adminRoutes =
        concat(
            complianceLapses(),
            stats(),
            caller(admin::routes),
            caller(onboarding::admin),
            caller(accounts::admin),
            path(
                "cluster",
                () ->
                    get(
                        () ->
                            caller(
                                actor ->
                                    requireRole(
                                        actor,
                                        ADMIN_OR_OPERATOR,
                                        () ->
                                            completeWithFuture(
                                                cluster
                                                    .snapshot()
                                                    .thenApply(body -> json(200, body))))))),
            pathPrefix(
                "projections",
                () -> caller(actor -> requireRole(actor, ADMIN_OR_OPERATOR, projections::routes))),
            path(
                PathMatchers.segment("read-models").slash("rebuild"),
                () ->
                    post(
                        () ->
                            caller(
                                actor -> requireRole(actor, ADMIN_OR_OPERATOR, reads::rebuild)))));
    Route areas =
        concat(
            pathPrefix("kitchens", kitchens::route),
            pathPrefix("bookings", bookings::route),
            pathPrefix("hosts", () -> concat(hostNotices(), caller(onboarding::hosts))),
            pathPrefix("me", () -> path("bookings", () -> get(() -> caller(reads::myBookings)))),
            pathPrefix("admin", () -> adminRoutes));
    Route v1 =
        authenticated(
            limitWrites(() -> withSizeLimit(maxBodyBytes, () -> jsonBodyInTime(() -> areas))));
    Route v1Public = accounts.publicRoutes();
    Route api =
        concat(
            path(
                PathMatchers.segment("v1").slash("webhooks").slash("stripe"),
                () -> webhookBody(payments::webhook)),
            // Sign-up and sign-in need no token; anything else under /v1 falls through to the
            // authenticated routes.
            pathPrefix("v1", () -> v1Public),
            pathPrefix("v1", () -> v1));
    Route all =
        concat(
            console.route(), pathPrefix("health", this::health), refuseWritesAfterStall(() -> api));
    RejectionHandler rejectionHandler = rejections();
    return handleExceptions(exceptions(), () -> handleRejections(rejectionHandler, () -> all));
  }

  /**
   * Requests that change something count against the caller's and its address's write rates (429
   * beyond).
   */
  private Route limitWrites(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          String method = request.method().name();
          if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))
            return inner.get();
          Actor actor = request.getAttribute(CALLER).orElseThrow();
          Optional<String> address =
              request
                  .getAttribute(AttributeKeys.remoteAddress)
                  .flatMap(RemoteAddress::getAddress)
                  .map(InetAddress::getHostAddress);
          return quotas.write(actor, address).map(this::complete).orElseGet(inner);
        });
  }

  /**
   * A JSON body is read whole within {@code hearth.http.body-timeout} (408 otherwise) and within
   * the size limit (413, at once when its Content-Length is too large); a body of another type is
   * left to the route that takes it.
   */
  private Route jsonBodyInTime(Supplier<Route> inner) {
    return extractRequestEntity(
        entity -> {
          if (entity.isKnownEmpty() || !isJson(entity.getContentType())) return inner.get();
          return announcedWithin(
              maxBodyBytes, entity, () -> toStrictEntity(bodyTimeout, maxBodyBytes, inner));
        });
  }

  /**
   * Announced bodies up to this size are read and thrown away before their 413. A client that sends
   * its body without waiting for an answer (as most do) has then finished writing and reads the
   * 413; answered at once, the connection was closed under a client still writing, which saw a
   * reset connection and no answer. A larger announced body is answered at once, unread.
   */
  static final long DRAINED_AT_MOST = 1024 * 1024;

  /**
   * {@code inner}, unless the body is announced larger than {@code limit}: then 413, after reading
   * it through up to {@link #DRAINED_AT_MOST}, at once and unread beyond.
   */
  private Route announcedWithin(long limit, HttpEntity entity, Supplier<Route> inner) {
    long announced = entity.getContentLengthOption().orElse(0L);
    if (announced <= limit) return inner.get();
    HttpResponse tooLarge =
        problem(Problems.Type.PAYLOAD_TOO_LARGE, "the request body is larger than allowed");
    if (announced > DRAINED_AT_MOST) return complete(tooLarge);
    return extractMaterializer(
        materializer ->
            onComplete(
                entity.withSizeLimit(DRAINED_AT_MOST).discardBytes(materializer).completionStage(),
                drained -> complete(tooLarge)));
  }

  /** The webhook's body, within its own limit. */
  private Route webhookBody(Supplier<Route> inner) {
    return extractRequestEntity(
        entity ->
            announcedWithin(
                webhookMaxBodyBytes, entity, () -> withSizeLimit(webhookMaxBodyBytes, inner)));
  }

  /**
   * A node that was frozen or paused a moment ago may have been downed meanwhile, its kitchens
   * started elsewhere: it applies no change until it knows (see {@link StallWatch}). Reads go on.
   */
  private Route refuseWritesAfterStall(Supplier<Route> inner) {
    return extractMethod(
        method -> {
          boolean write =
              !method.name().equals("GET")
                  && !method.name().equals("HEAD")
                  && !method.name().equals("OPTIONS");
          if (write && cluster.recentlyStalled())
            return complete(
                problem(
                    Problems.Type.UNAVAILABLE,
                    "this node was paused a moment ago and waits to learn whether it is still a cluster member; retry on another node"));
          return inner.get();
        });
  }

  // ---------------------------------------------------------------- health

  /**
   * Where to look: {@code /health} itself answers as {@code /health/ready} does and lists the
   * checks.
   */
  private static final Map<String, String> HEALTH_LINKS =
      linked(
          "live", "/health/live", "ready", "/health/ready", "projections", "/health/projections");

  /**
   * Public health says UP or DOWN and nothing more; the checks behind it and the projections' state
   * (SQL errors, user ids in failing events) are for an operator's or an admin's token.
   */
  private Route health() {
    return get(
        () ->
            operatorView(
                detail ->
                    concat(
                        pathEndOrSingleSlash(
                            () ->
                                completeWithFuture(
                                    readiness
                                        .get()
                                        .thenApply(
                                            checks -> {
                                              boolean ready =
                                                  checks.values().stream()
                                                      .allMatch(Boolean::booleanValue);
                                              return json(
                                                  ready ? 200 : 503,
                                                  detail
                                                      ? linked(
                                                          "status",
                                                          ready ? "UP" : "DOWN",
                                                          "checks",
                                                          checks,
                                                          "see",
                                                          HEALTH_LINKS)
                                                      : linked(
                                                          "status",
                                                          ready ? "UP" : "DOWN",
                                                          "see",
                                                          HEALTH_LINKS));
                                            }))),
                        path("live", () -> complete(json(200, Map.of("status", "UP")))),
                        path("projections", () -> reads.projectionHealth(detail)),
                        path(
                            "ready",
                            () ->
                                completeWithFuture(
                                    readiness
                                        .get()
                                        .thenApply(
                                            checks -> {
                                              boolean ready =
                                                  checks.values().stream()
                                                      .allMatch(Boolean::booleanValue);
                                              return json(
                                                  ready ? 200 : 503,
                                                  detail
                                                      ? Map.of(
                                                          "status",
                                                          ready ? "UP" : "DOWN",
                                                          "checks",
                                                          checks)
                                                      : Map.of("status", ready ? "UP" : "DOWN"));
                                            }))))));
  }

  /**
   * Whether the request carries one valid bearer token of an operator or an admin; health never
   * answers 401.
   */
  private Route operatorView(Function<Boolean, Route> inner) {
    return extractRequest(
        request -> {
          List<String> values = new ArrayList<>();
          for (HttpHeader h : request.getHeaders())
            if (h.is("authorization")) values.add(h.value());
          boolean operator =
              values.size() == 1
                  && values.get(0).regionMatches(true, 0, "Bearer ", 0, 7)
                  && auth.verify(values.get(0).substring(7).strip())
                      .filter(a -> a.isAdmin() || a.has(Role.OPERATOR))
                      .isPresent();
          return inner.apply(operator);
        });
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> linked(Object... keysAndValues) {
    Map<String, V> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2)
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    return map;
  }

  /**
   * GET /v1/hosts/me/compliance-notices (the calling host's compliance notices) and GET
   * /v1/hosts/me/kitchens (the calling host's kitchens, drafts included) and GET
   * /v1/hosts/me/payouts (the calling host's payouts by week).
   */
  private Route hostNotices() {
    return concat(
        hostOwn("compliance-notices", reads::hostNotices),
        hostOwn("kitchens", reads::hostKitchens),
        hostOwn(
            "payouts",
            actor ->
                withRequestTimeout(AdminRoutes.REPORT_TIMEOUT, () -> admin.hostPayouts(actor))));
  }

  /** GET /v1/hosts/me/{segment}: what {@code read} answers for the calling host (host role). */
  private Route hostOwn(String segment, Function<Actor, Route> read) {
    return path(
        PathMatchers.segment("me").slash(segment),
        () ->
            get(
                () ->
                    caller(
                        actor ->
                            requireRole(actor, EnumSet.of(Role.HOST), () -> read.apply(actor)))));
  }

  /** GET /v1/admin/stats: the platform's daily occupancy, funnel and revenue, for the charts. */
  private Route stats() {
    return path(
        "stats",
        () -> get(() -> caller(actor -> requireRole(actor, ADMIN_OR_OPERATOR, reads::stats))));
  }

  /**
   * GET /v1/admin/compliance/lapses: the confirmed bookings inside any kitchen's compliance lapse,
   * for admins and operators (before the admins' compliance routes, which are admins' only).
   */
  private Route complianceLapses() {
    return path(
        PathMatchers.segment("compliance").slash("lapses"),
        () ->
            get(
                () ->
                    caller(
                        actor ->
                            requireRole(
                                actor, ADMIN_OR_OPERATOR, () -> reads.lapseBookings(null)))));
  }

  // ---------------------------------------------------------------- directives

  /**
   * The caller from its one {@code Authorization: Bearer} header, kept on the request for the
   * routes inside ({@link HearthDirectives#caller}). Two such headers are refused (which one a
   * proxy or library would read is anyone's guess); the header's value is never echoed or logged.
   */
  private Route authenticated(Route inner) {
    return extractRequest(
        request -> {
          List<String> values = new ArrayList<>();
          for (HttpHeader h : request.getHeaders())
            if (h.is("authorization")) values.add(h.value());
          if (values.size() > 1)
            return complete(unauthorized("send exactly one Authorization header"));
          Optional<String> header = values.stream().findFirst();
          Optional<Actor> actor =
              header
                  .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                  .flatMap(h -> auth.verify(h.substring(7).strip()));
          if (actor.isPresent()) return keeping(CALLER, actor.get(), inner);
          return complete(
              unauthorized(
                  header.isEmpty()
                      ? "a bearer token is required"
                      : "the bearer token is invalid or expired"));
        });
  }

  private static HttpResponse unauthorized(String detail) {
    return problem(Problems.Type.UNAUTHORIZED, detail)
        .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"hearth\""));
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(
            EntityStreamSizeException.class,
            e ->
                complete(
                    problem(
                        Problems.Type.PAYLOAD_TOO_LARGE,
                        "the request body is larger than allowed")))
        // Reading a body whole: too slow (408) or announced too large (413), before any of it is
        // read.
        .match(
            IllegalRequestException.class,
            e ->
                switch (e.status().intValue()) {
                  case 408 ->
                      complete(
                          problem(
                              Problems.Type.REQUEST_TIMEOUT,
                              "the request body did not arrive in time"));
                  case 413 ->
                      complete(
                          problem(
                              Problems.Type.PAYLOAD_TOO_LARGE,
                              "the request body is larger than allowed"));
                  // A body that outgrew its limit while being read (no Content-Length said so)
                  // comes as a 400.
                  default ->
                      e.info().summary().startsWith("Request too large")
                          ? complete(
                              problem(
                                  Problems.Type.PAYLOAD_TOO_LARGE,
                                  "the request body is larger than allowed"))
                          : complete(
                              problem(
                                  Problems.Type.VALIDATION_FAILED,
                                  "the request could not be read"));
                })
        .matchAny(this::internalError)
        .build();
  }

  private Route internalError(Throwable e) {
    log.error("unhandled error in a route", e);
    return complete(problem(Problems.Type.INTERNAL, "an unexpected error occurred"));
  }

  /** Pekko's own rejections (no route, wrong method, missing parameter...) as problem documents. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              if (response.entity().getContentType().equals(PROBLEM_JSON)) return response;
              int status = response.status().intValue();
              String detail =
                  status == 413
                      ? "the request body is larger than allowed"
                      : response.entity() instanceof HttpEntity.Strict strict
                          ? strict.getData().utf8String()
                          : response.status().reason();
              String code =
                  switch (status) {
                    case 400 -> "VALIDATION_FAILED";
                    case 401 -> "UNAUTHORIZED";
                    case 403 -> "FORBIDDEN";
                    case 404 -> "NOT_FOUND";
                    case 405 -> "METHOD_NOT_ALLOWED";
                    case 413 -> "PAYLOAD_TOO_LARGE";
                    case 415 -> "UNSUPPORTED_MEDIA_TYPE";
                    default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
                  };
              String title = status == 413 ? "Payload too large" : response.status().reason();
              return problem(Problem.of(status, code, title, detail))
                  .withHeaders(toList(response.getHeaders()));
            });
  }

  private static List<HttpHeader> toList(Iterable<HttpHeader> headers) {
    List<HttpHeader> out = new ArrayList<>();
    headers.forEach(out::add);
    return out;
  }
}
