package org.aliasdns.server;

import java.net.InetSocketAddress;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.jspecify.annotations.Nullable;

/**
 * One well-formed query as the server hands it to a {@link DnsHandler}. The server has already
 * checked the header, the single question and EDNS(0) (RFC 6891); the message was parsed for
 * this request alone, so the handler may read it freely.
 *
 * @param message the parsed query
 * @param client the address and port the query came from
 * @param transport UDP or TCP
 * @param payloadLimit the largest reply, in bytes, that fits the client: for UDP the smaller of
 *     the client's EDNS payload size (at least 512) and the server's, or 512 without EDNS; for
 *     TCP 65535
 * @since 0.1
 */
public record DnsRequest(
    Message message, InetSocketAddress client, Transport transport, int payloadLimit) {

  /**
   * Returns the query's OPT record.
   *
   * @return the OPT pseudo-record, or null when the query has no EDNS(0)
   */
  public @Nullable OPTRecord edns() {
    return message.getOPT();
  }
}
