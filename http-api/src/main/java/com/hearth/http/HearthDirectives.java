package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The directives and responses every route class of the API shares: roles, bodies, keys, JSON. */
abstract class HearthDirectives extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(HearthDirectives.class);

  static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  /**
   * The caller, resolved once per request by {@link ApiRoutes}' authentication and kept on the
   * request, so that the route tree is built once at startup and not per caller.
   */
  static final AttributeKey<Actor> CALLER = AttributeKey.create("hearth-caller", Actor.class);

  /** The kitchen id of the path, kept on the request where the route tree matched it. */
  static final AttributeKey<String> KITCHEN_ID =
      AttributeKey.create("hearth-kitchen-id", String.class);

  /** The booking id of the path, kept on the request where the route tree matched it. */
  static final AttributeKey<String> BOOKING_ID =
      AttributeKey.create("hearth-booking-id", String.class);

  /**
   * The authenticated caller of this request. Only under the authenticated routes: elsewhere there
   * is none, and this is an error of the route tree (500).
   */
  Route caller(Function<Actor, Route> inner) {
    return extractRequest(request -> inner.apply(request.getAttribute(CALLER).orElseThrow()));
  }

  /** The caller and the path's kitchen id (under a kitchen's routes only). */
  Route callerAndKitchen(java.util.function.BiFunction<Actor, String, Route> inner) {
    return extractRequest(
        request ->
            inner.apply(
                request.getAttribute(CALLER).orElseThrow(),
                request.getAttribute(KITCHEN_ID).orElseThrow()));
  }

  /** The caller and the path's booking id (under a booking's routes only). */
  Route callerAndBooking(java.util.function.BiFunction<Actor, String, Route> inner) {
    return extractRequest(
        request ->
            inner.apply(
                request.getAttribute(CALLER).orElseThrow(),
                request.getAttribute(BOOKING_ID).orElseThrow()));
  }

  /**
   * {@code inner}, a route built once, with {@code value} kept on the request under {@code key}.
   */
  <T> Route keeping(AttributeKey<T> key, T value, Route inner) {
    return mapRequest(request -> request.addAttribute(key, value), () -> inner);
  }

  Route requireRole(Actor actor, Set<Role> anyOf, Supplier<Route> inner) {
    for (Role role : anyOf) if (actor.has(role)) return inner.get();
    return complete(
        problem(
            Problems.Type.FORBIDDEN,
            "this needs one of the roles "
                + anyOf.stream().map(r -> r.name().toLowerCase()).toList()));
  }

  /**
   * Continues only when the entity of {@code persistenceId} exists ({@link KnownEntities}): a
   * made-up id is a 404 that starts no entity. When the journal cannot be asked, 503.
   */
  Route whenKnown(KnownEntities known, String persistenceId, String what, Supplier<Route> inner) {
    return onComplete(
        () -> known.exists(persistenceId),
        found -> {
          if (found.isFailure()) return complete(askFailed(found.failed().get(), what));
          if (!found.get()) return complete(problem(Problems.Type.NOT_FOUND, "no such " + what));
          return inner.get();
        });
  }

  Route idempotencyKey(Function<Optional<String>, Route> inner) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        key -> {
          if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches())
            return complete(
                problem(
                    Problems.invalid(
                        "Idempotency-Key", "must be 1 to 255 visible ASCII characters")));
          return inner.apply(key);
        });
  }

  <T> Route body(Class<T> type, Function<T, Route> inner) {
    return optionalBody(
        type,
        value ->
            value.isPresent()
                ? inner.apply(value.get())
                : complete(problem(Problems.invalid("body", "a JSON object is required"))));
  }

  <T> Route optionalBody(Class<T> type, Function<Optional<T>, Route> inner) {
    return extractRequestEntity(
        entity -> {
          boolean empty = entity.isKnownEmpty();
          if (!empty && !isJson(entity.getContentType()))
            return complete(
                problem(Problems.Type.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json"));
          return entity(
              Unmarshaller.entityToString(),
              text -> {
                if (text.isBlank()) return inner.apply(Optional.empty());
                try {
                  return inner.apply(Optional.of(Json.read(text, type)));
                } catch (Json.BadJson e) {
                  return complete(problem(Problems.invalid(e.field, e.getMessage())));
                }
              });
        });
  }

  static boolean isJson(ContentType contentType) {
    return contentType.mediaType().equals(MediaTypes.APPLICATION_JSON);
  }

  static HttpResponse json(int status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(
            ContentTypes.APPLICATION_JSON, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An ask that failed: a timeout is a 503 with {@code Retry-After: 1} (an entity that did not
   * answer in time is worth asking again at once); anything else an unexpected 500, logged.
   */
  static HttpResponse askFailed(Throwable failure, String who) {
    Throwable cause = cause(failure);
    if (cause instanceof KnownEntities.Unknown)
      return problem(Problems.Type.NOT_FOUND, "no such " + who);
    if (cause instanceof KnownEntities.Unavailable) {
      log.warn("{}", cause.getMessage());
      return problem(
              Problems.of(Problems.Type.UNAVAILABLE, "the database did not answer; retry shortly"))
          .addHeader(RetryAfter.create(2L));
    }
    if (cause instanceof TimeoutException) {
      log.warn("the {} did not answer in time: {}", who, cause.getMessage());
      return problem(
              Problems.of(
                  Problems.Type.UNAVAILABLE,
                  "the " + who + " did not answer in time; retry shortly"))
          .addHeader(RetryAfter.create(1L));
    }
    log.error("{} ask failed", who, cause);
    return problem(Problems.Type.INTERNAL, "an unexpected error occurred");
  }

  /** The failure inside the {@link CompletionException}s that futures wrap it in. */
  static Throwable cause(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null)
      cause = cause.getCause();
    return cause;
  }

  /**
   * The domain's rejection as its problem document (see {@link Problems}), with its type's {@code
   * Retry-After}.
   */
  static HttpResponse rejected(Rejection rejection) {
    return withRetryAfter(problem(Problems.of(rejection)), Problems.Type.of(rejection.code()));
  }

  /** A problem of {@code type}, with the type's {@code Retry-After}. */
  static HttpResponse problem(Problems.Type type, String detail) {
    return withRetryAfter(problem(Problems.of(type, detail)), type);
  }

  static HttpResponse problem(Problem p) {
    return HttpResponse.create()
        .withStatus(p.status())
        .withEntity(PROBLEM_JSON, Json.write(p).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse withRetryAfter(HttpResponse response, Problems.Type type) {
    return type.retryAfterSeconds > 0
        ? response.addHeader(RetryAfter.create(type.retryAfterSeconds))
        : response;
  }
}
