package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.aliasdns.core.AliasResults;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The server's packet cache in front of a {@link ZoneHandler}: fast, and never out of date. */
class PacketCacheTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Zones.NOW);
  private final InstantSource clock = now::get;
  private final ZoneHandler handler = ZoneHandler.builder().clock(clock).build();
  private final DnsServer server = DnsServer.builder(handler).build();

  private Message ask(Message query, Transport transport) throws Exception {
    List<byte[]> out =
        server.exchange(query.toWire(), Wire.CLIENT, transport).toCompletableFuture().get();
    assertThat(out).hasSize(1);
    return new Message(out.get(0));
  }

  private static String firstAnswer(Message m) {
    Record r = m.getSection(Section.ANSWER).get(0);
    return r.getName() + " " + r.getTTL() + " " + r.rdataToString();
  }

  @Test
  void aRepeatedQuestionIsAnsweredFromTheCacheWithTheNewId() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    Message first = Wire.query("example.com.", Type.A);
    Message second = Wire.query("example.com.", Type.A);
    second.getHeader().setID(first.getHeader().getID() ^ 0x5A5A);

    Message a = ask(first, Transport.UDP);
    Message b = ask(second, Transport.UDP);

    assertThat(server.stats().packetCacheHits()).isEqualTo(1);
    assertThat(b.getHeader().getID()).isEqualTo(second.getHeader().getID());
    assertThat(b.toWire()).isNotEqualTo(a.toWire());
    b.getHeader().setID(a.getHeader().getID());
    assertThat(b.toWire()).isEqualTo(a.toWire());
  }

  @Test
  void aSnapshotSwapIsSeenByTheVeryNextQuery() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    Message q = Wire.query("example.com.", Type.A);
    assertThat(firstAnswer(ask(q, Transport.UDP))).endsWith("192.0.2.80");

    handler.results(Zones.resolvedTo("192.0.2.81"));

    assertThat(firstAnswer(ask(q, Transport.UDP))).endsWith("192.0.2.81");
    assertThat(server.stats().packetCacheHits()).isZero();
  }

  @Test
  void aNewSecondOnTheHandlersClockIsANewGeneration() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    Message q = Wire.query("example.com.", Type.A);
    ask(q, Transport.UDP);
    long before = handler.generation();

    now.set(Zones.NOW.plusSeconds(1));

    assertThat(handler.generation()).isNotEqualTo(before);
    ask(q, Transport.UDP);
    assertThat(server.stats().packetCacheHits()).isZero();
  }

  @Test
  void theQueryNamesCaseIsPartOfTheKey() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    ask(Wire.query("example.com.", Type.A), Transport.UDP);

    Message upper = ask(Wire.query("EXAMPLE.com.", Type.A), Transport.UDP);

    assertThat(firstAnswer(upper)).startsWith("EXAMPLE.com.");
    assertThat(server.stats().packetCacheHits()).isZero();
  }

  @Test
  void aDifferentEdnsPayloadIsADifferentEntryAndTruncationIsKeptPerSize() throws Exception {
    handler.serve(Zones.big(60));
    Message plain = Wire.query("many.big.example.", Type.A);
    Message edns = Wire.query("many.big.example.", Type.A);
    edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

    Message small = ask(plain, Transport.UDP);
    Message large = ask(edns, Transport.UDP);
    Message smallAgain = ask(plain, Transport.UDP);

    assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(large.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(smallAgain.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(server.stats().packetCacheHits()).isEqualTo(1);
  }

  @Test
  void tcpQueriesAndTransfersAreNeverCached() throws Exception {
    handler.serve(Zones.example());
    Message q = Wire.query("example.com.", Type.SOA);
    ask(q, Transport.TCP);
    ask(q, Transport.TCP);
    Message ixfr = Wire.query("example.com.", Type.IXFR);
    ask(ixfr, Transport.UDP);
    ask(ixfr, Transport.UDP);

    assertThat(server.stats().packetCacheHits()).isZero();
  }

  @Test
  void aHandlerThatDoesNotOptInIsNeverCached() throws Exception {
    DnsServer plain =
        DnsServer.builder(
                r -> {
                  Message m = new Message(r.message().getHeader().getID());
                  m.getHeader().setFlag(Flags.QR);
                  m.getHeader().setRcode(Rcode.NXDOMAIN);
                  return DnsReply.of(m);
                })
            .build();
    byte[] q = Wire.query("a.example.", Type.A).toWire();
    plain.exchange(q, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();
    plain.exchange(q, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();

    assertThat(plain.stats().packetCacheHits()).isZero();
  }

  @Test
  void queriesWithDataAfterTheQuestionAreFormerrAndNeverCached() throws Exception {
    // The input that once exhausted the heap: a valid question followed by 65,000 bytes, each
    // packet different, 2,000 of them. Keyed on the raw bytes, they filled the cache.
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    byte[] question = Wire.query("example.com.", Type.A).toWire();
    byte[] packet = new byte[question.length + 65_000];
    java.util.Random random = new java.util.Random(2026);
    random.nextBytes(packet);
    System.arraycopy(question, 0, packet, 0, question.length);
    for (int i = 0; i < 2_000; i++) {
      packet[question.length + (i % 64_000)] ^= (byte) (i | 1);
      List<byte[]> out =
          server.exchange(packet, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();
      assertThat(new Message(out.get(0)).getRcode()).isEqualTo(Rcode.FORMERR);
    }
    ServerStats stats = server.stats();
    assertThat(stats.formerr()).isEqualTo(2_000);
    assertThat(stats.packetCacheHits()).isZero();
    assertThat(stats.packetCacheBytes()).isZero();

    // the question without its tail is answered, and cached
    ask(Wire.query("example.com.", Type.A), Transport.UDP);
    assertThat(server.stats().packetCacheBytes()).isPositive();
  }

  @Test
  void manyDistinctQuestionsKeepTheCacheWithinItsByteBudget() throws Exception {
    long budget = 64 * 1024;
    DnsServer small = DnsServer.builder(handler).packetCacheBytes(budget).build();
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    for (int i = 0; i < 3_000; i++) {
      // names under the zone: NXDOMAIN with the SOA, about 100 bytes each way
      byte[] q = Wire.query("n" + i + "-" + "x".repeat(40) + ".example.com.", Type.A).toWire();
      small.exchange(q, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();
      assertThat(small.stats().packetCacheBytes()).isLessThanOrEqualTo(budget);
    }
    assertThat(small.stats().packetCacheBytes()).isGreaterThan(budget / 2);
  }

  @Test
  void aCacheOfSizeZeroIsOff() throws Exception {
    DnsServer uncached = DnsServer.builder(handler).packetCacheBytes(0).build();
    handler.update(List.of(Zones.example()), AliasResults.empty());
    byte[] q = Wire.query("example.com.", Type.SOA).toWire();
    uncached.exchange(q, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();
    uncached.exchange(q, Wire.CLIENT, Transport.UDP).toCompletableFuture().get();

    assertThat(uncached.stats().packetCacheHits()).isZero();
  }
}
