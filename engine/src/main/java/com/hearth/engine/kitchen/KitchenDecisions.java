package com.hearth.engine.kitchen;

import com.hearth.engine.Actor;
import com.hearth.engine.FieldError;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityRejected;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.ComplianceUpdated;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.GetKitchen;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.HoldKey;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPaused;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPublished;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReinstated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenSuspended;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import com.hearth.engine.kitchen.KitchenEntity.Unlisted;
import com.hearth.engine.kitchen.KitchenEntity.UpdateCompliance;
import com.hearth.engine.kitchen.KitchenEntity.UpdateKitchen;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The rules of one kitchen, with no actor system: given the state, a command and the time, what
 * happens (the events to persist and the reply); given the state and an event, the next state.
 * {@link KitchenEntity} is the shell around them: it reads the clock, drops commands past their
 * deadline, persists, replies, arms timers and passivates. The {@code replyTo} of a command is
 * never used here.
 */
public final class KitchenDecisions {

  /**
   * What a command decided: the events to persist, in order (none for a rejection or a repeat), and
   * the reply, made from the state those events lead to (the state as it was when there are none).
   */
  public record Decision<R>(List<Event> events, Function<State, R> reply) {
    public Decision {
      events = List.copyOf(events);
    }

    static <R> Decision<R> answer(R reply) {
      return new Decision<>(List.of(), s -> reply);
    }

    static <R> Decision<R> persist(Event event, Function<Listed, R> reply) {
      return new Decision<>(List.of(event), s -> reply.apply((Listed) s));
    }
  }

  /** How one hold of a batch was decided. */
  public sealed interface HoldOutcome {}

  /** Held by one of the batch's events; answered once they are written. */
  public record HoldAccepted(String bookingId) implements HoldOutcome {}

  /**
   * A retry of a hold already made under the same idempotency key; answered with it once the batch
   * is written.
   */
  public record HoldReplayed(String bookingId) implements HoldOutcome {}

  /** Refused; answered at once. */
  public record HoldRefused(Rejection rejection) implements HoldOutcome {}

  /**
   * A batch of holds decided in order, each against the state the earlier ones left: the events to
   * write together (expiries of holds found due first), one outcome per hold in the batch's order,
   * and the state after the events.
   */
  public record HoldBatch(List<Event> events, List<HoldOutcome> outcomes, Listed after) {}

  private final String kitchenId;
  private final KitchenConfig config;

  public KitchenDecisions(String kitchenId, KitchenConfig config) {
    this.kitchenId = kitchenId;
    this.config = config;
  }

  // ---------------------------------------------------------------- the listing

  public Decision<KitchenReply> create(CreateKitchen c, Instant now) {
    if (!c.actor().has(Role.HOST) && !c.actor().isAdmin())
      return Decision.answer(
          new KitchenRejected(
              Rejection.of(Rejection.Code.FORBIDDEN, "only hosts create kitchens")));
    List<FieldError> errors = c.settings().validate();
    if (!errors.isEmpty()) return Decision.answer(new KitchenRejected(Rejection.invalid(errors)));
    KitchenCreated created =
        new KitchenCreated(
            kitchenId,
            c.actor().id(),
            c.settings(),
            c.fingerprint(),
            now,
            c.actor().name(),
            c.actor().email());
    return Decision.persist(created, s -> new KitchenAccepted(s.view(), false));
  }

  /** A retried create (same host, same idempotency key) answers with the kitchen it made. */
  public Decision<KitchenReply> createAgain(Listed state, CreateKitchen c) {
    // The same principal that created it (a host, or an admin who created it), whatever its roles
    // now.
    if (!c.actor().id().equals(state.hostId()))
      return Decision.answer(
          new KitchenRejected(
              Rejection.of(
                  Rejection.Code.IDEMPOTENCY_KEY_REUSED, "this idempotency key was already used")));
    if (c.fingerprint() == null || !c.fingerprint().equals(state.fingerprint()))
      return Decision.answer(
          new KitchenRejected(
              Rejection.of(
                  Rejection.Code.IDEMPOTENCY_KEY_REUSED,
                  "this idempotency key was already used with a different request body")));
    return Decision.answer(new KitchenAccepted(state.view(), true));
  }

