package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class DnsServerListenersTest {

  /** Answers every A question with 192.0.2.1, authoritatively. */
  static DnsReply answerA(DnsRequest request) {
    Message q = request.message();
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    Record question = q.getQuestion();
    r.addRecord(question, Section.QUESTION);
    try {
      r.addRecord(
          new ARecord(question.getName(), DClass.IN, 300, Address.getByAddress("192.0.2.1")),
          Section.ANSWER);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return DnsReply.of(r);
  }

  @Test
  void answersOverUdpAndTcpOnTheSamePort() throws Exception {
    try (DnsServer server = DnsServer.builder(DnsServerListenersTest::answerA).build().start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.address().getAddress()).isEqualTo(Wire.LOOPBACK);

      Message udp = Wire.udpMessage(server.port(), Wire.query("a.example.", Type.A));
      Message tcp = Wire.tcpMessage(server.port(), Wire.query("b.example.", Type.A));

      assertThat(udp.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("192.0.2.1");
      assertThat(tcp.getSection(Section.ANSWER).get(0).getName())
          .isEqualTo(Wire.name("b.example."));
      ServerStats stats = server.stats();
      assertThat(stats.udpQueries()).isEqualTo(1);
      assertThat(stats.tcpQueries()).isEqualTo(1);
      assertThat(stats.queries()).isEqualTo(2);
      assertThat(stats.tcpConnectionsAccepted()).isEqualTo(1);
      assertThat(stats.listenerThreads()).isEqualTo(3); // 2 UDP + 1 TCP
    }
  }

  @Test
  void dnsjavaResolverGetsAnswersOnBothTransports() throws Exception {
    try (DnsServer server = DnsServer.builder(DnsServerListenersTest::answerA).build().start()) {
      SimpleResolver resolver = new SimpleResolver(server.address());
      resolver.setTimeout(Duration.ofSeconds(2));
      Message viaUdp = resolver.send(Wire.query("x.example.", Type.A));
      resolver.setTCP(true);
      Message viaTcp = resolver.send(Wire.query("y.example.", Type.A));
      assertThat(viaUdp.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(viaUdp.getSection(Section.ANSWER)).hasSize(1);
      assertThat(viaTcp.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  @Test
  void closeIsIdempotentStopsThreadsAndFreesThePort() throws Exception {
    DnsServer server =
        DnsServer.builder(DnsServerListenersTest::answerA).udpThreads(3).build().start();
    InetSocketAddress address = server.address();
    Socket open = Wire.tcp(server.port());
    Wire.writeFrame(open, Wire.query("a.example.", Type.A).toWire());
    assertThat(Wire.readFrame(open)).isPresent();

    server.close();
    server.close();

    assertThat(server.stats().listenerThreads()).isZero();
    assertThat(server.stats().tcpConnectionsOpen()).isZero();
    assertThat(Wire.closedByPeer(open)).isTrue();
    open.close();
    // The same port can be bound again at once.
    try (DnsServer again =
        DnsServer.builder(DnsServerListenersTest::answerA).listen(address).build().start()) {
      assertThat(again.port()).isEqualTo(address.getPort());
      assertThat(Wire.udpMessage(again.port(), Wire.query("a.example.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void startTwiceOrAfterCloseIsAnError() throws Exception {
    DnsServer server = DnsServer.builder(DnsServerListenersTest::answerA).build();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    server.start();
    try {
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("started");
    } finally {
      server.close();
    }
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aSecondServerOnATakenPortFailsToStart() throws Exception {
    try (DnsServer first = DnsServer.builder(DnsServerListenersTest::answerA).build().start()) {
      DnsServer second =
          DnsServer.builder(DnsServerListenersTest::answerA).listen(first.address()).build();
      assertThatThrownBy(second::start).isInstanceOf(java.net.BindException.class);
      second.close();
    }
  }

  @Test
  void builderSettingsMayBeSetOnce() {
    DnsServer.Builder builder = DnsServer.builder(DnsServerListenersTest::answerA).udpThreads(1);
    assertThatThrownBy(() -> builder.udpThreads(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("udpThreads");
  }

  @Test
  void manyClientsAtOnceAllGetTheirOwnAnswers() throws Exception {
    int clients = 8;
    int each = 40;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(clients);
    try (DnsServer server = DnsServer.builder(DnsServerListenersTest::answerA).build().start()) {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  try (Socket s = Wire.tcp(server.port())) {
                    for (int i = 0; i < each; i++) {
                      String name = "c" + client + "-" + i + ".example.";
                      Message udp = Wire.udpMessage(server.port(), Wire.query(name, Type.A));
                      Wire.writeFrame(s, Wire.query(name, Type.A).toWire());
                      Message tcp = new Message(Wire.readFrame(s).orElseThrow());
                      if (udp.getQuestion().getName().toString().equals(name)
                          && tcp.getSection(Section.ANSWER)
                              .get(0)
                              .getName()
                              .toString()
                              .equals(name)) {
                        ok++;
                      }
                    }
                  }
                  return ok;
                }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(each);
      }
      assertThat(server.stats().queries()).isEqualTo(2L * clients * each);
      assertThat(server.stats().listenerErrors()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
