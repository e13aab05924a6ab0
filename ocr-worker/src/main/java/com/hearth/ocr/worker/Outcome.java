package com.hearth.ocr.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.hearth.ocr.CertificateField;
import com.hearth.ocr.ExtractedField;
import com.hearth.ocr.Extraction;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a worker made of one document, as stored in {@code document_jobs.outcome_json} until it is
 * delivered: the fields read ({@code READ}), or why it cannot be read ({@code UNREADABLE}).
 */
public record Outcome(
    Kind kind,
    Map<String, Field> fields,
    Double textConfidence,
    Integer pages,
    String reason,
    int attempts) {

  public enum Kind {
    READ,
    UNREADABLE
  }

  public record Field(String value, double confidence) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static Outcome read(Extraction extraction, int attempts) {
    Map<String, Field> fields = new TreeMap<>();
    for (Map.Entry<CertificateField, ExtractedField> e : extraction.fields().entrySet())
      fields.put(e.getKey().name(), new Field(e.getValue().value(), e.getValue().confidence()));
    return new Outcome(
        Kind.READ, fields, extraction.textConfidence(), extraction.pages(), null, attempts);
  }

  public static Outcome unreadable(String reason, int attempts) {
    return new Outcome(
        Kind.UNREADABLE,
        null,
        null,
        null,
        reason == null || reason.isBlank() ? "unreadable" : reason,
        attempts);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write an outcome", e);
    }
  }

  public static Outcome fromJson(String json) {
    try {
      return JSON.readValue(json, Outcome.class);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read an outcome from " + json, e);
    }
  }
}
