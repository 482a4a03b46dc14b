package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link ZoneHandler#batch()}: many zones served in one step answer, transfer and notify exactly
 * as the same zones served one at a time.
 */
class ZoneHandlerBatchTest {
  private static final Flattener FLATTENER = Flattener.of(FlatteningPolicy.defaults());
  private static final int ZONES = 40;

  /** Zone i: an apex ALIAS to t(i % 7).example.net., a www CNAME, a host; z0 has a child zone. */
  private static Zone zone(int i, int serial) {
    String origin = "z" + i + ".example.";
    return Zones.parse(
        origin,
        "$ORIGIN " + origin + "\n$TTL 3600\n@ SOA ns1 hostmaster " + serial
            + " 7200 3600 1209600 300\n@ NS ns1\n@ ALIAS t" + (i % 7) + ".example.net.\n"
            + "ns1 A 192.0.2.1\nwww CNAME @\nhost A 192.0.2." + (10 + i) + "\n");
  }

  private static Zone child() {
    return Zones.parse(
        "sub.z0.example.",
        "$ORIGIN sub.z0.example.\n$TTL 300\n@ SOA ns1 hostmaster 5 7200 3600 1209600 300\n"
            + "@ NS ns1\nns1 A 192.0.2.5\n@ A 192.0.2.6\n");
  }

