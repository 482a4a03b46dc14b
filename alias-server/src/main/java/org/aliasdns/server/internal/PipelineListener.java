package org.aliasdns.server.internal;

import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;

/** What the pipeline reports about each query, for the server's statistics. */
public interface PipelineListener {
  /**
   * A message reached the pipeline.
   *
   * @param transport the transport it came on, or acts as if it did
   */
  default void received(Transport transport) {}

  /**
   * A packet was dropped unanswered, by the wire rules or by the handler.
   *
   * @param why a short reason
   */
  default void dropped(String why) {}

  /**
   * A query could not be parsed or broke a wire rule, and got FORMERR.
   *
   * @param cause the parse error, or null for a rule broken by a well-formed message
   */
  default void malformed(@Nullable Throwable cause) {}

  /**
   * A query got NOTIMP or BADVERS.
   *
   * @param why a short reason
   */
  default void refused(String why) {}

  /**
   * The handler threw or its deferred reply failed; the query got SERVFAIL.
   *
   * @param cause what went wrong
   */
  default void handlerFailed(Throwable cause) {}

  /** A UDP query was answered from the packet cache. */
  default void cacheHit() {}

  /** A response did not fit and went out truncated with TC set. */
  default void truncated() {}
}
