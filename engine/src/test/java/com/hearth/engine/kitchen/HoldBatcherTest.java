package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.HoldAnswer;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator.ShardAllocationStrategy;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hold batcher against kitchens that are test probes: what it sends to each kitchen, when, and
 * what it answers itself. A kitchen "finishes" a group when the test answers its {@link
 * HoldBatchDone}.
 *
 * <p>Ordering makes the "nothing sent yet" checks exact: the batcher handles its messages one at a
 * time, and sending to a probe enqueues at once, so once a later message's effect is seen, every
 * earlier message has been handled, and whatever it sent is already in the probes' queues.
 */
class HoldBatcherTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Interval SLOT =
      new Interval(Instant.parse("2026-06-03T14:00:00Z"), Instant.parse("2026-06-03T16:00:00Z"));
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static ActorTestKit testKit;

  private final Map<String, TestProbe<KitchenEntity.Command>> kitchens = new ConcurrentHashMap<>();
  private TestClock clock;
  private ActorRef<HoldBatcher.Command> batcher;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newBatcher() {
    clock = TestClock.stoppedAt(T0);
    batcher = testKit.spawn(HoldBatcher.create(new ProbeSharding(), WAIT, clock));
  }

  @Test
  void aHoldForAnIdleKitchenGoesOutAtOnceAlone() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    HoldSlot hold = hold(renter, null);

    batcher.tell(new HoldBatcher.Submit("k1", hold));

    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(hold);
  }

  @Test
  void holdsArrivingWhileAGroupIsInFlightWaitAndThenGoOutTogether() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    HoldSlot first = hold(renter, null);
    HoldSlot second = hold(renter, null);
    HoldSlot third = hold(renter, null);

    batcher.tell(new HoldBatcher.Submit("k1", first));
    HoldSlots inFlight = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    batcher.tell(new HoldBatcher.Submit("k1", second));
    batcher.tell(new HoldBatcher.Submit("k1", third));
    // Another kitchen is not held up by k1's group: its hold goes out at once.
    HoldSlot elsewhere = hold(renter, null);
    batcher.tell(new HoldBatcher.Submit("k2", elsewhere));
    assertThat(kitchen("k2").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(elsewhere);
    // By then second and third were handled: one group in flight per kitchen, so k1 has nothing
    // new.
    kitchen("k1").expectNoMessage(Duration.ZERO);
    renter.expectNoMessage(Duration.ZERO);

    inFlight.doneTo().tell(new HoldBatchDone(1, 0));

    HoldSlots next = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    assertThat(next.holds()).containsExactly(second, third);
    // And once that group is done with nothing waiting, the kitchen is idle: the next hold goes out
    // alone.
    next.doneTo().tell(new HoldBatchDone(2, 0));
    HoldSlot fourth = hold(renter, null);
    batcher.tell(new HoldBatcher.Submit("k1", fourth));
    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(fourth);
  }

  @Test
  void aGroupCarriesAtMostTwoHundredHoldsInArrivalOrder() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    HoldSlots inFlight = groupInFlight(renter);
    List<HoldSlot> waiting = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      HoldSlot h = hold(renter, null);
      waiting.add(h);
      batcher.tell(new HoldBatcher.Submit("k1", h));
    }

    // 450 waiting = 200 + 200 + 50, one group at a time.
    inFlight.doneTo().tell(new HoldBatchDone(1, 0));
    HoldSlots g1 = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    assertThat(g1.holds()).isEqualTo(waiting.subList(0, 200));
    g1.doneTo().tell(new HoldBatchDone(200, 0));
    HoldSlots g2 = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    assertThat(g2.holds()).isEqualTo(waiting.subList(200, 400));
    g2.doneTo().tell(new HoldBatchDone(200, 0));
    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .isEqualTo(waiting.subList(400, 450));
  }

  @Test
  void beyondFiveThousandWaitingAHoldIsTurnedAwayAsBusy() {
    TestProbe<BookingReply> waitingRenters = testKit.createTestProbe();
    TestProbe<BookingReply> oneTooMany = testKit.createTestProbe();
    batcher.tell(new HoldBatcher.Submit("k1", hold(waitingRenters, null)));
    HoldSlots inFlight = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    for (int i = 0; i < 5_000; i++)
      batcher.tell(new HoldBatcher.Submit("k1", hold(waitingRenters, null)));

    batcher.tell(new HoldBatcher.Submit("k1", hold(oneTooMany, null)));

    BookingRejected busy = oneTooMany.expectMessageClass(BookingRejected.class, WAIT);
    assertThat(busy.rejection().code()).isEqualTo(Rejection.Code.KITCHEN_BUSY);
    // The 5,000 before it were all kept, unanswered; the busy one never reaches the kitchen.
    waitingRenters.expectNoMessage(Duration.ZERO);
    inFlight.doneTo().tell(new HoldBatchDone(1, 0));
    int sent = 0;
    while (sent < 5_000) {
      HoldSlots group = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
      assertThat(group.holds()).noneMatch(h -> h.replyTo().equals(oneTooMany.ref()));
      sent += group.holds().size();
      group.doneTo().tell(new HoldBatchDone(group.holds().size(), 0));
    }
    assertThat(sent).isEqualTo(5_000);
  }

  @Test
  void theWaitingLimitIsASetting() {
    // hearth.kitchen.max-waiting-holds = 1: one hold in flight, one waiting, the third is busy.
    ActorRef<HoldBatcher.Command> small =
        testKit.spawn(HoldBatcher.create(new ProbeSharding(), WAIT, clock, 1));
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    TestProbe<BookingReply> third = testKit.createTestProbe();
    small.tell(new HoldBatcher.Submit("k1", hold(renter, null)));
    HoldSlots inFlight = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    HoldSlot waiting = hold(renter, null);
    small.tell(new HoldBatcher.Submit("k1", waiting));
    small.tell(new HoldBatcher.Submit("k1", hold(third, null)));

    assertThat(third.expectMessageClass(BookingRejected.class, WAIT).rejection().code())
        .isEqualTo(Rejection.Code.KITCHEN_BUSY);
    renter.expectNoMessage(Duration.ZERO);
    inFlight.doneTo().tell(new HoldBatchDone(1, 0));
    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(waiting);
    assertThatThrownBy(() -> HoldBatcher.create(new ProbeSharding(), WAIT, clock, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-waiting-holds");
  }

  @Test
  void aWaitingHoldPastItsDeadlineIsDroppedUnsentAndUnanswered() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    TestProbe<BookingReply> lateRenter = testKit.createTestProbe();
    HoldSlots inFlight = groupInFlight(renter);
    HoldSlot late = hold(lateRenter, T0.plusSeconds(2));
    HoldSlot inTime = hold(renter, T0.plusSeconds(10));
    batcher.tell(new HoldBatcher.Submit("k1", late));
    batcher.tell(new HoldBatcher.Submit("k1", inTime));
    clock.advance(Duration.ofSeconds(2)); // exactly late's deadline: expired

    inFlight.doneTo().tell(new HoldBatchDone(1, 0));

    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(inTime);
    lateRenter.expectNoMessage(Duration.ZERO);
  }

  @Test
  void whenEveryWaitingHoldIsLateTheKitchenIsFreedForTheNext() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    HoldSlots inFlight = groupInFlight(renter);
    batcher.tell(new HoldBatcher.Submit("k1", hold(renter, T0.plusSeconds(1))));
    clock.advance(Duration.ofSeconds(5));

    inFlight.doneTo().tell(new HoldBatchDone(1, 0));
    HoldSlot next = hold(renter, null);
    batcher.tell(new HoldBatcher.Submit("k1", next));

    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(next);
  }

  @Test
  void aGroupThatIsNeverAnsweredFreesTheKitchenWhenItsAskTimesOut() {
    ActorRef<HoldBatcher.Command> impatient =
        testKit.spawn(HoldBatcher.create(new ProbeSharding(), Duration.ofMillis(200), clock));
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    impatient.tell(new HoldBatcher.Submit("k1", hold(renter, null)));
    kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    HoldSlot waiting = hold(renter, null);
    impatient.tell(new HoldBatcher.Submit("k1", waiting));

    // The first group is never answered; once its ask times out the waiting hold goes out.
    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(waiting);
  }

  @Test
  void eachHoldGetsItsAnswerFromTheGroupsDoneMessage() {
    TestProbe<BookingReply> first = testKit.createTestProbe();
    TestProbe<BookingReply> second = testKit.createTestProbe();
    TestProbe<BookingReply> third = testKit.createTestProbe();
    batcher.tell(new HoldBatcher.Submit("k1", hold(first, null)));
    HoldSlots alone = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    assertThat(alone.answersToDone()).isTrue();
    batcher.tell(new HoldBatcher.Submit("k1", hold(second, null)));
    batcher.tell(new HoldBatcher.Submit("k1", hold(third, null)));
    BookingRejected taken =
        new BookingRejected(Rejection.of(Rejection.Code.SLOT_UNAVAILABLE, "taken"));
    BookingRejected busy = new BookingRejected(Rejection.of(Rejection.Code.KITCHEN_BUSY, "busy"));

    alone.doneTo().tell(new HoldBatchDone(0, 1, List.of(HoldAnswer.of(taken))));
    assertThat(first.expectMessageClass(BookingRejected.class, WAIT)).isEqualTo(taken);
    HoldSlots pair = kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
    pair.doneTo().tell(new HoldBatchDone(0, 2, List.of(HoldAnswer.NONE, HoldAnswer.of(busy))));

    // The answers go to the holds in the group's order; a hold with none gets nothing.
    assertThat(third.expectMessageClass(BookingRejected.class, WAIT)).isEqualTo(busy);
    second.expectNoMessage(Duration.ofMillis(100));
    first.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aDoneMessageWithoutAnswersFromAnOlderNodeStillFreesTheKitchen() {
    TestProbe<BookingReply> renter = testKit.createTestProbe();
    HoldSlots inFlight = groupInFlight(renter);
    HoldSlot waiting = hold(renter, null);
    batcher.tell(new HoldBatcher.Submit("k1", waiting));

    inFlight.doneTo().tell(new HoldBatchDone(1, 0, null));

    assertThat(kitchen("k1").expectMessageClass(HoldSlots.class, WAIT).holds())
        .containsExactly(waiting);
    renter.expectNoMessage(Duration.ofMillis(100));
  }

  /** Submits a first hold to k1 and returns its group, now in flight to the kitchen. */
  private HoldSlots groupInFlight(TestProbe<BookingReply> renter) {
    batcher.tell(new HoldBatcher.Submit("k1", hold(renter, null)));
    return kitchen("k1").expectMessageClass(HoldSlots.class, WAIT);
  }

  private static HoldSlot hold(TestProbe<BookingReply> renter, Instant deadline) {
    return new HoldSlot(
        RENTER,
        KitchenIds.newBookingId(KitchenIds.newKitchenId()),
        SLOT,
        null,
        renter.ref(),
        deadline);
  }

  private TestProbe<KitchenEntity.Command> kitchen(String kitchenId) {
    return kitchens.computeIfAbsent(kitchenId, id -> testKit.createTestProbe());
  }

  /** Sharding that routes each kitchen to its probe; the batcher uses nothing else of it. */
  private final class ProbeSharding extends ClusterSharding {
    @Override
    @SuppressWarnings("unchecked")
    public <M> EntityRef<M> entityRefFor(EntityTypeKey<M> typeKey, String entityId) {
      assertThat(typeKey).isEqualTo(KitchenEntity.ENTITY_KEY);
      return (EntityRef<M>)
          TestEntityRef.of(KitchenEntity.ENTITY_KEY, entityId, kitchen(entityId).ref());
    }

    @Override
    public <M> EntityRef<M> entityRefFor(
        EntityTypeKey<M> typeKey, String entityId, String dataCenter) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <M, E> ActorRef<E> init(Entity<M, E> entity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ActorRef<ClusterShardingQuery> shardState() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ShardAllocationStrategy defaultShardAllocationStrategy(
        ClusterShardingSettings settings) {
      throw new UnsupportedOperationException();
    }
  }
}
