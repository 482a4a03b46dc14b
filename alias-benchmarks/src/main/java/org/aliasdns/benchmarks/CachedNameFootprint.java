package org.aliasdns.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.aliasdns.resolver.AliasResolver;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Heap per cached name, queries per cold resolution, and the weight bound. Fills a resolver's
 * cache with N names (default 1,000,000), each a CNAME to its own A record (two per-hop
 * entries), measures the used heap after GC before and after; then asks every name again,
 * which walks the cache and adds a memo of the whole lookup per name, and measures again. With
 * a second argument, the cache's byte bound, it shows how many entries and how much heap the
 * bound leaves. Run with {@code java -Xmx4g -cp ... org.aliasdns.benchmarks.CachedNameFootprint
 * [N [MAX_CACHE_BYTES]]}.
 */
public final class CachedNameFootprint {
  private CachedNameFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long bound = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE / 2;
    byte[] ip = {(byte) 198, 51, 100, 7};
    InetAddress address = InetAddress.getByAddress(ip); // bytes only: no lookup
    StaticUpstream upstream =
        new StaticUpstream(
            name -> {
              String first = name.getLabelString(0);
              try {
                if (first.startsWith("alias")) {
                  Name target = Name.fromString("edge" + first.substring(5) + ".example.org.");
                  return List.<Record>of(new CNAMERecord(name, DClass.IN, 3600, target));
                }
                return List.<Record>of(new ARecord(name, DClass.IN, 3600, address));
              } catch (TextParseException e) {
                throw new IllegalStateException(e);
              }
            });
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(upstream)
            .clock(InstantSource.fixed(Instant.parse("2026-11-21T10:00:00Z")))
            .executor(Runnable::run)
            .maximumCacheBytes(bound)
            .build();

    // Queries per cold resolution: a recursive upstream returns the chain in one response.
    resolver.resolve(Name.fromString("alias-warm.example.net."), Type.A).toCompletableFuture().join();
    System.out.printf("queries per cold resolution (recursive, one family): %d%n",
        upstream.queries.sum());

    long before = usedAfterGc();
    askAll(resolver, n);
    long after = usedAfterGc();
    System.out.printf(
        "bound %s; names: %,d, per-hop entries: %,d, heap: %,d bytes, %.0f bytes per name%n",
        args.length > 1 ? String.format("%,d bytes", bound) : "unlimited",
        n, resolver.cacheEntries(), after - before, (after - before) / (double) n);
    askAll(resolver, n); // every name again: from cache, each now memoized
    long memoized = usedAfterGc();
    System.out.printf(
        "asked again (memos made): heap: %,d bytes, %.0f bytes per name%n",
        memoized - before, (memoized - before) / (double) n);
  }

  private static void askAll(AliasResolver resolver, int n) throws TextParseException {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(resolver.resolve(Name.fromString("alias" + i + ".example.net."), Type.A)
          .toCompletableFuture());
      if (pending.size() == 10_000) {
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
