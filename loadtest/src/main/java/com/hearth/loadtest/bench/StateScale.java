package com.hearth.loadtest.bench;

import com.auth0.jwt.algorithms.Algorithm;
import com.hearth.loadtest.sim.Params;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale of state (issue 9, part 6): creates many kitchens through the API of a node started with a
 * short passivation time, and records its heap (after a full GC, {@code jcmd GC.heap_info}) and
 * resident memory ({@code VmRSS}) before, right after, and once the kitchens have been passivated;
 * then the availability latency of a passivated kitchen (its first read recovers it from the
 * journal) against the same kitchen warm.
 *
 * <p>Usage: {@code StateScale --url URL --secret S --pid PID --out FILE [--kitchens 100000]
 * [--concurrency 64] [--idle-seconds 20] [--samples 50]}. Loopback only; bounded (creation gives up
 * after 15 minutes).
 */
public final class StateScale {

  private static final Pattern HEAP_USED =
      Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private StateScale() {}

  public static void main(String[] args) throws Exception {
    java.util.Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2)
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    long pid = Long.parseLong(o.get("pid"));
    int count = Integer.parseInt(o.getOrDefault("kitchens", "100000"));
    int samples = Integer.parseInt(o.getOrDefault("samples", "50"));
    int idle = Integer.parseInt(o.getOrDefault("idle-seconds", "20"));
    Algorithm key = Algorithm.HMAC256(o.get("secret"));
    Client client = new Client(o.get("url"), key);
    String renter = Params.token(key, "scale-renter", "renter");
    StringBuilder md = new StringBuilder("## Scale of state\n\n");
    md.append(
        "| moment | heap used after full GC (MiB) | heap committed (MiB) | RSS (MiB) |\n|---|---:|---:|---:|\n");

    md.append(memory("node started, no kitchen", pid));
    List<String> sampled =
        client.createKitchens(samples, Math.min(samples, 16), Duration.ofMinutes(1), true);
    Instant began = Instant.now();
    client.createKitchens(
        count - samples,
        Integer.parseInt(o.getOrDefault("concurrency", "64")),
        Duration.ofMinutes(15),
        false);
    long seconds = Math.max(1, Duration.between(began, Instant.now()).toSeconds());
    Bench.log("created %,d kitchens in %d s", count, seconds);
    String created =
        memory(
            String.format(Locale.ROOT, "%,d kitchens created (%,d/s)", count, count / seconds),
            pid);
    md.append(created);

    List<Long> warm = availability(client, sampled, renter);
    // Nothing touches the kitchens now; each leaves memory after the node's idle time.
    Bench.log("waiting %d s for passivation", idle * 2 + 10);
    Thread.sleep(
        (idle * 2L + 10) * 1000); // the node's passivation timer, not a condition we can poll
    md.append(memory("after passivation (" + idle + " s idle)", pid));
    List<Long> recovered = availability(client, sampled, renter);
    List<Long> warmAgain = availability(client, sampled, renter);
    md.append(
        String.format(
            Locale.ROOT,
            "%nAvailability of one day, %d kitchens, ms (p50 / p99 / max): warm before"
                + " passivation %s; first read after passivation (recovery from the journal) %s; the same kitchens warm"
                + " again %s.%n",
            sampled.size(),
            pct(warm),
            pct(recovered),
            pct(warmAgain)));
    Files.writeString(Path.of(o.get("out")), md.toString());
    System.out.print(md);
  }

  private static List<Long> availability(Client client, List<String> kitchens, String renter)
      throws Exception {
    Instant day = Params.firstDay();
    List<Long> ms = new ArrayList<>();
    for (String k : kitchens) {
      long t0 = System.nanoTime();
      var r =
          client.get(
              "/v1/kitchens/"
                  + k
                  + "/availability?from="
                  + day
                  + "&to="
                  + day.plus(Duration.ofDays(1)),
              renter);
      Client.body(r, 200);
      ms.add((System.nanoTime() - t0) / 1_000_000);
    }
    return ms;
  }

  static String pct(List<Long> values) {
    List<Long> s = values.stream().sorted().toList();
    if (s.isEmpty()) return "-";
    return String.format(
        Locale.ROOT,
        "%d / %d / %d",
        s.get((int) Math.ceil(0.5 * s.size()) - 1),
        s.get((int) Math.ceil(0.99 * s.size()) - 1),
        s.get(s.size() - 1));
  }

  private static String memory(String moment, long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    long[] heap = heapKb(run("jcmd", Long.toString(pid), "GC.heap_info"));
    long rss =
        rssKb(
            Files.readString(
                Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8));
    Bench.log(
        "%s: heap used %d MiB of %d MiB, RSS %d MiB",
        moment, heap[1] / 1024, heap[0] / 1024, rss / 1024);
    return String.format(
        Locale.ROOT, "| %s | %d | %d | %d |%n", moment, heap[1] / 1024, heap[0] / 1024, rss / 1024);
  }

  /** Committed and used heap in KiB from {@code jcmd GC.heap_info} output. */
  static long[] heapKb(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    if (!m.find()) throw new IllegalStateException("no heap line in: " + heapInfo);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  /** VmRSS in KiB from the text of {@code /proc/<pid>/status}. */
  static long rssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IllegalStateException("no VmRSS line");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
