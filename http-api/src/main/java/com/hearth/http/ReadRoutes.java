package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.KitchenDecisions;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenStatus;
import com.hearth.http.Dtos.BookingResponse;
import com.hearth.http.Dtos.InvalidField;
import com.hearth.http.Dtos.KitchenResponse;
import com.hearth.projections.ProjectionStats;
import com.hearth.projections.ReadModelQueries;
import com.hearth.projections.ReadModelQueries.BadCursor;
import com.hearth.projections.ReadModelQueries.BookingFilter;
import com.hearth.projections.ReadModelQueries.Freshness;
import com.hearth.projections.ReadModelQueries.LapseBooking;
import com.hearth.projections.ReadModelQueries.LapseState;
import com.hearth.projections.ReadModelQueries.Notice;
import com.hearth.projections.ReadModelQueries.Page;
import com.hearth.projections.ReadModels;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes served from the read tables: the list endpoints, the read models' health, and their
 * rebuild. Every list answer says how fresh it is; queries run on the read-model dispatcher.
 */
final class ReadRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(ReadRoutes.class);
  static final int DEFAULT_LIMIT = 50;

  /**
   * A list answer: one page, the cursor of the next (absent on the last page), and its freshness.
   */
  record ListResponse<T>(List<T> items, String nextCursor, FreshnessDto freshness) {}

  record FreshnessDto(Instant consistentAsOf, long lagMs, long pendingEvents) {
    static FreshnessDto of(Freshness f) {
      return new FreshnessDto(f.consistentAsOf(), f.lagMs(), f.pendingEvents());
    }
  }

  private final ReadModelQueries queries;
  private final ReadModels readModels;
  private final Executor jdbc;
  private final Clock clock;

  ReadRoutes(ReadModelQueries queries, ReadModels readModels, Executor jdbc, Clock clock) {
    this.queries = queries;
    this.readModels = readModels;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** GET /v1/me/bookings: the caller's own bookings as a renter. */
  Route myBookings(Actor actor) {
    return bookingList(
        (filter, cursor, limit) -> queries.bookingsOfRenter(actor.id(), filter, cursor, limit));
  }

  /**
   * GET /v1/kitchens/{id}/bookings, once the caller is known to be the kitchen's host or an admin.
   */
  Route kitchenBookings(String kitchenId) {
    return bookingList(
        (filter, cursor, limit) -> queries.bookingsOfKitchen(kitchenId, filter, cursor, limit));
  }

  /** A confirmed booking inside a compliance lapse, as the lapse listings show it. */
  record LapseBookingResponse(
      String lapse,
      Instant lapseFrom,
      String reason,
      String kitchenId,
      String kitchenName,
      String kitchenStatus,
      BookingResponse booking) {
    static LapseBookingResponse of(LapseBooking l) {
      return new LapseBookingResponse(
          l.lapse().name(),
          l.lapseFrom(),
          l.reason(),
          l.booking().kitchenId(),
          l.kitchenName(),
          l.kitchenStatus().name(),
          BookingResponse.of(l.booking()));
    }
  }

  /**
   * GET /v1/kitchens/{id}/lapse-bookings (once the caller is known to be the kitchen's host, an
   * admin or an operator) and, with no kitchen, GET /v1/admin/compliance/lapses: the confirmed
   * bookings inside a compliance lapse, by start.
   */
  Route lapseBookings(String kitchenId) {
    return parameterOptional(
        "lapse",
        lapse ->
            page(
                (cursor, limit) -> {
                  Set<LapseState> states = statuses(lapse, LapseState.class, "lapse");
                  return Prepared.query(
                      () -> {
                        Page<LapseBooking> page =
                            queries.lapseBookings(kitchenId, states, cursor, limit);
                        return new Listed<>(
                            page.items().stream().map(LapseBookingResponse::of).toList(),
                            page.nextCursor());
                      });
                }));
  }

  /** One of a host's compliance notices. */
  record NoticeResponse(
      String kind,
      String kitchenId,
      String kitchenName,
      String kitchenStatus,
      Instant at,
      String documentId,
      String documentType,
      java.time.LocalDate expiryDate,
      String detail,
      Long confirmedBookingsAffected) {
    static NoticeResponse of(Notice n) {
      return new NoticeResponse(
          n.kind().name(),
          n.kitchenId(),
          n.kitchenName(),
          n.kitchenStatus().name(),
          n.at(),
          n.documentId(),
          n.documentType(),
          n.expiryDate(),
          n.detail(),
          n.kind() == ReadModelQueries.NoticeKind.DOCUMENT_EXPIRING
              ? null
              : n.confirmedBookingsAffected());
    }
  }

  record NoticesResponse(int withinDays, List<NoticeResponse> items, FreshnessDto freshness) {}

  static final int DEFAULT_NOTICE_DAYS = 30;
  static final int MAX_NOTICES = 500;

  /**
   * GET /v1/hosts/me/compliance-notices: the calling host's suspended kitchens, the lapses due
   * within {@code within_days} (30 by default, the default {@code expiring-soon-days}) and the
   * documents expiring by then, soonest first.
   */
  Route hostNotices(Actor actor) {
    return parameterOptional(
        "within_days",
        param -> {
          int days;
          try {
            days = param.isEmpty() ? DEFAULT_NOTICE_DAYS : Integer.parseInt(param.get());
            if (days < 0 || days > 366) throw new NumberFormatException();
          } catch (NumberFormatException e) {
            return complete(
                problem(Problems.invalid("within_days", "must be a whole number from 0 to 366")));
          }
          return completeWithFuture(
              CompletableFuture.supplyAsync(
                      () -> {
                        Freshness freshness = queries.freshness(clock);
                        Instant now = clock.instant();
                        List<Notice> notices =
                            queries.hostNotices(
                                actor.id(),
                                now.plus(java.time.Duration.ofDays(days)),
                                java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC)
                                    .plusDays(days),
                                MAX_NOTICES);
                        return json(
                            200,
                            new NoticesResponse(
                                days,
                                notices.stream().map(NoticeResponse::of).toList(),
                                FreshnessDto.of(freshness)));
                      },
                      jdbc)
                  .exceptionally(
                      failure -> {
                        log.error("read-model query failed", cause(failure));
                        return unavailable(
                            "the read models cannot be queried right now; retry shortly");
                      }));
        });
  }

  /** The longest period of one {@code GET /v1/admin/stats}: a quarter, one value a day. */
  static final int MAX_STATS_DAYS = 92;

  /** One currency's money of a day or period: confirmed bookings, net of policy refunds. */
  record RevenueDto(String currency, long grossCents, long refundsCents, long netCents) {}

  /** The figures of one local day, or of the whole period ({@code date} absent). */
  record StatsDto(
      java.time.LocalDate date,
      long openMinutes,
      long bookedMinutes,
      java.math.BigDecimal occupancy,
      long holdsPlaced,
      long bookingsConfirmed,
      long bookingsCancelled,
      long holdsExpired,
      long bookingsCompleted,
      List<RevenueDto> revenue) {

    /** Sums rows of one day (or of a period) over currencies; money stays per currency. */
    static StatsDto of(java.time.LocalDate date, List<ReadModelQueries.DailyTotals> rows) {
      long open = 0, booked = 0, held = 0, confirmed = 0, cancelled = 0, expired = 0, done = 0;
      Map<String, long[]> money = new java.util.TreeMap<>();
      for (ReadModelQueries.DailyTotals r : rows) {
        open += r.openMinutes();
        booked += r.bookedMinutes();
        held += r.holdsPlaced();
        confirmed += r.bookingsConfirmed();
        cancelled += r.bookingsCancelled();
        expired += r.holdsExpired();
        done += r.bookingsCompleted();
        long[] m = money.computeIfAbsent(r.currency(), c -> new long[2]);
        m[0] += r.grossCents();
        m[1] += r.refundsCents();
      }
      return new StatsDto(
          date,
          open,
          booked,
          open == 0
              ? null
              : java.math.BigDecimal.valueOf(booked)
                  .divide(java.math.BigDecimal.valueOf(open), 4, java.math.RoundingMode.HALF_UP),
          held,
          confirmed,
          cancelled,
          expired,
          done,
          money.entrySet().stream()
              .map(
                  e ->
                      new RevenueDto(
                          e.getKey(),
                          e.getValue()[0],
                          e.getValue()[1],
                          e.getValue()[0] - e.getValue()[1]))
              .toList());
    }
  }

  record StatsResponse(
      java.time.LocalDate from,
      java.time.LocalDate to,
      List<StatsDto> days,
      StatsDto totals,
      FreshnessDto freshness) {}

  /**
   * GET /v1/admin/stats?from=&to=: the platform's occupancy, funnel and revenue per local day over
   * {@code [from, to)}, every day listed (zeros where nothing happened), summed in the database
   * from {@code kitchen_daily_stats}, so the answer's size is the period's, not the bookings'.
   */
  Route stats() {
    return parameterOptional(
        "from",
        fromParam ->
            parameterOptional(
                "to",
                toParam -> {
                  java.time.LocalDate from;
                  java.time.LocalDate to;
                  try {
                    from = localDate("from", fromParam);
                    to = localDate("to", toParam);
                    if (!to.isAfter(from)) throw new InvalidField("to", "must be after from");
                    if (from.plusDays(MAX_STATS_DAYS).isBefore(to))
                      throw new InvalidField(
                          "to", "must be at most " + MAX_STATS_DAYS + " days after from");
                  } catch (InvalidField e) {
                    return complete(problem(Problems.invalid(e.error.field(), e.error.message())));
                  }
                  return completeWithFuture(
                      CompletableFuture.supplyAsync(
                              () -> {
                                Freshness freshness = queries.freshness(clock);
                                List<ReadModelQueries.DailyTotals> rows =
                                    queries.dailyTotals(from, to);
                                Map<java.time.LocalDate, List<ReadModelQueries.DailyTotals>> byDay =
                                    new java.util.HashMap<>();
                                for (ReadModelQueries.DailyTotals r : rows)
                                  byDay
                                      .computeIfAbsent(r.date(), d -> new java.util.ArrayList<>())
                                      .add(r);
                                List<StatsDto> days =
                                    from.datesUntil(to)
                                        .map(d -> StatsDto.of(d, byDay.getOrDefault(d, List.of())))
                                        .toList();
                                return json(
                                    200,
                                    new StatsResponse(
                                        from,
                                        to,
                                        days,
                                        StatsDto.of(null, rows),
                                        FreshnessDto.of(freshness)));
                              },
                              jdbc)
                          .exceptionally(
                              failure -> {
                                log.error("read-model query failed", cause(failure));
                                return unavailable(
                                    "the read models cannot be queried right now; retry shortly");
                              }));
                }));
  }

  private static java.time.LocalDate localDate(String name, Optional<String> value)
      throws InvalidField {
    if (value.isEmpty()) throw new InvalidField(name, "is required (a date such as 2026-11-01)");
    try {
      return java.time.LocalDate.parse(value.get());
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidField(name, "must be a date such as 2026-11-01");
    }
  }

  /** GET /v1/kitchens: published kitchens for anyone, kitchens in any status for admins. */
  Route kitchens(Actor actor) {
    return parameterOptional(
        "city",
        city ->
            parameterOptional(
                "status",
                status ->
                    page(
                        (cursor, limit) -> {
                          Set<KitchenStatus> statuses =
                              statuses(status, KitchenStatus.class, "status");
                          if (statuses.isEmpty())
                            statuses = KitchenDecisions.listedByDefault(actor);
                          Optional<Rejection> refused =
                              KitchenDecisions.refusesToList(statuses, actor);
                          if (refused.isPresent()) return Prepared.refused(refused.get());
                          if (city.isPresent()
                              && (city.get().isBlank() || city.get().length() > 100))
                            throw new InvalidField("city", "must be 1 to 100 characters");
                          Set<KitchenStatus> wanted = statuses;
                          return Prepared.query(
                              () -> {
                                Page<KitchenView> page =
                                    queries.kitchens(city.orElse(null), wanted, cursor, limit);
                                return new Listed<>(
                                    page.items().stream().map(KitchenResponse::of).toList(),
                                    page.nextCursor());
                              });
                        })));
  }

  /**
   * GET /v1/hosts/me/kitchens: the calling host's own kitchens in every status (drafts included)
   * unless {@code status} narrows them, oldest first. Only the caller's: the host id is the token's
   * subject.
   */
  Route hostKitchens(Actor actor) {
    return parameterOptional(
        "status",
        status ->
            page(
                (cursor, limit) -> {
                  Set<KitchenStatus> statuses = statuses(status, KitchenStatus.class, "status");
                  return Prepared.query(
                      () -> {
                        Page<KitchenView> page =
                            queries.kitchensOfHost(actor.id(), statuses, cursor, limit);
                        return new Listed<>(
                            page.items().stream().map(KitchenResponse::of).toList(),
                            page.nextCursor());
                      });
                }));
  }

  /** POST /v1/admin/read-models/rebuild (admins and operators). */
  Route rebuild() {
    return completeWithFuture(
        readModels
            .rebuild()
            .toCompletableFuture()
            .handle(
                (done, failure) -> {
                  if (failure == null)
                    return CompletableFuture.supplyAsync(() -> queries.freshness(clock), jdbc)
                        .handle(
                            (freshness, unknown) -> {
                              Map<String, Object> body = new LinkedHashMap<>();
                              body.put("status", "REBUILDING");
                              if (freshness != null)
                                body.put("freshness", FreshnessDto.of(freshness));
                              return json(202, body);
                            });
                  Throwable cause = cause(failure);
                  if (cause instanceof ReadModels.RebuildInProgress)
                    return CompletableFuture.completedFuture(
                        problem(Problems.Type.INVALID_STATE, cause.getMessage()));
                  log.error("read-model rebuild failed", cause);
                  return CompletableFuture.completedFuture(
                      unavailable(
                          "the rebuild failed and the read models were left as they were: "
                              + cause.getMessage()));
                })
            .thenCompose(response -> response));
  }

  /**
   * GET /health/projections: this node's projection instances, any paused projection in the
   * cluster, and the cluster-wide freshness. 503 when one is failing or stays paused. Anyone gets
   * UP or DOWN; only with {@code detail} (an operator's or admin's token) the rest, which may hold
   * SQL errors and the ids of users in failing events.
   */
  Route projectionHealth(boolean detail) {
    CompletableFuture<Freshness> freshness =
        CompletableFuture.supplyAsync(() -> queries.freshness(clock), jdbc);
    CompletableFuture<List<String>> paused = readModels.paused().toCompletableFuture();
    return completeWithFuture(
        CompletableFuture.allOf(freshness, paused)
            .handle(
                (done, failure) -> {
                  ProjectionStats stats = readModels.stats();
                  List<String> pausedNow =
                      paused.isCompletedExceptionally() ? List.of() : paused.join();
                  boolean up = failure == null && !stats.anyFailing() && pausedNow.isEmpty();
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("status", up ? "UP" : "DOWN");
                  if (!detail) return json(up ? 200 : 503, body);
                  body.put("projections", stats.snapshot());
                  if (!pausedNow.isEmpty()) {
                    body.put("paused", pausedNow);
                    body.put(
                        "hint",
                        "paused projections come from a rebuild that did not finish: run the rebuild again");
                  }
                  if (!freshness.isCompletedExceptionally())
                    body.put("freshness", FreshnessDto.of(freshness.join()));
                  if (failure != null) body.put("error", cause(failure).getMessage());
                  return json(up ? 200 : 503, body);
                }));
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Query parameters made into a query, or refused by the domain; a parameter that does not parse
   * is an {@link InvalidField}, as in every route.
   */
  private interface PageQuery {
    Prepared prepare(String cursor, int limit) throws InvalidField;
  }

  /**
   * One page's query, ready to run on the read-model dispatcher, or why the caller may not run it.
   */
  private record Prepared(Supplier<Listed<?>> query, Rejection refused) {
    static Prepared query(Supplier<Listed<?>> query) {
      return new Prepared(query, null);
    }

    static Prepared refused(Rejection rejection) {
      return new Prepared(null, rejection);
    }
  }

  private record Listed<T>(List<T> items, String nextCursor) {}

  private interface BookingQuery {
    Page<Booking> run(BookingFilter filter, String cursor, int limit);
  }

  private Route bookingList(BookingQuery query) {
    return parameterOptional(
        "from",
        from ->
            parameterOptional(
                "to",
                to ->
                    parameterOptional(
                        "status",
                        status ->
                            page(
                                (cursor, limit) -> {
                                  Instant start =
                                      from.isPresent() ? Dtos.instant(from.get(), "from") : null;
                                  Instant end =
                                      to.isPresent() ? Dtos.instant(to.get(), "to") : null;
                                  if (start != null && end != null && !start.isBefore(end))
                                    throw new InvalidField("to", "must be after from");
                                  BookingFilter filter =
                                      new BookingFilter(
                                          start,
                                          end,
                                          statuses(status, BookingStatus.class, "status"));
                                  return Prepared.query(
                                      () -> {
                                        Page<Booking> page = query.run(filter, cursor, limit);
                                        return new Listed<>(
                                            page.items().stream().map(BookingResponse::of).toList(),
                                            page.nextCursor());
                                      });
                                }))));
  }

  private Route page(PageQuery query) {
    return parameterOptional(
        "cursor",
        cursor ->
            parameterOptional(
                "limit",
                limitParam -> {
                  Prepared prepared;
                  try {
                    int limit = limit(limitParam);
                    if (cursor.isPresent() && cursor.get().isBlank())
                      throw new InvalidField("cursor", "must not be empty");
                    prepared = query.prepare(cursor.orElse(null), limit);
                  } catch (InvalidField e) {
                    return complete(problem(Problems.invalid(e.error)));
                  }
                  if (prepared.refused() != null) return complete(rejected(prepared.refused()));
                  return completeWithFuture(
                      CompletableFuture.supplyAsync(
                              () -> {
                                Freshness freshness = queries.freshness(clock);
                                Listed<?> listed = prepared.query().get();
                                return json(
                                    200,
                                    new ListResponse<>(
                                        listed.items(),
                                        listed.nextCursor(),
                                        FreshnessDto.of(freshness)));
                              },
                              jdbc)
                          .exceptionally(
                              failure -> {
                                Throwable cause = cause(failure);
                                if (cause instanceof BadCursor)
                                  return problem(Problems.invalid("cursor", cause.getMessage()));
                                log.error("read-model query failed", cause);
                                return unavailable(
                                    "the read models cannot be queried right now; retry shortly");
                              }));
                }));
  }

  private static int limit(Optional<String> value) throws InvalidField {
    if (value.isEmpty()) return DEFAULT_LIMIT;
    try {
      int limit = Integer.parseInt(value.get());
      if (limit >= 1 && limit <= ReadModelQueries.MAX_LIMIT) return limit;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new InvalidField(
        "limit", "must be a whole number from 1 to " + ReadModelQueries.MAX_LIMIT);
  }

  private static <E extends Enum<E>> Set<E> statuses(
      Optional<String> value, Class<E> type, String field) throws InvalidField {
    Set<E> set = EnumSet.noneOf(type);
    if (value.isEmpty()) return set;
    for (String name : value.get().split(",")) {
      try {
        set.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidField(field, "must be a comma-separated list of " + EnumSet.allOf(type));
      }
    }
    return set;
  }

  private static HttpResponse unavailable(String detail) {
    return problem(Problems.Type.UNAVAILABLE, detail);
  }
}
