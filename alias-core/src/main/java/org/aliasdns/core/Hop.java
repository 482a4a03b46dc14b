package org.aliasdns.core;

import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * One step of a chain: a CNAME or DNAME that took the resolver from one name to the next, or,
 * inside a zone the server is authoritative for, an alias record that leads to its target, or,
 * in an SVCB or HTTPS chain, an AliasMode record (RFC 9460 §2.4.2).
 *
 * @param owner the name that was asked (for a DNAME hop, the name that was rewritten)
 * @param target the name the hop leads to
 * @param ttl the TTL of the CNAME, of the DNAME for a DNAME hop (RFC 6672 §3.1), or of the
 *     alias or AliasMode record
 * @param kind whether a CNAME, a DNAME or an alias record made this hop
 * @since 0.1
 */
public record Hop(Name owner, Name target, long ttl, Kind kind) {
  /** What made a hop. */
  public enum Kind {
    /** A CNAME record at the owner (RFC 1034 §3.6.2). */
    CNAME,
    /** A DNAME record at an ancestor of the owner (RFC 6672). */
    DNAME,
    /**
     * An ALIAS or ANAME record at the owner, in a zone the server is authoritative for: its
     * target is resolved in turn ({@link InZoneTargets}). Upstream resolvers never report one.
     */
    ALIAS,
    /**
     * An SVCB or HTTPS record in AliasMode (SvcPriority 0) at the owner: its TargetName is asked
     * for the same type in turn (RFC 9460 §2.4.2). Only in the chain of an SVCB or HTTPS
     * resolution.
     *
     * @since 0.2
     */
    ALIAS_MODE
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a name is relative or the TTL is negative
   */
  public Hop {
    Objects.requireNonNull(kind, "kind");
    if (!owner.isAbsolute() || !target.isAbsolute()) {
      throw new IllegalArgumentException("hop names must be absolute: " + owner + " -> " + target);
    }
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
  }

  /**
   * Creates a CNAME hop.
   *
   * @param owner the CNAME owner
   * @param target the CNAME target
   * @param ttl the CNAME's TTL
   * @return the hop
   */
  public static Hop cname(Name owner, Name target, long ttl) {
    return new Hop(owner, target, ttl, Kind.CNAME);
  }

  /**
   * Creates a DNAME hop.
   *
   * @param owner the name that was rewritten
   * @param target the rewritten name
   * @param ttl the DNAME's TTL
   * @return the hop
   */
  public static Hop dname(Name owner, Name target, long ttl) {
    return new Hop(owner, target, ttl, Kind.DNAME);
  }

  /**
   * Creates an alias hop: an ALIAS or ANAME record in a served zone whose target is resolved in
   * its place.
   *
   * @param owner the alias record's owner (the name asked)
   * @param target the alias target
   * @param ttl the alias record's TTL
   * @return the hop
   */
  public static Hop alias(Name owner, Name target, long ttl) {
    return new Hop(owner, target, ttl, Kind.ALIAS);
  }

  /**
   * Creates an AliasMode hop: an SVCB or HTTPS record with SvcPriority 0 whose TargetName is
   * asked for the same type in turn (RFC 9460 §2.4.2).
   *
   * @param owner the AliasMode record's owner
   * @param target its TargetName, not "."
   * @param ttl the record's TTL
   * @return the hop
   * @since 0.2
   */
  public static Hop aliasMode(Name owner, Name target, long ttl) {
    return new Hop(owner, target, ttl, Kind.ALIAS_MODE);
  }

  /** Returns {@code owner -> target (kind, ttl s)}. */
  @Override
  public String toString() {
    return owner + " -> " + target + " (" + kind + ", " + ttl + " s)";
  }
}
