package org.aliasdns.resolver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An Error on the upstream's receive thread (out of memory, found by a hostile upstream sending
 * huge answers to a server on a small heap) fails the queries in flight instead of leaving their
 * callers waiting for ever.
 */
class UdpUpstreamErrorTest {
  @Test
  void anErrorOnTheReceiveThreadFailsTheQueryInFlight() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      UdpUpstream upstream =
          new UdpUpstream(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      upstream.setTimeout(java.time.Duration.ofSeconds(30));
      // Stands in for an allocation that runs out of memory on the receive thread.
      upstream.onIgnored(
          (query, why) -> {
            throw new OutOfMemoryError("stand-in");
          });
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromConstantString("www.example.net."), Type.A, DClass.IN));
      CompletableFuture<Message> reply = upstream.sendAsync(query).toCompletableFuture();

      // A datagram with the wrong id: ignored, so the listener runs, and throws.
      byte[] buffer = new byte[512];
      DatagramPacket received = new DatagramPacket(buffer, buffer.length);
      server.receive(received);
      Message wrongId = new Message(java.util.Arrays.copyOf(buffer, received.getLength()));
      wrongId.getHeader().setID((wrongId.getHeader().getID() + 1) & 0xffff);
      wrongId.getHeader().setFlag(org.xbill.DNS.Flags.QR);
      byte[] wire = wrongId.toWire();
      server.send(new DatagramPacket(wire, wire.length, received.getSocketAddress()));

      // Long before the 30 s query timeout: the query has failed with the Error.
      try {
        reply.get(10, TimeUnit.SECONDS);
        throw new AssertionError("the query should have failed");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(OutOfMemoryError.class).hasMessage("stand-in");
      }
    }
  }
}
