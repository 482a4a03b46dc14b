package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The server's wire pipeline faces every packet on the network: for any bytes on either
 * transport it completes (no hang, no exception) with at most one UDP reply, and every reply is
 * a well-formed DNS response carrying the query's id that fits the transport.
 */
class WirePipelineFuzzTest {
  private static final String ZONE =
      """
      $ORIGIN example.com.
      @ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
      @ 3600 IN NS ns1
      @ 3600 IN ALIAS cdn.example.net.
      @ 3600 IN MX 10 mail
      ns1 3600 IN A 192.0.2.53
      mail 3600 IN A 192.0.2.25
      www 300 IN CNAME @
      *.wild 300 IN A 192.0.2.7
      sub 3600 IN NS ns.sub
      ns.sub 3600 IN A 192.0.2.54
      big 300 IN TXT "%s"
      """;
  private static final InetSocketAddress CLIENT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353);

  private static DnsServer server;

  @BeforeAll
  static void serve() throws IOException {
    Zone zone =
        ZoneFileReader.defaults()
            .read(ZONE.replace("%s", String.join("\" \"", Collections.nCopies(6, "x".repeat(200)))), "fuzz")
            .zone();
    Name target = Name.fromConstantString("cdn.example.net.");
    AliasResults results =
        AliasResults.of(
            new Resolution.Answer(
                target,
                Type.A,
                List.of(),
                RecordSet.of(
                    new ARecord(
                        target,
                        DClass.IN,
                        60,
                        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 80}))),
                Instant.now()));
    ZoneHandler handler = ZoneHandler.builder().build();
    handler.update(List.of(zone), results);
    server = DnsServer.builder(handler).build();
  }

  @AfterAll
  static void close() {
    server.close();
  }

  @FuzzTest(maxDuration = "10m")
  void answersEveryPacketWithAWellFormedReplyOrNone(FuzzedDataProvider data) throws Exception {
    Transport transport = data.consumeBoolean() ? Transport.UDP : Transport.TCP;
    byte[] query = data.consumeRemainingAsBytes();

    List<byte[]> replies =
        server.exchange(query, CLIENT, transport).toCompletableFuture().get(10, TimeUnit.SECONDS);

    if (transport == Transport.UDP) {
      assertThat(replies).hasSizeLessThanOrEqualTo(1);
    }
    for (byte[] reply : replies) {
      Message parsed = new Message(reply); // throws WireParseException if malformed
      assertThat(parsed.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(query.length).isGreaterThanOrEqualTo(2);
      int id = ((query[0] & 0xff) << 8) | (query[1] & 0xff);
      assertThat(parsed.getHeader().getID()).isEqualTo(id);
      if (transport == Transport.UDP) {
        assertThat(reply.length).isLessThanOrEqualTo(1232); // our offered EDNS payload at most
      } else {
        assertThat(reply.length).isLessThanOrEqualTo(65535);
      }
    }
  }
}
