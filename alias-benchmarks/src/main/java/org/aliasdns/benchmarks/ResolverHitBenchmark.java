package org.aliasdns.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.resolver.TargetLookup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * A cache hit on a 3-hop chain, A and AAAA (a.example.net → b.example.com → c.example.org →
 * edge.example.org A and AAAA), side by side:
 *
 * <ul>
 *   <li>{@code aliasResolverHit}: {@code AliasResolver.resolveAddresses}, both families;
 *   <li>{@code lookupSessionHit}: dnsjava 3.7's {@code LookupSession} with its {@code Cache} on
 *       the same upstream, A then AAAA;
 *   <li>{@code caffeineFloor}: two {@code getIfPresent} calls on a Caffeine cache configured as
 *       ours is (variable expiry on a ticker), with keys made in advance: the cost of the cache
 *       structure alone; {@code caffeinePlain}: the same without expiry.
 * </ul>
 *
 * <p>Both the resolver and the floor use the system clock and ticker, as in production; the
 * TTLs (an hour) outlast the run, so no upstream query is sent after setup. Targets (issue 5): at least 10x {@code LookupSession}'s throughput and within 3x of the
 * raw Caffeine read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ResolverHitBenchmark {
  private static final Name A = Name.fromConstantString("a.example.net.");

  private AliasResolver resolver = AliasResolver.builder().upstream(StaticUpstream.of(Map.of())).build();
  private LookupSession session = LookupSession.builder().resolver(StaticUpstream.of(Map.of())).build();
  private Cache<Key, Lookup> expiring = Caffeine.newBuilder().build();
  private Cache<Key, Lookup> plain = Caffeine.newBuilder().build();
  private final Key keyA = new Key(A, Type.A);
  private final Key keyAaaa = new Key(A, Type.AAAA);

  /** What the floor caches are keyed by: a name and a type, as the resolver's keys are. */
  record Key(Name name, int type) {}

  /** Primes every cache with one lookup per family. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Name b = Name.fromConstantString("b.example.com.");
    Name c = Name.fromConstantString("c.example.org.");
    Name edge = Name.fromConstantString("edge.example.org.");
    StaticUpstream upstream =
        StaticUpstream.of(
            Map.<Name, List<Record>>of(
                A, List.of(new CNAMERecord(A, DClass.IN, 3600, b)),
                b, List.of(new CNAMERecord(b, DClass.IN, 3600, c)),
                c, List.of(new CNAMERecord(c, DClass.IN, 3600, edge)),
                edge,
                    List.of(
                        new ARecord(edge, DClass.IN, 3600, Address.getByAddress("192.0.2.10")),
                        new AAAARecord(
                            edge, DClass.IN, 3600, Address.getByAddress("2001:db8::10")))));
    // The system clock and ticker, as in production; TTLs of an hour outlast the run.
    resolver = AliasResolver.builder().upstream(upstream).executor(Runnable::run).build();
    TargetLookup primed = resolver.resolveAddresses(A).toCompletableFuture().join();
    for (Lookup l : primed.lookups()) {
      if (!(l.resolution() instanceof Resolution.Answer)) {
        throw new IllegalStateException("priming failed: " + primed);
      }
    }
    // The second lookup walks the per-hop entries and memoizes the whole lookup; every hit
    // after that is one read of the memo (until the first entry's prefetch window).
    resolver.resolveAddresses(A).toCompletableFuture().join();
    session =
        LookupSession.builder()
            .resolver(upstream)
            .cache(new org.xbill.DNS.Cache(DClass.IN))
            .executor(Runnable::run)
            .build();
    session.lookupAsync(A, Type.A).toCompletableFuture().join();
    session.lookupAsync(A, Type.AAAA).toCompletableFuture().join();
    Lookup a = primed.get(Type.A).orElseThrow();
    Lookup aaaa = primed.get(Type.AAAA).orElseThrow();
    expiring =
        Caffeine.newBuilder()
            .maximumSize(65_536)
            .expireAfter(Expiry.<Key, Lookup>creating((k, v) -> Duration.ofHours(1)))
            .build();
    expiring.put(keyA, a);
    expiring.put(keyAaaa, aaaa);
    plain = Caffeine.newBuilder().maximumSize(65_536).build();
    plain.put(keyA, a);
    plain.put(keyAaaa, aaaa);
  }

  /** alias-resolver: A and AAAA of the alias target from cache. */
  @Benchmark
  public TargetLookup aliasResolverHit() {
    return resolver.resolveAddresses(A).toCompletableFuture().join();
  }

  /** dnsjava LookupSession with its Cache: the same chain, A then AAAA, from cache. */
  @Benchmark
  public void lookupSessionHit(Blackhole bh) {
    bh.consume(session.lookupAsync(A, Type.A).toCompletableFuture().join());
    bh.consume(session.lookupAsync(A, Type.AAAA).toCompletableFuture().join());
  }

  /** Two reads of a Caffeine cache configured like ours, keys made in advance. */
  @Benchmark
  public void caffeineFloor(Blackhole bh) {
    bh.consume(expiring.getIfPresent(keyA));
    bh.consume(expiring.getIfPresent(keyAaaa));
  }

  /** Two reads of a Caffeine cache without expiry, keys made in advance. */
  @Benchmark
  public void caffeinePlain(Blackhole bh) {
    bh.consume(plain.getIfPresent(keyA));
    bh.consume(plain.getIfPresent(keyAaaa));
  }
}
