package com.hearth.engine.compliance;

import com.hearth.engine.kitchen.KitchenIds;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Document ids name their kitchen, as booking ids do, so any node routes a request about a document
 * to the kitchen's compliance entity without a database read: {@code doc_<32 hex digits of the
 * kitchen uuid><16 random hex digits>}.
 */
public final class DocumentIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "doc_";

  private DocumentIds() {}

  public static String newDocumentId(String kitchenId) {
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    return PREFIX + kitchenId.replace("-", "") + HexFormat.of().formatHex(suffix);
  }

  /** The kitchen a document id belongs to, or empty when the id is not one of ours. */
  public static Optional<String> kitchenOf(String documentId) {
    if (documentId == null || !documentId.startsWith(PREFIX)) return Optional.empty();
    return KitchenIds.kitchenOf("bk_" + documentId.substring(PREFIX.length()));
  }
}
