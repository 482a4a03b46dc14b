package org.aliasdns.resolver;

import org.xbill.DNS.Name;

/**
 * Observes what a resolver does, for metrics and logs. Every method has an empty default, so an
 * implementation overrides only what it needs. Methods are called on the thread that did the
 * work and must return quickly; an exception thrown by a listener is ignored.
 *
 * @since 0.1
 */
public interface ResolverListener {
  /**
   * Returns a listener that does nothing.
   *
   * @return the no-op listener
   */
  static ResolverListener noop() {
    return NoopResolverListener.INSTANCE;
  }

  /**
   * An upstream query was sent.
   *
   * @param name the name asked
   * @param type the type asked
   */
  default void querySent(Name name, int type) {}

  /**
   * A lookup was answered from fresh cache entries alone.
   *
   * @param name the name looked up
   * @param type the type looked up
   */
  default void cacheHit(Name name, int type) {}

  /**
   * A lookup needed upstream.
   *
   * @param name the name looked up
   * @param type the type looked up
   */
  default void cacheMiss(Name name, int type) {}

  /**
   * A lookup was answered with stale data because upstream failed (RFC 8767).
   *
   * @param name the name looked up
   * @param type the type looked up
   * @param reason why upstream failed
   */
  default void staleServed(Name name, int type, String reason) {}

  /**
   * A background refresh was started for an entry in the last 10% of its TTL.
   *
   * @param name the name refreshed
   * @param type the type refreshed
   */
  default void prefetch(Name name, int type) {}

  /**
   * A lookup joined an upstream query already in flight instead of sending its own.
   *
   * @param name the name asked
   * @param type the type asked
   */
  default void coalesced(Name name, int type) {}

  /**
   * An upstream query failed.
   *
   * @param name the name asked
   * @param type the type asked
   * @param reason what went wrong
   */
  default void upstreamFailed(Name name, int type, String reason) {}

  /**
   * A datagram from the upstream address was ignored while a query waited for its response: its
   * id or question did not match, or it did not parse (RFC 5452 §9.1). The query goes on
   * waiting.
   *
   * @param name the name the query asked
   * @param type the type the query asked
   * @param reason what did not match
   */
  default void responseIgnored(Name name, int type, String reason) {}
}
