package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.server.ZoneHandler;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The README's "The live zone" example, run as written, with the monitor on a scheduler. */
class LiveZoneReadmeTest {
  @Test
  void readmeSnippetWorksAsWritten() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (FakeDns fake =
            FakeDns.recursive()
                .record("my-app.cdn.example.net. 300 CNAME edge.cdn.example.net.")
                .record("edge.cdn.example.net. 60 A 192.0.2.80")
                .build();
        NotifiedSecondary secondary = new NotifiedSecondary()) {
      Zone zone = ZoneFileReader.defaults().read(ReadmeExampleTest.ZONE, "example.com.zone").zone();
      AliasResolver resolver =
          AliasResolver.builder()
              .upstream(fake.resolver())
              .clock(fake.clock())
              .ticker(fake.clock().ticker())
              .build();
      List<InetSocketAddress> secondaries = List.of(secondary.address());
      List<String> log = new CopyOnWriteArrayList<>();

      // README example starts here
      ZoneHandler handler = ZoneHandler.builder()  // alias-server; the live zone's clock, so
          .clock(resolver.clock()).notify(secondaries).build(); // both judge "now" alike
      LiveZone live = LiveZone.builder(zone, resolver).build();
      live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
      live.addListener(u -> u.changes().forEach(c -> log.add(c + ", serial " + u.serial())));
      live.runDue().toCompletableFuture().join();    // resolve every target, serve the first zone
      live.start(scheduler, Duration.ofSeconds(1));  // from now on in the background
      //   a target moves: one refresh round, one flattening, one new serial, one NOTIFY
      //   example.com. A: [192.0.2.80] -> [192.0.2.81], serial 2024010102
      // README example ends here

      assertThat(secondary.nextSerial()).isEqualTo(2024010101L);
      log.clear(); // the first publication's changes: from nothing to the first addresses
      fake.replace("edge.cdn.example.net. 60 A 192.0.2.81");
      fake.clock().advance(Duration.ofSeconds(400));
      Upstream.await("the background refresh", () -> !log.isEmpty());

      assertThat(log).containsExactly("example.com. A: [192.0.2.80] -> [192.0.2.81], serial 2024010102");
      assertThat(secondary.nextSerial()).isEqualTo(2024010102L);
      SOARecord soa = handler.zone(Name.fromConstantString("example.com.")).orElseThrow()
          .soa().orElseThrow();
      assertThat(soa.getSerial()).isEqualTo(2024010102L);
      assertThat(handler.zone(zone.origin()).orElseThrow().get(zone.origin(), Type.A)
              .orElseThrow().records().get(0).rdataToString())
          .isEqualTo("192.0.2.81");
      live.close();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/resolver/LiveZoneReadmeTest.java",
        "README example starts here",
        "README example ends here");
  }
}
