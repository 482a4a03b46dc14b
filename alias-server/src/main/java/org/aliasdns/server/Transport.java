package org.aliasdns.server;

/**
 * The transport a query arrived on.
 *
 * @since 0.1
 */
public enum Transport {
  /** One datagram per message; answers larger than the client's payload size are truncated. */
  UDP,
  /** A stream with 2-byte length framing (RFC 1035 §4.2.2, RFC 7766). */
  TCP
}
