package com.hearth.ocr;

import com.hearth.engine.compliance.DocumentType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Draws certificates from known field values, as scanners and phones deliver them, so that the
 * reader can be scored against the truth. Everything follows from a seed: the same seed gives the
 * same documents on every machine with the same fonts.
 *
 * <p>Four layouts (a letter with "Label: value" lines, a two-column table, a form of boxed fields
 * with labels above values, and a prose certificate), four font families, sizes from 9 to 12 points
 * at 200 DPI, six date spellings and many label spellings. Degradations: rotation, noise, blur,
 * JPEG artefacts, low resolution, and photographs (perspective, uneven light, tinted paper).
 */
final class CertificateGenerator {
  static final int DPI = 200;
  static final int PAGE_WIDTH = (int) (8.5 * DPI);
  static final int PAGE_HEIGHT = 11 * DPI;

  enum Layout {
    LETTER,
    TABLE,
    FORM,
    PROSE
  }

  enum DateStyle {
    ISO("yyyy-MM-dd"),
    US_NUMERIC("MM/dd/yyyy"),
    DAY_FIRST_NUMERIC("dd/MM/yyyy"),
    LONG_MONTH_FIRST("MMMM d, yyyy"),
    LONG_DAY_FIRST("d MMMM yyyy"),
    ABBREVIATED("dd-MMM-yyyy");

    private final DateTimeFormatter format;

    DateStyle(String pattern) {
      this.format = DateTimeFormatter.ofPattern(pattern, Locale.US);
    }

    String format(LocalDate date) {
      String text = format.format(date);
      return this == ABBREVIATED ? text.toUpperCase(Locale.ROOT) : text;
    }
  }

  /** How a document is degraded after drawing. */
  enum Degradation {
    NONE,
    ROTATED,
    NOISY,
    BLURRED,
    JPEG,
    LOW_RESOLUTION,
    PHOTO
  }

  /** How a document is drawn. */
  record Style(Layout layout, String font, int size, DateStyle dates, long seed) {}

  private static final String[] FONTS = fonts();

