package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation of alias targets from trust anchors (RFC 4033 §5, RFC 4035 §4.3, §5): the
 * fake serves signed zones (some deliberately broken), dnsjava's validator judges them on the
 * fake's clock, and each lookup says secure, insecure or bogus. Bogus data is never published.
 */
class ValidationTest {
  /** www.example.net -> edge.example.org, both zones signed. */
  static final String NET =
      """
      $ORIGIN example.net.
      $TTL 300
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      ns IN A 192.0.2.1
      www 300 IN CNAME edge.example.org.
      plain 300 IN CNAME host.sub.example.net.
      sub IN NS ns.sub.example.net.
      ns.sub IN A 192.0.2.2
      """;
  static final String ORG =
      """
      $ORIGIN example.org.
      $TTL 600
      @ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
      @ IN NS ns.example.org.
      ns IN A 192.0.2.3
      edge 60 IN A 192.0.2.10
      """;
  static final String SUB =
      """
      $ORIGIN sub.example.net.
      $TTL 300
      @ IN SOA ns.sub.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.sub.example.net.
      ns IN A 192.0.2.2
      host IN A 192.0.2.20
      """;

  private static FakeDns fake(SigningFault netFault, SigningFault orgFault) {
    return FakeDns.recursive()
        .signedZone(NET, netFault)
        .signedZone(ORG, orgFault)
        .zone(SUB)
        .build();
  }

  private static AliasResolver validating(FakeDns dns) {
    List<Record> anchors = new ArrayList<>(dns.trustAnchor("example.net."));
    anchors.addAll(dns.trustAnchor("example.org."));
    return Upstream.resolverFor(dns)
        .executor(Runnable::run)
        .trustAnchors(TrustAnchors.of(anchors))
        .build();
  }

