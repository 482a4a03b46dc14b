package org.aliasdns.resolver;

/**
 * Where the data of a {@link Lookup} came from.
 *
 * @since 0.1
 */
public enum Source {
  /** Every hop and the final RRset (or negative answer) came from the cache. */
  CACHE,
  /** At least one upstream query was sent (or tried) for this lookup. */
  UPSTREAM
}
