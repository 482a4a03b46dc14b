package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ZoneTransferIn;

/**
 * IXFR (RFC 1995) from the journal of published versions, asked by dnsjava's {@link
 * ZoneTransferIn}: the differences since the client's serial, condensed over several versions,
 * and applied to the client's version they give exactly what an AXFR gives.
 */
class IxfrJournalTest {
  private @Nullable DnsServer server;

  private DnsServer running() {
    return java.util.Objects.requireNonNull(server, "server not started");
  }

  @AfterEach
  void stop() {
    DnsServer s = server;
    if (s != null) {
      s.close();
    }
  }

  private ZoneHandler started(ZoneHandler handler) throws Exception {
    server = DnsServer.builder(handler).build().start();
    return handler;
  }

  private ZoneTransferIn ixfr(Name zone, long serial) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(
            zone, serial, false, new InetSocketAddress(Wire.LOOPBACK, running().port()), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    return xfr;
  }

  private List<Record> axfr(Name zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(zone, new InetSocketAddress(Wire.LOOPBACK, running().port()), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    return xfr.getAXFR();
  }

  @Test
  void aMovedTargetTransfersAsAFewRecordsAndAppliesToTheAxfrZone() throws Exception {
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    Zone source = Zones.big(1000).toBuilder().addAll(aliasAtApex()).build();
    FlattenedZone first = flattener.flatten(source, Zones.resolvedTo("192.0.2.80"), Zones.NOW, null);
    ZoneHandler handler = started(ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build());
    handler.serve(source, first, Zones.resolvedTo("192.0.2.80"));
    FlattenedZone second =
        flattener.flatten(
            source, Zones.resolvedTo("192.0.2.81"), Zones.NOW.plusSeconds(60), first);
    handler.serve(source, second, Zones.resolvedTo("192.0.2.81"));

    ZoneTransferIn xfr = ixfr(source.origin(), first.serial());
    assertThat(xfr.isIXFR()).isTrue();
    List<ZoneTransferIn.Delta> deltas = xfr.getIXFR();
    assertThat(deltas).hasSize(1);
    ZoneTransferIn.Delta d = deltas.get(0);
    assertThat(d.start).isEqualTo(first.serial());
    assertThat(d.end).isEqualTo(second.serial());
    // The old SOA and A out, the new SOA and A in: 4 records, not the zone's 1,000.
    assertThat(d.deletes).hasSize(2);
    assertThat(d.adds).hasSize(2);
    assertThat(d.adds).anySatisfy(r -> assertThat(r.rdataToString()).isEqualTo("192.0.2.81"));

    assertThat(applied(first.zone(), deltas)).isEqualTo(texts(axfr(source.origin())));
  }

  @Test
  void severalVersionsAreCondensedIntoOneDifference() throws Exception {
    ZoneHandler handler = started(ZoneHandler.builder().build());
    handler.serve(Zones.example());
    handler.serve(Zones.exampleChanged(2, "192.0.2.11"));
    handler.serve(Zones.exampleChanged(3, "192.0.2.12"));
    handler.serve(Zones.exampleChanged(4, "192.0.2.10")); // back to the first address

    ZoneTransferIn xfr = ixfr(Zones.ORIGIN, 1);
    assertThat(xfr.isIXFR()).isTrue();
    assertThat(xfr.getIXFR()).hasSize(1);
    ZoneTransferIn.Delta d = xfr.getIXFR().get(0);
    // host went .10 -> .11 -> .12 -> .10: only the SOAs differ between serial 1 and 4.
    assertThat(d.deletes).hasSize(1);
    assertThat(d.adds).hasSize(1);
    assertThat(applied(Zones.example(), xfr.getIXFR())).isEqualTo(texts(axfr(Zones.ORIGIN)));

    ZoneTransferIn fromTwo = ixfr(Zones.ORIGIN, 2);
    assertThat(fromTwo.getIXFR().get(0).deletes)
        .anySatisfy(r -> assertThat(r.rdataToString()).isEqualTo("192.0.2.11"));
    assertThat(applied(Zones.exampleChanged(2, "192.0.2.11"), fromTwo.getIXFR()))
        .isEqualTo(texts(axfr(Zones.ORIGIN)));
  }

  @Test
  void aSerialTheJournalDoesNotReachGetsTheWholeZone() throws Exception {
    ZoneHandler handler = started(ZoneHandler.builder().journalVersions(1).build());
    handler.serve(Zones.example());
    handler.serve(Zones.exampleChanged(2, "192.0.2.11"));
    handler.serve(Zones.exampleChanged(3, "192.0.2.12"));

    ZoneTransferIn old = ixfr(Zones.ORIGIN, 1); // two versions back: past the journal
    assertThat(old.isAXFR()).isTrue();
    assertThat(texts(old.getAXFR())).isEqualTo(texts(axfr(Zones.ORIGIN)));
    ZoneTransferIn unknown = ixfr(Zones.ORIGIN, 0); // older, and never published
    assertThat(unknown.isAXFR()).isTrue();
    assertThat(ixfr(Zones.ORIGIN, 2).isIXFR()).isTrue();
    assertThat(ixfr(Zones.ORIGIN, 3).isCurrent()).isTrue();
  }

  @Test
  void theJournalsByteBoundDropsTheOldestDifferences() throws Exception {
    // Each step holds two SOAs and two A records: some 200 bytes.
    ZoneHandler handler = started(ZoneHandler.builder().journalBytes(300).build());
    handler.serve(Zones.example());
    handler.serve(Zones.exampleChanged(2, "192.0.2.11"));
    handler.serve(Zones.exampleChanged(3, "192.0.2.12"));
    assertThat(ixfr(Zones.ORIGIN, 1).isAXFR()).isTrue();
    assertThat(ixfr(Zones.ORIGIN, 2).isIXFR()).isTrue();
  }

  private static List<Record> aliasAtApex() {
    return List.of(
        new org.aliasdns.core.ALIASRecord(
            Wire.name("big.example."), org.xbill.DNS.DClass.IN, 300, Zones.TARGET));
  }

  /** Applies IXFR deltas to a zone's records, as a secondary does, and returns the result. */
  private static Set<String> applied(Zone zone, List<ZoneTransferIn.Delta> deltas) {
    Set<String> records = new HashSet<>();
    for (RecordSet set : zone) {
      set.records().forEach(r -> records.add(r.toString()));
    }
    for (ZoneTransferIn.Delta d : deltas) {
      for (Record r : d.deletes) {
        assertThat(records.remove(r.toString())).as("deleted %s was there", r).isTrue();
      }
      for (Record r : d.adds) {
        assertThat(records.add(r.toString())).as("added %s was not there", r).isTrue();
      }
    }
    return records;
  }

  private static Set<String> texts(List<Record> axfr) {
    Set<String> out = new HashSet<>();
    axfr.forEach(r -> out.add(r.toString()));
    return out;
  }
}
