package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.tools.CatalogSecondary;
import org.aliasdns.core.tools.NsdSecondary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

/**
 * Real Knot (3.x, {@code catalog-role: interpret}) and BIND 9.18 ({@code catalog-zones}) on
 * 127.0.0.1, configured with nothing but our catalog zone (RFC 9432) and a TSIG key (RFC 8945),
 * our server requiring the key even from loopback: they pick up every member zone and transfer
 * it; when a target moves, our signed NOTIFY brings them to the new serial by IXFR (RFC 1995),
 * ending with exactly the zone an AXFR from us gives; a zone added to the catalog is picked up,
 * one withdrawn is dropped. Skipped with a printed reason when the program is missing.
 */
class CatalogSecondaryTest {
  static final Name CATALOG = Wire.name("catalog.invalid.");
  static final Name BIG = Wire.name("big.example.");
  static final Name THIRD = Wire.name("third.example.");

  @ParameterizedTest
  @EnumSource(CatalogSecondary.Kind.class)
  void aSecondaryWithOnlyTheCatalogAndTheKeyFollowsEveryZone(
      CatalogSecondary.Kind kind, @TempDir Path dir) throws Exception {
    TsigKey key = TsigTransferTest.KEY;
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    Zone source = Zones.example();
    FlattenedZone first =
        flattener.flatten(source, Zones.resolvedTo("192.0.2.80"), Zones.NOW, null);

    int port = NsdSecondary.freePort();
    ZoneHandler handler =
        ZoneHandler.builder()
            .tsigKeys(List.of(key))
            .transferAcl(
                TransferAcl.builder()
                    .allowKey(key.name())
                    .requireTsig(true)
                    .loopbackExempt(false)
                    .build())
            .catalog(CATALOG)
            .notify(List.of(new InetSocketAddress(Wire.LOOPBACK, port)))
            .notifier(Notifier.builder().timeout(Duration.ofMillis(500)).retries(2).build())
            .build();
    handler.serve(source, first, Zones.resolvedTo("192.0.2.80"));
    handler.serve(Zones.big(300));
    try (DnsServer primary = DnsServer.builder(handler).build().start();
        CatalogSecondary secondary =
            CatalogSecondary.start(kind, dir, CATALOG, primary.port(), port, keyOf(key))) {
      secondary.await(Zones.ORIGIN, first.serial());
      secondary.await(BIG, 7);
      assertThat(secondary.axfr(Zones.ORIGIN))
          .isEqualTo(CatalogSecondary.texts(handler.zone(Zones.ORIGIN).orElseThrow()));

      // The target moves: a new serial, a signed NOTIFY, and the secondary asks IXFR.
      FlattenedZone second =
          flattener.flatten(
              source, Zones.resolvedTo("192.0.2.81"), Zones.NOW.plusSeconds(60), first);
      handler.serve(source, second, Zones.resolvedTo("192.0.2.81"));
      secondary.await(Zones.ORIGIN, second.serial());
      assertThat(secondary.axfr(Zones.ORIGIN))
          .isEqualTo(CatalogSecondary.texts(handler.zone(Zones.ORIGIN).orElseThrow()));
      // Knot names the IXFR; BIND 9.18 counts its records: SOA, old SOA, old A, SOA, new A,
      // SOA, where the AXFR is 10.
      secondary.awaitLog(
              kind == CatalogSecondary.Kind.KNOT
                  ? "\\[example\\.com\\.\\] IXFR, incoming, remote 127\\.0\\.0\\.1@\\d+, finished"
                  : "transfer of 'example\\.com/IN' from 127\\.0\\.0\\.1#\\d+: Transfer completed:"
                      + " 1 messages, 6 records, .*\\(serial " + second.serial() + "\\)");

      // The secondary took our NOTIFY as signed with the key (RFC 8945): BIND says so, Knot's
      // ACL lets a NOTIFY in only with it and logs a denial otherwise.
      if (kind == CatalogSecondary.Kind.BIND) {
        secondary.awaitLog("received notify for zone 'example\\.com': TSIG '" + "xfr-key'");
      } else {
        secondary.awaitLog("\\[example\\.com\\.\\] notify, incoming, remote 127\\.0\\.0\\.1@\\d+, serial "
            + second.serial());
        assertThat(secondary.log()).doesNotContain("denied");
      }

      // A zone added: the catalog's serial moves, the secondary adds and transfers it.
      handler.serve(Zones.parse("third.example.", THIRD_ZONE));
      secondary.await(THIRD, 3);
      // A zone withdrawn: the secondary drops it.
      handler.withdraw(BIG);
      secondary.await(BIG, -2);
      secondary.await(Zones.ORIGIN, second.serial());
    }
  }

  /** The key as Knot's and BIND's configurations write it. */
  static CatalogSecondary.Key keyOf(TsigKey key) {
    return new CatalogSecondary.Key(
        key.name().toString(true), key.algorithmMnemonic(), key.secretBase64());
  }

  static final String THIRD_ZONE =
      "$ORIGIN third.example.\n$TTL 300\n@ SOA ns1 hostmaster 3 7200 3600 1209600 300\n"
          + "@ NS ns1\nns1 A 192.0.2.3\nwww A 198.51.100.3\n";
}
