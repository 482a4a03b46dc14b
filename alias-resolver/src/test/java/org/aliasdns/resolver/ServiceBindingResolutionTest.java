package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.aliasdns.resolver.Upstream.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * Resolving a name's HTTPS or SVCB RRset (RFC 9460): CNAMEs and AliasMode chains followed to the
 * ServiceMode records, with the loop and hop limits, cache and serve-stale of address lookups.
 * The upstream is the testkit's fake, which serves SVCB and HTTPS records like any other type.
 */
class ServiceBindingResolutionTest {
  /**
   * The apex of example.com is an HTTPS AliasMode record to a CDN name, which is a CNAME to an
   * edge name with ServiceMode records.
   */
  private static final String EXAMPLE_COM =
      """
      $ORIGIN example.com.
      $TTL 3600
      @ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 120
      @ IN NS ns.example.com.
      @ 3600 IN HTTPS 0 app.cdn.example.net.
      off 300 IN HTTPS 0 .
      loop1 300 IN HTTPS 0 loop2.example.com.
      loop2 300 IN HTTPS 0 loop1.example.com.
      svc 300 IN SVCB 0 svc.example.net.
      mixed 300 IN HTTPS 0 app.cdn.example.net.
      mixed 300 IN HTTPS 1 . alpn=h2
      plain 300 IN HTTPS 0 www.example.org.
      """;

  private static final String EXAMPLE_NET =
      """
      $ORIGIN example.net.
      $TTL 600
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      app.cdn 300 IN CNAME edge.cdn.example.net.
      edge.cdn 60 IN HTTPS 1 . alpn=h2,h3 ipv4hint=192.0.2.80 ipv6hint=2001:db8::80
      edge.cdn 60 IN HTTPS 2 edge2.cdn.example.net. alpn=h2
      svc 120 IN SVCB 1 . alpn=dot port=853
      """;

  private static final String EXAMPLE_ORG =
      """
      $ORIGIN example.org.
      $TTL 900
      @ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 30
      @ IN NS ns.example.org.
      www 900 IN A 192.0.2.90
      """;

  @Nullable FakeDns fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  private FakeDns start(FakeDns.Builder builder) {
    fake = builder.zone(EXAMPLE_COM).zone(EXAMPLE_NET).zone(EXAMPLE_ORG).build();
    return fake;
  }

  @Test
  void anAliasModeRecordIsFollowedThroughACnameToTheServiceModeRecords() {
    FakeDns dns = start(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(dns);

    Lookup lookup = lookup(resolver, "example.com.", Type.HTTPS);

    Resolution.Answer answer = (Resolution.Answer) lookup.resolution();
    assertThat(answer.type()).isEqualTo(Type.HTTPS);
    assertThat(answer.chain())
        .containsExactly(
            Hop.aliasMode(name("example.com."), name("app.cdn.example.net."), 3600),
            Hop.cname(name("app.cdn.example.net."), name("edge.cdn.example.net."), 300));
    assertThat(answer.records().owner()).isEqualTo(name("edge.cdn.example.net."));
    assertThat(answer.records().records())
        .extracting(r -> ((SVCBBase) r).getSvcPriority())
        .containsExactly(1, 2);
    assertThat(answer.chainTtl()).isEqualTo(60);
    assertThat(lookup.ttl()).isEqualTo(60);
    // RFC 9460 §2.4.2: the TargetName is asked for HTTPS in turn.
    assertThat(dns.queries())
        .extracting(q -> q.name() + " " + Type.string(q.type()))
        .containsExactly("example.com. HTTPS", "app.cdn.example.net. HTTPS");
  }

  @Test
  void svcbRecordsAreFollowedTheSameWay() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    Resolution.Answer answer = (Resolution.Answer) lookup(resolver, "svc.example.com.", Type.SVCB).resolution();

    assertThat(answer.chain()).extracting(Hop::kind).containsExactly(Hop.Kind.ALIAS_MODE);
    assertThat(answer.records().type()).isEqualTo(Type.SVCB);
    assertThat(answer.chainTtl()).isEqualTo(120);
  }

