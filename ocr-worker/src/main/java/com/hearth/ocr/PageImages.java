package com.hearth.ocr;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Decodes an upload into page images: PNG and JPEG are one page, TIFF and PDF may have several. PDF
 * pages are rendered in grey at {@value #PDF_DPI} DPI. Limits guard against decompression bombs: at
 * most {@value #MAX_PAGES} pages and {@value #MAX_PIXELS} pixels per page.
 */
final class PageImages {
  static final int MAX_PAGES = 20;
  static final int PDF_DPI = 300;
  static final long MAX_PIXELS = 60_000_000L;

  /** A decoded page and the resolution it was scanned or rendered at (0 when unknown). */
  record Page(BufferedImage image, int dpi) {}

  private PageImages() {}

  /** Receives the pages one at a time, so that a long PDF is never held rendered in memory. */
  interface PageConsumer {
    void accept(Page page) throws UnreadableDocumentException;
  }

  /** Decodes every page, handing each to {@code consumer}; returns the number of pages. */
  static int decode(byte[] content, String mediaType, PageConsumer consumer)
      throws UnreadableDocumentException {
    if (content == null || content.length == 0) {
      throw new UnreadableDocumentException("the document is empty");
    }
    String type = mediaType == null ? "" : mediaType.toLowerCase(java.util.Locale.ROOT).strip();
    return switch (type) {
      case "application/pdf" -> pdf(content, consumer);
      case "image/png", "image/jpeg", "image/tiff" -> images(content, type, consumer);
      default ->
          throw new UnreadableDocumentException(
              "unsupported media type '" + mediaType + "': PNG, JPEG, TIFF or PDF only");
    };
  }

  private static int pdf(byte[] content, PageConsumer consumer) throws UnreadableDocumentException {
    try (PDDocument document = Loader.loadPDF(content)) {
      int pages = document.getNumberOfPages();
      if (pages == 0) {
        throw new UnreadableDocumentException("the PDF has no pages");
      }
      if (pages > MAX_PAGES) {
        throw new UnreadableDocumentException(
            "the PDF has " + pages + " pages; at most " + MAX_PAGES + " are read");
      }
      PDFRenderer renderer = new PDFRenderer(document);
      for (int i = 0; i < pages; i++) {
        PDPage page = document.getPage(i);
        PDRectangle box = page.getCropBox();
        double scale = PDF_DPI / 72.0;
        long pixels = (long) (box.getWidth() * scale) * (long) (box.getHeight() * scale);
        int dpi = PDF_DPI;
        if (pixels > MAX_PIXELS) {
          dpi = (int) (PDF_DPI * Math.sqrt((double) MAX_PIXELS / pixels));
        }
        if (dpi < 50) {
          throw new UnreadableDocumentException(
              "page " + (i + 1) + " of the PDF is too large to read");
        }
        consumer.accept(new Page(renderer.renderImageWithDPI(i, dpi, ImageType.GRAY), dpi));
      }
      return pages;
    } catch (IOException e) {
      throw new UnreadableDocumentException("the PDF cannot be read: " + e.getMessage(), e);
    }
  }

  private static int images(byte[] content, String type, PageConsumer consumer)
      throws UnreadableDocumentException {
    // In memory: ImageIO's default stream caches to a temporary file, slow on a busy disk.
    try (ImageInputStream input =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        throw new UnreadableDocumentException("the " + type + " image cannot be decoded");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, false, true);
        // Only TIFF holds several pages; asking a JPEG reader for a second image scans the file.
        int pages = type.equals("image/tiff") ? reader.getNumImages(true) : 1;
        if (pages < 1) {
          throw new UnreadableDocumentException("the " + type + " image has no pages");
        }
        if (pages > MAX_PAGES) {
          throw new UnreadableDocumentException(
              "the image has " + pages + " pages; at most " + MAX_PAGES + " are read");
        }
        for (int i = 0; i < pages; i++) {
          long pixels = (long) reader.getWidth(i) * reader.getHeight(i);
          if (pixels > MAX_PIXELS) {
            throw new UnreadableDocumentException(
                "the image is too large: "
                    + reader.getWidth(i)
                    + " x "
                    + reader.getHeight(i)
                    + " pixels");
          }
          consumer.accept(new Page(reader.read(i), dpi(reader, i)));
        }
        return pages;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new UnreadableDocumentException(
          "the " + type + " image cannot be decoded: " + e.getMessage(), e);
    }
  }

  /** The resolution recorded in the image's standard metadata, or 0. */
  private static int dpi(ImageReader reader, int index) {
    try {
      var metadata = reader.getImageMetadata(index);
      if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
        return 0;
      }
      var root = (org.w3c.dom.Element) metadata.getAsTree("javax_imageio_1.0");
      var nodes = root.getElementsByTagName("HorizontalPixelSize");
      if (nodes.getLength() == 0) {
        return 0;
      }
      double millimetresPerPixel =
          Double.parseDouble(((org.w3c.dom.Element) nodes.item(0)).getAttribute("value"));
      int dpi = (int) Math.round(25.4 / millimetresPerPixel);
      return dpi >= 50 && dpi <= 1200 ? dpi : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
