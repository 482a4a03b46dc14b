package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** NXDOMAIN and NODATA are cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). */
class NegativeCachingTest {
  // example.org's SOA: TTL 60, MINIMUM 30, so negative answers live 30 s.
  @RegisterExtension
  FakeDnsExtension dns = FakeDnsExtension.of(Upstream.withThreeZones(FakeDns.recursive()));

  FakeDns fake;
  AliasResolver resolver;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
    resolver = Upstream.resolver(fake);
  }

  @Test
  void nxdomainIsCachedForTheSoaDerivedTime() {
    Lookup first = lookup(resolver, "nope.example.org.", Type.A);
    assertThat(first.resolution()).isInstanceOf(Resolution.NxDomain.class);
    assertThat(((Resolution.NxDomain) first.resolution()).negativeTtl()).isEqualTo(30);

    fake.clock().advance(Duration.ofSeconds(26));
    Lookup cached = lookup(resolver, "nope.example.org.", Type.A);
    assertThat(cached.resolution()).isInstanceOf(Resolution.NxDomain.class);
    assertThat(cached.source()).isEqualTo(Source.CACHE);
    assertThat(fake.queryCount("nope.example.org.", Type.A)).isEqualTo(1);

    fake.clock().advance(Duration.ofSeconds(4));
    Lookup again = lookup(resolver, "nope.example.org.", Type.A);
    assertThat(again.source()).isEqualTo(Source.UPSTREAM);
    assertThat(fake.queryCount("nope.example.org.", Type.A)).isEqualTo(2);
  }

  @Test
  void nodataIsCachedForTheSoaDerivedTime() {
    Lookup first = lookup(resolver, "edge.example.org.", Type.AAAA);
    assertThat(first.resolution()).isInstanceOf(Resolution.NoData.class);
    assertThat(first.ttl()).isEqualTo(30);

    fake.clock().advance(Duration.ofSeconds(26));
    assertThat(lookup(resolver, "edge.example.org.", Type.AAAA).source()).isEqualTo(Source.CACHE);

    fake.clock().advance(Duration.ofSeconds(4));
    lookup(resolver, "edge.example.org.", Type.AAAA);
    assertThat(fake.queryCount("edge.example.org.", Type.AAAA)).isEqualTo(2);
  }

  @Test
  void nxdomainAtTheEndOfAChainKeepsTheChain() {
    fake.add("gone.example.net. 300 CNAME missing.example.org.");

    Lookup lookup = lookup(resolver, "gone.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.NxDomain.class);
    assertThat(lookup.resolution().chain()).hasSize(1);
  }

  @Test
  void aNegativeAnswerWithoutSoaIsNotCached() {
    // A name no zone holds: the recursive fake answers NXDOMAIN without a SOA.
    lookup(resolver, "www.unknown.test.", Type.A);
    lookup(resolver, "www.unknown.test.", Type.A);

    assertThat(fake.queryCount("www.unknown.test.", Type.A)).isEqualTo(2);
    assertThat(resolver.cacheEntries()).isZero();
  }
}
