package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 7766 §6.2.1.1: queries pipelined on one connection, each answered as it completes. */
class TcpPipeliningTest {
  private static final int QUERIES = 6;

  @Test
  void pipelinedQueriesAreAnsweredAsTheirRepliesCompleteNotInTheOrderAsked() throws Exception {
    List<CompletableFuture<DnsReply>> pending = new CopyOnWriteArrayList<>();
    List<DnsRequest> requests = new CopyOnWriteArrayList<>();
    DnsHandler handler =
        request -> {
          CompletableFuture<DnsReply> reply = new CompletableFuture<>();
          requests.add(request);
          pending.add(reply);
          return DnsReply.later(reply);
        };
    try (DnsServer server = DnsServer.builder(handler).build().start();
        Socket s = Wire.tcp(server.port())) {
      List<Integer> sent = new ArrayList<>();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < QUERIES; i++) {
        Message q = Wire.query("q" + i + ".example.", Type.A);
        sent.add(q.getHeader().getID());
        byte[] wire = q.toWire();
        all.write(wire.length >> 8);
        all.write(wire.length);
        all.write(wire);
      }
      s.getOutputStream().write(all.toByteArray()); // back to back, in one write

      long deadline = System.nanoTime() + 3_000_000_000L;
      while (pending.size() < QUERIES && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(pending)
          .as("every query reached the handler before any was answered")
          .hasSize(QUERIES);

      // Answer the last first: each reply goes out while the earlier queries still wait.
      for (int i = QUERIES - 1; i >= 0; i--) {
        pending.get(i).complete(DnsServerListenersTest.answerA(requests.get(i)));
        Message reply = new Message(Wire.readFrame(s).orElseThrow());
        assertThat(reply.getHeader().getID()).isEqualTo(sent.get(i));
        assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString())
            .isEqualTo("q" + i + ".example.");
      }
      assertThat(server.stats().tcpConnectionsAccepted()).isEqualTo(1);
    }
  }
}