  private static String[] fonts() {
    List<String> available =
        Arrays.asList(
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
    List<String> fonts = new ArrayList<>(List.of("SansSerif", "Serif", "Monospaced"));
    fonts.add(available.contains("DejaVu Sans Condensed") ? "DejaVu Sans Condensed" : "Dialog");
    return fonts.toArray(String[]::new);
  }

  private static final String[] FIRST = {
    "Harbor", "Golden", "Blue Door", "Maple", "Riverside", "Union", "Copper Pot", "Saffron",
    "Northgate", "Little", "Old Mill", "Sunrise", "Iron Skillet", "Green Fork", "Bayview", "Elm"
  };
  private static final String[] SECOND = {
    "Kitchen",
    "Bakery",
    "Foods",
    "Catering",
    "Commissary",
    "Provisions",
    "Eatery",
    "Pantry",
    "Dumplings",
    "Tacos",
    "Bistro",
    "Creamery"
  };
  private static final String[] SUFFIX = {"LLC", "Inc.", "Co.", "Ltd", "LLC", ""};
  private static final String[] PEOPLE = {
    "Maria L. Okafor", "James Whitfield", "Ana Beatriz Souza", "Kenji Tanaka", "Fatima Haddad",
    "Liam O'Connor", "Priya Raman", "Samuel Osei", "Elena Petrova", "Daniel Kim"
  };
  private static final String[] STREETS = {
    "Harbor Street", "Main Street", "Commerce Avenue", "Industrial Way", "Oak Boulevard",
    "Market Street", "Lake Road", "Mill Lane", "Station Plaza", "Cedar Drive"
  };
  private static final String[][] PLACES = {
    {"Brooklyn", "NY", "11201"}, {"Austin", "TX", "78701"}, {"Portland", "OR", "97204"},
    {"Denver", "CO", "80202"}, {"Oakland", "CA", "94607"}, {"Madison", "WI", "53703"},
    {"Raleigh", "NC", "27601"}, {"Tucson", "AZ", "85701"}
  };
  private static final String[] INSURERS = {
    "Hartwell Mutual Insurance Company",
    "Northbridge Casualty Company",
    "Granite State Assurance Company"
  };

  private CertificateGenerator() {}

  /** A certificate of a random type, issued within the last two years of {@code today}. */
  static CertificateTruth randomTruth(Random random, LocalDate today, boolean dayAboveTwelve) {
    DocumentType type = DocumentType.values()[random.nextInt(DocumentType.values().length)];
    String[] place = PLACES[random.nextInt(PLACES.length)];
    String city = place[0];
    String holder =
        type == DocumentType.FOOD_HANDLER_CERTIFICATE
            ? pick(random, PEOPLE)
            : (pick(random, FIRST) + " " + pick(random, SECOND) + " " + pick(random, SUFFIX))
                .strip();
    String authority =
        switch (type) {
          case HEALTH_PERMIT ->
              pick(
                  random,
                  new String[] {
                    city + " Department of Public Health",
                    "County of " + city + " Environmental Health Services",
                    city + " Health Department"
                  });
          case FOOD_HANDLER_CERTIFICATE ->
              pick(
                  random,
                  new String[] {
                    "National Food Safety Institute",
                    city + " Food Protection Board",
                    "State Board of Food Safety"
                  });
          case BUSINESS_LICENCE ->
              pick(
                  random,
                  new String[] {
                    "City of " + city + " Business Licensing Office",
                    city + " Office of the City Clerk",
                    "City of " + city + " Revenue Division"
                  });
          case LIABILITY_INSURANCE -> pick(random, INSURERS);
          case FIRE_INSPECTION ->
              pick(
                  random,
                  new String[] {
                    city + " Fire Department",
                    "Office of the " + city + " Fire Marshal",
                    city + " Fire and Rescue Services"
                  });
        };
    String prefix =
        switch (type) {
          case HEALTH_PERMIT -> pick(random, new String[] {"HP", "PT", "FSE"});
          case FOOD_HANDLER_CERTIFICATE -> pick(random, new String[] {"FH", "FS"});
          case BUSINESS_LICENCE -> pick(random, new String[] {"BL", "BT", "LIC"});
          case LIABILITY_INSURANCE -> pick(random, new String[] {"GL", "CGL", "PL"});
          case FIRE_INSPECTION -> pick(random, new String[] {"FI", "FD"});
        };
    LocalDate issued = today.minusDays(random.nextInt(730));
    if (dayAboveTwelve && issued.getDayOfMonth() <= 12) {
      issued = issued.withDayOfMonth(13 + random.nextInt(15));
    }
    String number =
        switch (random.nextInt(3)) {
          case 0 ->
              prefix + "-" + issued.getYear() + "-" + String.format("%05d", random.nextInt(100000));
          case 1 -> prefix + String.format("%07d", random.nextInt(10_000_000));
          default ->
              String.format("%02d-%05d", random.nextInt(100), random.nextInt(100000))
                  + prefix.charAt(0);
        };
    LocalDate expires =
        issued.plusYears(random.nextInt(3) == 0 ? 2 : 1).minusDays(random.nextInt(2));
    if (dayAboveTwelve && expires.getDayOfMonth() <= 12) {
      expires = expires.withDayOfMonth(13 + random.nextInt(15));
    }
    String street = (100 + random.nextInt(9800)) + " " + pick(random, STREETS);
    String cityLine = city + ", " + place[1] + " " + place[2];
    boolean hasAddress = type != DocumentType.FOOD_HANDLER_CERTIFICATE;
    return new CertificateTruth(
        type,
        holder,
        number,
        authority,
        issued,
        expires,
        hasAddress ? street : null,
        hasAddress ? cityLine : null);
  }

  /** A random style for a document; day-first numeric dates only when {@code dayAboveTwelve}. */
  static Style randomStyle(Random random, boolean dayAboveTwelve) {
    Layout layout = Layout.values()[random.nextInt(Layout.values().length)];
    DateStyle dates;
    do {
      dates = DateStyle.values()[random.nextInt(DateStyle.values().length)];
    } while (dates == DateStyle.DAY_FIRST_NUMERIC && !dayAboveTwelve);
    return new Style(
        layout,
        FONTS[random.nextInt(FONTS.length)],
        25 + random.nextInt(9),
        dates,
        random.nextLong());
  }

  private static String pick(Random random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  // ---------------------------------------------------------------- drawing

  private static final class Page {
    final BufferedImage image =
        new BufferedImage(PAGE_WIDTH, PAGE_HEIGHT, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = image.createGraphics();
    final Style style;
    int y;

    Page(Style style) {
      this.style = style;
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, PAGE_WIDTH, PAGE_HEIGHT);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
    }

    Font font(int style, double scale) {
      return new Font(this.style.font(), style, (int) Math.round(this.style.size() * scale));
    }

    /** Draws text with its left edge at x (or centred when x is negative) on the current line. */
    int text(String text, int x, Font font) {
      g.setFont(font);
      FontMetrics metrics = g.getFontMetrics();
      int left = x < 0 ? (PAGE_WIDTH - metrics.stringWidth(text)) / 2 : x;
      g.drawString(text, left, y + metrics.getAscent());
      return left + metrics.stringWidth(text);
    }

    void advance(Font font, double lines) {
      g.setFont(font);
      y += (int) Math.round(g.getFontMetrics().getHeight() * lines);
    }
  }

  /** Draws the certificate on a white letter page at {@value #DPI} DPI. */
  static BufferedImage render(CertificateTruth truth, Style style) {
    Random random = new Random(style.seed());
    Page page = new Page(style);
    Labels labels = Labels.pick(truth.type(), random);
    if (random.nextBoolean()) {
      page.g.setStroke(new BasicStroke(6));
      page.g.drawRect(60, 60, PAGE_WIDTH - 120, PAGE_HEIGHT - 120);
      page.g.setStroke(new BasicStroke(2));
      page.g.drawRect(80, 80, PAGE_WIDTH - 160, PAGE_HEIGHT - 160);
    }
    page.y = 200 + random.nextInt(120);
    switch (style.layout()) {
      case LETTER -> letter(page, truth, labels, random);
      case TABLE -> table(page, truth, labels, random);
      case FORM -> form(page, truth, labels, random);
      case PROSE -> prose(page, truth, labels, random);
    }
    Font small = page.font(Font.ITALIC, 0.75);
    page.y = Math.max(page.y + 80, PAGE_HEIGHT - 420);
    page.text(labels.notice(), 200, small);
    page.g.dispose();
    return page.image;
  }

  private static void header(
      Page page, CertificateTruth truth, Labels labels, Random random, boolean centred) {
    int x = centred ? -1 : 200;
    Font authority = page.font(Font.BOLD, 1.15);
    page.text(labels.authorityCase(truth.authority()), x, authority);
    page.advance(authority, 1.6);
    Font title = page.font(Font.BOLD, 1.6);
    page.text(labels.title(), x, title);
    page.advance(title, 2.0);
    page.g.setStroke(new BasicStroke(3));
    page.g.drawLine(200, page.y - 20, PAGE_WIDTH - 200, page.y - 20);
    page.advance(title, 0.6);
  }

  private static List<String[]> rows(CertificateTruth truth, Labels labels, Style style) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {labels.holder(), truth.holder()});
    rows.add(new String[] {labels.number(), truth.number()});
    if (truth.street() != null) {
      rows.add(new String[] {labels.address(), truth.street(), truth.city()});
    }
    rows.add(new String[] {labels.issued(), style.dates().format(truth.issued())});
    rows.add(new String[] {labels.expires(), style.dates().format(truth.expires())});
    return rows;
  }

