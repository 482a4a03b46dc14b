package org.aliasdns.server;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * What a {@link DnsHandler} wants sent back for one query. Immutable; make one with the static
 * factories.
 *
 * <ul>
 *   <li>{@link #of(Message)}: one response. The server sets nothing the handler did not, except
 *       that it adds an OPT record when the query had one and the response has none (RFC 6891
 *       §7), and sends a truncated response with TC set when the response does not fit {@link
 *       DnsRequest#payloadLimit()}.
 *   <li>{@link #stream(List)}: several messages over TCP, as a zone transfer is (RFC 5936 §2.2);
 *       over UDP only the first is sent.
 *   <li>{@link #raw(byte[])}: bytes sent exactly as given, framed on TCP. For tests that need a
 *       broken or lying answer.
 *   <li>{@link #drop()}: nothing is sent; the client times out.
 *   <li>{@link #later(CompletionStage)}: the reply is not ready yet; the server sends it when the
 *       stage completes, without holding a thread meanwhile.
 *   <li>{@link #signed(DnsReply, TransactionSigner)}: a one-message or stream reply (or one to
 *       come) that the server signs, message by message, once it has finished them (TSIG, RFC
 *       8945).
 * </ul>
 *
 * @since 0.1
 */
public sealed interface DnsReply {

  /**
   * Replies with one message.
   *
   * @param message the response
   * @return the reply
   */
  static DnsReply of(Message message) {
    return new Single(message);
  }

  /**
   * Replies with one message that stays the right reply to the same query bytes for a span of
   * the handler's {@link DnsHandler#generation() generations}: the server's packet cache may
   * reuse it for every generation from the one current when the query came in up to, not
   * including, {@code validBelow}. Where no cache is used, the same as {@link #of(Message)}.
   *
   * @param message the response
   * @param validBelow the first generation for which the reply may be another
   * @return the reply
   */
  static DnsReply of(Message message, long validBelow) {
    return new Single(message, validBelow);
  }

  /**
   * Replies with several messages, in order, over TCP.
   *
   * @param messages the responses; not empty
   * @return the reply
   * @throws IllegalArgumentException if {@code messages} is empty
   */
  static DnsReply stream(List<Message> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a stream reply needs at least one message");
    }
    return new Stream(List.copyOf(messages));
  }

  /**
   * Replies with bytes sent as given.
   *
   * @param wire the bytes of the reply
   * @return the reply
   */
  static DnsReply raw(byte[] wire) {
    return new Raw(wire.clone());
  }

  /**
   * Sends nothing.
   *
   * @return the reply that drops the query
   */
  static DnsReply drop() {
    return Drop.INSTANCE;
  }

  /**
   * Replies when a stage completes. If the stage fails, the server answers SERVFAIL.
   *
   * @param reply the reply to come
   * @return the deferred reply
   */
  static DnsReply later(CompletionStage<? extends DnsReply> reply) {
    return new Later(reply);
  }

  /**
   * Replies with messages the server signs as it sends them: each message of the reply (one, or
   * each of a stream, or those of the reply a deferred one completes with) is finished as usual
   * (OPT record, truncation over UDP with room left for the TSIG record) and then handed to the
   * signer, in order. A raw reply or a drop is sent as it is, unsigned.
   *
   * @param reply the reply to sign
   * @param signer signs each message; serves this reply only
   * @return the signed reply
   */
  static DnsReply signed(DnsReply reply, TransactionSigner signer) {
    return new Signed(reply, signer);
  }

  /**
   * One response message.
   *
   * @param message the response
   * @param validBelow the first generation for which the reply may be another (see {@link
   *     #of(Message, long)}); {@link DnsHandler#UNCACHEABLE} when only the generation current
   *     when the query came in is known to give it
   */
  record Single(Message message, long validBelow) implements DnsReply {
    /**
     * One response message, valid for the generation current when the query came in only.
     *
     * @param message the response
     */
    public Single(Message message) {
      this(message, DnsHandler.UNCACHEABLE);
    }
  }

  /**
   * Several response messages for one TCP query.
   *
   * @param messages the responses, in order
   */
  record Stream(List<Message> messages) implements DnsReply {}

  /**
   * Bytes sent exactly as given.
   *
   * @param wire the bytes; not copied again, do not modify
   */
  record Raw(byte[] wire) implements DnsReply {}

  /** Nothing is sent. */
  enum Drop implements DnsReply {
    /** The only instance. */
    INSTANCE
  }

  /**
   * A reply that is not ready yet.
   *
   * @param reply completes with the reply to send
   */
  record Later(CompletionStage<? extends DnsReply> reply) implements DnsReply {}

  /**
   * A reply whose messages the server signs as it sends them.
   *
   * @param reply the reply to sign
   * @param signer signs each message, in order
   */
  record Signed(DnsReply reply, TransactionSigner signer) implements DnsReply {}
}
