package com.hearth.http;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.engine.compliance.ComplianceEntity;
import com.hearth.engine.compliance.ComplianceEntity.DocumentAccepted;
import com.hearth.engine.compliance.ComplianceEntity.DocumentRejected;
import com.hearth.engine.compliance.ComplianceEntity.DocumentReply;
import com.hearth.engine.compliance.ComplianceEntity.Documents;
import com.hearth.engine.compliance.ComplianceEntity.DocumentsRejected;
import com.hearth.engine.compliance.ComplianceEntity.DocumentsReply;
import com.hearth.engine.compliance.ComplianceRuleBook;
import com.hearth.engine.compliance.Document;
import com.hearth.engine.compliance.DocumentField;
import com.hearth.engine.compliance.DocumentIds;
import com.hearth.engine.compliance.DocumentType;
import com.hearth.engine.host.HostEntity;
import com.hearth.engine.host.HostEntity.ProfileAccepted;
import com.hearth.engine.host.HostEntity.ProfileRejected;
import com.hearth.engine.host.HostEntity.ProfileReply;
import com.hearth.engine.kitchen.KitchenEntity;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenIds;
import com.hearth.http.OnboardingDtos.ComplianceResponse;
import com.hearth.http.OnboardingDtos.DocumentList;
import com.hearth.http.OnboardingDtos.DocumentResponse;
import com.hearth.http.OnboardingDtos.HostProfileBody;
import com.hearth.http.OnboardingDtos.HostProfileResponse;
import com.hearth.http.OnboardingDtos.ReviewBody;
import com.hearth.http.OnboardingDtos.ReviewQueue;
import com.hearth.http.OnboardingDtos.ReviewQueueItem;
import com.hearth.projections.OnboardingQueries;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Multipart;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;

/**
 * Host onboarding over HTTP: the host's profile ({@code /v1/hosts/me}), a kitchen's documents and
 * compliance summary ({@code /v1/kitchens/{id}/documents}, {@code /compliance}), and the admins'
 * review queue ({@code /v1/admin/compliance}). Documents are the business of the kitchen's host and
 * admins alone: the kitchen itself says who its host is before anything is read or written.
 */
final class OnboardingRoutes extends HearthDirectives {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(OnboardingRoutes.class);

  /** Largest certificate accepted. */
  static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

  /** Room for the multipart framing and the type part around the file. */
  private static final long MAX_FORM_BYTES = MAX_FILE_BYTES + 64 * 1024;

  static final int MAX_PAGES = 20;
  private static final int REVIEW_QUEUE_LIMIT = 200;

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final OnboardingQueries queries;
  private final Executor jdbc;
  private final ComplianceRuleBook rules;
  private final Clock clock;
  private final Materializer materializer;
  private final ComplianceStandings standings;
  private final KnownEntities known;
  private final Quotas quotas;

  OnboardingRoutes(
      ActorSystem<?> system,
      Duration askTimeout,
      OnboardingQueries queries,
      Executor jdbc,
      ComplianceRuleBook rules,
      ComplianceStandings standings,
      KnownEntities known,
      Quotas quotas,
      Clock clock) {
    this.known = known;
    this.quotas = quotas;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.queries = queries;
    this.jdbc = jdbc;
    this.rules = rules;
    this.clock = clock;
    this.materializer = Materializer.matFromSystem(system);
    this.standings = standings;
  }

  // ---------------------------------------------------------------- host profile

  /** {@code /v1/hosts/me}: the calling host's profile. */
  Route hosts(Actor actor) {
    return path(
        "me",
        () ->
            requireRole(
                actor,
                EnumSet.of(Role.HOST),
                () ->
                    concat(
                        get(() -> askHost(actor, r -> new HostEntity.GetProfile(actor, r), 200)),
                        put(
                            () ->
                                body(
                                    HostProfileBody.class,
                                    req ->
                                        askHost(
                                            actor,
                                            r ->
                                                new HostEntity.SaveProfile(
                                                    actor, req.toDomain(), r),
                                            200))))));
  }

