package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.aliasdns.resolver.Upstream.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.aliasdns.core.Hop;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ReceivedQuery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Chasing chains: TTLs, per-hop caching, loops, long chains, DNAME. */
class ChainResolutionTest {
  @Nullable FakeDns fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void aThreeHopChainTakesTheSmallestTtlOfItsHopsAndRecords() {
    fake = Upstream.threeZones(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "a.example.net.", Type.A);

    Resolution.Answer answer = (Resolution.Answer) lookup.resolution();
    assertThat(answer.chain())
        .extracting(Hop::ttl)
        .containsExactly(300L, 60L, 900L);
    assertThat(answer.chainTtl()).isEqualTo(60);
    assertThat(lookup.ttl()).isEqualTo(60);
    assertThat(answer.addresses())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.10", "192.0.2.11");
    assertThat(lookup.source()).isEqualTo(Source.UPSTREAM);
    assertThat(lookup.freshness()).isEqualTo(Freshness.FRESH);
    assertThat(answer.obtained()).isEqualTo(fake.clock().instant());
    assertThat(fake.queryCount()).isEqualTo(1);
  }

  @Test
  void theCacheServesTheChainUntilItsShortestHopExpires() {
    fake = Upstream.threeZones(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(fake);
    lookup(resolver, "a.example.net.", Type.A);

    fake.clock().advance(Duration.ofSeconds(53)); // before the last 10% of the 60 s hop
    Lookup cached = lookup(resolver, "a.example.net.", Type.A);

    assertThat(cached.source()).isEqualTo(Source.CACHE);
    assertThat(((Resolution.Answer) cached.resolution()).chainTtl()).isEqualTo(60);
    assertThat(fake.queryCount()).isEqualTo(1);
    assertThat(resolver.stats().hits()).isEqualTo(1);
    assertThat(resolver.stats().misses()).isEqualTo(1);
  }

  @Test
  void afterTheShortestHopExpiresOnlyThatHopIsAskedAgain() {
    fake = Upstream.threeZones(FakeDns.authoritative());
    AliasResolver resolver = Upstream.resolver(fake);
    lookup(resolver, "a.example.net.", Type.A);
    // One query per zone edge: a.example.net, b.example.com, c.example.org (which holds the rest).
    assertThat(fake.queries())
        .extracting(q -> q.name().toString())
        .containsExactly("a.example.net.", "b.example.com.", "c.example.org.");

    fake.clock().advance(Duration.ofSeconds(60));
    Lookup refreshed = lookup(resolver, "a.example.net.", Type.A);

    assertThat(fake.queries()).hasSize(4);
    ReceivedQuery last = fake.queries().get(3);
    assertThat(last.name()).isEqualTo(name("b.example.com."));
    assertThat(last.type()).isEqualTo(Type.A);
    assertThat(refreshed.source()).isEqualTo(Source.UPSTREAM);
    Resolution.Answer answer = (Resolution.Answer) refreshed.resolution();
    assertThat(answer.chain()).hasSize(3);
    // The refreshed hop is new; the others are the old entries: the chain is fresh until the
    // first of them expires, so policy.expiry tells the truth.
    assertThat(resolver.policy().expiry(answer))
        .isEqualTo(fake.clock().start().plusSeconds(60 + 60));
  }

  @Test
  void chainsThatShareASuffixShareItsCacheEntries() {
    fake = Upstream.threeZones(FakeDns.authoritative());
    fake.add("alt.example.net. 300 CNAME c.example.org.");
    AliasResolver resolver = Upstream.resolver(fake);
    lookup(resolver, "a.example.net.", Type.A);

    Lookup other = lookup(resolver, "alt.example.net.", Type.A);

    assertThat(other.resolution()).isInstanceOf(Resolution.Answer.class);
    assertThat(fake.queries()).hasSize(4);
    assertThat(fake.queries().get(3).name()).isEqualTo(name("alt.example.net."));
  }

  @Test
  void aLoopAcrossZonesIsReportedAsALoop() {
    fake =
        FakeDns.authoritative()
            .zone(Upstream.EXAMPLE_NET)
            .zone(Upstream.EXAMPLE_COM)
            .build();
    fake.replace("b.example.com. 60 CNAME a.example.net.");
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "a.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Loop.class);
    assertThat(lookup.resolution().chain())
        .extracting(h -> h.target().toString())
        .containsExactly("b.example.com.", "a.example.net.");
    assertThat(lookup.ttl()).isZero();
  }

  @Test
  void aLoopFromARecursiveUpstreamIsReportedAsALoopNotAnOutage() {
    fake =
        FakeDns.recursive()
            .record("one.example.net. 300 CNAME two.example.net.")
            .record("two.example.net. 300 CNAME ONE.example.net.")
            .build();
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "one.example.net.", Type.AAAA);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Loop.class);
    assertThat(lookup.resolution().chain()).hasSize(2);
  }

  @Test
  void aTwentyHopChainIsTooLong() {
    FakeDns.Builder builder = FakeDns.recursive();
    for (int i = 0; i < 20; i++) {
      builder.record("h" + i + ".example.net. 300 CNAME h" + (i + 1) + ".example.net.");
    }
    fake = builder.record("h20.example.net. 300 A 192.0.2.20").build();
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "h0.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.ChainTooLong.class);
    assertThat(lookup.resolution().chain()).hasSize(16);
  }

  @Test
  void sixteenHopsAreWithinTheDefaultLimit() {
    FakeDns.Builder builder = FakeDns.recursive();
    for (int i = 0; i < 16; i++) {
      builder.record("h" + i + ".example.net. 300 CNAME h" + (i + 1) + ".example.net.");
    }
    fake = builder.record("h16.example.net. 300 A 192.0.2.20").build();
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "h0.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
    assertThat(lookup.resolution().chain()).hasSize(16);
  }

  @Test
  void aDnameHopTakesTheDnamesTtl() {
    fake =
        FakeDns.recursive()
            .record("old.example.net. 120 DNAME new.example.org.")
            .record("www.new.example.org. 300 A 192.0.2.30")
            .build();
    AliasResolver resolver = Upstream.resolver(fake);

    Lookup lookup = lookup(resolver, "www.old.example.net.", Type.A);

    Resolution.Answer answer = (Resolution.Answer) lookup.resolution();
    assertThat(answer.chain())
        .containsExactly(
            Hop.dname(name("www.old.example.net."), name("www.new.example.org."), 120));
    assertThat(answer.chainTtl()).isEqualTo(120);
  }

  @Test
  void aAndAaaaAreJudgedSeparately() {
    fake = Upstream.threeZones(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(fake);

    TargetLookup both =
        resolver.resolveAddresses(name("a.example.net.")).toCompletableFuture().join();

    assertThat(both.get(Type.A).orElseThrow().resolution())
        .isInstanceOf(Resolution.Answer.class);
    Resolution aaaa = both.get(Type.AAAA).orElseThrow().resolution();
    assertThat(aaaa).isInstanceOf(Resolution.NoData.class);
    assertThat(((Resolution.NoData) aaaa).negativeTtl()).isEqualTo(30);
    assertThat(both.resolutions()).hasSize(2);
    assertThat(fake.queryCount("a.example.net.", Type.A)).isEqualTo(1);
    assertThat(fake.queryCount("a.example.net.", Type.AAAA)
            + fake.queryCount("edge.example.org.", Type.AAAA))
        .isEqualTo(1);
  }
}
