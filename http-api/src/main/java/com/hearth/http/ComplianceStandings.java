package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.compliance.ComplianceEntity;
import com.hearth.engine.compliance.ComplianceEntity.Documents;
import com.hearth.engine.compliance.ComplianceEntity.DocumentsRejected;
import com.hearth.engine.compliance.ComplianceEntity.DocumentsReply;
import com.hearth.engine.compliance.ComplianceEvaluator;
import com.hearth.engine.compliance.ComplianceRuleBook;
import com.hearth.engine.compliance.ComplianceRules;
import com.hearth.engine.compliance.ComplianceSummary;
import com.hearth.engine.host.HostEntity;
import com.hearth.engine.host.HostEntity.ProfileAccepted;
import com.hearth.engine.host.HostEntity.ProfileRejected;
import com.hearth.engine.host.HostEntity.ProfileReply;
import com.hearth.engine.kitchen.ComplianceStanding;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kitchen's compliance, judged now: its host's profile and its documents asked of their entities,
 * the rules of the host's jurisdiction applied by {@link ComplianceEvaluator}. The summary answers
 * {@code GET /v1/kitchens/{id}/compliance}; the standing it implies goes to the kitchen when it is
 * published, and again whenever a document of it changes ({@link #refresh}).
 */
final class ComplianceStandings {

  private static final Logger log = LoggerFactory.getLogger(ComplianceStandings.class);

  /** A summary with what it was judged under. */
  record Judged(
      ComplianceSummary summary, ComplianceRules rules, Instant at, ComplianceStanding standing) {}

  /** Something the judgement needed answered with a rejection. */
  static final class NotJudged extends RuntimeException {
    final Rejection rejection;

    NotJudged(Rejection rejection) {
      super(rejection.detail(), null, false, false);
      this.rejection = rejection;
    }
  }

  private final ClusterSharding sharding;
  private final ComplianceRuleBook rules;
  private final Duration askTimeout;
  private final Clock clock;

  ComplianceStandings(
      ActorSystem<?> system, ComplianceRuleBook rules, Duration askTimeout, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.rules = rules;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  /**
   * Judges the kitchen of {@code view}; fails with {@link NotJudged} when an entity refused to
   * answer.
   */
  CompletionStage<Judged> judge(KitchenView view) {
    Actor platform = Actor.SYSTEM;
    CompletableFuture<ProfileReply> profile =
        sharding
            .entityRefFor(HostEntity.ENTITY_KEY, view.hostId())
            .<ProfileReply>ask(r -> new HostEntity.GetProfile(platform, r), askTimeout)
            .toCompletableFuture();
    CompletableFuture<DocumentsReply> documents =
        sharding
            .entityRefFor(ComplianceEntity.ENTITY_KEY, view.kitchenId())
            .<DocumentsReply>ask(r -> new ComplianceEntity.GetDocuments(platform, r), askTimeout)
            .toCompletableFuture();
    return profile.thenCombine(
        documents,
        (p, d) -> {
          if (p instanceof ProfileRejected pr) throw new NotJudged(pr.rejection());
          if (d instanceof DocumentsRejected dr) throw new NotJudged(dr.rejection());
          ProfileAccepted host = (ProfileAccepted) p;
          String jurisdiction = host.profile() == null ? null : host.profile().jurisdiction();
          ComplianceRules applicable = rules.forJurisdiction(jurisdiction);
          Instant now = clock.instant();
          LocalDate today = LocalDate.ofInstant(now, view.settings().zone());
          ComplianceSummary summary =
              ComplianceEvaluator.evaluate(
                  applicable,
                  host.profile(),
                  view.settings().address(),
                  ((Documents) d).documents(),
                  today);
          return new Judged(summary, applicable, now, standingOf(applicable, summary, view));
        });
  }

  /**
   * What the kitchen keeps of a judgement: compliant while nothing fails or waits, until the start
   * of the day after its first required document expires, in the kitchen's time zone.
   */
  static ComplianceStanding standingOf(
      ComplianceRules rules, ComplianceSummary s, KitchenView view) {
    if (!rules.hasRules()) return ComplianceStanding.NOT_REQUIRED;
    boolean compliant =
        s.status() == ComplianceSummary.Status.COMPLIANT
            || s.status() == ComplianceSummary.Status.EXPIRING_SOON;
    Instant until =
        s.nextExpiry() == null
            ? null
            : s.nextExpiry().plusDays(1).atStartOfDay(view.settings().zone()).toInstant();
    return new ComplianceStanding(true, compliant, until);
  }

  /**
   * Judges a listed kitchen again and tells it the result: a lapse re-armed, or a suspension
   * lifted. Drafts are skipped (the platform does not see them; publishing judges them). Best
   * effort: a failure is logged, and the next change or publish judges again.
   */
  void refresh(String kitchenId) {
    sharding
        .entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId)
        .<KitchenReply>ask(r -> new KitchenEntity.GetKitchen(Actor.SYSTEM, r), askTimeout)
        .thenCompose(
            reply ->
                reply instanceof KitchenAccepted a
                    ? judge(a.kitchen())
                        .thenCompose(
                            judged ->
                                sharding
                                    .entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId)
                                    .<KitchenReply>ask(
                                        r ->
                                            new KitchenEntity.UpdateCompliance(
                                                Actor.SYSTEM, judged.standing(), r),
                                        askTimeout))
                    : CompletableFuture.completedFuture(reply))
        .whenComplete(
            (done, failure) -> {
              if (failure != null)
                log.warn(
                    "kitchen {}: compliance not refreshed: {}",
                    kitchenId,
                    (failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure)
                        .getMessage());
            });
  }
}
