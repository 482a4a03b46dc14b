package org.aliasdns.server.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.aliasdns.server.DnsHandler;
import org.aliasdns.server.DnsReply;
import org.aliasdns.server.DnsRequest;
import org.aliasdns.server.TransactionSigner;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns the bytes of one query into the bytes of its reply: the wire rules every listener shares,
 * and the in-process path too. Never throws for bad input; a query it cannot make sense of gets
 * FORMERR, or nothing when not even a header can be read.
 */
public final class QueryPipeline {
  /** RFC 1035 §4.2.1: the UDP limit without EDNS. */
  public static final int CLASSIC_UDP_LIMIT = 512;

  /** RFC 1035 §4.2.2: the 2-byte length prefix bounds a TCP message. */
  public static final int TCP_LIMIT = 65535;

  private static final int HEADER_LENGTH = 12;
  private static final int BADVERS = 16;
  private static final CompletableFuture<List<byte[]>> NOTHING =
      CompletableFuture.completedFuture(List.of());

  private final DnsHandler handler;
  private final int udpPayloadSize;
  private final PipelineListener listener;
  private final @Nullable PacketCache cache;

  /**
   * Creates a pipeline.
   *
   * @param handler decides the replies
   * @param udpPayloadSize the EDNS(0) payload size this server offers, 512 to 65535
   * @param listener told what happens to each query, for statistics
   * @param cache remembers UDP replies of a handler with a {@link DnsHandler#generation()}, or
   *     null for none
   */
  public QueryPipeline(
      DnsHandler handler,
      int udpPayloadSize,
      PipelineListener listener,
      @Nullable PacketCache cache) {
    this.handler = handler;
    this.udpPayloadSize = udpPayloadSize;
    this.listener = listener;
    this.cache = cache;
  }

