package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** A {@link DnsServer} in front of a {@link ZoneHandler}, asked by dnsjava's own clients. */
class ZoneServingTest {
  private final ZoneHandler handler =
      ZoneHandler.builder().clock(InstantSource.fixed(Zones.NOW)).build();
  private DnsServer server;
  private SimpleResolver resolver;

  @BeforeEach
  void start() throws Exception {
    handler.update(List.of(Zones.example(), Zones.big(300)), Zones.resolvedTo("192.0.2.80"));
    server = DnsServer.builder(handler).build().start();
    resolver = new SimpleResolver(server.address());
    resolver.setTimeout(Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theApexAliasIsAnsweredOverUdpAndTcp() throws Exception {
    Message udp = resolver.send(Wire.query("example.com.", Type.A));
    resolver.setTCP(true);
    Message tcp = resolver.send(Wire.query("example.com.", Type.A));
    for (Message m : List.of(udp, tcp)) {
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getSection(Section.ANSWER)).hasSize(1);
      assertThat(m.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.80");
    }
  }

  @Test
  void aTruncatedUdpAnswerIsRetriedOverTcpByTheClient() throws Exception {
    // dnsjava's SimpleResolver sends EDNS with 1280 bytes; 40 A records do not fit 512 but do
    // fit there, so ask without EDNS.
    resolver.setEDNS(-1);
    Message reply = resolver.send(Wire.query("many.big.example.", Type.A));
    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(40);
    assertThat(server.stats().truncated()).isEqualTo(1);
    assertThat(server.stats().tcpQueries()).isEqualTo(1);
  }

  @Test
  void theEdnsReplyOffersTheServersPayloadSize() throws Exception {
    Message q = Wire.query("host.example.com.", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message reply = Wire.udpMessage(server.port(), q);
    assertThat(reply.getOPT()).isNotNull();
    assertThat(reply.getOPT().getPayloadSize()).isEqualTo(1232);
  }

  @Test
  void aStaleAliasAnswerCarriesExtendedErrorStaleAnswerToAnEdnsClient() throws Exception {
    Resolution.Answer lastGood =
        (Resolution.Answer) Zones.resolvedTo("192.0.2.80").get(Zones.TARGET, Type.A).orElseThrow();
    handler.results(
        AliasResults.of(
            new Resolution.Failure(
                Zones.TARGET, Type.A, List.of(), "SERVFAIL", Zones.NOW, lastGood)));

    Message reply = resolver.send(Wire.query("example.com.", Type.A)); // dnsjava sends EDNS

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER))
        .singleElement()
        .satisfies(r -> assertThat(r.getTTL()).isEqualTo(30));
    assertThat(extendedError(reply).getErrorCode())
        .isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);
    assertThat(extendedError(reply).getText()).contains("my-app.cdn.example.net.");
  }

  @Test
  void anUnresolvableAliasIsServfailWithNoReachableAuthorityToAnEdnsClient() throws Exception {
    handler.results(
        AliasResults.of(
            new Resolution.Failure(Zones.TARGET, Type.A, List.of(), "timeout", Zones.NOW, null)));

    Message reply = resolver.send(Wire.query("example.com.", Type.A));

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(extendedError(reply).getErrorCode())
        .isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    assertThat(extendedError(reply).getText())
        .isEqualTo("my-app.cdn.example.net.: upstream failure: timeout");
  }

  @Test
  void aClientWithoutEdnsGetsTheServfailWithoutAnOptRecord() throws Exception {
    handler.results(
        AliasResults.of(
            new Resolution.Failure(Zones.TARGET, Type.A, List.of(), "timeout", Zones.NOW, null)));
    resolver.setEDNS(-1);

    Message reply = resolver.send(Wire.query("example.com.", Type.A));

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getOPT()).isNull();
  }

  private static ExtendedErrorCodeOption extendedError(Message reply) {
    OPTRecord opt = reply.getOPT();
    assertThat(opt).as("OPT in %s", reply).isNotNull();
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertThat(options).as("EDE in %s", reply).hasSize(1);
    return (ExtendedErrorCodeOption) options.get(0);
  }

  @Test
  void dnsjavasZoneTransferClientReceivesTheWholeZone() throws Exception {
    Zone zone = handler.zone(Zones.big(0).origin()).orElseThrow();
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(zone.origin(), server.address(), null);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    List<Record> records = xfr.getAXFR();
    // dnsjava keeps both SOAs
    assertThat(records).hasSize((int) zone.recordCount() + 1);
    assertThat(records.get(0).getType()).isEqualTo(Type.SOA);
    assertThat(records.get(records.size() - 1).getType()).isEqualTo(Type.SOA);
  }

  @Test
  void axfrOverRealTcpComesInOrderOnOneConnection() throws Exception {
    Zone zone = handler.zone(Zones.big(0).origin()).orElseThrow();
    try (java.net.Socket s = Wire.tcp(server.port())) {
      Wire.writeFrame(s, Wire.query("big.example.", Type.AXFR).toWire());
      Wire.writeFrame(s, Wire.query("host.example.com.", Type.A).toWire());
      long records = 0;
      int soas = 0;
      boolean plainAnswerSeen = false;
      while (soas < 2 || !plainAnswerSeen) {
        Message m = new Message(Wire.readFrame(s).orElseThrow());
        if (m.getQuestion() != null && m.getQuestion().getType() == Type.A) {
          plainAnswerSeen = true;
          continue;
        }
        for (Record r : m.getSection(Section.ANSWER)) {
          records++;
          if (r.getType() == Type.SOA) {
            soas++;
          }
        }
      }
      assertThat(records).isEqualTo(zone.recordCount() + 1);
    }
  }
}
