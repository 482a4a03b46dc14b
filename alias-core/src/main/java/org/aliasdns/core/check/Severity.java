package org.aliasdns.core.check;

/**
 * How bad a {@link Finding} is.
 *
 * @since 0.1
 */
public enum Severity {
  /** The zone cannot work as written; {@code named-checkzone} would refuse it, or should. */
  ERROR,
  /** The zone loads, but something in it is likely not what its author meant. */
  WARNING;

  /**
   * Returns the lower-case word used in diagnostics.
   *
   * @return {@code "error"} or {@code "warning"}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
