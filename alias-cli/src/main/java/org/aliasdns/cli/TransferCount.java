package org.aliasdns.cli;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.aliasdns.server.DnsHandler;
import org.aliasdns.server.DnsReply;
import org.aliasdns.server.DnsRequest;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Counts the zone transfers a handler answers, by kind (AXFR, RFC 5936; IXFR, RFC 1995) and by
 * outcome: served (the reply's first message has rcode NOERROR: the zone, the differences, or
 * an IXFR's "up to date" SOA) or refused (any other rcode, such as REFUSED or NOTAUTH with a
 * TSIG error, RFC 8945 §5.3, or no reply at all). An IXFR answered with the whole zone counts
 * as an IXFR. Every other query passes through uncounted. Thread-safe.
 */
final class TransferCount implements DnsHandler {
  /** What a transfer ended as. */
  enum Outcome {
    SERVED,
    REFUSED
  }

  private final DnsHandler handler;
  private final LongAdder[] counts = new LongAdder[4];

  TransferCount(DnsHandler handler) {
    this.handler = handler;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /**
   * The wrapped handler's generation, so that the server's packet cache keeps working behind
   * the count (transfers are never cached, so none goes uncounted).
   *
   * @return {@code handler.generation()}
   */
  @Override
  public long generation() {
    return handler.generation();
  }

  @Override
  public DnsReply handle(DnsRequest request) {
    DnsReply reply = handler.handle(request);
    Record question = request.message().getQuestion();
    if (question == null) {
      return reply;
    }
    int type = question.getType();
    if (type != Type.AXFR && type != Type.IXFR) {
      return reply;
    }
    boolean ixfr = type == Type.IXFR;
    DnsReply inner = reply;
    while (inner instanceof DnsReply.Signed signed) {
      inner = signed.reply();
    }
    if (inner instanceof DnsReply.Later later) {
      later.reply().whenComplete((done, failure) -> count(ixfr, failure == null ? done : null));
    } else {
      count(ixfr, reply);
    }
    return reply;
  }

  /**
   * Returns how many transfers of a kind ended so.
   *
   * @param ixfr true for IXFR, false for AXFR
   * @param outcome served or refused
   * @return the count since start
   */
  long count(boolean ixfr, Outcome outcome) {
    return counts[(ixfr ? 2 : 0) + outcome.ordinal()].sum();
  }

  private void count(boolean ixfr, @Nullable DnsReply reply) {
    Outcome o = rcode(reply) == Rcode.NOERROR ? Outcome.SERVED : Outcome.REFUSED;
    counts[(ixfr ? 2 : 0) + o.ordinal()].increment();
  }

  /** The rcode of a reply's first message, or -1 for none (dropped, raw, still to come). */
  private static int rcode(@Nullable DnsReply reply) {
    DnsReply r = reply;
    while (r instanceof DnsReply.Signed signed) {
      r = signed.reply();
    }
    if (r instanceof DnsReply.Later) {
      return -1; // a stage inside a stage: not looked into
    }
    if (r instanceof DnsReply.Single single) {
      return single.message().getRcode();
    }
    if (r instanceof DnsReply.Stream stream) {
      List<Message> messages = stream.messages();
      return messages.get(0).getRcode();
    }
    return -1;
  }
}
