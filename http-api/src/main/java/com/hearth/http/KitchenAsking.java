package com.hearth.http;

import com.hearth.engine.Deadlines;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.http.Dtos.BookingResponse;
import com.hearth.http.Dtos.KitchenResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What the kitchens' and the bookings' routes share: asking a kitchen (only once it is known to
 * exist), the deadline of a command, and turning a kitchen's answer into a response.
 */
abstract class KitchenAsking extends HearthDirectives {

  final ClusterSharding sharding;
  final KnownEntities known;
  final Duration askTimeout;
  final Duration writeBudget;
  final Clock clock;

  /** Where the asks' replies are handled ({@link AskReplies}): the actor system's dispatcher. */
  final Executor replies;

  KitchenAsking(
      ActorSystem<?> system,
      KnownEntities known,
      Duration askTimeout,
      Duration writeBudget,
      Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.known = known;
    this.askTimeout = askTimeout;
    this.writeBudget = writeBudget;
    this.clock = clock;
    this.replies = system.executionContext();
  }

  HttpResponse bookingResponse(BookingReply answer, int status) {
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
  static HttpResponse accepted(int status, boolean replayed, Object body, String location) {
    if (replayed) return json(200, body).addHeader(RawHeader.create("Idempotent-Replayed", "true"));
    HttpResponse response = json(status, body);
    return status == 201 ? response.addHeader(Location.create(location)) : response;
  }

  // ---------------------------------------------------------------- asking kitchens

  /**
   * When a command asked now stops being worth applying: its caller gets 503 at the ask timeout.
   */
  Instant deadline() {
    return Deadlines.forAsk(clock.instant(), askTimeout, writeBudget);
  }

  /**
   * The kitchen, asked only once it is known to exist: a made-up id is a 404 and starts no entity
   * (docs/security.md, "Made-up ids").
   */
  KnownRef<KitchenEntity.Command> kitchen(String kitchenId) {
    return new KnownRef<>(
        sharding.entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId),
        known,
        KnownEntities.kitchen(kitchenId));
  }

  Route askKitchen(
      String kitchenId,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus) {
    return askKitchen(kitchen(kitchenId).unchecked(), command, successStatus, kitchen(kitchenId));
  }

  /** A create: the kitchen may not exist yet. */
  Route askKitchen(
      EntityRef<KitchenEntity.Command> kitchen,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus) {
    return askKitchen(kitchen, command, successStatus, null);
  }

  Route askKitchen(
      EntityRef<KitchenEntity.Command> unchecked,
      Function<ActorRef<KitchenReply>, KitchenEntity.Command> command,
      int successStatus,
      KnownRef<KitchenEntity.Command> checked) {
    CompletionStage<KitchenReply> reply =
        checked != null
            ? checked.ask(command::apply, askTimeout)
            : AskReplies.on(replies, unchecked.ask(command::apply, askTimeout));
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
  static <T> CompletionStage<HttpResponse> respond(
      CompletionStage<T> reply, Function<T, HttpResponse> onAnswer) {
    return reply.handle(
        (answer, failure) -> failure == null ? onAnswer.apply(answer) : askFailed(failure));
  }

  static HttpResponse askFailed(Throwable failure) {
    return askFailed(failure, "kitchen");
  }

  static HttpResponse notFound(String what) {
    return problem(Problems.Type.NOT_FOUND, "no such " + what);
  }
}
