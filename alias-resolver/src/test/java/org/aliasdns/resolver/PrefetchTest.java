package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** A hit in the last 10% of a TTL starts one background refresh (as Unbound's prefetch). */
class PrefetchTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 100 A 192.0.2.10"));

  FakeDns fake;
  AliasResolver resolver;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
    resolver = Upstream.resolver(fake);
    lookup(resolver, "cdn.example.org.", Type.A);
  }

  @Test
  void noPrefetchBeforeTheLastTenthOfTheTtl() {
    fake.clock().advance(Duration.ofSeconds(89));

    Lookup lookup = lookup(resolver, "cdn.example.org.", Type.A);

    assertThat(lookup.freshness()).isEqualTo(Freshness.FRESH);
    assertThat(fake.queryCount()).isEqualTo(1);
    assertThat(resolver.stats().prefetches()).isZero();
  }

  @Test
  void aHitInTheLastTenthRefreshesOnceInTheBackground() {
    fake.replace("cdn.example.org. 100 A 192.0.2.20");
    fake.enqueue(Fault.delay(Duration.ofMillis(200))); // the refresh is in flight a while
    fake.clock().advance(Duration.ofSeconds(91));

    Lookup hit = lookup(resolver, "cdn.example.org.", Type.A);
    for (int i = 0; i < 10; i++) {
      lookup(resolver, "cdn.example.org.", Type.A); // served at once; no second refresh
    }

    // The hit is served the cached answer at once and starts the refresh.
    assertThat(hit.freshness()).isEqualTo(Freshness.PREFETCHED);
    assertThat(hit.source()).isEqualTo(Source.CACHE);
    assertThat(address(hit)).isEqualTo("192.0.2.10");
    Upstream.await("the prefetch", () -> address(lookup(resolver, "cdn.example.org.", Type.A))
        .equals("192.0.2.20"));
    assertThat(fake.queryCount()).isEqualTo(2);
    assertThat(resolver.stats().prefetches()).isEqualTo(1);

    fake.clock().advance(Duration.ofSeconds(5));
    Lookup refreshed = lookup(resolver, "cdn.example.org.", Type.A);
    assertThat(refreshed.freshness()).isEqualTo(Freshness.FRESH);
    assertThat(refreshed.source()).isEqualTo(Source.CACHE);
    assertThat(fake.queryCount()).isEqualTo(2);
  }

  @Test
  void aRepeatedHitIsTheSameLookupUntilThePrefetchWindowThenTheWindowStillPrefetches() {
    fake.clock().advance(Duration.ofSeconds(10));
    Lookup walked = lookup(resolver, "cdn.example.org.", Type.A); // walks the hops, memoizes
    Lookup again = lookup(resolver, "cdn.example.org.", Type.A);
    fake.clock().advance(Duration.ofSeconds(79)); // 89 s of 100: still before the last tenth
    Lookup late = lookup(resolver, "cdn.example.org.", Type.A);

    assertThat(again).isSameAs(walked); // one cache read, not a walk
    assertThat(late).isSameAs(walked);
    assertThat(resolver.stats().hits()).isEqualTo(3);

    fake.clock().advance(Duration.ofSeconds(2)); // 91 s: the memo has ended with the window
    Lookup inWindow = lookup(resolver, "cdn.example.org.", Type.A);

    assertThat(inWindow.freshness()).isEqualTo(Freshness.PREFETCHED);
    Upstream.await("the prefetch", () -> fake.queryCount() == 2);
    assertThat(resolver.stats().prefetches()).isEqualTo(1);
  }

  private static String address(Lookup lookup) {
    return ((Resolution.Answer) lookup.resolution()).addresses().get(0).rdataToString();
  }

  @Test
  void theListenerHearsThePrefetch() {
    StringBuilder heard = new StringBuilder();
    AliasResolver observed =
        Upstream.resolverFor(fake)
            .executor(Runnable::run)
            .listener(
                new ResolverListener() {
                  @Override
                  public void prefetch(org.xbill.DNS.Name name, int type) {
                    heard.append("prefetch ").append(name).append(' ');
                  }

                  @Override
                  public void cacheHit(org.xbill.DNS.Name name, int type) {
                    heard.append("hit ");
                  }
                })
            .build();
    lookup(observed, "cdn.example.org.", Type.A);
    fake.clock().advance(Duration.ofSeconds(95));

    lookup(observed, "cdn.example.org.", Type.A);

    assertThat(heard.toString()).isEqualTo("prefetch cdn.example.org. hit ");
  }
}
