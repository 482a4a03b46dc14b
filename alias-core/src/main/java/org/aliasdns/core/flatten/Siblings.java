package org.aliasdns.core.flatten;

import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What one flattening run published for one flattened name and one address family: the
 * synthesized A or AAAA RRset (if any), where it came from, and how long it may be kept. The
 * next run reads this back from {@link FlattenedZone} to ride out upstream failures: previous
 * addresses are kept, as stale, until {@link #expires()} plus the policy's max stale.
 *
 * @param owner the alias (or flattened CNAME) name, in its zone-file case
 * @param family the address family
 * @param target the alias target the addresses belong to
 * @param status where the published state came from
 * @param records the published RRset, or null when nothing is published for this family
 * @param confirmed when the published state was last obtained from upstream, or null if it
 *     never was ({@link Status#UNRESOLVED})
 * @param expires when the upstream data behind the addresses stops being fresh ({@link
 *     FlatteningPolicy#expiry}: confirmed plus the chain TTL), or null when no addresses are
 *     published
 * @since 0.1
 */
public record Siblings(
    Name owner,
    Family family,
    Name target,
    Status status,
    @Nullable RecordSet records,
    @Nullable Instant confirmed,
    @Nullable Instant expires) {

  /** Where a published state came from. */
  public enum Status {
    /** A fresh answer from upstream. */
    FRESH,
    /**
     * A last good answer served past its failure, with the stale TTL (RFC 8767): the resolver's
     * stale answer or the previous run's addresses.
     */
    STALE,
    /**
     * Upstream said the chain ends in NXDOMAIN or NODATA: nothing is published, so the name
     * answers NODATA for this type (RFC 2308 §2.2).
     */
    NO_ADDRESSES,
    /**
     * No usable answer and nothing (left) to keep: nothing is published. See {@link
     * FlatteningProblem} for why.
     */
    UNRESOLVED
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if records are given for a status that publishes none, or
   *     are not of the family's type
   */
  public Siblings {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    boolean publishes = status == Status.FRESH || status == Status.STALE;
    if (publishes != (records != null) || publishes != (expires != null)) {
      throw new IllegalArgumentException(
          status + " siblings must " + (publishes ? "" : "not ") + "have records and expiry");
    }
    if (publishes && confirmed == null) {
      throw new IllegalArgumentException(status + " siblings must say when they were confirmed");
    }
    if (records != null && records.type() != family.type()) {
      throw new IllegalArgumentException("records do not match family " + family + ": " + records);
    }
  }

  /**
   * Returns the published addresses, without host names.
   *
   * @return an unmodifiable list in canonical order; empty when nothing is published
   */
  public List<InetAddress> addresses() {
    return records == null ? List.of() : addressesOf(records);
  }

  /** Returns the bare addresses of an A or AAAA set, in the set's canonical order. */
  static List<InetAddress> addressesOf(RecordSet set) {
    List<InetAddress> out = new ArrayList<>(set.size());
    for (Record r : set) {
      if (!(r instanceof ARecord) && !(r instanceof AAAARecord)) {
        continue;
      }
      try {
        // The rdata is the address (RFC 1035 §3.4.1, RFC 3596 §2.2). Taken from it, not from
        // getAddress(), which formats the owner as the address's host name on every call.
        out.add(InetAddress.getByAddress(r.rdataToWireCanonical()));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("address of illegal length in " + r, e);
      }
    }
    return Collections.unmodifiableList(out);
  }
}