  private static void letter(Page page, CertificateTruth truth, Labels labels, Random random) {
    header(page, truth, labels, random, true);
    Font label = page.font(random.nextBoolean() ? Font.BOLD : Font.PLAIN, 1.0);
    Font value = page.font(Font.PLAIN, 1.0);
    boolean addressOnTwoLines = random.nextBoolean();
    for (String[] row : rows(truth, labels, page.style)) {
      int end = page.text(row[0] + ":", 220, label);
      String v = row.length == 3 && !addressOnTwoLines ? row[1] + ", " + row[2] : row[1];
      page.text(v, end + 24, value);
      page.advance(value, 1.9);
      if (row.length == 3 && addressOnTwoLines) {
        page.text(row[2], end + 24, value);
        page.advance(value, 1.9);
      }
    }
  }

  private static void table(Page page, CertificateTruth truth, Labels labels, Random random) {
    header(page, truth, labels, random, false);
    Font label = page.font(Font.BOLD, 1.0);
    Font value = page.font(Font.PLAIN, 1.05);
    int valueX = 760;
    boolean rules = random.nextBoolean();
    List<String[]> rows = rows(truth, labels, page.style);
    rows.add(1, new String[] {"Issued by", truth.authority()});
    page.g.setStroke(new BasicStroke(2));
    for (String[] row : rows) {
      page.text(row[0], 220, label);
      page.text(row.length == 3 ? row[1] + ", " + row[2] : row[1], valueX, value);
      page.advance(value, 1.4);
      if (rules) {
        page.g.setColor(Color.GRAY);
        page.g.drawLine(200, page.y, PAGE_WIDTH - 200, page.y);
        page.g.setColor(Color.BLACK);
      }
      page.advance(value, 0.6);
    }
  }

