package org.aliasdns.resolver.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/**
 * How far outside its validity period a signature is still accepted, for a signer (or a
 * validator) whose clock is off (RFC 4035 §5.3.1 leaves validators room for skew): a tenth of
 * the signature's validity span (expiration minus inception), at least {@code min} and at most
 * {@code max}, as Unbound's {@code val-sig-skew-min} and {@code val-sig-skew-max} do.
 *
 * @param min the least tolerance, whatever the span (zero or more)
 * @param max the most tolerance (at least {@code min}); zero for none
 */
public record SignatureSkew(Duration min, Duration max) {
  /** Unbound's defaults: 1 hour and 1 day. */
  public static final SignatureSkew DEFAULT = new SignatureSkew(Duration.ofHours(1), Duration.ofDays(1));

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException if min is negative or above max
   */
  public SignatureSkew {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "signature skew must be 0 <= min <= max: min " + min.toSeconds() + " s, max "
              + max.toSeconds() + " s");
    }
  }

  /** The tolerance for one signature: a tenth of its span, clamped to [min, max]. */
  Duration of(RRSIGRecord sig) {
    Duration tenth = Duration.between(sig.getTimeSigned(), sig.getExpire()).dividedBy(10);
    if (tenth.compareTo(min) < 0) {
      return min;
    }
    return tenth.compareTo(max) > 0 ? max : tenth;
  }

  /**
   * What the signatures seen say about time, judged at {@code now}. RRSIGs are grouped by the
   * RRset they cover (owner, type covered); an RRset is out of time when none of its RRSIGs is
   * within its validity period at {@code now}. Of each such RRset, the RRSIG closest to valid
   * counts.
   *
   * @param seen every RRSIG in the responses the validator read
   * @param now the validator's clock
   * @return the verdict
   */
  Verdict judge(Collection<RRSIGRecord> seen, Instant now) {
    Map<Covered, List<RRSIGRecord>> byRrset = new LinkedHashMap<>();
    for (RRSIGRecord sig : seen) {
      byRrset.computeIfAbsent(new Covered(sig.getName(), sig.getTypeCovered()), k -> new ArrayList<>())
          .add(sig);
    }
    Duration ahead = Duration.ZERO; // the largest shift forward an RRset needs
    Duration behind = Duration.ZERO; // the largest shift back
    for (Map.Entry<Covered, List<RRSIGRecord>> e : byRrset.entrySet()) {
      RRSIGRecord closest = null;
      Duration shortfall = null;
      for (RRSIGRecord sig : e.getValue()) {
        Duration s = shortfall(sig, now);
        if (s.isZero()) {
          closest = null;
          break; // in time: this RRset is not the problem
        }
        if (shortfall == null || s.abs().compareTo(shortfall.abs()) < 0) {
          closest = sig;
          shortfall = s;
        }
      }
      if (closest == null || shortfall == null) {
        continue;
      }
      Duration tolerance = of(closest);
      if (shortfall.abs().compareTo(tolerance) > 0) {
        return new Verdict.OutOfTime(closest, shortfall, tolerance);
      }
      if (shortfall.isNegative()) {
        behind = behind.compareTo(shortfall.abs()) < 0 ? shortfall.abs() : behind;
      } else {
        ahead = ahead.compareTo(shortfall) < 0 ? shortfall : ahead;
      }
    }
    if (ahead.isZero() && behind.isZero()) {
      return new Verdict.InTime();
    }
    if (!ahead.isZero() && !behind.isZero()) {
      return new Verdict.Mixed(ahead, behind);
    }
    return new Verdict.WithinTolerance(ahead.isZero() ? behind.negated() : ahead);
  }

  /**
   * How far the clock must move for the signature to be valid: zero if it is valid now,
   * positive (inception minus now) if not yet valid, negative (expiration minus now) if expired.
   */
  static Duration shortfall(RRSIGRecord sig, Instant now) {
    if (now.isBefore(sig.getTimeSigned())) {
      return Duration.between(now, sig.getTimeSigned());
    }
    if (now.isAfter(sig.getExpire())) {
      return Duration.between(now, sig.getExpire());
    }
    return Duration.ZERO;
  }

  /** The RRset an RRSIG covers. */
  private record Covered(Name owner, int type) {}

  /** What the signatures seen say about time. */
  sealed interface Verdict {
    /** Every RRset has an RRSIG valid now: a bogus answer is bogus for another reason. */
    record InTime() implements Verdict {}

    /**
     * Some RRsets' RRSIGs are all out of time, each by no more than its tolerance, in one
     * direction: the validator's clock moved by {@code shift} finds them valid.
     *
     * @param shift how far to move the clock (positive: forward)
     */
    record WithinTolerance(Duration shift) implements Verdict {}

    /**
     * Within tolerance, but some RRsets need the clock forward and others back: no one clock
     * validates them all.
     *
     * @param ahead the largest shift forward needed
     * @param behind the largest shift back needed
     */
    record Mixed(Duration ahead, Duration behind) implements Verdict {}

    /**
     * An RRset whose closest RRSIG is out of time by more than its tolerance: RFC 8914 §4.8
     * (Signature Expired, EDE 7) or §4.9 (Signature Not Yet Valid, EDE 8).
     *
     * @param sig the RRSIG closest to valid
     * @param shortfall how far out of time: positive if not yet valid, negative if expired
     * @param tolerance its tolerance
     */
    record OutOfTime(RRSIGRecord sig, Duration shortfall, Duration tolerance) implements Verdict {
      /** Whether the signature has expired (else it is not yet valid). */
      boolean expired() {
        return shortfall.isNegative();
      }

      /** The RRset, the signature's time and how far out, in words. */
      String describe() {
        return "RRSIG over " + sig.getName() + " " + Type.string(sig.getTypeCovered())
            + " (key tag " + sig.getFootprint() + ") "
            + (expired()
                ? "expired at " + sig.getExpire() + ", " + shortfall.abs().toSeconds() + " s ago"
                : "not valid before " + sig.getTimeSigned() + ", " + shortfall.toSeconds()
                    + " s from now")
            + ", beyond the clock-skew tolerance of " + tolerance.toSeconds() + " s"
            + " (RFC 4035 §5.3.1)";
      }
    }
  }
}
