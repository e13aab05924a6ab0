package com.hearth.http;

import com.hearth.engine.compliance.Document;
import com.hearth.projections.OnboardingQueries.Content;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * An uploaded certificate's bytes as the kitchen's host or an admin downloads them: always as an
 * attachment of the type sniffed at upload, never rendered by the browser in the API's origin (a
 * sandboxing Content-Security-Policy and {@code nosniff}), and never kept by caches.
 */
final class DocumentFile {

  private DocumentFile() {}

  static HttpResponse of(Document document, Content content) {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(contentType(content.mediaType()), content.bytes())
        .addHeaders(
            List.of(
                RawHeader.create(
                    "Content-Disposition",
                    "attachment; filename=\""
                        + document.documentId()
                        + extension(content.mediaType())
                        + "\""),
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("Content-Security-Policy", "sandbox; default-src 'none'"),
                RawHeader.create("Cache-Control", "private, no-store")));
  }

  /** The four kinds an upload may be (UploadedFile.sniff); anything else is plain bytes. */
  private static ContentType contentType(String mediaType) {
    return switch (mediaType) {
      case "image/png" -> MediaTypes.IMAGE_PNG.toContentType();
      case "image/jpeg" -> MediaTypes.IMAGE_JPEG.toContentType();
      case "image/tiff" -> MediaTypes.IMAGE_TIFF.toContentType();
      case "application/pdf" -> MediaTypes.APPLICATION_PDF.toContentType();
      default -> MediaTypes.APPLICATION_OCTET_STREAM.toContentType();
    };
  }

  private static String extension(String mediaType) {
    return switch (mediaType) {
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/tiff" -> ".tiff";
      case "application/pdf" -> ".pdf";
      default -> "";
    };
  }
}
