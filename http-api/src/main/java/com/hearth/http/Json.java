package com.hearth.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.stream.Collectors;

/**
 * The API's JSON: snake_case, strict about unknown fields, nulls and trailing content, and with
 * errors that name the offending field. Separate from the mapper Pekko uses for its messages.
 */
public final class Json {

  /**
   * Instants to the microsecond, as the read tables keep them: a booking read from its kitchen and
   * the same booking in a list show the same timestamps (the clock may have nanoseconds).
   */
  private static final com.fasterxml.jackson.databind.Module MICROSECOND_INSTANTS =
      new com.fasterxml.jackson.databind.module.SimpleModule("microsecond-instants")
          .addSerializer(
              java.time.Instant.class,
              new com.fasterxml.jackson.databind.JsonSerializer<java.time.Instant>() {
                @Override
                public void serialize(
                    java.time.Instant value,
                    com.fasterxml.jackson.core.JsonGenerator gen,
                    com.fasterxml.jackson.databind.SerializerProvider serializers)
                    throws java.io.IOException {
                  // Rounded half up, as the PostgreSQL driver and H2 store them.
                  gen.writeString(
                      value
                          .plusNanos(500)
                          .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                          .toString());
                }
              });

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new JavaTimeModule())
          .addModule(MICROSECOND_INSTANTS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // 4500.99 (or 4500.0) for a whole number of cents is refused, not truncated.
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  /** Same conventions with sorted keys: the canonical form used to fingerprint request bodies. */
  static final ObjectMapper CANONICAL =
      MAPPER
          .copy()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * One reader per body type: readValue(String, Class) resolved the type and its deserializer per
   * call.
   */
  private static final ClassValue<ObjectReader> READERS =
      new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
          return MAPPER.readerFor(type);
        }
      };

  private Json() {}

  /** A request body that could not be read, with the field it concerns (or "body"). */
  public static final class BadJson extends Exception {
    public final String field;

    BadJson(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  public static <T> T read(String body, Class<T> type) throws BadJson {
    if (body == null || body.isBlank()) throw new BadJson("body", "a JSON object is required");
    try {
      T value = READERS.get(type).readValue(body);
      if (value == null) throw new BadJson("body", "a JSON object is required");
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new BadJson(path(e), "unknown field");
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new BadJson(field.isEmpty() ? "body" : field, "has the wrong type or shape");
    } catch (JsonProcessingException e) {
      throw new BadJson("body", "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
