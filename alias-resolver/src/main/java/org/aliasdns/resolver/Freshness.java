package org.aliasdns.resolver;

/**
 * How current the data of a {@link Lookup} is.
 *
 * @since 0.1
 */
public enum Freshness {
  /** Within its TTL (or just obtained from upstream, or a failure upstream just reported). */
  FRESH,
  /**
   * Within its TTL but in the last 10% of it: this lookup started (or found already running) a
   * background refresh, as Unbound's prefetch does.
   */
  PREFETCHED,
  /**
   * Past its TTL and served because upstream failed (RFC 8767): the outcome is a {@link
   * org.aliasdns.core.Resolution.Failure} carrying the last good answer, or the last negative
   * answer itself.
   */
  STALE
}
