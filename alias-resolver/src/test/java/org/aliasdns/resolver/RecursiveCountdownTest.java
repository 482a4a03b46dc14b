package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Issue 13: behind a recursive upstream a target's TTL counts down in the upstream's cache and
 * refills; neither is a change (README: only a TTL that rose, or fell below half, counts), so
 * the flattened zone's serial stays put through minutes of refreshes, and a real change still
 * moves it once.
 */
class RecursiveCountdownTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @    SOA   ns1 hostmaster 2026112101 7200 3600 1209600 300
      @    NS    ns1
      @    300   ALIAS cdn.example.net.
      www  300   ALIAS cdn.example.net.
      ns1  A     192.0.2.53
      """;

  final FakeDns fake =
      FakeDns.recursive()
          .ttlCountdown(true)
          .zone(
              """
              $ORIGIN example.net.
              @        3600 SOA   ns1 hostmaster 1 7200 3600 1209600 60
              @        3600 NS    ns1
              ns1      3600 A     198.51.100.53
              cdn      30   A     192.0.2.10
              cdn      30   AAAA  2001:db8::10
              """)
          .build();
  final List<LiveZone.Update> updates = new CopyOnWriteArrayList<>();
  @Nullable LiveZone live;

  @AfterEach
  void close() {
    LiveZone opened = live;
    if (opened != null) {
      opened.close();
    }
    fake.close();
  }

  @ParameterizedTest(name = "ttlCap {0}")
  @ValueSource(longs = {86_400, 10})
  void aCountdownAndItsRefillAreNoChangeButANewAddressIs(long cap) {
    FlatteningPolicy policy = FlatteningPolicy.builder().ttlCap(cap).build();
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(fake.resolver())
            .clock(fake.clock())
            .ticker(fake.clock().ticker())
            .policy(policy)
            .build();
    Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
    LiveZone live = LiveZone.builder(zone, resolver).build();
    this.live = live;
    live.addListener(updates::add);
    live.runDue().toCompletableFuture().join();
    long first = live.latest().orElseThrow().serial();
    updates.clear();

    // 11 minutes of refreshes in 3 s steps, the upstream's 30 s TTL counting down and refilling.
    for (int i = 0; i < 220; i++) {
      fake.clock().advance(Duration.ofSeconds(3));
      live.runDue().toCompletableFuture().join();
    }

    assertThat(updates.stream().filter(LiveZone.Update::serialChanged).map(Object::toString))
        .as("serials made by a countdown")
        .isEmpty(); // the first answer, fetched as the cache filled, has the original TTL
    assertThat(live.latest().orElseThrow().serial()).isEqualTo(first);

    // A real change still moves the serial, once.
    updates.clear();
    fake.replace("cdn.example.net. 30 A 192.0.2.20");
    for (int i = 0; i < 20; i++) {
      fake.clock().advance(Duration.ofSeconds(3));
      live.runDue().toCompletableFuture().join();
    }
    assertThat(updates.stream().filter(LiveZone.Update::serialChanged).count()).isEqualTo(1);
    assertThat(
            live.latest().orElseThrow().current().zone()
                .get(Name.fromConstantString("www.example.com."), Type.A)
                .orElseThrow()
                .first()
                .rdataToString())
        .isEqualTo("192.0.2.20");
  }
}
