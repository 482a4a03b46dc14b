package org.aliasdns.resolver;

/**
 * Whether an upstream server gets questions (see {@link Upstreams} for the rules).
 *
 * @since 0.1
 */
public enum UpstreamState {
  /** The server is asked in its turn: it answered last, or has not failed often enough. */
  UP,
  /**
   * The server failed {@link Upstreams#downAfter()} times in a row: it is asked only as a probe
   * after its back-off, or when every server is down.
   */
  DOWN
}
