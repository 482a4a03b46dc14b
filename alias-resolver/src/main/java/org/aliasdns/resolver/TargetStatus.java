package org.aliasdns.resolver;

/**
 * Where a watched target stands for one address family, as {@link TargetMonitor} judges it after
 * each refresh. The same judgement {@link org.aliasdns.core.flatten.Flattener} makes for an alias name
 * whose target this is, so a change of status is a change of what the name publishes.
 *
 * @since 0.1
 */
public enum TargetStatus {
  /** Watched, not resolved yet. */
  PENDING,
  /** The latest refresh brought addresses, within their TTL. */
  FRESH,
  /**
   * The target's chain ends in NXDOMAIN or NODATA (RFC 2308): an answer that there are no
   * addresses, so the alias name answers NODATA for the type.
   */
  NO_ADDRESSES,
  /**
   * The upstream fails (or the chain loops or runs too long) and the last good addresses are
   * kept, within the policy's max stale past their expiry (RFC 8767 §4).
   */
  STALE,
  /**
   * The upstream fails (or the chain loops or runs too long) and there are no last good
   * addresses to keep, or they are past max stale: nothing to publish, SERVFAIL when answered
   * live.
   */
  UNRESOLVED;

  /**
   * Tells whether addresses are published in this status.
   *
   * @return true for {@link #FRESH} and {@link #STALE}
   */
  public boolean hasAddresses() {
    return this == FRESH || this == STALE;
  }
}
