package org.aliasdns.server;

import org.xbill.DNS.Message;

/**
 * Signs the messages of one reply as the server sends them (TSIG, RFC 8945): given to {@link
 * DnsReply#signed}, it is called once per message, in order, after the server has finished the
 * message (the OPT record added, a UDP reply truncated), so that the signature covers exactly
 * the bytes on the wire and the TSIG record is the last one in the message (RFC 8945 §4.2). A
 * signer serves one reply only: for a stream it chains each message's MAC to the one before
 * (RFC 8945 §5.3.1).
 *
 * @since 0.1
 */
public interface TransactionSigner {

  /**
   * Signs one message, adding its TSIG record at the end of the additional section.
   *
   * @param message the finished message, the server's own copy
   */
  void sign(Message message);

  /**
   * Returns the most bytes the TSIG record this signer adds can take, so that a UDP reply
   * leaves room for it within the client's limit.
   *
   * @return a length in bytes
   */
  int recordLength();
}
