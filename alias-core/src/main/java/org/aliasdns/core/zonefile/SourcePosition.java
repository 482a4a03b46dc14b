package org.aliasdns.core.zonefile;

import java.util.Objects;

/**
 * Where something was read: a file (or the name given to a text or stream source) and a
 * 1-based line number.
 *
 * @param source the file name or source name
 * @param line the 1-based line number
 * @since 0.1
 */
public record SourcePosition(String source, int line) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the line is not positive
   */
  public SourcePosition {
    Objects.requireNonNull(source, "source");
    if (line < 1) {
      throw new IllegalArgumentException("line must be positive: " + line);
    }
  }

  /** Returns {@code source:line}, the form compilers and DNS tools print. */
  @Override
  public String toString() {
    return source + ":" + line;
  }
}
