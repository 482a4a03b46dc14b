package org.aliasdns.server;

/**
 * Decides the reply to one query. The server calls it from its own threads, possibly
 * concurrently, so an implementation must be thread-safe; it must not block for long (return
 * {@link DnsReply#later} for slow work). An exception thrown here becomes SERVFAIL for that
 * query and nothing else.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DnsHandler {

  /** The {@link #generation()} of a handler whose replies the server must not cache. */
  long UNCACHEABLE = Long.MIN_VALUE;

  /**
   * Answers one query.
   *
   * @param request the query, already checked by the server
   * @return the reply to send
   */
  DnsReply handle(DnsRequest request);

  /**
   * Lets the server's packet cache reuse this handler's UDP replies. A handler opts in by
   * returning a value that changes whenever the reply to the same query bytes might change
   * (new data, or a new second when answers depend on the time), and by answering the same
   * query bytes the same way whatever the client's address. The server then sends a
   * remembered reply, with the new query's id, while the generation it was made under is
   * current. The default opts out.
   *
   * @return the current generation, or {@link #UNCACHEABLE}
   */
  default long generation() {
    return UNCACHEABLE;
  }
}
