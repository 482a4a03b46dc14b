package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * An {@link Error} on a server thread (here thrown by a handler, as an out-of-memory would be)
 * never leaves a server that is up but answers nothing: the server closes itself, then the
 * fatal-error hook hears of it, and an embedder sees a closed server and a free port.
 */
class FatalErrorTest {
  /** What the hook saw: the error, and the server's stats and thread at that moment. */
  private record Seen(Error error, ServerStats stats, String thread) {}

  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final AtomicReference<DnsServer> current = new AtomicReference<>();
  private final List<CompletableFuture<DnsReply>> pending = new CopyOnWriteArrayList<>();
  private @Nullable DnsServer server;

  /** Throws an out-of-memory error for oom.example., defers later.example., answers the rest. */
  private DnsReply handle(DnsRequest request) {
    String name = request.message().getQuestion().getName().toString();
    if (name.equals("oom.example.")) {
      throw new OutOfMemoryError("injected by the test");
    }
    if (name.equals("later.example.")) {
      CompletableFuture<DnsReply> reply = new CompletableFuture<>();
      pending.add(reply);
      return DnsReply.later(reply);
    }
    return DnsServerListenersTest.answerA(request);
  }

  private DnsServer start(boolean withHook) throws Exception {
    DnsServer.Builder b = DnsServer.builder(this::handle).listen(Wire.any());
    if (withHook) {
      b.onFatalError(
          e ->
              seen.add(
                  new Seen(e, current.get().stats(), Thread.currentThread().getName())));
    }
    DnsServer built = b.build();
    server = built;
    current.set(built);
    return built.start();
  }

  @AfterEach
  void stop() {
    DnsServer s = server;
    if (s != null) {
      s.close();
    }
  }

  /** What an embedder observes once the hook was called: nothing left serving. */
  private static void assertClosed(DnsServer server, InetSocketAddress address) throws Exception {
    assertThat(server.stats().listenerThreads()).isZero();
    assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    // The port is free: a new server (what a supervisor would start) binds it and answers.
    try (DnsServer again =
        DnsServer.builder(DnsServerListenersTest::answerA).listen(address).build().start()) {
      assertThat(Wire.udpMessage(again.port(), Wire.query("ok.example.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void anErrorOnAUdpThreadClosesTheServerBeforeTheHookHearsOfIt() throws Exception {
    DnsServer s = start(true);
    InetSocketAddress address = s.address();
    assertThat(Wire.udp(s.port(), Wire.query("fine.example.", Type.A).toWire())).isPresent();

    assertThat(Wire.udp(s.port(), Wire.query("oom.example.", Type.A).toWire(), 500)).isEmpty();

    Seen hook = seen.poll(5, TimeUnit.SECONDS);
    assertThat(hook).isNotNull();
    assertThat(hook.error()).isInstanceOf(OutOfMemoryError.class).hasMessage("injected by the test");
    assertThat(hook.thread()).startsWith("alias-dns-udp-");
    assertThat(hook.stats().listenerThreads()).as("closed before the hook runs").isZero();
    assertClosed(s, address);
    assertThat(seen).isEmpty(); // once
  }

  @Test
  void anErrorOnTheTcpThreadClosesTheServerAndItsConnections() throws Exception {
    DnsServer s = start(true);
    InetSocketAddress address = s.address();
    try (Socket bystander = Wire.tcp(s.port());
        Socket culprit = Wire.tcp(s.port())) {
      Wire.writeFrame(bystander, Wire.query("fine.example.", Type.A).toWire());
      assertThat(Wire.readFrame(bystander)).isPresent();

      Wire.writeFrame(culprit, Wire.query("oom.example.", Type.A).toWire());

      Seen hook = seen.poll(5, TimeUnit.SECONDS);
      assertThat(hook).isNotNull();
      assertThat(hook.thread()).isEqualTo("alias-dns-tcp");
      assertThat(hook.stats().listenerThreads()).isZero();
      assertThat(hook.stats().tcpConnectionsOpen()).isZero();
      assertThat(Wire.closedByPeer(bystander)).isTrue();
      assertThat(Wire.closedByPeer(culprit)).isTrue();
    }
    assertClosed(s, address);
  }

  @Test
  void aDeferredReplyThatFailsWithAnErrorIsFatalToo() throws Exception {
    DnsServer s = start(true);
    InetSocketAddress address = s.address();
    try (Socket c = Wire.tcp(s.port())) {
      Wire.writeFrame(c, Wire.query("later.example.", Type.A).toWire());
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (pending.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      // The handler's own thread (here the test's) fails the reply with an error.
      pending.get(0).completeExceptionally(new StackOverflowError("deep"));

      Seen hook = seen.poll(5, TimeUnit.SECONDS);
      assertThat(hook).isNotNull();
      assertThat(hook.error()).isInstanceOf(StackOverflowError.class);
      assertThat(hook.stats().listenerThreads()).isZero();
      assertThat(Wire.closedByPeer(c)).isTrue();
    }
    assertClosed(s, address);
  }

  @Test
  void withoutAHookTheServerStillClosesItself() throws Exception {
    DnsServer s = start(false);
    InetSocketAddress address = s.address();

    Wire.udp(s.port(), Wire.query("oom.example.", Type.A).toWire(), 200);

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (s.stats().listenerThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertClosed(s, address);
  }

  @Test
  void onTheInProcessPathTheCallerGetsTheErrorAndTheServerIsUntouched() throws Exception {
    DnsServer s = start(true);
    byte[] query = Wire.query("oom.example.", Type.A).toWire();

    assertThatThrownBy(() -> s.exchange(query, Wire.CLIENT, Transport.UDP))
        .isInstanceOf(OutOfMemoryError.class);

    assertThat(seen).isEmpty();
    assertThat(s.stats().listenerThreads()).isEqualTo(3);
    assertThat(Wire.udp(s.port(), Wire.query("fine.example.", Type.A).toWire())).isPresent();
  }
}
