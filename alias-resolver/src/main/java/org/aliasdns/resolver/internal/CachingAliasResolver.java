package org.aliasdns.resolver.internal;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Freshness;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.ResolverStats;
import org.aliasdns.resolver.Security;
import org.aliasdns.resolver.Source;
import org.aliasdns.resolver.TargetLookup;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * The resolver behind {@link AliasResolver#builder()}: walks a chain through the per-hop cache,
 * asks upstream where the cache ends, serves stale when upstream fails, and starts prefetches.
 */
public final class CachingAliasResolver implements AliasResolver {
  private final FlatteningPolicy policy;
  private final InstantSource clock;
  private final ResolverListener listener;
  private final Counters counters = new Counters();
  private final ChainCache cache;
  private final MemoCache memos;
  private final UpstreamQueries upstream;
  private final UpstreamSet upstreams;

  /**
   * Creates the resolver.
   *
   * @param settings the settings the public builder checked
   */
  public CachingAliasResolver(Settings settings) {
    this.policy = settings.policy();
    this.clock = settings.clock();
    this.listener = settings.listener();
    this.cache = new ChainCache(settings);
    this.memos = new MemoCache(settings);
    this.upstream = new UpstreamQueries(settings, counters, cache);
    this.upstreams = settings.upstreams();
    ResolverListener l = settings.listener();
    for (UpstreamSet.Server server : upstreams.servers()) {
      if (server.transport() instanceof UdpUpstream udp) {
        udp.onIgnored(
            (query, why) -> {
              counters.ignoredResponses.increment();
              Record q = query.getQuestion();
              if (q != null) {
                Listeners.call(() -> l.responseIgnored(q.getName(), q.getType(), why));
              }
            });
      }
    }
  }

  @Override
  public CompletionStage<Lookup> resolve(Name name, int type) {
    return resolve(name, type, cache.stamp());
  }

  /** Resolves one family, reading the cache as it was at {@code since}. */
  private CompletionStage<Lookup> resolve(Name name, int type, long since) {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("name must be absolute: " + name);
    }
    if (type != Type.A && type != Type.AAAA && type != Type.SVCB && type != Type.HTTPS) {
      throw new IllegalArgumentException(
          "type must be A, AAAA, SVCB or HTTPS, not " + Type.string(type));
    }
    MemoCache.Memo memo = memos.get(name, type);
    if (memo != null) {
      hit(name, type);
      return CompletableFuture.completedFuture((Lookup) memo.value());
    }
    Walk walk = new Walk(name, type, policy.chainLimit(), since);
    try {
      return walk(walk);
    } catch (RuntimeException e) {
      UpstreamFailure internal = new UpstreamFailure(Kind.INTERNAL, "internal error: " + e);
      return CompletableFuture.completedFuture(failed(walk, internal, clock.instant()));
    }
  }

  /** Counts a hit answered by a memo and tells the listener. */
  private void hit(Name name, int type) {
    counters.hits.increment();
    try {
      listener.cacheHit(name, type);
    } catch (RuntimeException ignored) {
      // A listener's failure is its own; resolution goes on.
    }
  }

  @Override
  public CompletionStage<TargetLookup> resolveAddresses(Name target) {
    MemoCache.Memo memo = memos.get(target, MemoCache.ADDRESSES);
    if (memo != null) {
      TargetLookup both = (TargetLookup) memo.value();
      for (Lookup lookup : both.lookups()) {
        hit(target, lookup.resolution().type());
      }
      return CompletableFuture.completedFuture(both);
    }
    List<CompletableFuture<Lookup>> parts = new ArrayList<>(2);
    boolean allDone = true;
    // Both families read the cache as it is now, so the second does not follow hops the
    // first's answer may already have brought: each asks its own questions, the same every run.
    long since = cache.stamp();
    // The address families, and HTTPS when the policy flattens it (RFC 9460).
    for (FlatteningPolicy.Family family : policy.synthesizedFamilies()) {
      CompletableFuture<Lookup> part = resolve(target, family.type(), since).toCompletableFuture();
      allDone &= part.isDone() && !part.isCompletedExceptionally();
      parts.add(part);
    }
    if (allDone) { // both answered from cache: no need to wait on anything
      List<Lookup> lookups = new ArrayList<>(parts.size());
      boolean memoized = true;
      Instant until = Instant.MAX;
      for (CompletableFuture<Lookup> part : parts) {
        Lookup lookup = part.join();
        lookups.add(lookup);
        // Both families memoized (fresh, from cache): so is the pair, until the first ends.
        MemoCache.Memo one = memos.get(target, lookup.resolution().type());
        if (one == null || one.value() != lookup) {
          memoized = false;
        } else if (one.until().isBefore(until)) {
          until = one.until();
        }
      }
      TargetLookup both = new TargetLookup(target, lookups);
      if (memoized && !lookups.isEmpty()) {
        memos.put(target, MemoCache.ADDRESSES, both, until);
      }
      return CompletableFuture.completedFuture(both);
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<Lookup> lookups = new ArrayList<>(parts.size());
              for (CompletableFuture<Lookup> part : parts) {
                lookups.add(part.join());
              }
              return new TargetLookup(target, lookups);
            });
  }

  @Override
  public FlatteningPolicy policy() {
    return policy;
  }

  @Override
  public InstantSource clock() {
    return clock;
  }

  @Override
  public ResolverStats stats() {
    return counters.snapshot(upstreams.stats());
  }

  @Override
  public long cacheEntries() {
    return cache.size();
  }

  /** Follows the chain through fresh cache entries, then asks upstream where they end. */
  private CompletableFuture<Lookup> walk(Walk walk) {
    Instant now = clock.instant();
    while (true) {
      CacheEntry data = cache.data(walk.current, walk.type);
      if (data != null && walk.sees(data) && data.isFresh(now)) {
        walk.usedCached(data);
        notePrefetch(walk, data, now);
        Hop aliasMode = aliasMode(walk.current, data);
        if (aliasMode == null) {
          return CompletableFuture.completedFuture(done(walk, ending(walk, data, now)));
        }
        Resolution stop = walk.follow(aliasMode, data.expiry(), now);
        if (stop != null) {
          return CompletableFuture.completedFuture(done(walk, stop));
        }
        continue;
      }
      CacheEntry.Alias alias = cache.alias(walk.current);
      if (alias == null || !walk.sees(alias) || !alias.isFresh(now)) {
        return ask(walk, now);
      }
      walk.usedCached(alias);
      notePrefetch(walk, alias, now);
      Resolution stop = walk.follow(alias.hop(), alias.expiry(), now);
      if (stop != null) {
        return CompletableFuture.completedFuture(done(walk, stop));
      }
    }
  }

  /**
   * The AliasMode hop an SVCB or HTTPS RRset makes (RFC 9460 §2.4.2), or null where the chain
   * ends there: any other type, a negative entry, ServiceMode records only, or an AliasMode
   * TargetName of "." (the service is not available, RFC 9460 §2.5.1). Of several AliasMode
   * records the first in canonical order is followed, so every run asks the same questions
   * (RFC 9460 §2.4.2 lets a client pick any); ServiceMode records beside one are ignored (§2.4.1).
   */
  private static @Nullable Hop aliasMode(Name owner, CacheEntry entry) {
    if (!(entry instanceof CacheEntry.Final found)) {
      return null;
    }
    return aliasMode(owner, found.records());
  }

  private static @Nullable Hop aliasMode(Name owner, RecordSet records) {
    if (records.type() != Type.SVCB && records.type() != Type.HTTPS) {
      return null;
    }
    for (Record r : records) {
      if (r instanceof SVCBBase svcb && svcb.getSvcPriority() == 0) {
        Name target = svcb.getTargetName();
        return target.equals(Name.root) ? null : Hop.aliasMode(owner, target, records.ttl());
      }
    }
    return null;
  }

  /** The outcome a cached final RRset or negative answer gives the walk. */
  private static Resolution ending(Walk walk, CacheEntry entry, Instant now) {
    if (entry instanceof CacheEntry.Final found) {
      return walk.answer(found.records(), entry.expiry(), now);
    }
    CacheEntry.Negative negative = (CacheEntry.Negative) entry;
    return walk.negative(negative.nxdomain(), negative.ttl(), entry.expiry(), now);
  }

  /** Remembers the first entry met in the last 10% of its TTL, to refresh in the background. */
  private static void notePrefetch(Walk walk, CacheEntry entry, Instant now) {
    if (walk.prefetchEntry == null && entry.inPrefetchWindow(now)) {
      walk.prefetchEntry = entry;
      walk.prefetchName = walk.current;
    }
  }

  /** Wraps an outcome (answer, negative, loop, too long), counts a hit, starts a prefetch. */
  private Lookup done(Walk walk, Resolution resolution) {
    Freshness freshness = Freshness.FRESH;
    CacheEntry prefetch = walk.prefetchEntry;
    Name prefetchName = walk.prefetchName;
    if (prefetch != null && prefetchName != null && isData(resolution)) {
      freshness = Freshness.PREFETCHED;
      // One refresh per entry: the flag stays set until the refreshed entry replaces this one.
      if (upstream.recheckWait(prefetchName, walk.type, clock.instant()) == null
          && prefetch.prefetched().compareAndSet(false, true)) {
        counters.prefetches.increment();
        Listeners.call(() -> listener.prefetch(prefetchName, walk.type));
        // The query caches its own result; if it fails, the entry expires as it would have.
        CompletableFuture<Step> unused = upstream.ask(prefetchName, walk.type);
      }
    }
    if (walk.usedUpstream) {
      return new Lookup(
          resolution, freshness, Source.UPSTREAM, ttlOf(resolution), walk.security());
    }
    counters.hits.increment();
    Listeners.call(() -> listener.cacheHit(walk.name, walk.type));
    Lookup lookup =
        new Lookup(resolution, freshness, Source.CACHE, ttlOf(resolution), walk.security());
    Instant until = walk.memoUntil;
    if (freshness == Freshness.FRESH && isData(resolution) && until != null) {
      memos.put(walk.name, walk.type, lookup, until);
    }
    return lookup;
  }

  private static boolean isData(Resolution r) {
    return r instanceof Resolution.Answer
        || r instanceof Resolution.NoData
        || r instanceof Resolution.NxDomain;
  }

  private static long ttlOf(Resolution r) {
    if (r instanceof Resolution.Answer answer) {
      return answer.chainTtl();
    } else if (r instanceof Resolution.NoData noData) {
      return noData.negativeTtl();
    } else if (r instanceof Resolution.NxDomain nxDomain) {
      return nxDomain.negativeTtl();
    }
    return 0; // loops and over-long chains are not to be cached downstream
  }

  /** Asks upstream for the name where the cache ran out, then goes on with the response. */
  private CompletableFuture<Lookup> ask(Walk walk, Instant now) {
    if (!walk.usedUpstream) {
      walk.usedUpstream = true;
      counters.misses.increment();
      Listeners.call(() -> listener.cacheMiss(walk.name, walk.type));
    }
    UpstreamFailure wait = upstream.recheckWait(walk.current, walk.type, now);
    if (wait != null) {
      return CompletableFuture.completedFuture(failed(walk, wait, now));
    }
    return upstream
        .ask(walk.current, walk.type)
        .thenCompose(step -> apply(walk, step, clock.instant()))
        .exceptionally(error -> failed(walk, upstream.failure(error), clock.instant()));
  }

  /** Follows what one response contributed, then finishes or walks on. */
  private CompletableFuture<Lookup> apply(Walk walk, Step step, Instant now) {
    Instant obtained = step.obtained();
    walk.secured(step.security());
    for (Hop hop : step.hops()) {
      Resolution stop = walk.follow(hop, obtained.plusSeconds(hop.ttl()), now);
      if (stop != null) {
        return CompletableFuture.completedFuture(done(walk, stop));
      }
    }
    return switch (step.outcome()) {
      case ANSWER -> {
        RecordSet records = Objects.requireNonNull(step.records(), "records");
        Hop aliasMode = aliasMode(walk.current, records);
        if (aliasMode != null) {
          Resolution stop = walk.follow(aliasMode, obtained.plusSeconds(records.ttl()), now);
          yield stop != null ? CompletableFuture.completedFuture(done(walk, stop)) : walk(walk);
        }
        Resolution answer = walk.answer(records, obtained.plusSeconds(records.ttl()), now);
        yield CompletableFuture.completedFuture(done(walk, answer));
      }
      case NODATA, NXDOMAIN -> {
        long ttl = step.negativeTtl();
        boolean nxdomain = step.outcome() == Step.Outcome.NXDOMAIN;
        Resolution negative = walk.negative(nxdomain, ttl, obtained.plusSeconds(ttl), now);
        yield CompletableFuture.completedFuture(done(walk, negative));
      }
      case FAILED ->
          CompletableFuture.completedFuture(
              failed(walk, Objects.requireNonNull(step.failure(), "failure"), now));
      case CONTINUE -> walk(walk);
    };
  }

  /**
   * Answers a lookup whose upstream query failed: with the last good answer while it is within
   * max stale (RFC 8767 §4), else with a plain failure.
   */
  private Lookup failed(Walk walk, UpstreamFailure failure, Instant now) {
    Walk old = new Walk(walk.name, walk.type, policy.chainLimit(), Long.MAX_VALUE); // all now
    Resolution stale = staleWalk(old, now);
    Resolution.Failure.Kind kind = failure.kind();
    String reason = failure.reason();
    if (kind.isBogus()) {
      counters.bogus.increment();
    }
    if (stale == null) {
      // RFC 4035 §4.3: a failure is bogus if validation failed, else nothing could be judged.
      Security security = kind.isBogus() ? Security.BOGUS : Security.INDETERMINATE;
      return new Lookup(
          new Resolution.Failure(walk.name, walk.type, walk.hops, kind, reason, now, null),
          Freshness.FRESH,
          Source.UPSTREAM,
          0,
          security);
    }
    counters.staleServed.increment();
    Listeners.call(() -> listener.staleServed(walk.name, walk.type, reason));
    if (stale instanceof Resolution.Answer answer) {
      stale = new Resolution.Failure(walk.name, walk.type, walk.hops, kind, reason, now, answer);
    }
    // A stale NXDOMAIN/NODATA is served as itself: still the best knowledge there is. Stale
    // data keeps the status it was cached with (a bogus answer was never cached).
    return new Lookup(stale, Freshness.STALE, Source.CACHE, policy.staleTtl(), old.security());
  }

  /**
   * Rebuilds the last good outcome from cache entries that are fresh or within max stale;
   * returns null if the chain cannot be completed that way, or loops, or runs too long.
   */
  private @Nullable Resolution staleWalk(Walk walk, Instant now) {
    int type = walk.type;
    while (true) {
      CacheEntry data = cache.data(walk.current, type);
      if (data != null && policy.withinMaxStale(data.expiry(), now)) {
        walk.secured(data.security());
        Hop aliasMode = aliasMode(walk.current, data);
        if (aliasMode == null) {
          return ending(walk, data, now);
        }
        if (walk.follow(aliasMode, data.expiry(), now) != null) {
          return null;
        }
        continue;
      }
      CacheEntry.Alias alias = cache.alias(walk.current);
      if (alias == null
          || !policy.withinMaxStale(alias.expiry(), now)
          || walk.follow(alias.hop(), alias.expiry(), now) != null) {
        return null;
      }
      walk.secured(alias.security());
    }
  }
}
