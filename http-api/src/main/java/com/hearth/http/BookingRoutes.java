package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.http.Dtos.CancelRequest;
import com.hearth.http.observability.RequestObservation;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /v1/bookings/{id}}: a booking, its cancellation and confirmation, and its payment's
 * routes. The route tree is built once; the caller and the booking id are read from the request
 * ({@link HearthDirectives#callerAndBooking}).
 */
final class BookingRoutes extends KitchenAsking {

  private static final int MAX_REASON_LENGTH = 500;
  private static final Set<Role> ADMIN_OR_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);

  private final PaymentRoutes payments;
  private final Quotas quotas;
  private final Route route;

  BookingRoutes(
      ActorSystem<?> system,
      NodeSettings settings,
      PaymentRoutes payments,
      Quotas quotas,
      KnownEntities known,
      Clock clock) {
    super(system, known, settings.askTimeout(), settings.writeBudget(), clock);
    this.payments = payments;
    this.quotas = quotas;
    this.route = build();
  }

  /** The routes under {@code /v1/bookings}, built once. */
  Route route() {
    return route;
  }

  /** The kitchen of a booking id that names one (checked where the path was matched). */
  private KnownRef<KitchenEntity.Command> kitchenOf(String bookingId) {
    return kitchen(KitchenIds.kitchenOf(bookingId).orElseThrow());
  }

  private Route build() {
    Route booking =
        concat(
            pathEnd(
                () ->
                    get(
                        () ->
                            callerAndBooking(
                                (actor, bookingId) ->
                                    completeWithFuture(
                                        respond(
                                            kitchenOf(bookingId)
                                                .<BookingReply>ask(
                                                    r ->
                                                        new KitchenEntity.GetBooking(
                                                            actor, bookingId, r),
                                                    askTimeout),
                                            answer -> bookingResponse(answer, 200)))))),
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
                                  return callerAndBooking(
                                      (actor, bookingId) ->
                                          RequestObservation.withRequestId(
                                              requestId ->
                                                  cancel(
                                                      actor,
                                                      kitchenOf(bookingId),
                                                      bookingId,
                                                      reason,
                                                      requestId)));
                                }))),
            callerAndBooking(
                (actor, bookingId) -> payments.forBooking(actor, bookingId, kitchenOf(bookingId))),
            path(
                "confirm",
                () ->
                    post(
                        () ->
                            callerAndBooking(
                                (actor, bookingId) ->
                                    requireRole(
                                        actor,
                                        ADMIN_OR_OPERATOR,
                                        () ->
                                            RequestObservation.withRequestId(
                                                requestId ->
                                                    completeWithFuture(
                                                        respond(
                                                            kitchenOf(bookingId)
                                                                .<BookingReply>ask(
                                                                    r ->
                                                                        new KitchenEntity
                                                                            .ConfirmBooking(
                                                                            actor,
                                                                            bookingId,
                                                                            r,
                                                                            deadline(),
                                                                            requestId),
                                                                    askTimeout),
                                                            answer ->
                                                                bookingResponse(
                                                                    answer, 200)))))))));
    return pathPrefix(
        PathMatchers.segment(),
        bookingId ->
            KitchenIds.kitchenOf(bookingId).isPresent()
                ? keeping(BOOKING_ID, bookingId, booking)
                : complete(notFound("booking")));
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
}
