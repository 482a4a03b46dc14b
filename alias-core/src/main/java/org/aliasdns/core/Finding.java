package org.aliasdns.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * One thing a check found in a zone: which rule, how bad, at which owner name, where in the
 * source if known, and a message for a person.
 *
 * @param rule the rule that produced it
 * @param severity its severity (normally the rule's default)
 * @param owner the owner name it concerns
 * @param position where the offending record was read, or null for zones not read from text
 * @param message what is wrong, in one sentence
 * @since 0.1
 */
public record Finding(
    Rule rule, Severity severity, Name owner, @Nullable SourcePosition position, String message) {

  /** Checks that no component is null except the position. */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(message, "message");
  }

  /**
   * Creates a finding with the rule's default severity and no position.
   *
   * @param rule the rule
   * @param owner the owner name concerned
   * @param message what is wrong
   * @return the finding
   */
  public static Finding of(Rule rule, Name owner, String message) {
    return new Finding(rule, rule.severity(), owner, null, message);
  }

  /**
   * Returns this finding placed at a source position.
   *
   * @param where the position, or null for none
   * @return a copy with that position
   */
  public Finding at(@Nullable SourcePosition where) {
    return new Finding(rule, severity, owner, where, message);
  }

  /**
   * Formats the finding as {@code file:line: severity rule-id: owner: message}, the form
   * {@code alias check} prints; without a position the {@code file:line: } part is left out.
   */
  @Override
  public String toString() {
    String prefix = position == null ? "" : position + ": ";
    return prefix + severity.label() + " " + rule.id() + ": " + owner + ": " + message;
  }
}
