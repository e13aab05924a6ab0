package com.hearth.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * An entity asked only once it is known to exist ({@link KnownEntities}): for an id that names
 * nothing, the ask fails with {@link KnownEntities.Unknown} (a 404 in {@code askFailed}) and no
 * entity is started. Requests are validated first, so a bad request is still a 400 whatever it
 * names.
 */
final class KnownRef<M> {

  private final EntityRef<M> ref;
  private final KnownEntities known;
  private final String persistenceId;

  KnownRef(EntityRef<M> ref, KnownEntities known, String persistenceId) {
    this.ref = ref;
    this.known = known;
    this.persistenceId = persistenceId;
  }

  <T> CompletionStage<T> ask(Function<ActorRef<T>, M> message, Duration timeout) {
    return known
        .exists(persistenceId)
        .thenCompose(
            found ->
                found
                    ? ref.ask(message::apply, timeout)
                    : CompletableFuture.failedFuture(new KnownEntities.Unknown(persistenceId)));
  }

  /** The entity itself, for a message that may start it (a create, after a check of its own). */
  EntityRef<M> unchecked() {
    return ref;
  }
}
