package org.aliasdns.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * An in-memory recursive upstream for benchmarks: answers a question by following CNAMEs
 * through a function from name to records, whole chain in one response, and counts queries. No
 * socket, no clock; only for priming caches and counting queries.
 */
final class StaticUpstream implements Resolver {
  private final Function<Name, List<Record>> records;
  final LongAdder queries = new LongAdder();

  StaticUpstream(Function<Name, List<Record>> records) {
    this.records = records;
  }

  static StaticUpstream of(Map<Name, List<Record>> records) {
    Map<Name, List<Record>> copy = new ConcurrentHashMap<>(records);
    return new StaticUpstream(name -> copy.getOrDefault(name, List.of()));
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    queries.increment();
    Record question = query.getQuestion();
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.RA);
    reply.addRecord(question, Section.QUESTION);
    Name current = question.getName();
    for (int hops = 0; hops < 32; hops++) {
      List<Record> here = records.apply(current);
      Name next = null;
      for (Record r : here) {
        if (r.getType() == question.getType()) {
          reply.addRecord(r, Section.ANSWER);
        } else if (r instanceof CNAMERecord cname) {
          reply.addRecord(r, Section.ANSWER);
          next = cname.getTarget();
        }
      }
      if (here.isEmpty()) {
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      if (next == null) {
        break;
      }
      current = next;
    }
    return CompletableFuture.completedFuture(reply);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, Runnable::run);
  }

  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {}

  @Override
  public void setIgnoreTruncation(boolean flag) {}

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

  @Override
  public void setTSIGKey(TSIG key) {}

  @Override
  public void setTimeout(Duration timeout) {}
}
