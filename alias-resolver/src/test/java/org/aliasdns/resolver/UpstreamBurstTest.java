package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A start over many targets against one upstream (found when {@code aliasdns serve} started
 * 1,000 zones against a rate-limiting NSD: 2,003 queries at once, 347 timeouts, and the upstream
 * logged down and up again 35 times in a second): the queries in flight stay within the
 * resolver's default bound, and a backlog of answers to queries sent before the server was
 * marked down does not mark it up again.
 */
class UpstreamBurstTest {
  private static final int TARGETS = 300;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final List<FakeDns> fakes = new ArrayList<>();

  @AfterEach
  void close() {
    pool.shutdownNow();
    fakes.forEach(FakeDns::close);
  }

  private FakeDns fake() {
    String zone =
        "$ORIGIN example.net.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\n"
            + "ns1 A 198.51.100.53\n"
            + IntStream.range(0, TARGETS)
                .mapToObj(i -> "t" + i + " 0 A 192.0.2." + (i % 250 + 1) + "\n")
                .collect(Collectors.joining());
    FakeDns fake = FakeDns.recursive().zone(zone).build();
    fakes.add(fake);
    return fake;
  }

  private static Name target(int i) {
    return Name.fromConstantString("t" + i + ".example.net.");
  }

  @Test
  void manyConcurrentLookupsKeepAtMost64QueriesInFlightByDefault() throws Exception {
    FakeDns fake = fake();
    fake.inject(Fault.delay(Duration.ofMillis(200)).everywhere());
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ResolverListener counting =
        new ResolverListener() {
          @Override
          public void querySent(Name name, int type) {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          }

          @Override
          public void upstreamAnswered(String upstream, Name name, int type) {
            inFlight.decrementAndGet();
          }

          @Override
          public void attemptFailed(String upstream, Name name, int type, String reason) {
            inFlight.decrementAndGet();
          }
        };
    AliasResolver resolver =
        Upstream.resolverFor(fake).executor(pool).listener(counting).build();

    List<CompletableFuture<Lookup>> lookups = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      lookups.add(resolver.resolve(target(i), Type.A).toCompletableFuture());
    }
    CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);

    assertThat(most.get()).isBetween(2, 64);
    assertThat(lookups)
        .allMatch(l -> l.join().resolution() instanceof Resolution.Answer);
    assertThat(resolver.stats().rejected()).isZero();
  }

  @Test
  void answersToQueriesSentBeforeTheServerWentDownDoNotMarkItUpAgain() throws Exception {
    FakeDns fake = fake().start();
    List<String> events = new CopyOnWriteArrayList<>();
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(fake.address())
            .executor(pool)
            .queryTimeout(Duration.ofSeconds(2))
            .failureRecheck(Duration.ZERO)
            .listener(
                new ResolverListener() {
                  @Override
                  public void upstreamStateChanged(
                      String upstream, UpstreamState state, String reason) {
                    events.add(state.toString());
                  }
                })
            .build();

    // Three questions the upstream drops (a rate limiter's excess): they time out at 2 s.
    fake.enqueue(Fault.drop()).enqueue(Fault.drop()).enqueue(Fault.drop());
    List<CompletableFuture<Lookup>> dropped = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      dropped.add(resolver.resolve(target(i), Type.A).toCompletableFuture());
    }
    while (fake.queryCount() < 3) {
      Thread.sleep(10);
    }
    // Three more sent 1 s later, answered late: after the server was marked down at 2 s, before
    // their own timeouts at 3 s.
    Thread.sleep(1000);
    for (int i = 0; i < 3; i++) {
      fake.enqueue(Fault.delay(Duration.ofMillis(1500)));
    }
    List<CompletableFuture<Lookup>> late = new ArrayList<>();
    for (int i = 3; i < 6; i++) {
      late.add(resolver.resolve(target(i), Type.A).toCompletableFuture());
    }
    CompletableFuture.allOf(late.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    CompletableFuture.allOf(dropped.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

    assertThat(late).allMatch(l -> l.join().resolution() instanceof Resolution.Answer);
    assertThat(events).containsExactly("DOWN");

    // A question asked after it went down, and answered: that is news, and it is up again.
    assertThat(resolver.resolve(target(7), Type.A).toCompletableFuture().get(10, TimeUnit.SECONDS)
            .resolution())
        .isInstanceOf(Resolution.Answer.class);
    assertThat(events).containsExactly("DOWN", "UP");
  }
}
