package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Issue 13: an alias whose RRset cannot be signed into any DNS message (RFC 1035 §4.2.2: 65,535
 * bytes with its RRSIG) fails alone, as its target failing would: it keeps its last good data,
 * else it is unresolved, while every other alias's change is signed and published, and the
 * server starts. Before, the whole signed zone froze and a restart exited 2.
 */
class ServeUnsignableAliasTest {
  /**
   * 2,338 AAAA records: 65,512 bytes in the upstream's answer with its OPT record (it fits),
   * 65,604 in ours with one ECDSA P-256 RRSIG (it does not).
   */
  private static final int TOO_MANY = 2338;

  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ 300 ALIAS cdn.example.net.\n"
          + "big 300 ALIAS big.big.example.net.\n"
          + "ns1 A 192.0.2.53\n";

  private static String[] bigAaaa(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      lines.add("big.big.example.net. 60 AAAA 2001:db8::" + Integer.toHexString(i));
    }
    return lines.toArray(new String[0]);
  }

  private static FakeDns upstream() throws IOException {
    FakeDns fake = ServeFixture.upstream();
    fake.add(bigAaaa(TOO_MANY));
    return fake;
  }

  private static List<String> rdata(SignedZone signed, String owner, int type) {
    List<String> out = new ArrayList<>();
    signed
        .zone()
        .get(Name.fromConstantString(owner), type)
        .ifPresent(set -> set.forEach(r -> out.add(r.rdataToString())));
    return out;
  }

  @Test
  void anAliasTooLargeToSignFailsAloneAndTheOthersArePublished() throws Exception {
    ZoneSigner signer =
        ZoneSigner.of(
            List.of(
                SigningKey.generate(
                    Name.fromConstantString("example.com."), DnssecAlgorithm.ECDSAP256SHA256,
                    SigningKey.Role.COMBINED, 3600, new SecureRandom())),
            SigningPolicy.defaults());
    try (ServeFixture serve = ServeFixture.start(upstream(), ZONE, b -> b.signer(signer))) {
      // The start signs: big has no last good data, so it is unresolved (no AAAA published).
      SignedZone first = serve.session.signedZone().orElseThrow();
      assertThat(rdata(first, "example.com.", Type.A)).containsExactly("192.0.2.10");
      assertThat(rdata(first, "big.example.com.", Type.AAAA)).isEmpty();
      assertThat(serve.warnings)
          .as("warnings %s, log %s", serve.warnings, serve.log)
          .filteredOn(w -> w.contains("cannot be signed"))
          .singleElement()
          .asString()
          .contains("big.example.com. AAAA (alias of big.big.example.net.) cannot be signed: ")
          .contains("2338 records need 65604 bytes with their 1 RRSIG");
      // Live, as any unresolved alias: SERVFAIL, with EDE 0 (Other) saying why; the upstream
      // answered, so not EDE 22 (No Reachable Authority, RFC 8914 §4.23).
      Message unsigned = serve.askWithEdns("big.example.com.", Type.AAAA);
      assertThat(unsigned.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(ServeFixture.extendedErrors(unsigned))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.OTHER);
            assertThat(e.getText())
                .startsWith("big.big.example.net.: too large to sign: big.example.com. AAAA: 2338"
                    + " records need 65604 bytes");
          });

      // Another alias moves: its change is signed and published, live and in the signed zone.
      serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.11");
      serve.advanceAndRefresh(Duration.ofMinutes(6));
      SignedZone moved = serve.session.signedZone().orElseThrow();
      assertThat(moved.serial()).isNotEqualTo(first.serial());
      assertThat(rdata(moved, "example.com.", Type.A)).containsExactly("192.0.2.11");
      assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.11");
      assertThat(serve.warnings).filteredOn(w -> w.contains("cannot be signed")).hasSize(1);

      // The target shrinks: it is published; then grows again: its last good data stays.
      serve.fake.replace(bigAaaa(2));
      serve.advanceAndRefresh(Duration.ofMinutes(6));
      SignedZone small = serve.session.signedZone().orElseThrow();
      assertThat(rdata(small, "big.example.com.", Type.AAAA))
          .containsExactly("2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:2");
      assertThat(serve.log).anyMatch(l -> l.equals("big.example.com. AAAA fits in a signed"
          + " answer again"));

      serve.fake.replace(bigAaaa(TOO_MANY));
      serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.12");
      serve.advanceAndRefresh(Duration.ofMinutes(6));
      SignedZone again = serve.session.signedZone().orElseThrow();
      assertThat(rdata(again, "example.com.", Type.A)).containsExactly("192.0.2.12");
      assertThat(rdata(again, "big.example.com.", Type.AAAA))
          .containsExactly("2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:2");
      assertThat(serve.rdata("big.example.com.", Type.AAAA))
          .containsExactly("2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:2");
      assertThat(serve.warnings).filteredOn(w -> w.contains("cannot be signed")).hasSize(2);
      // Its last good data is a stale answer (EDE 3, RFC 8914 §4.4) whose text says why.
      assertThat(ServeFixture.extendedErrors(serve.askWithEdns("big.example.com.", Type.AAAA)))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
            assertThat(e.getText()).contains("too large to sign").doesNotContain("upstream");
          });
      for (RecordSet set : again.zone()) {
        for (Record r : set) {
          assertThat(r.rdataToString()).doesNotContain("2001:db8:0:0:0:0:0:3");
        }
      }
    }
  }
}
