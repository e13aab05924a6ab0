package com.hearth.engine.kitchen;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.hearth.engine.Actor;
import com.hearth.engine.CborSerializable;
import com.hearth.engine.Deadlines;
import com.hearth.engine.EventSourcing;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.RequestIds;
import com.hearth.engine.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One kitchen: its listing and every booking of it, as a sharded, event-sourced actor.
 *
 * <p>All commands for a kitchen pass through this single writer, so overlap checks, holds and
 * availability are answered from memory and the database only sees appends. Successes reply after
 * their events are persisted; rejections reply at once and persist nothing. Holds placed in one
 * {@link HoldSlots} batch are decided in order and written in a single journal round trip. What
 * each command decides, and how each event changes the state, is {@link KitchenDecisions}'; this
 * class reads the clock, persists, replies, and arms the timers.
 *
 * <p>One timer, armed for the earliest hold expiry or end of a confirmed booking, settles what is
 * due: it expires holds whose time has run out and completes confirmed bookings that have ended. A
 * kitchen with holds outstanding never passivates, and sharding remembers it, so after a restart it
 * is started again, recovers, and expires whatever fell due while it was down. Confirmed bookings
 * do not keep a kitchen awake: a sweeper outside the engine sends {@link SettleDue} to kitchens
 * whose confirmed bookings have ended, and the kitchen it wakes arms its timer on recovery and
 * completes them.
 */
