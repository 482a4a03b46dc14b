package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
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

  /** The same handler behind a server without a cache: what the full path answers now. */
  private final DnsServer uncached = DnsServer.builder(handler).packetCacheBytes(0).build();

  /** Asks both servers; asserts the (possibly cached) reply is the uncached one, byte for byte. */
  private Message agreed(String name, int type) throws Exception {
    Message q = Wire.query(name, type);
    Message cachedReply = ask(q, Transport.UDP);
    List<byte[]> out =
        uncached.exchange(q.toWire(), Wire.CLIENT, Transport.UDP).toCompletableFuture().get();
    assertThat(cachedReply.toWire()).isEqualTo(out.get(0));
    return cachedReply;
  }

  @Test
  void answersThatDoNotDependOnTheClockStayCachedAcrossSeconds() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    agreed("example.com.", Type.A); // fresh alias addresses, fixed TTL
    agreed("host.example.com.", Type.A); // static data
    agreed("nothing.example.com.", Type.A); // NXDOMAIN

    now.set(Zones.NOW.plusSeconds(1));
    agreed("example.com.", Type.A);
    agreed("host.example.com.", Type.A);
    now.set(Zones.NOW.plusSeconds(3600)); // past the target's TTL: fixed TTLs do not count down
    agreed("nothing.example.com.", Type.A);
    assertThat(firstAnswer(agreed("example.com.", Type.A))).isEqualTo("example.com. 300 192.0.2.80");

    assertThat(server.stats().packetCacheHits()).isEqualTo(4);
  }

  @Test
  void countdownTtlsAreNeverServedFromAnEarlierSecond() throws Exception {
    ZoneHandler countdown =
        ZoneHandler.builder()
            .clock(clock)
            .policy(FlatteningPolicy.builder().ttlMode(FlatteningPolicy.TtlMode.COUNTDOWN).build())
            .build();
    DnsServer cached = DnsServer.builder(countdown).build();
    DnsServer plain = DnsServer.builder(countdown).packetCacheBytes(0).build();
    countdown.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    for (int elapsed : new int[] {0, 0, 1, 1, 2, 40, 40}) {
      now.set(Zones.NOW.plusSeconds(elapsed).plusMillis(elapsed == 1 ? 999 : 0));
      Message q = Wire.query("example.com.", Type.A);
      byte[] a = cached.exchange(q.toWire(), Wire.CLIENT, Transport.UDP).toCompletableFuture()
          .get().get(0);
      byte[] b = plain.exchange(q.toWire(), Wire.CLIENT, Transport.UDP).toCompletableFuture()
          .get().get(0);
      assertThat(a).isEqualTo(b);
      assertThat(firstAnswer(new Message(a))).isEqualTo("example.com. " + (300 - elapsed)
          + " 192.0.2.80");
    }
    // Repeats within the same second are still cached: at 0, 1.999 and 40 seconds.
    assertThat(cached.stats().packetCacheHits()).isEqualTo(3);
  }

  @Test
  void aStaleTtlThatTicksIsNeverServedFromAnEarlierSecond() throws Exception {
    Resolution.Answer good =
        Zones.resolvedTo("192.0.2.80").get(Zones.TARGET, Type.A).map(r -> (Resolution.Answer) r)
            .orElseThrow();
    // The upstream failed after the answer expired (TTL 300): stale answers (RFC 8767) carry
    // a TTL that shrinks as the end of max stale nears.
    handler.update(
        List.of(Zones.example()),
        AliasResults.of(
            new Resolution.Failure(
                Zones.TARGET, Type.A, List.of(), "timeout", Zones.NOW.plusSeconds(400), good)));
    List<String> seen = new java.util.ArrayList<>();
    long end = 300 + FlatteningPolicy.defaults().maxStale().getSeconds();
    for (long at : new long[] {400, 400, end - 2, end - 2, end - 1, end, end + 1}) {
      now.set(Zones.NOW.plusSeconds(at));
      Message m = agreed("example.com.", Type.A);
      seen.add(Rcode.string(m.getRcode()) + " " + m.getSection(Section.ANSWER).size());
      agreed("host.example.com.", Type.A);
    }
    assertThat(seen).startsWith("NOERROR 1").endsWith("SERVFAIL 0");
  }

  @Test
  void aMovedSerialOrAReloadIsSeenAtOnceAcrossSeconds() throws Exception {
    handler.update(List.of(Zones.example()), Zones.resolvedTo("192.0.2.80"));
    agreed("host.example.com.", Type.A);
    agreed("example.com.", Type.SOA);
    now.set(Zones.NOW.plusSeconds(5));

    handler.update(List.of(Zones.exampleChanged(2, "192.0.2.11")), Zones.resolvedTo("192.0.2.80"));

    assertThat(firstAnswer(agreed("host.example.com.", Type.A))).endsWith("192.0.2.11");
    assertThat(firstAnswer(agreed("example.com.", Type.SOA))).contains(" 2 7200 ");
    now.set(Zones.NOW.plusSeconds(9));
    handler.serve(Zones.example()); // a reload back to serial 1
    assertThat(firstAnswer(agreed("host.example.com.", Type.A))).endsWith("192.0.2.10");
    assertThat(firstAnswer(agreed("example.com.", Type.SOA))).contains(" 1 7200 ");
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
