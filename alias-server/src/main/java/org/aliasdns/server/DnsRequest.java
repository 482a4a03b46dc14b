package org.aliasdns.server;

import java.net.InetSocketAddress;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
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
 * @param wire the query's bytes as they came, without a TCP length prefix: what a transaction
 *     signature covers (RFC 8945 §4.3), which a re-rendering of the message need not reproduce;
 *     not copied, do not modify
 * @since 0.1
 */
public record DnsRequest(
    Message message,
    InetSocketAddress client,
    Transport transport,
    int payloadLimit,
    byte[] wire) {

  /**
   * A request whose bytes are the message rendered again: for tests and handlers that build
   * requests themselves; a signed query needs its own bytes ({@link #wire()}).
   *
   * @param message the query
   * @param client where it came from
   * @param transport UDP or TCP
   * @param payloadLimit the largest reply that fits the client, in bytes
   */
  public DnsRequest(
      Message message, InetSocketAddress client, Transport transport, int payloadLimit) {
    this(message, client, transport, payloadLimit, message.toWire());
  }

  /**
   * Returns the query's OPT record.
   *
   * @return the OPT pseudo-record, or null when the query has no EDNS(0)
   */
  public @Nullable OPTRecord edns() {
    return message.getOPT();
  }

  /**
   * Starts the response to this request; see {@link #responseTo(Message, int)}.
   *
   * @param rcode a response code from 0 to 15
   * @return a new message to add records to
   */
  public Message response(int rcode) {
    return responseTo(message, rcode);
  }

  /**
   * Starts the response to a query: the query's id, opcode and question, QR set, RD and CD
   * copied (RFC 1035 §4.1.1, RFC 4035 §3.1.6), and a response code. Add records and flags, then
   * hand it to {@link DnsReply#of}; the server adds the OPT record when the query had one.
   *
   * @param query the query
   * @param rcode a response code from 0 to 15 (extended codes need an OPT record)
   * @return a new message
   * @throws IllegalArgumentException if the rcode does not fit the header
   */
  public static Message responseTo(Message query, int rcode) {
    if (rcode < 0 || rcode > 15) {
      throw new IllegalArgumentException("header rcode must be 0..15, was " + rcode);
    }
    Header in = query.getHeader();
    Message out = new Message(in.getID());
    Header h = out.getHeader();
    h.setFlag(Flags.QR);
    for (int flag : COPIED_FLAGS) {
      if (in.getFlag(flag)) {
        h.setFlag(flag);
      }
    }
    h.setOpcode(in.getOpcode());
    h.setRcode(rcode);
    Record question = query.getQuestion();
    if (question != null) {
      out.addRecord(question, Section.QUESTION);
    }
    return out;
  }

  private static final int[] COPIED_FLAGS = {Flags.RD, Flags.CD};
}
