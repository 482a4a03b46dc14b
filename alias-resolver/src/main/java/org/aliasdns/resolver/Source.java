package org.aliasdns.resolver;

/**
 * Where the data of a {@link Lookup} came from.
 *
 * @since 0.1
 */
public enum Source {
  /** Every hop and the final RRset (or negative answer) came from the cache. */
  CACHE,
  /**
   * The lookup needed upstream: a query was sent, or an identical one in flight was joined, or
   * the question was held back because it failed within the failure-recheck interval.
   */
  UPSTREAM
}
