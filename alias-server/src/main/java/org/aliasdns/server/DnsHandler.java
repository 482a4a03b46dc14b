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

  /**
   * Answers one query.
   *
   * @param request the query, already checked by the server
   * @return the reply to send
   */
  DnsReply handle(DnsRequest request);
}
