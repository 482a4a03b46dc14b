package org.aliasdns.core.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the root README's code examples equal to the tests that run them: a test marks its
 * example with a begin and an end comment line, and {@link #assertInReadme} fails when the
 * lines between them, dedented, are not in the README word for word.
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /**
   * Checks that the marked part of a test source file appears in the root README.
   *
   * @param testSource the test file, relative to the module directory (the working directory
   *     of a Maven test run)
   * @param begin a string on the line before the example
   * @param end a string on the line after the example
   * @throws IOException if a file cannot be read
   */
  public static void assertInReadme(String testSource, String begin, String end)
      throws IOException {
    List<String> lines = Files.readAllLines(Path.of(testSource), StandardCharsets.UTF_8);
    List<String> block = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.contains(end) && inside) {
        break;
      }
      if (inside) {
        block.add(line);
      }
      if (line.contains(begin)) {
        inside = true;
      }
    }
    if (block.isEmpty()) {
      throw new IllegalStateException("no example between '" + begin + "' and '" + end + "'");
    }
    int indent = Integer.MAX_VALUE;
    for (String line : block) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String line : block) {
      text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    assertTrue(
        readme.contains(text.toString()),
        "README.md does not show the example of " + testSource + " as it is:\n" + text);
  }
}
