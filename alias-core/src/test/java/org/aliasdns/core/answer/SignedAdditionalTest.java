package org.aliasdns.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The additional section of a signed answer (RFC 4035 §3.1.1) holds what {@link QueryAnswerer}
 * adds for the same question to an unsigned one (RFC 1034 §4.3.2 step 6, RFC 9460 §4.1), with
 * the RRSIGs of each RRset that is the zone's signed data and none for glue. NSD agrees for NS,
 * MX, SRV and referrals ({@link SignedNsdDifferentialTest}); it adds nothing for SVCB and HTTPS,
 * so those are held to the unsigned path here.
 */
class SignedAdditionalTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Name ORIGIN = Name.fromConstantString("example.com.");
  private static final Zone ZONE =
      ZoneFileReader.defaults()
          .read(
              """
              $ORIGIN example.com.
              $TTL 300
              @      SOA   ns1 hostmaster 1 7200 900 1209600 300
              @      NS    ns1
              @      NS    ns2
              @      MX    10 mail
              @      MX    20 mx.example.net.
              ns1    A     192.0.2.1
              ns2    AAAA  2001:db8::2
              mail   A     192.0.2.25
              mail   AAAA  2001:db8::25
              _sip._tcp SRV 0 5 5060 svc
              @      HTTPS 0 svc
              svc    HTTPS 1 . alpn=h2
              svc    A     192.0.2.10
              svc    AAAA  2001:db8::10
              www    HTTPS 1 pool alpn=h3
              www    HTTPS 2 flat alpn=h2
              pool   A     192.0.2.20
              flat   A     192.0.2.80
              away   HTTPS 1 svc.example.net.
              gone   HTTPS 0 .
              plain  HTTPS 0 pool
              chain  HTTPS 0 hop
              hop    HTTPS 0 svc
              sub    NS    ns.sub
              sub    NS    ns1
              ns.sub A     192.0.2.53
              *.wild MX    10 mail
              """,
              "example.com.zone")
          .zone();
  private static final List<String> QUESTIONS =
      List.of(
          "example.com. NS",
          "example.com. MX",
          "example.com. HTTPS",
          "_sip._tcp.example.com. SRV",
          "svc.example.com. HTTPS",
          "www.example.com. HTTPS",
          "away.example.com. HTTPS",
          "gone.example.com. HTTPS",
          "plain.example.com. HTTPS",
          "chain.example.com. HTTPS",
          "x.sub.example.com. A",
          "x.wild.example.com. MX");

  private static List<String> text(List<Record> records) {
    List<String> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.toString().replaceAll("\\s+", " "));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void signedAnswersCarryTheUnsignedAdditionalDataWithItsSignatures(boolean nsec3) {
    SigningKey key =
        SigningKey.generate(
            ORIGIN, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600,
            new SecureRandom());
    Zone signed =
        ZoneSigner.of(
                List.of(key),
                SigningPolicy.builder().denial(nsec3 ? Denial.nsec3() : Denial.nsec()).build())
            .sign(ZONE, NOW)
            .zone();
    SignedAnswerer withProofs = SignedAnswerer.of(signed);
    QueryAnswerer plain = QueryAnswerer.of(ZONE, FlatteningPolicy.defaults());
    int signedSets = 0;
    for (String q : QUESTIONS) {
      String[] parts = q.split(" ");
      Question question = Question.of(Name.fromConstantString(parts[0]), Type.value(parts[1]));
      List<Record> ours = withProofs.answer(question).additional();
      List<Record> data = new ArrayList<>();
      List<Record> signatures = new ArrayList<>();
      for (Record r : ours) {
        (r instanceof RRSIGRecord ? signatures : data).add(r);
      }
      assertThat(text(data))
          .as(q)
          .containsExactlyInAnyOrderElementsOf(
              text(plain.answer(question, AliasResults.empty(), NOW).additional()));
      // Each RRset: signed unless glue (below the delegation at sub), and only by its RRSIGs.
      for (Record r : data) {
        boolean glue = r.getName().subdomain(Name.fromConstantString("sub.example.com."));
        boolean covered =
            signatures.stream()
                .map(s -> (RRSIGRecord) s)
                .anyMatch(s -> s.getName().equals(r.getName()) && s.getTypeCovered() == r.getType());
        assertThat(covered).as(q + ": " + r).isEqualTo(!glue);
        signedSets += covered ? 1 : 0;
      }
      for (Record s : signatures) {
        assertThat(data)
            .as(q + ": " + s)
            .anyMatch(
                r -> r.getName().equals(s.getName())
                    && r.getType() == ((RRSIGRecord) s).getTypeCovered());
      }
    }
    assertThat(signedSets).isGreaterThan(10);
  }
}