  public Decision<KitchenReply> update(Listed state, UpdateKitchen c, Instant now) {
    Optional<KitchenRejected> denied = denyManagement(state, c.actor());
    if (denied.isPresent()) return Decision.answer(denied.get());
    KitchenSettings next = c.patch().applyTo(state.settings());
    List<FieldError> errors = new ArrayList<>(next.validate());
    // Bookings, refunds and the read models' daily money are all in the kitchen's one currency.
    if (state.status() != KitchenStatus.DRAFT
        && !next.currency().equals(state.settings().currency()))
      errors.add(new FieldError("currency", "cannot change once the kitchen has been published"));
    if (!errors.isEmpty()) return Decision.answer(new KitchenRejected(Rejection.invalid(errors)));
    if (next.equals(state.settings()))
      return Decision.answer(new KitchenAccepted(state.view(), false));
    return listingChange(
        new KitchenUpdated(kitchenId, c.actor().id(), actingRole(state, c.actor()), next, now));
  }

  public Decision<KitchenReply> publish(Listed state, PublishKitchen c, Instant now) {
    Optional<KitchenRejected> denied = denyManagement(state, c.actor());
    if (denied.isPresent()) return Decision.answer(denied.get());
    ComplianceStanding standing =
        c.compliance() == null ? ComplianceStanding.NOT_REQUIRED : c.compliance();
    if (state.status() != KitchenStatus.PUBLISHED && !standing.permits(now))
      return Decision.answer(
          new KitchenRejected(
              Rejection.of(
                  Rejection.Code.KITCHEN_NOT_COMPLIANT,
                  "the kitchen does not meet its jurisdiction's compliance rules; GET /v1/kitchens/"
                      + kitchenId
                      + "/compliance says what is missing")));
    return switch (state.status()) {
      case PUBLISHED -> Decision.answer(new KitchenAccepted(state.view(), false));
      case SUSPENDED ->
          state.suspendedForCompliance()
              ? listingChange(new KitchenReinstated(kitchenId, standing, now))
              : Decision.answer(invalidKitchenState("a suspended kitchen cannot be published"));
      case DRAFT, PAUSED ->
          listingChange(
              new KitchenPublished(
                  kitchenId,
                  c.actor().id(),
                  actingRole(state, c.actor()),
                  now,
                  standing.required() ? standing : null));
    };
  }

  /**
   * A new judgement of the kitchen's compliance: recorded when it differs; a kitchen suspended for
   * a lapse that is compliant again is reinstated in the same write; a published or paused kitchen
   * whose new standing does not permit bookings (a required document withdrawn or rejected, even
   * one without an expiry) is suspended at once, in the same write as the standing.
   */
  public Decision<KitchenReply> updateCompliance(Listed state, UpdateCompliance c, Instant now) {
    if (!c.actor().has(Role.SYSTEM) && !c.actor().isAdmin())
      return Decision.answer(
          new KitchenRejected(
              Rejection.of(
                  Rejection.Code.FORBIDDEN, "only the platform updates a kitchen's compliance")));
    ComplianceStanding standing = c.compliance();
    if (state.status() == KitchenStatus.SUSPENDED
        && state.suspendedForCompliance()
        && standing.permits(now))
      return listingChange(new KitchenReinstated(kitchenId, standing, now));
    if ((state.status() == KitchenStatus.PUBLISHED || state.status() == KitchenStatus.PAUSED)
        && !standing.permits(now))
      return new Decision<>(
          List.of(
              new ComplianceUpdated(kitchenId, standing, now),
              new KitchenSuspended(kitchenId, lostStandingReason(standing), now, now)),
          s -> new KitchenAccepted(((Listed) s).view(), false));
    if (standing.equals(state.compliance()))
      return Decision.answer(new KitchenAccepted(state.view(), false));
    return listingChange(new ComplianceUpdated(kitchenId, standing, now));
  }

  /**
   * Why a listed kitchen told a standing that no longer permits bookings is suspended at once: a
   * required document withdrawn, rejected, failing a check or waiting to be read (not compliant),
   * or one that has already expired.
   */
  static String lostStandingReason(ComplianceStanding standing) {
    return standing.compliant()
        ? "a required compliance document expired"
        : "the kitchen no longer meets its compliance rules: a required document is missing,"
            + " rejected, failing a check or waiting to be read or reviewed";
  }

