package com.hearth.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.payment.PaymentGateway.IntentStatus;
import com.hearth.engine.payment.PaymentGateway.RefundStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which platform status each gateway status corresponds to, checked for every pair: every gateway
 * status against every status the platform's tables hold. The table is the one in {@link
 * Reconciliation}'s documentation, written out here by hand.
 */
class ReconciliationStatusTest {

  /** What {@code payments.status} can be. */
  private static final List<String> PAYMENT_STATUSES =
      List.of("REQUIRES_PAYMENT", "SUCCEEDED", "FAILED");

  /** What {@code refunds.status} can be. */
  private static final List<String> REFUND_STATUSES =
      List.of("REQUESTED", "SUCCEEDED", "REJECTED", "FAILED");

  private static final Set<String> NOTHING_RECEIVED = Set.of("REQUIRES_PAYMENT", "FAILED");

  private static final Map<String, Set<String>> INTENTS =
      Map.of(
          "SUCCEEDED", Set.of("SUCCEEDED"),
          "REQUIRES_PAYMENT_METHOD", NOTHING_RECEIVED,
          "REQUIRES_CONFIRMATION", NOTHING_RECEIVED,
          "REQUIRES_ACTION", NOTHING_RECEIVED,
          "PROCESSING", NOTHING_RECEIVED,
          "REQUIRES_CAPTURE", NOTHING_RECEIVED,
          "CANCELED", NOTHING_RECEIVED);

  private static final Map<String, Set<String>> REFUNDS =
      Map.of(
          "SUCCEEDED", Set.of("SUCCEEDED"),
          "PENDING", Set.of("SUCCEEDED", "REQUESTED"),
          "REQUIRES_ACTION", Set.of("SUCCEEDED", "REQUESTED"),
          "FAILED", Set.of("REJECTED", "FAILED"),
          "CANCELED", Set.of("REJECTED", "FAILED"));

  @Test
  void theTablesNameEveryGatewayStatus() {
    assertThat(INTENTS.keySet()).isEqualTo(names(IntentStatus.values()));
    assertThat(REFUNDS.keySet()).isEqualTo(names(RefundStatus.values()));
  }

  @Test
  void everyIntentStatusAgreesWithExactlyTheExpectedPaymentStatuses() {
    for (IntentStatus gateway : IntentStatus.values()) {
      for (String platform : PAYMENT_STATUSES)
        assertThat(Reconciliation.agrees(gateway, platform))
            .as("intent %s, payment %s", gateway, platform)
            .isEqualTo(INTENTS.get(gateway.name()).contains(platform));
      assertThat(Reconciliation.expected(gateway))
          .as("intent %s", gateway)
          .containsExactlyInAnyOrderElementsOf(INTENTS.get(gateway.name()));
    }
  }

  @Test
  void everyRefundStatusAgreesWithExactlyTheExpectedRefundStatuses() {
    for (RefundStatus gateway : RefundStatus.values()) {
      for (String platform : REFUND_STATUSES)
        assertThat(Reconciliation.agrees(gateway, platform))
            .as("refund %s, platform %s", gateway, platform)
            .isEqualTo(REFUNDS.get(gateway.name()).contains(platform));
      assertThat(Reconciliation.expected(gateway))
          .as("refund %s", gateway)
          .containsExactlyInAnyOrderElementsOf(REFUNDS.get(gateway.name()));
    }
  }

  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
  }
}
