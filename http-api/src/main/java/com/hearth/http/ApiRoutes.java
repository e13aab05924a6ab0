package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Deadlines;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.HoldBatcher;
import com.hearth.engine.kitchen.KitchenConfig;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityRejected;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.http.Dtos.AvailabilityResponse;
import com.hearth.http.Dtos.BookingResponse;
import com.hearth.http.Dtos.CancelRequest;
import com.hearth.http.Dtos.FreeInterval;
import com.hearth.http.Dtos.HoldRequest;
import com.hearth.http.Dtos.InvalidField;
import com.hearth.http.Dtos.KitchenRequest;
import com.hearth.http.Dtos.KitchenResponse;
import com.hearth.http.observability.RequestObservation;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.Location;
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
 * HTTP API v1: one method per use case, one ask per route; the domain's rejections become problem
 * documents in {@link Problems}, timeouts in {@link #askFailed}.
 */
public final class ApiRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final int MAX_REASON_LENGTH = 500;

  private final ClusterSharding sharding;
  private final ActorRef<HoldBatcher.Command> holdBatcher;
  private final Scheduler scheduler;
  private final JwtAuth auth;
  private final Duration askTimeout;
  private final Duration writeBudget;
  private final Clock clock;
  private final ClusterView cluster;
  private final ProjectionControl projections;
  private final long maxBodyBytes;
  private final long webhookMaxBodyBytes;
  private final Duration bodyTimeout;
  private final KitchenConfig kitchenConfig;
  private final Supplier<CompletionStage<Map<String, Boolean>>> readiness;
  private final ReadRoutes reads;
  private final PaymentRoutes payments;
  private final AdminRoutes admin;
  private final Quotas quotas;
  private final OnboardingRoutes onboarding;
  private final ComplianceStandings standings;
  private final AccountRoutes accounts;
  private final KnownEntities known;

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
    this.known = known;
    this.sharding = ClusterSharding.get(system);
    this.scheduler = system.scheduler();
    this.holdBatcher = holdBatcher;
    this.auth = auth;
    this.askTimeout = settings.askTimeout();
    this.writeBudget = settings.writeBudget();
    this.clock = clock;
    this.cluster = cluster;
    this.projections = new ProjectionControl(system);
    this.maxBodyBytes = settings.maxBodyBytes();
    this.webhookMaxBodyBytes = settings.webhookMaxBodyBytes();
    this.bodyTimeout = settings.bodyTimeout();
    this.kitchenConfig = kitchenConfig;
    this.readiness = readiness;
    this.reads = reads;
    this.payments = payments;
    this.admin = admin;
    this.quotas = quotas;
    this.onboarding = onboarding;
    this.standings = standings;
    this.accounts =
        new AccountRoutes(
            accounts, inner -> withSizeLimit(maxBodyBytes, () -> jsonBodyInTime(inner)));
  }

  private final ConsoleRoutes console = new ConsoleRoutes();

  public Route route() {
    return handleExceptions(
        exceptions(),
        () ->
            handleRejections(
                rejections(),
                () ->
                    concat(
                        console.route(),
                        pathPrefix("health", this::health),
                        refuseWritesAfterStall(
                            () ->
                                concat(
                                    path(
                                        PathMatchers.segment("v1")
                                            .slash("webhooks")
                                            .slash("stripe"),
                                        () ->
                                            withSizeLimit(webhookMaxBodyBytes, payments::webhook)),
                                    // Sign-up and sign-in need no token; anything else under
                                    // /v1 falls through to the authenticated routes.
                                    pathPrefix("v1", accounts::publicRoutes),
                                    pathPrefix(
                                        "v1",
                                        () ->
                                            authenticated(
                                                actor ->
                                                    limitWrites(
                                                        actor,
                                                        () ->
                                                            withSizeLimit(
                                                                maxBodyBytes,
                                                                () ->
                                                                    jsonBodyInTime(
                                                                        () ->
                                                                            concat(
                                                                                pathPrefix(
                                                                                    "kitchens",
                                                                                    () ->
                                                                                        kitchens(
                                                                                            actor)),
                                                                                pathPrefix(
                                                                                    "bookings",
                                                                                    () ->
                                                                                        bookings(
                                                                                            actor)),
                                                                                pathPrefix(
                                                                                    "hosts",
                                                                                    () ->
                                                                                        concat(
                                                                                            hostNotices(
                                                                                                actor),
                                                                                            onboarding
                                                                                                .hosts(
                                                                                                    actor))),
                                                                                pathPrefix(
                                                                                    "me",
                                                                                    () ->
                                                                                        path(
                                                                                            "bookings",
                                                                                            () ->
                                                                                                get(
                                                                                                    () ->
                                                                                                        reads
                                                                                                            .myBookings(
                                                                                                                actor)))),
                                                                                pathPrefix(
                                                                                    "admin",
                                                                                    () ->
                                                                                        concat(
                                                                                            complianceLapses(
                                                                                                actor),
                                                                                            admin
                                                                                                .routes(
                                                                                                    actor),
                                                                                            onboarding
                                                                                                .admin(
                                                                                                    actor),
                                                                                            accounts
                                                                                                .admin(
                                                                                                    actor),
                                                                                            path(
                                                                                                "cluster",
                                                                                                () ->
                                                                                                    get(
                                                                                                        () ->
                                                                                                            requireRole(
                                                                                                                actor,
                                                                                                                EnumSet
                                                                                                                    .of(
                                                                                                                        Role
                                                                                                                            .ADMIN,
                                                                                                                        Role
                                                                                                                            .OPERATOR),
                                                                                                                () ->
                                                                                                                    completeWithFuture(
                                                                                                                        cluster
                                                                                                                            .snapshot()
                                                                                                                            .thenApply(
                                                                                                                                body ->
                                                                                                                                    json(
                                                                                                                                        200,
                                                                                                                                        body)))))),
                                                                                            pathPrefix(
                                                                                                "projections",
                                                                                                () ->
                                                                                                    requireRole(
                                                                                                        actor,
                                                                                                        EnumSet
                                                                                                            .of(
                                                                                                                Role
                                                                                                                    .ADMIN,
                                                                                                                Role
                                                                                                                    .OPERATOR),
                                                                                                        projections
                                                                                                            ::routes)),
                                                                                            path(
                                                                                                PathMatchers
                                                                                                    .segment(
                                                                                                        "read-models")
                                                                                                    .slash(
                                                                                                        "rebuild"),
                                                                                                () ->
                                                                                                    post(
                                                                                                        () ->
                                                                                                            requireRole(
                                                                                                                actor,
                                                                                                                EnumSet
                                                                                                                    .of(
                                                                                                                        Role
                                                                                                                            .ADMIN,
                                                                                                                        Role
                                                                                                                            .OPERATOR),
                                                                                                                reads
                                                                                                                    ::rebuild))))))))))))))));
  }

  /**
   * Requests that change something count against the caller's and its address's write rates (429
   * beyond).
   */
  private Route limitWrites(Actor actor, Supplier<Route> inner) {
    return extractRequest(
        request -> {
          String method = request.method().name();
          if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))
            return inner.get();
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
          if (entity.getContentLengthOption().orElse(0L) > maxBodyBytes)
            return complete(
                problem(
                    Problems.Type.PAYLOAD_TOO_LARGE, "the request body is larger than allowed"));
          return toStrictEntity(bodyTimeout, maxBodyBytes, inner);
        });
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

  // ---------------------------------------------------------------- kitchens

  private Route kitchens(Actor actor) {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> reads.kitchens(actor)),
                    post(
                        () ->
                            requireRole(
                                actor,
                                EnumSet.of(Role.HOST, Role.ADMIN),
                                () ->
                                    idempotencyKey(
                                        key ->
                                            body(
                                                KitchenRequest.class,
                                                req -> createKitchen(actor, req, key))))))),
        pathPrefix(
            PathMatchers.segment(),
            kitchenId -> {
              if (!KitchenIds.isKitchenId(kitchenId)) return complete(notFound("kitchen"));
              return concat(
                  pathEnd(
                      () ->
                          concat(
                              get(
                                  () ->
                                      askKitchen(
                                          kitchenId,
                                          r -> new KitchenEntity.GetKitchen(actor, r),
                                          200)),
                              patch(
                                  () ->
                                      requireRole(
                                          actor,
                                          EnumSet.of(Role.HOST, Role.ADMIN),
                                          () ->
                                              body(
                                                  KitchenRequest.class,
                                                  req -> updateKitchen(actor, kitchenId, req)))))),
                  path(
                      "publish",
                      () ->
                          post(
                              () ->
                                  requireRole(
                                      actor,
                                      EnumSet.of(Role.HOST, Role.ADMIN),
                                      () -> publish(actor, kitchenId)))),
                  path(
                      "pause",
                      () ->
                          post(
                              () ->
                                  requireRole(
                                      actor,
                                      EnumSet.of(Role.HOST, Role.ADMIN),
                                      () ->
                                          RequestObservation.withRequestId(
                                              id ->
                                                  askKitchen(
                                                      kitchenId,
                                                      r ->
                                                          new KitchenEntity.PauseKitchen(
                                                              actor, r, id),
                                                      200))))),
                  path(
                      "availability",
                      () ->
                          get(
                              () ->
                                  parameterOptional(
                                      "from",
                                      from ->
                                          parameterOptional(
                                              "to",
                                              to ->
                                                  availability(
                                                      actor,
                                                      kitchenId,
                                                      from.orElse(null),
                                                      to.orElse(null)))))),
                  onboarding.kitchen(actor, kitchenId),
                  path("lapse-bookings", () -> get(() -> lapseBookings(actor, kitchenId))),
                  path(
                      "bookings",
                      () ->
                          concat(
                              get(() -> kitchenBookings(actor, kitchenId)),
                              post(
                                  () ->
                                      requireRole(
                                          actor,
                                          EnumSet.of(Role.RENTER),
                                          () ->
                                              idempotencyKey(
                                                  key ->
                                                      body(
                                                          HoldRequest.class,
                                                          req ->
                                                              hold(
                                                                  actor, kitchenId, req,
                                                                  key))))))));
            }));
  }

  private Route createKitchen(
      Actor actor, KitchenRequest request, Optional<String> idempotencyKey) {
    try {
      var settings = Dtos.settingsOf(request);
      String kitchenId =
          idempotencyKey
              .map(k -> KitchenIds.kitchenIdFor(actor.id(), k))
              .orElseGet(KitchenIds::newKitchenId);
      String fingerprint = sha256(Json.canonical(request));
      return RequestObservation.withRequestId(
          requestId ->
              onSuccess(
                  quotas.createKitchen(actor),
                  refused ->
                      refused
                          .map(this::complete)
                          .orElseGet(
                              () ->
                                  askKitchen(
                                      kitchen(kitchenId).unchecked(),
                                      r ->
                                          new KitchenEntity.CreateKitchen(
                                              actor, settings, fingerprint, r, requestId),
                                      201))));
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error.field(), e.error.message())));
    }
  }

  private Route updateKitchen(Actor actor, String kitchenId, KitchenRequest request) {
    try {
      var patch = Dtos.patchOf(request);
      return RequestObservation.withRequestId(
          requestId ->
              askKitchen(
                  kitchenId,
                  r -> new KitchenEntity.UpdateKitchen(actor, patch, r, requestId),
                  200));
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error.field(), e.error.message())));
    }
  }

  /**
   * Publishing (or lifting a compliance suspension) needs the kitchen's compliance, judged now
   * under its host's jurisdiction; the kitchen decides with it.
   */
  private Route publish(Actor actor, String kitchenId) {
    return RequestObservation.withRequestId(requestId -> publish(actor, kitchenId, requestId));
  }

  private Route publish(Actor actor, String kitchenId, String requestId) {
    CompletionStage<KitchenReply> reply =
        kitchen(kitchenId)
            .<KitchenReply>ask(r -> new KitchenEntity.GetKitchen(actor, r), askTimeout)
            .thenCompose(
                seen -> {
                  if (!(seen instanceof KitchenAccepted a))
                    return java.util.concurrent.CompletableFuture.completedFuture(seen);
                  return standings
                      .judge(a.kitchen())
                      .thenCompose(
                          judged ->
                              kitchen(kitchenId)
                                  .<KitchenReply>ask(
                                      r ->
                                          new KitchenEntity.PublishKitchen(
                                              actor, judged.standing(), r, requestId),
                                      askTimeout));
                });
    return completeWithFuture(
        reply.handle(
            (answer, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof ComplianceStandings.NotJudged n)
                  return problem(Problems.of(n.rejection));
                return askFailed(cause);
              }
              if (answer instanceof KitchenAccepted a)
                return accepted(
                    200,
                    a.replayed(),
                    KitchenResponse.of(a.kitchen()),
                    "/v1/kitchens/" + a.kitchen().kitchenId());
              return problem(Problems.of(((KitchenRejected) answer).rejection()));
            }));
  }

  private Route availability(Actor actor, String kitchenId, String from, String to) {
    Interval range;
    try {
      Instant start = Dtos.instant(from, "from");
      Instant end = Dtos.instant(to, "to");
      if (!start.isBefore(end)) throw new InvalidField("to", "must be after from");
      range = new Interval(start, end);
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error.field(), e.error.message())));
    }
    if (range.minutes() > kitchenConfig.maxAvailabilityDays() * 24L * 60)
      return complete(
          problem(
              Problems.invalid(
                  "to",
                  "the range may span at most " + kitchenConfig.maxAvailabilityDays() + " days")));
    CompletionStage<AvailabilityReply> reply =
        kitchen(kitchenId).ask(r -> new KitchenEntity.GetAvailability(actor, range, r), askTimeout);
    return completeWithFuture(
        respond(
            reply,
            answer -> {
              if (answer instanceof Availability a)
                return json(
                    200,
                    new AvailabilityResponse(
                        kitchenId,
                        range.start(),
                        range.end(),
                        a.free().stream().map(i -> new FreeInterval(i.start(), i.end())).toList()));
              return rejected(((AvailabilityRejected) answer).rejection());
            }));
  }

  /**
   * A kitchen's bookings are its host's and the admins' business; the kitchen itself says who its
   * host is.
   */
  private Route kitchenBookings(Actor actor, String kitchenId) {
    CompletionStage<KitchenReply> reply =
        kitchen(kitchenId).ask(r -> new KitchenEntity.GetKitchen(actor, r), askTimeout);
    return onComplete(
        () -> reply,
        answer -> {
          if (answer.isFailure()) return complete(askFailed(answer.failed().get()));
          if (answer.get() instanceof KitchenAccepted a) {
            if (a.kitchen().canManage(actor)) return reads.kitchenBookings(kitchenId);
            return complete(
                problem(
                    Problems.Type.FORBIDDEN,
                    "only the kitchen's host and admins list its bookings"));
          }
          return complete(rejected(((KitchenRejected) answer.get()).rejection()));
        });
  }

  /** GET /v1/hosts/me/compliance-notices: the calling host's compliance notices. */
  private Route hostNotices(Actor actor) {
    return path(
        PathMatchers.segment("me").slash("compliance-notices"),
        () -> get(() -> requireRole(actor, EnumSet.of(Role.HOST), () -> reads.hostNotices(actor))));
  }

  /**
   * GET /v1/admin/compliance/lapses: the confirmed bookings inside any kitchen's compliance lapse,
   * for admins and operators (before the admins' compliance routes, which are admins' only).
   */
  private Route complianceLapses(Actor actor) {
    return path(
        PathMatchers.segment("compliance").slash("lapses"),
        () ->
            get(
                () ->
                    requireRole(
                        actor,
                        EnumSet.of(Role.ADMIN, Role.OPERATOR),
                        () -> reads.lapseBookings(null))));
  }

  /**
   * The confirmed bookings inside a kitchen's compliance lapse: its host's, the admins' and the
   * operators' business (operators move or refund those bookings).
   */
  private Route lapseBookings(Actor actor, String kitchenId) {
    CompletionStage<KitchenReply> reply =
        kitchen(kitchenId).ask(r -> new KitchenEntity.GetKitchen(actor, r), askTimeout);
    return onComplete(
        () -> reply,
        answer -> {
          if (answer.isFailure()) return complete(askFailed(answer.failed().get()));
          if (answer.get() instanceof KitchenAccepted a) {
            if (a.kitchen().canManage(actor) || actor.has(Role.OPERATOR))
              return reads.lapseBookings(kitchenId);
            return complete(
                problem(
                    Problems.Type.FORBIDDEN,
                    "only the kitchen's host, admins and operators list the bookings inside its"
                        + " compliance lapse"));
          }
          return complete(rejected(((KitchenRejected) answer.get()).rejection()));
        });
  }

  private Route hold(
      Actor actor, String kitchenId, HoldRequest request, Optional<String> idempotencyKey) {
    return RequestObservation.withRequestId(
        requestId -> hold(actor, kitchenId, request, idempotencyKey, requestId));
  }

  private Route hold(
      Actor actor,
      String kitchenId,
      HoldRequest request,
      Optional<String> idempotencyKey,
      String requestId) {
    Interval slot;
    try {
      slot = Dtos.interval(request.start(), request.end(), "");
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error.field(), e.error.message())));
    }
    String bookingId = KitchenIds.newBookingId(kitchenId);
    // The kitchen must exist (a made-up id starts no entity: KnownEntities); then the renter's
    // quota counts the hold; whatever does not become this booking is released.
    CompletionStage<HttpResponse> response =
        known
            .exists(KnownEntities.kitchen(kitchenId))
            .thenCompose(
                found ->
                    found
                        ? quotas.reserveHold(actor, kitchenId, bookingId, slot.minutes())
                        : java.util.concurrent.CompletableFuture.completedFuture(
                            Optional.of(notFound("kitchen"))))
            .thenCompose(
                refused -> {
                  if (refused.isPresent())
                    return java.util.concurrent.CompletableFuture.completedFuture(refused.get());
                  CompletionStage<BookingReply> reply =
                      AskPattern.ask(
                          holdBatcher,
                          (ActorRef<BookingReply> r) ->
                              new HoldBatcher.Submit(
                                  kitchenId,
                                  new KitchenEntity.HoldSlot(
                                      actor,
                                      bookingId,
                                      slot,
                                      idempotencyKey.orElse(null),
                                      r,
                                      deadline(),
                                      requestId)),
                          askTimeout,
                          scheduler);
                  reply.whenComplete(HoldOutcomes::record);
                  return reply
                      .whenComplete(
                          (answer, failure) -> {
                            if (!(answer instanceof BookingAccepted a
                                && a.booking().bookingId().equals(bookingId)))
                              quotas.releaseHold(actor.id(), bookingId);
                          })
                      .handle(
                          (answer, failure) ->
                              failure == null ? bookingResponse(answer, 201) : askFailed(failure));
                });
    return completeWithFuture(response.exceptionally(ApiRoutes::askFailed));
  }

  // ---------------------------------------------------------------- bookings

  private Route bookings(Actor actor) {
    return pathPrefix(
        PathMatchers.segment(),
        bookingId -> {
          Optional<String> kitchenId = KitchenIds.kitchenOf(bookingId);
          if (kitchenId.isEmpty()) return complete(notFound("booking"));
          KnownRef<KitchenEntity.Command> kitchen = kitchen(kitchenId.get());
          return concat(
              pathEnd(
                  () ->
                      get(
                          () ->
                              completeWithFuture(
                                  respond(
                                      kitchen.<BookingReply>ask(
                                          r -> new KitchenEntity.GetBooking(actor, bookingId, r),
                                          askTimeout),
                                      answer -> bookingResponse(answer, 200))))),
              path(
                  "cancel",
                  () ->
                      post(
                          () ->
                              optionalBody(
                                  CancelRequest.class,
                                  req -> {
                                    String reason = req.map(CancelRequest::reason).orElse(null);
                                    if (reason != null && reason.length() > MAX_REASON_LENGTH)
                                      return complete(
                                          problem(
                                              Problems.invalid(
                                                  "reason",
                                                  "must be at most "
                                                      + MAX_REASON_LENGTH
                                                      + " characters")));
                                    return RequestObservation.withRequestId(
                                        requestId ->
                                            cancel(actor, kitchen, bookingId, reason, requestId));
                                  }))),
              payments.forBooking(actor, bookingId, kitchen),
              path(
                  "confirm",
                  () ->
                      post(
                          () ->
                              requireRole(
                                  actor,
                                  EnumSet.of(Role.ADMIN, Role.OPERATOR),
                                  () ->
                                      RequestObservation.withRequestId(
                                          requestId ->
                                              completeWithFuture(
                                                  respond(
                                                      kitchen.<BookingReply>ask(
                                                          r ->
                                                              new KitchenEntity.ConfirmBooking(
                                                                  actor,
                                                                  bookingId,
                                                                  r,
                                                                  deadline(),
                                                                  requestId),
                                                          askTimeout),
                                                      answer -> bookingResponse(answer, 200))))))));
        });
  }

  private Route cancel(
      Actor actor,
      KnownRef<KitchenEntity.Command> kitchen,
      String bookingId,
      String reason,
      String requestId) {
    return completeWithFuture(
        respond(
            kitchen.<BookingReply>ask(
                r ->
                    new KitchenEntity.CancelBooking(
                        actor, bookingId, reason, r, deadline(), requestId),
                askTimeout),
            answer -> {
              if (answer instanceof BookingAccepted a)
                quotas.releaseHold(a.booking().renterId(), bookingId);
              return bookingResponse(answer, 200);
            }));
  }

  private HttpResponse bookingResponse(BookingReply answer, int status) {
    if (answer instanceof BookingAccepted a) {
      return accepted(
          status,
          a.replayed(),
          BookingResponse.of(a.booking()),
          "/v1/bookings/" + a.booking().bookingId());
    }
    return rejected(((BookingRejected) answer).rejection());
  }

  /**
   * A success: a replay of an idempotent create answers 200 and says so; a first create answers 201
   * with the new object's location.
   */
  private static HttpResponse accepted(int status, boolean replayed, Object body, String location) {
    if (replayed) return json(200, body).addHeader(RawHeader.create("Idempotent-Replayed", "true"));
    HttpResponse response = json(status, body);
    return status == 201 ? response.addHeader(Location.create(location)) : response;
  }

  // ---------------------------------------------------------------- asking kitchens

  /**
   * When a command asked now stops being worth applying: its caller gets 503 at the ask timeout.
   */
  private Instant deadline() {
    return Deadlines.forAsk(clock.instant(), askTimeout, writeBudget);
  }

  /**
   * The kitchen, asked only once it is known to exist: a made-up id is a 404 and starts no entity
   * (docs/security.md, "Made-up ids").
   */
  private KnownRef<KitchenEntity.Command> kitchen(String kitchenId) {
    return new KnownRef<>(
        sharding.entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId),
        known,
        KnownEntities.kitchen(kitchenId));
  }

  private Route askKitchen(
      String kitchenId,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus) {
    return askKitchen(kitchen(kitchenId).unchecked(), command, successStatus, kitchen(kitchenId));
  }

  /** A create: the kitchen may not exist yet. */
  private Route askKitchen(
      EntityRef<KitchenEntity.Command> kitchen,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus) {
    return askKitchen(kitchen, command, successStatus, null);
  }

  private Route askKitchen(
      EntityRef<KitchenEntity.Command> unchecked,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus,
      KnownRef<KitchenEntity.Command> checked) {
    CompletionStage<KitchenReply> reply =
        checked != null
            ? checked.ask(command::apply, askTimeout)
            : unchecked.ask(command::apply, askTimeout);
    return completeWithFuture(
        respond(
            reply,
            answer -> {
              if (answer instanceof KitchenAccepted a) {
                known.remember(KnownEntities.kitchen(a.kitchen().kitchenId()));
                return accepted(
                    successStatus,
                    a.replayed(),
                    KitchenResponse.of(a.kitchen()),
                    "/v1/kitchens/" + a.kitchen().kitchenId());
              }
              return rejected(((KitchenRejected) answer).rejection());
            }));
  }

  /** Maps a kitchen's answer, and turns a timeout into 503 with Retry-After. */
  private static <T> CompletionStage<HttpResponse> respond(
      CompletionStage<T> reply, Function<T, HttpResponse> onAnswer) {
    return reply.handle(
        (answer, failure) -> failure == null ? onAnswer.apply(answer) : askFailed(failure));
  }

  private static HttpResponse askFailed(Throwable failure) {
    return askFailed(failure, "kitchen");
  }

  // ---------------------------------------------------------------- directives

  /**
   * The caller from its one {@code Authorization: Bearer} header. Two such headers are refused
   * (which one a proxy or library would read is anyone's guess); the header's value is never echoed
   * or logged.
   */
  private Route authenticated(Function<Actor, Route> inner) {
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
          if (actor.isPresent()) return inner.apply(actor.get());
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

  // ---------------------------------------------------------------- responses

  private static HttpResponse notFound(String what) {
    return problem(Problems.Type.NOT_FOUND, "no such " + what);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
