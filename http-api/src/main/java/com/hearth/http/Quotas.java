package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.compliance.ComplianceEntity;
import com.hearth.engine.quota.HoldQuota;
import com.hearth.engine.quota.RenterHolds;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * Fair use (docs/security.md, "Limits"): write rates per principal and per client address, a
 * renter's open holds and held minutes (counted by the renter's {@link RenterHolds} entity, one per
 * renter in the cluster) and the kitchens a host may list (counted in the read tables). Beyond a
 * limit the answer is 429 with {@code Retry-After} and a problem document; nothing is applied.
 */
final class Quotas {

  /** The {@code hearth.limits} settings; a 0 turns a limit off. */
  record Settings(
      double writesPerSecondPerPrincipal,
      int writeBurstPerPrincipal,
      double writesPerSecondPerAddress,
      int writeBurstPerAddress,
      HoldQuota.Limits holds,
      long kitchensPerHost,
      int uploadsPerHostPerHour,
      int documentsPerKitchen) {

    static Settings from(Config config) {
      Config c = config.getConfig("hearth.limits");
      return new Settings(
          c.getDouble("writes-per-second-per-principal"),
          c.getInt("write-burst-per-principal"),
          c.getDouble("writes-per-second-per-address"),
          c.getInt("write-burst-per-address"),
          new HoldQuota.Limits(
              c.getInt("open-holds-per-renter"),
              c.getInt("open-holds-per-renter-per-kitchen"),
              c.getLong("held-minutes-per-renter-per-kitchen")),
          c.getLong("kitchens-per-host"),
          c.getInt("uploads-per-host-per-hour"),
          Math.min(c.getInt("documents-per-kitchen"), ComplianceEntity.MAX_LIVE_DOCUMENTS));
    }
  }

  private final Settings settings;
  private final RateLimiter principals;
  private final RateLimiter addresses;
  private final RateLimiter uploads;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Duration holdCountsFor;
  private final ToLongFunction<String> kitchensOfHost;
  private final Executor jdbc;
  private final Executor replies;
  private final Clock clock;

  /**
   * {@code holdCountsFor}: how long a reserved hold counts when nothing releases it (its hold time
   * and the ask timeout); {@code kitchensOfHost} counts a host's kitchens (blocking, run on {@code
   * jdbc}); {@code replies}: where asks' replies are handled ({@link AskReplies}).
   */
  Quotas(
      Settings settings,
      IntSupplier members,
      ClusterSharding sharding,
      Duration askTimeout,
      Duration holdCountsFor,
      ToLongFunction<String> kitchensOfHost,
      Executor jdbc,
      Executor replies,
      Clock clock) {
    this.settings = settings;
    this.principals =
        new RateLimiter(
            settings.writesPerSecondPerPrincipal(),
            settings.writeBurstPerPrincipal(),
            members,
            System::nanoTime);
    this.addresses =
        new RateLimiter(
            settings.writesPerSecondPerAddress(),
            settings.writeBurstPerAddress(),
            members,
            System::nanoTime);
    this.uploads =
        new RateLimiter(
            settings.uploadsPerHostPerHour() / 3600.0,
            settings.uploadsPerHostPerHour(),
            members,
            System::nanoTime);
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.holdCountsFor = holdCountsFor;
    this.kitchensOfHost = kitchensOfHost;
    this.jdbc = jdbc;
    this.replies = replies;
    this.clock = clock;
  }

  /** A write by {@code actor} from {@code address}: refused when either has used up its rate. */
  Optional<HttpResponse> write(Actor actor, Optional<String> address) {
    Optional<Duration> wait = principals.take(actor.id());
    if (wait.isEmpty() && address.isPresent()) wait = addresses.take(address.get());
    return wait.map(
        w ->
            tooMany(
                Problems.of(
                    Problems.Type.RATE_LIMITED,
                    "too many changes in a short time from this caller or address; slow down"),
                w));
  }

  /** A document upload by {@code host}: refused when the host has used up its uploads. */
  Optional<HttpResponse> upload(Actor host) {
    return uploads
        .take(host.id())
        .map(
            w ->
                tooMany(
                    Problems.of(
                        Problems.Type.QUOTA_EXCEEDED,
                        "a host may upload at most "
                            + settings.uploadsPerHostPerHour()
                            + " documents an hour"),
                    w));
  }

  /**
   * Whether a kitchen that keeps {@code documents} documents may take one more; the refusal as the
   * response to send.
   */
  Optional<HttpResponse> storeDocument(int documents) {
    int limit = settings.documentsPerKitchen();
    if (limit <= 0 || documents < limit) return Optional.empty();
    return Optional.of(
        tooMany(
            Problems.of(
                Problems.Type.QUOTA_EXCEEDED,
                "a kitchen keeps at most " + limit + " documents; withdraw old ones first"),
            Duration.ofHours(1)));
  }

  /**
   * Counts a hold about to be placed against its renter's caps; a refusal as the response to send.
   */
  CompletionStage<Optional<HttpResponse>> reserveHold(
      Actor renter, String kitchenId, String bookingId, long minutes) {
    if (settings.holds().equals(HoldQuota.Limits.NONE))
      return CompletableFuture.completedFuture(Optional.empty());
    HoldQuota.OpenHold hold =
        new HoldQuota.OpenHold(bookingId, kitchenId, minutes, clock.instant().plus(holdCountsFor));
    return AskReplies.on(
            replies,
            sharding
                .entityRefFor(RenterHolds.ENTITY_KEY, renter.id())
                .<RenterHolds.Reply>ask(r -> new RenterHolds.Reserve(hold, r), askTimeout))
        .thenApply(
            reply ->
                reply instanceof RenterHolds.Refused refused
                    ? Optional.of(
                        tooMany(
                            Problems.of(
                                Problems.Type.QUOTA_EXCEEDED,
                                "this renter may hold no more now: " + refused.refusal().detail()),
                            refused.refusal().retryAfter()))
                    : Optional.<HttpResponse>empty());
  }

  /** The hold no longer counts: it was refused, replayed, cancelled or timed out unapplied. */
  void releaseHold(String renterId, String bookingId) {
    if (settings.holds().equals(HoldQuota.Limits.NONE)) return;
    sharding
        .entityRefFor(RenterHolds.ENTITY_KEY, renterId)
        .tell(new RenterHolds.Release(bookingId));
  }

  /**
   * Whether {@code host} may list one more kitchen. Counted in the read tables, so kitchens created
   * in the last moments (the projections' lag, well under a second) may not be counted yet; the
   * write rate bounds how many that can be.
   */
  CompletionStage<Optional<HttpResponse>> createKitchen(Actor host) {
    if (settings.kitchensPerHost() <= 0) return CompletableFuture.completedFuture(Optional.empty());
    return CompletableFuture.supplyAsync(() -> kitchensOfHost.applyAsLong(host.id()), jdbc)
        .thenApply(
            count ->
                count >= settings.kitchensPerHost()
                    ? Optional.of(
                        tooMany(
                            Problems.of(
                                Problems.Type.QUOTA_EXCEEDED,
                                "a host may list at most "
                                    + settings.kitchensPerHost()
                                    + " kitchens"),
                            Duration.ofHours(1)))
                    : Optional.<HttpResponse>empty());
  }

  static HttpResponse tooMany(Problem problem, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return HearthDirectives.problem(problem).addHeader(RetryAfter.create(seconds));
  }

  /** When a hold reserved now stops counting by itself. */
  static Duration holdCountsFor(Duration holdTtl, Duration askTimeout) {
    return holdTtl.plus(askTimeout);
  }
}