  public Decision<KitchenReply> pause(Listed state, PauseKitchen c, Instant now) {
    Optional<KitchenRejected> denied = denyManagement(state, c.actor());
    if (denied.isPresent()) return Decision.answer(denied.get());
    return switch (state.status()) {
      case PAUSED -> Decision.answer(new KitchenAccepted(state.view(), false));
      case DRAFT, SUSPENDED ->
          Decision.answer(
              invalidKitchenState(
                  "only a published kitchen can be paused; it is " + state.status()));
      case PUBLISHED ->
          listingChange(
              new KitchenPaused(kitchenId, c.actor().id(), actingRole(state, c.actor()), now));
    };
  }

  private static Decision<KitchenReply> listingChange(Event event) {
    return Decision.persist(event, s -> new KitchenAccepted(s.view(), false));
  }

  public KitchenReply getKitchen(Listed state, GetKitchen c) {
    if (!state.isVisibleTo(c.actor())) return kitchenNotFound();
    return new KitchenAccepted(state.view(), false);
  }

  public AvailabilityReply availability(Listed state, GetAvailability c, Instant now) {
    if (!state.isVisibleTo(c.actor())) return new AvailabilityRejected(notFound("kitchen"));
    return new Availability(kitchenId, c.range(), freeIntervals(state, c.range(), now));
  }

  /**
   * What could be held in {@code range} at {@code now}: open hours, minus blackouts, minus live
   * bookings widened by the cleaning buffer, from the earliest allowed start to the horizon.
   */
  private static List<Interval> freeIntervals(Listed state, Interval range, Instant now) {
    BookingRules rules = state.settings().rules();
    Instant earliest =
        Schedule.nextAligned(
            now.plus(Duration.ofMinutes(rules.minNoticeMinutes())),
            state.settings().zone(),
            rules.slotMinutes());
    Instant latest =
        now.plus(Duration.ofDays(rules.horizonDays()))
            .plus(Duration.ofMinutes(rules.maxDurationMinutes()));
    if (!earliest.isBefore(latest)) return List.of();
    Interval window = range.clip(new Interval(earliest, latest));
    if (window == null) return List.of();
    List<Interval> open =
        Schedule.openIntervals(state.settings().openingHours(), state.settings().zone(), window);
    List<Interval> taken = new ArrayList<>(state.settings().blackouts());
    Duration buffer = rules.buffer();
    state.occupying(window, now).forEach(b -> taken.add(b.slot().widen(buffer)));
    return Interval.subtract(open, taken);
  }

  // ---------------------------------------------------------------- bookings

  /**
   * Decides every hold in order against the state as the earlier ones left it, after expiring the
   * holds whose time has run out (so their slots are free again and the expiries are recorded).
   */
  public HoldBatch holds(Listed state, List<HoldSlot> holds, Instant now) {
    Listed running = state;
    List<Event> events = new ArrayList<>();
    List<HoldOutcome> outcomes = new ArrayList<>();
    for (Booking due : state.dueHolds(now)) {
      HoldExpired expired = new HoldExpired(kitchenId, due.bookingId(), now);
      events.add(expired);
      running = (Listed) apply(running, expired);
    }
    for (HoldSlot h : holds) {
      HoldOutcome outcome = hold(running, h, now);
      if (outcome instanceof HoldAccepted) {
        SlotHeld held = slotHeld(running, h, now);
        events.add(held);
        running = (Listed) apply(running, held);
      }
      outcomes.add(outcome);
    }
    return new HoldBatch(events, outcomes, running);
  }