  private static void form(Page page, CertificateTruth truth, Labels labels, Random random) {
    header(page, truth, labels, random, random.nextBoolean());
    Font label = page.font(Font.PLAIN, 0.72);
    Font value = page.font(Font.BOLD, 1.0);
    List<String[]> cells = new ArrayList<>();
    List<String[]> rows = rows(truth, labels, page.style);
    cells.add(rows.get(0));
    cells.add(rows.get(1));
    if (truth.street() != null) {
      String[] address = rows.get(2);
      cells.add(new String[] {address[0], address[1] + ", " + address[2], "wide"});
    }
    cells.add(rows.get(rows.size() - 2));
    cells.add(rows.get(rows.size() - 1));
    cells.add(new String[] {"Issuing Authority", truth.authority(), "wide"});
    int left = 200;
    int columnWidth = (PAGE_WIDTH - 400) / 2;
    int cellHeight = (int) (page.style.size() * 3.4);
    int column = 0;
    boolean boxes = random.nextBoolean();
    page.g.setStroke(new BasicStroke(2));
    for (String[] cell : cells) {
      boolean wide = cell.length == 3;
      if (wide && column == 1) {
        column = 0;
        page.y += cellHeight;
      }
      int x = left + column * columnWidth;
      int width = wide ? 2 * columnWidth : columnWidth;
      if (boxes) {
        page.g.setColor(Color.DARK_GRAY);
        page.g.drawRect(x, page.y, width - 20, cellHeight - 16);
        page.g.setColor(Color.BLACK);
      }
      int top = page.y;
      page.y = top + 10;
      page.text(cell[0].toUpperCase(Locale.ROOT), x + 16, label);
      page.advance(label, 1.25);
      page.text(cell[1], x + 16, value);
      page.y = top;
      if (wide || column == 1) {
        column = 0;
        page.y += cellHeight;
      } else {
        column = 1;
      }
    }
    if (column == 1) {
      page.y += cellHeight;
    }
  }

  private static void prose(Page page, CertificateTruth truth, Labels labels, Random random) {
    header(page, truth, labels, random, true);
    Font body = page.font(Font.PLAIN, 1.05);
    Font name = page.font(Font.BOLD, 1.5);
    page.text(random.nextBoolean() ? "This is to certify that" : "This certifies that", -1, body);
    page.advance(body, 1.6);
    page.text(truth.holder(), -1, name);
    page.advance(name, 1.6);
    if (truth.street() != null) {
      page.text("located at", -1, body);
      page.advance(body, 1.5);
      page.text(truth.address(), -1, body);
      page.advance(body, 1.6);
    }
    page.text(labels.prose(), -1, body);
    page.advance(body, 1.6);
    page.text(labels.number() + " " + truth.number(), -1, body);
    page.advance(body, 2.2);
    DateStyle dates = page.style.dates();
    if (random.nextBoolean()) {
      page.text(
          "Valid from " + dates.format(truth.issued()) + " until " + dates.format(truth.expires()),
          -1,
          body);
      page.advance(body, 1.6);
    } else {
      page.text(labels.issued() + ": " + dates.format(truth.issued()), -1, body);
      page.advance(body, 1.6);
      page.text(labels.expires() + ": " + dates.format(truth.expires()), -1, body);
      page.advance(body, 1.6);
    }
  }

  // ---------------------------------------------------------------- degradation

  /** The page after a degradation, as a scanner or phone would deliver it. */
  static BufferedImage degrade(BufferedImage page, Degradation degradation, Random random) {
    return switch (degradation) {
      case NONE -> page;
      case ROTATED ->
          rotate(page, (random.nextBoolean() ? 1 : -1) * (1.0 + random.nextDouble() * 3.0));
      case NOISY -> noise(rotate(page, random.nextGaussian() * 0.7), random, 28);
      case BLURRED -> blur(page, 5);
      case JPEG -> jpegRoundTrip(noise(page, random, 10), 0.3f + random.nextFloat() * 0.2f);
      case LOW_RESOLUTION -> jpegRoundTrip(scale(page, 0.62), 0.75f);
      case PHOTO -> photo(page, random);
    };
  }

  static BufferedImage rotate(BufferedImage page, double degrees) {
    BufferedImage result =
        new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = result.createGraphics();
    g.setColor(new Color(248, 248, 248));
    g.fillRect(0, 0, result.getWidth(), result.getHeight());
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(
        page,
        AffineTransform.getRotateInstance(
            Math.toRadians(degrees), page.getWidth() / 2.0, page.getHeight() / 2.0),
        null);
    g.dispose();
    return result;
  }

