package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.flatten.Siblings;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ZoneHandler;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A {@link LiveZone} as an embedder runs it: the testkit's fake upstream and manual clock, the
 * zone served by alias-server's {@link ZoneHandler} on a loopback port, wired by one listener,
 * and a secondary on a loopback socket that counts NOTIFYs. Targets move, fail, recover and
 * vanish; every round that changes anything is one serial and one NOTIFY.
 */
class LiveZoneTest {
  static final long FIRST_SERIAL = 2026112101L;
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @    SOA   ns1 hostmaster 2026112101 7200 3600 1209600 300
      @    NS    ns1
      @    MX    10 mail
      @    300   ALIAS cdn.example.net.
      www  300   ALIAS cdn.example.net.
      a    ALIAS a.example.net.
      b    ALIAS b.example.net.
      ns1  A     192.0.2.53
      mail A     192.0.2.25
      """;

  final FakeDns fake =
      FakeDns.recursive()
          .zone(
              """
              $ORIGIN example.net.
              @        3600 SOA   ns1 hostmaster 1 7200 3600 1209600 60
              @        3600 NS    ns1
              ns1      3600 A     198.51.100.53
              cdn      300  CNAME edge.cdn
              edge.cdn 60   A     192.0.2.10
              edge.cdn 60   AAAA  2001:db8::10
              a        60   A     198.51.100.1
              b        60   A     198.51.100.2
              """)
          .build();
  final Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
  final AliasResolver resolver =
      AliasResolver.builder()
          .upstream(fake.resolver())
          .clock(fake.clock())
          .ticker(fake.clock().ticker())
          .build();
  final NotifiedSecondary secondary;
  final ZoneHandler handler;
  final DnsServer server;
  final LiveZone live;
  final List<LiveZone.Update> updates = new CopyOnWriteArrayList<>();

  LiveZoneTest() throws IOException {
    secondary = new NotifiedSecondary();
    handler =
        ZoneHandler.builder().clock(fake.clock()).notify(List.of(secondary.address())).build();
    server =
        DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    live = LiveZone.builder(zone, resolver).build();
    live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
    live.addListener(updates::add);
  }

  @AfterEach
  void close() {
    live.close();
    server.close();
    secondary.close();
    fake.close();
  }

  void runDue() {
    live.runDue().toCompletableFuture().join();
  }

  /** Past every TTL and every jitter: each target is due. */
  void later() {
    fake.clock().advance(Duration.ofSeconds(400));
    runDue();
  }

  Message ask(String name, int type) throws IOException {
    SimpleResolver client = new SimpleResolver(server.address());
    client.setTimeout(Duration.ofSeconds(5));
    return client.send(
        Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
  }

  List<String> answers(String name, int type) throws IOException {
    return ask(name, type).getSection(Section.ANSWER).stream()
        .map(r -> r.getTTL() + " " + r.rdataToString())
        .toList();
  }

  long servedSerial() throws IOException {
    return ((SOARecord) ask("example.com.", Type.SOA).getSection(Section.ANSWER).get(0))
        .getSerial();
  }

  @Test
  void theFirstRoundPublishesTheZoneAndNotifiesOnce() throws Exception {
    runDue();

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.first()).isTrue();
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL);
      assertThat(u.problems()).isEmpty();
    });
    assertThat(answers("example.com.", Type.A)).containsExactly("60 192.0.2.10");
    assertThat(answers("www.example.com.", Type.AAAA)).containsExactly("60 2001:db8:0:0:0:0:0:10");
    assertThat(answers("example.com.", Type.MX)).containsExactly("3600 10 mail.example.com.");
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void oneUpstreamChangeMovingTwoAliasesIsOneSerialAndOneNotify() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();
    fake.replace("edge.cdn.example.net. 60 A 192.0.2.20"); // the apex and www both point here

    later();

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serialChanged()).isTrue();
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
      assertThat(u.changes())
          .extracting(Object::toString)
          .containsExactly(
              "example.com. A: [192.0.2.10] -> [192.0.2.20]",
              "www.example.com. A: [192.0.2.10] -> [192.0.2.20]");
      assertThat(u.targetChanges()).singleElement().satisfies(c -> {
        assertThat(c.target()).isEqualTo(Name.fromConstantString("cdn.example.net."));
        assertThat(c.type()).isEqualTo(Type.A);
      });
    });
    assertThat(answers("www.example.com.", Type.A)).containsExactly("60 192.0.2.20");
    assertThat(servedSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void aLoweredTtlWithTheSameAddressIsPublishedWithOneSerialAndOneNotify() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();
    // Before a migration the owner lowers the TTL; the address stays (RFC 1035 §3.2.1: the TTL
    // is how long the record may be cached, so the flattened zone must follow it down).
    fake.replace("a.example.net. 20 A 198.51.100.1");

    // One low TTL may be a recursive cache counting down (it refills at the next refresh): the
    // fall is published when the next refresh confirms it.
    later();
    assertThat(updates).isEmpty();
    later();

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
      assertThat(u.targetChanges()).singleElement().satisfies(c -> {
        assertThat(c.addressesChanged()).isFalse();
        assertThat(c.ttlChanged()).isTrue();
        assertThat(c).hasToString("a.example.net. A: [198.51.100.1] -> [198.51.100.1], TTL 60 -> 20");
      });
    });
    assertThat(answers("a.example.com.", Type.A)).containsExactly("20 198.51.100.1");
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);

    // Raised again: published again.
    updates.clear();
    fake.replace("a.example.net. 60 A 198.51.100.1");
    later();
    assertThat(answers("a.example.com.", Type.A)).containsExactly("60 198.51.100.1");
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 2);

    // A TTL that counts down a little, as a recursive upstream's cache hands it out, is no
    // change: no update, no serial, no NOTIFY.
    updates.clear();
    fake.replace("a.example.net. 45 A 198.51.100.1");
    later();
    assertThat(updates).isEmpty();
    assertThat(servedSerial()).isEqualTo(FIRST_SERIAL + 2);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void aRestartResumingFromThePublishedSerialNeverRepeatsASerial() {
    live.close(); // this test's own live zones over the same resolver
    try (LiveZone restarted = LiveZone.builder(zone, resolver).resumeAfter(FIRST_SERIAL + 5).build();
        LiveZone edited = LiveZone.builder(zone, resolver).resumeAfter(FIRST_SERIAL - 1).build()) {
      restarted.runDue().toCompletableFuture().join();
      edited.runDue().toCompletableFuture().join();

      // The earlier run got to FIRST_SERIAL + 5: the restart publishes the next serial, even if
      // its content happens to be the same (it cannot know).
      assertThat(restarted.current().orElseThrow().serial()).isEqualTo(FIRST_SERIAL + 6);
      assertThat(restarted.current().orElseThrow().zone().soa().orElseThrow().getSerial())
          .isEqualTo(FIRST_SERIAL + 6);
      // The file's serial is newer than what was published (the operator edited it): it wins.
      assertThat(edited.current().orElseThrow().serial()).isEqualTo(FIRST_SERIAL);

      // Later changes count on from there.
      fake.replace("a.example.net. 60 A 198.51.100.11");
      fake.clock().advance(Duration.ofSeconds(400));
      restarted.runDue().toCompletableFuture().join();
      assertThat(restarted.current().orElseThrow().serial()).isEqualTo(FIRST_SERIAL + 7);
    }
  }

  @Test
  void twoTargetsChangedInOneRoundAreOneSerialAndOneNotify() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();
    fake.replace("a.example.net. 60 A 198.51.100.11");
    fake.replace("b.example.net. 60 A 198.51.100.12");

    later();

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
      assertThat(u.changes()).hasSize(2);
      assertThat(u.targetChanges()).hasSize(2);
    });
    assertThat(answers("a.example.com.", Type.A)).containsExactly("60 198.51.100.11");
    assertThat(answers("b.example.com.", Type.A)).containsExactly("60 198.51.100.12");
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void nothingChangedUpstreamIsNoUpdateNoSerialAndNoNotify() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();

    later();
    later();

    assertThat(updates).isEmpty();
    assertThat(servedSerial()).isEqualTo(FIRST_SERIAL);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void aFailingTargetIsServedStaleAndFreshAgainWhenItRecovers() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();
    // The whole chain's A data fails (the AAAA lookup keeps the shared CNAME hop fresh).
    fake.inject(Fault.servfail().forName("cdn.example.net.", Type.A));
    fake.inject(Fault.servfail().forName("edge.cdn.example.net.", Type.A));

    later();

    // RFC 8767: the last good address with the stale TTL, one serial for the change of TTL.
    assertThat(answers("example.com.", Type.A)).containsExactly("30 192.0.2.10");
    assertThat(answers("example.com.", Type.AAAA)).containsExactly("60 2001:db8:0:0:0:0:0:10");
    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
      assertThat(u.transitions())
          .extracting(LiveZone.Transition::owner, LiveZone.Transition::family,
              LiveZone.Transition::before, LiveZone.Transition::after)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(Name.fromConstantString("example.com."),
                  Family.IPV4, Siblings.Status.FRESH, Siblings.Status.STALE),
              org.assertj.core.groups.Tuple.tuple(Name.fromConstantString("www.example.com."),
                  Family.IPV4, Siblings.Status.FRESH, Siblings.Status.STALE));
      assertThat(u.problems()).hasSize(2);
      assertThat(u.targetChanges()).singleElement().satisfies(c ->
          assertThat(c.statusAfter()).isEqualTo(TargetStatus.STALE));
    });
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);

    updates.clear();
    fake.clock().advance(Duration.ofSeconds(40)); // retried, still failing: nothing new
    runDue();
    assertThat(updates).isEmpty();
    assertThat(secondary.quiet()).isTrue();

    fake.clearFaults();
    fake.clock().advance(Duration.ofMinutes(10));
    runDue();

    assertThat(answers("example.com.", Type.A)).containsExactly("60 192.0.2.10");
    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 2);
      assertThat(u.problems()).isEmpty();
    });
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 2);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void aVanishedTargetLeavesTheNameWithNoDataNeverNxdomain() throws Exception {
    runDue();
    secondary.nextSerial();
    fake.remove("cdn.example.net.", Type.CNAME); // NXDOMAIN upstream from now on

    later();

    Message reply = ask("example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(answers("example.com.", Type.MX)).containsExactly("3600 10 mail.example.com.");
    LiveZone.Update u = live.latest().orElseThrow();
    assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(u.transitions())
        .extracting(LiveZone.Transition::after)
        .containsOnly(Siblings.Status.NO_ADDRESSES)
        .hasSize(4);
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void zonesSharingAMonitorAskUpstreamOnceForASharedTargetAndEachPublishOnce() throws Exception {
    TargetMonitor shared = TargetMonitor.builder(resolver).build();
    Zone other =
        ZoneFileReader.defaults()
            .read(
                "$ORIGIN example.org.\n@ 3600 SOA ns1 hostmaster 7 7200 3600 1209600 300\n"
                    + "@ NS ns1\nns1 A 192.0.2.54\n@ ALIAS cdn.example.net.\n",
                "example.org.zone")
            .zone();
    List<LiveZone.Update> com = new CopyOnWriteArrayList<>();
    List<LiveZone.Update> org = new CopyOnWriteArrayList<>();
    try (LiveZone first = LiveZone.builder(zone, shared).build();
        LiveZone second = LiveZone.builder(other, shared).build()) {
      first.addListener(com::add);
      second.addListener(org::add);
      first.runDue().toCompletableFuture().join();
      second.runDue().toCompletableFuture().join();
      assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(1);
      com.clear();
      org.clear();
      fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");

      fake.clock().advance(Duration.ofSeconds(400));
      shared.runDue().toCompletableFuture().join();

      assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(2);
      assertThat(com).singleElement().satisfies(u -> assertThat(u.changes()).hasSize(2));
      assertThat(org).singleElement().satisfies(u -> {
        assertThat(u.serial()).isEqualTo(8);
        assertThat(u.results().size()).isEqualTo(2); // its one target, both families
      });

      second.close();
      assertThat(shared.targets()).contains(Name.fromConstantString("cdn.example.net."));
    }
    assertThat(shared.targets()).isEmpty();
  }

  @Test
  void zonesOnASharedMonitorPublishTheirFirstZoneAfterOneRoundOfTheMonitor() throws Exception {
    TargetMonitor shared = TargetMonitor.builder(resolver).build();
    Zone noAliases =
        ZoneFileReader.defaults()
            .read(
                "$ORIGIN example.org.\n@ 3600 SOA ns1 hostmaster 7 7200 3600 1209600 300\n"
                    + "@ NS ns1\nns1 A 192.0.2.54\n",
                "example.org.zone")
            .zone();
    List<LiveZone.Update> org = new CopyOnWriteArrayList<>();
    try (LiveZone first = LiveZone.builder(zone, shared).build();
        LiveZone second = LiveZone.builder(noAliases, shared).build()) {
      second.addListener(org::add);
      shared.runDue().toCompletableFuture().join(); // the owner's one round for all zones

      assertThat(first.latest()).isPresent(); // its targets changed: published by the round
      assertThat(second.latest()).isEmpty(); // no target of its own: nothing yet
      second.publishFirst();
      second.publishFirst(); // once only
      first.publishFirst();

      assertThat(org).singleElement().satisfies(u -> assertThat(u.first()).isTrue());
      assertThat(second.current().orElseThrow().serial()).isEqualTo(7);
      assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(1);
    }
  }
}