  private HoldOutcome hold(Listed state, HoldSlot h, Instant now) {
    String renterId = h.actor().id();
    HoldKey previous =
        h.idempotencyKey() == null
            ? null
            : state.holdKeys().get(scopedKey(renterId, h.idempotencyKey()));
    if (previous != null && previous.at().isAfter(now.minus(config.idempotencyWindow()))) {
      if (!previous.fingerprint().equals(fingerprint(h.slot())))
        return new HoldRefused(
            Rejection.of(
                Rejection.Code.IDEMPOTENCY_KEY_REUSED,
                "this idempotency key was already used with a different request body"));
      if (state.bookings().containsKey(previous.bookingId()))
        return new HoldReplayed(previous.bookingId());
    }
    if (!KitchenIds.kitchenOf(h.bookingId()).map(kitchenId::equals).orElse(false)
        || state.bookings().containsKey(h.bookingId()))
      return new HoldRefused(
          Rejection.of(Rejection.Code.INVALID_STATE, "booking id does not belong to this kitchen"));
    if (!h.actor().has(Role.RENTER))
      return new HoldRefused(Rejection.of(Rejection.Code.FORBIDDEN, "only renters place holds"));
    if (!state.isVisibleTo(h.actor())) return new HoldRefused(notFound("kitchen"));
    if (state.status() != KitchenStatus.PUBLISHED)
      return new HoldRefused(
          Rejection.of(
              Rejection.Code.KITCHEN_NOT_BOOKABLE,
              "the kitchen is " + state.status() + " and takes no bookings"));
    Optional<Rejection> broken = BookingPolicy.check(state.settings(), h.slot(), now);
    if (broken.isPresent()) return new HoldRefused(broken.get());
    if (state.conflictWith(h.slot(), now).isPresent())
      return new HoldRefused(
          Rejection.of(
              Rejection.Code.SLOT_UNAVAILABLE,
              "the slot overlaps another booking"
                  + (state.settings().rules().bufferMinutes() > 0
                      ? " or its cleaning buffer"
                      : "")));
    return new HoldAccepted(h.bookingId());
  }

  /** The fact of an accepted hold, priced by the server now and stored on the booking. */
  private SlotHeld slotHeld(Listed state, HoldSlot h, Instant now) {
    KitchenSettings s = state.settings();
    PriceBreakdown price =
        Pricing.quote(
            s.hourlyRateCents(),
            h.slot().minutes(),
            config.platformFeeBps(),
            s.taxBps(),
            s.currency());
    return new SlotHeld(
        kitchenId,
        h.bookingId(),
        state.hostId(),
        h.actor().id(),
        h.slot(),
        price,
        now.plus(config.holdTtl()),
        h.idempotencyKey(),
        fingerprint(h.slot()),
        now);
  }

  /** What identifies a hold's request body, for its idempotency key: the slot. */
  private static String fingerprint(Interval slot) {
    return slot.start() + "/" + slot.end();
  }

  /** A renter's idempotency keys are their own: another renter's same key is another request. */
  private static String scopedKey(String renterId, String idempotencyKey) {
    return renterId + "\n" + idempotencyKey;
  }

  public Decision<BookingReply> confirm(Listed state, ConfirmBooking c, Instant now) {
    Booking booking = state.bookings().get(c.bookingId());
    if (booking == null || !state.canSee(booking, c.actor()))
      return Decision.answer(bookingNotFound("booking"));
    if (!c.actor().isAdmin() && !c.actor().has(Role.OPERATOR) && !c.actor().has(Role.SYSTEM))
      return Decision.answer(
          new BookingRejected(
              Rejection.of(
                  Rejection.Code.FORBIDDEN, "only admins and operators confirm bookings")));
    return switch (booking.status()) {
      case CONFIRMED -> Decision.answer(new BookingAccepted(booking, false));
      case HELD ->
          booking.holdExpiresAt().isAfter(now)
              ? bookingChange(
                  new BookingConfirmed(
                      kitchenId,
                      booking.bookingId(),
                      c.actor().id(),
                      actingRole(state, c.actor()),
                      now))
              : expireAndRefuse(booking, now);
      default ->
          Decision.answer(
              invalidBookingState(withArticle(booking.status()) + " booking cannot be confirmed"));
    };
  }

  public Decision<BookingReply> cancel(Listed state, CancelBooking c, Instant now) {
    Booking booking = state.bookings().get(c.bookingId());
    if (booking == null || !state.canSee(booking, c.actor()))
      return Decision.answer(bookingNotFound("booking"));
    Role role = actingRole(state, c.actor());
    if (role == Role.OPERATOR)
      return Decision.answer(
          new BookingRejected(
              Rejection.of(Rejection.Code.FORBIDDEN, "operators cannot cancel bookings")));
    return switch (booking.status()) {
      case CANCELLED -> Decision.answer(new BookingAccepted(booking, false));
      case HELD ->
          booking.holdExpiresAt().isAfter(now)
              ? bookingChange(
                  new BookingCancelled(
                      kitchenId, booking.bookingId(), c.actor().id(), role, c.reason(), 0, now))
              : expireAndRefuse(booking, now);
      case CONFIRMED ->
          booking.slot().end().isAfter(now)
              ? bookingChange(
                  new BookingCancelled(
                      kitchenId,
                      booking.bookingId(),
                      c.actor().id(),
                      role,
                      c.reason(),
                      CancellationPolicy.refundCents(booking, role, now),
                      now))
              : Decision.answer(invalidBookingState("the booking has already ended"));
      default ->
          Decision.answer(
              invalidBookingState(withArticle(booking.status()) + " booking cannot be cancelled"));
    };
  }

