package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.ZoneHandler;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@link TargetMonitor#subscribe}: a round reaches only the zones whose targets it changed, each
 * once with its own changes; the zones that use a moved target get one serial and one NOTIFY
 * each, and the others are not touched.
 */
class TargetSubscriptionTest {
  private static final int ZONES = 30;
  private static final int SHARING = 10; // zones 0..9 also alias the shared target

  private final FakeDns fake = fakeWithTargets();
  private final AliasResolver resolver = Upstream.resolver(fake);
  private final TargetMonitor monitor =
      TargetMonitor.builder(resolver).jitter(Duration.ZERO).build();

  private static FakeDns fakeWithTargets() {
    FakeDns.Builder b = FakeDns.recursive().record("shared.example.net. 60 A 192.0.2.1");
    for (int i = 0; i < ZONES; i++) {
      b.record("own" + i + ".example.net. 60 A 198.51.100." + (i + 1));
    }
    return b.build();
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  /** Zone i: www ALIAS own(i); zones below SHARING also an apex ALIAS to the shared target. */
  private static Zone zone(int i) {
    String text =
        "$ORIGIN z" + i + ".example.\n@ 3600 SOA ns1 hostmaster 7 7200 3600 1209600 300\n"
            + "@ NS ns1\nns1 A 192.0.2.54\nwww 60 ALIAS own" + i + ".example.net.\n"
            + (i < SHARING ? "@ 60 ALIAS shared.example.net.\n" : "");
    return ZoneFileReader.defaults().read(text, "z" + i + ".zone").zone();
  }

  @AfterEach
  void close() {
    monitor.close();
    fake.close();
  }

  @Test
  void aSubscriptionIsToldOnlyOfItsTargetsChangesBeforeTheListeners() {
    List<String> told = new CopyOnWriteArrayList<>();
    TargetMonitor.Subscription both =
        monitor.subscribe(
            List.of(name("shared.example.net."), name("own1.example.net.")),
            round -> told.add("both " + round.targets()));
    monitor.subscribe(
        List.of(name("own2.example.net.")), round -> told.add("own2 " + round.targets()));
    monitor.addListener(round -> told.add("listener " + round.targets().size()));
    monitor.runDue().toCompletableFuture().join();
    told.clear();

    fake.replace("shared.example.net. 60 A 192.0.2.2");
    fake.clock().advance(Duration.ofSeconds(120));
    monitor.runDue().toCompletableFuture().join();

    // own1 and own2 were refreshed too, unchanged: only the shared target's change is told.
    assertThat(told).containsExactly("both [shared.example.net.]", "listener 1");
    assertThat(both.targets()).hasSize(2);
  }

  @Test
  void aClosedSubscriptionIsNotToldAndUnwatchesWhatNoOneElseWatches() {
    List<RefreshRound> told = new CopyOnWriteArrayList<>();
    monitor.watch(name("shared.example.net."));
    TargetMonitor.Subscription sub =
        monitor.subscribe(
            List.of(name("shared.example.net."), name("own1.example.net.")), told::add);
    monitor.runDue().toCompletableFuture().join();
    assertThat(told).hasSize(1);

    sub.close();
    sub.close(); // once only
    assertThat(monitor.targets()).containsExactly(name("shared.example.net."));
    fake.replace("shared.example.net. 60 A 192.0.2.2");
    fake.clock().advance(Duration.ofSeconds(120));
    monitor.runDue().toCompletableFuture().join();
    assertThat(told).hasSize(1);
  }

  @Test
  void aSharedTargetsMoveGivesEachZoneUsingItOneSerialAndOneNotifyAndLeavesTheOthers()
      throws Exception {
    try (NotifiedSecondary secondary = new NotifiedSecondary()) {
      ZoneHandler handler =
          ZoneHandler.builder().clock(fake.clock()).notify(List.of(secondary.address())).build();
      Map<Name, List<LiveZone.Update>> updates = new ConcurrentHashMap<>();
      List<LiveZone> zones = new ArrayList<>();
      for (int i = 0; i < ZONES; i++) {
        LiveZone live = LiveZone.builder(zone(i), monitor).build();
        List<LiveZone.Update> mine = new CopyOnWriteArrayList<>();
        updates.put(live.source().origin(), mine);
        live.addListener(mine::add);
        live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
        zones.add(live);
      }
      monitor.runDue().toCompletableFuture().join();
      zones.forEach(LiveZone::publishFirst);
      for (int i = 0; i < ZONES; i++) {
        assertThat(secondary.nextSerial()).isEqualTo(7);
      }
      assertThat(secondary.quiet()).isTrue();
      // RFC 1996 aside: at start every target was asked once per family, shared or not.
      assertThat(fake.queryCount("shared.example.net.", Type.A)).isEqualTo(1);
      updates.values().forEach(List::clear);

      fake.replace("shared.example.net. 60 A 192.0.2.2");
      fake.clock().advance(Duration.ofSeconds(120));
      monitor.runDue().toCompletableFuture().join();

      for (int i = 0; i < ZONES; i++) {
        List<LiveZone.Update> mine = updates.get(name("z" + i + ".example."));
        if (i < SHARING) {
          assertThat(mine).as("z" + i).singleElement().satisfies(u -> {
            assertThat(u.serial()).isEqualTo(8);
            assertThat(u.targetChanges()).extracting(TargetChange::target)
                .containsOnly(name("shared.example.net."));
          });
        } else {
          assertThat(mine).as("z" + i).isEmpty();
        }
      }
      for (int i = 0; i < SHARING; i++) {
        assertThat(secondary.nextSerial()).isEqualTo(8);
      }
      assertThat(secondary.quiet()).isTrue();
      assertThat(handler.zone(name("z3.example.")).orElseThrow().soa().orElseThrow().getSerial())
          .isEqualTo(8);
      assertThat(handler.zone(name("z23.example.")).orElseThrow().soa().orElseThrow().getSerial())
          .isEqualTo(7);
      zones.forEach(LiveZone::close);
      assertThat(monitor.targets()).isEmpty();
    }
  }
}
