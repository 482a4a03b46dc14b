package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.Hop;

import java.util.List;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Something that kept one flattened name from publishing fresh addresses for one family: a
 * configuration error in the target's chain, an upstream failure, a missing result, or a target
 * that has no addresses at all. What was published instead (previous addresses kept as stale,
 * or none) is in {@link FlattenedZone#siblings(Name, Family)} and in {@link #detail()}.
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
    /**
     * The target's answer failed DNSSEC validation (bogus, RFC 4035 §4.3): never published.
     *
     * @since 0.2
     */
    DNSSEC_BOGUS,
    /** The results held no resolution for the target and family. */
    MISSING_RESULT,
    /**
     * The RRset to publish at the alias name would not fit in the largest DNS message (RFC 1035
     * §4.2.2): never published.
     */
    TOO_LARGE,
    /**
     * A warning, not a failure: the target's chain ends in NXDOMAIN or NODATA for this family,
     * and the name has no addresses of any family, explicit or synthesized. It answers NODATA
     * (RFC 2308 §2.2) for A and AAAA, which is rarely what its owner meant (the target has
     * vanished, or its name is mistyped).
     */
    NO_ADDRESSES;

    /**
     * Returns the kind of a publication's cause.
     *
     * @param cause why the rule could not publish fresh data
     * @return the matching kind
     */
    static Kind of(AliasPublication.Cause.Kind cause) {
      switch (cause) {
        case LOOP:
          return LOOP;
        case CHAIN_TOO_LONG:
          return CHAIN_TOO_LONG;
        case UPSTREAM_FAILURE:
          return UPSTREAM_FAILURE;
        case DNSSEC_BOGUS:
        case DNSSEC_SIGNATURE_EXPIRED:
        case DNSSEC_SIGNATURE_NOT_YET_VALID:
          return DNSSEC_BOGUS;
        case MISSING_RESULT:
          return MISSING_RESULT;
        case TOO_LARGE:
          return TOO_LARGE;
        default:
          throw new IllegalArgumentException("unknown cause " + cause);
      }
    }

    /**
     * Tells whether the name could not be resolved: every kind but {@link #NO_ADDRESSES}, where
     * the target answered and has no addresses.
     *
     * @return true for a failure, false for the warning
     */
    public boolean isFailure() {
      return this != NO_ADDRESSES;
    }
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
