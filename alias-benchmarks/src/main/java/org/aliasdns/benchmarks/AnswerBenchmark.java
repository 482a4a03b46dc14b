package org.aliasdns.benchmarks;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Hop;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;

/**
 * Answering throughput on one thread: an apex ALIAS A question and a static A question, each
 * answered by {@link QueryAnswerer} with the response message built ({@link
 * Response#toMessage}), and optionally encoded, beside dnsjava's {@link
 * org.xbill.DNS.Zone#findRecords} look-up alone on the same records. The target is that our
 * full answer costs no more than twice the dnsjava look-up.
 *
 * <p>The zone has 1,000 hosts, a delegation and a wildcard, so look-ups are not trivially
 * small. Question names are parsed from query wire bytes once in setup, as a server would
 * have them: distinct objects from the zone's names, in the case the client sent.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AnswerBenchmark {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private QueryAnswerer answerer;
  private org.xbill.DNS.Zone dnsjavaZone;
  private AliasResults results;
  private Instant now;

  private Message apexQuery;
  private Question apexQuestion;
  private Message hostQuery;
  private Question hostQuestion;

  /** Builds the zone, the alias results and the two queries. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("$TTL 3600\n")
        .append("@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n")
        .append("@ NS ns1\n@ NS ns2.example.net.\n")
        .append("@ MX 10 mail\n")
        .append("@ ALIAS lb.cdn.example.net.\n")
        .append("ns1 A 192.0.2.1\nmail A 192.0.2.2\n")
        .append("www CNAME @\n*.wild A 192.0.2.3\n")
        .append("deleg NS ns.deleg\nns.deleg A 192.0.2.53\n");
    for (int i = 0; i < 1000; i++) {
      text.append("host").append(i).append(" A 10.0.").append(i / 256).append('.')
          .append(i % 256).append('\n');
    }
    Zone zone = ZoneFileReader.forOrigin(ORIGIN).read(text.toString(), "bench.zone").zone();
    answerer = QueryAnswerer.of(zone, org.aliasdns.core.FlatteningPolicy.defaults());

    List<Record> records = new ArrayList<>();
    zone.forEach(set -> records.addAll(set.records()));
    dnsjavaZone = new org.xbill.DNS.Zone(ORIGIN, records.toArray(new Record[0]));

    now = Instant.parse("2026-01-01T00:00:00Z");
    Name target = Name.fromConstantString("lb.cdn.example.net.");
    Name edge = Name.fromConstantString("edge.cdn.example.net.");
    results =
        AliasResults.of(
            new Resolution.Answer(
                target,
                Type.A,
                List.of(Hop.cname(target, edge, 300)),
                RecordSet.of(
                    new ARecord(edge, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("198.51.100.1")),
                    new ARecord(edge, DClass.IN, 60, org.xbill.DNS.Address.getByAddress("198.51.100.2"))),
                now));

    apexQuery = wireQuery("example.com.");
    apexQuestion = Question.from(apexQuery);
    hostQuery = wireQuery("host500.example.com.");
    hostQuestion = Question.from(hostQuery);
  }

  private static Message wireQuery(String name) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    return new Message(q.toWire());
  }

  /**
   * Our apex ALIAS A answer, response message built.
   *
   * @return the message
   */
  @Benchmark
  public Message aliasApexA() {
    return answerer.answer(apexQuestion, results, now).toMessage(apexQuery);
  }

  /**
   * Our apex ALIAS A answer, message built and encoded to wire form.
   *
   * @return the wire bytes
   */
  @Benchmark
  public byte[] aliasApexAToWire() {
    return answerer.answer(apexQuestion, results, now).toMessage(apexQuery).toWire();
  }

  /**
   * Our static A answer, response message built.
   *
   * @return the message
   */
  @Benchmark
  public Message staticA() {
    return answerer.answer(hostQuestion, results, now).toMessage(hostQuery);
  }

  /**
   * Our static A answer, message built and encoded to wire form.
   *
   * @return the wire bytes
   */
  @Benchmark
  public byte[] staticAToWire() {
    return answerer.answer(hostQuestion, results, now).toMessage(hostQuery).toWire();
  }

  /**
   * dnsjava's look-up alone for the apex A question (it finds no A: the ALIAS is ours).
   *
   * @return dnsjava's result
   */
  @Benchmark
  public SetResponse dnsjavaFindApexA() {
    return dnsjavaZone.findRecords(apexQuestion.name(), Type.A);
  }

  /**
   * dnsjava's look-up alone for the static A question.
   *
   * @return dnsjava's result
   */
  @Benchmark
  public SetResponse dnsjavaFindStaticA() {
    return dnsjavaZone.findRecords(hostQuestion.name(), Type.A);
  }
}