  static BufferedImage noise(BufferedImage page, Random random, double sigma) {
    BufferedImage result = copy(page);
    for (int y = 0; y < result.getHeight(); y++) {
      for (int x = 0; x < result.getWidth(); x++) {
        int rgb = result.getRGB(x, y);
        int n = (int) (random.nextGaussian() * sigma);
        int r = clamp(((rgb >> 16) & 0xff) + n);
        int gr = clamp(((rgb >> 8) & 0xff) + n);
        int b = clamp((rgb & 0xff) + n);
        result.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    return result;
  }

  static BufferedImage blur(BufferedImage page, int size) {
    float[] kernel = new float[size * size];
    Arrays.fill(kernel, 1f / (size * size));
    BufferedImage result =
        new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_INT_RGB);
    new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null)
        .filter(page, result);
    return result;
  }

  static BufferedImage scale(BufferedImage page, double factor) {
    int width = (int) (page.getWidth() * factor);
    int height = (int) (page.getHeight() * factor);
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = result.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(page, 0, 0, width, height, null);
    g.dispose();
    return result;
  }

  /**
   * A phone photo of the page lying on a desk: seen slightly from one side (a shear and unequal
   * scale), turned a little, on a darker background, lit unevenly from one corner with a vignette,
   * on tinted paper, and saved as a JPEG at phone-like resolution.
   */
  static BufferedImage photo(BufferedImage page, Random random) {
    int width = (int) (page.getWidth() * 1.12);
    int height = (int) (page.getHeight() * 1.08);
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = result.createGraphics();
    g.setColor(
        new Color(70 + random.nextInt(40), 60 + random.nextInt(30), 50 + random.nextInt(30)));
    g.fillRect(0, 0, width, height);
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    AffineTransform transform = new AffineTransform();
    transform.translate(width * 0.06, height * 0.04);
    transform.rotate(
        Math.toRadians(random.nextGaussian() * 1.5), page.getWidth() / 2.0, page.getHeight() / 2.0);
    transform.shear((random.nextDouble() - 0.5) * 0.04, (random.nextDouble() - 0.5) * 0.03);
    transform.scale(1.0 - random.nextDouble() * 0.04, 1.0 - random.nextDouble() * 0.04);
    g.drawImage(tint(page, random), transform, null);
    float cx = (float) (random.nextDouble() * width);
    float cy = (float) (random.nextDouble() * height);
    g.setPaint(
        new GradientPaint(
            cx,
            cy,
            new Color(255, 255, 255, 0),
            width - cx,
            height - cy,
            new Color(0, 0, 0, 70 + random.nextInt(50))));
    g.fillRect(0, 0, width, height);
    g.setPaint(
        new RadialGradientPaint(
            width / 2f,
            height / 2f,
            Math.max(width, height) * 0.75f,
            new float[] {0.5f, 1f},
            new Color[] {new Color(0, 0, 0, 0), new Color(0, 0, 0, 90)}));
    g.fillRect(0, 0, width, height);
    g.dispose();
    BufferedImage small = scale(blur(result, 3), 0.7);
    return jpegRoundTrip(noise(small, random, 6), 0.7f);
  }

  private static BufferedImage tint(BufferedImage page, Random random) {
    BufferedImage result = copy(page);
    Graphics2D g = result.createGraphics();
    g.setColor(new Color(255, 235 + random.nextInt(15), 190 + random.nextInt(50), 60));
    g.fillRect(0, 0, result.getWidth(), result.getHeight());
    g.dispose();
    return result;
  }

  private static BufferedImage copy(BufferedImage page) {
    BufferedImage result =
        new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = result.createGraphics();
    g.drawImage(page, 0, 0, null);
    g.dispose();
    return result;
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }

  // ---------------------------------------------------------------- encodings

  static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  static byte[] tiff(BufferedImage image) {
    return encode(image, "tiff");
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(stream);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.write(null, new IIOImage(rgb(image), null, null), param);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage jpegRoundTrip(BufferedImage image, float quality) {
    try {
      return ImageIO.read(new ByteArrayInputStream(jpeg(image, quality)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A PDF of scanned pages, each image placed on a letter page; in grey when {@code gray}, so that
   * a sample stays small.
   */
  static byte[] pdf(List<BufferedImage> pages, boolean gray) {
    try (PDDocument document = new PDDocument()) {
      for (BufferedImage image : pages) {
        PDPage page = new PDPage(PDRectangle.LETTER);
        document.addPage(page);
        BufferedImage source = gray ? Preprocessor.toGray(image) : image;
        PDImageXObject xobject = LosslessFactory.createFromImage(document, source);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.drawImage(
              xobject, 0, 0, PDRectangle.LETTER.getWidth(), PDRectangle.LETTER.getHeight());
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage rgb(BufferedImage image) {
    return image.getType() == BufferedImage.TYPE_INT_RGB ? image : copy(image);
  }
}
