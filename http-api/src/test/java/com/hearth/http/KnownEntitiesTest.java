package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The known-id memory: found ids are kept (bounded), unknown ones never are. */
class KnownEntitiesTest {

  @Test
  void keepsFoundIdsBoundedAndNeverUnknownOnes() throws Exception {
    Set<String> journal = new HashSet<>();
    AtomicInteger lookups = new AtomicInteger();
    KnownEntities known =
        new KnownEntities(
            id -> {
              lookups.incrementAndGet();
              return journal.contains(id);
            },
            Runnable::run,
            10);
    journal.add("Kitchen|a");
    assertThat(known.exists("Kitchen|a").toCompletableFuture().get()).isTrue();
    assertThat(known.exists("Kitchen|a").toCompletableFuture().get()).isTrue();
    assertThat(lookups).hasValue(1);
    // Unknown ids are looked up every time and take no memory: one may be created a moment later.
    for (int i = 0; i < 1000; i++)
      assertThat(known.exists("Kitchen|x" + i).toCompletableFuture().get()).isFalse();
    assertThat(known.size()).isEqualTo(1);
    journal.add("Kitchen|x1");
    assertThat(known.exists("Kitchen|x1").toCompletableFuture().get()).isTrue();
    // Many found ids: memory stays within the capacity.
    for (int i = 0; i < 1000; i++) known.remember("Kitchen|k" + i);
    assertThat(known.size()).isLessThanOrEqualTo(11);
  }
}