  /**
   * Answers one query.
   *
   * @param wire the query bytes, without the TCP length prefix
   * @param client where the query came from
   * @param transport the transport it came on
   * @return the reply messages' bytes: none when the query is dropped, at most one for UDP;
   *     completes exceptionally only with an {@link Error}, thrown by the handler or met while
   *     preparing the reply (a deferred reply that failed with an {@link Error} included)
   * @throws Error thrown by the handler or met while preparing the reply on this thread
   */
  public CompletionStage<List<byte[]>> process(
      byte[] wire, InetSocketAddress client, Transport transport) {
    listener.received(transport);
    if (wire.length < HEADER_LENGTH) {
      // Not even an id to answer to (RFC 1035 §4.1.1).
      listener.dropped("shorter than a DNS header");
      return NOTHING;
    }
    if ((wire[2] & 0x80) != 0) {
      // A response sent to us: never answer one, or two servers could loop forever.
      listener.dropped("QR set");
      return NOTHING;
    }
    PacketCache cache = this.cache;
    long generation = DnsHandler.UNCACHEABLE;
    if (cache != null && transport == Transport.UDP && PacketCache.cacheable(wire)) {
      generation = handler.generation();
      if (generation != DnsHandler.UNCACHEABLE) {
        byte[] hit = cache.get(wire, generation);
        if (hit != null) {
          listener.cacheHit();
          return CompletableFuture.completedFuture(List.of(hit));
        }
      }
    }
    int opcode = (wire[2] >> 3) & 0xF;
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception e) {
      // dnsjava throws WireParseException for truncated or lying packets, and occasionally an
      // unchecked exception for garbage inside RDATA; either way the query is malformed.
      listener.malformed(e);
      return done(headerOnly(wire, opcode, Rcode.FORMERR), CLASSIC_UDP_LIMIT);
    }
    if (query.numBytes() != wire.length) {
      // Bytes past the last record the header counts (RFC 1035 §4.1): not a DNS message as
      // sent by any client, and a way to make every query unique. FORMERR, never cached.
      listener.malformed(null);
      return done(headerOnly(wire, opcode, Rcode.FORMERR), CLASSIC_UDP_LIMIT);
    }
    Header header = query.getHeader();
    if (opcode != Opcode.QUERY && opcode != Opcode.NOTIFY) {
      listener.refused("opcode " + Opcode.string(opcode));
      return done(headerOnly(wire, opcode, Rcode.NOTIMP), CLASSIC_UDP_LIMIT);
    }
    if (header.getCount(Section.QUESTION) != 1) {
      // RFC 9619: a query or NOTIFY carries exactly one question.
      listener.malformed(null);
      return done(headerOnly(wire, opcode, Rcode.FORMERR), CLASSIC_UDP_LIMIT);
    }
    OPTRecord opt = null;
    int opts = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT) {
        opt = (OPTRecord) r;
        opts++;
      }
    }
    if (opts > 1 || (opt != null && !opt.getName().equals(Name.root))) {
      // RFC 6891 §6.1.1: more than one OPT is FORMERR; §6.1.2: its owner is the root, and an
      // OPT owned by another name is as malformed.
      listener.malformed(null);
      return done(reply(query, Rcode.FORMERR, true), CLASSIC_UDP_LIMIT);
    }
    if (opt != null && opt.getVersion() != 0) {
      // RFC 6891 §6.1.3: BADVERS, answered with the version we do speak.
      listener.refused("EDNS version " + opt.getVersion());
      return done(reply(query, BADVERS, true), CLASSIC_UDP_LIMIT);
    }
    int limit;
    if (transport == Transport.TCP) {
      limit = TCP_LIMIT;
    } else if (opt == null) {
      limit = CLASSIC_UDP_LIMIT;
    } else {
      // RFC 6891 §6.2.5: values below 512 are treated as 512.
      limit = Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.getPayloadSize(), udpPayloadSize));
    }
    DnsRequest request = new DnsRequest(query, client, transport, limit, wire);
    DnsReply reply;
    try {
      reply = handler.handle(request);
    } catch (RuntimeException e) {
      listener.handlerFailed(e);
      return done(reply(query, Rcode.SERVFAIL, opt != null), limit);
    }
    CompletionStage<List<byte[]>> out = send(request, reply, opt != null);
    if (cache != null
        && generation != DnsHandler.UNCACHEABLE
        && reply instanceof DnsReply.Single single) {
      long madeUnder = generation;
      long validBelow =
          single.validBelow() == DnsHandler.UNCACHEABLE ? generation + 1 : single.validBelow();
      out = out.thenApply(
          sent -> {
            if (sent.size() == 1) {
              try {
                cache.put(wire, sent.get(0), madeUnder, validBelow);
              } catch (RuntimeException e) {
                listener.handlerFailed(e); // not remembered; the reply still goes out
              }
            }
            return sent;
          });
    }
    return out;
  }

  private CompletionStage<List<byte[]>> send(DnsRequest request, DnsReply reply, boolean edns) {
    Message query = request.message();
    int limit = request.payloadLimit();
    try {
      if (reply instanceof DnsReply.Single single) {
        return one(finish(single.message(), edns, limit));
      }
      if (reply instanceof DnsReply.Stream stream) {
        List<Message> messages = stream.messages();
        if (request.transport() == Transport.UDP) {
          return one(finish(messages.get(0), edns, limit));
        }
        List<byte[]> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
          byte[] bytes = withOpt(m, edns).toWire();
          if (bytes.length > TCP_LIMIT) {
            throw new IllegalStateException(
                "a stream message of " + bytes.length + " bytes does not fit TCP framing");
          }
          out.add(bytes);
        }
        return CompletableFuture.completedFuture(out);
      }
      if (reply instanceof DnsReply.Raw raw) {
        if (raw.wire().length > TCP_LIMIT) {
          listener.dropped("raw reply larger than 65535 bytes");
          return NOTHING;
        }
        return CompletableFuture.completedFuture(List.of(raw.wire()));
      }
      if (reply instanceof DnsReply.Signed signed) {
        return sendSigned(request, signed, edns);
      }
      if (reply instanceof DnsReply.Later later) {
        return later
            .reply()
            .thenCompose(r -> send(request, r, edns))
            .exceptionally(
                e -> {
                  Error error = errorIn(e);
                  if (error != null) {
                    throw error; // fatal, not a failed query: the listener stops the server
                  }
                  listener.handlerFailed(e);
                  return List.of(safeWire(reply(query, Rcode.SERVFAIL, edns), limit));
                });
      }
      listener.dropped("by the handler");
      return NOTHING;
    } catch (RuntimeException e) {
      listener.handlerFailed(e);
      return done(reply(query, Rcode.SERVFAIL, edns), limit);
    }
  }

  /**
   * The handler's response with the OPT record the client may have (RFC 6891 §7): when the query
   * had one, the handler's OPT with our payload size (its extended rcode, flags and options, an
   * Extended DNS Error of RFC 8914 say, kept), or a plain one when the handler gave none; when
   * the query had none, no OPT at all, whatever the handler put in. The handler's message is
   * copied, never changed: it may be shared.
   */
  private Message withOpt(Message response, boolean edns) {
    OPTRecord given = response.getOPT();
    if (!edns) {
      if (given == null) {
        return response;
      }
      Message copy = response.clone();
      for (Record r : response.getSection(Section.ADDITIONAL)) {
        if (r.getType() == Type.OPT) {
          copy.removeRecord(r, Section.ADDITIONAL);
        }
      }
      return copy;
    }
    if (given != null && given.getPayloadSize() == udpPayloadSize) {
      return response;
    }
    Message copy = response.clone();
    if (given == null) {
      copy.addRecord(new OPTRecord(udpPayloadSize, 0, 0), Section.ADDITIONAL);
    } else {
      copy.removeRecord(given, Section.ADDITIONAL);
      copy.addRecord(
          new OPTRecord(
              udpPayloadSize,
              given.getExtendedRcode(),
              given.getVersion(),
              given.getFlags(),
              given.getOptions()),
          Section.ADDITIONAL);
    }
    return copy;
  }

  private byte[] finish(Message handlerResponse, boolean edns, int limit) {
    Message response = withOpt(handlerResponse, edns);
    byte[] wire = response.toWire();
    if (wire.length <= limit) {
      return wire;
    }
    listener.truncated();
    return safeWire(truncated(response, limit), limit);
  }

  /**
   * Sends a reply the handler wants signed (RFC 8945): each message finished as {@link #finish}
   * does, a UDP one truncated with room for the TSIG record, then signed, in order.
   */
  private CompletionStage<List<byte[]>> sendSigned(
      DnsRequest request, DnsReply.Signed signed, boolean edns) {
    DnsReply inner = signed.reply();
    TransactionSigner signer = signed.signer();
    List<Message> messages;
    if (inner instanceof DnsReply.Single single) {
      messages = List.of(single.message());
    } else if (inner instanceof DnsReply.Stream stream) {
      messages =
          request.transport() == Transport.UDP
              ? List.of(stream.messages().get(0))
              : stream.messages();
    } else if (inner instanceof DnsReply.Later later) {
      return send(
          request,
          DnsReply.later(later.reply().thenApply(r -> DnsReply.signed(r, signer))),
          edns);
    } else {
      return send(request, inner, edns); // raw bytes or a drop: nothing to sign
    }
    int limit = request.payloadLimit() - signer.recordLength();
    List<byte[]> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      Message finished = withOpt(m, edns);
      finished = finished == m ? m.clone() : finished; // the handler's message may be shared
      if (request.transport() == Transport.UDP && finished.toWire().length > limit) {
        listener.truncated();
        finished = truncated(finished, Math.max(CLASSIC_UDP_LIMIT - signer.recordLength(), limit));
      }
      signer.sign(finished);
      byte[] bytes = finished.toWire();
      if (bytes.length > TCP_LIMIT) {
        throw new IllegalStateException(
            "a signed message of " + bytes.length + " bytes does not fit TCP framing");
      }
      out.add(bytes);
    }
    return CompletableFuture.completedFuture(out);
  }

  /**
   * A response cut to header and question, TC set, so the client retries over TCP (RFC 1035
   * §4.2.1, RFC 2181 §9); whole RRsets are never split. The OPT stays, its options too when
   * they fit the limit.
   */
  private static Message truncated(Message response, int limit) {
    Message truncated = new Message(response.getHeader().getID());
    Header h = truncated.getHeader();
    Header from = response.getHeader();
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (from.getFlag(flag)) {
        h.setFlag(flag);
      }
    }
    h.setFlag(Flags.TC);
    h.setOpcode(from.getOpcode());
    h.setRcode(from.getRcode());
    Record question = response.getQuestion();
    if (question != null) {
      truncated.addRecord(question, Section.QUESTION);
    }
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      truncated.addRecord(opt, Section.ADDITIONAL);
      byte[] withOptions = truncated.toWire();
      if (withOptions.length <= limit || opt.getOptions().isEmpty()) {
        return truncated;
      }
      // The options alone do not fit: keep the OPT (the client needs our payload size and the
      // extended rcode), drop the options.
      truncated.removeRecord(opt, Section.ADDITIONAL);
      truncated.addRecord(
          new OPTRecord(
              opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags()),
          Section.ADDITIONAL);
    }
    return truncated;
  }

  /**
   * Finds the {@link Error} a failed stage carries, through the wrappers stages add.
   *
   * @param failure what a stage failed with
   * @return the error, or null when the failure is an ordinary exception
   */
  public static @Nullable Error errorIn(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 8; depth++) {
      if (t instanceof Error e) {
        return e;
      }
      if (!(t instanceof CompletionException) && !(t instanceof ExecutionException)) {
        return null;
      }
      t = t.getCause();
    }
    return null;
  }

  /**
   * Returns the result of a completed reply stage, on the calling thread.
   *
   * @param reply a completed stage from {@link #process}
   * @return its messages; none when it failed with an ordinary exception
   * @throws Error the error it failed with
   */
  public static List<byte[]> now(CompletableFuture<List<byte[]>> reply) {
    try {
      return reply.join();
    } catch (CompletionException | CancellationException e) {
      Error error = errorIn(e);
      if (error != null) {
        throw error;
      }
      return List.of();
    }
  }

  private static CompletableFuture<List<byte[]>> one(byte[] wire) {
    return CompletableFuture.completedFuture(List.of(wire));
  }

  private CompletableFuture<List<byte[]>> done(Message message, int limit) {
    return CompletableFuture.completedFuture(List.of(safeWire(message, limit)));
  }

  private static byte[] safeWire(Message message, int limit) {
    byte[] wire = message.toWire();
    return wire.length <= limit ? wire : message.toWire(limit);
  }

  /** A reply to a parsed query: its id, opcode, RD and question, and the given rcode. */
  private Message reply(Message query, int rcode, boolean edns) {
    // Only reached with exactly one question: other counts get headerOnly.
    Message out = DnsRequest.responseTo(query, rcode & 0xF);
    if (edns) {
      out.addRecord(new OPTRecord(udpPayloadSize, rcode >>> 4, 0), Section.ADDITIONAL);
    }
    return out;
  }

  /** A header-only reply to bytes that did not parse: the id, opcode and RD survive. */
  private static Message headerOnly(byte[] wire, int opcode, int rcode) {
    int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
    Message out = new Message(id);
    Header h = out.getHeader();
    h.setFlag(Flags.QR);
    if ((wire[2] & 0x01) != 0) {
      h.setFlag(Flags.RD);
    }
    h.setOpcode(opcode);
    h.setRcode(rcode);
    return out;
  }
}