  private Route askHost(
      Actor actor,
      Function<org.apache.pekko.actor.typed.ActorRef<ProfileReply>, HostEntity.Command> command,
      int status) {
    CompletionStage<ProfileReply> reply = host(actor.id()).ask(command::apply, askTimeout);
    return completeWithFuture(
        reply.handle(
            (answer, failure) -> {
              if (failure != null) return askFailed(failure, "host profile");
              if (answer instanceof ProfileAccepted a) {
                if (a.profile() == null)
                  return problem(
                      Problem.of(
                          404,
                          "NOT_FOUND",
                          "Not found",
                          "no profile yet: PUT /v1/hosts/me writes it"));
                if (a.changed()) refreshKitchensOf(a.hostId());
                return json(status, HostProfileResponse.of(a.hostId(), a.profile(), a.updatedAt()));
              }
              return problem(Problems.of(((ProfileRejected) answer).rejection()));
            }));
  }

  /**
   * A new profile (a business name, a jurisdiction) may move the compliance of the host's listed
   * kitchens: each is judged again and told its standing, as after a document change. The kitchens
   * come from the read table on the JDBC executor; the judging is asks, never blocking an actor.
   * Best effort, like {@link ComplianceStandings#refresh}: a failure is logged.
   */
  private void refreshKitchensOf(String hostId) {
    CompletableFuture.supplyAsync(() -> queries.listedKitchensOf(hostId), jdbc)
        .whenComplete(
            (kitchens, failure) -> {
              if (failure != null)
                log.warn(
                    "host {}: kitchens' compliance not refreshed after a profile change: {}",
                    hostId,
                    failure.getMessage());
              else kitchens.forEach(standings::refresh);
            });
  }

  // ---------------------------------------------------------------- documents

  /**
   * {@code /v1/kitchens/{id}/documents[/{document id}]} and {@code /v1/kitchens/{id}/compliance},
   * built once: the caller and the kitchen id are read from the request.
   */
  Route kitchen() {
    return concat(
        pathPrefix(
            "documents",
            () ->
                callerAndKitchen(
                    (actor, kitchenId) ->
                        concat(
                            pathEnd(
                                () ->
                                    concat(
                                        get(
                                            () ->
                                                managedKitchen(
                                                    actor,
                                                    kitchenId,
                                                    view -> listDocuments(actor, kitchenId))),
                                        post(
                                            () ->
                                                requireRole(
                                                    actor,
                                                    EnumSet.of(Role.HOST),
                                                    () -> upload(actor, kitchenId))))),
                            path(
                                PathMatchers.segment().slash("file"),
                                documentId ->
                                    get(
                                        () ->
                                            managedKitchen(
                                                actor,
                                                kitchenId,
                                                view ->
                                                    documentFile(actor, kitchenId, documentId)))),
                            path(
                                PathMatchers.segment(),
                                documentId ->
                                    delete(
                                        () -> {
                                          if (!DocumentIds.kitchenOf(documentId)
                                              .map(kitchenId::equals)
                                              .orElse(false))
                                            return complete(
                                                problem(
                                                    Problem.of(
                                                        404,
                                                        "NOT_FOUND",
                                                        "Not found",
                                                        "no such document")));
                                          return managedKitchen(
                                              actor,
                                              kitchenId,
                                              view ->
                                                  completeWithFuture(
                                                      respond(
                                                          compliance(kitchenId)
                                                              .<DocumentReply>ask(
                                                                  r ->
                                                                      new ComplianceEntity
                                                                          .WithdrawDocument(
                                                                          actor, documentId, r),
                                                                  askTimeout),
                                                          answer ->
                                                              refreshed(
                                                                  kitchenId,
                                                                  answer,
                                                                  documentResponse(answer, 200)))));
                                        }))))),
        path(
            "compliance",
            () ->
                get(
                    () ->
                        callerAndKitchen(
                            (actor, kitchenId) ->
                                managedKitchen(
                                    actor, kitchenId, view -> summary(kitchenId, view))))));
  }

