package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Weigher;
import java.time.Duration;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * How big and how long-lived cache entries are: a {@link Weigher} that estimates the bytes an
 * entry holds on the heap, and an {@link Expiry} that keeps each entry for its own TTL plus the
 * max-stale window (RFC 8767 §4), after which it goes.
 */
public final class EntryWeights {
  /**
   * Key, entry, Caffeine node, Instant and flag, on a 64-bit JVM with compressed oops: set so
   * that the estimate matches the measured heap (about 300 bytes for a CNAME hop or a one-address
   * RRset with names of 20-odd characters, in CachedNameFootprint at 1,000,000 names).
   */
  private static final int ENTRY_OVERHEAD = 176;

  /** A Name object beyond its wire bytes. */
  private static final int NAME_OVERHEAD = 40;

  /** A Record object beyond its name and rdata. */
  private static final int RECORD_OVERHEAD = 40;

  private EntryWeights() {}

  /**
   * Returns the weigher.
   *
   * @return estimated bytes per entry
   */
  public static Weigher<CacheKey, CacheEntry> weigher() {
    return (key, entry) -> {
      int bytes = ENTRY_OVERHEAD + NAME_OVERHEAD + key.name().length();
      if (entry instanceof CacheEntry.Alias alias) {
        bytes += NAME_OVERHEAD + alias.hop().target().length();
      } else if (entry instanceof CacheEntry.Final found) {
        for (Record r : found.records()) {
          bytes += RECORD_OVERHEAD + rdataEstimate(r.getType());
        }
      }
      return bytes;
    };
  }

  private static int rdataEstimate(int type) {
    return switch (type) {
      case Type.A -> 4 + 16; // the address bytes and their array header
      case Type.AAAA -> 16 + 16;
      default -> 64;
    };
  }

  /**
   * Returns the expiry: TTL plus max stale from creation, renewed by an update, unchanged by a
   * read.
   *
   * @param maxStale how long past its TTL an entry may still be served stale
   * @return the expiry
   */
  public static Expiry<CacheKey, CacheEntry> expiry(Duration maxStale) {
    long staleNanos = saturatedNanos(maxStale);
    return new Expiry<>() {
      @Override
      public long expireAfterCreate(CacheKey key, CacheEntry entry, long currentTime) {
        return lifetime(entry);
      }

      @Override
      public long expireAfterUpdate(
          CacheKey key, CacheEntry entry, long currentTime, long currentDuration) {
        return lifetime(entry);
      }

      @Override
      public long expireAfterRead(
          CacheKey key, CacheEntry entry, long currentTime, long currentDuration) {
        return currentDuration;
      }

      private long lifetime(CacheEntry entry) {
        long ttlNanos = entry.ttl() * 1_000_000_000L; // TTLs are below 2^31 s
        // + 1 ns: the stale window is inclusive (FlatteningPolicy.withinMaxStale), while an
        // entry whose duration has fully elapsed is already gone.
        long sum = ttlNanos + staleNanos + 1;
        return sum < 0 ? Long.MAX_VALUE : sum;
      }
    };
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }
}
