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
  WARNING,
  /**
   * Nothing is wrong; a suggestion for the zone's author (such as the HTTPS record beside an
   * apex ALIAS). Rules of this severity are off unless asked for ({@link
   * ZoneValidator#withRule(Rule, boolean)}).
   *
   * @since 0.2
   */
  INFO;

  /**
   * Returns the lower-case word used in diagnostics.
   *
   * @return {@code "error"}, {@code "warning"} or {@code "info"}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
