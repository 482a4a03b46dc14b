package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Repeated questions are answered from a memo of the whole lookup, which never outlives the
 * prefetch window of the entries it was built from, so the rules of the per-hop cache still
 * decide what is served.
 */
class MemoTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 100 A 192.0.2.10")
              .record("cdn.example.org. 200 AAAA 2001:db8::10"));

  FakeDns fake;
  AliasResolver resolver;
  final Name www = Name.fromConstantString("www.example.net.");

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
    resolver = Upstream.resolver(fake);
  }

  private TargetLookup both() {
    return resolver.resolveAddresses(www).toCompletableFuture().join();
  }

  @Test
  void bothFamiliesAreOneMemoUntilTheShortestPrefetchWindow() {
    both(); // upstream
    TargetLookup walked = both(); // walked from the per-hop cache, memoized
    TargetLookup hit = both();
    fake.clock().advance(Duration.ofSeconds(89)); // 89 s of the A record's 100

    assertThat(hit).isSameAs(walked);
    assertThat(both()).isSameAs(walked);
    assertThat(resolver.stats().hits()).isEqualTo(6); // counted per family
    assertThat(fake.queryCount()).isEqualTo(2); // one per family, at the start

    fake.clock().advance(Duration.ofSeconds(2)); // 91 s: the A record's last tenth
    TargetLookup inWindow = both();

    assertThat(inWindow).isNotSameAs(walked);
    assertThat(inWindow.get(Type.A).orElseThrow().freshness()).isEqualTo(Freshness.PREFETCHED);
    assertThat(inWindow.get(Type.AAAA).orElseThrow().freshness()).isEqualTo(Freshness.FRESH);
  }

  @Test
  void aStaleAnswerIsNeverMemoized() {
    resolver.resolve(www, Type.A).toCompletableFuture().join();
    fake.clock().advance(Duration.ofSeconds(101)); // past the chain's 100 s
    fake.inject(Fault.servfail().everywhere());

    Lookup stale = resolver.resolve(www, Type.A).toCompletableFuture().join();
    Lookup again = resolver.resolve(www, Type.A).toCompletableFuture().join();

    assertThat(stale.freshness()).isEqualTo(Freshness.STALE);
    assertThat(again.freshness()).isEqualTo(Freshness.STALE);
    assertThat(again).isNotSameAs(stale); // rebuilt each time, so it ends when max stale does
  }
}
