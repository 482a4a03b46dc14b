package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

class ExchangeSmokeTest {
  @Test
  void garbageGetsFormerrAndAQueryReachesTheHandler() throws Exception {
    DnsServer server =
        DnsServer.builder(r -> DnsReply.of(reply(r)))
            .build();
    InetSocketAddress client = new InetSocketAddress(Address.getByAddress("127.0.0.1"), 5353);
    byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07};
    List<byte[]> out = server.exchange(garbage, client, Transport.UDP).toCompletableFuture().get();
    Message formerr = new Message(out.get(0));
    assertThat(formerr.getHeader().getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);
    Message q = Message.newQuery(Record.newRecord(Name.fromString("a.example."), Type.A, DClass.IN));
    Message r = new Message(server.exchange(q.toWire(), client, Transport.UDP).toCompletableFuture().get().get(0));
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(r.getHeader().getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ExternalTool.DIG).isNotNull();
  }

  private static Message reply(DnsRequest request) {
    Message m = new Message(request.message().getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(Rcode.NXDOMAIN);
    m.addRecord(request.message().getQuestion(), org.xbill.DNS.Section.QUESTION);
    return m;
  }
}
