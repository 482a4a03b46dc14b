package org.aliasdns.resolver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/**
 * The tolerance per signature (a tenth of its span, clamped to [min, max], as Unbound's
 * val-sig-skew-min/max) and the verdict over the RRSIGs a validator read.
 */
class SignatureSkewJudgeTest {
  private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
  private static final Name WWW = Name.fromConstantString("www.example.net.");
  private static final Name NET = Name.fromConstantString("example.net.");

  private static RRSIGRecord sig(Name owner, int covered, Instant inception, Instant expiration) {
    return new RRSIGRecord(owner, DClass.IN, 300, covered, DNSSEC.Algorithm.ECDSAP256SHA256, 300,
        expiration, inception, 12345, NET, new byte[64]);
  }

  /** A signature valid for {@code span} whose inception is {@code ahead} after NOW. */
  private static RRSIGRecord ahead(Duration ahead, Duration span) {
    Instant inception = NOW.plus(ahead);
    return sig(WWW, Type.A, inception, inception.plus(span));
  }

  @Test
  void theToleranceIsATenthOfTheSpanClampedToMinAndMax() {
    SignatureSkew skew = SignatureSkew.DEFAULT;

    assertThat(skew.of(ahead(Duration.ZERO, Duration.ofDays(5)))).isEqualTo(Duration.ofHours(12));
    assertThat(skew.of(ahead(Duration.ZERO, Duration.ofDays(30)))).isEqualTo(Duration.ofDays(1));
    assertThat(skew.of(ahead(Duration.ZERO, Duration.ofHours(2)))).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aShortfallWithinItsOwnToleranceShiftsTheClockAndOneBeyondItIsOutOfTime() {
    SignatureSkew skew = SignatureSkew.DEFAULT;

    assertThat(skew.judge(List.of(ahead(Duration.ofHours(11), Duration.ofDays(5))), NOW))
        .isEqualTo(new SignatureSkew.Verdict.WithinTolerance(Duration.ofHours(11)));
    SignatureSkew.Verdict beyond =
        skew.judge(List.of(ahead(Duration.ofHours(13), Duration.ofDays(5))), NOW);
    assertThat(beyond).isInstanceOf(SignatureSkew.Verdict.OutOfTime.class);
    assertThat(((SignatureSkew.Verdict.OutOfTime) beyond).expired()).isFalse();
  }

  @Test
  void anRrsetWithOneSignatureInTimeIsInTimeAndExpiredOnesNeedTheClockBack() {
    SignatureSkew skew = SignatureSkew.DEFAULT;
    RRSIGRecord expired = sig(WWW, Type.A, NOW.minus(Duration.ofDays(15)), NOW.minusSeconds(7200));
    RRSIGRecord valid = sig(WWW, Type.A, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9)));

    assertThat(skew.judge(List.of(expired, valid), NOW))
        .isEqualTo(new SignatureSkew.Verdict.InTime());
    assertThat(skew.judge(List.of(expired), NOW))
        .isEqualTo(new SignatureSkew.Verdict.WithinTolerance(Duration.ofSeconds(-7200)));
  }

  @Test
  void rrsetsNeedingTheClockBothWaysAreMixed() {
    SignatureSkew skew = SignatureSkew.DEFAULT;
    RRSIGRecord early = ahead(Duration.ofHours(2), Duration.ofDays(14));
    RRSIGRecord late =
        sig(NET, Type.DNSKEY, NOW.minus(Duration.ofDays(14)), NOW.minus(Duration.ofHours(3)));

    assertThat(skew.judge(List.of(early, late), NOW))
        .isEqualTo(new SignatureSkew.Verdict.Mixed(Duration.ofHours(2), Duration.ofHours(3)));
  }

  @Test
  void withoutToleranceAnySignatureOutOfTimeIsOutOfTime() {
    SignatureSkew exact = new SignatureSkew(Duration.ZERO, Duration.ZERO);

    assertThat(exact.judge(List.of(ahead(Duration.ofSeconds(1), Duration.ofDays(14))), NOW))
        .isInstanceOf(SignatureSkew.Verdict.OutOfTime.class);
  }
}
