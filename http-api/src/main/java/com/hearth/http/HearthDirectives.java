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

  Route requireRole(Actor actor, Set<Role> anyOf, Supplier<Route> inner) {
    if (anyOf.stream().anyMatch(actor::has)) return inner.get();
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