public final class KitchenEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        KitchenEntity.Command, KitchenEntity.Event, KitchenEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Kitchen");

  // ---------------------------------------------------------------- protocol: commands

  public sealed interface Command extends CborSerializable {}

  // The commands a request sends carry its id (RequestIds; null: none), for the entity's logs only.
  // It is the last component, so a node of the version before it reads them (unknown properties
  // are ignored) and this one reads theirs (a missing one is null).

  /** Creates the listing; the host is the actor. The fingerprint identifies the request body. */
  public record CreateKitchen(
      Actor actor,
      KitchenSettings settings,
      String fingerprint,
      ActorRef<KitchenReply> replyTo,
      String requestId)
      implements Command, RequestIds.Traced {
    public CreateKitchen(
        Actor actor, KitchenSettings settings, String fingerprint, ActorRef<KitchenReply> replyTo) {
      this(actor, settings, fingerprint, replyTo, null);
    }
  }

  public record UpdateKitchen(
      Actor actor, KitchenPatch patch, ActorRef<KitchenReply> replyTo, String requestId)
      implements Command, RequestIds.Traced {
    public UpdateKitchen(Actor actor, KitchenPatch patch, ActorRef<KitchenReply> replyTo) {
      this(actor, patch, replyTo, null);
    }
  }

  /**
   * Publishes the listing, or lifts a compliance suspension. {@code compliance} is the kitchen's
   * standing as the compliance rules judge it now (asked by the caller); a kitchen that rules apply
   * to is published only while compliant, and suspends itself when the standing lapses.
   */
  public record PublishKitchen(
      Actor actor, ComplianceStanding compliance, ActorRef<KitchenReply> replyTo, String requestId)
      implements Command, RequestIds.Traced {
    public PublishKitchen(
        Actor actor, ComplianceStanding compliance, ActorRef<KitchenReply> replyTo) {
      this(actor, compliance, replyTo, null);
    }

    public PublishKitchen(Actor actor, ActorRef<KitchenReply> replyTo) {
      this(actor, ComplianceStanding.NOT_REQUIRED, replyTo);
    }
  }

  /**
   * The compliance rules judged the kitchen again (a document was read, reviewed or withdrawn, the
   * host's profile changed): a suspended kitchen that is compliant again is reinstated, and a new
   * validity re-arms the lapse. Sent by the platform or an admin.
   */
  public record UpdateCompliance(
      Actor actor, ComplianceStanding compliance, ActorRef<KitchenReply> replyTo)
      implements Command {}

  public record PauseKitchen(Actor actor, ActorRef<KitchenReply> replyTo, String requestId)
      implements Command, RequestIds.Traced {
    public PauseKitchen(Actor actor, ActorRef<KitchenReply> replyTo) {
      this(actor, replyTo, null);
    }
  }

  public record GetKitchen(Actor actor, ActorRef<KitchenReply> replyTo) implements Command {}

  public record GetAvailability(Actor actor, Interval range, ActorRef<AvailabilityReply> replyTo)
      implements Command {}

  /**
   * Holds a slot for the actor (the renter). An idempotency key makes retries return the first
   * hold. A hold that reaches the kitchen after its {@code deadline} (null: none) is dropped
   * unapplied and unanswered: its caller has been told the kitchen did not answer (see {@link
   * Deadlines}).
   */
  public record HoldSlot(
      Actor actor,
      String bookingId,
      Interval slot,
      String idempotencyKey,
      ActorRef<BookingReply> replyTo,
      Instant deadline,
      String requestId)
      implements Command, RequestIds.Traced {
    public HoldSlot(
        Actor actor,
        String bookingId,
        Interval slot,
        String idempotencyKey,
        ActorRef<BookingReply> replyTo,
        Instant deadline) {
      this(actor, bookingId, slot, idempotencyKey, replyTo, deadline, null);
    }

    public HoldSlot(
        Actor actor,
        String bookingId,
        Interval slot,
        String idempotencyKey,
        ActorRef<BookingReply> replyTo) {
      this(actor, bookingId, slot, idempotencyKey, replyTo, null);
    }
  }

  /**
   * Several holds decided in order and persisted together. {@code doneTo}, when set, hears once
   * every hold of the batch has been answered, so a sender can keep one batch in flight. With
   * {@code answersToDone} the holds' answers travel in that one message ({@link
   * HoldBatchDone#answers}), in the batch's order, and the sender passes them on; otherwise each
   * hold's answer goes to its own {@code replyTo}. When the kitchen lives on another node, that is
   * one network message back per batch instead of one per hold and one more for the batch.
   */
  public record HoldSlots(
      List<HoldSlot> holds, ActorRef<HoldBatchDone> doneTo, boolean answersToDone)
      implements Command, RequestIds.Traced {
    public HoldSlots {
      holds = List.copyOf(holds);
    }

    public HoldSlots(List<HoldSlot> holds, ActorRef<HoldBatchDone> doneTo) {
      this(holds, doneTo, false);
    }

    /** The batch's holds' request ids, comma-separated (an id never has a comma), or null. */
    @Override
    @JsonIgnore
    public String requestId() {
      String ids =
          holds.stream()
              .map(HoldSlot::requestId)
              .filter(Objects::nonNull)
              .distinct()
              .collect(Collectors.joining(","));
      return ids.isEmpty() ? null : ids;
    }
  }

  /**
   * A batch answered: how many of its holds were accepted (or replayed) and refused, and, when the
   * batch asked for them ({@link HoldSlots#answersToDone}), every hold's answer in the batch's
   * order. A node of an older version sends no answers (null here reads as none).
   */
  public record HoldBatchDone(int accepted, int rejected, List<HoldAnswer> answers)
      implements CborSerializable {
    public HoldBatchDone {
      answers = answers == null ? List.of() : List.copyOf(answers);
    }

    public HoldBatchDone(int accepted, int rejected) {
      this(accepted, rejected, List.of());
    }
  }

  /**
   * One hold's answer inside a {@link HoldBatchDone}: accepted, refused, or neither, for a hold
   * that arrived past its deadline and is never answered.
   */
  public record HoldAnswer(BookingAccepted accepted, BookingRejected rejected)
      implements CborSerializable {
    public static final HoldAnswer NONE = new HoldAnswer(null, null);

    static HoldAnswer of(BookingReply reply) {
      return reply instanceof BookingAccepted a
          ? new HoldAnswer(a, null)
          : new HoldAnswer(null, (BookingRejected) reply);
    }

    /** The reply to pass on to the hold's caller, or null when it gets none. */
    public BookingReply reply() {
      return accepted != null ? accepted : rejected;
    }
  }

  /** Dropped unapplied when it arrives after its {@code deadline} (null: none), like a hold. */
  public record ConfirmBooking(
      Actor actor,
      String bookingId,
      ActorRef<BookingReply> replyTo,
      Instant deadline,
      String requestId)
      implements Command, RequestIds.Traced {
    public ConfirmBooking(
        Actor actor, String bookingId, ActorRef<BookingReply> replyTo, Instant deadline) {
      this(actor, bookingId, replyTo, deadline, null);
    }

    public ConfirmBooking(Actor actor, String bookingId, ActorRef<BookingReply> replyTo) {
      this(actor, bookingId, replyTo, null);
    }
  }

  /** Dropped unapplied when it arrives after its {@code deadline} (null: none), like a hold. */
  public record CancelBooking(
      Actor actor,
      String bookingId,
      String reason,
      ActorRef<BookingReply> replyTo,
      Instant deadline,
      String requestId)
      implements Command, RequestIds.Traced {
    public CancelBooking(
        Actor actor,
        String bookingId,
        String reason,
        ActorRef<BookingReply> replyTo,
        Instant deadline) {
      this(actor, bookingId, reason, replyTo, deadline, null);
    }

    public CancelBooking(
        Actor actor, String bookingId, String reason, ActorRef<BookingReply> replyTo) {
      this(actor, bookingId, reason, replyTo, null);
    }
  }

  public record GetBooking(Actor actor, String bookingId, ActorRef<BookingReply> replyTo)
      implements Command {}

  /**
   * Timer tick, also sent from outside to wake a passivated kitchen: expire every hold whose time
   * has run out and complete every confirmed booking that has ended.
   */
  public record SettleDue() implements Command {}

  /** Timer tick: passivate when idle with no holds outstanding. */
  public record CheckIdle() implements Command {}

  // ---------------------------------------------------------------- protocol: replies

  public sealed interface KitchenReply extends CborSerializable {}

  public record KitchenAccepted(KitchenView kitchen, boolean replayed) implements KitchenReply {}

  public record KitchenRejected(Rejection rejection) implements KitchenReply {}

  public record KitchenView(
      String kitchenId,
      String hostId,
      KitchenStatus status,
      KitchenSettings settings,
      Instant createdAt,
      Instant updatedAt)
      implements CborSerializable {

    /** Whether the actor may change this kitchen and see all its bookings: its host and admins. */
    public boolean canManage(Actor actor) {
      return KitchenEntity.canManage(hostId, actor);
    }
  }

  /** Who manages a kitchen: its host (with the host role) and admins. */
  static boolean canManage(String hostId, Actor actor) {
    return actor.isHostOf(hostId) || actor.isAdmin();
  }

  public sealed interface AvailabilityReply extends CborSerializable {}

  public record Availability(String kitchenId, Interval range, List<Interval> free)
      implements AvailabilityReply {}

  public record AvailabilityRejected(Rejection rejection) implements AvailabilityReply {}

  public sealed interface BookingReply extends CborSerializable {}

  public record BookingAccepted(Booking booking, boolean replayed) implements BookingReply {}

  public record BookingRejected(Rejection rejection) implements BookingReply {}

  // ---------------------------------------------------------------- protocol: events

  public sealed interface Event extends CborSerializable {
    String kitchenId();

    Instant at();
  }

  /**
   * {@code hostName} and {@code hostEmail}: the host's contact claims from its token, if it had
   * them (payouts use them).
   */
  public record KitchenCreated(
      String kitchenId,
      String hostId,
      KitchenSettings settings,
      String fingerprint,
      Instant at,
      String hostName,
      String hostEmail)
      implements Event {}

  public record KitchenUpdated(
      String kitchenId, String actorId, Role actorRole, KitchenSettings settings, Instant at)
      implements Event {}

  /**
   * {@code compliance}: the standing it was published with (null in events written before
   * compliance existed).
   */
  public record KitchenPublished(
      String kitchenId, String actorId, Role actorRole, Instant at, ComplianceStanding compliance)
      implements Event {
    public KitchenPublished(String kitchenId, String actorId, Role actorRole, Instant at) {
      this(kitchenId, actorId, actorRole, at, null);
    }
  }

  /** The compliance rules' judgement of the kitchen changed. */
  public record ComplianceUpdated(String kitchenId, ComplianceStanding compliance, Instant at)
      implements Event {}

  /**
   * The kitchen's compliance lapsed at {@code lapsedAt}: a required document expired (written by
   * the kitchen's own timer), or a new judgement no longer permits bookings (a required document
   * withdrawn, rejected or failing a check; written at once). The kitchen takes no new holds until
   * it is compliant again.
   */
  public record KitchenSuspended(String kitchenId, String reason, Instant lapsedAt, Instant at)
      implements Event {}

  /** Compliant again after a suspension: published as before. */
  public record KitchenReinstated(String kitchenId, ComplianceStanding compliance, Instant at)
      implements Event {}

  public record KitchenPaused(String kitchenId, String actorId, Role actorRole, Instant at)
      implements Event {}

  public record SlotHeld(
      String kitchenId,
      String bookingId,
      String hostId,
      String renterId,
      Interval slot,
      PriceBreakdown price,
      Instant holdExpiresAt,
      String idempotencyKey,
      String fingerprint,
      Instant at)
      implements Event {}

  public record BookingConfirmed(
      String kitchenId, String bookingId, String actorId, Role actorRole, Instant at)
      implements Event {}

  public record BookingCancelled(
      String kitchenId,
      String bookingId,
      String actorId,
      Role actorRole,
      String reason,
      long refundCents,
      Instant at)
      implements Event {}

  public record HoldExpired(String kitchenId, String bookingId, Instant at) implements Event {}

  public record BookingCompleted(String kitchenId, String bookingId, Instant at) implements Event {}

  // ---------------------------------------------------------------- state

  public sealed interface State extends CborSerializable {}

  /** No listing yet: only {@link CreateKitchen} means anything here. */
  public record Unlisted() implements State {}

  /**
   * A listing and the bookings it still remembers: every live one, and settled ones until the
   * retention window has passed. Idempotency keys of holds are kept for the idempotency window.
   */
  public record Listed(
      String kitchenId,
      String hostId,
      KitchenSettings settings,
      KitchenStatus status,
      String fingerprint,
      Instant createdAt,
      Instant updatedAt,
      Map<String, Booking> bookings,
      Map<String, HoldKey> holdKeys,
      ComplianceStanding compliance)
      implements State {

    public Listed {
      bookings = Bookings.of(bookings);
      holdKeys = HoldKeys.of(holdKeys);
      compliance = compliance == null ? ComplianceStanding.NOT_REQUIRED : compliance;
    }

    public Listed(
        String kitchenId,
        String hostId,
        KitchenSettings settings,
        KitchenStatus status,
        String fingerprint,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Booking> bookings,
        Map<String, HoldKey> holdKeys) {
      this(
          kitchenId,
          hostId,
          settings,
          status,
          fingerprint,
          createdAt,
          updatedAt,
          bookings,
          holdKeys,
          null);
    }

    /** Suspended because a required document lapsed (the only suspension there is so far). */
    boolean suspendedForCompliance() {
      return status == KitchenStatus.SUSPENDED && compliance.required();
    }

    /** When a published or paused kitchen's compliance lapses, if it will. */
    Optional<Instant> lapseDue() {
      if (status != KitchenStatus.PUBLISHED && status != KitchenStatus.PAUSED)
        return Optional.empty();
      return Optional.ofNullable(compliance.lapsesAt());
    }

    Listed withCompliance(ComplianceStanding standing, KitchenStatus newStatus, Instant at) {
      return new Listed(
          kitchenId,
          hostId,
          settings,
          newStatus,
          fingerprint,
          createdAt,
          at,
          bookings,
          holdKeys,
          standing);
    }

    KitchenView view() {
      return new KitchenView(kitchenId, hostId, status, settings, createdAt, updatedAt);
    }

    /** The kitchen's host acting as its host (the id and the host role). */
    boolean isOwner(Actor actor) {
      return actor.isHostOf(hostId);
    }

    boolean canManage(Actor actor) {
      return KitchenEntity.canManage(hostId, actor);
    }

    /** Drafts are their host's business; once published, a kitchen stays visible when paused. */
    boolean isVisibleTo(Actor actor) {
      return status != KitchenStatus.DRAFT || canManage(actor) || actor.has(Role.OPERATOR);
    }

    boolean canSee(Booking booking, Actor actor) {
      return booking.renterId().equals(actor.id())
          || isOwner(actor)
          || actor.isAdmin()
          || actor.has(Role.OPERATOR)
          || actor.has(Role.SYSTEM);
    }

    /** When something next falls due: the earliest hold expiry or end of a confirmed booking. */
    Optional<Instant> nextDue() {
      return indexed().nextDue();
    }

    boolean hasOutstandingHolds() {
      return indexed().hasHolds();
    }

    List<Booking> dueHolds(Instant now) {
      return indexed().holdsExpiredBy(now);
    }

    List<Booking> dueCompletions(Instant now) {
      return indexed().confirmedEndedBy(now);
    }

    /** How many bookings and keys a snapshot of this state writes. */
    int remembered() {
      return bookings.size() + holdKeys.size();
    }

    /**
     * The live bookings that keep slots in {@code range} from being held at {@code now}, widened by
     * the cleaning buffer, in start order: holds past their expiry no longer count.
     */
    Stream<Booking> occupying(Interval range, Instant now) {
      return indexed()
          .liveOverlapping(range, settings.rules().buffer())
          .filter(b -> !(b.status() == BookingStatus.HELD && !b.holdExpiresAt().isAfter(now)));
    }

    /** The live bookings that keep {@code slot} from being held, cleaning buffer included. */
    Optional<Booking> conflictWith(Interval slot, Instant now) {
      return occupying(slot, now).findFirst();
    }

    Listed with(KitchenSettings newSettings, KitchenStatus newStatus, Instant at) {
      return new Listed(
          kitchenId,
          hostId,
          newSettings,
          newStatus,
          fingerprint,
          createdAt,
          at,
          bookings,
          holdKeys,
          compliance);
    }

    Listed withBooking(Booking booking) {
      return new Listed(
          kitchenId,
          hostId,
          settings,
          status,
          fingerprint,
          createdAt,
          updatedAt,
          indexed().with(booking),
          holdKeys,
          compliance);
    }

    Listed withHoldKey(String scopedKey, HoldKey key) {
      return new Listed(
          kitchenId,
          hostId,
          settings,
          status,
          fingerprint,
          createdAt,
          updatedAt,
          bookings,
          ((HoldKeys) holdKeys).with(scopedKey, key),
          compliance);
    }

    /** Forgets settled bookings past retention and idempotency keys past their window. */
    Listed pruned(Instant now, Duration retention, Duration idempotencyWindow) {
      Bookings keptBookings = indexed().withoutSettledBefore(now.minus(retention), now);
      HoldKeys keptKeys = ((HoldKeys) holdKeys).withoutUsedBefore(now.minus(idempotencyWindow));
      if (keptBookings == bookings && keptKeys == holdKeys) return this;
      return new Listed(
          kitchenId,
          hostId,
          settings,
          status,
          fingerprint,
          createdAt,
          updatedAt,
          keptBookings,
          keptKeys,
          compliance);
    }

    /** The constructor made the bookings a {@link Bookings}; this is that view of them. */
    private Bookings indexed() {
      return (Bookings) bookings;
    }
  }

  /**
   * What a renter's idempotency key stood for: the booking it created and the body it came with.
   */
  public record HoldKey(String bookingId, String fingerprint, Instant at)
      implements CborSerializable {}

  // ---------------------------------------------------------------- construction

  public static void init(ActorSystem<?> system, KitchenConfig config, Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), config, clock)));
  }

  /**
   * The entity's behaviour. {@code shard} receives the passivation request when the kitchen goes
   * idle; it may be null outside sharding (tests), and then the kitchen never passivates.
   */
  public static Behavior<Command> create(
      String kitchenId,
      ActorRef<ClusterSharding.ShardCommand> shard,
      KitchenConfig config,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new KitchenEntity(kitchenId, ctx, timers, shard, config, clock)));
  }

  private static final String SETTLE_TIMER = "settle-due";

  /** The scheduler refuses delays beyond about 248 days; a tick that finds nothing due re-arms. */
  private static final Duration LONGEST_SETTLE_DELAY = Duration.ofDays(1);

  private static final String IDLE_TIMER = "idle-check";

  private final String kitchenId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final KitchenConfig config;
  private final Clock clock;
  private final KitchenDecisions decisions;
  private Instant lastActivity;

  /** The sequence number of the last snapshot this incarnation took, or the one it recovered to. */
  private long lastSnapshotSequenceNr;

  private KitchenEntity(
      String kitchenId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard,
      KitchenConfig config,
      Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), kitchenId), EventSourcing.ON_JOURNAL_FAILURE);
    this.kitchenId = kitchenId;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
    this.config = config;
    this.clock = clock;
    this.lastActivity = clock.instant();
    this.decisions = new KitchenDecisions(kitchenId, config);
  }

  @Override
  public State emptyState() {
    return new Unlisted();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(EventSourcing.KITCHEN_TAGS.of(kitchenId));
  }

  /**
   * Snapshots by count, every this many times {@code snapshot-every} events, only to delete old
   * ones: Pekko deletes snapshots on count-based snapshots alone, and keeps those of the last two
   * strides. The snapshots that keep recovery short are taken by {@link #shouldSnapshot}.
   */
  static final int SNAPSHOT_CLEANUP_STRIDE = 100;

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(config.snapshotEvery() * SNAPSHOT_CLEANUP_STRIDE, 2);
  }

  /**
   * A snapshot once the events since the last one reach half of what a snapshot writes (bookings
   * and keys remembered), and at least {@code snapshot-every}. A snapshot of r entries then follows
   * at least r/2 events, so snapshots cost at most two entries written per event however many
   * bookings a hot kitchen holds (half, not all: a kitchen whose every event adds a booking would
   * otherwise never catch up). Recovery loads one snapshot and replays at most that many events,
   * twice that right after a restart, which counts from the recovered sequence number.
   */
  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    int remembered = state instanceof Listed listed ? listed.remembered() : 0;
    if (sequenceNr - lastSnapshotSequenceNr < Math.max(config.snapshotEvery(), remembered / 2))
      return false;
    lastSnapshotSequenceNr = sequenceNr;
    return true;
  }

  /**
   * Listed kitchens are snapshotted in the compact form of {@link KitchenSnapshot}; older snapshots
   * still load.
   */
  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return KitchenSnapshot.ADAPTER;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              lastSnapshotSequenceNr = lastSequenceNumber(context);
              armSettleTimer(state);
              if (shard != null && !config.passivateIdleAfter().isZero())
                timers.startTimerWithFixedDelay(
                    IDLE_TIMER, new CheckIdle(), config.passivateIdleAfter().dividedBy(2));
            })
        .onSignal(
            SnapshotCompleted.class,
            (state, completed) ->
                lastSnapshotSequenceNr =
                    Math.max(lastSnapshotSequenceNr, completed.metadata().sequenceNr()))
        .build();
  }

  // ---------------------------------------------------------------- command handlers

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder =
        newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Unlisted.class)
        .onCommand(CreateKitchen.class, c -> carryOut(decisions.create(c, touch()), c.replyTo()))
        .onCommand(
            UpdateKitchen.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.kitchenNotFound()))
        .onCommand(
            PublishKitchen.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.kitchenNotFound()))
        .onCommand(
            UpdateCompliance.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.kitchenNotFound()))
        .onCommand(
            PauseKitchen.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.kitchenNotFound()))
        .onCommand(
            GetKitchen.class, c -> Effect().reply(c.replyTo(), KitchenDecisions.kitchenNotFound()))
        .onCommand(
            GetAvailability.class,
            c ->
                Effect()
                    .reply(
                        c.replyTo(),
                        new AvailabilityRejected(KitchenDecisions.notFound("kitchen"))))
        .onCommand(
            HoldSlot.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.bookingNotFound("kitchen")))
        .onCommand(HoldSlots.class, this::rejectBatchForMissingKitchen)
        .onCommand(
            ConfirmBooking.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.bookingNotFound("booking")))
        .onCommand(
            CancelBooking.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.bookingNotFound("booking")))
        .onCommand(
            GetBooking.class,
            c -> Effect().reply(c.replyTo(), KitchenDecisions.bookingNotFound("booking")))
        .onCommand(SettleDue.class, c -> Effect().noReply())
        .onCommand(CheckIdle.class, c -> passivateIfIdle(false));
    builder
        .forStateType(Listed.class)
        .onCommand(
            CreateKitchen.class,
            (state, c) -> carryOut(decisions.createAgain(state, c), c.replyTo()))
        .onCommand(
            UpdateKitchen.class,
            (state, c) -> carryOut(decisions.update(state, c, touch()), c.replyTo()))
        .onCommand(
            PublishKitchen.class,
            (state, c) -> carryOut(decisions.publish(state, c, touch()), c.replyTo()))
        .onCommand(
            UpdateCompliance.class,
            (state, c) ->
                carryOut(decisions.updateCompliance(state, c, clock.instant()), c.replyTo()))
        .onCommand(
            PauseKitchen.class,
            (state, c) -> carryOut(decisions.pause(state, c, touch()), c.replyTo()))
        .onCommand(
            GetKitchen.class,
            (state, c) -> {
              touch();
              return Effect().reply(c.replyTo(), decisions.getKitchen(state, c));
            })
        .onCommand(
            GetAvailability.class,
            (state, c) -> Effect().reply(c.replyTo(), decisions.availability(state, c, touch())))
        .onCommand(HoldSlot.class, (state, c) -> hold(state, new HoldSlots(List.of(c), null)))
        .onCommand(HoldSlots.class, this::hold)
        .onCommand(
            ConfirmBooking.class,
            (state, c) -> {
              Instant now = touch();
              if (Deadlines.expired(c.deadline(), now)) return dropLate("confirm", c.bookingId());
              return carryOut(decisions.confirm(state, c, now), c.replyTo());
            })
        .onCommand(
            CancelBooking.class,
            (state, c) -> {
              Instant now = touch();
              if (Deadlines.expired(c.deadline(), now)) return dropLate("cancel", c.bookingId());
              return carryOut(decisions.cancel(state, c, now), c.replyTo());
            })
        .onCommand(
            GetBooking.class,
            (state, c) -> {
              touch();
              return Effect().reply(c.replyTo(), decisions.getBooking(state, c));
            })
        .onCommand(SettleDue.class, this::settleDue)
        // A kitchen whose compliance lapses later stays awake, so that its own timer suspends it.
        .onCommand(
            CheckIdle.class,
            (state, c) ->
                passivateIfIdle(state.hasOutstandingHolds() || state.lapseDue().isPresent()));
    return RequestIds.inLogs(builder.build());
  }

  /**
   * Persists what was decided, if anything, and replies from the state it led to; after a write the
   * settle timer is armed for whatever now falls due first.
   */
  private <R> ReplyEffect<Event, State> carryOut(
      KitchenDecisions.Decision<R> decision, ActorRef<R> replyTo) {
    if (decision.events().isEmpty())
      return Effect().none().thenReply(replyTo, decision.reply()::apply);
    return Effect()
        .persist(decision.events())
        .thenRun(this::armSettleTimer)
        .thenReply(replyTo, decision.reply()::apply);
  }

  /**
   * Drops the holds past their deadline and has the rest decided in order against the state as the
   * earlier ones left it. Rejections are answered at once; accepted holds and replays are answered
   * after the single write of all the batch's events.
   */
  private ReplyEffect<Event, State> hold(Listed state, HoldSlots batch) {
    Instant now = touch();
    List<Integer> onTimeAt = new ArrayList<>();
    for (int i = 0; i < batch.holds().size(); i++)
      if (!Deadlines.expired(batch.holds().get(i).deadline(), now)) onTimeAt.add(i);
    List<HoldSlot> onTime = onTimeAt.stream().map(batch.holds()::get).toList();
    int late = batch.holds().size() - onTime.size();
    if (late > 0) {
      List<HoldSlot> dropped =
          batch.holds().stream().filter(h -> Deadlines.expired(h.deadline(), now)).toList();
      RequestIds.run(
          new HoldSlots(dropped, null).requestId(),
          () ->
              context
                  .getLog()
                  .info(
                      "kitchen {}: dropped {} hold(s) that arrived after their deadline",
                      kitchenId,
                      late));
    }
    KitchenDecisions.HoldBatch decided = decisions.holds(state, onTime, now);
    HoldAnswers answers = new HoldAnswers(batch);
    List<Consumer<Listed>> afterWrite = new ArrayList<>();
    int rejected = late;
    for (int i = 0; i < onTime.size(); i++) {
      HoldSlot hold = onTime.get(i);
      int at = onTimeAt.get(i);
      KitchenDecisions.HoldOutcome outcome = decided.outcomes().get(i);
      if (context.getLog().isDebugEnabled())
        RequestIds.run(
            hold.requestId(),
            () ->
                context
                    .getLog()
                    .debug(
                        "kitchen {}: hold {} {}", kitchenId, hold.bookingId(), describe(outcome)));
      if (outcome instanceof KitchenDecisions.HoldRefused r) {
        rejected++;
        answers.answer(at, new BookingRejected(r.rejection()));
      } else if (outcome instanceof KitchenDecisions.HoldReplayed r) {
        afterWrite.add(
            s -> answers.answer(at, new BookingAccepted(s.bookings().get(r.bookingId()), true)));
      } else if (outcome instanceof KitchenDecisions.HoldAccepted a) {
        afterWrite.add(
            s -> answers.answer(at, new BookingAccepted(s.bookings().get(a.bookingId()), false)));
      }
    }
    int accepted = afterWrite.size();
    int rejectedCount = rejected;
    Consumer<State> answer =
        s -> {
          afterWrite.forEach(reply -> reply.accept((Listed) s));
          answers.done(accepted, rejectedCount);
          armSettleTimer(s);
        };
    if (decided.events().isEmpty()) return Effect().none().thenRun(answer::accept).thenNoReply();
    return Effect().persist(decided.events()).thenRun(answer::accept).thenNoReply();
  }

  private static String describe(KitchenDecisions.HoldOutcome outcome) {
    if (outcome instanceof KitchenDecisions.HoldRefused r)
      return "refused (" + r.rejection().code() + ")";
    if (outcome instanceof KitchenDecisions.HoldReplayed) return "replayed";
    return "accepted";
  }

  /** A command past its deadline: not applied and not answered (its caller already had a 503). */
  private ReplyEffect<Event, State> dropLate(String what, String bookingId) {
    context
        .getLog()
        .info(
            "kitchen {}: dropped a {} of {} that arrived after its deadline",
            kitchenId,
            what,
            bookingId);
    return Effect().noReply();
  }

  /** Expires every due hold and completes every ended confirmed booking, in one write. */
  private ReplyEffect<Event, State> settleDue(Listed state, SettleDue c) {
    List<Event> due = decisions.settleDue(state, clock.instant());
    if (due.isEmpty()) {
      armSettleTimer(state);
      return Effect().noReply();
    }
    return Effect().persist(due).thenRun(this::armSettleTimer).thenNoReply();
  }

  private ReplyEffect<Event, State> passivateIfIdle(boolean holdsOutstanding) {
    boolean idle =
        Duration.between(lastActivity, clock.instant()).compareTo(config.passivateIdleAfter()) >= 0;
    if (shard != null && idle && !holdsOutstanding) {
      context.getLog().debug("kitchen {} idle with no holds outstanding; passivating", kitchenId);
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> rejectBatchForMissingKitchen(HoldSlots batch) {
    HoldAnswers answers = new HoldAnswers(batch);
    for (int i = 0; i < batch.holds().size(); i++)
      answers.answer(i, KitchenDecisions.bookingNotFound("kitchen"));
    answers.done(0, batch.holds().size());
    return Effect().noReply();
  }

  private void armSettleTimer(State state) {
    if (!(state instanceof Listed listed)) return;
    Optional<Instant> next =
        Stream.of(listed.nextDue(), listed.lapseDue())
            .flatMap(Optional::stream)
            .min(Instant::compareTo);
    if (next.isEmpty()) {
      timers.cancel(SETTLE_TIMER);
      return;
    }
    Duration delay = Duration.between(clock.instant(), next.get());
    if (delay.isNegative()) delay = Duration.ZERO;
    if (delay.compareTo(LONGEST_SETTLE_DELAY) > 0) delay = LONGEST_SETTLE_DELAY;
    timers.startSingleTimer(SETTLE_TIMER, new SettleDue(), delay);
  }

  /** Notes activity now, for passivation, and returns now. */
  private Instant touch() {
    lastActivity = clock.instant();
    return lastActivity;
  }

  // ---------------------------------------------------------------- event handlers

  @Override
  public EventHandler<State, Event> eventHandler() {
    return decisions::apply;
  }
}
