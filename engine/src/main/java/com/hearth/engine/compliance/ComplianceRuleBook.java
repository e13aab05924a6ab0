package com.hearth.engine.compliance;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compliance rules of every jurisdiction, as data: {@code compliance-rules.conf} in the engine
 * (HOCON), or the file named by {@code hearth.compliance.rules-file}
 * (HEARTH_COMPLIANCE_RULES_FILE), which replaces it. A host's jurisdiction is looked up as given
 * ({@code US-NY}), then by its country ({@code US}), then {@code default}. See docs/compliance.md
 * for the format.
 */
public final class ComplianceRuleBook {

  public static final String RESOURCE = "compliance-rules.conf";

  private final Map<String, ComplianceRules> byJurisdiction;
  private final ComplianceRules fallback;

  private ComplianceRuleBook(Map<String, ComplianceRules> byJurisdiction) {
    this.byJurisdiction = Map.copyOf(byJurisdiction);
    this.fallback = byJurisdiction.get("default");
  }

  /**
   * The rules the node is configured with; a file that is named but missing or wrong stops the
   * node.
   */
  public static ComplianceRuleBook from(Config config) {
    String file =
        config.hasPath("hearth.compliance.rules-file")
            ? config.getString("hearth.compliance.rules-file")
            : "";
    if (file.isBlank())
      return parse(
          ConfigFactory.parseResources(
              ComplianceRuleBook.class.getClassLoader(),
              RESOURCE,
              ConfigParseOptions.defaults().setAllowMissing(false)));
    File f = new File(file);
    if (!f.isFile())
      throw new IllegalArgumentException("hearth.compliance.rules-file: no such file " + file);
    return parse(ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false)));
  }

  /**
   * Reads a rule book: {@code defaults} for every jurisdiction, {@code jurisdictions.<name>}
   * overriding them.
   */
  public static ComplianceRuleBook parse(Config book) {
    Config defaults = book.hasPath("defaults") ? book.getConfig("defaults") : ConfigFactory.empty();
    Map<String, ComplianceRules> rules = new HashMap<>();
    if (book.hasPath("jurisdictions")) {
      Config all = book.getConfig("jurisdictions");
      for (String key : all.root().keySet()) {
        Config one = all.getConfig("\"" + key + "\"").withFallback(defaults);
        rules.put(
            key.toUpperCase(Locale.ROOT).equals("DEFAULT")
                ? "default"
                : key.toUpperCase(Locale.ROOT),
            rulesOf(key, one));
      }
    }
    rules.putIfAbsent(
        "default",
        rulesOf(
            "default",
            ConfigFactory.parseMap(Map.of("required", List.of())).withFallback(defaults)));
    return new ComplianceRuleBook(rules);
  }

  private static ComplianceRules rulesOf(String name, Config c) {
    try {
      return new ComplianceRules(
          name,
          types(c.getStringList("required")),
          c.hasPath("min-days-ahead") ? c.getInt("min-days-ahead") : 0,
          c.hasPath("name-match-threshold") ? c.getDouble("name-match-threshold") : 0.85,
          c.hasPath("address-match-threshold") ? c.getDouble("address-match-threshold") : 0.8,
          c.hasPath("review-below-confidence") ? c.getDouble("review-below-confidence") : 0.8,
          c.hasPath("expiring-soon-days") ? c.getInt("expiring-soon-days") : 30,
          new HashSet<>(
              types(
                  c.hasPath("address-checked-for")
                      ? c.getStringList("address-checked-for")
                      : List.of())));
    } catch (com.typesafe.config.ConfigException e) {
      throw new IllegalArgumentException("compliance rules of " + name + ": " + e.getMessage(), e);
    }
  }

  private static List<DocumentType> types(List<String> names) {
    return names.stream()
        .map(
            n -> {
              try {
                return DocumentType.valueOf(n);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "unknown document type " + n + "; known: " + List.of(DocumentType.values()));
              }
            })
        .toList();
  }

  /**
   * The rules for {@code US-NY}, else {@code US}, else the default; null or blank gives the
   * default.
   */
  public ComplianceRules forJurisdiction(String jurisdiction) {
    if (jurisdiction == null || jurisdiction.isBlank()) return fallback;
    String key = jurisdiction.toUpperCase(Locale.ROOT);
    ComplianceRules exact = byJurisdiction.get(key);
    if (exact != null) return exact;
    int dash = key.indexOf('-');
    if (dash > 0) {
      ComplianceRules country = byJurisdiction.get(key.substring(0, dash));
      if (country != null) return country;
    }
    return fallback;
  }

  /**
   * The lowest review threshold of any jurisdiction: a reading above it needs no admin anywhere.
   */
  public double highestReviewThreshold() {
    return byJurisdiction.values().stream()
        .mapToDouble(ComplianceRules::reviewBelowConfidence)
        .max()
        .orElse(0.0);
  }
}
