package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.authority;
import static org.assertj.core.api.Assertions.assertThat;

import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

class AuthoritativeModeTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.authoritative()
              .zone(RecursiveModeTest.EXAMPLE_NET)
              .zone(RecursiveModeTest.EXAMPLE_ORG)
              .record("alias.example.net. 300 CNAME edge.example.net.")
              .record("edge.example.net. 300 A 192.0.2.50"));

  FakeDns fake;
  Resolver resolver;

  @BeforeEach
  void build(FakeDns fake, Resolver resolver) {
    this.fake = fake;
    this.resolver = resolver;
  }

  @Test
  void aChainStopsAtTheZoneEdge() throws Exception {
    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(reply)).containsExactly("www.example.net. 300 IN CNAME www.example.com.");
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isFalse();
  }

  @Test
  void anInZoneChainIsFollowed() throws Exception {
    Message reply = ask(resolver, "alias.example.net.", Type.A);

    assertThat(answer(reply))
        .containsExactly(
            "alias.example.net. 300 IN CNAME edge.example.net.",
            "edge.example.net. 300 IN A 192.0.2.50");
  }

  @Test
  void aMissingNameIsNxdomainWithTheSoa() throws Exception {
    Message reply = ask(resolver, "nope.example.org.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(authority(reply)).singleElement().asString().startsWith("example.org. 30 IN SOA");
  }

  @Test
  void aNameNoZoneHoldsIsRefused() throws Exception {
    Message reply = ask(resolver, "www.example.com.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
  }
}
