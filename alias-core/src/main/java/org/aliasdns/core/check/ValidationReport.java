package org.aliasdns.core.check;

import org.aliasdns.core.zonefile.SourcePosition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The findings of a zone check, in a stable order: findings with a source position first, by
 * source name and line; then by owner name in canonical order (RFC 4034 §6.1), rule, record type
 * and message. The same zone always gives the same report.
 *
 * @param findings every finding, sorted as above
 * @since 0.1
 */
public record ValidationReport(List<Finding> findings) {
  private static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::owner)
          .thenComparing(Finding::rule)
          .thenComparingInt(Finding::type)
          .thenComparing(Finding::message);

  /**
   * Sorts and copies the findings so the report is immutable and its order stable.
   *
   * @throws NullPointerException if the list or a finding is null
   */
  public ValidationReport {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(ValidationReport::compare);
    findings = List.copyOf(sorted);
  }

  private static int compare(Finding a, Finding b) {
    int byPosition = compare(a.position(), b.position());
    return byPosition != 0 ? byPosition : ORDER.compare(a, b);
  }

  /** Known positions first, by source name and line; owner names compare canonically. */
  private static int compare(@Nullable SourcePosition a, @Nullable SourcePosition b) {
    if (a == null || b == null) {
      return a == b ? 0 : a == null ? 1 : -1;
    }
    int bySource = a.source().compareTo(b.source());
    return bySource != 0 ? bySource : Integer.compare(a.line(), b.line());
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
   * Tells whether the report has no findings at all.
   *
   * @return true if the zone is clean
   */
  public boolean isClean() {
    return findings.isEmpty();
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
