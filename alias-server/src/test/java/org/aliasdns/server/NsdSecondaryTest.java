package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;


import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.NsdSecondary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * NSD as a secondary of our server, both on 127.0.0.1: NSD transfers the flattened zone from us;
 * after the alias target moves, we flatten again (the serial moves on), send NOTIFY, and NSD
 * transfers and serves the new address. Skipped with a printed reason without NSD.
 */
class NsdSecondaryTest {

  @Test
  void nsdTransfersTheFlattenedZoneAndFollowsANotify(@TempDir Path dir) throws Exception {
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    Zone source = Zones.example();
    FlattenedZone first =
        flattener.flatten(source, Zones.resolvedTo("192.0.2.80"), Zones.NOW, null);

    int nsdPort = NsdSecondary.freePort();
    BlockingQueue<NotifyResult> notified = new LinkedBlockingQueue<>();
    ZoneHandler handler =
        ZoneHandler.builder()
            .clock(InstantSource.fixed(Zones.NOW))
            .notify(List.of(new InetSocketAddress(Wire.LOOPBACK, nsdPort)))
            .notifier(Notifier.builder().timeout(Duration.ofMillis(500)).build())
            .onNotified(notified::add)
            .build();
    handler.serve(first.zone());
    try (DnsServer primary = DnsServer.builder(handler).build().start();
        NsdSecondary nsd = NsdSecondary.start(dir, "example.com", primary.port(), nsdPort)) {
      nsd.await("example.com.", Type.A, "192.0.2.80", first.serial());
      nsd.await("mail.example.com.", Type.AAAA,
          org.xbill.DNS.Address.getByAddress("2001:db8::2").getHostAddress(), -1);

      FlattenedZone second =
          flattener.flatten(
              source, Zones.resolvedTo("192.0.2.81"), Zones.NOW.plusSeconds(60), first);
      assertThat(second.changed()).isTrue();
      assertThat(second.serial()).isGreaterThan(first.serial());
      notified.clear(); // the NOTIFY for the first serial went out before NSD was up
      handler.serve(second.zone()); // a new serial: the handler sends NOTIFY itself

      NotifyResult result = notified.poll(20, TimeUnit.SECONDS);
      while (result != null && !result.acknowledged()) {
        result = notified.poll(20, TimeUnit.SECONDS); // a late retry of the first one
      }
      assertThat(result).as("NSD acknowledged the NOTIFY").isNotNull();

      nsd.await("example.com.", Type.A, "192.0.2.81", second.serial());
    }
  }
}
