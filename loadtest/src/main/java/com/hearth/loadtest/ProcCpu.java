package com.hearth.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU seconds (user + system) that processes of this machine have used, from /proc. */
final class ProcCpu {

  /** Clock ticks per second of /proc/[pid]/stat; 100 on Linux for x86 and arm alike. */
  private static final double TICKS = 100.0;

  private ProcCpu() {}

  static double processSeconds(long pid) {
    try {
      return fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      throw new IllegalStateException("no process " + pid, e);
    }
  }

  /** utime + stime, fields 14 and 15, counted after the command name (which may hold spaces). */
  static double fromStat(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
  }
}
