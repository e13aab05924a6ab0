package com.hearth.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules as data: the built-in book, lookup by region then country then default, and a file that
 * replaces it.
 */
class ComplianceRuleBookTest {

  final ComplianceRuleBook builtIn = ComplianceRuleBook.from(ConfigFactory.empty());

  @Test
  void theBuiltInBookHasNoRulesByDefaultAndThePlatformSetInTheUs() {
    assertThat(builtIn.forJurisdiction(null).hasRules()).isFalse();
    assertThat(builtIn.forJurisdiction("FR").hasRules()).isFalse();
    ComplianceRules us = builtIn.forJurisdiction("US-CA");
    assertThat(us.jurisdiction()).isEqualTo("US");
    assertThat(us.required())
        .containsExactly(
            DocumentType.HEALTH_PERMIT,
            DocumentType.BUSINESS_LICENCE,
            DocumentType.FOOD_HANDLER_CERTIFICATE,
            DocumentType.LIABILITY_INSURANCE);
    ComplianceRules ny = builtIn.forJurisdiction("us-ny");
    assertThat(ny.required()).contains(DocumentType.FIRE_INSPECTION);
    assertThat(ny.minDaysAhead()).isEqualTo(7);
    assertThat(ny.expiringSoonDays()).isEqualTo(30);
    assertThat(ny.addressCheckedFor())
        .containsExactlyInAnyOrder(DocumentType.HEALTH_PERMIT, DocumentType.FIRE_INSPECTION);
    assertThat(builtIn.forJurisdiction("DE").nameMatchThreshold()).isEqualTo(0.9);
  }

  @Test
  void aConfiguredFileReplacesTheBuiltInBook(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.conf");
    Files.writeString(
        file,
        "defaults { review-below-confidence = 0.6 }\n"
            + "jurisdictions { FR { required = [HEALTH_PERMIT], expiring-soon-days = 60 } }\n");
    ComplianceRuleBook book =
        ComplianceRuleBook.from(
            ConfigFactory.parseMap(Map.of("hearth.compliance.rules-file", file.toString())));
    assertThat(book.forJurisdiction("FR-75").required())
        .containsExactly(DocumentType.HEALTH_PERMIT);
    assertThat(book.forJurisdiction("FR").expiringSoonDays()).isEqualTo(60);
    assertThat(book.forJurisdiction("FR").reviewBelowConfidence()).isEqualTo(0.6);
    assertThat(book.forJurisdiction("US").hasRules()).isFalse();
  }

  @Test
  void aBrokenBookIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
    assertThatThrownBy(
            () ->
                ComplianceRuleBook.parse(
                    ConfigFactory.parseString("jurisdictions { X { required = [PASSPORT] } }")))
        .hasMessageContaining("PASSPORT");
    assertThatThrownBy(
            () ->
                ComplianceRuleBook.parse(
                    ConfigFactory.parseString(
                        "jurisdictions { X { required = [HEALTH_PERMIT], name-match-threshold = 1.5 } }")))
        .hasMessageContaining("name-match-threshold");
    assertThatThrownBy(
            () ->
                ComplianceRuleBook.from(
                    ConfigFactory.parseMap(
                        Map.of(
                            "hearth.compliance.rules-file",
                            dir.resolve("missing.conf").toString()))))
        .hasMessageContaining("no such file");
  }
}
