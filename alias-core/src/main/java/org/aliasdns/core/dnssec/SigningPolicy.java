package org.aliasdns.core.dnssec;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a zone is signed: how long signatures are valid, when they are renewed, how far back
 * their inception is set, the denial of existence, and the DNSKEY TTL. A value with a builder.
 *
 * <p>The defaults, and why:
 *
 * <ul>
 *   <li><b>validity 14 days</b>: long enough that a signer that stops (or a secondary that loses
 *       its primary) keeps a valid zone for well over a week; short enough that a replayed old
 *       RRset dies within two weeks. The zone's SOA expire (often 14 days) is the same horizon.
 *   <li><b>refresh window 5 days</b>: a signature with less than this left is renewed. Five days
 *       leave several refresh runs (and a weekend) between renewal and expiry, and exceed any
 *       sane negative or positive TTL, so no validator holds a signature past its expiration.
 *   <li><b>inception 1 hour back</b>: validators whose clocks run behind still accept a fresh
 *       signature (RFC 4035 §5.3.1 checks inception against the validator's clock).
 *   <li><b>NSEC</b> denial (RFC 9276 §3.1 prefers NSEC where zone walking is no concern); NSEC3
 *       with {@link Denial#nsec3()} uses RFC 9276's parameters.
 *   <li><b>DNSKEY TTL</b>: unless set, the keys' own TTL (a key file's, as dnssec-signzone
 *       uses it), else the SOA record's TTL.
 * </ul>
 *
 * @param validity how long a new signature is valid, counted from "now"
 * @param refreshWindow a signature expiring within this of "now" is renewed
 * @param inceptionOffset how far before "now" a new signature's inception is set
 * @param denial NSEC or NSEC3
 * @param dnskeyTtl the DNSKEY RRset's TTL in seconds, or null for the keys' TTL (the smallest
 *     a key's DNSKEY record carries) or, where they carry none, the SOA's TTL
 * @since 0.1
 */
public record SigningPolicy(
    Duration validity,
    Duration refreshWindow,
    Duration inceptionOffset,
    Denial denial,
    @Nullable Long dnskeyTtl) {
  /**
   * The bound, in seconds, that validity plus inception offset must stay below: 2^31 (RFC 4034
   * §3.1.5 compares inception and expiration in serial number arithmetic, RFC 1982).
   */
  public static final long MAX_SIGNATURE_SPAN_SECONDS = 1L << 31;

  /** Default {@link #validity()}: 14 days. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(14);

  /** Default {@link #refreshWindow()}: 5 days. */
  public static final Duration DEFAULT_REFRESH_WINDOW = Duration.ofDays(5);

  /** Default {@link #inceptionOffset()}: 1 hour. */
  public static final Duration DEFAULT_INCEPTION_OFFSET = Duration.ofHours(1);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if the refresh window is not positive or not shorter than the
   *     validity, the validity is not positive, the inception offset is negative, validity plus
   *     inception offset is not below {@link #MAX_SIGNATURE_SPAN_SECONDS} (RFC 4034 §3.1.5), or
   *     the TTL is out of range (0 to 2^31-1, RFC 2181 §8)
   */
  public SigningPolicy {
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(refreshWindow, "refreshWindow");
    Objects.requireNonNull(inceptionOffset, "inceptionOffset");
    Objects.requireNonNull(denial, "denial");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("signature validity must be positive: " + validity);
    }
    // A window of 0 would renew a signature only once it has expired (RFC 4035 §5.3.1: then
    // validators already refuse it).
    if (refreshWindow.isNegative() || refreshWindow.isZero()
        || refreshWindow.compareTo(validity) >= 0) {
      throw new IllegalArgumentException(
          "the refresh window (" + refreshWindow.getSeconds() + " s) must be more than 0 (a"
              + " window of 0 renews signatures only once they have expired) and shorter than"
              + " the validity (" + validity.getSeconds() + " s)");
    }
    if (inceptionOffset.isNegative()) {
      throw new IllegalArgumentException("inception offset must not be negative: " + inceptionOffset);
    }
    // RFC 4034 §3.1.5: inception and expiration are 32-bit serial numbers (RFC 1982), so a
    // validator can order them only if expiration - inception is below 2^31 seconds.
    if (validity.getSeconds() >= MAX_SIGNATURE_SPAN_SECONDS
        || inceptionOffset.getSeconds() >= MAX_SIGNATURE_SPAN_SECONDS
        || validity.getSeconds() + inceptionOffset.getSeconds() >= MAX_SIGNATURE_SPAN_SECONDS) {
      throw new IllegalArgumentException(
          "signature validity (" + validity.getSeconds() + " s) plus inception offset ("
              + inceptionOffset.getSeconds() + " s) must be below 2^31 s (about 68 years):"
              + " RRSIG inception and expiration are compared in serial number arithmetic"
              + " (RFC 4034 §3.1.5)");
    }
    if (dnskeyTtl != null && (dnskeyTtl < 0 || dnskeyTtl > 0x7FFFFFFFL)) {
      throw new IllegalArgumentException("DNSKEY TTL must be 0 to 2147483647: " + dnskeyTtl);
    }
  }

  /**
   * Returns the default policy.
   *
   * @return 14 days validity, 5 days refresh window, inception 1 hour back, NSEC
   */
  public static SigningPolicy defaults() {
    return builder().build();
  }

  /**
   * Starts a policy from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link SigningPolicy}; each setting may be given once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable Duration validity;
    private @Nullable Duration refreshWindow;
    private @Nullable Duration inceptionOffset;
    private @Nullable Denial denial;
    private @Nullable Long dnskeyTtl;

    private Builder() {}

    private static void once(@Nullable Object current, String setting) {
      if (current != null) {
        throw new IllegalStateException(setting + " is already set to " + current);
      }
    }

    /**
     * Sets how long new signatures are valid.
     *
     * @param value a positive duration
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder validity(Duration value) {
      once(validity, "validity");
      validity = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Sets the refresh window: signatures expiring within it are renewed.
     *
     * @param value more than 0, shorter than the validity
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder refreshWindow(Duration value) {
      once(refreshWindow, "refreshWindow");
      refreshWindow = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Sets how far before "now" new signatures' inception is.
     *
     * @param value at least 0
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder inceptionOffset(Duration value) {
      once(inceptionOffset, "inceptionOffset");
      inceptionOffset = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Sets the denial of existence.
     *
     * @param value {@link Denial#nsec()} or an {@link Denial.Nsec3}
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder denial(Denial value) {
      once(denial, "denial");
      denial = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Sets the DNSKEY RRset's TTL.
     *
     * @param seconds 0 to 2147483647
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder dnskeyTtl(long seconds) {
      once(dnskeyTtl, "dnskeyTtl");
      dnskeyTtl = seconds;
      return this;
    }

    /**
     * Returns the policy.
     *
     * @return the policy, defaults for what was not set
     * @throws IllegalArgumentException as the record's constructor
     */
    public SigningPolicy build() {
      return new SigningPolicy(
          validity == null ? DEFAULT_VALIDITY : validity,
          refreshWindow == null ? DEFAULT_REFRESH_WINDOW : refreshWindow,
          inceptionOffset == null ? DEFAULT_INCEPTION_OFFSET : inceptionOffset,
          denial == null ? Denial.nsec() : denial,
          dnskeyTtl);
    }
  }
}
