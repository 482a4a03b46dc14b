package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.server.NotifyResult;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A {@link ServeSession} against the testkit's fake upstream on a loopback port, driven by the
 * fake's manual clock and {@code runDue()}: what {@code aliasdns serve} answers, and what it does
 * when a target's addresses change, vanish or cannot be had.
 */
class ServeSessionTest {
  private ServeFixture serve;

  @BeforeEach
  void start() throws Exception {
    serve = ServeFixture.start();
  }

  @AfterEach
  void stop() {
    serve.close();
  }

  @Test
  void theApexAnswersTheTargetsAddresses() throws Exception {
    Message reply = serve.ask("example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.10");
    assertThat(serve.rdata("example.com.", Type.AAAA)).containsExactly("2001:db8:0:0:0:0:0:10");
    // min(ALIAS 300, CNAME 300, A 60)
    assertThat(reply.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
  }

  @Test
  void aQuestionAskedAgainIsAnsweredFromThePacketCache() throws Exception {
    long before = serve.session.serverStats().packetCacheHits();
    Message first = serve.ask("example.com.", Type.MX);
    Message again = serve.ask("example.com.", Type.MX);

    assertThat(serve.session.serverStats().packetCacheHits()).isEqualTo(before + 1);
    assertThat(again.getSection(Section.ANSWER)).isEqualTo(first.getSection(Section.ANSWER));
  }

  @Test
  void otherDataAtTheApexIsServedAsItIs() throws Exception {
    assertThat(serve.rdata("example.com.", Type.MX)).containsExactly("10 mail.example.com.");
    assertThat(serve.rdata("example.com.", Type.TXT)).containsExactly("\"v=spf1 -all\"");
    assertThat(serve.rdata("example.com.", Type.NS)).containsExactly("ns1.example.com.");
  }

  @Test
  void aChangedAddressIsServedWithANewSerialAndLoggedOnce() throws Exception {
    long before = serve.session.published().serial();
    serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");

    serve.advanceAndRefresh(Duration.ofSeconds(400)); // past every TTL and the jitter

    FlattenedZone now = serve.session.published();
    assertThat(now.serial()).isEqualTo(before + 1);
    assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.20");
    assertThat(serve.rdata("example.com.", Type.AAAA)).containsExactly("2001:db8:0:0:0:0:0:10");
    assertThat(serve.log)
        .containsExactly("example.com. A [192.0.2.10] -> [192.0.2.20] serial 2026112102");
    assertThat(soaSerial(serve.ask("example.com.", Type.SOA))).isEqualTo(before + 1);
  }

  @Test
  void sameAddressesAgainChangeNothing() throws Exception {
    long before = serve.session.published().serial();

    serve.advanceAndRefresh(Duration.ofSeconds(400));

    assertThat(serve.session.published().serial()).isEqualTo(before);
    assertThat(serve.log).isEmpty();
  }

  @Test
  void aTtlOnlyChangeMovesTheSerialAndNamesTheAlias() throws Exception {
    long before = serve.session.published().serial();
    serve.fake.replace("edge.cdn.example.net. 3600 A 192.0.2.10"); // same address, longer TTL

    serve.advanceAndRefresh(Duration.ofSeconds(400));

    assertThat(serve.session.published().serial()).isEqualTo(before + 1);
    // min(ALIAS 300, CNAME 300, A 3600) now, 60 before
    assertThat(serve.log).containsExactly("example.com. A TTL 60 -> 300 serial 2026112102");
  }

  @Test
  void aVanishedTargetLeavesNoDataWithTheSoa() throws Exception {
    serve.fake.remove("cdn.example.net.", Type.CNAME); // the target is NXDOMAIN now

    serve.advanceAndRefresh(Duration.ofSeconds(400));

    Message reply = serve.ask("example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR); // never NXDOMAIN for the apex
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(serve.log)
        .contains(
            "example.com. A [192.0.2.10] -> [] serial 2026112102",
            "example.com. AAAA [2001:db8::10] -> [] serial 2026112102");
  }

  @Test
  void anUpstreamFailurePublishesTheLastAddressesStaleThenFreshAgain() throws Exception {
    long before = serve.session.published().serial();
    serve.fake.inject(Fault.servfail().everywhere()); // the target's servers are down

    serve.advanceAndRefresh(Duration.ofSeconds(400)); // every TTL has run out

    // RFC 8767: the last good addresses, with the stale TTL, never SERVFAIL or an empty set.
    Message stale = serve.ask("example.com.", Type.A);
    assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.10");
    assertThat(stale.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(30);
    long staleSerial = serve.session.published().serial();
    assertThat(staleSerial).isGreaterThan(before); // secondaries get the short TTL too
    assertThat(serve.warnings).anyMatch(w -> w.contains("stale"));

    serve.advanceAndRefresh(Duration.ofSeconds(40)); // still failing: nothing new to publish
    assertThat(serve.session.published().serial()).isEqualTo(staleSerial);

    serve.fake.clearFaults();
    serve.advanceAndRefresh(Duration.ofMinutes(10)); // past the retry backoff: answered again

    Message fresh = serve.ask("example.com.", Type.A);
    assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.10");
    assertThat(fresh.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
    assertThat(serve.session.published().serial()).isGreaterThan(staleSerial);
  }

  @Test
  void aStandingWarningIsLoggedOnceNotOnEveryReflattening() throws Exception {
    serve.close();
    // two aliases on separate chains: www's target fails and stays failing, the apex's moves
    FakeDns upstream = ServeFixture.upstream();
    upstream.replace("www.example.net. 60 A 192.0.2.40");
    serve =
        ServeFixture.start(
            upstream, ServeFixture.ZONE + "www 300 ALIAS www.example.net.\n", b -> {});
    serve.fake.inject(Fault.servfail().forName("www.example.net."));
    serve.advanceAndRefresh(Duration.ofSeconds(400));
    assertThat(serve.warnings)
        .filteredOn(w -> w.startsWith("www.example.com. A -> www.example.net.: UPSTREAM_FAILURE"))
        .hasSize(1);

    serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");
    serve.advanceAndRefresh(Duration.ofSeconds(400));
    serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.30");
    serve.advanceAndRefresh(Duration.ofSeconds(400));

    // the apex moved twice (two serials, each logged); www stayed stale, warned of once
    assertThat(serve.log)
        .contains("example.com. A [192.0.2.20] -> [192.0.2.30] serial "
            + serve.session.published().serial());
    assertThat(serve.warnings)
        .filteredOn(w -> w.startsWith("www.example.com. A -> www.example.net.: UPSTREAM_FAILURE"))
        .hasSize(1);
    assertThat(serve.rdata("www.example.com.", Type.A)).containsExactly("192.0.2.40"); // stale

    serve.fake.clearFaults();
    serve.advanceAndRefresh(Duration.ofMinutes(10));
    assertThat(serve.log)
        .filteredOn(l -> l.startsWith("www.example.com. A -> www.example.net.: STALE -> FRESH"))
        .hasSize(1);
  }

  @Test
  void aSecondaryThatStopsAcknowledgingIsWarnedOfOncePerChange() throws Exception {
    InetSocketAddress secondary =
        new InetSocketAddress(org.xbill.DNS.Address.getByAddress("127.0.0.2"), 53);
    NotifyResult down = new NotifyResult(secondary, NotifyResult.Status.TIMED_OUT, -1, 4);
    NotifyResult up = new NotifyResult(secondary, NotifyResult.Status.ACKNOWLEDGED, 0, 1);

    serve.session.notified(up);
    serve.session.notified(down);
    serve.session.notified(down); // still down at the next serial: not warned again
    serve.session.notified(up);
    serve.session.notified(up);
    serve.session.notified(down);

    assertThat(serve.warnings)
        .filteredOn(w -> w.startsWith("NOTIFY to 127.0.0.2:53 not acknowledged"))
        .hasSize(2);
    assertThat(serve.log).containsOnlyOnce("NOTIFY to 127.0.0.2:53 acknowledged again");
  }

  @Test
  void anUpstreamDownFromTheStartIsServfailLiveWhileTheTransferredZoneSaysNoData()
      throws Exception {
    serve.close();
    FakeDns down = ServeFixture.upstream();
    down.inject(Fault.servfail().everywhere());
    serve = ServeFixture.start(down, List.of());
    long serial = serve.session.published().serial();

    // RFC 2308 §5, RFC 8767 §5: nothing usable and nothing stale is SERVFAIL, never an empty
    // answer a resolver would cache as "no address"; EDE 22 says why (RFC 8914 §4.23).
    Message reply = serve.askWithEdns("example.com.", Type.A);
    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(ServeFixture.extendedErrors(reply))
        .extracting(ExtendedErrorCodeOption::getErrorCode)
        .containsExactly(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    assertThat(serve.ask("example.com.", Type.AAAA).getRcode()).isEqualTo(Rcode.SERVFAIL);
    // The rest of the zone is unaffected, and carries the published serial.
    assertThat(serve.rdata("example.com.", Type.MX)).containsExactly("10 mail.example.com.");
    assertThat(((SOARecord) serve.ask("example.com.", Type.SOA).getSection(Section.ANSWER).get(0))
            .getSerial())
        .isEqualTo(serial);

    // The flattened zone a secondary receives cannot say SERVFAIL: the name is there, with no
    // addresses (NODATA), and no alias record, the apex holding other data.
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(Name.fromConstantString("example.com."), serve.session.address(), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    List<Record> records = xfr.getAXFR();
    assertThat(records)
        .filteredOn(r -> r.getName().toString().equals("example.com."))
        .extracting(Record::getType)
        .contains(Type.SOA, Type.NS, Type.MX, Type.TXT)
        .doesNotContain(Type.A, Type.AAAA, 65401);

    down.clearFaults();
    serve.advanceAndRefresh(Duration.ofMinutes(10)); // past the retry backoff
    assertThat(serve.rdata("example.com.", Type.A)).containsExactly("192.0.2.10");
  }

  @Test
  void aZoneTransferGivesPlainAddressesAndNoAliasRecord() throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(
            org.xbill.DNS.Name.fromConstantString("example.com."), serve.session.address(), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    List<Record> records = xfr.getAXFR();
    assertThat(records).extracting(Record::getType).doesNotContain(65401);
    assertThat(records)
        .filteredOn(r -> r.getType() == Type.A && r.getName().toString().equals("example.com."))
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.10");
  }

  @Test
  void aTruncatedAnswerIsRetriedOverTcp() throws Exception {
    SimpleResolver client = serve.client();
    assertThat(client.send(
            Message.newQuery(
                Record.newRecord(
                    org.xbill.DNS.Name.fromConstantString("many.example.com."), Type.A, 1)))
        .getSection(Section.ANSWER)).hasSize(40);
  }

  private static long soaSerial(Message reply) {
    return ((SOARecord) reply.getSection(Section.ANSWER).get(0)).getSerial();
  }
}
