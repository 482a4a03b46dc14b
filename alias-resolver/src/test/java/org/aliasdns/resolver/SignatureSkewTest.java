package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
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
          .contains("(EDE 8)");
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
}
