package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * Whole lookups already assembled from the per-hop cache, so that a repeated question costs one
 * cache read instead of a walk over every hop. A memo is made only from fresh entries and lives
 * until the first of them enters its prefetch window (the last 10% of its TTL); from then on
 * lookups walk the hops again, which starts the prefetch and serves stale when it comes to that.
 * So a memo never outlives 90% of the shortest TTL it was built from, and holds nothing the
 * per-hop cache would not have answered at the time it was made.
 */
final class MemoCache {
  /** The key type of a memo of both families of a target (type 0 is reserved, RFC 6895 §3.1). */
  static final int ADDRESSES = 0;

  private final Cache<CacheKey, Memo> memos;
  private final InstantSource clock;

  /**
   * A remembered lookup: a {@link Lookup}, or a {@link org.aliasdns.resolver.TargetLookup}
   * under {@link #ADDRESSES}.
   *
   * @param value the lookup
   * @param until when it stops being served
   */
  record Memo(Object value, Instant until) {}

  MemoCache(Settings settings) {
    this.clock = settings.clock();
    // A memo costs about 350 bytes (measured: CachedNameFootprint); one per 4 KiB of the byte
    // bound adds at most a tenth to it, and holds the hot set of any realistic flattener.
    long size = Math.max(1024, settings.maximumCacheBytes() / 4096);
    this.memos =
        Caffeine.newBuilder()
            .maximumSize(size)
            .expireAfter(
                Expiry.<CacheKey, Memo>creating(
                    (key, memo) -> Duration.between(clock.instant(), memo.until())))
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
  }

  /** The memo for a question, if one is still good. */
  @Nullable Memo get(Name name, int type) {
    return memos.getIfPresent(new CacheKey(name, type));
  }

  /** Remembers a lookup until an instant; nothing if that instant has passed. */
  void put(Name name, int type, Object lookup, Instant until) {
    if (clock.instant().isBefore(until)) {
      memos.put(new CacheKey(name, type), new Memo(lookup, until));
    }
  }
}
