package org.aliasdns.resolver.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aliasdns.core.Hop;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.RecordSet;
import org.aliasdns.resolver.Security;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * One lookup's progress along a chain: the hops so far, the names visited, and the earliest
 * expiry among the facts used. Confined to one lookup at a time (the async steps of a lookup
 * happen one after another).
 *
 * <p>A walk reads the cache as it was when its lookup began ({@link #sees}): what it asks
 * upstream then depends only on that and on its own answers, not on which concurrent answer
 * landed first. The A and AAAA walks of one {@code resolveAddresses} start from the same
 * point, so neither follows a hop the other's answer has just brought: each asks the same
 * questions on every run, which a test with exact query expectations relies on.
 */
final class Walk {
  final Name name;
  final int type;
  final int chainLimit;
  /** The stamp of the newest cache entries this walk reads. */
  final long since;
  final List<Hop> hops = new ArrayList<>();
  private final Set<Name> visited = new HashSet<>(); // Name ignores case (RFC 4343)
  Name current;
  boolean usedUpstream;
  @Nullable Instant minExpiry;
  long minTtl = Long.MAX_VALUE;
  /** The weakest DNSSEC status of the entries and responses the walk used (RFC 4035 §4.3). */
  Security security = Security.SECURE;
  /** Whether any entry or response was used: a walk that used none has no status yet. */
  boolean secured;
  /** The first fresh cache entry met in the last 10% of its TTL, and the name to refresh. */
  @Nullable CacheEntry prefetchEntry;

  @Nullable Name prefetchName;

  /** The earliest start of a prefetch window among the cache entries used (for the memo). */
  @Nullable Instant memoUntil;

  Walk(Name name, int type, int chainLimit, long since) {
    this.name = name;
    this.type = type;
    this.chainLimit = chainLimit;
    this.since = since;
    this.current = name;
    visited.add(name);
  }

  /** Tells whether a cache entry was there when this walk's lookup began. */
  boolean sees(CacheEntry entry) {
    return entry.stamp() <= since;
  }

  /** Notes the status of one entry or response the chain went through: the weakest wins. */
  void secured(Security status) {
    security = security.weakest(status);
    secured = true;
  }

  /** The chain's status: the weakest over what it used, indeterminate if it used nothing. */
  Security security() {
    return secured ? security : Security.INDETERMINATE;
  }

  /** Notes a fresh cache entry used: a memo of this walk must end where its prefetch begins. */
  void usedCached(CacheEntry entry) {
    secured(entry.security());
    Instant start = entry.prefetchStart();
    if (memoUntil == null || start.isBefore(memoUntil)) {
      memoUntil = start;
    }
  }

  /** Takes a fact's TTL and expiry into the result's. */
  void used(long ttl, Instant expiry) {
    minTtl = Math.min(minTtl, ttl);
    if (minExpiry == null || expiry.isBefore(minExpiry)) {
      minExpiry = expiry;
    }
  }

  /**
   * Follows one hop.
   *
   * @return a loop or an over-long chain, or null to go on
   */
  @Nullable Resolution follow(Hop hop, Instant expiry, Instant now) {
    if (hops.size() >= chainLimit) {
      return new Resolution.ChainTooLong(name, type, hops, now);
    }
    hops.add(hop);
    used(hop.ttl(), expiry);
    current = hop.target();
    if (!visited.add(current)) {
      return new Resolution.Loop(name, type, hops, now);
    }
    return null;
  }

  /**
   * Returns when the result counts as obtained: chosen so that obtained plus the smallest TTL is
   * the earliest expiry of any fact used, so {@code FlatteningPolicy.expiry} tells the truth for
   * a chain assembled from entries obtained at different times.
   */
  Instant obtained(Instant now) {
    Instant expiry = minExpiry;
    if (expiry == null || minTtl == Long.MAX_VALUE) {
      return now;
    }
    return expiry.minusSeconds(minTtl);
  }

  Resolution.Answer answer(RecordSet records, Instant recordsExpiry, Instant now) {
    used(records.ttl(), recordsExpiry);
    return new Resolution.Answer(name, type, hops, records, obtained(now));
  }

  Resolution negative(boolean nxdomain, long negativeTtl, Instant expiry, Instant now) {
    used(negativeTtl, expiry);
    Instant obtained = obtained(now);
    return nxdomain
        ? new Resolution.NxDomain(name, type, hops, minTtl, obtained)
        : new Resolution.NoData(name, type, hops, minTtl, obtained);
  }
}
