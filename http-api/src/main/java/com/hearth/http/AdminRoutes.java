package com.hearth.http;

import com.hearth.billing.IsoWeek;
import com.hearth.billing.PayoutBatch;
import com.hearth.billing.PayoutLine;
import com.hearth.billing.Payouts;
import com.hearth.billing.Payouts.BadWeek;
import com.hearth.billing.Payouts.HostWeek;
import com.hearth.billing.Payouts.WeekNotOver;
import com.hearth.billing.Reconciliation;
import com.hearth.billing.Reconciliation.Mismatch;
import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.GatewayUnavailable;
import com.hearth.http.Dtos.InvalidField;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money reports for admins, as CSV: a week's host payouts (made on the first request and the
 * same on every later one) and the reconciliation of the payment gateway with the read tables.
 * Operators run the platform but do not see money: they get 403. Database work runs on the executor
 * given; the gateway is asked without blocking.
 */
public final class AdminRoutes extends HearthDirectives {

  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
  static final ContentType CSV = MediaTypes.TEXT_CSV.toContentType(HttpCharsets.UTF_8);

  /** The longest period one reconciliation covers: the gateway lists every object of it. */
  static final Duration MAX_RECONCILIATION_PERIOD = Duration.ofDays(31);

  /**
   * Both reports can take longer than an API call; a payout batch is recorded even if the client
   * gave up.
   */
  static final Duration REPORT_TIMEOUT = Duration.ofMinutes(2);

  private final Payouts payouts;
  private final Reconciliation reconciliation;
  private final Executor jdbc;
  private final Clock clock;

