package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.tools.UnboundValidator;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The clock-skew tolerance agrees with Unbound's (its defaults, {@code val-sig-skew-min: 3600},
 * {@code val-sig-skew-max: 86400}): a zone signed on a clock that runs ahead of the wall clock
 * is served by a signed fake on loopback, and Unbound (started by the test, anchored at the
 * zone's key, on the wall clock) and our resolver (on the wall clock too) must reach the same
 * verdict. Skipped with a reason when Unbound or dig is missing.
 */
class SignatureSkewUnboundTest {
  private static final String ZONE =
      """
      $ORIGIN example.net.
      $TTL 300
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      ns IN A 192.0.2.1
      www 60 IN A 192.0.2.10
      """;

  @TempDir Path dir;

  @ParameterizedTest(name = "signer {0} ahead: Unbound and we say {1}")
  @CsvSource({"PT3H, NOERROR", "PT49H, SERVFAIL", "-PT14H, NOERROR"})
  void unboundAndWeAgreeOnASkewedSigner(Duration ahead, String status) throws Exception {
    // Signatures run from 1 h before the signer's clock for 14 days: 3 h ahead starts them 2 h
    // in the future (within 1 day, a tenth of the span); 49 h ahead, 2 days (beyond); 14 h
    // behind keeps them valid now (the control).
    SigningKey key =
        SigningKey.generate(Name.fromConstantString("example.net."),
            DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600, new SecureRandom());
    Zone zone = ZoneFileReader.defaults().read(ZONE, "example.net.zone").zone();
    try (FakeDns fake =
            FakeDns.authoritative()
                .clock(ManualClock.startingAt(Instant.now().plus(ahead)))
                .signedZone(zone, SigningFault.NONE, List.of(key))
                .build()
                .start();
        UnboundValidator unbound =
            UnboundValidator.start(Files.createDirectories(dir.resolve("unbound")),
                "example.net", List.of(key.dnskey()), fake.port())) {
      UnboundValidator.Answer theirs = unbound.ask("www.example.net.", "A");
      AliasResolver ours =
          AliasResolver.builder()
              .upstream(fake.address())
              .trustAnchors(TrustAnchors.of(List.of(key.dnskey())))
              .build();
      Lookup lookup = lookup(ours, "www.example.net.", Type.A);

      assertThat(theirs.status()).as("%s\n%s", theirs.output(), unbound.output())
          .isEqualTo(status);
      if (status.equals("NOERROR")) {
        assertThat(theirs.authenticated()).isTrue();
        assertThat(lookup.security()).isEqualTo(Security.SECURE);
      } else {
        assertThat(lookup.security()).isEqualTo(Security.BOGUS);
        assertThat(((Resolution.Failure) lookup.resolution()).kind())
            .isEqualTo(Resolution.Failure.Kind.SIGNATURE_NOT_YET_VALID);
      }
    }
  }
}
