package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ZoneHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Clock-skew tolerance in target validation (RFC 4035 §5.3.1): the fake signs its zones on its
 * own clock (signatures valid from 1 hour before it for 14 days) and the resolver validates on
 * another, so the signatures start in the resolver's future or ended in its past. Within a tenth
 * of the validity span, clamped to [1 h, 1 day] (Unbound's defaults), they are accepted; beyond,
 * the answer is bogus and says why: EDE 7 or 8 (RFC 8914 §4.8, §4.9).
 */
class SignatureSkewTest {
  private static final Instant NOW = ManualClock.DEFAULT_START;

  /** A fake whose zones were signed at {@code signedAt} (inception 1 hour before). */
  private static FakeDns signedAt(Instant signedAt, SigningFault orgFault) {
    return FakeDns.recursive()
        .clock(ManualClock.startingAt(signedAt))
        .signedZone(ValidationTest.NET, SigningFault.NONE)
        .signedZone(ValidationTest.ORG, orgFault)
        .zone(ValidationTest.SUB)
        .build();
  }

  private static AliasResolver.Builder validatingAtNow(FakeDns dns) {
    List<Record> anchors = new ArrayList<>(dns.trustAnchor("example.net."));
    anchors.addAll(dns.trustAnchor("example.org."));
    ManualClock clock = ManualClock.startingAt(NOW);
    return AliasResolver.builder()
        .upstream(dns.resolver())
        .clock(clock)
        .ticker(clock.ticker())
        .executor(Runnable::run)
        .trustAnchors(TrustAnchors.of(anchors));
  }

  private static Resolution.Failure bogus(Lookup lookup) {
    assertThat(lookup.security()).isEqualTo(Security.BOGUS);
    assertThat(lookup.hasAnswer()).isFalse();
    return (Resolution.Failure) lookup.resolution();
  }

  @Test
  void signaturesStartingTwoHoursAheadAreSecureWithinTheDefaultTolerance() {
    // Inception 2 h after the resolver's clock: a signer whose clock runs 3 h fast.
    try (FakeDns dns = signedAt(NOW.plus(Duration.ofHours(3)), SigningFault.NONE)) {
      Lookup lookup = lookup(validatingAtNow(dns).build(), "www.example.net.", Type.A);

      assertThat(lookup.security()).isEqualTo(Security.SECURE);
      assertThat(java.util.Objects.requireNonNull(lookup.answer()).addresses())
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.10");
    }
  }

  @Test
  void signaturesThatExpiredTwoHoursAgoAreSecureWithinTheDefaultTolerance() {
    // Expiration 2 h before the resolver's clock (signed 14 days and 2 hours back).
    try (FakeDns dns =
        signedAt(NOW.minus(Duration.ofDays(14)).minus(Duration.ofHours(2)), SigningFault.NONE)) {
      Lookup lookup = lookup(validatingAtNow(dns).build(), "www.example.net.", Type.A);

      assertThat(lookup.security()).isEqualTo(Security.SECURE);
    }
  }

  @Test
  void withoutToleranceTheSameSignaturesAreBogusNotYetValid() {
    try (FakeDns dns = signedAt(NOW.plus(Duration.ofHours(3)), SigningFault.NONE)) {
      AliasResolver exact =
          validatingAtNow(dns).signatureSkew(Duration.ZERO, Duration.ZERO).build();

      Resolution.Failure failure = bogus(lookup(exact, "www.example.net.", Type.A));

      assertThat(failure.reason())
          .contains("not valid before")
          .contains("7200 s from now")
          .contains("beyond the clock-skew tolerance of 0 s")
          .contains("(RFC 4035 §5.3.1)") // the reason's UTF-8 as text, not "\\194\\167"
          .contains("(EDE 8)");
      assertThat(failure.kind()).isEqualTo(Resolution.Failure.Kind.SIGNATURE_NOT_YET_VALID);
    }
  }

  @Test
  void signaturesTwoDaysAheadAreBogusNotYetValidBeyondTheOneDayTolerance() {
    try (FakeDns dns = signedAt(NOW.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)),
        SigningFault.NONE)) {
      Resolution.Failure failure =
          bogus(lookup(validatingAtNow(dns).build(), "www.example.net.", Type.A));

      assertThat(failure.reason())
          .contains("not valid before")
          .contains("172800 s from now")
          .contains("tolerance of 86400 s")
          .contains("(EDE 8)");
    }
  }

  @Test
  void expiredSignaturesBeyondTheToleranceAreBogusExpired() {
    try (FakeDns dns = signedAt(NOW, SigningFault.EXPIRED_SIGNATURES)) {
      Resolution.Failure failure =
          bogus(lookup(validatingAtNow(dns).build(), "www.example.net.", Type.A));

      assertThat(failure.reason())
          .contains("RRSIG over ")
          .contains("expired at")
          .contains("172800 s ago")
          .contains("(EDE 7)");
      assertThat(failure.kind()).isEqualTo(Resolution.Failure.Kind.SIGNATURE_EXPIRED);
    }
  }

  @Test
  void aSmallerMaximumRefusesWhatTheDefaultAccepts() {
    try (FakeDns dns = signedAt(NOW.plus(Duration.ofHours(3)), SigningFault.NONE)) {
      AliasResolver strict =
          validatingAtNow(dns).signatureSkew(Duration.ofMinutes(30), Duration.ofHours(1)).build();

      assertThat(bogus(lookup(strict, "www.example.net.", Type.A)).reason())
          .contains("tolerance of 3600 s")
          .contains("(EDE 8)");
    }
  }

  @Test
  void otherBogusReasonsKeepTheValidatorsReasonAndAreNotToleratedAway() {
    for (SigningFault fault : List.of(SigningFault.WRONG_KEY, SigningFault.MISSING_RRSIGS)) {
      try (FakeDns dns = signedAt(NOW.plus(Duration.ofHours(3)), fault)) {
        Resolution.Failure failure =
            bogus(lookup(validatingAtNow(dns).build(), "www.example.net.", Type.A));

        assertThat(failure.reason()).as(fault.name())
            .doesNotContain("(EDE 7)")
            .doesNotContain("(EDE 8)");
        assertThat(failure.kind()).as(fault.name()).isEqualTo(Resolution.Failure.Kind.BOGUS);
      }
    }
  }

  @Test
  void aBadSkewIsRefusedByTheBuilder() {
    AliasResolver.Builder b = AliasResolver.builder();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.signatureSkew(Duration.ofHours(2), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min 7200 s, max 3600 s");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.signatureSkew(Duration.ofSeconds(-1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The served alias answers the EDE the failure's kind says: 8 for signatures too far ahead,
   * 7 for signatures expired too long ago, 6 for every other bogus reason, and the addresses
   * when the skew is within the tolerance.
   */
  @ParameterizedTest
  @CsvSource({
    "PT49H, NONE, 8",
    "PT0S, EXPIRED_SIGNATURES, 7",
    "PT0S, WRONG_KEY, 6",
    "PT3H, NONE, -1",
  })
  void aServedAliasSaysWhyWithItsExtendedError(Duration ahead, SigningFault fault, int ede)
      throws IOException {
    String zoneText =
        """
        $ORIGIN example.com.
        $TTL 3600
        @    SOA   ns1 hostmaster 2026113001 7200 3600 1209600 300
        @    NS    ns1
        @    300   ALIAS www.example.net.
        ns1  A     192.0.2.53
        """;
    try (FakeDns dns = signedAt(NOW.plus(ahead), fault)) {
      AliasResolver resolver = validatingAtNow(dns).build();
      ZoneHandler handler = ZoneHandler.builder().clock(resolver.clock()).build();
      Zone zone = ZoneFileReader.defaults().read(zoneText, "example.com.zone").zone();
      try (DnsServer server =
              DnsServer.builder(handler)
                  .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                  .build()
                  .start();
          LiveZone live = LiveZone.builder(zone, resolver).build()) {
        live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
        live.runDue().toCompletableFuture().join();

        SimpleResolver client = new SimpleResolver(server.address());
        client.setTimeout(Duration.ofSeconds(5));
        client.setEDNS(0, 1232, 0, List.of());
        Message reply =
            client.send(Message.newQuery(
                Record.newRecord(Name.fromConstantString("example.com."), Type.A, DClass.IN)));

        List<Integer> codes = new ArrayList<>();
        if (reply.getOPT() != null) {
          for (EDNSOption o : reply.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
            codes.add(((ExtendedErrorCodeOption) o).getErrorCode());
          }
        }
        if (ede < 0) {
          assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
          assertThat(reply.getSection(Section.ANSWER)).extracting(Record::rdataToString)
              .containsExactly("192.0.2.10");
          assertThat(codes).isEmpty();
        } else {
          assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
          assertThat(codes).containsExactly(ede);
        }
      }
    }
  }
}
