package org.aliasdns.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.Lookup;
import org.aliasdns.testkit.FakeDns;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * A cache miss: every lookup goes upstream, because the answer's TTL is 0 (never cached, RFC
 * 1035 §3.2.1), so this times the path from the question to the upstream and back through the
 * response checks, side by side:
 *
 * <ul>
 *   <li>{@code aliasResolverMiss}: {@code AliasResolver.resolve(name, A)} through an in-process
 *       upstream (no socket): the resolver's own cost per upstream query;
 *   <li>{@code lookupSessionMiss}: dnsjava's {@code LookupSession} on the same upstream;
 *   <li>{@code aliasResolverMissUdp}: the same question to a {@link FakeDns} on 127.0.0.1 given
 *       by address (UDP, the transport {@code aliasdns} uses), one query at a time.
 * </ul>
 *
 * <p>Run before and after a change to the upstream path, alternating, and compare ratios.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ResolverMissBenchmark {
  private static final Name NAME = Name.fromConstantString("edge.example.org.");

  private AliasResolver resolver = AliasResolver.builder().upstream(StaticUpstream.of(Map.of())).build();
  private AliasResolver overUdp = resolver;
  private LookupSession session = LookupSession.builder().resolver(StaticUpstream.of(Map.of())).build();
  private FakeDns fake = FakeDns.recursive().build();

  /** Builds the resolvers and starts the fake upstream. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    StaticUpstream upstream =
        StaticUpstream.of(
            Map.<Name, List<Record>>of(
                NAME,
                List.of(new ARecord(NAME, DClass.IN, 0, Address.getByAddress("192.0.2.10")))));
    resolver = AliasResolver.builder().upstream(upstream).executor(Runnable::run).build();
    session =
        LookupSession.builder()
            .resolver(upstream)
            .cache(new org.xbill.DNS.Cache(DClass.IN))
            .executor(Runnable::run)
            .build();
    fake = FakeDns.recursive().record("edge.example.org. 0 A 192.0.2.10").build().start();
    InetSocketAddress address = fake.address();
    overUdp = AliasResolver.builder().upstream(address).build();
    Lookup first = aliasResolverMiss();
    if (!(first.resolution() instanceof Resolution.Answer)) {
      throw new IllegalStateException("no answer: " + first);
    }
    Lookup udp = aliasResolverMissUdp();
    if (!(udp.resolution() instanceof Resolution.Answer)) {
      throw new IllegalStateException("no answer over UDP: " + udp);
    }
  }

  /** Stops the fake upstream. */
  @TearDown(Level.Trial)
  public void tearDown() {
    fake.close();
  }

  /** alias-resolver: one A lookup, sent upstream (in process). */
  @Benchmark
  public Lookup aliasResolverMiss() {
    return resolver.resolve(NAME, Type.A).toCompletableFuture().join();
  }

  /** dnsjava LookupSession: the same lookup on the same upstream. */
  @Benchmark
  public Object lookupSessionMiss() {
    return session.lookupAsync(NAME, Type.A).toCompletableFuture().join();
  }

  /** alias-resolver: one A lookup over UDP to a fake on loopback. */
  @Benchmark
  public Lookup aliasResolverMissUdp() {
    return overUdp.resolve(NAME, Type.A).toCompletableFuture().join();
  }
}
