package com.hearth.loadtest;

import com.hearth.ocr.CertificateField;
import com.hearth.ocr.Extraction;
import com.hearth.ocr.TesseractCertificateReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Pages per second of the certificate reader (decode, preprocess, Tesseract, extraction), run on
 * the sample certificates of {@code docs/samples} over and over by {@code threads} threads for a
 * bounded time after a warm-up. With one thread the rate is per core; with several it shows how the
 * engine pool scales, and the process CPU time says what each page cost.
 *
 * <pre>
 * loadtest/ocr-throughput [--seconds 30] [--threads 1] [--samples docs/samples]
 * </pre>
 */
public final class OcrThroughput {
  private OcrThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = 30;
    int threads = 1;
    Path samples = Path.of("docs", "samples");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--samples" -> samples = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(samples)) {
      files = listing.filter(p -> mediaType(p) != null).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no PNG, JPEG, TIFF or PDF in " + samples);
    }
    List<byte[]> contents = new ArrayList<>();
    for (Path file : files) {
      contents.add(Files.readAllBytes(file));
    }
    try (TesseractCertificateReader reader =
        new TesseractCertificateReader(TesseractCertificateReader.findTessdata(), threads)) {
      // warm-up: every sample once, so the JIT and every engine's model are loaded
      for (int i = 0; i < files.size(); i++) {
        Extraction extraction = reader.read(contents.get(i), mediaType(files.get(i)));
        System.out.printf(
            Locale.ROOT,
            "%-32s %d page(s), %d fields, expiry %s%n",
            files.get(i).getFileName(),
            extraction.pages(),
            extraction.fields().size(),
            extraction.fields().get(CertificateField.EXPIRY_DATE));
      }
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
      AtomicInteger pages = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < deadline) {
                    int i = Math.floorMod(next.getAndIncrement(), files.size());
                    pages.addAndGet(reader.read(contents.get(i), mediaType(files.get(i))).pages());
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      pool.shutdown();
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%d pages in %.1f s with %d thread(s): %.2f pages/s, %.2f pages/s per thread; "
              + "process CPU %.1f s, %.2f CPU s per page, %.2f pages per CPU second; load average %.1f on %d cores%n",
          pages.get(),
          elapsed,
          threads,
          pages.get() / elapsed,
          pages.get() / elapsed / threads,
          cpu,
          cpu / pages.get(),
          pages.get() / cpu,
          os.getSystemLoadAverage(),
          os.getAvailableProcessors());
    }
  }

  private static String mediaType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "image/png";
    } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (name.endsWith(".tif") || name.endsWith(".tiff")) {
      return "image/tiff";
    } else if (name.endsWith(".pdf")) {
      return "application/pdf";
    }
    return null;
  }
}