  private Route listDocuments(Actor actor, String kitchenId) {
    return completeWithFuture(
        respond(
            compliance(kitchenId)
                .<DocumentsReply>ask(r -> new ComplianceEntity.GetDocuments(actor, r), askTimeout),
            answer -> {
              if (answer instanceof Documents d)
                return json(
                    200,
                    new DocumentList(
                        kitchenId,
                        d.documents().stream()
                            .map(doc -> DocumentResponse.of(kitchenId, doc))
                            .toList()));
              return problem(Problems.of(((DocumentsRejected) answer).rejection()));
            }));
  }

  /**
   * A live document's bytes, for the kitchen's host and admins (a withdrawn one is gone): the
   * document from the kitchen's compliance entity, its bytes by content hash on the JDBC pool.
   */
  private Route documentFile(Actor actor, String kitchenId, String documentId) {
    CompletionStage<HttpResponse> response =
        compliance(kitchenId)
            .<DocumentsReply>ask(r -> new ComplianceEntity.GetDocuments(actor, r), askTimeout)
            .thenCompose(
                answer -> {
                  if (!(answer instanceof Documents d))
                    return CompletableFuture.completedFuture(
                        problem(Problems.of(((DocumentsRejected) answer).rejection())));
                  Optional<Document> document =
                      d.documents().stream()
                          .filter(doc -> doc.documentId().equals(documentId))
                          .findFirst();
                  if (document.isEmpty())
                    return CompletableFuture.completedFuture(
                        problem(Problem.of(404, "NOT_FOUND", "Not found", "no such document")));
                  return CompletableFuture.supplyAsync(
                      () ->
                          queries
                              .content(document.get().contentHash())
                              .map(content -> DocumentFile.of(document.get(), content))
                              .orElseGet(
                                  () ->
                                      problem(
                                          Problem.of(
                                              404,
                                              "NOT_FOUND",
                                              "Not found",
                                              "the document's file is not stored"))),
                      jdbc);
                });
    return completeWithFuture(respond(response, r -> r));
  }

  /**
   * A multipart form with the parts {@code type} (a document type) and {@code file}. The form is
   * refused before it is read when it declares more than the limit, and while it is read when it
   * turns out larger; the file's kind comes from its first bytes.
   */
  private Route upload(Actor actor, String kitchenId) {
    return withSizeLimit(
        MAX_FORM_BYTES,
        () ->
            extractRequestEntity(
                entity -> {
                  var mediaType = entity.getContentType().mediaType();
                  if (!mediaType.mainType().equals("multipart")
                      || !mediaType.subType().equals("form-data"))
                    return complete(
                        problem(
                            Problem.of(
                                415,
                                "UNSUPPORTED_MEDIA_TYPE",
                                "Unsupported media type",
                                "send multipart/form-data with a part \"type\" and a part \"file\"")));
                  if (entity.getContentLengthOption().isPresent()
                      && entity.getContentLengthOption().getAsLong() > MAX_FORM_BYTES)
                    return complete(tooLarge());
                  return kitchenOfHost(
                      actor,
                      kitchenId,
                      view ->
                          withinUploadQuotas(
                              actor,
                              kitchenId,
                              () ->
                                  entity(
                                      Unmarshaller.entityToMultipartFormData(),
                                      form ->
                                          onComplete(
                                              () ->
                                                  form.toStrict(
                                                      askTimeout.toMillis() * 6, materializer),
                                              strict -> {
                                                if (strict.isFailure())
                                                  return complete(
                                                      formFailed(strict.failed().get()));
                                                return storeAndFile(
                                                    actor, kitchenId, view, strict.get());
                                              }))));
                }));
  }

