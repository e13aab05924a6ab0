package com.hearth.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an uploaded certificate is, judged from its bytes and never from its name or declared type:
 * PNG, JPEG, TIFF or PDF by their magic numbers, and how many pages it has (TIFF: its image
 * directories; PDF: its page objects).
 */
final class UploadedFile {

  private static final Pattern PDF_PAGE = Pattern.compile("/Type\\s*/Page(?![a-zA-Z])");
  private static final Pattern PDF_COUNT =
      Pattern.compile(
          "/Type\\s*/Pages\\b[^>]*?/Count\\s+(\\d+)|/Count\\s+(\\d+)[^>]*?/Type\\s*/Pages\\b");

  private UploadedFile() {}

  /** image/png, image/jpeg, image/tiff or application/pdf; empty for anything else. */
  static Optional<String> sniff(byte[] b) {
    if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of("image/png");
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) return Optional.of("image/jpeg");
    if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42))
      return Optional.of("image/tiff");
    if (startsWith(b, '%', 'P', 'D', 'F', '-')) return Optional.of("application/pdf");
    return Optional.empty();
  }

  /**
   * The number of pages, at least 1; a file whose structure cannot be followed counts as 1 and is
   * left to the reader.
   */
  static int pages(byte[] b, String mediaType) {
    return switch (mediaType) {
      case "image/tiff" -> tiffPages(b);
      case "application/pdf" -> pdfPages(b);
      default -> 1;
    };
  }

  /** Follows the chain of image file directories (at most {@code limit + 1} are counted). */
  private static int tiffPages(byte[] b) {
    ByteBuffer buf =
        ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    if (b.length < 8) return 1;
    long offset = Integer.toUnsignedLong(buf.getInt(4));
    int pages = 0;
    while (offset > 0 && offset + 2 <= b.length && pages <= 1000) {
      pages++;
      int entries = Short.toUnsignedInt(buf.getShort((int) offset));
      long next = offset + 2 + 12L * entries;
      if (next + 4 > b.length) break;
      long following = Integer.toUnsignedLong(buf.getInt((int) next));
      if (following <= offset) break; // a loop or a malformed chain
      offset = following;
    }
    return Math.max(pages, 1);
  }

  /** The largest /Count of a page tree, else the number of /Type /Page objects seen. */
  private static int pdfPages(byte[] b) {
    String text = new String(b, StandardCharsets.ISO_8859_1);
    int count = 0;
    Matcher tree = PDF_COUNT.matcher(text);
    while (tree.find()) {
      String n = tree.group(1) != null ? tree.group(1) : tree.group(2);
      if (n.length() < 7) count = Math.max(count, Integer.parseInt(n));
    }
    if (count > 0) return count;
    Matcher page = PDF_PAGE.matcher(text);
    while (page.find()) count++;
    return Math.max(count, 1);
  }

  private static boolean startsWith(byte[] b, int... magic) {
    if (b.length < magic.length) return false;
    for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != magic[i]) return false;
    return true;
  }
}
