package org.aliasdns.core.check;

import org.aliasdns.core.zonefile.SourcePosition;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One thing a check found in a zone: which rule, how bad, at which owner name and record type,
 * where in the source if known, and a message for a person.
 *
 * @param rule the rule that produced it
 * @param severity its severity (normally the rule's default)
 * @param owner the owner name it concerns
 * @param type the type of the RRset it concerns, or 0 when it concerns the name as a whole
 * @param position where the offending record was read, or null for zones not read from text
 * @param message what is wrong, in one sentence
 * @since 0.1
 */
public record Finding(
    Rule rule,
    Severity severity,
    Name owner,
    int type,
    @Nullable SourcePosition position,
    String message) {

  /**
   * Checks that no component is null except the position.
   *
   * @throws IllegalArgumentException if the type is not a 16-bit value
   */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(message, "message");
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("type out of range: " + type);
    }
  }

  /**
   * Creates a finding about a name as a whole (type 0).
   *
   * @param rule the rule that produced it
   * @param severity its severity
   * @param owner the owner name it concerns
   * @param position where it was read, or null
   * @param message what is wrong
   */
  public Finding(
      Rule rule, Severity severity, Name owner, @Nullable SourcePosition position, String message) {
    this(rule, severity, owner, 0, position, message);
  }

  /**
   * Creates a finding about a name as a whole, with the rule's default severity and no
   * position.
   *
   * @param rule the rule
   * @param owner the owner name concerned
   * @param message what is wrong
   * @return the finding
   */
  public static Finding of(Rule rule, Name owner, String message) {
    return new Finding(rule, rule.severity(), owner, 0, null, message);
  }

  /**
   * Creates a finding about one RRset, with the rule's default severity and no position.
   *
   * @param rule the rule
   * @param owner the owner name concerned
   * @param type the type of the RRset concerned, e.g. {@link Type#CNAME}
   * @param message what is wrong
   * @return the finding
   * @throws IllegalArgumentException if the type is not a 16-bit value
   */
  public static Finding of(Rule rule, Name owner, int type, String message) {
    return new Finding(rule, rule.severity(), owner, type, null, message);
  }

  /**
   * Returns this finding placed at a source position.
   *
   * @param where the position, or null for none
   * @return a copy with that position
   */
  public Finding at(@Nullable SourcePosition where) {
    return new Finding(rule, severity, owner, type, where, message);
  }

  /**
   * Returns this finding with another severity, for rules whose severity depends on the
   * record concerned.
   *
   * @param newSeverity the severity
   * @return a copy with that severity
   */
  public Finding withSeverity(Severity newSeverity) {
    return new Finding(rule, newSeverity, owner, type, position, message);
  }

  /**
   * Formats the finding as {@code file:line: severity rule-id: owner: message}, the form
   * {@code aliasdns check} prints; without a position the {@code file:line: } part is left out.
   */
  @Override
  public String toString() {
    String prefix = position == null ? "" : position + ": ";
    return prefix + severity.label() + " " + rule.id() + ": " + owner + ": " + message;
  }
}
