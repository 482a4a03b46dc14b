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
   * An upstream query was sent (once per attempt, so once per server a question goes to).
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
   * An upstream question failed on every server it went to.
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

  /**
   * An upstream server answered a query with something the resolver accepted (an answer, a
   * referral along the chain, NXDOMAIN or NODATA).
   *
   * @param upstream the server's name ({@link UpstreamStats#name()})
   * @param name the name asked
   * @param type the type asked
   * @since 0.1
   */
  default void upstreamAnswered(String upstream, Name name, int type) {}

  /**
   * One attempt at an upstream server failed; the question goes on to the next server, if one
   * is left and the query timeout allows (see {@link Upstreams}). {@link #upstreamFailed} is
   * called as well when no server is left.
   *
   * @param upstream the server's name
   * @param name the name asked
   * @param type the type asked
   * @param reason what went wrong
   * @since 0.1
   */
  default void attemptFailed(String upstream, Name name, int type, String reason) {}

  /**
   * An upstream server changed state: it went down after too many failures in a row, or came up
   * again with an answer.
   *
   * @param upstream the server's name
   * @param state the new state
   * @param reason why: the last failure, or the answer that brought it back
   * @since 0.1
   */
  default void upstreamStateChanged(String upstream, UpstreamState state, String reason) {}
}
