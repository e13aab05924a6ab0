package com.hearth.ocr.worker.testing;

import com.hearth.ocr.CertificateField;
import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.ExtractedField;
import com.hearth.ocr.Extraction;
import com.hearth.ocr.UnreadableDocumentException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OCR seam for tests that are not about OCR: a {@link CertificateReader} that "reads" the
 * fields a test wrote into the file. {@link #certificate} makes such a file: a PNG signature (so
 * uploads sniff it as an image) followed by lines {@code FIELD=value|confidence}. A line {@code
 * UNREADABLE=reason} makes the reader call it unreadable; {@code FAIL=message} makes every read
 * fail as a transient error would. It counts the reads of each file, by its text.
 */
public final class KnownFieldsReader implements CertificateReader {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

  /**
   * A file this reader reads as {@code fields} (field -> "value|confidence"); {@code nonce} makes
   * its bytes unique.
   */
  public static byte[] certificate(String nonce, Map<String, String> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PNG);
    StringBuilder text = new StringBuilder("NONCE=" + nonce + "\n");
    fields.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Override
  public Extraction read(byte[] content, String mediaType) throws UnreadableDocumentException {
    if (content.length < PNG.length || !Arrays.equals(Arrays.copyOf(content, PNG.length), PNG))
      throw new UnreadableDocumentException("not a test certificate");
    String text =
        new String(content, PNG.length, content.length - PNG.length, StandardCharsets.UTF_8);
    reads.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
    Map<CertificateField, ExtractedField> fields = new EnumMap<>(CertificateField.class);
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) continue;
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("UNREADABLE")) throw new UnreadableDocumentException(value);
      if (key.equals("FAIL")) throw new IllegalStateException(value);
      if (key.equals("NONCE")) continue;
      int bar = value.lastIndexOf('|');
      fields.put(
          CertificateField.valueOf(key),
          new ExtractedField(
              value.substring(0, bar), Double.parseDouble(value.substring(bar + 1))));
    }
    return new Extraction(fields, 1, 0.9);
  }

  /** How many times each file was read, by its text. */
  public Map<String, AtomicInteger> reads() {
    return reads;
  }

  /** Every file read more than once. */
  public Set<String> readTwice() {
    return Set.copyOf(
        reads.entrySet().stream()
            .filter(e -> e.getValue().get() > 1)
            .map(Map.Entry::getKey)
            .toList());
  }
}