  public AdminRoutes(Payouts payouts, Reconciliation reconciliation, Executor jdbc, Clock clock) {
    this.payouts = payouts;
    this.reconciliation = reconciliation;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * {@code payouts} and {@code reconciliation}, under the {@code /v1/admin} prefix that the caller
   * matched.
   */
  public Route routes(Actor actor) {
    return concat(
        path(
            "payouts",
            () ->
                get(
                    () ->
                        requireRole(
                            actor,
                            EnumSet.of(Role.ADMIN),
                            () ->
                                parameterOptional(
                                    "week",
                                    week ->
                                        withRequestTimeout(
                                            REPORT_TIMEOUT,
                                            () -> payouts(actor, week.orElse(null))))))),
        path(
            "reconciliation",
            () ->
                get(
                    () ->
                        requireRole(
                            actor,
                            EnumSet.of(Role.ADMIN),
                            () ->
                                parameterOptional(
                                    "from",
                                    from ->
                                        parameterOptional(
                                            "to",
                                            to ->
                                                withRequestTimeout(
                                                    REPORT_TIMEOUT,
                                                    () ->
                                                        reconciliation(
                                                            from.orElse(null),
                                                            to.orElse(null)))))))));
  }

  /**
   * GET /v1/admin/payouts?week=2026-W48: the week's batch; {@code X-Payout-Batch-Created} says
   * whether this call made it.
   */
  private Route payouts(Actor actor, String week) {
    Instant now = clock.instant();
    return completeWithFuture(
        CompletableFuture.supplyAsync(() -> payouts.payoutFor(week, actor.id(), now), jdbc)
            .handle(
                (batch, failure) -> {
                  if (failure == null) return payoutCsv(batch);
                  Throwable cause = cause(failure);
                  if (cause instanceof BadWeek)
                    return problem(Problems.invalid("week", cause.getMessage()));
                  if (cause instanceof WeekNotOver)
                    return problem(Problems.Type.WEEK_NOT_OVER, cause.getMessage());
                  log.error("payouts of {} failed", week, cause);
                  return unavailable(
                      "the payouts cannot be made right now; retry shortly (a week's batch is made once)");
                }));
  }

  /** The weeks {@code GET /v1/hosts/me/payouts} covers when the caller names none. */
  static final int DEFAULT_HOST_WEEKS = 8;

  /**
   * GET /v1/hosts/me/payouts?from_week=2026-W40&to_week=2026-W48: the calling host's payout of each
   * week, from the payout batches' own code ({@link Payouts#hostWeeks}); by default the 8 weeks up
   * to the current one (UTC). The caller must be a host (the route checks).
   */
  Route hostPayouts(Actor actor) {
    return parameterOptional(
        "from_week",
        from ->
            parameterOptional(
                "to_week", to -> hostPayouts(actor, from.orElse(null), to.orElse(null))));
  }

  private Route hostPayouts(Actor actor, String fromText, String toText) {
    Instant now = clock.instant();
    IsoWeek current = IsoWeek.of(now.atZone(ZoneOffset.UTC).toLocalDate());
    IsoWeek from;
    IsoWeek to;
    try {
      to = toText == null ? current : week("to_week", toText);
      from =
          fromText == null
              ? IsoWeek.of(to.monday().minusWeeks(DEFAULT_HOST_WEEKS - 1))
              : week("from_week", fromText);
      if (to.monday().isAfter(current.monday()))
        throw new InvalidField(
            "to_week",
            "must not be after the current week, "
                + current.label()
                + " (UTC): later weeks have no payouts yet");
      if (to.monday().isBefore(from.monday()))
        throw new InvalidField("to_week", "must not be before from_week");
      long weeks = ChronoUnit.WEEKS.between(from.monday(), to.monday()) + 1;
      if (weeks > Payouts.MAX_HOST_WEEKS)
        throw new InvalidField(
            "to_week",
            "the range spans "
                + weeks
                + " weeks; at most "
                + Payouts.MAX_HOST_WEEKS
                + " can be asked for at a time");
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error)));
    }
    IsoWeek first = from;
    IsoWeek last = to;
    return completeWithFuture(
        CompletableFuture.supplyAsync(() -> payouts.hostWeeks(actor.id(), first, last, now), jdbc)
            .handle(
                (weeks, failure) -> {
                  if (failure == null)
                    return json(200, hostPayoutsBody(first, last, weeks))
                        .addHeader(CacheControl.create(CacheDirectives.NO_STORE));
                  log.error("payouts of host {} failed", actor.id(), cause(failure));
                  return unavailable("the payouts cannot be read right now; retry shortly");
                }));
  }

  private static IsoWeek week(String field, String text) throws InvalidField {
    try {
      return IsoWeek.parse(text);
    } catch (BadWeek e) {
      throw new InvalidField(field, e.getMessage());
    }
  }

  private static Map<String, Object> hostPayoutsBody(
      IsoWeek from, IsoWeek to, List<HostWeek> weeks) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (HostWeek w : weeks) {
      List<Map<String, Object>> lines = new ArrayList<>();
      for (PayoutLine l : w.lines()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("currency", l.currency());
        line.put("bookings", l.bookings());
        line.put("gross_cents", l.grossCents());
        line.put("fees_cents", l.feesCents());
        line.put("refunds_cents", l.refundsCents());
        line.put("payout_cents", l.payoutCents());
        lines.add(line);
      }
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("week", w.week());
      item.put("week_start", w.weekStart().toString());
      item.put("week_end", w.weekEnd().toString());
      item.put("status", w.closed() ? "final" : "provisional");
      if (w.batchCreatedAt() != null) item.put("batch_created_at", w.batchCreatedAt().toString());
      item.put("lines", lines);
      items.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from_week", from.label());
    body.put("to_week", to.label());
    body.put("items", items);
    return body;
  }

  private static HttpResponse payoutCsv(PayoutBatch batch) {
    return csv(batch.csv(), "payouts-" + batch.week() + ".csv")
        .addHeader(RawHeader.create("X-Payout-Batch-Created", String.valueOf(batch.created())));
  }

  /**
   * GET /v1/admin/reconciliation?from=..&to=..: the differences between the gateway and the read
   * tables over {@code [from, to)}, at most {@link #MAX_RECONCILIATION_PERIOD}; their count in
   * {@code X-Reconciliation-Mismatches}.
   */
  private Route reconciliation(String from, String to) {
    Instant start;
    Instant end;
    try {
      start = Dtos.instant(from, "from");
      end = Dtos.instant(to, "to");
      if (!start.isBefore(end)) throw new InvalidField("to", "must be after from");
      if (Duration.between(start, end).compareTo(MAX_RECONCILIATION_PERIOD) > 0)
        throw new InvalidField(
            "to", "must be at most " + MAX_RECONCILIATION_PERIOD.toDays() + " days after from");
    } catch (InvalidField e) {
      return complete(problem(Problems.invalid(e.error)));
    }
    CompletableFuture<List<Mismatch>> run;
    try {
      run = reconciliation.run(start, end, jdbc).toCompletableFuture();
    } catch (RuntimeException e) {
      run = CompletableFuture.failedFuture(e);
    }
    return completeWithFuture(
        run.handle(
            (mismatches, failure) -> {
              if (failure == null) return reconciliationCsv(mismatches);
              Throwable cause = cause(failure);
              if (cause instanceof GatewayUnavailable) {
                log.warn(
                    "reconciliation: the payment gateway did not answer: {}", cause.getMessage());
                return unavailable("the payment gateway did not answer; retry shortly");
              }
              if (cause instanceof GatewayRejected rejected) {
                log.error(
                    "reconciliation: the payment gateway refused to list ({} {})",
                    rejected.status(),
                    rejected.code(),
                    cause);
                return problem(
                    Problems.Type.GATEWAY_ERROR,
                    "the payment gateway refused to list its payments: " + rejected.getMessage());
              }
              log.error("reconciliation of {} to {} failed", start, end, cause);
              return unavailable("the read tables cannot be read right now; retry shortly");
            }));
  }

  private static HttpResponse reconciliationCsv(List<Mismatch> mismatches) {
    return csv(Reconciliation.csv(mismatches), "reconciliation.csv")
        .addHeader(
            RawHeader.create("X-Reconciliation-Mismatches", String.valueOf(mismatches.size())));
  }

  private static HttpResponse csv(String body, String filename) {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(CSV, body.getBytes(StandardCharsets.UTF_8))
        .addHeader(
            ContentDisposition.create(
                ContentDispositionTypes.ATTACHMENT, Map.of("filename", filename)))
        .addHeader(CacheControl.create(CacheDirectives.NO_STORE));
  }

  private static HttpResponse unavailable(String detail) {
    return problem(Problems.Type.UNAVAILABLE, detail);
  }
}
