package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.tools.UnboundValidator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link org.aliasdns.core.answer.SignedAnswerer} behind {@link ZoneHandler}, checked by Unbound
 * on 127.0.0.1 with the zone's key as trust anchor: CNAME chains, DNAME, wildcards, empty
 * non-terminals, secure and unsigned delegations' DS answers, with NSEC, NSEC3 and NSEC3 opt-out
 * (RFC 4035 §3.1, RFC 5155 §7.2). Skipped with a printed reason without Unbound or dig (fails
 * under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class SignedAnswerUnboundTest {
  private static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.1\n"
          + "www CNAME host\n"
          + "host A 192.0.2.10\n"
          + "wc CNAME x.wild\n"
          + "*.wild A 192.0.2.20\n"
          + "*.wild TXT \"wild\"\n"
          + "old DNAME new.example.com.\n"
          + "a.new A 192.0.2.30\n"
          + "secure NS ns.secure.example.net.\n"
          + "secure DS 12345 13 2 "
          + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
          + "insecure NS ns.insecure.example.net.\n"
          + "e.f.g TXT \"deep\"\n";

  @TempDir Path dir;

  static Stream<Arguments> denials() {
    return Stream.of(
        Arguments.of("NSEC", Denial.nsec()),
        Arguments.of("NSEC3", Denial.nsec3()),
        Arguments.of("NSEC3 opt-out", Denial.nsec3().withOptOut(true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("denials")
  void unboundValidatesChainsWildcardsDnameAndDelegations(String name, Denial denial)
      throws Exception {
    ExternalTool.UNBOUND.require();
    Zone source = Zones.parse("example.com.", ZONE);
    SigningKey key =
        SigningKey.generate(
            source.origin(), DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600,
            new SecureRandom());
    Instant now = Instant.now();
    FlattenedZone flat =
        Flattener.of(FlatteningPolicy.defaults()).flatten(source, AliasResults.empty(), now, null);
    ZoneSigner signer =
        ZoneSigner.of(List.of(key), SigningPolicy.builder().denial(denial).build());
    ZoneHandler handler = ZoneHandler.builder().build();
    handler.serve(source, flat, signer.sign(flat.zone(), now), AliasResults.empty());
    try (DnsServer server =
            DnsServer.builder(handler)
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build()
                .start();
        UnboundValidator unbound =
            UnboundValidator.start(
                Files.createDirectories(dir.resolve("unbound")), "example.com",
                List.of(key.dnskey()), server.port())) {
      boolean optOut = denial instanceof Denial.Nsec3 nsec3 && nsec3.optOut();
      Check check = new Check(unbound, false);
      // RFC 5155 §6, §9.2: what an opt-out span covers (a wildcard's next closer name, a name
      // that does not exist) is proven only insecurely; validated otherwise.
      Check spans = new Check(unbound, optOut);
      assertThat(check.validated("www.example.com.", "A", "NOERROR").rdata("A"))
          .containsExactly("192.0.2.10");
      assertThat(spans.validated("wc.example.com.", "A", "NOERROR").rdata("A"))
          .containsExactly("192.0.2.20");
      assertThat(spans.validated("any.wild.example.com.", "TXT", "NOERROR").rdata("TXT"))
          .containsExactly("\"wild\"");
      spans.validated("any.wild.example.com.", "MX", "NOERROR");
      assertThat(check.validated("a.old.example.com.", "A", "NOERROR").rdata("A"))
          .containsExactly("192.0.2.30");
      spans.validated("b.old.example.com.", "A", "NXDOMAIN");
      check.validated("host.example.com.", "AAAA", "NOERROR");
      check.validated("f.g.example.com.", "A", "NOERROR");
      check.validated("g.example.com.", "TXT", "NOERROR");
      spans.validated("x.f.g.example.com.", "A", "NXDOMAIN");
      spans.validated("nosuch.example.com.", "TXT", "NXDOMAIN");
      assertThat(check.validated("secure.example.com.", "DS", "NOERROR").rdata("DS")).hasSize(1);
      spans.validated("insecure.example.com.", "DS", "NOERROR");
    }
  }

  /** Asks through Unbound and requires the status and, unless insecure is allowed, AD. */
  private record Check(UnboundValidator unbound, boolean insecureAllowed) {
    UnboundValidator.Answer validated(String name, String type, String status) {
      UnboundValidator.Answer answer = unbound.ask(name, type);
      assertThat(answer.status())
          .as("%s %s:\n%s\nUnbound's log:\n%s", name, type, answer.output(), unbound.output())
          .isEqualTo(status);
      if (insecureAllowed) {
        return answer; // the status (no SERVFAIL: nothing bogus) is what counts
      }
      assertThat(answer.authenticated())
          .as("AD for %s %s:\n%s\nUnbound's log:\n%s", name, type, answer.output(),
              unbound.output())
          .isTrue();
      return answer;
    }
  }
}
