package org.aliasdns.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The findings of a zone check, in a stable order: by source position where known, then by
 * owner name in canonical order, then by rule.
 *
 * @param findings every finding
 * @since 0.1
 */
public record ValidationReport(List<Finding> findings) {
  /** Copies the list so the report is immutable. */
  public ValidationReport {
    findings = List.copyOf(findings);
  }

  /**
   * Tells whether any finding is an error.
   *
   * @return true if the zone should be refused
   */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /**
   * Returns the findings of one severity.
   *
   * @param severity the severity
   * @return an unmodifiable list, possibly empty
   */
  public List<Finding> findings(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).collect(Collectors.toUnmodifiableList());
  }

  /**
   * Returns the findings of one rule.
   *
   * @param rule the rule
   * @return an unmodifiable list, possibly empty
   */
  public List<Finding> findings(Rule rule) {
    return findings.stream().filter(f -> f.rule() == rule).collect(Collectors.toUnmodifiableList());
  }
}
