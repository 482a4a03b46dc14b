package org.aliasdns.resolver.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.resolver.Security;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * What one upstream response contributed to a chain: the hops accepted from it, in order, and
 * how the chain ends there.
 *
 * @param asked the name that was asked
 * @param type the type that was asked
 * @param hops the contiguous chain from the asked name found in the answer section
 * @param outcome how the chain ends in this response
 * @param records the final RRset, for {@link Outcome#ANSWER}
 * @param negativeTtl min(SOA TTL, SOA MINIMUM) for a negative outcome, 0 without a usable SOA
 * @param obtained when the response arrived
 * @param failure what failed upstream and why, for {@link Outcome#FAILED}
 * @param security the response's DNSSEC status: secure only if the validator set AD over all
 *     of it (RFC 4035 §3.2.3); {@link Security#INDETERMINATE} without trust anchors
 */
public record Step(
    Name asked,
    int type,
    List<Hop> hops,
    Outcome outcome,
    @Nullable RecordSet records,
    long negativeTtl,
    Instant obtained,
    @Nullable UpstreamFailure failure,
    Security security) {
  /** How a chain ends in one response. */
  public enum Outcome {
    /** In an RRset of the asked type. */
    ANSWER,
    /** At a name that has no data of the asked type (RFC 2308 §2.2). */
    NODATA,
    /** At a name that does not exist (RFC 2308 §2.1, RFC 6604). */
    NXDOMAIN,
    /**
     * At a name whose data the response does not hold (an authoritative server answering for
     * its own zone only, or a hop that closes a loop): ask again for that name.
     */
    CONTINUE,
    /**
     * Upstream failed (SERVFAIL and the like), perhaps after part of a chain: the hops show
     * whether the chain looped or ran too long, which is a configuration error rather than an
     * outage; nothing from such a response is cached.
     */
    FAILED
  }

  /** Copies the hops. */
  public Step {
    hops = List.copyOf(hops);
  }

  static Step of(
      Name asked, int type, List<Hop> hops, Outcome outcome, @Nullable RecordSet records,
      long negativeTtl, Instant obtained) {
    return new Step(
        asked, type, hops, outcome, records, negativeTtl, obtained, null, Security.INDETERMINATE);
  }

  static Step failed(
      Name asked, int type, List<Hop> hops, Instant obtained, UpstreamFailure failure) {
    return new Step(
        asked, type, hops, Outcome.FAILED, null, 0, obtained, failure, Security.INDETERMINATE);
  }

  /**
   * Returns this step with every TTL above a cap cut to it: the hops', the final RRset's and
   * the negative TTL. What enters the cache then expires by the cap at the latest, so a
   * target whose upstream TTL is huge is still asked again within the cap (as Unbound's
   * cache-max-ttl and cache-max-negative-ttl do; RFC 2308 §5 caps negative TTLs the same way).
   *
   * @param cap the largest TTL kept, in seconds
   * @return this step if no TTL is above the cap, else a capped copy
   */
  public Step capped(long cap) {
    boolean over = negativeTtl > cap || (records != null && records.ttl() > cap);
    for (Hop hop : hops) {
      over |= hop.ttl() > cap;
    }
    if (!over) {
      return this;
    }
    List<Hop> cut = new ArrayList<>(hops.size());
    for (Hop hop : hops) {
      cut.add(hop.ttl() > cap ? new Hop(hop.owner(), hop.target(), cap, hop.kind()) : hop);
    }
    RecordSet set = records;
    if (set != null && set.ttl() > cap) {
      set = set.withTtl(cap);
    }
    return new Step(
        asked, type, cut, outcome, set, Math.min(negativeTtl, cap), obtained, failure, security);
  }

  /**
   * Returns this step with a DNSSEC status.
   *
   * @param value what the validator found
   * @return a step equal to this one but for {@link #security()}
   */
  public Step withSecurity(Security value) {
    return value == security
        ? this
        : new Step(asked, type, hops, outcome, records, negativeTtl, obtained, failure, value);
  }

  /**
   * Returns the last name of the chain in this response.
   *
   * @return the target of the last hop, or the asked name
   */
  public Name end() {
    return hops.isEmpty() ? asked : hops.get(hops.size() - 1).target();
  }
}
