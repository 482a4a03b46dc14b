package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Each kind of {@link DnsReply} over the real listeners. */
class ReplyKindsTest {
  private static final byte[] RAW = {0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 9, 9, 9, 1, 2, 3};

  @Test
  void aRawReplyIsSentByteForByteOnBothTransports() throws Exception {
    try (DnsServer server = DnsServer.builder(r -> DnsReply.raw(RAW)).build().start()) {
      byte[] query = Wire.query("raw.example.", Type.A).toWire();
      assertThat(Wire.udp(server.port(), query)).hasValue(RAW);
      try (Socket s = Wire.tcp(server.port())) {
        Wire.writeFrame(s, query);
        assertThat(Wire.readFrame(s)).hasValue(RAW);
      }
    }
  }

  @Test
  void aDroppedQueryGetsNothingAndTheTcpConnectionStaysUsable() throws Exception {
    DnsHandler handler =
        r ->
            r.message().getQuestion().getName().toString().startsWith("drop")
                ? DnsReply.drop()
                : DnsServerListenersTest.answerA(r);
    try (DnsServer server = DnsServer.builder(handler).build().start()) {
      assertThat(Wire.udp(server.port(), Wire.query("drop.example.", Type.A).toWire(), 300))
          .isEmpty();
      try (Socket s = Wire.tcp(server.port())) {
        Wire.writeFrame(s, Wire.query("drop.example.", Type.A).toWire());
        Wire.writeFrame(s, Wire.query("keep.example.", Type.A).toWire());
        org.xbill.DNS.Message reply = new org.xbill.DNS.Message(Wire.readFrame(s).orElseThrow());
        assertThat(reply.getQuestion().getName()).isEqualTo(Wire.name("keep.example."));
      }
      assertThat(server.stats().dropped()).isEqualTo(2);
    }
  }

  @Test
  void aDeferredReplyIsSentOverUdpWhenItCompletesOnAnotherThread() throws Exception {
    DnsHandler handler =
        r ->
            DnsReply.later(
                CompletableFuture.supplyAsync(
                    () -> DnsServerListenersTest.answerA(r),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));
    try (DnsServer server = DnsServer.builder(handler).build().start()) {
      assertThat(Wire.udpMessage(server.port(), Wire.query("later.example.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void aPeerThatDoesNotReadIsCutOffAndTheServerCarriesOn() throws Exception {
    byte[] big = new byte[60_000];
    DnsHandler handler =
        r -> {
          byte[] wire = big.clone();
          wire[0] = (byte) (r.message().getHeader().getID() >> 8);
          wire[1] = (byte) r.message().getHeader().getID();
          wire[2] = (byte) 0x80;
          return DnsReply.raw(wire);
        };
    try (DnsServer server =
            DnsServer.builder(handler).tcpIdleTimeout(Duration.ofMillis(500)).build().start();
        Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(server.address());
      List<byte[]> queries = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        queries.add(Wire.query("q" + i + ".example.", Type.A).toWire());
      }
      Wire.writeFrames(s, queries);
      // never read: the server stops reading at its bound, then closes the connection, its
      // queue over the limit or the connection making no progress
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (server.stats().tcpConnectionsOpen() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(server.stats().tcpConnectionsOpen()).isZero();
      assertThat(server.stats().tcpQueries()).isLessThan(200);
      try (Socket fresh = Wire.tcp(server.port())) {
        Wire.writeFrame(fresh, Wire.query("fresh.example.", Type.A).toWire());
        assertThat(Wire.readFrame(fresh).orElseThrow()).hasSize(60_000);
      }
      assertThat(server.stats().listenerErrors()).isZero();
    }
  }
}
