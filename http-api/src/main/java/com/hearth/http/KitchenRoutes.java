package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.HoldBatcher;
import com.hearth.engine.kitchen.KitchenConfig;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityRejected;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.http.Dtos.AvailabilityResponse;
import com.hearth.http.Dtos.FreeInterval;
import com.hearth.http.Dtos.HoldRequest;
import com.hearth.http.Dtos.InvalidField;
import com.hearth.http.Dtos.KitchenRequest;
import com.hearth.http.Dtos.KitchenResponse;
import com.hearth.http.observability.RequestObservation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /v1/kitchens}: listing and creating kitchens, and one kitchen's settings, publication,
 * pause, availability, documents, bookings and holds. The route tree is built once; the caller and
 * the kitchen id are read from the request ({@link HearthDirectives#callerAndKitchen}).
 */
final class KitchenRoutes extends KitchenAsking {

  private static final Set<Role> HOST_OR_ADMIN = EnumSet.of(Role.HOST, Role.ADMIN);
  private static final Set<Role> RENTER = EnumSet.of(Role.RENTER);

  private final ActorRef<HoldBatcher.Command> holdBatcher;
  private final Scheduler scheduler;
  private final KitchenConfig kitchenConfig;
  private final ReadRoutes reads;
  private final Quotas quotas;
  private final OnboardingRoutes onboarding;
  private final ComplianceStandings standings;
  private final Route route;

  KitchenRoutes(
      ActorSystem<?> system,
      ActorRef<HoldBatcher.Command> holdBatcher,
      NodeSettings settings,
      KitchenConfig kitchenConfig,
      ReadRoutes reads,
      Quotas quotas,
      OnboardingRoutes onboarding,
      ComplianceStandings standings,
      KnownEntities known,
      Clock clock) {
    super(system, known, settings.askTimeout(), settings.writeBudget(), clock);
    this.holdBatcher = holdBatcher;
    this.scheduler = system.scheduler();
    this.kitchenConfig = kitchenConfig;
    this.reads = reads;
    this.quotas = quotas;
    this.onboarding = onboarding;
    this.standings = standings;
    this.route = build();
  }

  /** The routes under {@code /v1/kitchens}, built once. */
  Route route() {
    return route;
  }

  private Route build() {
    Route kitchen =
        concat(
            pathEnd(
                () ->
                    concat(
                        get(
                            () ->
                                callerAndKitchen(
                                    (actor, kitchenId) ->
                                        askKitchen(
                                            kitchenId,
                                            r -> new KitchenEntity.GetKitchen(actor, r),
                                            200))),
                        patch(
                            () ->
                                callerAndKitchen(
                                    (actor, kitchenId) ->
                                        requireRole(
                                            actor,
                                            HOST_OR_ADMIN,
                                            () ->
                                                body(
                                                    KitchenRequest.class,
                                                    req ->
                                                        updateKitchen(actor, kitchenId, req))))))),
            path(
                "publish",
                () ->
                    post(
                        () ->
                            callerAndKitchen(
                                (actor, kitchenId) ->
                                    requireRole(
                                        actor, HOST_OR_ADMIN, () -> publish(actor, kitchenId))))),
            path(
                "pause",
                () ->
                    post(
                        () ->
                            callerAndKitchen(
                                (actor, kitchenId) ->
                                    requireRole(
                                        actor,
                                        HOST_OR_ADMIN,
                                        () ->
                                            RequestObservation.withRequestId(
                                                id ->
                                                    askKitchen(
                                                        kitchenId,
                                                        r ->
                                                            new KitchenEntity.PauseKitchen(
                                                                actor, r, id),
                                                        200)))))),
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
                                            callerAndKitchen(
                                                (actor, kitchenId) ->
                                                    availability(
                                                        actor,
                                                        kitchenId,
                                                        from.orElse(null),
                                                        to.orElse(null))))))),
            onboarding.kitchen(),
            path("lapse-bookings", () -> get(() -> callerAndKitchen(this::lapseBookings))),
            path(
                "bookings",
                () ->
                    concat(
                        get(() -> callerAndKitchen(this::kitchenBookings)),
                        post(
                            () ->
                                callerAndKitchen(
                                    (actor, kitchenId) ->
                                        requireRole(
                                            actor,
                                            RENTER,
                                            () ->
                                                idempotencyKey(
                                                    key ->
                                                        body(
                                                            HoldRequest.class,
                                                            req ->
                                                                hold(
                                                                    actor, kitchenId, req,
                                                                    key)))))))));
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> caller(reads::kitchens)),
                    post(
                        () ->
                            caller(
                                actor ->
                                    requireRole(
                                        actor,
                                        HOST_OR_ADMIN,
                                        () ->
                                            idempotencyKey(
                                                key ->
                                                    body(
                                                        KitchenRequest.class,
                                                        req ->
                                                            createKitchen(actor, req, key)))))))),
        pathPrefix(
            PathMatchers.segment(),
            kitchenId ->
                KitchenIds.isKitchenId(kitchenId)
                    ? keeping(KITCHEN_ID, kitchenId, kitchen)
                    : complete(notFound("kitchen"))));
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
                  CompletionStage<BookingReply> askReply =
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
                  CompletionStage<BookingReply> reply = AskReplies.on(replies, askReply);
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
    return completeWithFuture(response.exceptionally(KitchenAsking::askFailed));
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
