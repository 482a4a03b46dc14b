package org.aliasdns.resolver;

import java.util.Objects;
import org.aliasdns.core.Resolution;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of resolving one name for one address type: alias-core's {@link Resolution} with
 * how fresh it is and where it came from. NXDOMAIN and NODATA are outcomes, not exceptions.
 *
 * @param resolution what chasing the chain found
 * @param freshness fresh, prefetched or stale
 * @param source cache or upstream
 * @param ttl how long this outcome may be used, in seconds: {@link Resolution.Answer#chainTtl()}
 *     for a fresh answer, the negative TTL for NXDOMAIN/NODATA, the policy's stale TTL (RFC 8767
 *     §4) for a stale outcome, and 0 for a failure without a stale answer, a loop or an
 *     over-long chain
 * @param security the DNSSEC status of what this lookup carries (RFC 4035 §4.3), the weakest
 *     over the chain's hops and its end: for an answer, NODATA or NXDOMAIN, of that data; for a
 *     failure with a stale answer, of the stale data (a bogus answer is never kept, so never
 *     stale); {@link Security#BOGUS} for a failure of kind {@link
 *     Resolution.Failure.Kind#BOGUS}; {@link Security#INDETERMINATE} for other failures and for
 *     every lookup of a resolver without trust anchors
 * @since 0.1
 */
public record Lookup(
    Resolution resolution, Freshness freshness, Source source, long ttl, Security security) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the TTL is negative, or the security status is {@link
   *     Security#BOGUS} and the resolution not a bogus failure (or the reverse)
   * @since 0.2
   */
  public Lookup {
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(freshness, "freshness");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(security, "security");
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
    boolean bogusFailure =
        resolution instanceof Resolution.Failure f && f.kind().isBogus();
    boolean withStale = resolution instanceof Resolution.Failure f && f.stale() != null;
    if (bogusFailure && !withStale && security != Security.BOGUS) {
      throw new IllegalArgumentException("a bogus failure is " + Security.BOGUS + ": " + security);
    }
    if (security == Security.BOGUS && !bogusFailure) {
      throw new IllegalArgumentException("only a bogus failure is " + Security.BOGUS);
    }
  }

  /**
   * Makes a lookup of a resolver that does not validate: {@link Security#INDETERMINATE}
   * (RFC 4033 §5), or {@link Security#BOGUS} for a failure of kind {@link
   * Resolution.Failure.Kind#BOGUS} without a stale answer.
   *
   * @param resolution what chasing the chain found
   * @param freshness fresh, prefetched or stale
   * @param source cache or upstream
   * @param ttl how long this outcome may be used, in seconds
   * @throws IllegalArgumentException if the TTL is negative
   */
  public Lookup(Resolution resolution, Freshness freshness, Source source, long ttl) {
    this(resolution, freshness, source, ttl, unvalidated(resolution));
  }

  private static Security unvalidated(Resolution resolution) {
    return resolution instanceof Resolution.Failure f
            && f.kind().isBogus()
            && f.stale() == null
        ? Security.BOGUS
        : Security.INDETERMINATE;
  }

  /**
   * Tells whether this lookup carries addresses: a fresh answer, or a failure with a stale one.
   *
   * @return true if {@link #answer()} is non-null
   */
  public boolean hasAnswer() {
    return answer() != null;
  }

  /**
   * Returns the addresses' answer: the resolution itself if it is an answer, or the stale answer
   * of a failure.
   *
   * @return the answer, or null if there is none
   */
  public Resolution.@Nullable Answer answer() {
    if (resolution instanceof Resolution.Answer answer) {
      return answer;
    }
    if (resolution instanceof Resolution.Failure failure) {
      return failure.stale();
    }
    return null;
  }
}
