package org.aliasdns.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code alias} command in-process with its output captured; no global streams. */
final class Cli {
  /** What one run printed and returned. */
  record Result(int exit, String out, String err) {
    /** Standard output followed by standard error, as a terminal shows a quiet run. */
    String both() {
      return out + err;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** A zone file of the test resources, as a path relative to the module (Maven's cwd). */
  static String zone(String name) {
    return "src/test/resources/zones/" + name;
  }
}
