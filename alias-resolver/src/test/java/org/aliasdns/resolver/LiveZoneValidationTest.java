package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.ZoneHandler;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A {@link LiveZone} over a validating resolver: a bogus target is never published. Without a
 * last good answer its alias is SERVFAIL with EDE 6 (RFC 8914 §4.7); with one, the last good
 * addresses are served stale (RFC 8767), as after a SERVFAIL.
 */
class LiveZoneValidationTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @    SOA   ns1 hostmaster 2026113001 7200 3600 1209600 300
      @    NS    ns1
      @    300   ALIAS www.example.net.
      bad  300   ALIAS other.example.net.
      ns1  A     192.0.2.53
      """;

  final FakeDns fake =
      FakeDns.recursive()
          .signedZone(ValidationTest.NET + "other 60 IN A 192.0.2.40\n", SigningFault.NONE)
          .signedZone(ValidationTest.ORG, SigningFault.NONE)
          .build();
  final ZoneHandler handler = ZoneHandler.builder().clock(fake.clock()).build();
  final DnsServer server;
  final LiveZone live;

  LiveZoneValidationTest() throws IOException {
    List<Record> anchors = new ArrayList<>(fake.trustAnchor("example.net."));
    anchors.addAll(fake.trustAnchor("example.org."));
    AliasResolver resolver =
        Upstream.resolverFor(fake).trustAnchors(TrustAnchors.of(anchors)).build();
    Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
    server =
        DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    live = LiveZone.builder(zone, resolver).build();
    live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
  }

  @AfterEach
  void close() {
    live.close();
    server.close();
    fake.close();
  }

  private Message ask(String name, int type) throws IOException {
    SimpleResolver client = new SimpleResolver(server.address());
    client.setTimeout(Duration.ofSeconds(5));
    client.setEDNS(0, 1232, 0, List.of());
    return client.send(
        Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
  }

  private static List<Integer> edeCodes(Message reply) {
    OPTRecord opt = reply.getOPT();
    List<Integer> codes = new ArrayList<>();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        codes.add(((ExtendedErrorCodeOption) o).getErrorCode());
      }
    }
    return codes;
  }

  private long serial() throws IOException {
    return ((SOARecord) ask("example.com.", Type.SOA).getSection(Section.ANSWER).get(0))
        .getSerial();
  }

  @Test
  void aBogusTargetIsServfailWithEde6AndABogusRefreshKeepsTheLastGoodAddressesStale()
      throws Exception {
    fake.removeRrsig("other.example.net.", Type.A);
    live.runDue().toCompletableFuture().join();

    Message bad = ask("bad.example.com.", Type.A);
    assertThat(bad.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(edeCodes(bad)).containsExactly(ExtendedErrorCodeOption.DNSSEC_BOGUS);
    Message apex = ask("example.com.", Type.A);
    assertThat(apex.getSection(Section.ANSWER)).extracting(Record::rdataToString)
        .containsExactly("192.0.2.10");
    long serial = serial();

    fake.removeRrsig("edge.example.org.", Type.A); // the apex's target turns bogus
    fake.clock().advance(Duration.ofSeconds(400));
    live.runDue().toCompletableFuture().join();

    Message stale = ask("example.com.", Type.A);
    assertThat(stale.getSection(Section.ANSWER)).extracting(r -> r.getTTL() + " " + r.rdataToString())
        .containsExactly("30 192.0.2.10");
    assertThat(edeCodes(stale)).containsExactly(ExtendedErrorCodeOption.STALE_ANSWER);
    // As for a SERVFAIL (LiveZoneTest): one serial, for the stale TTL; the addresses stay.
    assertThat(serial()).isEqualTo(serial + 1);
  }
}
