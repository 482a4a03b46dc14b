package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One client must not be able to take every TCP slot (RFC 7766 §6.2.3): a per-client limit, and
 * a full table makes room by closing the connection idle longest. Linux routes all of 127/8 to
 * the loopback interface, so 127.0.0.2 is a second client on the same machine.
 */
class TcpConnectionLimitsTest {
  private static final InetAddress OTHER_CLIENT = address("127.0.0.2");

  /** Deferred replies to questions under hold.example., completed only when a test says so. */
  private final List<CompletableFuture<DnsReply>> held = new CopyOnWriteArrayList<>();

  private final List<DnsRequest> heldRequests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<DnsServer> servers = new ArrayList<>();

  private static InetAddress address(String literal) {
    try {
      return Address.getByAddress(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private DnsReply answer(DnsRequest request) {
    if (request.message().getQuestion().getName().toString().endsWith("hold.example.")) {
      CompletableFuture<DnsReply> reply = new CompletableFuture<>();
      heldRequests.add(request);
      held.add(reply);
      return DnsReply.later(reply);
    }
    return DnsServerListenersTest.answerA(request);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    servers.forEach(DnsServer::close);
  }

  private DnsServer start(int maxConnections, int perClient) throws Exception {
    DnsServer server =
        DnsServer.builder(this::answer)
            .listen(Wire.any())
            .tcpIdleTimeout(Duration.ofSeconds(30))
            .maxTcpConnections(maxConnections)
            .maxTcpConnectionsPerClient(perClient)
            .build()
            .start();
    servers.add(server);
    return server;
  }

  private Socket connect(DnsServer server, InetAddress from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.setSoTimeout(3000);
    s.setTcpNoDelay(true);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(server.address());
    return s;
  }

  /** One query and its answer on a connection: the server has surely accepted it. */
  private static void exchange(Socket s, String name) throws IOException {
    Wire.writeFrame(s, Wire.query(name, Type.A).toWire());
    Message reply = new Message(Wire.readFrame(s).orElseThrow());
    assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
  }

  /** A connection with a query the handler holds: busy, not idle. */
  private Socket busy(DnsServer server, InetAddress from) throws Exception {
    int before = held.size();
    Socket s = connect(server, from);
    Wire.writeFrame(s, Wire.query("q" + before + ".hold.example.", Type.A).toWire());
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (held.size() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(held).hasSize(before + 1);
    return s;
  }

  @Test
  void oneClientHoldsAtMostItsShareAndAnotherClientIsStillAnswered() throws Exception {
    DnsServer server = start(256, 4);
    List<Socket> mine = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = connect(server, Wire.LOOPBACK);
      exchange(s, "idle" + i + ".example.");
      mine.add(s);
    }
    assertThat(server.stats().tcpConnectionsOpen()).isEqualTo(4);

    // Twelve more from the same address: each makes room by closing that client's connection
    // idle longest, so the client never holds more than its four.
    for (int i = 0; i < 12; i++) {
      Socket s = connect(server, Wire.LOOPBACK);
      exchange(s, "more" + i + ".example.");
      mine.add(s);
      assertThat(server.stats().tcpConnectionsOpen()).isEqualTo(4);
    }
    assertThat(server.stats().tcpConnectionsEvicted()).isEqualTo(12);
    for (Socket s : mine.subList(0, 12)) {
      assertThat(Wire.closedByPeer(s)).isTrue();
    }
    for (Socket s : mine.subList(12, 16)) {
      exchange(s, "still.example."); // the newest four still work
    }

    Socket other = connect(server, OTHER_CLIENT);
    exchange(other, "other.example.");
    assertThat(server.stats().tcpConnectionsOpen()).isEqualTo(5);
    assertThat(server.stats().tcpConnectionsRejected()).isZero();
  }

  @Test
  void whenEveryConnectionOfAClientIsBusyItsNextIsClosedOnAcceptAndOthersAreServed()
      throws Exception {
    DnsServer server = start(256, 3);
    for (int i = 0; i < 3; i++) {
      busy(server, Wire.LOOPBACK);
    }
    for (int i = 0; i < 5; i++) {
      Socket extra = connect(server, Wire.LOOPBACK);
      assertThat(Wire.closedByPeer(extra)).isTrue();
    }
    assertThat(server.stats().tcpConnectionsRejected()).isEqualTo(5);
    assertThat(server.stats().tcpConnectionsEvicted()).isZero();

    exchange(connect(server, OTHER_CLIENT), "other.example.");

    // the held queries are answered once their replies complete: nothing was lost
    for (int i = 0; i < 3; i++) {
      held.get(i).complete(DnsServerListenersTest.answerA(heldRequests.get(i)));
      Message reply = new Message(Wire.readFrame(sockets.get(i)).orElseThrow());
      assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  @Test
  void aFullTableClosesTheConnectionIdleLongestNotTheFirstOpened() throws Exception {
    DnsServer server = start(3, 16);
    Socket a = connect(server, Wire.LOOPBACK);
    exchange(a, "a.example.");
    Socket b = connect(server, Wire.LOOPBACK);
    exchange(b, "b.example.");
    Socket c = connect(server, OTHER_CLIENT);
    exchange(c, "c.example.");
    exchange(a, "a-again.example."); // a is busy again: b has now been idle longest

    Socket d = connect(server, OTHER_CLIENT);
    exchange(d, "d.example.");

    assertThat(Wire.closedByPeer(b)).isTrue();
    exchange(a, "a-third.example.");
    exchange(c, "c-again.example.");
    ServerStats stats = server.stats();
    assertThat(stats.tcpConnectionsEvicted()).isEqualTo(1);
    assertThat(stats.tcpConnectionsOpen()).isEqualTo(3);
    assertThat(stats.tcpConnectionsRejected()).isZero();
  }

  @Test
  void aFullTableOfBusyConnectionsClosesNewOnesOnAccept() throws Exception {
    DnsServer server = start(4, 16);
    for (int i = 0; i < 4; i++) {
      busy(server, i % 2 == 0 ? Wire.LOOPBACK : OTHER_CLIENT);
    }
    for (int i = 0; i < 6; i++) {
      Socket extra = connect(server, OTHER_CLIENT);
      assertThat(Wire.closedByPeer(extra)).isTrue();
    }
    ServerStats stats = server.stats();
    assertThat(stats.tcpConnectionsRejected()).isEqualTo(6);
    assertThat(stats.tcpConnectionsOpen()).isEqualTo(4);

    // Once one is answered it is idle, and the next new connection takes its place.
    held.get(0).complete(DnsServerListenersTest.answerA(heldRequests.get(0)));
    assertThat(Wire.readFrame(sockets.get(0))).isPresent();
    exchange(connect(server, OTHER_CLIENT), "room.example.");
    assertThat(Wire.closedByPeer(sockets.get(0))).isTrue();
    assertThat(server.stats().tcpConnectionsEvicted()).isEqualTo(1);
  }

  @Test
  void peersThatDoNotReadAreClosedWhenAllUnsentRepliesPassTheirBound() throws Exception {
    int size = 65_000;
    byte[] big = new byte[size];
    DnsHandler handler =
        r -> {
          byte[] wire = big.clone();
          wire[0] = (byte) (r.message().getHeader().getID() >> 8);
          wire[1] = (byte) r.message().getHeader().getID();
          wire[2] = (byte) 0x80;
          return DnsReply.raw(wire);
        };
    long bound = 200_000;
    long mostEver = bound + size + 2; // the bound, and the one reply that finds it passed
    try (DnsServer server =
        DnsServer.builder(handler)
            .listen(Wire.any())
            .tcpIdleTimeout(Duration.ofSeconds(30))
            .maxTcpUnsentBytes(bound)
            .build()
            .start()) {
      // Readers that never read, 64 replies of 65 kB each (4.2 MB): past what the kernel's
      // buffers take, about a megabyte per connection waits in the server. Without the bound
      // on all connections together, six would hold several megabytes.
      for (int i = 0; i < 6; i++) {
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(server.address());
        List<byte[]> queries = new ArrayList<>();
        for (int q = 0; q < 64; q++) {
          queries.add(Wire.query("s" + i + "-" + q + ".example.", Type.A).toWire());
        }
        Wire.writeFrames(s, queries);
        for (int look = 0; look < 20; look++) { // while the server works through them
          Thread.sleep(5);
          assertThat(server.stats().tcpBytesUnsent()).isLessThanOrEqualTo(mostEver);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (server.stats().tcpConnectionsOpen() >= 6 && System.nanoTime() < deadline) {
        assertThat(server.stats().tcpBytesUnsent()).isLessThanOrEqualTo(mostEver);
        Thread.sleep(10);
      }
      assertThat(server.stats().tcpConnectionsOpen()).isLessThan(6);
      assertThat(server.stats().tcpBytesUnsent()).isLessThanOrEqualTo(mostEver);

      try (Socket fresh = Wire.tcp(server.port())) {
        Wire.writeFrame(fresh, Wire.query("fresh.example.", Type.A).toWire());
        assertThat(Wire.readFrame(fresh).orElseThrow()).hasSize(size);
      }
      assertThat(server.stats().listenerErrors()).isZero();
    }
  }
}
