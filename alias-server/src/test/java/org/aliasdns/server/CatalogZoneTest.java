package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** The catalog zone (RFC 9432, version 2) a {@link ZoneHandler} publishes of its zones. */
class CatalogZoneTest {
  static final Name CATALOG = Wire.name("catalog.invalid.");

  private final AtomicReference<Instant> now = new AtomicReference<>(Zones.NOW);
  private final ZoneHandler handler =
      ZoneHandler.builder().clock(now::get).catalog(CATALOG).build();
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

  private Zone catalog() {
    return handler.zone(CATALOG).orElseThrow();
  }

  private static long serial(Zone zone) {
    return zone.soa().orElseThrow().getSerial();
  }

  private static List<Name> members(Zone catalog) {
    return catalog.stream()
        .filter(s -> s.type() == Type.PTR)
        .flatMap(s -> s.records().stream())
        .map(r -> ((PTRRecord) r).getTarget())
        .sorted()
        .toList();
  }

  @Test
  void theCatalogListsEveryServedZoneUnderAHashedLabelWithVersionTwo() throws Exception {
    handler.serve(Zones.example());
    handler.serve(Zones.big(10));
    Zone catalog = catalog();
    assertThat(members(catalog))
        .containsExactlyInAnyOrder(Wire.name("big.example."), Zones.ORIGIN);
    RecordSet version = catalog.get(Wire.name("version.catalog.invalid."), Type.TXT).orElseThrow();
    assertThat(((TXTRecord) version.first()).getStrings()).containsExactly("2");
    assertThat(catalog.get(CATALOG, Type.NS)).isPresent();
    String label =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-1").digest(Zones.ORIGIN.toWire()));
    assertThat(catalog.get(Wire.name(label + ".zones.catalog.invalid."), Type.PTR)).isPresent();
  }

  @Test
  void theSerialMovesWhenAMemberComesOrGoesAndNotWhenAMemberChanges() {
    long empty = serial(catalog());
    assertThat(empty).isEqualTo(Zones.NOW.getEpochSecond()); // a serial the clock gives

    handler.serve(Zones.example()); // same second: one more
    long first = serial(catalog());
    assertThat(first).isEqualTo(empty + 1);

    handler.serve(Zones.exampleChanged(2, "192.0.2.11")); // a member's own new serial
    assertThat(serial(catalog())).isEqualTo(first);

    handler.serve(Zones.big(10));
    assertThat(serial(catalog())).isEqualTo(first + 1);

    now.set(Zones.NOW.plusSeconds(3600));
    handler.withdraw(Wire.name("big.example."));
    assertThat(serial(catalog())).isEqualTo(Zones.NOW.plusSeconds(3600).getEpochSecond());
    assertThat(members(catalog())).containsExactly(Zones.ORIGIN);
  }

  @Test
  void theCatalogIsTransferredAndItsChangesGoByIxfr() throws Exception {
    handler.serve(Zones.example());
    handler.serve(Zones.big(10));
    server = DnsServer.builder(handler).build().start();
    InetSocketAddress at = new InetSocketAddress(Wire.LOOPBACK, running().port());
    ZoneTransferIn axfr = ZoneTransferIn.newAXFR(CATALOG, at, null);
    axfr.setTimeout(Duration.ofSeconds(5));
    axfr.run();
    assertThat(axfr.getAXFR())
        .filteredOn(r -> r.getType() == Type.PTR)
        .hasSize(2);
    long before = ((SOARecord) axfr.getAXFR().get(0)).getSerial();

    handler.withdraw(Wire.name("big.example."));
    ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(CATALOG, before, false, at, null);
    ixfr.setTimeout(Duration.ofSeconds(5));
    ixfr.run();
    assertThat(ixfr.isIXFR()).isTrue();
    List<Record> deletes = ixfr.getIXFR().get(0).deletes;
    assertThat(deletes)
        .filteredOn(r -> r.getType() == Type.PTR)
        .singleElement()
        .satisfies(r -> assertThat(((PTRRecord) r).getTarget()).isEqualTo(Wire.name("big.example.")));
  }

  @Test
  void theCatalogCannotBeServedOrWithdrawnAsAMember() {
    Zone clash = Zones.parse("catalog.invalid.",
        "$ORIGIN catalog.invalid.\n@ 0 SOA invalid. invalid. 1 3600 600 86400 0\n@ 0 NS invalid.\n");
    assertThatThrownBy(() -> handler.serve(clash)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> handler.withdraw(CATALOG)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyCatalogIsServedFromTheStart() {
    ZoneHandler fresh =
        ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).catalog(CATALOG).build();
    assertThat(members(fresh.zone(CATALOG).orElseThrow())).isEmpty();
  }
}
