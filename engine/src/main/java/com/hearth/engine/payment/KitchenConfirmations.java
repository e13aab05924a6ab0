package com.hearth.engine.payment;

import com.hearth.engine.Actor;
import com.hearth.engine.RequestIds;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The payments' {@link PaymentEntity.Kitchens} over cluster sharding: confirms through the kitchen
 * as the platform. A kitchen that refuses is asked for the booking, and one that {@linkplain
 * com.hearth.engine.kitchen.BookingStatus#countsAsConfirmed() counts as confirmed} (a confirmation
 * retried after the booking ended) is confirmed, so that a paid booking is never refunded for
 * having been used.
 */
public final class KitchenConfirmations implements PaymentEntity.Kitchens {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public KitchenConfirmations(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Boolean> confirm(String kitchenId, String bookingId) {
    EntityRef<KitchenEntity.Command> kitchen =
        sharding.entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId);
    // The request that led to the confirmation (a webhook's), for the kitchen's logs.
    String requestId = RequestIds.current();
    CompletionStage<BookingReply> confirmed =
        kitchen.ask(
            r -> new KitchenEntity.ConfirmBooking(Actor.SYSTEM, bookingId, r, null, requestId),
            askTimeout);
    return confirmed.thenCompose(
        answer -> {
          if (confirmedBy(answer)) return CompletableFuture.completedFuture(true);
          return kitchen
              .<BookingReply>ask(
                  r -> new KitchenEntity.GetBooking(Actor.SYSTEM, bookingId, r), askTimeout)
              .thenApply(KitchenConfirmations::confirmedBy);
        });
  }

  /** Whether the kitchen's answer shows the booking confirmed (or completed after it). */
  static boolean confirmedBy(BookingReply answer) {
    return answer instanceof BookingAccepted a && a.booking().status().countsAsConfirmed();
  }
}
