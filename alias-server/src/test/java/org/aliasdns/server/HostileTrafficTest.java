package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bad traffic over real sockets, then a health check: ordinary queries still get answers on both
 * transports and every listener thread is still running.
 */
class HostileTrafficTest {
  private static final int UDP_THREADS = 2;

  private final List<DnsServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(DnsServer::close);
  }

  private DnsServer start(Duration idle, int maxConnections) throws Exception {
    DnsServer server =
        DnsServer.builder(DnsServerListenersTest::answerA)
            .listen(Wire.any())
            .udpThreads(UDP_THREADS)
            .tcpIdleTimeout(idle)
            .maxTcpConnections(maxConnections)
            .build()
            .start();
    servers.add(server);
    return server;
  }

  private static void assertHealthy(DnsServer server) throws Exception {
    // UDP may lose a datagram, the more so right after a barrage fills the socket's receive
    // buffer; like any client, try again.
    byte[] query = Wire.query("ok.example.", Type.A).toWire();
    java.util.Optional<byte[]> udp = java.util.Optional.empty();
    for (int attempt = 0; attempt < 5 && udp.isEmpty(); attempt++) {
      udp = Wire.udp(server.port(), query, 500);
    }
    assertThat(new Message(udp.orElseThrow()).getRcode()).isEqualTo(Rcode.NOERROR);
    Message tcp = Wire.tcpMessage(server.port(), Wire.query("ok.example.", Type.A));
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(1);
    ServerStats stats = server.stats();
    assertThat(stats.listenerThreads()).isEqualTo(UDP_THREADS + 1);
    assertThat(stats.listenerErrors()).isZero();
  }

  /** Malformed, lying, unsupported and random packets. */
  static List<byte[]> badPackets() {
    List<byte[]> out = new ArrayList<>();
    byte[] good = Wire.query("a.example.", Type.A).toWire();
    out.add(new byte[0]);
    out.add(new byte[] {1});
    out.add(Arrays.copyOf(good, 11));
    out.add(Arrays.copyOf(good, good.length - 2));
    byte[] lying = good.clone();
    lying[7] = 5; // ANCOUNT 5, no answers
    out.add(lying);
    byte[] response = good.clone();
    response[2] |= (byte) 0x80;
    out.add(response);
    Message twoOpt = Wire.query("a.example.", Type.A);
    twoOpt.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    twoOpt.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    out.add(twoOpt.toWire());
    Message v1 = Wire.query("a.example.", Type.A);
    v1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    out.add(v1.toWire());
    Message update = Wire.query("a.example.", Type.A);
    update.getHeader().setOpcode(Opcode.UPDATE);
    out.add(update.toWire());
    out.add(new Message(99).toWire()); // no question
    Random random = new Random(20261121L);
    byte[] tail = Arrays.copyOf(good, good.length + 1_000); // data after the question
    for (int i = good.length; i < tail.length; i++) {
      tail[i] = (byte) random.nextInt();
    }
    out.add(tail);
    Message optNotRoot = Wire.query("a.example.", Type.A);
    optNotRoot.addRecord(
        Record.newRecord(Wire.name("a.example."), Type.OPT, 1232, 0, new byte[0]),
        Section.ADDITIONAL);
    out.add(optNotRoot.toWire());
    for (int i = 0; i < 300; i++) {
      byte[] noise = new byte[random.nextInt(600)];
      random.nextBytes(noise);
      out.add(noise);
    }
    return out;
  }

  @Test
  void aUdpBarrageLeavesTheServerHealthy() throws Exception {
    DnsServer server = start(Duration.ofSeconds(10), 16);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(Wire.LOOPBACK, 0))) {
      for (byte[] packet : badPackets()) {
        socket.send(new DatagramPacket(packet, packet.length, Wire.LOOPBACK, server.port()));
      }
    }
    assertHealthy(server);
    assertThat(server.stats().formerr()).isPositive();
  }

  @Test
  void badFramesOnOneTcpConnectionAreAnsweredAndTheConnectionStaysUsable() throws Exception {
    DnsServer server = start(Duration.ofSeconds(10), 16);
    try (Socket s = Wire.tcp(server.port())) {
      int answered = 0;
      for (byte[] packet : badPackets()) {
        if (packet.length == 0) {
          continue; // a 0 length prefix ends the connection; tested on its own
        }
        Wire.writeFrame(s, packet);
      }
      Wire.writeFrame(s, Wire.query("last.example.", Type.A).toWire());
      // Read until the answer to the last, good, query.
      while (true) {
        Message m = new Message(Wire.readFrame(s).orElseThrow());
        answered++;
        if (m.getSection(Section.ANSWER).size() == 1) {
          break;
        }
      }
      assertThat(answered).isGreaterThan(5);
    }
    assertHealthy(server);
  }

  @Test
  void aLengthPrefixPromisingMoreThanArrivesIsClosedByTheIdleTimeout() throws Exception {
    DnsServer server = start(Duration.ofMillis(300), 16);
    try (Socket s = Wire.tcp(server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) 0xEA, 0x60}); // 60000 bytes to come
      out.write(new byte[100]);
      out.flush();
      assertThat(Wire.closedByPeer(s)).isTrue(); // within the 3 s read timeout
    }
    assertThat(server.stats().tcpConnectionsTimedOut()).isEqualTo(1);
    assertHealthy(server);
  }

  @Test
  void aZeroLengthPrefixClosesTheConnection() throws Exception {
    DnsServer server = start(Duration.ofSeconds(10), 16);
    try (Socket s = Wire.tcp(server.port())) {
      s.getOutputStream().write(new byte[] {0, 0});
      assertThat(Wire.closedByPeer(s)).isTrue();
    }
    assertHealthy(server);
  }

  @Test
  void halfALengthPrefixThenCloseIsHarmless() throws Exception {
    DnsServer server = start(Duration.ofSeconds(10), 64);
    for (int i = 0; i < 20; i++) {
      try (Socket s = Wire.tcp(server.port())) {
        s.getOutputStream().write(new byte[] {0});
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (server.stats().tcpConnectionsOpen() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.stats().tcpConnectionsOpen()).isZero();
    assertHealthy(server);
  }

  @Test
  void aClientThatHalfClosesGetsItsAnswerThenTheConnectionEnds() throws Exception {
    DnsServer server = start(Duration.ofSeconds(10), 16);
    try (Socket s = Wire.tcp(server.port())) {
      Wire.writeFrame(s, Wire.query("half.example.", Type.A).toWire());
      s.shutdownOutput();
      Message reply = new Message(Wire.readFrame(s).orElseThrow());
      assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
      assertThat(Wire.readFrame(s)).isEmpty();
    }
    assertHealthy(server);
  }
}
