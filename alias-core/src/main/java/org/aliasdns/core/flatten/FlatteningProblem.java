package org.aliasdns.core.flatten;

import org.aliasdns.core.Hop;

import java.util.List;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Something that kept one flattened name from publishing fresh addresses for one family: a
 * configuration error in the target's chain, an upstream failure, or a missing result. What was
 * published instead (previous addresses kept as stale, or none) is in {@link
 * FlattenedZone#siblings(Name, Family)} and in {@link #detail()}.
 *
 * @param owner the alias (or flattened CNAME) name
 * @param family the address family concerned
 * @param target the alias target
 * @param kind what went wrong
 * @param chain the hops followed from the target; for a loop, the last hop closes it
 * @param detail a sentence for a person: the reason, and what was published instead
 * @since 0.1
 */
public record FlatteningProblem(
    Name owner, Family family, Name target, Kind kind, List<Hop> chain, String detail) {

  /** What went wrong. */
  public enum Kind {
    /** The target's chain came back to a name it had visited (RFC 1034 §3.6.2). */
    LOOP,
    /** The target's chain was longer than the policy's chain limit. */
    CHAIN_TOO_LONG,
    /** Upstream could not answer (SERVFAIL, REFUSED, timeout, bad response). */
    UPSTREAM_FAILURE,
    /** The results held no resolution for the target and family. */
    MISSING_RESULT
  }

  /** Checks and copies the values. */
  public FlatteningProblem {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    chain = List.copyOf(chain);
  }

  /** Returns {@code owner A -> target: KIND: detail; chain: hop, hop}. */
  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder()
            .append(owner)
            .append(' ')
            .append(Type.string(family.type()))
            .append(" -> ")
            .append(target)
            .append(": ")
            .append(kind)
            .append(": ")
            .append(detail);
    if (!chain.isEmpty()) {
      sb.append("; chain: ");
      for (int i = 0; i < chain.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(chain.get(i));
      }
    }
    return sb.toString();
  }
}
