package com.hearth.projections;

import com.hearth.engine.Actor;
import com.hearth.engine.EventSourcing;
import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.payment.PaymentEntity;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentRejected;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RequestRefund;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds what a cancellation's policy grants: every {@code BookingCancelled} with a refund is
 * turned into a refund request to the booking's payment, under a key fixed per booking, so that
 * seeing the event again (this projection is at-least-once) asks for the same refund, which the
 * payment answers without refunding twice. A booking nobody paid for (confirmed by an admin) needs
 * nothing. A payment that does not answer fails the envelope, which is retried.
 */
public final class CancellationRefunds extends Handler<EventEnvelope<KitchenEntity.Event>> {

  private static final Logger log = LoggerFactory.getLogger(CancellationRefunds.class);
  public static final String PROJECTION_NAME = "cancellation-refunds";

  /**
   * The offset is stored after this many envelopes or this long, whichever comes first, not after
   * every envelope: this projection reads every kitchen event to find the few cancellations with a
   * refund, and storing its offset per envelope cost a commit per hold (0.6 of the 0.8 commits per
   * accepted hold over 1,000 kitchens, docs/performance.md). After a crash the events since the
   * last stored offset are seen again, which asks for the same refunds under the same keys: the
   * payment refunds once.
   */
  static final int SAVE_OFFSET_AFTER_ENVELOPES = 200;

  static final Duration SAVE_OFFSET_AFTER = Duration.ofSeconds(1);

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  CancellationRefunds(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  public static void start(ActorSystem<?> system, DataSource dataSource, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            PROJECTION_NAME,
            EventSourcing.KITCHEN_TAGS.count(),
            i ->
                ProjectionBehavior.create(
                    JdbcProjection.atLeastOnceAsync(
                            ProjectionId.of(PROJECTION_NAME, EventSourcing.KITCHEN_TAGS.tag(i)),
                            EventSourcedProvider.<KitchenEntity.Event>eventsByTag(
                                system, "jdbc-read-journal", EventSourcing.KITCHEN_TAGS.tag(i)),
                            () -> new HikariJdbcSession(dataSource),
                            () -> new CancellationRefunds(sharding, askTimeout),
                            system)
                        .withSaveOffset(SAVE_OFFSET_AFTER_ENVELOPES, SAVE_OFFSET_AFTER)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<KitchenEntity.Event> envelope) {
    if (!(envelope.event() instanceof BookingCancelled cancelled) || cancelled.refundCents() == 0)
      return CompletableFuture.completedFuture(Done.getInstance());
    CompletionStage<PaymentReply> reply =
        sharding
            .entityRefFor(PaymentEntity.ENTITY_KEY, cancelled.bookingId())
            .ask(
                r ->
                    new RequestRefund(
                        Actor.SYSTEM,
                        "policy",
                        cancelled.refundCents(),
                        cancelled.reason() == null ? "cancelled" : cancelled.reason(),
                        RefundKind.CANCELLATION,
                        r),
                askTimeout);
    return reply.thenApply(
        answer -> {
          if (answer instanceof PaymentRejected r && r.code() != Rejection.Code.INVALID_STATE)
            throw new IllegalStateException(
                "refund for " + cancelled.bookingId() + " refused: " + r.detail());
          if (answer instanceof PaymentAccepted)
            log.info(
                "cancellation of {} refunds {} under the policy",
                cancelled.bookingId(),
                cancelled.refundCents());
          return Done.getInstance();
        });
  }
}
