package org.aliasdns.resolver.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.resolver.Security;

/**
 * One cached fact with its own TTL: a hop, a final RRset, or a negative answer. Entries are
 * immutable but for the flag that lets only one prefetch start per entry.
 */
public sealed interface CacheEntry {
  /**
   * Returns when the fact came from upstream.
   *
   * @return the instant
   */
  Instant obtained();

  /**
   * Returns the TTL of the fact.
   *
   * @return seconds, more than 0 (TTL 0 is never cached)
   */
  long ttl();

  /**
   * Returns the flag set by the first prefetch of this entry.
   *
   * @return the flag
   */
  AtomicBoolean prefetched();

  /**
   * Returns when the entry was stored, as a count of the cache's stores: a later store has a
   * larger stamp. A lookup reads only entries stored before it began (see {@code Walk}).
   *
   * @return the stamp, 1 or more
   */
  long stamp();

  /**
   * Returns the DNSSEC status the response that brought the entry had: a cached answer keeps
   * its status (never bogus: bogus responses are not cached).
   *
   * @return the status
   */
  Security security();

  /**
   * Returns when the fact stops being fresh.
   *
   * @return obtained plus TTL
   */
  default Instant expiry() {
    return obtained().plusSeconds(ttl());
  }

  /**
   * Tells whether the fact is within its TTL.
   *
   * @param now the current time
   * @return true while fresh
   */
  default boolean isFresh(Instant now) {
    return now.isBefore(expiry());
  }

  /**
   * Tells whether the fact is fresh and in the last 10% of its TTL, when Unbound-style
   * prefetching refreshes it.
   *
   * @param now the current time
   * @return true in the prefetch window
   */
  default boolean inPrefetchWindow(Instant now) {
    return isFresh(now) && !now.isBefore(prefetchStart());
  }

  /**
   * Returns when the last 10% of the TTL begins.
   *
   * @return obtained plus 90% of the TTL
   */
  default Instant prefetchStart() {
    return obtained().plusMillis(ttl() * 900);
  }

  /**
   * A CNAME or DNAME hop, cached under its owner and {@code CNAME}.
   *
   * @param hop the hop
   * @param obtained when it came
   * @param prefetched the prefetch flag
   * @param stamp when it was stored
   * @param security the DNSSEC status of the response it came in
   */
  record Alias(
      Hop hop, Instant obtained, AtomicBoolean prefetched, long stamp, Security security)
      implements CacheEntry {
    Alias(Hop hop, Instant obtained, long stamp, Security security) {
      this(hop, obtained, new AtomicBoolean(), stamp, security);
    }

    @Override
    public long ttl() {
      return hop.ttl();
    }
  }

  /**
   * The RRset of the asked type that ends a chain.
   *
   * @param records the RRset
   * @param obtained when it came
   * @param prefetched the prefetch flag
   * @param stamp when it was stored
   * @param security the DNSSEC status of the response it came in
   */
  record Final(
      RecordSet records,
      Instant obtained,
      AtomicBoolean prefetched,
      long stamp,
      Security security)
      implements CacheEntry {
    Final(RecordSet records, Instant obtained, long stamp, Security security) {
      this(records, obtained, new AtomicBoolean(), stamp, security);
    }

    @Override
    public long ttl() {
      return records.ttl();
    }
  }

  /**
   * A negative answer (RFC 2308): NXDOMAIN or NODATA for the key's name and type.
   *
   * @param nxdomain true for NXDOMAIN, false for NODATA
   * @param ttl min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)
   * @param obtained when it came
   * @param prefetched the prefetch flag
   * @param stamp when it was stored
   * @param security the DNSSEC status of the response it came in
   */
  record Negative(
      boolean nxdomain,
      long ttl,
      Instant obtained,
      AtomicBoolean prefetched,
      long stamp,
      Security security)
      implements CacheEntry {
    Negative(boolean nxdomain, long ttl, Instant obtained, long stamp, Security security) {
      this(nxdomain, ttl, obtained, new AtomicBoolean(), stamp, security);
    }
  }
}
