package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The per-hop cache: each CNAME/DNAME hop, each final RRset and each negative answer is its own
 * Caffeine entry with its own TTL, so chains that share a suffix share entries. Entries live
 * their TTL plus max stale (RFC 8767 §4) and are bounded by estimated bytes.
 */
final class ChainCache {
  private final Cache<CacheKey, CacheEntry> entries;
  /** How many responses were stored: the stamp of the latest entries. */
  private final AtomicLong stores = new AtomicLong();

  ChainCache(Settings settings) {
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(settings.maximumCacheBytes())
            .weigher(EntryWeights.weigher())
            .expireAfter(EntryWeights.expiry(settings.policy().maxStale()))
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
  }

  /** The final RRset or negative answer for a name and type, fresh or not. */
  @Nullable CacheEntry data(Name name, int type) {
    return entries.getIfPresent(new CacheKey(name, type));
  }

  /** The hop at a name, fresh or not. */
  CacheEntry.@Nullable Alias alias(Name name) {
    return entries.getIfPresent(CacheKey.alias(name)) instanceof CacheEntry.Alias alias
        ? alias
        : null;
  }

  /** The stamp of the entries stored last: a lookup that begins now reads those and older. */
  long stamp() {
    return stores.get();
  }

  /** Caches what a response contributed to a chain; TTL 0 is used once and never cached. */
  void store(Step step) {
    long stamp = stores.incrementAndGet();
    Instant obtained = step.obtained();
    for (Hop hop : step.hops()) {
      if (hop.ttl() > 0) {
        entries.put(CacheKey.alias(hop.owner()), new CacheEntry.Alias(hop, obtained, stamp, step.security()));
      }
    }
    Name end = step.end();
    switch (step.outcome()) {
      case ANSWER -> {
        RecordSet records = Objects.requireNonNull(step.records(), "records");
        if (records.ttl() > 0) {
          entries.put(new CacheKey(end, step.type()), new CacheEntry.Final(records, obtained, stamp, step.security()));
        }
      }
      case NODATA, NXDOMAIN -> {
        // RFC 2308 §5: min(SOA TTL, SOA MINIMUM); without a SOA it is 0 and not cached.
        if (step.negativeTtl() > 0) {
          boolean nxdomain = step.outcome() == Step.Outcome.NXDOMAIN;
          entries.put(
              new CacheKey(end, step.type()),
              new CacheEntry.Negative(
                  nxdomain, step.negativeTtl(), obtained, stamp, step.security()));
        }
      }
      case CONTINUE, FAILED -> {
        // Nothing final to keep; a failed response's hops are not kept either.
      }
    }
  }

  long size() {
    entries.cleanUp(); // drop what has outlived TTL + max stale, so the count is current
    return entries.estimatedSize();
  }
}
