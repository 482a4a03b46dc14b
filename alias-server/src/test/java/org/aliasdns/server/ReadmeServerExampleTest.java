package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The "Serving DNS" example of the root README, run as written there. */
class ReadmeServerExampleTest {

  @Test
  void theReadmeExampleServesTheApexAliasAndSeesASwapAtOnce() throws Exception {
    Zone zone = Zones.example();
    AliasResults results = Zones.resolvedTo("192.0.2.80");
    AliasResults newResults = Zones.resolvedTo("192.0.2.81");
    String before;
    String after;

    // --- README: begin
    ZoneHandler handler = ZoneHandler.builder().build(); // AXFR allowed to loopback only
    handler.update(List.of(zone), results); // zones and alias results, one atomic swap
    try (DnsServer server = DnsServer.builder(handler)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)) // any free port
            .build()
            .start()) {
      SimpleResolver client = new SimpleResolver(server.address()); // UDP and TCP, same port
      Message query = Message.newQuery(
          Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN));
      Message reply = client.send(query);
      //   example.com. 300 IN A 192.0.2.80   (synthesized from the apex ALIAS)
      before = reply.getSection(Section.ANSWER).get(0).rdataToString();

      handler.results(newResults); // the very next query sees the new address
      after = client.send(query).getSection(Section.ANSWER).get(0).rdataToString();
    }
    // --- README: end

    assertThat(before).isEqualTo("192.0.2.80");
    assertThat(after).isEqualTo("192.0.2.81");
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws Exception {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/server/ReadmeServerExampleTest.java",
        "--- README: begin",
        "--- README: end");
  }
}
