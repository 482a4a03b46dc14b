package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Signed zones of the fake, checked by dnsjava's validator (RFC 4035 §5) over a real socket on
 * 127.0.0.1 with the fake's trust anchor and clock: the correct zone is secure (AD), each broken
 * one bogus (SERVFAIL).
 */
class SignedZoneTest {
  static final String ZONE =
      """
      $ORIGIN example.net.
      $TTL 300
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      ns IN A 192.0.2.1
      www IN A 192.0.2.10
      """;

  private static Message validated(FakeDns dns, String name, int type) throws Exception {
    SimpleResolver head = new SimpleResolver(dns.address());
    ValidatingResolver validator =
        new ValidatingResolver(head, Clock.fixed(dns.clock().instant(), ZoneOffset.UTC));
    String anchor =
        dns.trustAnchor("example.net.").stream()
            .map(Record::toString)
            .collect(Collectors.joining("\n", "", "\n"));
    validator.loadTrustAnchors(new ByteArrayInputStream(anchor.getBytes(StandardCharsets.US_ASCII)));
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    return validator.send(query);
  }

  @Test
  void theCorrectZoneValidatesAsSecure() throws Exception {
    try (FakeDns dns =
        FakeDns.authoritative().signedZone(ZONE, SigningFault.NONE).build().start()) {
      Message positive = validated(dns, "www.example.net.", Type.A);
      assertThat(positive.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(positive.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(positive.getSection(Section.ANSWER))
          .filteredOn(r -> r.getType() == Type.A)
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.10");

      Message nodata = validated(dns, "www.example.net.", Type.AAAA); // NSEC proof, §3.1.3.1
      assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(nodata.getHeader().getFlag(Flags.AD)).isTrue();

      Message nxdomain = validated(dns, "nope.example.net.", Type.A); // §3.1.3.2
      assertThat(nxdomain.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(nxdomain.getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(value = SigningFault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void eachBrokenZoneIsBogus(SigningFault fault) throws Exception {
    try (FakeDns dns = FakeDns.authoritative().signedZone(ZONE, fault).build().start()) {
      Message reply = validated(dns, "www.example.net.", Type.A);

      assertThat(reply.getRcode()).as(fault.name()).isEqualTo(Rcode.SERVFAIL);
      assertThat(reply.getHeader().getFlag(Flags.AD)).isFalse();
      // The validator's Extended DNS Error (RFC 8914 §4.7, §4.11) says why.
      assertThat(reply.getOPT()).isNotNull();
      assertThat(reply.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR))
          .extracting(o -> ((ExtendedErrorCodeOption) o).getErrorCode())
          .containsExactly(
              fault == SigningFault.MISSING_RRSIGS
                  ? ExtendedErrorCodeOption.RRSIGS_MISSING
                  : ExtendedErrorCodeOption.DNSSEC_BOGUS);
    }
  }

  @Test
  void oneRrsetWithoutItsRrsigIsBogusAndTheRestSecureUntilReset() throws Exception {
    try (FakeDns dns =
        FakeDns.authoritative().signedZone(ZONE, SigningFault.NONE).build().start()) {
      dns.removeRrsig("www.example.net.", Type.A);

      Message bogus = validated(dns, "www.example.net.", Type.A);
      assertThat(bogus.getRcode()).isEqualTo(Rcode.SERVFAIL);
      Message secure = validated(dns, "ns.example.net.", Type.A);
      assertThat(secure.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(secure.getHeader().getFlag(Flags.AD)).isTrue();

      dns.reset();
      Message again = validated(dns, "www.example.net.", Type.A);
      assertThat(again.getHeader().getFlag(Flags.AD)).isTrue();

      assertThatThrownBy(() -> dns.removeRrsig("www.example.net.", Type.AAAA))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no RRSIG over www.example.net. AAAA");
      assertThatThrownBy(() -> dns.removeRrsig("www.example.org.", Type.A))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no signed zone holds www.example.org.");
    }
  }

  @Test
  void givenKeysSignAndOnlyTheKeySigningKeyIsTheAnchor() throws Exception {
    Name origin = Name.fromString("example.net.");
    SecureRandom random = new SecureRandom();
    SigningKey ksk =
        SigningKey.generate(
            origin, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.KEY_SIGNING, 3600, random);
    SigningKey zsk =
        SigningKey.generate(
            origin, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.ZONE_SIGNING, 3600, random);
    Zone zone = ZoneFileReader.defaults().read(ZONE, "zone").zone();
    try (FakeDns dns =
        FakeDns.authoritative()
            .signedZone(zone, SigningFault.NONE, List.of(ksk, zsk))
            .build()
            .start()) {
      List<DSRecord> anchor = dns.trustAnchor("example.net");
      assertThat(anchor).extracting(DSRecord::getFootprint).containsExactly(ksk.keyTag());

      Message reply = validated(dns, "www.example.net.", Type.A);
      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void withoutTheDoBitTheAnswerIsUnsigned() throws Exception {
    try (FakeDns dns = FakeDns.authoritative().signedZone(ZONE, SigningFault.NONE).build()) {
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromString("www.example.net."), Type.A, DClass.IN));
      Message plain = dns.resolver().send(query);
      assertThat(plain.getSection(Section.ANSWER)).extracting(Record::getType)
          .containsExactly(Type.A);

      org.xbill.DNS.Resolver withDo = dns.resolver();
      withDo.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      Message signed = withDo.send(query);
      assertThat(signed.getSection(Section.ANSWER)).extracting(Record::getType)
          .containsExactly(Type.A, Type.RRSIG);
    }
  }

  @Test
  void aRecursiveFakeHandsOnTheWholeSignedChainAndItValidates() throws Exception {
    String org =
        """
        $ORIGIN example.org.
        $TTL 300
        @ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
        @ IN NS ns.example.org.
        edge IN A 192.0.2.20
        """;
    try (FakeDns dns =
        FakeDns.recursive()
            .signedZone(ZONE + "alias IN CNAME edge.example.org.\n", SigningFault.NONE)
            .signedZone(org, SigningFault.NONE)
            .build()
            .start()) {
      SimpleResolver head = new SimpleResolver(dns.address());
      ValidatingResolver validator =
          new ValidatingResolver(head, Clock.fixed(dns.clock().instant(), ZoneOffset.UTC));
      String anchors =
          java.util.stream.Stream.concat(
                  dns.trustAnchor("example.net.").stream(),
                  dns.trustAnchor("example.org.").stream())
              .map(Record::toString)
              .collect(Collectors.joining("\n", "", "\n"));
      validator.loadTrustAnchors(
          new ByteArrayInputStream(anchors.getBytes(StandardCharsets.US_ASCII)));

      Message reply =
          validator.send(
              Message.newQuery(
                  Record.newRecord(Name.fromString("alias.example.net."), Type.A, DClass.IN)));

      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(reply.getSection(Section.ANSWER))
          .filteredOn(r -> r.getType() != Type.RRSIG)
          .extracting(r -> r.getName() + " " + Type.string(r.getType()))
          .containsExactly("alias.example.net. CNAME", "edge.example.org. A");
    }
  }


  @Test
  void anUnknownOriginHasNoTrustAnchor() {
    try (FakeDns dns = FakeDns.authoritative().signedZone(ZONE, SigningFault.NONE).build()) {
      assertThatThrownBy(() -> dns.trustAnchor("example.org."))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("example.org.");
    }
  }
}
