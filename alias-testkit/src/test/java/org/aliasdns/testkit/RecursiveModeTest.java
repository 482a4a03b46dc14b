package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.authority;
import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

class RecursiveModeTest {
  static final String EXAMPLE_NET =
      """
      $ORIGIN example.net.
      $TTL 300
      example.net. IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      example.net. IN NS ns.example.net.
      ns IN A 192.0.2.1
      www IN CNAME www.example.com.
      """;
  static final String EXAMPLE_COM =
      """
      $ORIGIN example.com.
      $TTL 600
      example.com. IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 120
      example.com. IN NS ns.example.com.
      www IN CNAME edge.example.org.
      """;
  static final String EXAMPLE_ORG =
      """
      $ORIGIN example.org.
      $TTL 60
      example.org. IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 30
      example.org. IN NS ns.example.org.
      edge IN A 192.0.2.10
      edge IN A 192.0.2.11
      """;

  @Nullable FakeDns fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  Resolver threeZones() {
    fake = FakeDns.recursive().zone(EXAMPLE_NET).zone(EXAMPLE_COM).zone(EXAMPLE_ORG).build();
    return fake.resolver();
  }

  @Test
  void followsACnameChainAcrossThreeZonesAndReturnsItWhole() throws Exception {
    Message reply = ask(threeZones(), "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(reply))
        .containsExactly(
            "www.example.net. 300 IN CNAME www.example.com.",
            "www.example.com. 600 IN CNAME edge.example.org.",
            "edge.example.org. 60 IN A 192.0.2.10",
            "edge.example.org. 60 IN A 192.0.2.11");
  }

  @Test
  void setsRaClearsAaAndEchoesRd() throws Exception {
    Message reply = ask(threeZones(), "www.example.net.", Type.A);

    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
  }

  @Test
  void nxdomainAtTheEndOfAChainCarriesTheLastZonesSoa() throws Exception {
    fake =
        FakeDns.recursive()
            .zone(EXAMPLE_ORG)
            .record("www.example.net. 300 CNAME gone.example.org.")
            .build();

    Message reply = ask(fake.resolver(), "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer(reply)).containsExactly("www.example.net. 300 IN CNAME gone.example.org.");
    // RFC 2308 §3: the SOA with TTL min(SOA TTL, MINIMUM) = min(60, 30).
    assertThat(authority(reply))
        .containsExactly(
            "example.org. 30 IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 30");
  }

  @Test
  void nodataAtTheEndOfAChainCarriesTheLastZonesSoa() throws Exception {
    Message reply = ask(threeZones(), "www.example.net.", Type.AAAA);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(reply)).hasSize(2);
    assertThat(authority(reply)).singleElement().asString().startsWith("example.org. 30 IN SOA");
  }

  @Test
  void aNameNoZoneHoldsIsNxdomainWithoutSoa() throws Exception {
    Message reply = ask(threeZones(), "www.nowhere.example.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(reply.getSection(org.xbill.DNS.Section.AUTHORITY)).isEmpty();
  }

  @Test
  void followsADnameIntoAnotherZoneWithASynthesizedCname() throws Exception {
    fake =
        FakeDns.recursive()
            .zone(EXAMPLE_ORG)
            .record("old.example.net. 3600 DNAME example.org.")
            .build();

    Message reply = ask(fake.resolver(), "edge.old.example.net.", Type.A);

    // RFC 6672 §3.1: the DNAME, then a CNAME with the DNAME's TTL, then the target's answer.
    assertThat(answer(reply))
        .containsExactly(
            "old.example.net. 3600 IN DNAME example.org.",
            "edge.old.example.net. 3600 IN CNAME edge.example.org.",
            "edge.example.org. 60 IN A 192.0.2.10",
            "edge.example.org. 60 IN A 192.0.2.11");
  }

  @Test
  void aLoopAcrossZonesIsServfailWithTheChainSoFar() throws Exception {
    fake =
        FakeDns.recursive()
            .record("a.example.net. 300 CNAME b.example.org.")
            .record("b.example.org. 300 CNAME a.example.net.")
            .build();

    Message reply = ask(fake.resolver(), "a.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answer(reply))
        .containsExactly(
            "a.example.net. 300 IN CNAME b.example.org.",
            "b.example.org. 300 IN CNAME a.example.net.");
  }

  @Test
  void aChainLongerThanTheLimitIsServfailWithTheChainSoFar() throws Exception {
    fake =
        FakeDns.recursive()
            .chainLimit(2)
            .record("a.example.net. CNAME b.example.org.")
            .record("b.example.org. CNAME c.example.com.")
            .record("c.example.com. CNAME d.example.net.")
            .record("d.example.net. A 192.0.2.1")
            .build();

    Message reply = ask(fake.resolver(), "a.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answer(reply)).hasSize(3);
  }

  @Test
  void aChainAtTheLimitIsAnswered() throws Exception {
    fake =
        FakeDns.recursive()
            .chainLimit(2)
            .record("a.example.net. CNAME b.example.org.")
            .record("b.example.org. CNAME d.example.net.")
            .record("d.example.net. A 192.0.2.1")
            .build();

    Message reply = ask(fake.resolver(), "a.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(reply)).hasSize(3);
  }

  @Test
  void looseRecordsGetAZonePerLastTwoLabelsWithAnSoaForNegativeCaching() throws Exception {
    fake = FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").build();

    Message reply = ask(fake.resolver(), "missing.example.org.", Type.A);

    assertThat(fake.zones()).extracting(z -> z.origin().toString()).containsExactly("example.org.");
    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(authority(reply))
        .containsExactly(
            "example.org. 300 IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 604800 300");
  }

  @Test
  void looseRecordsJoinALoadedZoneThatHoldsThem() {
    fake =
        FakeDns.recursive()
            .zone(EXAMPLE_ORG)
            .record("api.example.org. 60 A 192.0.2.20")
            .record("www.shop.example.co.uk. 60 A 192.0.2.30")
            .build();

    assertThat(fake.zones())
        .extracting(z -> z.origin().toString())
        .containsExactly("example.org.", "co.uk.");
    assertThat(fake.zones().get(0).contains(org.aliasdns.testkit.internal.RecordLines.name("api.example.org"))).isTrue();
  }

  @Test
  void aCnameQuestionGetsTheCnameItself() throws Exception {
    Message reply = ask(threeZones(), "www.example.net.", Type.CNAME);

    assertThat(answer(reply)).containsExactly("www.example.net. 300 IN CNAME www.example.com.");
  }
}
