package com.hearth.engine.compliance;

import com.hearth.engine.Actor;
import com.hearth.engine.CborSerializable;
import com.hearth.engine.EventSourcing;
import com.hearth.engine.FieldError;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The compliance file of one kitchen (persistence id {@code Compliance|<kitchen id>}): the
 * certificates its host uploaded, what the OCR worker read from them, and admins' reviews. The
 * bytes are not here (the database stores them once per content hash); routes check that the caller
 * is the kitchen's host before they ask, and this entity checks again against the host it learnt
 * from the first upload. Withdrawn documents leave memory (the journal and the read table keep
 * them); at most {@value #MAX_LIVE_DOCUMENTS} live ones are kept.
 */
public final class ComplianceEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        ComplianceEntity.Command, ComplianceEntity.Event, ComplianceEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Compliance");
  public static final int MAX_LIVE_DOCUMENTS = 50;
  static final int MAX_REASON_LENGTH = 500;
  static final int MAX_FIELD_LENGTH = 300;

  // ---------------------------------------------------------------- protocol: commands

  public sealed interface Command extends CborSerializable {}

  /**
   * The host (checked by the route to be the kitchen's) files a document whose bytes are already
   * stored.
   */
  public record UploadDocument(
      Actor actor,
      String hostId,
      String documentId,
      DocumentType type,
      String mediaType,
      String contentHash,
      long sizeBytes,
      int pages,
      ActorRef<DocumentReply> replyTo)
      implements Command {}

  public record GetDocuments(Actor actor, ActorRef<DocumentsReply> replyTo) implements Command {}

  public record WithdrawDocument(Actor actor, String documentId, ActorRef<DocumentReply> replyTo)
      implements Command {}

  /**
   * The OCR worker's reading; ignored (and acknowledged) unless the document still waits for one.
   */
  public record RecordReading(
      String documentId,
      Map<DocumentField, FieldReading> fields,
      double textConfidence,
      int attempts,
      ActorRef<Recorded> replyTo)
      implements Command {
    public RecordReading {
      fields = Map.copyOf(fields);
    }
  }

  /** The OCR worker gave up on a document; ignored (and acknowledged) unless it still waits. */
  public record RecordUnreadable(
      String documentId, String reason, int attempts, ActorRef<Recorded> replyTo)
      implements Command {}

  /** An admin approves (with corrected fields) or rejects a document, saying why. */
  public record ReviewDocument(
      Actor actor,
      String documentId,
      boolean approve,
      Map<DocumentField, String> corrections,
      String reason,
      ActorRef<DocumentReply> replyTo)
      implements Command {
    public ReviewDocument {
      corrections = Map.copyOf(corrections);
    }
  }

  // ---------------------------------------------------------------- protocol: replies

  public sealed interface DocumentReply extends CborSerializable {}

  public record DocumentAccepted(
      String kitchenId, String hostId, Document document, boolean replayed)
      implements DocumentReply {}

  public record DocumentRejected(Rejection rejection) implements DocumentReply {}

  public sealed interface DocumentsReply extends CborSerializable {}

  /** The live documents, newest first. {@code hostId} is null before the first upload. */
  public record Documents(String kitchenId, String hostId, List<Document> documents)
      implements DocumentsReply {}

  public record DocumentsRejected(Rejection rejection) implements DocumentsReply {}

  /** The worker's result is in the journal (or was not needed any more). */
  public record Recorded(String documentId, boolean applied) implements CborSerializable {}

  // ---------------------------------------------------------------- protocol: events

  public sealed interface Event extends OnboardingEvent {
    String kitchenId();

    String documentId();
  }

  public record DocumentUploaded(
      String kitchenId,
      String documentId,
      String hostId,
      DocumentType type,
      String mediaType,
      String contentHash,
      long sizeBytes,
      int pages,
      String actorId,
      Instant at)
      implements Event {}

  public record DocumentRead(
      String kitchenId,
      String documentId,
      Map<DocumentField, FieldReading> fields,
      double textConfidence,
      int attempts,
      Instant at)
      implements Event {
    public DocumentRead {
      fields = Map.copyOf(fields);
    }
  }

  public record DocumentUnreadable(
      String kitchenId, String documentId, String reason, int attempts, Instant at)
      implements Event {}

  /** Audited: the admin who decided, the corrected fields and the reason. */
  public record DocumentReviewed(
      String kitchenId,
      String documentId,
      String adminId,
      boolean approved,
      Map<DocumentField, String> corrections,
      String reason,
      Instant at)
      implements Event {
    public DocumentReviewed {
      corrections = Map.copyOf(corrections);
    }
  }

  public record DocumentWithdrawn(
      String kitchenId, String documentId, String actorId, Role actorRole, Instant at)
      implements Event {}

  // ---------------------------------------------------------------- state

  /**
   * {@code hostId} is null before the first upload; {@code documents} holds the live ones by id.
   */
  public record State(String hostId, Map<String, Document> documents) implements CborSerializable {
    public State {
      documents = Map.copyOf(documents);
    }

    List<Document> newestFirst() {
      return documents.values().stream()
          .sorted(
              Comparator.comparing(Document::uploadedAt)
                  .thenComparing(Document::documentId)
                  .reversed())
          .toList();
    }

    boolean mayRead(Actor actor) {
      return actor.id().equals(hostId) || actor.isAdmin() || actor.has(Role.SYSTEM);
    }

    State with(Document document) {
      Map<String, Document> next = new LinkedHashMap<>(documents);
      if (document.status() == DocumentStatus.WITHDRAWN) next.remove(document.documentId());
      else next.put(document.documentId(), document);
      return new State(hostId, next);
    }
  }

  // ---------------------------------------------------------------- construction

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  public static Behavior<Command> create(String kitchenId, Clock clock) {
    return new ComplianceEntity(kitchenId, clock);
  }

  private final String kitchenId;
  private final Clock clock;

  private ComplianceEntity(String kitchenId, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), kitchenId), EventSourcing.ON_JOURNAL_FAILURE);
    this.kitchenId = kitchenId;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State(null, Map.of());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(OnboardingEvent.TAG);
  }

  // ---------------------------------------------------------------- command handlers

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(UploadDocument.class, this::upload)
        .onCommand(GetDocuments.class, this::documents)
        .onCommand(WithdrawDocument.class, this::withdraw)
        .onCommand(RecordReading.class, this::recordReading)
        .onCommand(RecordUnreadable.class, this::recordUnreadable)
        .onCommand(ReviewDocument.class, this::review)
        .build();
  }

  private ReplyEffect<Event, State> upload(State state, UploadDocument c) {
    if (!c.actor().id().equals(c.hostId())
        || (state.hostId() != null && !state.hostId().equals(c.hostId())))
      return Effect()
          .reply(
              c.replyTo(),
              rejected(Rejection.Code.FORBIDDEN, "only the kitchen's host uploads its documents"));
    for (Document d : state.documents().values())
      if (d.contentHash().equals(c.contentHash()) && d.type() == c.type())
        return Effect()
            .reply(c.replyTo(), new DocumentAccepted(kitchenId, state.hostId(), d, true));
    if (state.documents().containsKey(c.documentId()))
      return Effect()
          .reply(c.replyTo(), rejected(Rejection.Code.INVALID_STATE, "this document id is taken"));
    if (state.documents().size() >= MAX_LIVE_DOCUMENTS)
      return Effect()
          .reply(
              c.replyTo(),
              rejected(
                  Rejection.Code.INVALID_STATE,
                  "a kitchen keeps at most "
                      + MAX_LIVE_DOCUMENTS
                      + " documents; withdraw old ones first"));
    DocumentUploaded uploaded =
        new DocumentUploaded(
            kitchenId,
            c.documentId(),
            c.hostId(),
            c.type(),
            c.mediaType(),
            c.contentHash(),
            c.sizeBytes(),
            c.pages(),
            c.actor().id(),
            clock.instant());
    return Effect()
        .persist(uploaded)
        .thenReply(
            c.replyTo(),
            s ->
                new DocumentAccepted(
                    kitchenId, s.hostId(), s.documents().get(c.documentId()), false));
  }

  private ReplyEffect<Event, State> documents(State state, GetDocuments c) {
    if (state.hostId() != null && !state.mayRead(c.actor()))
      return Effect()
          .reply(
              c.replyTo(),
              new DocumentsRejected(
                  Rejection.of(
                      Rejection.Code.FORBIDDEN,
                      "only the kitchen's host and admins see its documents")));
    return Effect()
        .reply(c.replyTo(), new Documents(kitchenId, state.hostId(), state.newestFirst()));
  }

  private ReplyEffect<Event, State> withdraw(State state, WithdrawDocument c) {
    Document d = state.documents().get(c.documentId());
    if (d == null || !state.mayRead(c.actor()))
      return Effect().reply(c.replyTo(), rejected(Rejection.Code.NOT_FOUND, "no such document"));
    if (!c.actor().id().equals(state.hostId()) && !c.actor().isAdmin())
      return Effect()
          .reply(
              c.replyTo(),
              rejected(
                  Rejection.Code.FORBIDDEN, "only the kitchen's host withdraws its documents"));
    Role role = c.actor().id().equals(state.hostId()) ? Role.HOST : Role.ADMIN;
    Instant now = clock.instant();
    return Effect()
        .persist(new DocumentWithdrawn(kitchenId, d.documentId(), c.actor().id(), role, now))
        .thenReply(
            c.replyTo(), s -> new DocumentAccepted(kitchenId, s.hostId(), d.withdrawn(now), false));
  }

  private ReplyEffect<Event, State> recordReading(State state, RecordReading c) {
    Document d = state.documents().get(c.documentId());
    if (d == null || d.status() != DocumentStatus.PENDING)
      return Effect().reply(c.replyTo(), new Recorded(c.documentId(), false));
    return Effect()
        .persist(
            new DocumentRead(
                kitchenId,
                d.documentId(),
                c.fields(),
                c.textConfidence(),
                c.attempts(),
                clock.instant()))
        .thenReply(c.replyTo(), s -> new Recorded(c.documentId(), true));
  }

  private ReplyEffect<Event, State> recordUnreadable(State state, RecordUnreadable c) {
    Document d = state.documents().get(c.documentId());
    if (d == null || d.status() != DocumentStatus.PENDING)
      return Effect().reply(c.replyTo(), new Recorded(c.documentId(), false));
    String reason = c.reason() == null || c.reason().isBlank() ? "unreadable" : c.reason();
    if (reason.length() > MAX_REASON_LENGTH) reason = reason.substring(0, MAX_REASON_LENGTH);
    return Effect()
        .persist(
            new DocumentUnreadable(
                kitchenId, d.documentId(), reason, c.attempts(), clock.instant()))
        .thenReply(c.replyTo(), s -> new Recorded(c.documentId(), true));
  }

  private ReplyEffect<Event, State> review(State state, ReviewDocument c) {
    if (!c.actor().isAdmin())
      return Effect()
          .reply(c.replyTo(), rejected(Rejection.Code.FORBIDDEN, "only admins review documents"));
    Document d = state.documents().get(c.documentId());
    if (d == null)
      return Effect().reply(c.replyTo(), rejected(Rejection.Code.NOT_FOUND, "no such document"));
    List<FieldError> errors = reviewErrors(c);
    if (!errors.isEmpty())
      return Effect().reply(c.replyTo(), new DocumentRejected(Rejection.invalid(errors)));
    return Effect()
        .persist(
            new DocumentReviewed(
                kitchenId,
                d.documentId(),
                c.actor().id(),
                c.approve(),
                c.corrections(),
                c.reason(),
                clock.instant()))
        .thenReply(
            c.replyTo(),
            s ->
                new DocumentAccepted(
                    kitchenId, s.hostId(), s.documents().get(d.documentId()), false));
  }

  /**
   * A reason is required; corrected dates must be ISO dates, a corrected type one of the known
   * types.
   */
  static List<FieldError> reviewErrors(ReviewDocument c) {
    List<FieldError> errors = new ArrayList<>();
    if (c.reason() == null || c.reason().isBlank())
      errors.add(new FieldError("reason", "is required"));
    else if (c.reason().length() > MAX_REASON_LENGTH)
      errors.add(new FieldError("reason", "must be at most " + MAX_REASON_LENGTH + " characters"));
    if (!c.approve() && !c.corrections().isEmpty())
      errors.add(new FieldError("fields", "corrections only go with an approval"));
    c.corrections()
        .forEach(
            (field, value) -> {
              String name = "fields." + field.name().toLowerCase(java.util.Locale.ROOT);
              if (value == null || value.isBlank())
                errors.add(new FieldError(name, "must not be blank"));
              else if (value.length() > MAX_FIELD_LENGTH)
                errors.add(
                    new FieldError(name, "must be at most " + MAX_FIELD_LENGTH + " characters"));
              else if (field == DocumentField.ISSUE_DATE || field == DocumentField.EXPIRY_DATE) {
                try {
                  LocalDate.parse(value);
                } catch (DateTimeParseException e) {
                  errors.add(new FieldError(name, "must be an ISO date, yyyy-MM-dd"));
                }
              } else if (field == DocumentField.DOCUMENT_TYPE) {
                try {
                  DocumentType.valueOf(value);
                } catch (IllegalArgumentException e) {
                  errors.add(
                      new FieldError(name, "must be one of " + List.of(DocumentType.values())));
                }
              }
            });
    return errors;
  }

  private static DocumentRejected rejected(Rejection.Code code, String detail) {
    return new DocumentRejected(Rejection.of(code, detail));
  }

  // ---------------------------------------------------------------- event handler

  @Override
  public EventHandler<State, Event> eventHandler() {
    return ComplianceEntity::apply;
  }

  static State apply(State state, Event event) {
    if (event instanceof DocumentUploaded e)
      return new State(e.hostId(), state.documents())
          .with(
              Document.uploaded(
                  e.documentId(),
                  e.type(),
                  e.mediaType(),
                  e.contentHash(),
                  e.sizeBytes(),
                  e.pages(),
                  e.at()));
    Document d = state.documents().get(event.documentId());
    if (d == null) return state;
    if (event instanceof DocumentRead e)
      return state.with(d.read(e.fields(), e.textConfidence(), e.attempts(), e.at()));
    if (event instanceof DocumentUnreadable e)
      return state.with(d.unreadable(e.reason(), e.attempts(), e.at()));
    if (event instanceof DocumentReviewed e)
      return state.with(
          d.reviewed(new Review(e.adminId(), e.approved(), e.corrections(), e.reason(), e.at())));
    if (event instanceof DocumentWithdrawn e) return state.with(d.withdrawn(e.at()));
    throw new IllegalStateException("unexpected event " + event.getClass().getSimpleName());
  }
}
