package com.hearth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventSourcingTest {

  @Test
  void anEntitysEventsCarryOneOfTheTagsTheProjectionsRead() {
    var read =
        IntStream.range(0, EventSourcing.KITCHEN_TAGS.count())
            .mapToObj(EventSourcing.KITCHEN_TAGS::tag)
            .toList();
    assertThat(read).containsExactly("kitchen-0", "kitchen-1", "kitchen-2", "kitchen-3");
    for (int i = 0; i < 100; i++)
      assertThat(read).contains(EventSourcing.KITCHEN_TAGS.of("kt_" + i));
    assertThat(EventSourcing.PAYMENT_TAGS.of("bk-x"))
        .isEqualTo(EventSourcing.PAYMENT_TAGS.of("bk-x"))
        .startsWith("payment-");
    // The persisted tags: changing how an id maps to a tag would strand events already written.
    assertThat(EventSourcing.KITCHEN_TAGS.of("a"))
        .isEqualTo("kitchen-" + Math.floorMod("a".hashCode(), 4));
  }
}
