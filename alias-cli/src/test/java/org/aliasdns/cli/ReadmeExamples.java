package org.aliasdns.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the example output blocks of the root README's "The aliasdns command" section, so tests
 * can compare them with what the command prints: a block starts with a line {@code $ COMMAND}
 * inside a fenced block and runs to the closing fence.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  /**
   * Returns the output shown under {@code $ command} in the README.
   *
   * @param command the command line as the README shows it, e.g. {@code ./aliasdns check x.zone}
   * @return the lines after it, each ending in a newline
   */
  static String outputOf(String command) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = lines.indexOf("$ " + command);
    if (start < 0) {
      throw new AssertionError("README.md shows no example '$ " + command + "'");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
      sb.append(lines.get(i)).append('\n');
    }
    return sb.toString();
  }
}
