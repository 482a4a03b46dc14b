package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 7766 §6.2.1.1: queries pipelined on one connection, answered as they complete. */
class TcpPipeliningTest {
  private static final int QUERIES = 6;

  @Test
  void pipelinedQueriesAreAnsweredInTheOrderTheirRepliesComplete() throws Exception {
    List<CompletableFuture<DnsReply>> pending = Collections.synchronizedList(new ArrayList<>());
    List<DnsRequest> requests = Collections.synchronizedList(new ArrayList<>());
    DnsHandler handler =
        request -> {
          CompletableFuture<DnsReply> reply = new CompletableFuture<>();
          requests.add(request);
          pending.add(reply);
          if (pending.size() == QUERIES) {
            // Complete them last to first, from another thread, one after the other.
            Thread completer =
                new Thread(
                    () -> {
                      for (int i = QUERIES - 1; i >= 0; i--) {
                        pending.get(i).complete(DnsServerListenersTest.answerA(requests.get(i)));
                      }
                    });
            completer.start();
          }
          return DnsReply.later(reply);
        };
    try (DnsServer server = DnsServer.builder(handler).build().start();
        Socket s = Wire.tcp(server.port())) {
      List<Integer> sent = new ArrayList<>();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      DataOutputStream frames = new DataOutputStream(all);
      for (int i = 0; i < QUERIES; i++) {
        Message q = Wire.query("q" + i + ".example.", Type.A);
        sent.add(q.getHeader().getID());
        byte[] wire = q.toWire();
        frames.writeShort(wire.length);
        frames.write(wire);
      }
      s.getOutputStream().write(all.toByteArray()); // back to back, in one write
      List<Integer> received = new ArrayList<>();
      for (int i = 0; i < QUERIES; i++) {
        Message reply = new Message(Wire.readFrame(s).orElseThrow());
        received.add(reply.getHeader().getID());
        String expected = "q" + sent.indexOf(reply.getHeader().getID()) + ".example.";
        assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo(expected);
      }
      List<Integer> reversed = new ArrayList<>(sent);
      Collections.reverse(reversed);
      assertThat(received).isEqualTo(reversed);
      assertThat(server.stats().tcpConnectionsAccepted()).isEqualTo(1);
    }
  }
}
