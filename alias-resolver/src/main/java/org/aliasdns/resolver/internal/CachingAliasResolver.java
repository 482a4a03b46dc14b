package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.Resolution;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Freshness;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.ResolverStats;
import org.aliasdns.resolver.Source;
import org.aliasdns.resolver.TargetLookup;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The resolver behind {@link AliasResolver#builder()}; see there for what it does. */
public final class CachingAliasResolver implements AliasResolver {
  private final Settings settings;
  private final FlatteningPolicy policy;
  private final InstantSource clock;
  private final ResolverListener listener;
  private final Cache<CacheKey, CacheEntry> cache;
  /** When each question last failed upstream, for the failure recheck (RFC 8767 §5). */
  private final Cache<CacheKey, Instant> failures;

  private final ConcurrentHashMap<CacheKey, CompletableFuture<Step>> inFlight =
      new ConcurrentHashMap<>();
  private final QueryGate gate;
  private final Counters counters = new Counters();

  /**
   * Creates the resolver.
   *
   * @param settings the checked settings
   */
  public CachingAliasResolver(Settings settings) {
    this.settings = settings;
    this.policy = settings.policy();
    this.clock = settings.clock();
    this.listener = settings.listener();
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(settings.maximumCacheBytes())
            .weigher(EntryWeights.weigher())
            .expireAfter(EntryWeights.expiry(policy.maxStale()))
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
    this.failures =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(settings.failureRecheck())
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
    this.gate = new QueryGate(settings.maxInFlight(), settings.maxQueued());
  }

  @Override
  public CompletionStage<Lookup> resolve(Name name, int type) {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("name must be absolute: " + name);
    }
    if (type != Type.A && type != Type.AAAA) {
      throw new IllegalArgumentException("type must be A or AAAA, not " + Type.string(type));
    }
    Walk walk = new Walk(name, type, policy.chainLimit());
    try {
      return walk(walk);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(walk, "internal error: " + e, clock.instant()));
    }
  }

  @Override
  public CompletionStage<TargetLookup> resolveAddresses(Name target) {
    List<CompletableFuture<Lookup>> parts = new ArrayList<>(2);
    for (FlatteningPolicy.Family family : FlatteningPolicy.Family.values()) {
      if (policy.families().contains(family)) {
        parts.add(resolve(target, family.type()).toCompletableFuture());
      }
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
    return counters.snapshot();
  }

  @Override
  public long cacheEntries() {
    return cache.estimatedSize();
  }

  /** Follows the chain through fresh cache entries, then asks upstream where they end. */
  private CompletableFuture<Lookup> walk(Walk walk) {
    Instant now = clock.instant();
    while (true) {
      CacheEntry entry = cache.getIfPresent(new CacheKey(walk.current, walk.type));
      if (entry != null && entry.isFresh(now)) {
        notePrefetch(walk, entry, now);
        return CompletableFuture.completedFuture(finishFromCache(walk, entry, now));
      }
      CacheEntry alias = cache.getIfPresent(CacheKey.alias(walk.current));
      if (alias instanceof CacheEntry.Alias && alias.isFresh(now)) {
        notePrefetch(walk, alias, now);
        Resolution stop = walk.follow(((CacheEntry.Alias) alias).hop(), alias.expiry(), now);
        if (stop != null) {
          return CompletableFuture.completedFuture(done(walk, stop, now));
        }
        continue;
      }
      return upstream(walk, now);
    }
  }

  private void notePrefetch(Walk walk, CacheEntry entry, Instant now) {
    if (walk.prefetchEntry == null && entry.inPrefetchWindow(now)) {
      walk.prefetchEntry = entry;
      walk.prefetchName = walk.current;
    }
  }

  private Lookup finishFromCache(Walk walk, CacheEntry entry, Instant now) {
    Resolution resolution;
    if (entry instanceof CacheEntry.Final) {
      resolution = walk.answer(((CacheEntry.Final) entry).records(), entry.expiry(), now);
    } else {
      CacheEntry.Negative negative = (CacheEntry.Negative) entry;
      resolution = walk.negative(negative.nxdomain(), negative.ttl(), entry.expiry(), now);
    }
    return done(walk, resolution, now);
  }

  /** Wraps a final outcome (answer, negative, loop, too long) and counts the hit or miss. */
  private Lookup done(Walk walk, Resolution resolution, Instant now) {
    Freshness freshness = Freshness.FRESH;
    CacheEntry prefetch = walk.prefetchEntry;
    Name prefetchName = walk.prefetchName;
    if (prefetch != null && prefetchName != null && isData(resolution)) {
      freshness = Freshness.PREFETCHED;
      if (prefetch.prefetched().compareAndSet(false, true)) {
        startPrefetch(prefetchName, walk.type);
      }
    }
    if (walk.usedUpstream) {
      return new Lookup(resolution, freshness, Source.UPSTREAM, ttlOf(resolution));
    }
    counters.hits.increment();
    safely(() -> listener.cacheHit(walk.name, walk.type));
    return new Lookup(resolution, freshness, Source.CACHE, ttlOf(resolution));
  }

  private static boolean isData(Resolution r) {
    return r instanceof Resolution.Answer
        || r instanceof Resolution.NoData
        || r instanceof Resolution.NxDomain;
  }

  private static long ttlOf(Resolution r) {
    if (r instanceof Resolution.Answer) {
      return ((Resolution.Answer) r).chainTtl();
    } else if (r instanceof Resolution.NoData) {
      return ((Resolution.NoData) r).negativeTtl();
    } else if (r instanceof Resolution.NxDomain) {
      return ((Resolution.NxDomain) r).negativeTtl();
    }
    return 0;
  }

  private void startPrefetch(Name name, int type) {
    counters.prefetches.increment();
    safely(() -> listener.prefetch(name, type));
    // The result is cached by the query itself; a failure leaves the entry to expire and be
    // fetched in the foreground (or served stale).
    query(name, type);
  }

  private CompletableFuture<Lookup> upstream(Walk walk, Instant now) {
    if (!walk.usedUpstream) {
      walk.usedUpstream = true;
      counters.misses.increment();
      safely(() -> listener.cacheMiss(walk.name, walk.type));
    }
    CacheKey question = new CacheKey(walk.current, walk.type);
    Instant failedAt = failures.getIfPresent(question);
    if (failedAt != null && now.isBefore(failedAt.plus(settings.failureRecheck()))) {
      // RFC 8767 §5: do not ask again until the failure recheck interval has passed.
      return CompletableFuture.completedFuture(
          failed(
              walk,
              "upstream failed for " + walk.current + " " + Type.string(walk.type) + " at "
                  + failedAt + "; not asked again before "
                  + failedAt.plus(settings.failureRecheck()),
              now));
    }
    return query(walk.current, walk.type)
        .handle(
            (step, error) -> {
              Instant at = clock.instant();
              if (error != null) {
                return CompletableFuture.completedFuture(failed(walk, reason(error), at));
              }
              return apply(walk, step, at);
            })
        .thenCompose(f -> f);
  }

  /** Follows what one response contributed, then finishes or walks on. */
  private CompletableFuture<Lookup> apply(Walk walk, Step step, Instant now) {
    for (Hop hop : step.hops()) {
      Resolution stop = walk.follow(hop, step.obtained().plusSeconds(hop.ttl()), now);
      if (stop != null) {
        return CompletableFuture.completedFuture(done(walk, stop, now));
      }
    }
    Instant obtained = step.obtained();
    switch (step.outcome()) {
      case ANSWER:
        {
          var records = java.util.Objects.requireNonNull(step.records(), "records");
          return CompletableFuture.completedFuture(
              done(walk, walk.answer(records, obtained.plusSeconds(records.ttl()), now), now));
        }
      case NODATA:
      case NXDOMAIN:
        {
          long ttl = step.negativeTtl();
          Resolution negative =
              walk.negative(
                  step.outcome() == Step.Outcome.NXDOMAIN, ttl, obtained.plusSeconds(ttl), now);
          return CompletableFuture.completedFuture(done(walk, negative, now));
        }
      case FAILED:
        return CompletableFuture.completedFuture(
            failed(walk, String.valueOf(step.failure()), now));
      case CONTINUE:
      default:
        return walk(walk);
    }
  }

  /**
   * Answers a lookup whose upstream query failed: with the last good answer while it is within
   * max stale (RFC 8767 §4), else with a plain failure.
   */
  private Lookup failed(Walk walk, String reason, Instant now) {
    Resolution stale = staleWalk(walk.name, walk.type, now);
    if (stale instanceof Resolution.Answer) {
      counters.staleServed.increment();
      safely(() -> listener.staleServed(walk.name, walk.type, reason));
      return new Lookup(
          new Resolution.Failure(
              walk.name, walk.type, walk.hops, reason, now, (Resolution.Answer) stale),
          Freshness.STALE,
          Source.CACHE,
          policy.staleTtl());
    }
    if (stale != null) {
      // A stale NXDOMAIN/NODATA is still the best knowledge there is (RFC 8767 §4).
      counters.staleServed.increment();
      safely(() -> listener.staleServed(walk.name, walk.type, reason));
      return new Lookup(stale, Freshness.STALE, Source.CACHE, policy.staleTtl());
    }
    return new Lookup(
        new Resolution.Failure(walk.name, walk.type, walk.hops, reason, now, null),
        Freshness.FRESH,
        Source.UPSTREAM,
        0);
  }

  /**
   * Rebuilds the last good outcome from cache entries that are fresh or within max stale;
   * returns null if the chain cannot be completed that way or is a loop or too long.
   */
  private @Nullable Resolution staleWalk(Name name, int type, Instant now) {
    Walk walk = new Walk(name, type, policy.chainLimit());
    while (true) {
      CacheEntry entry = cache.getIfPresent(new CacheKey(walk.current, type));
      if (entry != null && policy.withinMaxStale(entry.expiry(), now)) {
        if (entry instanceof CacheEntry.Final) {
          return walk.answer(((CacheEntry.Final) entry).records(), entry.expiry(), now);
        }
        CacheEntry.Negative negative = (CacheEntry.Negative) entry;
        return walk.negative(negative.nxdomain(), negative.ttl(), entry.expiry(), now);
      }
      CacheEntry alias = cache.getIfPresent(CacheKey.alias(walk.current));
      if (!(alias instanceof CacheEntry.Alias) || !policy.withinMaxStale(alias.expiry(), now)) {
        return null;
      }
      if (walk.follow(((CacheEntry.Alias) alias).hop(), alias.expiry(), now) != null) {
        return null;
      }
    }
  }

  /**
   * Asks upstream one question, sharing a query already in flight for it. The query that is
   * sent caches what it accepted before anyone waiting on it continues, and notes a failure for
   * the recheck interval.
   */
  private CompletableFuture<Step> query(Name name, int type) {
    CacheKey question = new CacheKey(name, type);
    CompletableFuture<Step> mine = new CompletableFuture<>();
    CompletableFuture<Step> running = inFlight.putIfAbsent(question, mine);
    if (running != null) {
      counters.coalescedWaits.increment();
      safely(() -> listener.coalesced(name, type));
      return running;
    }
    boolean accepted =
        gate.submit(
            () ->
                send(name, type)
                    .whenComplete(
                        (step, error) -> {
                          gate.release();
                          settle(question, mine, step, error);
                        }));
    if (!accepted) {
      counters.rejected.increment();
      inFlight.remove(question, mine);
      mine.completeExceptionally(
          new UpstreamFailure(
              "too many upstream queries: " + settings.maxInFlight() + " in flight and "
                  + settings.maxQueued() + " queued"));
    }
    return mine;
  }

  private void settle(
      CacheKey question, CompletableFuture<Step> mine, @Nullable Step step,
      @Nullable Throwable error) {
    try {
      if (step != null && step.outcome() != Step.Outcome.FAILED) {
        store(step);
        failures.invalidate(question);
      } else {
        String why = step != null ? String.valueOf(step.failure()) : reason(error);
        counters.upstreamFailures.increment();
        safely(() -> listener.upstreamFailed(question.name(), question.type(), why));
        if (!settings.failureRecheck().isZero()) {
          failures.put(question, clock.instant());
        }
      }
    } finally {
      inFlight.remove(question, mine);
      if (step != null) {
        mine.complete(step);
      } else {
        mine.completeExceptionally(
            error == null ? new UpstreamFailure("no response") : unwrap(error));
      }
    }
  }

  private CompletableFuture<Step> send(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    counters.queriesSent.increment();
    safely(() -> listener.querySent(name, type));
    CompletableFuture<Message> response = new CompletableFuture<>();
    try {
      settings
          .upstream()
          .sendAsync(query, settings.executor())
          .whenComplete(
              (message, error) -> {
                if (error != null) {
                  response.completeExceptionally(error);
                } else {
                  response.complete(message);
                }
              });
    } catch (RuntimeException e) {
      response.completeExceptionally(e);
    }
    Duration timeout = settings.queryTimeout();
    return response
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            message -> {
              try {
                return ResponseParser.parse(query, message, clock.instant());
              } catch (UpstreamFailure e) {
                throw new CompletionException(e);
              }
            });
  }

  /** Caches the accepted chain: each hop, and the final RRset or negative answer. */
  private void store(Step step) {
    Instant obtained = step.obtained();
    for (Hop hop : step.hops()) {
      if (hop.ttl() > 0) { // TTL 0: use once, never cache
        cache.put(CacheKey.alias(hop.owner()), new CacheEntry.Alias(hop, obtained));
      }
    }
    Name end = step.end();
    switch (step.outcome()) {
      case ANSWER:
        {
          var records = java.util.Objects.requireNonNull(step.records(), "records");
          if (records.ttl() > 0) {
            cache.put(new CacheKey(end, step.type()), new CacheEntry.Final(records, obtained));
          }
          break;
        }
      case NODATA:
      case NXDOMAIN:
        if (step.negativeTtl() > 0) { // RFC 2308 §5: no SOA, no negative caching
          cache.put(
              new CacheKey(end, step.type()),
              new CacheEntry.Negative(
                  step.outcome() == Step.Outcome.NXDOMAIN, step.negativeTtl(), obtained));
        }
        break;
      case CONTINUE:
      case FAILED:
      default:
        break;
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private String reason(@Nullable Throwable error) {
    if (error == null) {
      return "no response";
    }
    Throwable t = unwrap(error);
    if (t instanceof UpstreamFailure) {
      return String.valueOf(t.getMessage());
    }
    if (t instanceof TimeoutException) {
      return "timeout after " + settings.queryTimeout().toMillis() + " ms";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // A listener's failure must not break resolution.
    }
  }
}
