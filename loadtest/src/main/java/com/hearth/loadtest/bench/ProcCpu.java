package com.hearth.loadtest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of processes read from {@code /proc}: user plus system time ({@code utime + stime},
 * fields 14 and 15 of {@code /proc/<pid>/stat}), in milliseconds. For PostgreSQL, the sum over
 * every process owned by the {@code postgres} user, and the same sum split by the database a
 * backend serves (read from its process title, {@code postgres: user db host(port) state}), so that
 * other users of a shared server can be told apart. A process that ends between two samples takes
 * its time with it: the services under test keep their connections pooled.
 */
public final class ProcCpu {

  /**
   * Clock ticks per second of {@code /proc} times; 100 on Linux unless {@code getconf CLK_TCK} says
   * otherwise.
   */
  static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcCpu() {}

  /** utime + stime in ticks, from the text of a {@code /proc/<pid>/stat} file. */
  static long ticks(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: split after
    // the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
  }

  /**
   * The database of a PostgreSQL backend from its process title, or null for a background process.
   */
  static String database(String cmdline) {
    String title = cmdline.replace('\0', ' ').trim();
    if (!title.startsWith("postgres: ")) return null;
    String[] words = title.substring("postgres: ".length()).split("\\s+");
    // Debian titles start with the cluster's name: "postgres: 15/main: <user> <database> ...".
    if (words.length > 0 && words[0].endsWith(":"))
      words = java.util.Arrays.copyOfRange(words, 1, words.length);
    // A backend: "<user> <database> <host>(<port>) <state>"; background workers have other titles.
    if (words.length >= 3 && (words[2].contains("(") || words[2].equals("[local]")))
      return words[1];
    return null;
  }

  static long millis(long ticks) {
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** CPU milliseconds of one process so far; -1 when it is gone. */
  public static long processMillis(long pid) {
    try {
      return millis(
          ticks(
              Files.readString(
                  Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * A sample of every postgres-owned process: CPU milliseconds per pid, and the database of each
   * backend. Differences are taken per process, so a process of another user of the server that
   * ends between two samples does not make the total go down.
   */
  public record PgSample(Map<Long, Long> millisByPid, Map<Long, String> databaseByPid) {

    /**
     * CPU spent since {@code before}: by processes alive in both samples, and all of a process born
     * since.
     */
    public long totalSince(PgSample before) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : millisByPid.entrySet())
        sum += e.getValue() - before.millisByPid.getOrDefault(e.getKey(), 0L);
      return sum;
    }

    /** The same, only for backends serving {@code database}. */
    public long databaseSince(PgSample before, String database) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : millisByPid.entrySet()) {
        if (database.equals(databaseByPid.get(e.getKey())))
          sum += e.getValue() - before.millisByPid.getOrDefault(e.getKey(), 0L);
      }
      return sum;
    }
  }

  public static PgSample postgres() {
    Map<Long, Long> ms = new TreeMap<>();
    Map<Long, String> dbs = new TreeMap<>();
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        try {
          if (!"postgres".equals(Files.getOwner(proc).getName())) continue;
          long pid = Long.parseLong(proc.getFileName().toString());
          ms.put(
              pid, millis(ticks(Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8))));
          String db = database(Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8));
          if (db != null) dbs.put(pid, db);
        } catch (IOException | RuntimeException gone) {
          // The process ended while we looked.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return new PgSample(ms, dbs);
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
