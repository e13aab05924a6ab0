package com.hearth.engine.host;

import com.hearth.engine.Actor;
import com.hearth.engine.CborSerializable;
import com.hearth.engine.EventSourcing;
import com.hearth.engine.FieldError;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.compliance.OnboardingEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One host's profile, as a sharded, event-sourced actor (persistence id {@code Host|<host id>}).
 * Only the host itself reads or replaces it; admins may read it. Saving the same profile again
 * writes nothing. Events carry the onboarding tag, projected into {@code host_profiles}.
 */
public final class HostEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        HostEntity.Command, HostEntity.Event, HostEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Host");

  // ---------------------------------------------------------------- protocol

  public sealed interface Command extends CborSerializable {}

  /** Replaces the profile of the actor, who must be this host. */
  public record SaveProfile(Actor actor, HostProfile profile, ActorRef<ProfileReply> replyTo)
      implements Command {}

  public record GetProfile(Actor actor, ActorRef<ProfileReply> replyTo) implements Command {}

  public sealed interface ProfileReply extends CborSerializable {}

  /**
   * {@code profile} is null when the host has not written one yet; {@code changed} when this
   * command wrote a new profile (a {@link HostProfileSaved}), so its kitchens are judged again.
   */
  public record ProfileAccepted(
      String hostId, HostProfile profile, Instant updatedAt, boolean changed)
      implements ProfileReply {
    public ProfileAccepted(String hostId, HostProfile profile, Instant updatedAt) {
      this(hostId, profile, updatedAt, false);
    }
  }

  public record ProfileRejected(Rejection rejection) implements ProfileReply {}

  public sealed interface Event extends OnboardingEvent {}

  public record HostProfileSaved(String hostId, HostProfile profile, Instant at) implements Event {}

  /** {@code profile} null until the first save. */
  public record State(HostProfile profile, Instant updatedAt) implements CborSerializable {}

  // ---------------------------------------------------------------- construction

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  public static Behavior<Command> create(String hostId, Clock clock) {
    return new HostEntity(hostId, clock);
  }

  private final String hostId;
  private final Clock clock;

  private HostEntity(String hostId, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), hostId), EventSourcing.ON_JOURNAL_FAILURE);
    this.hostId = hostId;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State(null, null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(OnboardingEvent.TAG);
  }

  // ---------------------------------------------------------------- handlers

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SaveProfile.class, this::save)
        .onCommand(GetProfile.class, this::get)
        .build();
  }

  private ReplyEffect<Event, State> save(State state, SaveProfile c) {
    if (!c.actor().id().equals(hostId) || !c.actor().has(Role.HOST))
      return Effect()
          .reply(
              c.replyTo(),
              new ProfileRejected(
                  Rejection.of(Rejection.Code.FORBIDDEN, "only the host writes its own profile")));
    List<FieldError> errors = c.profile().validate();
    if (!errors.isEmpty())
      return Effect().reply(c.replyTo(), new ProfileRejected(Rejection.invalid(errors)));
    if (c.profile().equals(state.profile()))
      return Effect()
          .reply(c.replyTo(), new ProfileAccepted(hostId, state.profile(), state.updatedAt()));
    return Effect()
        .persist(new HostProfileSaved(hostId, c.profile(), clock.instant()))
        .thenReply(c.replyTo(), s -> new ProfileAccepted(hostId, s.profile(), s.updatedAt(), true));
  }

  private ReplyEffect<Event, State> get(State state, GetProfile c) {
    if (!c.actor().id().equals(hostId) && !c.actor().isAdmin() && !c.actor().has(Role.SYSTEM))
      return Effect()
          .reply(
              c.replyTo(),
              new ProfileRejected(Rejection.of(Rejection.Code.NOT_FOUND, "no such host")));
    return Effect()
        .reply(c.replyTo(), new ProfileAccepted(hostId, state.profile(), state.updatedAt()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(HostProfileSaved.class, (state, e) -> new State(e.profile(), e.at()))
        .build();
  }
}