  /**
   * The host's uploads an hour and the kitchen's documents kept (docs/security.md, "Limits"), both
   * before the file is read or stored: 429 with Retry-After beyond either.
   */
  private Route withinUploadQuotas(Actor actor, String kitchenId, Supplier<Route> inner) {
    Optional<HttpResponse> refused = quotas.upload(actor);
    if (refused.isPresent()) return complete(refused.get());
    return onComplete(
        () ->
            compliance(kitchenId)
                .<DocumentsReply>ask(r -> new ComplianceEntity.GetDocuments(actor, r), askTimeout),
        answer -> {
          if (answer.isFailure())
            return complete(askFailed(answer.failed().get(), "compliance file"));
          if (answer.get() instanceof Documents d) {
            Optional<HttpResponse> full = quotas.storeDocument(d.documents().size());
            if (full.isPresent()) return complete(full.get());
          }
          return inner.get();
        });
  }

  private Route storeAndFile(
      Actor actor, String kitchenId, KitchenView view, Multipart.FormData.Strict form) {
    String typeName = null;
    byte[] file = null;
    for (Multipart.FormData.BodyPart.Strict part : form.getStrictParts()) {
      byte[] data = ((HttpEntity.Strict) part.getEntity()).getData().toArray();
      switch (part.getName()) {
        case "type" -> typeName = new String(data, java.nio.charset.StandardCharsets.UTF_8).trim();
        case "file" -> file = data;
        default -> {
          return complete(
              problem(
                  Problems.invalid(part.getName(), "unknown part; send \"type\" and \"file\"")));
        }
      }
    }
    if (typeName == null || typeName.isEmpty())
      return complete(problem(Problems.invalid("type", "is required, one of " + typeNames())));
    DocumentType type;
    try {
      type = DocumentType.valueOf(typeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return complete(problem(Problems.invalid("type", "must be one of " + typeNames())));
    }
    if (file == null || file.length == 0)
      return complete(problem(Problems.invalid("file", "is required and must not be empty")));
    if (file.length > MAX_FILE_BYTES) return complete(tooLarge());
    Optional<String> mediaType = UploadedFile.sniff(file);
    if (mediaType.isEmpty())
      return complete(
          problem(
              Problem.of(
                  415,
                  "UNSUPPORTED_MEDIA_TYPE",
                  "Unsupported media type",
                  "the file is not a PNG, JPEG, TIFF or PDF (judged from its content, not its name)")));
    int pages = UploadedFile.pages(file, mediaType.get());
    if (pages > MAX_PAGES)
      return complete(
          problem(
              Problem.of(
                  422,
                  "TOO_MANY_PAGES",
                  "Too many pages",
                  "the document has " + pages + " pages; at most " + MAX_PAGES + " are read")));
    byte[] bytes = file;
    String hash = sha256(bytes);
    String documentId = DocumentIds.newDocumentId(kitchenId);
    CompletionStage<DocumentReply> reply =
        CompletableFuture.runAsync(
                () -> queries.storeContent(hash, mediaType.get(), bytes, clock.instant()), jdbc)
            .thenCompose(
                stored ->
                    compliance(kitchenId)
                        .ask(
                            r ->
                                new ComplianceEntity.UploadDocument(
                                    actor,
                                    view.hostId(),
                                    documentId,
                                    type,
                                    mediaType.get(),
                                    hash,
                                    bytes.length,
                                    pages,
                                    r),
                            askTimeout));
    return completeWithFuture(respond(reply, answer -> documentResponse(answer, 201)));
  }

  private static String typeNames() {
    return java.util.Arrays.stream(DocumentType.values()).map(Enum::name).toList().toString();
  }

  private static HttpResponse tooLarge() {
    return problem(
        Problem.of(
            413,
            "PAYLOAD_TOO_LARGE",
            "Payload too large",
            "a document may be at most " + MAX_FILE_BYTES / (1024 * 1024) + " MB"));
  }

  private static HttpResponse formFailed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause())
      if (t instanceof EntityStreamSizeException) return tooLarge();
    return problem(Problems.invalid("body", "is not a readable multipart/form-data body"));
  }

  private HttpResponse documentResponse(DocumentReply answer, int status) {
    if (answer instanceof DocumentAccepted a) {
      DocumentResponse body = DocumentResponse.of(a.kitchenId(), a.document());
      if (a.replayed())
        return json(200, body).addHeader(RawHeader.create("Idempotent-Replayed", "true"));
      HttpResponse response = json(status, body);
      return status == 201
          ? response.addHeader(
              Location.create(
                  "/v1/kitchens/" + a.kitchenId() + "/documents/" + a.document().documentId()))
          : response;
    }
    return problem(Problems.of(((DocumentRejected) answer).rejection()));
  }

  // ---------------------------------------------------------------- compliance

  /** The kitchen's compliance, judged now under its host's jurisdiction. */
  private Route summary(String kitchenId, KitchenView view) {
    return completeWithFuture(
        standings
            .judge(view)
            .handle(
                (judged, failure) -> {
                  if (failure == null)
                    return json(
                        200,
                        ComplianceResponse.of(
                            kitchenId, judged.summary(), judged.rules().hasRules(), judged.at()));
                  Throwable cause =
                      failure instanceof java.util.concurrent.CompletionException
                              && failure.getCause() != null
                          ? failure.getCause()
                          : failure;
                  if (cause instanceof ComplianceStandings.NotJudged n)
                    return problem(Problems.of(n.rejection));
                  return askFailed(cause, "compliance file");
                }));
  }

  // ---------------------------------------------------------------- admin review

  /** {@code /v1/admin/compliance/...}: the review queue and the decisions on documents. */
  Route admin(Actor actor) {
    return pathPrefix(
        "compliance",
        () ->
            requireRole(
                actor,
                EnumSet.of(Role.ADMIN),
                () ->
                    concat(
                        path(
                            "reviews",
                            () ->
                                get(
                                    () ->
                                        completeWithFuture(
                                            CompletableFuture.supplyAsync(
                                                    () ->
                                                        queries.reviewQueue(
                                                            rules, REVIEW_QUEUE_LIMIT),
                                                    jdbc)
                                                .handle(
                                                    (items, failure) ->
                                                        failure != null
                                                            ? askFailed(failure, "review queue")
                                                            : json(
                                                                200,
                                                                new ReviewQueue(
                                                                    items.stream()
                                                                        .map(ReviewQueueItem::of)
                                                                        .toList())))))),
                        pathPrefix(
                            PathMatchers.segment("documents").slash(PathMatchers.segment()),
                            documentId -> {
                              Optional<String> kitchenId = DocumentIds.kitchenOf(documentId);
                              if (kitchenId.isEmpty())
                                return complete(
                                    problem(
                                        Problem.of(
                                            404, "NOT_FOUND", "Not found", "no such document")));
                              return concat(
                                  path(
                                      "approve",
                                      () ->
                                          post(
                                              () ->
                                                  body(
                                                      ReviewBody.class,
                                                      req ->
                                                          review(
                                                              actor,
                                                              kitchenId.get(),
                                                              documentId,
                                                              true,
                                                              req)))),
                                  path(
                                      "reject",
                                      () ->
                                          post(
                                              () ->
                                                  body(
                                                      ReviewBody.class,
                                                      req ->
                                                          review(
                                                              actor,
                                                              kitchenId.get(),
                                                              documentId,
                                                              false,
                                                              req)))));
                            }))));
  }

  private Route review(
      Actor actor, String kitchenId, String documentId, boolean approve, ReviewBody req) {
    Map<DocumentField, String> corrections = new EnumMap<>(DocumentField.class);
    if (req.fields() != null) {
      for (Map.Entry<String, String> e : req.fields().entrySet()) {
        try {
          corrections.put(DocumentField.valueOf(e.getKey().toUpperCase(Locale.ROOT)), e.getValue());
        } catch (IllegalArgumentException ex) {
          return complete(
              problem(
                  Problems.invalid(
                      "fields." + e.getKey(),
                      "unknown field; known: "
                          + java.util.Arrays.stream(DocumentField.values())
                              .map(OnboardingDtos::lower)
                              .toList())));
        }
      }
    }
    // A document of a made-up kitchen starts no compliance entity (KnownEntities).
    CompletionStage<DocumentReply> reply =
        new KnownRef<>(compliance(kitchenId), known, KnownEntities.kitchen(kitchenId))
            .<DocumentReply>ask(
                r ->
                    new ComplianceEntity.ReviewDocument(
                        actor, documentId, approve, corrections, req.reason(), r),
                askTimeout);
    return completeWithFuture(
        reply.handle(
            (answer, failure) ->
                failure == null
                    ? refreshed(kitchenId, answer, documentResponse(answer, 200))
                    : askFailed(failure, "document")));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Continues with the kitchen when the caller is its host or an admin; 403 for everyone else who
   * may see it.
   */
  private Route managedKitchen(Actor actor, String kitchenId, Function<KitchenView, Route> inner) {
    return withKitchen(actor, kitchenId, Set.of(Role.ADMIN), inner);
  }

  /** Continues with the kitchen when the caller is its host (admins do not upload for hosts). */
  private Route kitchenOfHost(Actor actor, String kitchenId, Function<KitchenView, Route> inner) {
    return withKitchen(actor, kitchenId, Set.of(), inner);
  }

  private Route withKitchen(
      Actor actor, String kitchenId, Set<Role> alsoAllowed, Function<KitchenView, Route> inner) {
    if (!KitchenIds.isKitchenId(kitchenId))
      return complete(problem(Problem.of(404, "NOT_FOUND", "Not found", "no such kitchen")));
    return whenKnown(
        known,
        KnownEntities.kitchen(kitchenId),
        "kitchen",
        () -> askedKitchen(actor, kitchenId, alsoAllowed, inner));
  }

  private Route askedKitchen(
      Actor actor, String kitchenId, Set<Role> alsoAllowed, Function<KitchenView, Route> inner) {
    CompletionStage<KitchenReply> reply =
        sharding
            .entityRefFor(KitchenEntity.ENTITY_KEY, kitchenId)
            .ask(r -> new KitchenEntity.GetKitchen(actor, r), askTimeout);
    return onComplete(
        () -> reply,
        answer -> {
          if (answer.isFailure()) return complete(askFailed(answer.failed().get(), "kitchen"));
          if (answer.get() instanceof KitchenAccepted a) {
            // Host rights need the host role as well as the kitchen's host id (issue 14).
            if ((a.kitchen().hostId().equals(actor.id()) && actor.has(Role.HOST))
                || alsoAllowed.stream().anyMatch(actor::has)) return inner.apply(a.kitchen());
            return complete(
                problem(
                    Problem.of(
                        403,
                        "FORBIDDEN",
                        "Forbidden",
                        alsoAllowed.isEmpty()
                            ? "only the kitchen's host uploads its documents"
                            : "only the kitchen's host and admins see its documents and compliance")));
          }
          return complete(problem(Problems.of(((KitchenRejected) answer.get()).rejection())));
        });
  }

  /**
   * After a document changed, the kitchen hears its new standing (a suspension lifted, a lapse
   * moved).
   */
  private HttpResponse refreshed(String kitchenId, DocumentReply answer, HttpResponse response) {
    if (answer instanceof DocumentAccepted) standings.refresh(kitchenId);
    return response;
  }

  private EntityRef<HostEntity.Command> host(String hostId) {
    return sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId);
  }

  private EntityRef<ComplianceEntity.Command> compliance(String kitchenId) {
    return sharding.entityRefFor(ComplianceEntity.ENTITY_KEY, kitchenId);
  }

  private static <T> CompletionStage<HttpResponse> respond(
      CompletionStage<T> reply, Function<T, HttpResponse> onAnswer) {
    return reply.handle(
        (answer, failure) ->
            failure == null ? onAnswer.apply(answer) : askFailed(failure, "compliance file"));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
