package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * One {@link ServeSession} serving several zones: targets shared, queries routed to the closest
 * enclosing zone, one serial and one NOTIFY per zone when a shared target moves, the catalog
 * listing every zone, and {@link ServeSession#reload} adding, removing, replacing and keeping
 * zones.
 */
class MultiZoneServeTest {
  private static final Name CATALOG = Name.fromConstantString("catalog.invalid.");

  private FakeDns fake;
  private NotifyCounter secondary;
  private ServeSession session;
  private final List<String> log = new CopyOnWriteArrayList<>();

  static Zone zone(String origin, long serial, String... more) {
    StringBuilder text =
        new StringBuilder("$ORIGIN " + origin + "\n$TTL 3600\n@ SOA ns1 hostmaster " + serial
            + " 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n");
    for (String line : more) {
      text.append(line).append('\n');
    }
    return ZoneFileReader.defaults().read(text.toString(), origin + "zone").zone();
  }

  static final Zone A = zone("a.example.", 1, "@ 300 ALIAS cdn.example.net.");
  static final Zone B = zone("b.example.", 1, "@ 300 ALIAS cdn.example.net.", "www ALIAS cdn.example.net.");
  static final Zone C = zone("c.example.", 1, "@ 300 ALIAS other.example.net.");
  static final Zone SUB = zone("sub.a.example.", 1, "www A 192.0.2.77");

  @BeforeEach
  void start() throws IOException {
    fake = MultiZoneFake.start();
    secondary = new NotifyCounter();
    session =
        ServeSession.builder()
            .zone(A)
            .zone(B)
            .zone(C, FlatteningPolicy.builder().families(FlatteningPolicy.Family.IPV4).build())
            .zone(SUB)
            .upstream(fake.address())
            .clock(fake.clock())
            .queryTimeout(Duration.ofSeconds(2))
            .notify(List.of(secondary.address()))
            .catalog(CATALOG)
            .log(log::add)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    session.close();
    secondary.close();
    fake.close();
  }

  private Message ask(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(session.address());
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, 1)));
  }

  private List<String> rdata(String name, int type) throws IOException {
    return ask(name, type).getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(Record::rdataToString)
        .toList();
  }

  private long serial(String origin) {
    return session.published(Name.fromConstantString(origin)).serial();
  }

  private List<Name> catalogMembers() throws Exception {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(CATALOG, session.address(), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    return xfr.getAXFR().stream()
        .filter(r -> r instanceof PTRRecord)
        .map(r -> ((PTRRecord) r).getTarget())
        .sorted()
        .toList();
  }

  private void advanceAndRefresh(Duration by) {
    fake.clock().advance(by);
    session.runDue().toCompletableFuture().join();
  }

  @Test
  void aTargetSharedByZonesIsResolvedOnceForAll() throws Exception {
    assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(1);
    assertThat(fake.queryCount("cdn.example.net.", Type.AAAA)).isEqualTo(1);
    assertThat(session.monitor().targets())
        .containsExactlyInAnyOrder(
            Name.fromConstantString("cdn.example.net."),
            Name.fromConstantString("other.example.net."));
    assertThat(rdata("a.example.", Type.A)).containsExactly("192.0.2.10");
    assertThat(rdata("www.b.example.", Type.A)).containsExactly("192.0.2.10");
  }

  @Test
  void whenASharedTargetMovesEachZoneUsingItGetsOneSerialAndOneNotify() throws Exception {
    assertThat(secondary.forZone("a.example.", 1)).hasSize(1); // the first publication
    assertThat(secondary.forZone("b.example.", 1)).hasSize(1);
    long a = serial("a.example.");
    long b = serial("b.example.");
    long c = serial("c.example.");
    fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");

    advanceAndRefresh(Duration.ofSeconds(400));

    assertThat(serial("a.example.")).isEqualTo(a + 1);
    assertThat(serial("b.example.")).isEqualTo(b + 1); // two alias names, one serial
    assertThat(serial("c.example.")).isEqualTo(c);
    assertThat(secondary.forZone("a.example.", 2))
        .extracting(NotifyCounter.Notified::serial)
        .containsExactly(a, a + 1);
    assertThat(secondary.forZone("b.example.", 2))
        .extracting(NotifyCounter.Notified::serial)
        .containsExactly(b, b + 1);
    assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(2); // once more, for all
    assertThat(rdata("www.b.example.", Type.A)).containsExactly("192.0.2.20");
    assertThat(secondary.forZone("c.example.", 2)).hasSize(1); // no second NOTIFY for c
  }

  @Test
  void queriesGoToTheClosestEnclosingZoneAndNamesOutsideEveryZoneAreRefused() throws Exception {
    assertThat(rdata("www.sub.a.example.", Type.A)).containsExactly("192.0.2.77");
    Message nx = ask("nothing.sub.a.example.", Type.A);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(((SOARecord) nx.getSection(Section.AUTHORITY).get(0)).getName())
        .isEqualTo(Name.fromConstantString("sub.a.example."));
    assertThat(rdata("c.example.", Type.AAAA)).isEmpty(); // c's own policy: IPv4 only
    assertThat(rdata("c.example.", Type.A)).containsExactly("192.0.2.30");
    Message outside = ask("example.org.", Type.A);
    assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void theCatalogListsEveryZone() throws Exception {
    assertThat(catalogMembers())
        .containsExactlyInAnyOrder(
            Name.fromConstantString("a.example."),
            Name.fromConstantString("b.example."),
            Name.fromConstantString("c.example."),
            Name.fromConstantString("sub.a.example."));
  }

  @Test
  void aReloadStartsNewZonesStopsRemovedOnesReplacesChangedOnesAndKeepsTheRest()
      throws Exception {
    long a = serial("a.example.");
    long b = serial("b.example.");
    int cdnQueries = fake.queryCount("cdn.example.net.", Type.A);
    Zone bChanged = zone("b.example.", 1, "@ 300 ALIAS cdn.example.net.", "txt TXT \"changed\"");
    Zone d = zone("d.example.", 7, "@ 300 ALIAS cdn.example.net.", "@ MX 10 mail", "mail A 192.0.2.25");

    ServeSession.Reloaded done =
        session.reload(
            List.of(
                new ServeSession.ZoneSpec(A, FlatteningPolicy.defaults()),
                new ServeSession.ZoneSpec(bChanged, FlatteningPolicy.defaults()),
                new ServeSession.ZoneSpec(SUB, FlatteningPolicy.defaults()),
                new ServeSession.ZoneSpec(d, FlatteningPolicy.defaults())));

    assertThat(done.added()).containsExactly(Name.fromConstantString("d.example."));
    assertThat(done.removed()).containsExactly(Name.fromConstantString("c.example."));
    assertThat(done.replaced()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(done.kept())
        .containsExactlyInAnyOrder(
            Name.fromConstantString("a.example."), Name.fromConstantString("sub.a.example."));
    assertThat(serial("a.example.")).isEqualTo(a);
    // The file kept serial 1, which is not newer: the replacement follows what was published.
    assertThat(serial("b.example.")).isEqualTo(b + 1);
    assertThat(rdata("txt.b.example.", Type.TXT)).singleElement().asString().contains("changed");
    // d shares the target the others watch: answered at once, nothing asked upstream again.
    assertThat(rdata("d.example.", Type.A)).containsExactly("192.0.2.10");
    assertThat(serial("d.example.")).isEqualTo(7);
    assertThat(fake.queryCount("cdn.example.net.", Type.A)).isEqualTo(cdnQueries);
    assertThat(ask("c.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(session.monitor().targets())
        .containsExactly(Name.fromConstantString("cdn.example.net.")); // c's target unwatched
    assertThat(catalogMembers())
        .containsExactlyInAnyOrder(
            Name.fromConstantString("a.example."),
            Name.fromConstantString("b.example."),
            Name.fromConstantString("d.example."),
            Name.fromConstantString("sub.a.example."));
    assertThat(secondary.forZone("b.example.", 2))
        .extracting(NotifyCounter.Notified::serial)
        .containsExactly(b, b + 1);
    assertThat(secondary.forZone("d.example.", 1)).hasSize(1);
  }

  @Test
  void aZoneRemovedByAReloadStaysQuietWhenItsTargetMoves() throws Exception {
    session.reload(
        List.of(
            new ServeSession.ZoneSpec(A, FlatteningPolicy.defaults()),
            new ServeSession.ZoneSpec(C, FlatteningPolicy.defaults())));
    long a = serial("a.example.");
    fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");

    advanceAndRefresh(Duration.ofSeconds(400));

    assertThat(serial("a.example.")).isEqualTo(a + 1);
    assertThat(ask("b.example.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(log).noneMatch(line -> line.contains("b.example."));
  }

  @Test
  void noQueryGoesUnansweredWhileZonesAreReplacedAddedAndRemoved() throws Exception {
    List<String> wrong = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread client =
        new Thread(
            () -> {
              while (reloading.get()) {
                for (String name : List.of("a.example.", "b.example.", "www.b.example.")) {
                  try {
                    Message m = ask(name, Type.A);
                    if (m.getRcode() != Rcode.NOERROR || m.getSection(Section.ANSWER).isEmpty()) {
                      wrong.add(name + " " + Rcode.string(m.getRcode()));
                    }
                    answered.incrementAndGet();
                  } catch (IOException e) {
                    wrong.add(name + " " + e);
                  }
                }
              }
            });
    client.start();
    try {
      for (int i = 0; i < 30; i++) {
        Zone b = zone("b.example.", 1, "@ 300 ALIAS cdn.example.net.", "www ALIAS cdn.example.net.",
            "txt TXT \"version " + i + "\"");
        Zone d = zone("d.example.", 1, "@ 300 ALIAS other.example.net.");
        List<ServeSession.ZoneSpec> specs = new java.util.ArrayList<>(List.of(
            new ServeSession.ZoneSpec(A, FlatteningPolicy.defaults()),
            new ServeSession.ZoneSpec(b, FlatteningPolicy.defaults())));
        if (i % 2 == 0) {
          specs.add(new ServeSession.ZoneSpec(d, FlatteningPolicy.defaults()));
        }
        session.reload(specs);
      }
    } finally {
      reloading.set(false);
      client.join();
    }
    assertThat(wrong).isEmpty();
    assertThat(answered.get()).isPositive();
    assertThat(serial("b.example.")).isEqualTo(1 + 30); // one new serial per replacement
  }
}
