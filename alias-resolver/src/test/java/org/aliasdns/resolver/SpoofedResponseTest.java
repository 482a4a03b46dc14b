package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * RFC 5452 §9.1: a datagram whose id or question does not match the query is not the response;
 * an upstream given by address ignores it and goes on waiting for the real one, so one spoofed
 * datagram cannot abort a lookup.
 */
class SpoofedResponseTest {
  private static final Name TARGET = Name.fromConstantString("www.example.net.");

  @Test
  void spoofedDatagramsBeforeTheRealResponseAreIgnoredAndCounted() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread upstream =
          new Thread(
              () -> {
                try {
                  DatagramPacket in = new DatagramPacket(new byte[512], 512);
                  server.receive(in);
                  Message query = new Message(Arrays.copyOf(in.getData(), in.getLength()));
                  Message real = answer(query, TARGET, "192.0.2.10");
                  Message wrongId = answer(query, TARGET, "198.51.100.66");
                  wrongId.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
                  Message wrongQuestion =
                      answer(query, Name.fromConstantString("bank.example.com."), "198.51.100.66");
                  for (Message m : List.of(wrongId, wrongQuestion, real)) {
                    byte[] b = m.toWire();
                    server.send(new DatagramPacket(b, b.length, in.getSocketAddress()));
                  }
                } catch (IOException e) {
                  heard.add(e.toString());
                }
              });
      upstream.start();
      AliasResolver resolver =
          AliasResolver.builder()
              .upstream((InetSocketAddress) server.getLocalSocketAddress())
              .queryTimeout(Duration.ofSeconds(5))
              .listener(
                  new ResolverListener() {
                    @Override
                    public void responseIgnored(Name name, int type, String reason) {
                      heard.add(name + " " + Type.string(type) + ": " + reason);
                    }
                  })
              .build();

      Lookup lookup =
          resolver.resolve(TARGET, Type.A).toCompletableFuture().get(10, TimeUnit.SECONDS);
      upstream.join(5_000);

      assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(Objects.requireNonNull(lookup.answer()).addresses())
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.10");
      assertThat(resolver.stats().ignoredResponses()).isEqualTo(2);
      assertThat(heard)
          .hasSize(2)
          .anySatisfy(h -> assertThat(h).startsWith("www.example.net. A: id "))
          .anySatisfy(h -> assertThat(h).contains("another question: bank.example.com."));
    }
  }

  @Test
  void onlyMismatchedDatagramsEndInATimeoutThatSaysSo() throws Exception {
    try (FakeDns fake =
        FakeDns.recursive().record("www.example.net. 60 A 192.0.2.10").build().start()) {
      fake.inject(Fault.wrongId().everywhere());
      AliasResolver resolver =
          AliasResolver.builder()
              .upstream(fake.address())
              .queryTimeout(Duration.ofMillis(300))
              .build();

      Lookup lookup =
          resolver.resolve(TARGET, Type.A).toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
      // Not "invalid message id" at once: the query waited its whole timeout for the real one.
      assertThat(((Resolution.Failure) lookup.resolution()).reason()).contains("timeout");
      assertThat(resolver.stats().ignoredResponses()).isEqualTo(1);
      assertThat(resolver.cacheEntries()).isZero();
    }
  }

  private static Message answer(Message query, Name owner, String address) throws IOException {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    m.addRecord(Record.newRecord(owner, Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new ARecord(owner, DClass.IN, 60, InetAddress.getByName(address)), Section.ANSWER);
    return m;
  }
}
