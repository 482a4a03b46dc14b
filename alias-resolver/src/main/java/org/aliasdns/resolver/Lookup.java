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
 * @since 0.1
 */
public record Lookup(Resolution resolution, Freshness freshness, Source source, long ttl) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the TTL is negative
   */
  public Lookup {
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(freshness, "freshness");
    Objects.requireNonNull(source, "source");
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
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
