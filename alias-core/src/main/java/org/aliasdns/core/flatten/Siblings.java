package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasPublication;
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
 * What one flattening run published for one flattened name and one address family: the {@link
 * AliasPublication} the rule decided, with its records as the published zone holds them. The
 * next run reads it back from {@link FlattenedZone} as the previous publication, to ride out
 * upstream failures (RFC 8767).
 *
 * @param publication what the rule decided
 * @param records the A or AAAA RRset put in the zone, or null when the publication has none
 * @since 0.1
 */
public record Siblings(AliasPublication publication, @Nullable RecordSet records) {

  /** What kind of publication this is, for logs and for telling transitions apart. */
  public enum Status {
    /** {@link AliasPublication.Fresh}: a fresh answer from upstream. */
    FRESH,
    /**
     * {@link AliasPublication.Stale}: a last good answer served past its failure, with the
     * stale TTL (RFC 8767).
     */
    STALE,
    /**
     * {@link AliasPublication.NoAddresses}: the target's chain ends in NXDOMAIN or NODATA (fresh,
     * or kept stale): nothing is published, so the name answers NODATA for this type (RFC 2308
     * §2.2).
     */
    NO_ADDRESSES,
    /**
     * {@link AliasPublication.Unresolved}: no usable answer and nothing (left) to keep: nothing
     * is published. See {@link FlatteningProblem} for why.
     */
    UNRESOLVED
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the records are not the publication's
   */
  public Siblings {
    Objects.requireNonNull(publication, "publication");
    boolean publishes =
        publication instanceof AliasPublication.Fresh
            || publication instanceof AliasPublication.Stale;
    if (publishes != (records != null)) {
      throw new IllegalArgumentException(
          status(publication) + " siblings must " + (publishes ? "" : "not ") + "have records");
    }
    if (records != null && records.type() != publication.family().type()) {
      throw new IllegalArgumentException(
          "records do not match family " + publication.family() + ": " + records);
    }
  }

  /**
   * Records a publication with the records it puts in the zone.
   *
   * @param publication what the rule decided
   * @return the siblings
   */
  public static Siblings of(AliasPublication publication) {
    return new Siblings(publication, publication.records());
  }

  /**
   * Returns the alias (or flattened CNAME) name.
   *
   * @return the name, in its zone-file case
   */
  public Name owner() {
    return publication.owner();
  }

  /**
   * Returns the address family.
   *
   * @return the family
   */
  public Family family() {
    return publication.family();
  }

  /**
   * Returns the alias target the publication belongs to.
   *
   * @return the target
   */
  public Name target() {
    return publication.target();
  }

  /**
   * Returns what kind of publication this is.
   *
   * @return the status matching the publication's type
   */
  public Status status() {
    return status(publication);
  }

  /**
   * Returns when the published state was last obtained from upstream.
   *
   * @return the instant the addresses or negative answer were obtained; null when {@link
   *     Status#UNRESOLVED}
   */
  public @Nullable Instant confirmed() {
    if (publication instanceof AliasPublication.Fresh fresh) {
      return fresh.confirmed();
    }
    if (publication instanceof AliasPublication.Stale stale) {
      return stale.confirmed();
    }
    if (publication instanceof AliasPublication.NoAddresses none) {
      return none.confirmed();
    }
    return null;
  }

  /**
   * Returns when the upstream data behind the published addresses stops being fresh ({@link
   * FlatteningPolicy#expiry}: confirmed plus the chain TTL).
   *
   * @return the instant, or null when no addresses are published
   */
  public @Nullable Instant expires() {
    if (publication instanceof AliasPublication.Fresh fresh) {
      return fresh.expires();
    }
    if (publication instanceof AliasPublication.Stale stale) {
      return stale.expires();
    }
    return null;
  }

  /**
   * Returns the published addresses, without host names.
   *
   * @return an unmodifiable list in canonical order; empty when nothing is published
   */
  public List<InetAddress> addresses() {
    return records == null ? List.of() : addressesOf(records);
  }

  private static Status status(AliasPublication publication) {
    if (publication instanceof AliasPublication.Fresh) {
      return Status.FRESH;
    }
    if (publication instanceof AliasPublication.Stale) {
      return Status.STALE;
    }
    if (publication instanceof AliasPublication.NoAddresses) {
      return Status.NO_ADDRESSES;
    }
    return Status.UNRESOLVED;
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