  public BookingReply getBooking(Listed state, GetBooking c) {
    Booking booking = state.bookings().get(c.bookingId());
    if (booking == null || !state.canSee(booking, c.actor())) return bookingNotFound("booking");
    return new BookingAccepted(booking, false);
  }

  /** A hold found past its time is expired now, and the command that found it is refused. */
  private Decision<BookingReply> expireAndRefuse(Booking booking, Instant now) {
    return Decision.persist(
        new HoldExpired(kitchenId, booking.bookingId(), now),
        s -> invalidBookingState("the hold expired at " + booking.holdExpiresAt()));
  }

  private static Decision<BookingReply> bookingChange(Event event) {
    String bookingId =
        event instanceof BookingConfirmed e
            ? e.bookingId()
            : ((BookingCancelled) event).bookingId();
    return Decision.persist(event, s -> new BookingAccepted(s.bookings().get(bookingId), false));
  }

  /**
   * What is due at {@code now}: every hold whose time has run out expires, every ended confirmed
   * booking completes.
   */
  public List<Event> settleDue(Listed state, Instant now) {
    List<Event> due =
        new ArrayList<>(
            Stream.<Event>concat(
                    state.dueHolds(now).stream()
                        .map(b -> new HoldExpired(kitchenId, b.bookingId(), now)),
                    state.dueCompletions(now).stream()
                        .map(b -> new BookingCompleted(kitchenId, b.bookingId(), now)))
                .toList());
    lapse(state, now).ifPresent(due::add);
    return due;
  }

  /** A published or paused kitchen whose compliance has lapsed by {@code now} suspends itself. */
  Optional<Event> lapse(Listed state, Instant now) {
    Optional<Instant> lapsesAt = state.lapseDue();
    if (lapsesAt.isEmpty() || lapsesAt.get().isAfter(now)) return Optional.empty();
    return Optional.of(
        new KitchenSuspended(
            kitchenId, "a required compliance document expired", lapsesAt.get(), now));
  }

  // ---------------------------------------------------------------- rejections and roles

  /**
   * The kitchens a list shows {@code actor} when it asks for no status: published ones for anyone,
   * every status for admins and operators (drafts are their hosts' business, seen one by one).
   */
  public static Set<KitchenStatus> listedByDefault(Actor actor) {
    return listsEveryKitchen(actor)
        ? EnumSet.allOf(KitchenStatus.class)
        : EnumSet.of(KitchenStatus.PUBLISHED);
  }

  /** Why {@code actor} may not list kitchens in {@code statuses}, if it may not. */
  public static Optional<Rejection> refusesToList(Set<KitchenStatus> statuses, Actor actor) {
    if (listsEveryKitchen(actor) || statuses.equals(EnumSet.of(KitchenStatus.PUBLISHED)))
      return Optional.empty();
    return Optional.of(
        Rejection.of(
            Rejection.Code.FORBIDDEN,
            "only admins and operators list kitchens that are not published"));
  }

  private static boolean listsEveryKitchen(Actor actor) {
    return actor.isAdmin() || actor.has(Role.OPERATOR);
  }

  private static Optional<KitchenRejected> denyManagement(Listed state, Actor actor) {
    if (state.canManage(actor)) return Optional.empty();
    if (!state.isVisibleTo(actor)) return Optional.of(kitchenNotFound());
    return Optional.of(
        new KitchenRejected(
            Rejection.of(Rejection.Code.FORBIDDEN, "only the kitchen's host may change it")));
  }

