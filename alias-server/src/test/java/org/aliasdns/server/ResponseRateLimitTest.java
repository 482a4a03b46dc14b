package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting over the real listeners, on a clock that stands still, so the counts do
 * not depend on how fast the test runs.
 */
class ResponseRateLimitTest {
  private static final InstantSource STILL =
      InstantSource.fixed(Instant.parse("2026-11-21T10:00:00Z"));

  private static DnsServer limited(int rate, int slip) throws Exception {
    return DnsServer.builder(DnsServerListenersTest::answerA)
        .packetCacheBytes(0)
        .responseRateLimit(
            ResponseRateLimit.builder().responsesPerSecond(rate).slip(slip).clock(STILL).build())
        .build()
        .start();
  }

  @Test
  void overUdpAPrefixGetsItsRateInFullThenHalfTheRestTruncatedAndTheOtherHalfNothing()
      throws Exception {
    try (DnsServer server = limited(5, 2);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Wire.LOOPBACK, 0))) {
      socket.setSoTimeout(5_000);
      for (int i = 0; i < 25; i++) {
        Message q = Wire.query("q" + i + ".example.", Type.A);
        byte[] wire = q.toWire();
        socket.send(new DatagramPacket(wire, wire.length, Wire.LOOPBACK, server.port()));
      }
      // 5 in full; of the 20 over the limit, every second slips (10) and the rest are dropped
      List<Message> replies = new ArrayList<>();
      byte[] buf = new byte[65535];
      for (int i = 0; i < 15; i++) {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        byte[] bytes = new byte[in.getLength()];
        System.arraycopy(buf, 0, bytes, 0, bytes.length);
        replies.add(new Message(bytes));
      }
      assertThat(replies).filteredOn(m -> !m.getHeader().getFlag(Flags.TC)).hasSize(5)
          .allSatisfy(m -> assertThat(m.getSection(Section.ANSWER)).hasSize(1));
      assertThat(replies).filteredOn(m -> m.getHeader().getFlag(Flags.TC)).hasSize(10)
          .allSatisfy(m -> assertThat(m.getSection(Section.ANSWER)).isEmpty());

      ServerStats stats = awaitCounted(server, 25);
      assertThat(stats.rateLimitSlipped()).isEqualTo(10);
      assertThat(stats.rateLimitDropped()).isEqualTo(10);
      socket.setSoTimeout(300);
      assertThatThrownBy(() -> socket.receive(new DatagramPacket(buf, buf.length)))
          .isInstanceOf(SocketTimeoutException.class); // nothing more came
    }
  }

  @Test
  void tcpIsNeverLimited() throws Exception {
    try (DnsServer server = limited(1, 2)) {
      try (Socket s = Wire.tcp(server.port())) {
        for (int i = 0; i < 20; i++) {
          Wire.writeFrame(s, Wire.query("t" + i + ".example.", Type.A).toWire());
          Message reply = new Message(Wire.readFrame(s).orElseThrow());
          assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
          assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        }
      }
      assertThat(server.stats().rateLimitDropped()).isZero();
      assertThat(server.stats().rateLimitSlipped()).isZero();
    }
  }

  @Test
  void withoutALimitNothingIsLimited() throws Exception {
    try (DnsServer server = DnsServer.builder(DnsServerListenersTest::answerA).build().start()) {
      for (int i = 0; i < 20; i++) {
        assertThat(Wire.udp(server.port(), Wire.query("u" + i + ".example.", Type.A).toWire()))
            .isPresent();
      }
      assertThat(server.stats().rateLimitDropped()).isZero();
    }
  }

  @Test
  void theLimitIsSetOnceAndItsSettingsAreChecked() {
    DnsServer.Builder builder =
        DnsServer.builder(DnsServerListenersTest::answerA)
            .responseRateLimit(ResponseRateLimit.defaults());
    assertThatThrownBy(() -> builder.responseRateLimit(ResponseRateLimit.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("responseRateLimit");
    assertThatThrownBy(() -> ResponseRateLimit.builder().responsesPerSecond(0))
        .hasMessageContaining("responsesPerSecond");
    assertThatThrownBy(() -> ResponseRateLimit.builder().tableSize(1000))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> ResponseRateLimit.builder().ipv6PrefixLength(129))
        .hasMessageContaining("ipv6PrefixLength");
    assertThatThrownBy(() -> ResponseRateLimit.builder().slip(1).slip(2))
        .hasMessageContaining("slip was already set");
    ResponseRateLimit d = ResponseRateLimit.defaults();
    assertThat(List.of(d.responsesPerSecond(), d.slip(), d.ipv4PrefixLength(), d.ipv6PrefixLength()))
        .containsExactly(200, 2, 24, 56);
  }

  /** Waits (at most 5 s) until every query sent has been counted one way or another. */
  private static ServerStats awaitCounted(DnsServer server, int sent) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    ServerStats stats = server.stats();
    while ((stats.udpQueries() < sent
            || stats.rateLimitDropped() + stats.rateLimitSlipped() < sent - 5)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
      stats = server.stats();
    }
    return stats;
  }
}
