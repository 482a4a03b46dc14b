package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.authority;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** ALIAS records answer A/AAAA from their targets, resolved in the fake's own zones. */
class AliasRecordsTest {
  static final String EXAMPLE_COM =
      """
      $ORIGIN example.com.
      @ 3600 IN SOA ns hostmaster 1 3600 600 86400 60
      @ 3600 IN NS ns.example.net.
      @ 3600 IN ALIAS my-app.cdn.example.net.
      @ 3600 IN MX 10 mail.example.net.
      """;

  FakeDns.Builder world(FakeDns.Builder builder) {
    return builder
        .zone(EXAMPLE_COM)
        .record("my-app.cdn.example.net. 120 CNAME edge.cdn.example.net.")
        .record("edge.cdn.example.net. 300 A 192.0.2.80");
  }

  @Test
  void anAuthoritativeFakeFlattensAnApexAlias() throws Exception {
    try (FakeDns fake = world(FakeDns.authoritative()).build()) {
      Message reply = ask(fake.resolver(), "example.com.", Type.A);

      assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
      // TTL: the smallest of the ALIAS (3600), the CNAME (120) and the A (300).
      assertThat(answer(reply)).containsExactly("example.com. 120 IN A 192.0.2.80");
    }
  }

  @Test
  void aTargetWithoutTheFamilyIsNodataAtTheAlias() throws Exception {
    try (FakeDns fake = world(FakeDns.authoritative()).build()) {
      Message reply = ask(fake.resolver(), "example.com.", Type.AAAA);

      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getSection(org.xbill.DNS.Section.ANSWER)).isEmpty();
      assertThat(authority(reply)).singleElement().asString().startsWith("example.com.");
    }
  }

  @Test
  void aRecursiveFakeAnswersTheAliasNameWithAddresses() throws Exception {
    try (FakeDns fake = world(FakeDns.recursive()).build()) {
      Message reply = ask(fake.resolver(), "example.com.", Type.A);

      assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
      assertThat(answer(reply)).containsExactly("example.com. 120 IN A 192.0.2.80");
    }
  }

  @Test
  void otherTypesAtTheAliasNameAreAnsweredFromTheZone() throws Exception {
    try (FakeDns fake = world(FakeDns.authoritative()).build()) {
      assertThat(answer(ask(fake.resolver(), "example.com.", Type.MX)))
          .containsExactly("example.com. 3600 IN MX 10 mail.example.net.");
    }
  }

  @Test
  void aVanishedTargetIsNodataNotNxdomain() throws Exception {
    try (FakeDns fake = world(FakeDns.authoritative()).build()) {
      fake.remove("edge.cdn.example.net.", Type.A);

      assertThat(ask(fake.resolver(), "example.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }
}
