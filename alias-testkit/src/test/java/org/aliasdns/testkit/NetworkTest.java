package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/** The key faults over a real loopback port, seen by dnsjava's SimpleResolver. */
class NetworkTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  static SimpleResolver simple(InetSocketAddress address) {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(Duration.ofSeconds(2));
    return resolver;
  }

  @Test
  void answersTheWholeChainOverUdpOnLoopback(InetSocketAddress address, FakeDns fake) throws Exception {
    Message reply = simple(address).send(query("www.example.net.", Type.A));

    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(answer(reply))
        .containsExactly(
            "www.example.net. 300 IN CNAME cdn.example.org.",
            "cdn.example.org. 60 IN A 192.0.2.10");
    ReceivedQuery q = fake.takeQuery();
    assertThat(q.transport()).isEqualTo(Transport.UDP);
    assertThat(q.client().getAddress().isLoopbackAddress()).isTrue();
    assertThat(q.client().getPort()).isPositive();
  }

  @Test
  void inProcessAndNetworkRepliesAreTheSameBytes(InetSocketAddress address, Resolver inProcess)
      throws Exception {
    Message query = query("www.example.net.", Type.A);

    Message overNetwork = simple(address).send(query);
    Message direct = inProcess.send(query);

    assertThat(direct.toWire()).isEqualTo(overNetwork.toWire());
  }

  @Test
  void dropMakesSimpleResolverTimeOut(InetSocketAddress address, FakeDns fake) {
    fake.enqueue(Fault.drop());
    SimpleResolver resolver = simple(address);
    resolver.setTimeout(Duration.ofMillis(300));

    // SimpleResolver.send races its socket timer against its own wait and may throw a plain
    // IOException ("Timed out while trying to resolve"); the socket's failure is this one.
    assertThatThrownBy(() -> resolver.sendAsync(query("www.example.net.", Type.A)).toCompletableFuture().get())
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThat(fake.takeQuery().fault()).isEqualTo(Fault.drop());
  }

  @Test
  void truncateMakesSimpleResolverRetryOverTcp(InetSocketAddress address, FakeDns fake)
      throws Exception {
    fake.enqueue(Fault.truncate());

    Message reply = simple(address).send(query("www.example.net.", Type.A));

    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(answer(reply)).hasSize(2);
    assertThat(fake.takeQuery().transport()).isEqualTo(Transport.UDP);
    assertThat(fake.takeQuery().transport()).isEqualTo(Transport.TCP);
  }

  @Test
  void servfailReachesSimpleResolver(InetSocketAddress address, FakeDns fake) throws Exception {
    fake.inject(Fault.servfail().forName("www.example.net.", Type.A).times(1));

    assertThat(simple(address).send(query("www.example.net.", Type.A)).getRcode())
        .isEqualTo(Rcode.SERVFAIL);
    assertThat(simple(address).send(query("www.example.net.", Type.A)).getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void delayedRepliesArriveLate(InetSocketAddress address, FakeDns fake) throws Exception {
    fake.enqueue(Fault.delay(Duration.ofMillis(150)));
    long start = System.nanoTime();

    Message reply = simple(address).send(query("www.example.net.", Type.A));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(answer(reply)).hasSize(2);
  }

  @Test
  void wrongIdIsRejectedBySimpleResolver(InetSocketAddress address, FakeDns fake) {
    fake.enqueue(Fault.wrongId());
    SimpleResolver resolver = simple(address);
    resolver.setTimeout(Duration.ofMillis(300));

    assertThatThrownBy(() -> resolver.send(query("www.example.net.", Type.A)))
        .isInstanceOf(WireParseException.class)
        .hasMessageContaining("invalid message id");
  }

  @Test
  void malformedRepliesFailSimpleResolver(InetSocketAddress address, FakeDns fake) {
    fake.enqueue(Fault.malformed());

    assertThatThrownBy(() -> simple(address).send(query("www.example.net.", Type.A)))
        .isInstanceOf(WireParseException.class);
  }
}