  /** In which capacity the actor acts on this kitchen, as events record it. */
  static Role actingRole(Listed state, Actor actor) {
    if (actor.isAdmin()) return Role.ADMIN;
    if (state.isOwner(actor)) return Role.HOST;
    if (actor.has(Role.RENTER)) return Role.RENTER;
    if (actor.has(Role.OPERATOR)) return Role.OPERATOR;
    return actor.has(Role.SYSTEM) ? Role.SYSTEM : Role.RENTER;
  }

  /** "a CONFIRMED", "an EXPIRED": the status with the article its sound needs. */
  private static String withArticle(BookingStatus status) {
    return ("AEIOU".indexOf(status.name().charAt(0)) >= 0 ? "an " : "a ") + status;
  }

  static Rejection notFound(String what) {
    return Rejection.of(Rejection.Code.NOT_FOUND, "no such " + what);
  }

  static KitchenRejected kitchenNotFound() {
    return new KitchenRejected(notFound("kitchen"));
  }

  static BookingRejected bookingNotFound(String what) {
    return new BookingRejected(notFound(what));
  }

  private static KitchenRejected invalidKitchenState(String detail) {
    return new KitchenRejected(Rejection.of(Rejection.Code.INVALID_STATE, detail));
  }

  private static BookingRejected invalidBookingState(String detail) {
    return new BookingRejected(Rejection.of(Rejection.Code.INVALID_STATE, detail));
  }

  // ---------------------------------------------------------------- events

  /** Applies one fact. Pure but for the configured retention, which only decides what to forget. */
  public State apply(State state, Event event) {
    if (state instanceof Unlisted) {
      if (event instanceof KitchenCreated e)
        return new Listed(
            e.kitchenId(),
            e.hostId(),
            e.settings(),
            KitchenStatus.DRAFT,
            e.fingerprint(),
            e.at(),
            e.at(),
            Map.of(),
            Map.of());
      throw new IllegalStateException(
          "unexpected event " + event.getClass().getSimpleName() + " before KitchenCreated");
    }
    Listed s = (Listed) state;
    Listed next;
    if (event instanceof KitchenUpdated e) next = s.with(e.settings(), s.status(), e.at());
    else if (event instanceof KitchenPublished e)
      next =
          s.withCompliance(
              e.compliance() == null ? ComplianceStanding.NOT_REQUIRED : e.compliance(),
              KitchenStatus.PUBLISHED,
              e.at());
    else if (event instanceof ComplianceUpdated e)
      next = s.withCompliance(e.compliance(), s.status(), e.at());
    else if (event instanceof KitchenSuspended e)
      next = s.withCompliance(s.compliance(), KitchenStatus.SUSPENDED, e.at());
    else if (event instanceof KitchenReinstated e)
      next = s.withCompliance(e.compliance(), KitchenStatus.PUBLISHED, e.at());
    else if (event instanceof KitchenPaused e)
      next = s.with(s.settings(), KitchenStatus.PAUSED, e.at());
    else if (event instanceof SlotHeld e) {
      next =
          s.withBooking(
              Booking.held(
                  e.bookingId(),
                  e.kitchenId(),
                  e.hostId(),
                  e.renterId(),
                  e.slot(),
                  e.price(),
                  e.at(),
                  e.holdExpiresAt()));
      if (e.idempotencyKey() != null)
        next =
            next.withHoldKey(
                scopedKey(e.renterId(), e.idempotencyKey()),
                new HoldKey(e.bookingId(), e.fingerprint(), e.at()));
    } else if (event instanceof BookingConfirmed e)
      next = s.withBooking(s.bookings().get(e.bookingId()).confirmed(e.at()));
    else if (event instanceof BookingCancelled e)
      next =
          s.withBooking(
              s.bookings()
                  .get(e.bookingId())
                  .cancelled(e.at(), e.actorRole(), e.reason(), e.refundCents()));
    else if (event instanceof HoldExpired e)
      next = s.withBooking(s.bookings().get(e.bookingId()).expired(e.at()));
    else if (event instanceof BookingCompleted e)
      next = s.withBooking(s.bookings().get(e.bookingId()).completed(e.at()));
    else throw new IllegalStateException("unexpected event " + event.getClass().getSimpleName());
    return next.pruned(event.at(), config.retention(), config.idempotencyWindow());
  }

  /** The state after {@code events}, applied in order. */
  public State applyAll(State state, List<Event> events) {
    State next = state;
    for (Event e : events) next = apply(next, e);
    return next;
  }
}
