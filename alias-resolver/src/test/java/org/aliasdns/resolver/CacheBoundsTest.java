package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** What the cache keeps, and for how long. */
class CacheBoundsTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("zero.example.net. 0 A 192.0.2.1")
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
  }

  @Test
  void aZeroTtlAnswerIsUsedButNeverCached() {
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup first = lookup(resolver, "zero.example.net.", Type.A);
    Lookup second = lookup(resolver, "zero.example.net.", Type.A);

    assertThat(first.resolution()).isInstanceOf(Resolution.Answer.class);
    assertThat(second.source()).isEqualTo(Source.UPSTREAM);
    assertThat(fake.queryCount()).isEqualTo(2);
    assertThat(resolver.cacheEntries()).isZero();
  }

  @Test
  void oneEntryPerHopAndOnePerFinalRecordSet() {
    AliasResolver resolver = Upstream.resolver(fake);

    lookup(resolver, "www.example.net.", Type.A);

    assertThat(resolver.cacheEntries()).isEqualTo(2);
  }

  @Test
  void theCacheStaysWithinItsByteBound() {
    FakeDns.Builder builder = FakeDns.recursive();
    for (int i = 0; i < 300; i++) {
      builder.record("host" + i + ".example.net. 3600 A 192.0.2." + (i % 250));
    }
    try (FakeDns many = builder.build()) {
      AliasResolver resolver =
          Upstream.resolverFor(many).executor(Runnable::run).maximumCacheBytes(20_000).build();

      for (int i = 0; i < 300; i++) {
        lookup(resolver, "host" + i + ".example.net.", Type.A);
      }

      // About 300 bytes an entry by the weigher's estimate: at most ~70 fit in 20,000.
      assertThat(resolver.cacheEntries()).isBetween(1L, 80L);
    }
  }

  @Test
  void entriesGoAfterTheirTtlPlusMaxStale() {
    AliasResolver resolver =
        Upstream.resolver(fake, FlatteningPolicy.builder().maxStale(Duration.ofMinutes(10)).build());
    lookup(resolver, "www.example.net.", Type.A);

    assertThat(resolver.cacheEntries()).isEqualTo(2);

    fake.clock().advance(Duration.ofSeconds(60).plusMinutes(10));
    assertThat(resolver.cacheEntries()).isEqualTo(2); // the A record's last stale instant
    fake.clock().advance(Duration.ofSeconds(1));
    assertThat(resolver.cacheEntries()).isEqualTo(1); // the 300 s CNAME remains
    fake.clock().advance(Duration.ofSeconds(240));
    assertThat(resolver.cacheEntries()).isZero();
  }
}
