package com.hearth.http;

import com.hearth.billing.Payouts;
import com.hearth.billing.Payouts.BadWeek;
import com.hearth.billing.Payouts.PayoutBatch;
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
import java.util.EnumSet;
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
