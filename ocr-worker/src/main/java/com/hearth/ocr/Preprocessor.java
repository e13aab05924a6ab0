package com.hearth.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Prepares a page for Tesseract: grey, at a resolution where body text is about 300 DPI, lit
 * evenly, straightened, and black on white.
 *
 * <ol>
 *   <li>Grey: colour and transparency (over white) are flattened to 8-bit luminance.
 *   <li>Scale: a page is brought to {@value #TARGET_DPI} DPI when its resolution is known;
 *       otherwise its longer side is brought into [{@value #MIN_LONG_SIDE}, {@value
 *       #MAX_LONG_SIDE}] pixels (small photos up, huge scans down).
 *   <li>Lighting: each pixel is divided by an estimate of the paper's brightness around it (a
 *       maximum filter over a coarse grid, smoothed), which flattens shadows and gradients.
 *   <li>Deskew: the angle in [-{@value #MAX_SKEW_DEGREES}, {@value #MAX_SKEW_DEGREES}] degrees
 *       whose horizontal projection of ink is sharpest (text lines give peaks) is undone.
 *   <li>Binarize: Otsu's threshold over the whole, now evenly lit, page.
 * </ol>
 */
final class Preprocessor {
  static final int TARGET_DPI = 300;
  static final int MIN_LONG_SIDE = 2200;
  static final int MAX_LONG_SIDE = 3600;
  static final double MAX_SKEW_DEGREES = 10.0;

  /** A prepared page and the resolution to tell Tesseract. */
  record Prepared(BufferedImage image, int dpi, double skewDegrees) {}

  private Preprocessor() {}

  static Prepared prepare(BufferedImage source, int dpi) {
    BufferedImage gray = toGray(source);
    double scale = scaleFor(gray, dpi);
    if (Math.abs(scale - 1.0) > 0.05) {
      gray = resize(gray, scale);
    }
    int effectiveDpi = dpi > 0 ? (int) Math.round(dpi * scale) : TARGET_DPI;
    evenLighting(gray);
    double skew = skewDegrees(gray);
    if (Math.abs(skew) >= 0.2) {
      gray = rotate(gray, -skew);
    }
    otsu(gray);
    return new Prepared(gray, effectiveDpi, skew);
  }

  static double scaleFor(BufferedImage image, int dpi) {
    int longSide = Math.max(image.getWidth(), image.getHeight());
    double scale;
    if (dpi > 0) {
      scale = (double) TARGET_DPI / dpi;
    } else if (longSide < MIN_LONG_SIDE) {
      scale = (double) MIN_LONG_SIDE / longSide;
    } else if (longSide > MAX_LONG_SIDE) {
      scale = (double) MAX_LONG_SIDE / longSide;
    } else {
      scale = 1.0;
    }
    return Math.max(0.25, Math.min(4.0, scale));
  }

  static BufferedImage toGray(BufferedImage source) {
    boolean plain =
        source.getRaster().getSampleModelTranslateX() == 0
            && source.getRaster().getSampleModelTranslateY() == 0
            && source.getRaster().getDataBuffer() instanceof DataBufferByte bytes
            && bytes.getNumBanks() == 1
            && bytes.getSize()
                == source.getWidth() * source.getHeight() * source.getRaster().getNumBands();
    if (source.getType() == BufferedImage.TYPE_BYTE_GRAY && plain) {
      return source;
    }
    // By hand rather than drawing into a grey image: Java2D's grey is linear, which washes ink out.
    int width = source.getWidth();
    int height = source.getHeight();
    BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] p = pixels(gray);
    if (source.getType() == BufferedImage.TYPE_3BYTE_BGR && plain) {
      // what JPEGs decode to: read the bytes rather than one colour-model call per pixel
      byte[] bgr = ((DataBufferByte) source.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < width * height; i++) {
        double luminance =
            0.114 * (bgr[3 * i] & 0xff)
                + 0.587 * (bgr[3 * i + 1] & 0xff)
                + 0.299 * (bgr[3 * i + 2] & 0xff);
        p[i] = (byte) Math.round(luminance);
      }
      return gray;
    }
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      source.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        double alpha = (argb >>> 24) / 255.0;
        double luminance =
            0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff);
        p[y * width + x] = (byte) Math.round(luminance * alpha + 255 * (1 - alpha));
      }
    }
    return gray;
  }

  private static BufferedImage resize(BufferedImage gray, double scale) {
    int width = Math.max(1, (int) Math.round(gray.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(gray.getHeight() * scale));
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = result.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION,
        scale > 1
            ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
            : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(gray, 0, 0, width, height, null);
    g.dispose();
    return result;
  }

  private static byte[] pixels(BufferedImage gray) {
    return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
  }

  /** Divides every pixel by the local paper brightness, estimated on a grid of cells. */
  static void evenLighting(BufferedImage gray) {
    int width = gray.getWidth();
    int height = gray.getHeight();
    byte[] p = pixels(gray);
    int cell = Math.max(16, Math.max(width, height) / 48);
    int cw = (width + cell - 1) / cell;
    int ch = (height + cell - 1) / cell;
    double[] brightest = new double[cw * ch];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        // a high percentile rather than the maximum, so that a speck of glare does not count
        int[] histogram = new int[256];
        int count = 0;
        for (int y = cy * cell; y < Math.min(height, (cy + 1) * cell); y += 2) {
          for (int x = cx * cell; x < Math.min(width, (cx + 1) * cell); x += 2) {
            histogram[p[y * width + x] & 0xff]++;
            count++;
          }
        }
        int seen = 0;
        int level = 255;
        while (level > 0 && seen + histogram[level] < count / 10) {
          seen += histogram[level];
          level--;
        }
        brightest[cy * cw + cx] = level;
      }
    }
    // cells covered by a dark block (a logo, a photo's edge) borrow from brighter neighbours
    double[] background = brightest.clone();
    for (int pass = 0; pass < 2; pass++) {
      double[] next = background.clone();
      for (int cy = 0; cy < ch; cy++) {
        for (int cx = 0; cx < cw; cx++) {
          double max = background[cy * cw + cx];
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int x = cx + dx;
              int y = cy + dy;
              if (x >= 0 && y >= 0 && x < cw && y < ch) {
                max = Math.max(max, background[y * cw + x]);
              }
            }
          }
          next[cy * cw + cx] = max;
        }
      }
      background = next;
    }
    double[] smooth = new double[cw * ch];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        double sum = 0;
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = cx + dx;
            int y = cy + dy;
            if (x >= 0 && y >= 0 && x < cw && y < ch) {
              sum += background[y * cw + x];
              n++;
            }
          }
        }
        smooth[cy * cw + cx] = Math.max(40, sum / n);
      }
    }
    for (int y = 0; y < height; y++) {
      double gy = Math.max(0, Math.min(ch - 1.0, (y + 0.5) / cell - 0.5));
      int y0 = (int) gy;
      int y1 = Math.min(ch - 1, y0 + 1);
      double fy = gy - y0;
      for (int x = 0; x < width; x++) {
        double gx = Math.max(0, Math.min(cw - 1.0, (x + 0.5) / cell - 0.5));
        int x0 = (int) gx;
        int x1 = Math.min(cw - 1, x0 + 1);
        double fx = gx - x0;
        double b =
            (smooth[y0 * cw + x0] * (1 - fx) + smooth[y0 * cw + x1] * fx) * (1 - fy)
                + (smooth[y1 * cw + x0] * (1 - fx) + smooth[y1 * cw + x1] * fx) * fy;
        int v = (int) Math.round((p[y * width + x] & 0xff) * 255.0 / b);
        p[y * width + x] = (byte) Math.min(255, v);
      }
    }
  }

  /**
   * The page's skew in degrees (positive when text lines run down to the right, as y grows
   * downwards), by maximising the variance of the ink's row profile over a coarse and then a fine
   * sweep of angles, on a reduced copy.
   */
  static double skewDegrees(BufferedImage gray) {
    int width = gray.getWidth();
    int height = gray.getHeight();
    int step = Math.max(1, Math.max(width, height) / 1200);
    byte[] p = pixels(gray);
    int threshold = otsuLevel(p);
    int count = 0;
    int[] xs = new int[(width / step + 1) * (height / step + 1)];
    int[] ys = new int[xs.length];
    for (int y = 0; y < height; y += step) {
      for (int x = 0; x < width; x += step) {
        if ((p[y * width + x] & 0xff) < threshold) {
          xs[count] = x / step;
          ys[count] = y / step;
          count++;
        }
      }
    }
    if (count < 50) {
      return 0.0;
    }
    int rows = height / step + width / step + 2;
    double best = 0.0;
    double bestScore = -1;
    for (double angle = -MAX_SKEW_DEGREES; angle <= MAX_SKEW_DEGREES + 1e-9; angle += 0.5) {
      double score = profileScore(xs, ys, count, angle, rows);
      if (score > bestScore) {
        bestScore = score;
        best = angle;
      }
    }
    double coarse = best;
    for (double angle = coarse - 0.5; angle <= coarse + 0.5 + 1e-9; angle += 0.1) {
      double score = profileScore(xs, ys, count, angle, rows);
      if (score > bestScore) {
        bestScore = score;
        best = angle;
      }
    }
    return best;
  }

  private static double profileScore(int[] xs, int[] ys, int count, double degrees, int rows) {
    double tan = Math.tan(Math.toRadians(degrees));
    int[] profile = new int[2 * rows];
    for (int i = 0; i < count; i++) {
      int row = (int) Math.round(ys[i] - xs[i] * tan) + rows;
      if (row >= 0 && row < profile.length) {
        profile[row]++;
      }
    }
    double sum = 0;
    for (int i = 1; i < profile.length; i++) {
      double d = profile[i] - profile[i - 1];
      sum += d * d;
    }
    return sum;
  }

  private static BufferedImage rotate(BufferedImage gray, double degrees) {
    BufferedImage result =
        new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = result.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, result.getWidth(), result.getHeight());
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(
        gray,
        AffineTransform.getRotateInstance(
            Math.toRadians(degrees), gray.getWidth() / 2.0, gray.getHeight() / 2.0),
        null);
    g.dispose();
    return result;
  }

  /** Otsu's threshold: the grey level that best separates ink from paper. */
  static int otsuLevel(byte[] p) {
    long[] histogram = new long[256];
    for (byte b : p) {
      histogram[b & 0xff]++;
    }
    long total = p.length;
    double sumAll = 0;
    for (int i = 0; i < 256; i++) {
      sumAll += (double) i * histogram[i];
    }
    double sumBackground = 0;
    long weightBackground = 0;
    double bestVariance = -1;
    int level = 128;
    for (int t = 0; t < 256; t++) {
      weightBackground += histogram[t];
      if (weightBackground == 0) {
        continue;
      }
      long weightForeground = total - weightBackground;
      if (weightForeground == 0) {
        break;
      }
      sumBackground += (double) t * histogram[t];
      double meanBackground = sumBackground / weightBackground;
      double meanForeground = (sumAll - sumBackground) / weightForeground;
      double variance =
          (double) weightBackground
              * weightForeground
              * Math.pow(meanBackground - meanForeground, 2);
      if (variance > bestVariance) {
        bestVariance = variance;
        level = t + 1;
      }
    }
    return level;
  }

  private static void otsu(BufferedImage gray) {
    byte[] p = pixels(gray);
    int level = otsuLevel(p);
    for (int i = 0; i < p.length; i++) {
      p[i] = (p[i] & 0xff) < level ? 0 : (byte) 255;
    }
  }
}
