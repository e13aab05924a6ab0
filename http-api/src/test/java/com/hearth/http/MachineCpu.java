package com.hearth.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU of the whole machine, of PostgreSQL's processes and of this JVM (the load's clients), read
 * from {@code /proc} in milliseconds: what a measurement needs to tell whether the machine was
 * saturated and where the time went outside the nodes.
 */
record MachineCpu(long busyMillis, long totalMillis, long postgresMillis, long clientMillis) {

  private static final long TICK_MILLIS = 10;

  static MachineCpu now() {
    long busy = 0;
    long total = 0;
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i != 4 && i != 5) busy += v;
      }
    } catch (IOException | RuntimeException e) {
      busy = total = -1;
    }
    long postgres = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
        try {
          if (Files.readString(p.resolve("comm")).startsWith("postgres")) postgres += ticks(p);
        } catch (IOException | RuntimeException e) {
          // The process ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      postgres = -1;
    }
    long client;
    try {
      client = ticks(Path.of("/proc/self"));
    } catch (IOException | RuntimeException e) {
      client = -1;
    }
    return new MachineCpu(
        busy * TICK_MILLIS, total * TICK_MILLIS, postgres * TICK_MILLIS, client * TICK_MILLIS);
  }

  /** utime + stime of one process or thread ({@code /proc/PID} or {@code /proc/PID/task/TID}). */
  private static long ticks(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    // After the name: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** CPU ms (user and system) of one process or thread so far. */
  static long cpuMillisOf(Path proc) throws IOException {
    return ticks(proc) * TICK_MILLIS;
  }

  MachineCpu since(MachineCpu from) {
    return new MachineCpu(
        busyMillis - from.busyMillis,
        totalMillis - from.totalMillis,
        postgresMillis - from.postgresMillis,
        clientMillis - from.clientMillis);
  }

  /** Busy share of all cores over the interval, 0 to 1. */
  double busyShare() {
    return totalMillis <= 0 ? 0 : (double) busyMillis / totalMillis;
  }
}
