package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.Transport;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** A fake on a port the test chooses, and a fake inside a DnsServer of the test's own. */
class FixedPortTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  static FakeDns.Builder world() {
    return FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10");
  }

  /** A port free for both UDP and TCP right now (the system picks it; the test then reuses it). */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
          return port;
        } catch (BindException taken) {
          // TCP has it; try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }

  static SimpleResolver client(InetSocketAddress address, boolean tcp) {
    SimpleResolver r = new SimpleResolver(address);
    r.setTimeout(Duration.ofSeconds(2));
    r.setTCP(tcp);
    return r;
  }

  @Test
  void startsOnTheChosenPortForUdpAndTcp() throws Exception {
    int port = freePort();
    try (FakeDns fake = world().build().start(port)) {
      assertThat(fake.port()).isEqualTo(port);
      assertThat(fake.address()).isEqualTo(new InetSocketAddress(LOOPBACK, port));

      InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
      assertThat(answer(client(at, false).send(query("cdn.example.org.", Type.A))))
          .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
      assertThat(answer(client(at, true).send(query("cdn.example.org.", Type.A))))
          .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
      assertThat(fake.queries()).extracting(ReceivedQuery::transport)
          .containsExactly(Transport.UDP, Transport.TCP);
    }
  }

  @Test
  void theBuildersListenAddressIsWhereStartBinds() throws Exception {
    int port = freePort();
    try (FakeDns fake = world().listen(new InetSocketAddress(LOOPBACK, port)).build().start()) {
      assertThat(fake.port()).isEqualTo(port);
      assertThat(client(fake.address(), false).send(query("cdn.example.org.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void aClosedFakesPortCanBeTakenAgainAtOnce() throws Exception {
    int port = freePort();
    // A TCP exchange on a socket of the test's own, left open while the fake closes (so the
    // fake's side of it is closed first and lingers in TIME_WAIT). Not dnsjava's SimpleResolver:
    // it keeps its TCP connection to an address for the next query, and the query to the second
    // fake could go down the first fake's closed connection before dnsjava has seen it close.
    try (Socket tcp = new Socket()) {
      try (FakeDns first = world().build().start(port)) {
        tcp.connect(first.address());
        byte[] wire = query("cdn.example.org.", Type.A).toWire();
        DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
        out.writeShort(wire.length); // RFC 1035 §4.2.2: two-byte length prefix
        out.write(wire);
        out.flush();
        DataInputStream in = new DataInputStream(tcp.getInputStream());
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        assertThat(new Message(reply).getRcode()).isEqualTo(Rcode.NOERROR);
      }
    }
    try (FakeDns second = world().build().start(port)) {
      assertThat(client(second.address(), true).send(query("cdn.example.org.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
      assertThat(second.queryCount()).isEqualTo(1);
    }
  }

  @Test
  void aTakenPortFailsToBind() throws Exception {
    try (FakeDns first = world().build().start();
        FakeDns second = world().build()) {
      assertThatThrownBy(() -> second.start(first.port())).isInstanceOf(BindException.class);
      assertThat(second.isStarted()).isFalse();
    }
  }

  @Test
  void aPortOutsideTheRangeIsRefused() {
    try (FakeDns fake = world().build()) {
      assertThatThrownBy(() -> fake.start(65536))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("65536");
      assertThatThrownBy(() -> fake.start(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theListenAddressMustBeAnAddressNotANameToLookUp() {
    assertThatThrownBy(
            () -> world().listen(InetSocketAddress.createUnresolved("dns.example.net", 53)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dns.example.net");
  }

  @Test
  void theFakeServesInsideTheTestsOwnDnsServer() throws Exception {
    int port = freePort();
    try (FakeDns fake = world().build();
        DnsServer server =
            DnsServer.builder(fake.handler())
                .listen(new InetSocketAddress(LOOPBACK, port))
                .udpThreads(1)
                .build()
                .start()) {
      fake.enqueue(Fault.servfail());
      SimpleResolver client = client(server.address(), false);

      assertThat(client.send(query("cdn.example.org.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(answer(client.send(query("cdn.example.org.", Type.A))))
          .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
      ReceivedQuery first = fake.takeQuery();
      assertThat(first.fault()).isEqualTo(Fault.servfail());
      assertThat(first.client().getPort()).isPositive(); // the real client, as the server saw it
      assertThat(fake.isStarted()).isFalse(); // the fake's own listener never ran
    }
  }

  @Test
  void aClosedFakesHandlerAnswersServfail() throws Exception {
    FakeDns fake = world().build();
    try (DnsServer server = DnsServer.builder(fake.handler()).build().start()) {
      fake.close();

      assertThat(client(server.address(), false).send(query("cdn.example.org.", Type.A)).getRcode())
          .isEqualTo(Rcode.SERVFAIL);
      assertThat(fake.queryCount()).isZero();
    }
  }
}
