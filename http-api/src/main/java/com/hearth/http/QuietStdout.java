package com.hearth.http;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;

/**
 * Standard output without the debugging line {@code # stop ...JdbcRunningProjection@...} that
 * pekko-projection-jdbc prints (with Scala's {@code println}) for every projection it stops, a
 * dozen at each shutdown. Installed before any Scala code runs, so that Scala's {@code Console.out}
 * is this stream too.
 */
final class QuietStdout extends PrintStream {

  private static final String PROJECTION_STOP = "# stop org.apache.pekko.projection.";

  private QuietStdout() {
    super(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192), true);
  }

  static void install() {
    System.setOut(new QuietStdout());
  }

  @Override
  public void println(Object x) {
    if (!String.valueOf(x).startsWith(PROJECTION_STOP)) super.println(x);
  }

  @Override
  public void println(String x) {
    if (x == null || !x.startsWith(PROJECTION_STOP)) super.println(x);
  }
}
