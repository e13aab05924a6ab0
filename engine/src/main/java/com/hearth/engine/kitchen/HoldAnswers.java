package com.hearth.engine.kitchen;

import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.HoldAnswer;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import java.util.Arrays;
import java.util.List;

/**
 * The answers to a batch's holds: each to its hold's {@code replyTo} at once, or, when the batch
 * asked for them in its done message ({@link HoldSlots#answersToDone}), collected for it.
 */
final class HoldAnswers {
  private final HoldSlots batch;
  private final HoldAnswer[] collected;

  HoldAnswers(HoldSlots batch) {
    this.batch = batch;
    boolean collect = batch.answersToDone() && batch.doneTo() != null;
    this.collected = collect ? new HoldAnswer[batch.holds().size()] : null;
    if (collect) Arrays.fill(collected, HoldAnswer.NONE);
  }

  /** The answer to the batch's hold at {@code at}. */
  void answer(int at, BookingReply reply) {
    if (collected != null) collected[at] = HoldAnswer.of(reply);
    else batch.holds().get(at).replyTo().tell(reply);
  }

  /**
   * Tells the batch's sender, if any, that every hold is answered (with the answers it asked for).
   */
  void done(int accepted, int rejected) {
    if (batch.doneTo() == null) return;
    batch
        .doneTo()
        .tell(
            new HoldBatchDone(
                accepted, rejected, collected == null ? List.of() : List.of(collected)));
  }
}
