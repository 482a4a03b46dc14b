package org.aliasdns.testkit.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.aliasdns.server.DnsReply;
import org.aliasdns.testkit.Fault;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Turns a {@link Fault} into the reply the server sends. */
public final class FaultReplies {
  private FaultReplies() {}

  /**
   * Makes the reply for a query under a fault.
   *
   * @param fault the fault
   * @param query the query
   * @param normal the normal reply, computed when needed
   * @param recursive whether the fake answers as a resolver (RA) or authoritatively (AA)
   * @param negativeSoa the SOA for a made-up NXDOMAIN, or null
   * @return the reply
   */
  public static DnsReply reply(
      Fault fault,
      Message query,
      Supplier<Message> normal,
      boolean recursive,
      @org.jspecify.annotations.Nullable Record negativeSoa) {
    if (fault instanceof Fault.None) {
      return DnsReply.of(normal.get());
    } else if (fault instanceof Fault.Delay delay) {
      Fault then = delay.then();
      // Real time, not the manual clock: a delay is there to make a client's timer fire.
      return DnsReply.later(
          CompletableFuture.supplyAsync(
              () -> reply(then, query, normal, recursive, negativeSoa),
              CompletableFuture.delayedExecutor(delay.delay().toNanos(), TimeUnit.NANOSECONDS)));
    } else if (fault instanceof Fault.Drop) {
      return DnsReply.drop();
    } else if (fault instanceof Fault.ResponseCode code) {
      return DnsReply.of(base(query, code.rcode(), recursive, List.of(), List.of()));
    } else if (fault instanceof Fault.NxDomain) {
      return DnsReply.of(
          base(query, Rcode.NXDOMAIN, recursive, List.of(),
              negativeSoa == null ? List.of() : List.of(negativeSoa)));
    } else if (fault instanceof Fault.NoData) {
      return DnsReply.of(
          base(query, Rcode.NOERROR, recursive, List.of(),
              negativeSoa == null ? List.of() : List.of(negativeSoa)));
    } else if (fault instanceof Fault.Truncate) {
      Message m = base(query, Rcode.NOERROR, recursive, List.of(), List.of());
      m.getHeader().setFlag(Flags.TC);
      return DnsReply.of(m);
    } else if (fault instanceof Fault.WrongId) {
      byte[] wire = normal.get().toWire();
      int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
      int other = (id + 0x5A5A) & 0xFFFF; // never the same id
      wire[0] = (byte) (other >>> 8);
      wire[1] = (byte) other;
      return DnsReply.raw(wire);
    } else if (fault instanceof Fault.Malformed) {
      int id = query.getHeader().getID();
      // A header (QR, one question) followed by a label whose length runs past the end.
      byte[] wire = {
        (byte) (id >>> 8), (byte) id, (byte) 0x81, (byte) 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
        7, 'b', 'r', 'o'
      };
      return DnsReply.raw(wire);
    } else if (fault instanceof Fault.ExtraRecords extra) {
      Message m = normal.get();
      extra.answer().forEach(r -> m.addRecord(r, Section.ANSWER));
      extra.additional().forEach(r -> m.addRecord(r, Section.ADDITIONAL));
      return DnsReply.of(m);
    } else {
      Fault.Answer answer = (Fault.Answer) fault;
      return DnsReply.of(base(query, Rcode.NOERROR, recursive, answer.records(), List.of()));
    }
  }

  /** A reply as the fake's mode makes them: RA for a resolver, AA for an authority's answers. */
  private static Message base(
      Message query, int rcode, boolean recursive, List<Record> answer, List<Record> authority) {
    Message m = Answering.reply(query, rcode, recursive, answer, authority, List.of());
    if (!recursive && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN)) {
      m.getHeader().setFlag(Flags.AA);
    }
    return m;
  }
}
