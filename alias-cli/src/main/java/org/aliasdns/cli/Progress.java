package org.aliasdns.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-line progress count for long runs, rewritten in place on a terminal ({@code \r}) and
 * absent when output goes to a pipe or a file, where it would only be noise in a log.
 */
final class Progress {
  /** At most this many redraws per second; a person cannot read faster. */
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final PrintWriter err;
  private final boolean enabled;
  private final String what;
  private final int total;
  private final AtomicInteger done = new AtomicInteger();
  private volatile long lastDraw;

  private Progress(PrintWriter err, boolean enabled, String what, int total) {
    this.err = err;
    this.enabled = enabled;
    this.what = what;
    this.total = total;
  }

  /**
   * Returns a progress line that draws only when this process has a terminal.
   *
   * @param err where to draw it
   * @param what what is counted, e.g. "resolving alias targets"
   * @param total how many there are
   * @return the progress line
   */
  static Progress onTerminal(PrintWriter err, String what, int total) {
    return of(err, isTerminal(), what, total);
  }

  /**
   * Returns a progress line that draws, or not, as told.
   *
   * @param err where to draw it
   * @param enabled whether to draw at all
   * @param what what is counted
   * @param total how many there are
   * @return the progress line
   */
  static Progress of(PrintWriter err, boolean enabled, String what, int total) {
    return new Progress(err, enabled, what, total);
  }

  /**
   * Tells whether standard input and output are a terminal. Up to JDK 21 that is exactly when
   * {@code System.console()} is non-null; from JDK 22 a console exists even when output is
   * piped, and its {@code isTerminal()} (looked up reflectively: the baseline is JDK 17) says.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: see above
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      return true; // JDK 17 to 21: a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Counts one more done, redrawing if enough time has passed. */
  void step() {
    int n = done.incrementAndGet();
    if (!enabled) {
      return;
    }
    long now = System.nanoTime(); // display pacing only, not logic
    if (n == total || now - lastDraw >= INTERVAL_NANOS) {
      lastDraw = now;
      synchronized (err) {
        err.print("\r" + what + ": " + n + "/" + total);
        err.flush();
      }
    }
  }

  /** Clears the line, so what follows starts at the left margin. */
  void finish() {
    if (enabled && done.get() > 0) {
      synchronized (err) {
        err.print("\r" + " ".repeat(what.length() + 24) + "\r");
        err.flush();
      }
    }
  }
}
