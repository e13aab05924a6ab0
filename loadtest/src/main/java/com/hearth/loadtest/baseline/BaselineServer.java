package com.hearth.loadtest.baseline;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.loadtest.baseline.BaselineStore.Booking;
import com.hearth.loadtest.baseline.BaselineStore.Held;
import com.hearth.loadtest.baseline.BaselineStore.HoldResult;
import com.hearth.loadtest.baseline.BaselineStore.Overlaps;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The baseline a team would build instead of Hearth: the same HTTP stack (pekko-http), the same
 * bearer-token check (HS256 with java-jwt, {@code sub}, {@code roles}, {@code exp}) and JSON
 * (Jackson), the same route shapes for what the benchmark scenarios call, and every hold decided by
 * one PostgreSQL transaction ({@link BaselineStore}). JDBC calls run on a dedicated dispatcher,
 * never on the HTTP threads.
 *
 * <p>Usage: {@code BaselineServer --variant forupdate|exclude --db jdbc:postgresql://... --secret S
 * [--port 0] [--pool 16] [--port-file F]}. It binds 127.0.0.1 only, creates its schema in the
 * (empty) database, prints {@code listening on <port>} and writes the port to the port file.
 */
public final class BaselineServer extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ContentType.NonBinary PROBLEM =
      ContentTypes.create(
          MediaTypes.applicationWithFixedCharset(
              "problem+json", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8));

  private final BaselineStore store;
  private final JWTVerifier verifier;
  private final Executor jdbc;

  BaselineServer(BaselineStore store, String secret, Executor jdbc) {
    this.store = store;
    this.verifier =
        JWT.require(Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8)))
            .acceptLeeway(30)
            .build();
    this.jdbc = jdbc;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    BaselineStore.Variant variant =
        BaselineStore.Variant.valueOf(opts.getOrDefault("variant", "exclude").toUpperCase());
    int pool = Integer.parseInt(opts.getOrDefault("pool", "16"));
    String secret = opts.get("secret");
    if (secret == null || opts.get("db") == null) {
      System.err.println(
          "usage: BaselineServer --variant forupdate|exclude --db JDBC_URL --secret S [--user U] [--port 0] [--pool 16] [--port-file F]");
      System.exit(2);
    }
    BaselineStore store =
        new BaselineStore(opts.get("db"), opts.getOrDefault("user", "postgres"), pool, variant);
    store.createSchema();
    ActorSystem system =
        ActorSystem.create(
            "baseline",
            ConfigFactory.parseString(
                    "baseline-jdbc-dispatcher { type = Dispatcher, executor = thread-pool-executor,"
                        + " thread-pool-executor.fixed-pool-size = "
                        + pool
                        + ", throughput = 1 }\n"
                        + "pekko.http.server.request-timeout = 20s\npekko.http.server.backlog = 1024\n"
                        + "pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    Executor jdbc = system.dispatchers().lookup("baseline-jdbc-dispatcher");
    BaselineServer server = new BaselineServer(store, secret, jdbc);
    ServerBinding binding =
        Http.get(system)
            .newServerAt("127.0.0.1", Integer.parseInt(opts.getOrDefault("port", "0")))
            .bind(server.route())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    int port = binding.localAddress().getPort();
    if (opts.containsKey("port-file"))
      java.nio.file.Files.writeString(java.nio.file.Path.of(opts.get("port-file")), port + "\n");
    System.out.println("baseline " + variant.name().toLowerCase() + " listening on " + port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  system.terminate();
                  store.close();
                }));
    system.getWhenTerminated().toCompletableFuture().join();
  }

  Route route() {
    return concat(
        path(
            PathMatchers.segment("health").slash("ready"),
            () ->
                get(
                    () ->
                        complete(
                            json(
                                200,
                                Map.of(
                                    "status",
                                    "UP",
                                    "hold_retries",
                                    BaselineStore.RETRIES.get()))))),
        pathPrefix(
            "v1",
            () ->
                authenticated(
                    token ->
                        concat(
                            pathPrefix("kitchens", () -> kitchens(token)),
                            pathPrefix("bookings", () -> bookings(token))))));
  }

  private Route kitchens(DecodedJWT token) {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(
                        () ->
                            parameterOptional(
                                "limit",
                                limit -> listKitchens(limit.map(Integer::parseInt).orElse(50)))),
                    post(
                        () ->
                            role(
                                token,
                                "host",
                                () -> jsonBody(body -> createKitchen(token, body)))))),
        pathPrefix(
            PathMatchers.segment(),
            kitchenId ->
                concat(
                    path(
                        "publish",
                        () -> post(() -> role(token, "host", () -> publish(token, kitchenId)))),
                    path(
                        "availability",
                        () ->
                            get(
                                () ->
                                    parameter(
                                        "from",
                                        from ->
                                            parameter(
                                                "to", to -> availability(kitchenId, from, to))))),
                    path(
                        "bookings",
                        () ->
                            post(
                                () ->
                                    role(
                                        token,
                                        "renter",
                                        () -> jsonBody(body -> hold(token, kitchenId, body))))))));
  }

  private Route listKitchens(int limit) {
    return blocking(() -> json(200, Map.of("items", store.publishedKitchens(limit))));
  }

  private Route createKitchen(DecodedJWT token, JsonNode body) {
    if (!body.hasNonNull("name"))
      return complete(problem(400, "VALIDATION_FAILED", "name: is required"));
    String city = body.hasNonNull("city") ? body.get("city").asText() : null;
    return blocking(
        () -> json(201, store.createKitchen(token.getSubject(), body.get("name").asText(), city)));
  }

  private Route publish(DecodedJWT token, String kitchenId) {
    return blocking(
        () -> {
          Map<String, Object> k = store.publish(kitchenId, token.getSubject());
          return k == null ? problem(404, "NOT_FOUND", "no such kitchen") : json(200, k);
        });
  }

  private Route availability(String kitchenId, String from, String to) {
    Instant start;
    Instant end;
    try {
      start = Instant.parse(from);
      end = Instant.parse(to);
    } catch (DateTimeParseException e) {
      return complete(problem(400, "VALIDATION_FAILED", "from, to: must be instants"));
    }
    if (!start.isBefore(end))
      return complete(problem(400, "VALIDATION_FAILED", "to: must be after from"));
    return blocking(
        () -> {
          List<Instant[]> busy = store.liveBookings(kitchenId, start, end);
          if (busy == null) return problem(404, "NOT_FOUND", "no such kitchen");
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("kitchen_id", kitchenId);
          out.put("from", start.toString());
          out.put("to", end.toString());
          out.put(
              "free",
              BaselineStore.free(start, end, busy).stream()
                  .map(i -> Map.of("start", i[0].toString(), "end", i[1].toString()))
                  .toList());
          return json(200, out);
        });
  }

  private Route hold(DecodedJWT token, String kitchenId, JsonNode body) {
    Instant start;
    Instant end;
    try {
      start = Instant.parse(body.path("start").asText());
      end = Instant.parse(body.path("end").asText());
    } catch (DateTimeParseException e) {
      return complete(problem(400, "VALIDATION_FAILED", "start, end: must be instants"));
    }
    if (!start.isBefore(end))
      return complete(problem(400, "VALIDATION_FAILED", "end: must be after start"));
    return blocking(
        () -> {
          HoldResult result = store.hold(kitchenId, token.getSubject(), start, end);
          if (result instanceof Held h) return json(201, booking(h.booking()));
          if (result instanceof Overlaps)
            return problem(409, "SLOT_UNAVAILABLE", "the slot overlaps another booking");
          return problem(409, "KITCHEN_NOT_BOOKABLE", "the kitchen is not published");
        });
  }

  private Route bookings(DecodedJWT token) {
    return pathPrefix(
        PathMatchers.segment(),
        bookingId ->
            concat(
                pathEnd(
                    () ->
                        get(
                            () ->
                                blocking(
                                    () -> {
                                      Booking b = store.booking(bookingId, token.getSubject());
                                      return b == null
                                          ? problem(404, "NOT_FOUND", "no such booking")
                                          : json(200, booking(b));
                                    }))),
                path(
                    "payment",
                    () ->
                        post(
                            () ->
                                blocking(
                                    () -> {
                                      String intent =
                                          store.startPayment(bookingId, token.getSubject());
                                      if (intent == null)
                                        return problem(404, "NOT_FOUND", "no such booking");
                                      return json(
                                          200,
                                          Map.of(
                                              "booking_id",
                                              bookingId,
                                              "intent_id",
                                              intent,
                                              "status",
                                              "REQUIRES_PAYMENT"));
                                    }))),
                path(
                    PathMatchers.segment("payment").slash("simulate"),
                    () ->
                        post(
                            () ->
                                jsonBody(
                                    body ->
                                        blocking(
                                            () -> {
                                              if (!"succeeded"
                                                  .equals(body.path("outcome").asText()))
                                                return problem(
                                                    400,
                                                    "VALIDATION_FAILED",
                                                    "outcome: only succeeded is simulated here");
                                              if (!store.paymentSucceeded(
                                                  bookingId, token.getSubject()))
                                                return problem(404, "NOT_FOUND", "no such payment");
                                              return json(
                                                  200,
                                                  Map.of(
                                                      "booking_id",
                                                      bookingId,
                                                      "status",
                                                      "SUCCEEDED",
                                                      "outcome",
                                                      "CONFIRMED"));
                                            })))),
                path(
                    "cancel",
                    () ->
                        post(
                            () ->
                                blocking(
                                    () -> {
                                      Booking b = store.cancel(bookingId, token.getSubject());
                                      return b == null
                                          ? problem(
                                              409, "INVALID_STATE", "no live booking of yours")
                                          : json(200, booking(b));
                                    })))));
  }

  private static Map<String, Object> booking(Booking b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("booking_id", b.bookingId());
    out.put("kitchen_id", b.kitchenId());
    out.put("renter_id", b.renterId());
    out.put("status", b.status());
    out.put("start", b.start().toString());
    out.put("end", b.end().toString());
    return out;
  }

  // ---------------------------------------------------------------- directives

  private Route authenticated(Function<DecodedJWT, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          Optional<DecodedJWT> token =
              header
                  .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                  .flatMap(
                      h -> {
                        try {
                          DecodedJWT jwt = verifier.verify(h.substring(7).trim());
                          if (jwt.getSubject() == null
                              || jwt.getExpiresAt() == null
                              || jwt.getClaim("roles").asList(String.class) == null)
                            return Optional.empty();
                          return Optional.of(jwt);
                        } catch (JWTVerificationException e) {
                          return Optional.empty();
                        }
                      });
          return token
              .map(inner)
              .orElseGet(
                  () -> complete(problem(401, "UNAUTHORIZED", "a valid bearer token is required")));
        });
  }

  private Route role(DecodedJWT token, String role, java.util.function.Supplier<Route> inner) {
    List<String> roles = token.getClaim("roles").asList(String.class);
    if (roles.contains(role) || roles.contains("admin")) return inner.get();
    return complete(problem(403, "FORBIDDEN", "the token lacks the role " + role));
  }

  private Route jsonBody(Function<JsonNode, Route> inner) {
    return entity(
        Unmarshaller.entityToString(),
        text -> {
          try {
            return inner.apply(JSON.readTree(text.isEmpty() ? "{}" : text));
          } catch (JsonProcessingException e) {
            return complete(problem(400, "VALIDATION_FAILED", "malformed JSON"));
          }
        });
  }

  /** Runs a JDBC call on the JDBC dispatcher; a failure is a 500 problem, logged. */
  private Route blocking(SqlCall call) {
    CompletionStage<HttpResponse> response =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call.run();
              } catch (Exception e) {
                System.err.println("baseline: " + e);
                return problem(500, "INTERNAL", "an unexpected error occurred");
              }
            },
            jdbc);
    return completeWithFuture(response);
  }

  @FunctionalInterface
  private interface SqlCall {
    HttpResponse run() throws Exception;
  }

  private static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse problem(int status, String code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:hearth:problem:" + code.toLowerCase().replace('_', '-'));
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(PROBLEM, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
