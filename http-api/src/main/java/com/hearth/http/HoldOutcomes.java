package com.hearth.http;

import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.http.observability.HearthMetrics;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Counts each hold's decision ({@code hearth_holds_total}) by outcome and rule: accepted, replayed
 * (an idempotent retry), rejected with the rejection's code or, for a booking rule, the rule
 * ({@code too_soon}, {@code outside_opening_hours}...), busy (too many waiting), timeout (no answer
 * within the ask timeout: not applied) or failed.
 */
final class HoldOutcomes {

  private HoldOutcomes() {}

  static void record(BookingReply answer, Throwable failure) {
    if (failure != null) {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      HearthMetrics.holdDecision(cause instanceof TimeoutException ? "timeout" : "failed", "none");
    } else if (answer instanceof BookingAccepted a) {
      HearthMetrics.holdDecision(a.replayed() ? "replayed" : "accepted", "none");
    } else if (answer instanceof BookingRejected r) {
      Rejection rejection = r.rejection();
      if (rejection.code() == Rejection.Code.KITCHEN_BUSY)
        HearthMetrics.holdDecision("busy", "busy");
      else HearthMetrics.holdDecision("rejected", rule(rejection));
    }
  }

  static String rule(Rejection rejection) {
    return (rejection.rule() != null ? rejection.rule().name() : rejection.code().name())
        .toLowerCase(Locale.ROOT);
  }
}
