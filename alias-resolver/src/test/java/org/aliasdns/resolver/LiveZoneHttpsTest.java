package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.HttpsMode;
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
 * A {@link LiveZone} under {@link HttpsMode#FLATTEN}: the targets' HTTPS RRsets are watched like
 * their addresses, so a change there is one refresh round, one serial and one NOTIFY, and the
 * zone served by {@link ZoneHandler} answers the flattened records.
 */
class LiveZoneHttpsTest {
  static final long FIRST_SERIAL = 2026112101L;
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @    SOA   ns1 hostmaster 2026112101 7200 3600 1209600 300
      @    NS    ns1
      @    600   ALIAS cdn.example.net.
      ns1  A     192.0.2.53
      """;

  final FakeDns fake =
      FakeDns.recursive()
          .zone(
              """
              $ORIGIN example.net.
              @        3600 SOA   ns1 hostmaster 1 7200 3600 1209600 60
              @        3600 NS    ns1
              ns1      3600 A     198.51.100.53
              cdn      900  CNAME edge.cdn
              edge.cdn 300  A     192.0.2.10
              edge.cdn 120  HTTPS 0 pool.cdn
              pool.cdn 300  HTTPS 1 . alpn=h2
              pool.cdn 300  A     192.0.2.20
              """)
          .build();
  final Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
  final AliasResolver resolver =
      AliasResolver.builder()
          .upstream(fake.resolver())
          .clock(fake.clock())
          .ticker(fake.clock().ticker())
          .policy(FlatteningPolicy.builder().https(HttpsMode.FLATTEN).build())
          .build();
  final NotifiedSecondary secondary;
  final ZoneHandler handler;
  final DnsServer server;
  final LiveZone live;
  final List<LiveZone.Update> updates = new CopyOnWriteArrayList<>();

  LiveZoneHttpsTest() throws IOException {
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
    fake.clock().advance(Duration.ofSeconds(1000));
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
  void theTargetsHttpsRecordsArePublishedAtTheAliasNameWithDotMadeExplicit() throws Exception {
    runDue();

    // The HTTPS chain: CNAME (900) to edge.cdn, AliasMode (120) to pool.cdn, whose ServiceMode
    // "." means pool.cdn itself (RFC 9460 §2.5.2), not the apex (whose A is edge.cdn's).
    assertThat(answers("example.com.", Type.HTTPS))
        .containsExactly("120 1 pool.cdn.example.net. alpn=h2");
    assertThat(answers("example.com.", Type.A)).containsExactly("300 192.0.2.10");
    assertThat(live.current().orElseThrow().zone().get(Name.fromConstantString("example.com."), Type.HTTPS))
        .isPresent();
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL);
  }

  @Test
  void aChangeOfTheTargetsHttpsRecordsIsOneSerialAndOneNotify() throws Exception {
    runDue();
    secondary.nextSerial();
    updates.clear();
    fake.replace("pool.cdn.example.net. 300 HTTPS 1 . alpn=h2,h3");

    later();

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.serialChanged()).isTrue();
      assertThat(u.serial()).isEqualTo(FIRST_SERIAL + 1);
      assertThat(u.targetChanges()).singleElement().satisfies(c -> {
        assertThat(c.type()).isEqualTo(Type.HTTPS);
        assertThat(c.recordsChanged()).isTrue();
        assertThat(c).hasToString("cdn.example.net. HTTPS: [1 . alpn=h2] -> [1 . alpn=h2,h3]");
      });
    });
    assertThat(answers("example.com.", Type.HTTPS))
        .containsExactly("120 1 pool.cdn.example.net. alpn=h2,h3");
    assertThat(servedSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.quiet()).isTrue();

    // Refreshed with the same records: no update, no serial, no NOTIFY.
    updates.clear();
    later();
    assertThat(updates).isEmpty();
    assertThat(servedSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(secondary.quiet()).isTrue();
  }

  @Test
  void httpsRecordsThatGoAwayBehindAnAliasModeRecordLeaveAliasModeToItsTargetWithOneSerial()
      throws Exception {
    runDue();
    secondary.nextSerial();
    fake.remove("pool.cdn.example.net.", Type.HTTPS);

    later();

    // RFC 9460 §2.4.2: clients now use pool.cdn's addresses (192.0.2.20), not the apex's
    // (edge.cdn's 192.0.2.10): the alias name says so with AliasMode to pool.cdn.
    Message response = ask("example.com.", Type.HTTPS);
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answers("example.com.", Type.HTTPS)).containsExactly("120 0 pool.cdn.example.net.");
    assertThat(secondary.nextSerial()).isEqualTo(FIRST_SERIAL + 1);
    assertThat(answers("example.com.", Type.A)).containsExactly("300 192.0.2.10"); // untouched
  }

  @Test
  void anUnresolvedTargetIsServfailForHttpsOnly() throws Exception {
    fake.inject(Fault.servfail().forName("cdn.example.net.", Type.HTTPS));

    runDue();

    assertThat(ask("example.com.", Type.HTTPS).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answers("example.com.", Type.A)).containsExactly("300 192.0.2.10");
  }

  @Test
  void anInvalidUpstreamHttpsRecordIsAFailureOfHttpsOnlyAndIsNeverPublished() throws Exception {
    // RFC 9460 §7.1.1: no-default-alpn without alpn; a client refuses the whole response.
    fake.replace("pool.cdn.example.net. 300 HTTPS 1 . no-default-alpn");

    runDue();

    assertThat(ask("example.com.", Type.HTTPS).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answers("example.com.", Type.A)).containsExactly("300 192.0.2.10");
    assertThat(
            live.current().orElseThrow().zone().get(Name.fromConstantString("example.com."), Type.HTTPS))
        .isEmpty();
    assertThat(live.current().orElseThrow().problems().toString())
        .contains("no-default-alpn without alpn (RFC 9460 §7.1.1)");
  }
}
