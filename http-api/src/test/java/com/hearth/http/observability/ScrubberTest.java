package com.hearth.http.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrubberTest {

  @Test
  void emailsTokensAndHeaderValuesAreRemoved() {
    String line =
        Scrubber.scrub(
            "renter jane.doe+x@example.co.uk sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abcdefg"
                + " and Stripe-Signature: t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd");
    assertThat(line)
        .doesNotContain("jane")
        .doesNotContain("example.co.uk")
        .doesNotContain("eyJ")
        .doesNotContain("5257a869")
        .contains("[email]")
        .contains("Authorization: [redacted]")
        .contains("Stripe-Signature: [redacted]");
  }

  @Test
  void jwtsAndBearerTokensAloneAreRemoved() {
    assertThat(Scrubber.scrub("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig_nature-1 expired"))
        .isEqualTo("token [token] expired");
    assertThat(Scrubber.scrub("retrying with bearer abc.def-123"))
        .isEqualTo("retrying with bearer [redacted]");
  }

  @Test
  void stripeSecretsAndSignaturesAreRemoved() {
    // Made-up values, assembled so that no string in the repository looks like a real key.
    String liveKey = "sk_" + "live_" + "FAKEFAKEFAKE0000";
    String line =
        Scrubber.scrub(
            "key "
                + liveKey
                + ", hook whsec_"
                + "FAKE0000"
                + ", secret pi_FAKE_secret_FAKE sig t=1700000000,v1=00112233445566778899aabb");
    assertThat(line)
        .doesNotContain("sk_live")
        .doesNotContain("FAKEFAKEFAKE")
        .doesNotContain("whsec_")
        .doesNotContain("_secret_")
        .doesNotContain("00112233");
  }

  @Test
  void accountSecretsAreRemoved() {
    String refresh = "hrt_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v";
    String line =
        Scrubber.scrub(
            "body {\"accessToken\":\"opaque\",\"refreshToken\":\"x\",\"password\":\"hunter2hunter2\"}"
                + " cookie hearth_refresh="
                + refresh
                + " alone "
                + refresh
                + " hash $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    assertThat(line)
        .doesNotContain("opaque")
        .doesNotContain("hunter2")
        .doesNotContain(refresh)
        .doesNotContain("c2FsdA")
        .contains("[hash]");
  }

  @Test
  void cardNumbersAreRemovedButOtherNumbersStay() {
    assertThat(Scrubber.scrub("card 4242 4242 4242 4242 declined"))
        .isEqualTo("card [card] declined");
    assertThat(Scrubber.scrub("card 4000-0566-5566-5556")).isEqualTo("card [card]");
    // Not Luhn-valid: an ordering or a timestamp in nanoseconds stays readable.
    assertThat(Scrubber.scrub("ordering 1234567890123 at 1700000000123456789"))
        .contains("1234567890123")
        .contains("1700000000123456789");
  }

  @Test
  void namedFieldsLoseTheirValues() {
    assertThat(
            Scrubber.scrub(
                "{\"name\":\"Jane Doe\",\"kitchen_id\":\"k-1\",\"password\":\"hunter2\"}"))
        .isEqualTo("{\"name\":[redacted],\"kitchen_id\":\"k-1\",\"password\":[redacted]}");
    assertThat(Scrubber.scrub("holder=Jane secret=abc, booking=b-1"))
        .isEqualTo("holder=[redacted] secret=[redacted], booking=b-1");
  }

  @Test
  void idsAndOrdinaryTextStay() {
    String line =
        "kitchen k-3f2a: dropped 2 waiting hold(s) past their deadline; booking k-3f2a-b-77 CONFIRMED";
    assertThat(Scrubber.scrub(line)).isEqualTo(line);
  }
}
