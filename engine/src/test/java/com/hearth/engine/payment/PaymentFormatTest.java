package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.hearth.engine.payment.PaymentEntity.Payment;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundLine;
import java.time.Instant;
import java.util.Base64;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payments written while statuses and outcomes were strings still load now that they are enums. The
 * bytes below were serialized (Jackson CBOR, as the snapshot store and remoting do) by the code
 * before that change, from a confirming payment with one refund made and one requested.
 */
class PaymentFormatTest {

  /**
   * A {@link Payment} snapshot: status SUCCEEDED, outcome CONFIRMING, refunds SUCCEEDED and
   * REQUESTED.
   */
  private static final String STRING_STATUS_SNAPSHOT =
      "v2V0ZXJtc79pYm9va2luZ0lkY2ItMWlraXRjaGVuSWRjay0xZmhvc3RJZGZob3N0LTFocmVudGVySWRocmVudGVyLTFqdG90YWxD"
          + "ZW50cxkVJWhjdXJyZW5jeWNVU0T/aWludGVudEtleXFoZWFydGg6Yi0xOmludGVudGhpbnRlbnRJZGRwaV8xbGNsaWVudFNlY3Jl"
          + "dGtwaV8xX3NlY3JldGZzdGF0dXNpU1VDQ0VFREVEaXBhaWRDZW50cxkVJWdvdXRjb21lakNPTkZJUk1JTkdncmVmdW5kc794HWhl"
          + "YXJ0aDpiLTE6cmVmdW5kOnBhcnRpYWw6ci0xv2NrZXl4HWhlYXJ0aDpiLTE6cmVmdW5kOnBhcnRpYWw6ci0xanJlcXVlc3RLZXlj"
          + "ci0xa2Ftb3VudENlbnRzGQH0ZGtpbmRnUEFSVElBTGZyZWFzb25rYnJva2VuIG92ZW5mc3RhdHVzaVNVQ0NFRURFRGhyZWZ1bmRJ"
          + "ZGRyZV8xZ2F0dGVtcHQBa3JlcXVlc3RlZEF0dDIwMjYtMDYtMDFUMTI6MDE6MDBa/3gdaGVhcnRoOmItMTpyZWZ1bmQ6cGFydGlh"
          + "bDpyLTK/Y2tleXgdaGVhcnRoOmItMTpyZWZ1bmQ6cGFydGlhbDpyLTJqcmVxdWVzdEtleWNyLTJrYW1vdW50Q2VudHMZASxka2lu"
          + "ZGdQQVJUSUFMZnJlYXNvbvZmc3RhdHVzaVJFUVVFU1RFRGhyZWZ1bmRJZPZnYXR0ZW1wdAJrcmVxdWVzdGVkQXR0MjAyNi0wNi0w"
          + "MVQxMjowMjowMFr//2pzZWVuRXZlbnRzgWVldnRfMWhkaXNwdXRlZPRrcmVxdWVzdGVkQXR0MjAyNi0wNi0wMVQxMjowMDowMFr/";

  /** The renter's {@link PaymentView} of the same payment, as one node answered another. */
  private static final String STRING_STATUS_VIEW =
      "v2lib29raW5nSWRjYi0xaWtpdGNoZW5JZGNrLTFocmVudGVySWRocmVudGVyLTFoaW50ZW50SWRkcGlfMWxjbGllbnRTZWNyZXRr"
          + "cGlfMV9zZWNyZXRrYW1vdW50Q2VudHMZFSVoY3VycmVuY3ljVVNEZnN0YXR1c2lTVUNDRUVERURpcGFpZENlbnRzGRUlbXJlZnVu"
          + "ZGVkQ2VudHMZAfRnb3V0Y29tZWpDT05GSVJNSU5HZ3JlZnVuZHOCv2NrZXl4HWhlYXJ0aDpiLTE6cmVmdW5kOnBhcnRpYWw6ci0x"
          + "anJlcXVlc3RLZXljci0xa2Ftb3VudENlbnRzGQH0ZGtpbmRnUEFSVElBTGZyZWFzb25rYnJva2VuIG92ZW5mc3RhdHVzaVNVQ0NF"
          + "RURFRGhyZWZ1bmRJZGRyZV8xZ2F0dGVtcHQBa3JlcXVlc3RlZEF0dDIwMjYtMDYtMDFUMTI6MDE6MDBa/79ja2V5eB1oZWFydGg6"
          + "Yi0xOnJlZnVuZDpwYXJ0aWFsOnItMmpyZXF1ZXN0S2V5Y3ItMmthbW91bnRDZW50cxkBLGRraW5kZ1BBUlRJQUxmcmVhc29u9mZz"
          + "dGF0dXNpUkVRVUVTVEVEaHJlZnVuZElk9mdhdHRlbXB0AmtyZXF1ZXN0ZWRBdHQyMDI2LTA2LTAxVDEyOjAyOjAwWv9oZGlzcHV0"
          + "ZWT0/w==";

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    serialization = SerializationExtension.get(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSnapshotWrittenWithStringStatusesLoads() throws Exception {
    Payment p = (Payment) read(STRING_STATUS_SNAPSHOT, Payment.class);
    assertThat(p.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(p.outcome()).isEqualTo(PaymentOutcome.CONFIRMING);
    assertThat(p.paidCents()).isEqualTo(5413);
    assertThat(p.seenEvents()).containsExactly("evt_1");
    assertThat(p.requestedAt()).isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
    assertThat(p.refunds().values())
        .extracting(RefundLine::requestKey, RefundLine::status, RefundLine::attempt)
        .containsExactlyInAnyOrder(
            tuple("r-1", RefundLineStatus.SUCCEEDED, 1),
            tuple("r-2", RefundLineStatus.REQUESTED, 2));
    // 500 made and 300 on its way: 800 of the 5413 spoken for, 500 refunded.
    assertThat(p.refundedOrPending()).isEqualTo(800);
    assertThat(p.refunded()).isEqualTo(500);
  }

  @Test
  void aViewWrittenWithStringStatusesLoadsAndWritesTheSameNames() throws Exception {
    PaymentView v = (PaymentView) read(STRING_STATUS_VIEW, PaymentView.class);
    assertThat(v.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMING);
    assertThat(v.refunds())
        .extracting(RefundLine::status)
        .containsExactly(RefundLineStatus.SUCCEEDED, RefundLineStatus.REQUESTED);
    assertThat(v.refunds()).extracting(RefundLine::kind).containsOnly(RefundKind.PARTIAL);
    // Written again, the enums come out as the names the strings had: the same bytes.
    assertThat(Base64.getEncoder().encodeToString(serialization.serialize(v).get()))
        .isEqualTo(STRING_STATUS_VIEW);
  }

  private static Object read(String base64, Class<?> type) throws Exception {
    SerializerWithStringManifest serializer =
        (SerializerWithStringManifest) serialization.serializerFor(type);
    return serialization
        .deserialize(Base64.getDecoder().decode(base64), serializer.identifier(), type.getName())
        .get();
  }
}