  @Test
  void anAliasModeTargetOfDotEndsTheChainWithThatRecord() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    Resolution.Answer answer = (Resolution.Answer) lookup(resolver, "off.example.com.", Type.HTTPS).resolution();

    // RFC 9460 §2.5.1: "." says the service is not available; the record itself is the answer.
    assertThat(answer.chain()).isEmpty();
    SVCBBase only = (SVCBBase) answer.records().first();
    assertThat(only.getSvcPriority()).isZero();
    assertThat(only.getTargetName()).isEqualTo(org.xbill.DNS.Name.root);
  }

  @Test
  void serviceModeRecordsBesideAnAliasModeRecordAreIgnored() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    Resolution.Answer answer = (Resolution.Answer) lookup(resolver, "mixed.example.com.", Type.HTTPS).resolution();

    assertThat(answer.records().owner()).isEqualTo(name("edge.cdn.example.net."));
  }

  @Test
  void anAliasModeTargetWithoutHttpsRecordsIsNodataThere() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    Resolution r = lookup(resolver, "plain.example.com.", Type.HTTPS).resolution();

    // The client then connects to www.example.org's addresses (RFC 9460 §2.4.2).
    assertThat(r).isInstanceOf(Resolution.NoData.class);
    assertThat(r.chain()).extracting(Hop::target).containsExactly(name("www.example.org."));
  }

  @Test
  void anAliasModeLoopIsALoopWithTheFullChain() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    Lookup lookup = lookup(resolver, "loop1.example.com.", Type.HTTPS);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Loop.class);
    assertThat(lookup.resolution().chain())
        .extracting(Hop::target)
        .containsExactly(name("loop2.example.com."), name("loop1.example.com."));
    assertThat(lookup.ttl()).isZero();
  }

  @Test
  void theChainLimitCountsAliasModeHops() {
    FakeDns dns = start(FakeDns.recursive());
    AliasResolver resolver =
        Upstream.resolver(dns, FlatteningPolicy.builder().chainLimit(1).build());

    Resolution r = lookup(resolver, "example.com.", Type.HTTPS).resolution();

    assertThat(r).isInstanceOf(Resolution.ChainTooLong.class);
    assertThat(r.chain()).hasSize(1);
  }

  @Test
  void theSecondLookupIsAnsweredFromTheCacheHopByHop() {
    FakeDns dns = start(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(dns);
    lookup(resolver, "example.com.", Type.HTTPS);

    dns.clock().advance(Duration.ofSeconds(50));
    Lookup cached = lookup(resolver, "example.com.", Type.HTTPS);

    assertThat(cached.source()).isEqualTo(Source.CACHE);
    assertThat(((Resolution.Answer) cached.resolution()).chain()).hasSize(2);
    assertThat(dns.queryCount()).isEqualTo(2);
  }

  @Test
  void whenUpstreamFailsTheLastGoodServiceBindingIsServedStale() {
    FakeDns dns = start(FakeDns.recursive());
    AliasResolver resolver = Upstream.resolver(dns);
    lookup(resolver, "example.com.", Type.HTTPS);

    dns.clock().advance(Duration.ofSeconds(61)); // the edge's 60 s HTTPS RRset has expired
    dns.inject(Fault.servfail().everywhere());
    Lookup stale = lookup(resolver, "example.com.", Type.HTTPS);

    assertThat(stale.freshness()).isEqualTo(Freshness.STALE);
    assertThat(stale.ttl()).isEqualTo(resolver.policy().staleTtl());
    Resolution.Answer answer = java.util.Objects.requireNonNull(stale.answer(), "stale answer");
    assertThat(answer.records().records()).extracting(Record::getType).containsOnly(Type.HTTPS);
    assertThat(answer.chain()).extracting(Hop::kind).containsExactly(Hop.Kind.ALIAS_MODE, Hop.Kind.CNAME);
  }

  @Test
  void otherTypesAreStillRefused() {
    AliasResolver resolver = Upstream.resolver(start(FakeDns.recursive()));

    assertThatThrownBy(() -> resolver.resolve(name("example.com."), Type.MX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type must be A, AAAA, SVCB or HTTPS, not MX");
  }
}