  /** Target t(i % 7) at 198.51.100.(i % 7), TTL 300. */
  private static AliasResults results(int i) {
    Name target = Wire.name("t" + (i % 7) + ".example.net.");
    try {
      return AliasResults.of(
          new Resolution.Answer(
              target,
              Type.A,
              List.of(),
              RecordSet.of(
                  new ARecord(
                      target, DClass.IN, 300, Address.getByAddress("198.51.100." + (i % 7)))),
              Zones.NOW));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static FlattenedZone flat(Zone zone, int i) {
    return FLATTENER.flatten(zone, results(i), Zones.NOW, null);
  }

  private static ZoneHandler handler() {
    return ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build();
  }

  /** Zones 0..ZONES-1 live, with the child zone served on its own (shared results). */
  private static void oneByOne(ZoneHandler h) {
    for (int i = 0; i < ZONES; i++) {
      Zone z = zone(i, 1);
      h.serve(z, flat(z, i), results(i));
    }
    h.serve(child());
  }

  private static void inOneBatch(ZoneHandler h) {
    ZoneHandler.Batch batch = h.batch();
    for (int i = 0; i < ZONES; i++) {
      Zone z = zone(i, 1);
      batch.serve(z, flat(z, i), results(i));
    }
    batch.serve(child());
    assertThat(batch.size()).isEqualTo(ZONES + 1);
    batch.apply();
  }

  /** Every reply to a set of questions over every zone, AXFR over TCP included, as wire bytes. */
  private static List<String> replies(ZoneHandler h) throws Exception {
    DnsServer server = DnsServer.builder(h).build();
    List<String> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < ZONES; i++) {
      names.add("z" + i + ".example.");
      names.add("www.z" + i + ".example.");
      names.add("host.z" + i + ".example.");
      names.add("nothing.z" + i + ".example.");
    }
    names.addAll(List.of("sub.z0.example.", "x.sub.z0.example.", "example.", "z99.example."));
    for (String name : names) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.SOA, Type.NS}) {
        out.add(wire(server, Wire.query(name, type), Transport.UDP));
      }
    }
    out.add(wire(server, Wire.query("z3.example.", Type.AXFR), Transport.TCP));
    out.add(wire(server, Wire.query("sub.z0.example.", Type.AXFR), Transport.TCP));
    return out;
  }

  /** The replies' wire bytes; the query's id is set to 1 so two handlers' replies compare. */
  private static String wire(DnsServer server, Message query, Transport transport)
      throws Exception {
    query.getHeader().setID(1);
    StringBuilder all = new StringBuilder();
    for (byte[] reply :
        server.exchange(query.toWire(), Wire.CLIENT, transport).toCompletableFuture().get()) {
      all.append(Arrays.toString(reply));
    }
    return all.toString();
  }

  @Test
  void aBatchOfManyZonesAnswersAndTransfersAsServingThemOneByOne() throws Exception {
    ZoneHandler single = handler();
    ZoneHandler bulk = handler();
    oneByOne(single);
    inOneBatch(bulk);

    List<String> expected = replies(single);
    assertThat(replies(bulk)).isEqualTo(expected);
    Message apex =
        new Message(
            DnsServer.builder(bulk).build()
                .exchange(Wire.query("z3.example.", Type.A).toWire(), Wire.CLIENT, Transport.UDP)
                .toCompletableFuture().get().get(0));
    assertThat(apex.getSection(Section.ANSWER)).extracting(Record::rdataToString)
        .containsExactly("198.51.100.3");
  }

  @Test
  void aBatchReplacesAndWithdrawsInOneStepAndKeepsEachJournal() throws Exception {
    ZoneHandler single = handler();
    ZoneHandler bulk = handler();
    oneByOne(single);
    inOneBatch(bulk);

    Zone z2 = zone(2, 2);
    Zone z5 = zone(5, 9);
    single.serve(z2, flat(z2, 2), results(2));
    single.serve(z5, flat(z5, 5), results(5));
    single.withdraw(Wire.name("z7.example."));
    single.withdraw(Wire.name("not-served.example."));
    bulk.batch()
        .serve(z2, flat(z2, 2), results(2))
        .serve(z5, flat(z5, 5), results(5))
        .withdraw(Wire.name("z7.example."))
        .withdraw(Wire.name("not-served.example."))
        .apply();

    assertThat(replies(bulk)).isEqualTo(replies(single));
    assertThat(bulk.zone(Wire.name("z7.example."))).isEmpty();
    // RFC 1995: the journal of a zone replaced in a batch reaches back to its version before.
    Message ixfr = Wire.query("z2.example.", Type.IXFR);
    ixfr.addRecord(zone(2, 1).soa().orElseThrow(), Section.AUTHORITY);
    String single2 = wire(DnsServer.builder(single).build(), ixfr, Transport.TCP);
    assertThat(wire(DnsServer.builder(bulk).build(), ixfr, Transport.TCP)).isEqualTo(single2);
    Message parsed =
        new Message(
            DnsServer.builder(bulk).build()
                .exchange(ixfr.toWire(), Wire.CLIENT, Transport.TCP)
                .toCompletableFuture().get().get(0));
    // SOA 2, SOA 1, (nothing removed), SOA 2, the host moved, SOA 2: a difference, not the zone
    assertThat(parsed.getSection(Section.ANSWER)).hasSizeLessThan((int) zone(2, 2).recordCount());
  }

  @Test
  void aBatchNotifiesEachNewZoneAndEachMovedSerialOnce() throws Exception {
    BlockingQueue<NotifyResult> results = new LinkedBlockingQueue<>();
    try (NotifierTest.Receiver secondary =
        new NotifierTest.Receiver((m, n) -> List.of(NotifierTest.ack(m, Rcode.NOERROR)))) {
      ZoneHandler h =
          ZoneHandler.builder()
              .clock(InstantSource.fixed(Zones.NOW))
              .notify(List.of(secondary.address()))
              .notifier(Notifier.builder().timeout(Duration.ofMillis(500)).build())
              .onNotified(results::add)
              .build();
      inOneBatch(h);
      for (int i = 0; i < ZONES + 1; i++) {
        assertThat(results.poll(10, TimeUnit.SECONDS)).as("NOTIFY " + i).isNotNull();
      }
      Zone z4 = zone(4, 2);
      h.batch()
          .serve(zone(3, 1), flat(zone(3, 1), 3), results(3)) // the same serial: no NOTIFY
          .serve(z4, flat(z4, 4), results(4))
          .withdraw(Wire.name("z8.example."))
          .apply();
      NotifyResult moved = results.poll(10, TimeUnit.SECONDS);
      assertThat(moved).isNotNull();
      assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();
      Message last = secondary.received.get(secondary.received.size() - 1);
      assertThat(last.getQuestion().getName()).isEqualTo(Wire.name("z4.example."));
      assertThat(((SOARecord) last.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(2);
      assertThat(secondary.received).hasSize(ZONES + 2);
    }
  }

  @Test
  void theCatalogListsEveryZoneOfABatchAndDropsOnesWithdrawn() {
    Name catalog = Wire.name("catalog.invalid.");
    ZoneHandler h =
        ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).catalog(catalog).build();
    inOneBatch(h);
    long first = h.zone(catalog).orElseThrow().soa().orElseThrow().getSerial();
    assertThat(ptrs(h, catalog)).hasSize(ZONES + 1).contains("z39.example.", "sub.z0.example.");

    Zone z1 = zone(1, 3);
    h.batch().serve(z1, flat(z1, 1), results(1)).apply(); // a member's serial: catalog unmoved
    assertThat(h.zone(catalog).orElseThrow().soa().orElseThrow().getSerial()).isEqualTo(first);

    h.batch().withdraw(Wire.name("z0.example.")).withdraw(Wire.name("z1.example.")).apply();
    assertThat(ptrs(h, catalog)).hasSize(ZONES - 1).doesNotContain("z0.example.", "z1.example.");
    assertThat(h.zone(catalog).orElseThrow().soa().orElseThrow().getSerial()).isEqualTo(first + 1);
  }

  private static List<String> ptrs(ZoneHandler h, Name catalog) {
    List<String> out = new ArrayList<>();
    for (RecordSet set : h.zone(catalog).orElseThrow()) {
      if (set.type() == Type.PTR) {
        set.records().forEach(r -> out.add(r.rdataToString()));
      }
    }
    return out;
  }

  @Test
  void aBatchIsAppliedOnceAndNeverServesTheCatalog() {
    Name catalog = Wire.name("catalog.invalid.");
    ZoneHandler h =
        ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).catalog(catalog).build();
    ZoneHandler.Batch batch = h.batch().serve(zone(1, 1), results(1));
    batch.apply();
    assertThatThrownBy(batch::apply).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("applied already");
    assertThatThrownBy(() -> batch.serve(zone(2, 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> h.batch().withdraw(catalog))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("catalog");
    Zone z = zone(1, 1);
    Zone other = zone(2, 1);
    assertThatThrownBy(() -> h.batch().serve(z, flat(other, 2), results(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not of zone z1.example.");
  }
}
