package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Deadlines;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.payment.GatewayEvent;
import com.hearth.engine.payment.OfflineGateway;
import com.hearth.engine.payment.PaymentDecisions;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentRejected;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.Recorded;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.Terms;
import com.hearth.http.observability.HearthMetrics;
import com.hearth.http.observability.RequestObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment routes: what a front end needs to pay a hold, partial refunds, the offline provider's
 * settle call, and the gateway's webhooks. Money decisions, and who may pay or refund, are {@link
 * PaymentDecisions}'; these routes ask and translate answers.
 */
final class PaymentRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(PaymentRoutes.class);
  private static final int MAX_REASON_LENGTH = 500;

  /** A refund request's body. */
  record RefundRequest(Long amountCents, String reason) {}

  /** The offline provider's settle call: {@code succeeded} or {@code failed}. */
  record SimulateRequest(String outcome) {}

  record RefundDto(
      String key, long amountCents, String kind, String reason, String status, String refundId) {}

  record PaymentResponse(
      String bookingId,
      String intentId,
      String clientSecret,
      long amountCents,
      String currency,
      String status,
      long paidCents,
      long refundedCents,
      String outcome,
      List<RefundDto> refunds,
      boolean disputed) {
    static PaymentResponse of(PaymentView v) {
      return new PaymentResponse(
          v.bookingId(),
          v.intentId(),
          v.clientSecret(),
          v.amountCents(),
          v.currency(),
          v.status().name(),
          v.paidCents(),
          v.refundedCents(),
          v.outcome().name(),
          v.refunds().stream()
              .map(
                  r ->
                      new RefundDto(
                          r.requestKey(),
                          r.amountCents(),
                          r.kind().name(),
                          r.reason(),
                          r.status().name(),
                          r.refundId()))
              .toList(),
          v.disputed());
    }
  }

  /**
   * Verifies a webhook and reads its event; throws {@link InvalidWebhook} for anything not genuine.
   */
  interface WebhookVerifier {
    GatewayEvent verify(String payload, String signatureHeader);
  }

  static final class InvalidWebhook extends RuntimeException {
    InvalidWebhook(String message) {
      super(message);
    }
  }

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration writeBudget;
  private final Optional<OfflineGateway> offline;
  private final Optional<WebhookVerifier> webhooks;
  private final Function<String, CompletionStage<Optional<String>>> bookingOfIntent;
  private final KnownEntities known;

  /** The node's clock, which the payment that checks the deadline reads too. */
  private final Clock clock;

  /**
   * When a payment start or refund asked now stops being worth applying: the write budget before
   * the ask timeout, as for holds, so that a 503 means "not applied".
   */
  private Instant deadline() {
    return Deadlines.forAsk(clock.instant(), askTimeout, writeBudget);
  }

  /**
   * {@code bookingOfIntent} finds the booking a payment intent belongs to (from the read tables).
   */
  PaymentRoutes(
      ClusterSharding sharding,
      Duration askTimeout,
      Duration writeBudget,
      Clock clock,
      Optional<OfflineGateway> offline,
      Optional<WebhookVerifier> webhooks,
      Function<String, CompletionStage<Optional<String>>> bookingOfIntent,
      KnownEntities known) {
    this.known = known;
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.writeBudget = writeBudget;
    this.clock = clock;
    this.offline = offline;
    this.webhooks = webhooks;
    this.bookingOfIntent = bookingOfIntent;
  }

  /** /v1/bookings/{id}/payment and /v1/bookings/{id}/refunds. */
  Route forBooking(Actor actor, String bookingId, KnownRef<KitchenEntity.Command> kitchen) {
    // Started only by a payment start or a refund, after the kitchen vouched for the booking;
    // asked otherwise only once it is known to exist (a made-up id starts nothing).
    EntityRef<PaymentEntity.Command> payment =
        sharding.entityRefFor(PaymentEntity.ENTITY_KEY, bookingId);
    KnownRef<PaymentEntity.Command> existing =
        new KnownRef<>(payment, known, KnownEntities.payment(bookingId));
    return concat(
        pathPrefix(
            "payment",
            () ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                post(
                                    () ->
                                        requireRole(
                                            actor,
                                            EnumSet.of(Role.RENTER),
                                            () ->
                                                RequestObservation.withRequestId(
                                                    requestId ->
                                                        startPayment(
                                                            actor, bookingId, kitchen, payment,
                                                            requestId)))),
                                get(
                                    () ->
                                        completeWithFuture(
                                            recover(
                                                answer(
                                                    existing.<PaymentReply>ask(
                                                        r -> new PaymentEntity.GetPayment(actor, r),
                                                        askTimeout),
                                                    200)))))),
                    path(
                        "simulate",
                        () ->
                            post(
                                () ->
                                    body(
                                        SimulateRequest.class,
                                        req ->
                                            RequestObservation.withRequestId(
                                                requestId ->
                                                    simulate(actor, existing, req, requestId))))))),
        path(
            "refunds",
            () ->
                post(
                    () ->
                        requireRole(
                            actor,
                            EnumSet.of(Role.HOST, Role.ADMIN),
                            () ->
                                idempotencyKey(
                                    key ->
                                        body(
                                            RefundRequest.class,
                                            req ->
                                                RequestObservation.withRequestId(
                                                    requestId ->
                                                        refund(
                                                            actor, bookingId, kitchen, payment, req,
                                                            key, requestId))))))));
  }

  private Route startPayment(
      Actor actor,
      String bookingId,
      KnownRef<KitchenEntity.Command> kitchen,
      EntityRef<PaymentEntity.Command> payment,
      String requestId) {
    CompletionStage<HttpResponse> response =
        kitchen
            .<BookingReply>ask(r -> new KitchenEntity.GetBooking(actor, bookingId, r), askTimeout)
            .thenCompose(
                answer -> {
                  if (answer instanceof BookingRejected rejected)
                    return CompletableFuture.completedFuture(rejected(rejected.rejection()));
                  Booking b = ((BookingAccepted) answer).booking();
                  Optional<PaymentRejected> refused = PaymentDecisions.refusesToPay(b, actor);
                  if (refused.isPresent())
                    return CompletableFuture.completedFuture(rejected(refused.get().rejection()));
                  Terms terms = PaymentDecisions.termsOf(b);
                  return answer(
                      payment.ask(
                          r ->
                              new PaymentEntity.StartPayment(
                                  actor, terms, r, deadline(), requestId),
                          askTimeout),
                      200);
                });
    return completeWithFuture(recover(response));
  }

  private Route refund(
      Actor actor,
      String bookingId,
      KnownRef<KitchenEntity.Command> kitchen,
      EntityRef<PaymentEntity.Command> payment,
      RefundRequest req,
      Optional<String> key,
      String requestId) {
    if (req.amountCents() == null || req.amountCents() <= 0)
      return complete(
          problem(
              Problems.invalid("amount_cents", "must be a positive whole number of minor units")));
    if (req.reason() != null && req.reason().length() > MAX_REASON_LENGTH)
      return complete(
          problem(
              Problems.invalid("reason", "must be at most " + MAX_REASON_LENGTH + " characters")));
    // The kitchen says whether the caller is its host (or an admin) before any money moves.
    CompletionStage<HttpResponse> response =
        kitchen
            .<BookingReply>ask(r -> new KitchenEntity.GetBooking(actor, bookingId, r), askTimeout)
            .thenCompose(
                answer -> {
                  if (answer instanceof BookingRejected rejected)
                    return CompletableFuture.completedFuture(rejected(rejected.rejection()));
                  Optional<PaymentRejected> refused =
                      PaymentDecisions.refusesToRefund(((BookingAccepted) answer).booking(), actor);
                  if (refused.isPresent())
                    return CompletableFuture.completedFuture(rejected(refused.get().rejection()));
                  String requestKey = key.orElseGet(() -> UUID.randomUUID().toString());
                  return answer(
                      payment.ask(
                          r ->
                              new PaymentEntity.RequestRefund(
                                  actor,
                                  requestKey,
                                  req.amountCents(),
                                  req.reason(),
                                  RefundKind.PARTIAL,
                                  r,
                                  deadline(),
                                  requestId),
                          askTimeout),
                      202);
                });
    return completeWithFuture(recover(response));
  }

  /** Offline provider only: the renter (or an admin) says how the payment went. */
  private Route simulate(
      Actor actor, KnownRef<PaymentEntity.Command> payment, SimulateRequest req, String requestId) {
    if (offline.isEmpty())
      return complete(
          problem(Problems.Type.NOT_FOUND, "payments run on Stripe here; pay through Stripe"));
    if (!"succeeded".equals(req.outcome()) && !"failed".equals(req.outcome()))
      return complete(problem(Problems.invalid("outcome", "must be succeeded or failed")));
    CompletionStage<HttpResponse> response =
        payment
            .<PaymentReply>ask(r -> new PaymentEntity.GetPayment(actor, r), askTimeout)
            .thenCompose(
                answer -> {
                  if (!(answer instanceof PaymentAccepted a)
                      || a.payment().intentId() == null
                      || !(actor.isAdmin() || actor.id().equals(a.payment().renterId())))
                    return CompletableFuture.completedFuture(
                        problem(
                            Problems.Type.NOT_FOUND,
                            "no payment to settle for this booking: POST /v1/bookings/{id}/payment first"));
                  String intent = a.payment().intentId();
                  Optional<GatewayEvent> event =
                      "succeeded".equals(req.outcome())
                          ? offline.get().succeed(intent)
                          : offline.get().fail(intent);
                  if (event.isEmpty())
                    return CompletableFuture.completedFuture(
                        problem(Problems.Type.INVALID_STATE, "this payment already succeeded"));
                  return payment
                      .<Recorded>ask(
                          r -> new PaymentEntity.RecordGatewayEvent(event.get(), r, requestId),
                          askTimeout)
                      .thenCompose(
                          recorded ->
                              answer(
                                  payment.ask(
                                      r -> new PaymentEntity.GetPayment(actor, r), askTimeout),
                                  200));
                });
    return completeWithFuture(recover(response));
  }

  /**
   * POST /v1/webhooks/stripe: verified on the raw body, answered 2xx only once its fact is
   * persisted.
   */
  Route webhook() {
    return post(() -> RequestObservation.withRequestId(this::webhook));
  }

  private Route webhook(String requestId) {
    return optionalHeaderValueByName(
        "Stripe-Signature",
        signature ->
            extractStrictEntity(
                java.time.Duration.ofSeconds(5),
                entity -> {
                  if (webhooks.isEmpty()) {
                    HearthMetrics.webhook("not_configured");
                    return complete(
                        problem(Problems.Type.NOT_FOUND, "Stripe is not configured on this node"));
                  }
                  GatewayEvent event;
                  try {
                    event =
                        webhooks
                            .get()
                            .verify(entity.getData().utf8String(), signature.orElse(null));
                  } catch (InvalidWebhook e) {
                    log.warn("refused a webhook: {}", e.getMessage());
                    HearthMetrics.webhook("invalid_signature");
                    return complete(problem(Problems.Type.INVALID_SIGNATURE, e.getMessage()));
                  }
                  if (!GatewayEvent.RECORDED.contains(event.type())) {
                    // Genuine, but of a type the payments do not record (the endpoint
                    // should not be subscribed to it).
                    log.info(
                        "webhook {} of type {} is not one Hearth records; acknowledged and ignored",
                        event.eventId(),
                        event.type());
                    HearthMetrics.webhook("ignored_type");
                    return complete(
                        json(
                            200,
                            Map.of(
                                "received", true, "event_id", event.eventId(), "ignored", true)));
                  }
                  // An intent's and a refund's events name the booking in their metadata; a
                  // dispute's do not, so its intent is looked up.
                  CompletionStage<Optional<String>> booking =
                      isBookingId(event.bookingId())
                          ? CompletableFuture.completedFuture(Optional.of(event.bookingId()))
                          : event.intentId() == null
                              ? CompletableFuture.completedFuture(Optional.empty())
                              : bookingOfIntent.apply(event.intentId());
                  CompletionStage<HttpResponse> recorded =
                      booking.thenCompose(
                          id -> {
                            if (id.isEmpty() || !isBookingId(id.get())) {
                              log.info(
                                  "webhook {} ({}) names no booking of ours; acknowledged and ignored",
                                  event.eventId(),
                                  event.type());
                              HearthMetrics.webhook("unknown_booking");
                              return CompletableFuture.completedFuture(
                                  json(
                                      200,
                                      Map.of(
                                          "received",
                                          true,
                                          "event_id",
                                          event.eventId(),
                                          "ignored",
                                          true)));
                            }
                            return sharding
                                .entityRefFor(PaymentEntity.ENTITY_KEY, id.get())
                                .<Recorded>ask(
                                    r -> new PaymentEntity.RecordGatewayEvent(event, r, requestId),
                                    askTimeout)
                                .thenApply(
                                    r -> {
                                      HearthMetrics.webhook(
                                          r.duplicate() ? "duplicate" : "recorded");
                                      return json(
                                          200,
                                          Map.of(
                                              "received",
                                              true,
                                              "event_id",
                                              r.eventId(),
                                              "duplicate",
                                              r.duplicate()));
                                    });
                          });
                  return completeWithFuture(
                      recover(
                          recorded.whenComplete(
                              (r, failure) -> {
                                if (failure != null) HearthMetrics.webhook("failed");
                              })));
                }));
  }

  private static boolean isBookingId(String id) {
    return id != null && com.hearth.engine.kitchen.KitchenIds.kitchenOf(id).isPresent();
  }

  private CompletionStage<HttpResponse> answer(CompletionStage<PaymentReply> reply, int status) {
    return reply.thenApply(
        answer -> {
          if (answer instanceof PaymentAccepted a) {
            known.remember(KnownEntities.payment(a.payment().bookingId()));
            return json(status, PaymentResponse.of(a.payment()));
          }
          return rejected(((PaymentRejected) answer).rejection());
        });
  }

  /** A timeout is a 503 with Retry-After; anything else unexpected a 500, logged. */
  private static CompletionStage<HttpResponse> recover(CompletionStage<HttpResponse> response) {
    return response.exceptionally(failure -> askFailed(failure, "payment"));
  }
}
