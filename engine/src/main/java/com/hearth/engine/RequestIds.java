package com.hearth.engine;

import java.util.function.Supplier;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.slf4j.MDC;

/**
 * The id of the HTTP request a command serves ({@code X-Request-Id}, taken or made at the HTTP
 * edge), carried in the command so that the entity's log lines, and the payment gateway's calls it
 * makes, carry it too: in the logging context as {@code request_id}, which the text and JSON log
 * formats print. The id travels in commands only, never in events or snapshots.
 */
public final class RequestIds {

  /** The logging-context key, the same the HTTP edge uses. */
  public static final String MDC_KEY = "request_id";

  private RequestIds() {}

  /** A command that may carry the id of the request it serves (null: none, e.g. a timer). */
  public interface Traced {
    String requestId();
  }

  /** The request id of the logging context on this thread, or null. */
  public static String current() {
    return MDC.get(MDC_KEY);
  }

  /**
   * {@code handler} with {@code request_id} in the logging context while it handles a {@link
   * Traced} command that carries one. Around the command handler rather than the behaviour, so that
   * a command stashed while the entity recovers is handled under its id too.
   */
  public static <C, E, S> CommandHandlerWithReply<C, E, S> inLogs(
      CommandHandlerWithReply<C, E, S> handler) {
    return (state, command) ->
        with(
            command instanceof Traced t ? t.requestId() : null,
            () -> handler.apply(state, command));
  }

  /**
   * Runs {@code body} with {@code requestId} (when not null) as the logging context's request id,
   * then puts back what was there: for calls made outside a traced message's handling (after a
   * write, on a timer) on behalf of a request.
   */
  public static <T> T with(String requestId, Supplier<T> body) {
    if (requestId == null) return body.get();
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, requestId);
    try {
      return body.get();
    } finally {
      if (before == null) MDC.remove(MDC_KEY);
      else MDC.put(MDC_KEY, before);
    }
  }

  /** As {@link #with(String, Supplier)} for a body with no result. */
  public static void run(String requestId, Runnable body) {
    with(
        requestId,
        () -> {
          body.run();
          return null;
        });
  }
}