  @Test
  void aSignedChainIsSecureAndAnswered() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.NONE)) {
      Lookup lookup = lookup(validating(dns), "www.example.net.", Type.A);

      assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(lookup.security()).isEqualTo(Security.SECURE);
      assertThat(java.util.Objects.requireNonNull(lookup.answer()).addresses()).extracting(Record::rdataToString)
          .containsExactly("192.0.2.10");
    }
  }

  @Test
  void anUnsignedZoneBelowAnInsecureDelegationIsInsecureAndAnswered() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.NONE)) {
      Lookup lookup = lookup(validating(dns), "plain.example.net.", Type.A);

      assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(lookup.security()).isEqualTo(Security.INSECURE);
    }
  }

  @ParameterizedTest
  @EnumSource(value = SigningFault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void aBrokenTargetZoneIsBogusAndNeverAnswered(SigningFault fault) {
    try (FakeDns dns = fake(SigningFault.NONE, fault)) {
      AliasResolver resolver = validating(dns);
      Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

      assertThat(resolver.stats().bogus()).isEqualTo(1);
      assertThat(lookup.security()).isEqualTo(Security.BOGUS);
      assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
      Resolution.Failure failure = (Resolution.Failure) lookup.resolution();
      // RFC 8914 §4.8: an expired signature is told apart from other bogus answers.
      assertThat(failure.kind())
          .isEqualTo(fault == SigningFault.EXPIRED_SIGNATURES
              ? Resolution.Failure.Kind.SIGNATURE_EXPIRED
              : Resolution.Failure.Kind.BOGUS);
      assertThat(failure.kind().isBogus()).isTrue();
      assertThat(failure.stale()).isNull();
      assertThat(lookup.hasAnswer()).isFalse();
      assertThat(failure.reason()).startsWith("validation failed: ").doesNotContain("192.0.2.10");
    }
  }

  @Test
  void withoutTrustAnchorsEverythingIsIndeterminate() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.WRONG_KEY)) {
      Lookup lookup = lookup(Upstream.resolver(dns), "www.example.net.", Type.A);

      assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(lookup.security()).isEqualTo(Security.INDETERMINATE);
      assertThat(dns.queries()).allMatch(q -> q.message().getOPT() == null
          || (q.message().getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) == 0);
    }
  }

  @Test
  void aBogusAnswerAfterAGoodOneServesTheGoodOneStale() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.NONE)) {
      AliasResolver resolver = validating(dns);
      Lookup good = lookup(resolver, "www.example.net.", Type.A);
      dns.removeRrsig("edge.example.org.", Type.A);
      dns.clock().advance(Duration.ofSeconds(61));

      Lookup later = lookup(resolver, "www.example.net.", Type.A);

      assertThat(later.freshness()).isEqualTo(Freshness.STALE);
      Resolution.Failure failure = (Resolution.Failure) later.resolution();
      assertThat(failure.kind()).isEqualTo(Resolution.Failure.Kind.BOGUS);
      assertThat(failure.stale()).isEqualTo(good.resolution());
      assertThat(later.security()).isEqualTo(Security.SECURE);
      // The cached secure CNAME hop led to the bogus end: the chain's failure names the hop.
      assertThat(failure.chain()).extracting(h -> h.target().toString())
          .containsExactly("edge.example.org.");
      assertThat(failure.reason()).contains("missing signature");
    }
  }

  @Test
  void aBogusAnswerIsNotCachedAndIsAskedAgainAfterTheRecheck() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.NONE)) {
      AliasResolver resolver = validating(dns);
      dns.removeRrsig("edge.example.org.", Type.A);
      assertThat(lookup(resolver, "www.example.net.", Type.A).security())
          .isEqualTo(Security.BOGUS);
      dns.reset(); // the signatures are back
      dns.clock().advance(Duration.ofSeconds(31)); // past the failure recheck (30 s)

      Lookup again = lookup(resolver, "www.example.net.", Type.A);

      assertThat(again.security()).isEqualTo(Security.SECURE);
      assertThat(again.source()).isEqualTo(Source.UPSTREAM);
    }
  }

  @Test
  void aCachedAnswerKeepsItsStatusAndAChainIsAsSecureAsItsWeakestHop() {
    try (FakeDns dns = fake(SigningFault.NONE, SigningFault.NONE)) {
      AliasResolver resolver = validating(dns);
      assertThat(lookup(resolver, "plain.example.net.", Type.A).security())
          .isEqualTo(Security.INSECURE);
      assertThat(lookup(resolver, "www.example.net.", Type.A).security())
          .isEqualTo(Security.SECURE);

      Lookup cachedInsecure = lookup(resolver, "plain.example.net.", Type.A);
      Lookup cachedSecure = lookup(resolver, "www.example.net.", Type.A);
      dns.clock().advance(Duration.ofSeconds(61)); // the A expired, the CNAME hop has not
      Lookup mixed = lookup(resolver, "www.example.net.", Type.A);

      assertThat(cachedInsecure.source()).isEqualTo(Source.CACHE);
      assertThat(cachedInsecure.security()).isEqualTo(Security.INSECURE);
      assertThat(cachedSecure.source()).isEqualTo(Source.CACHE);
      assertThat(cachedSecure.security()).isEqualTo(Security.SECURE);
      assertThat(mixed.source()).isEqualTo(Source.UPSTREAM);
      assertThat(mixed.security()).isEqualTo(Security.SECURE);
    }
  }

  @Test
  void aBogusAnswerFromOneUpstreamIsAskedOfTheNextWithoutMarkingTheFirstDown()
      throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    org.aliasdns.core.dnssec.SigningKey netKey =
        org.aliasdns.core.dnssec.SigningKey.generate(Upstream.name("example.net."),
            org.aliasdns.core.dnssec.DnssecAlgorithm.ECDSAP256SHA256,
            org.aliasdns.core.dnssec.SigningKey.Role.COMBINED, 3600, random);
    org.aliasdns.core.Zone net =
        org.aliasdns.core.zonefile.ZoneFileReader.defaults()
            .read(NET.replace("www 300 IN CNAME edge.example.org.", "www 60 IN A 192.0.2.30"),
                "net")
            .zone();
    try (FakeDns broken =
            FakeDns.recursive().signedZone(net, SigningFault.WRONG_KEY, List.of(netKey))
                .build().start();
        FakeDns good =
            FakeDns.recursive().signedZone(net, SigningFault.NONE, List.of(netKey))
                .build().start()) {
      AliasResolver resolver =
          AliasResolver.builder()
              .upstreams(Upstreams.of(List.of(broken.address(), good.address())))
              .clock(good.clock())
              .ticker(good.clock().ticker())
              .trustAnchors(TrustAnchors.of(good.trustAnchor("example.net.")))
              .build();

      Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

      assertThat(lookup.security()).isEqualTo(Security.SECURE);
      assertThat(java.util.Objects.requireNonNull(lookup.answer()).addresses()).extracting(Record::rdataToString)
          .containsExactly("192.0.2.30");
      // Once by the validator, once more by the clock-skew check that finds no time at fault.
      assertThat(broken.queryCount("www.example.net.", Type.A)).isEqualTo(2);
      assertThat(resolver.stats().upstreams()).extracting(UpstreamStats::state)
          .containsOnly(UpstreamState.UP);
    }
  }
}
