package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.aliasdns.core.Zone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class NotifierTest {
  private final Notifier notifier =
      Notifier.builder().timeout(Duration.ofMillis(150)).retries(2).build();
  private final List<Receiver> receivers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    receivers.forEach(Receiver::close);
  }

  private Receiver receiver(BiFunction<Message, Integer, List<Message>> answer)
      throws SocketException {
    Receiver r = new Receiver(answer);
    receivers.add(r);
    return r;
  }

  /** A secondary on 127.0.0.1 that records each NOTIFY and answers as the test says. */
  static final class Receiver implements AutoCloseable {
    final DatagramSocket socket;
    final List<Message> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /**
     * @param answer given the NOTIFY and its number (from 1), the replies to send
     */
    Receiver(BiFunction<Message, Integer, List<Message>> answer) throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(Wire.LOOPBACK, 0));
      thread =
          new Thread(
              () -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                  try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                    received.add(m);
                    for (Message reply : answer.apply(m, received.size())) {
                      byte[] out = reply.toWire();
                      socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    }
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "test-notify-receiver");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress(Wire.LOOPBACK, socket.getLocalPort());
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  static Message ack(Message notify, int rcode) {
    Message reply = new Message(notify.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.getHeader().setOpcode(Opcode.NOTIFY);
    reply.getHeader().setRcode(rcode);
    reply.addRecord(notify.getQuestion(), Section.QUESTION);
    return reply;
  }

  private NotifyResult notifyExample(Receiver r) throws Exception {
    return notifier.notify(Zones.example(), r.address()).toCompletableFuture().get();
  }

  @Test
  void theNotifyCarriesTheQuestionAndTheNewSoaAndIsAcknowledged() throws Exception {
    Receiver receiver = receiver((m, n) -> List.of(ack(m, Rcode.NOERROR)));
    NotifyResult result = notifyExample(receiver);

    assertThat(result.acknowledged()).isTrue();
    assertThat(result.status()).isEqualTo(NotifyResult.Status.ACKNOWLEDGED);
    assertThat(result.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.secondary()).isEqualTo(receiver.address());
    Message sent = receiver.received.get(0);
    assertThat(sent.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    assertThat(sent.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(sent.getHeader().getFlag(Flags.QR)).isFalse();
    assertThat(sent.getQuestion().getName()).isEqualTo(Zones.ORIGIN);
    assertThat(sent.getQuestion().getType()).isEqualTo(Type.SOA);
    assertThat(sent.getQuestion().getDClass()).isEqualTo(DClass.IN);
    SOARecord soa = (SOARecord) sent.getSection(Section.ANSWER).get(0);
    assertThat(soa.getSerial()).isEqualTo(1);
  }

  @Test
  void withoutAReplyItRetriesThenTimesOut() throws Exception {
    Receiver receiver = receiver((m, n) -> List.of());
    NotifyResult result = notifyExample(receiver);
    assertThat(result.status()).isEqualTo(NotifyResult.Status.TIMED_OUT);
    assertThat(result.rcode()).isEqualTo(-1);
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(receiver.received).hasSize(3);
    // every attempt is the same NOTIFY
    assertThat(receiver.received)
        .extracting(m -> m.getHeader().getID())
        .containsOnly(receiver.received.get(0).getHeader().getID());
  }

  @Test
  void aReplyToALaterAttemptCounts() throws Exception {
    Receiver receiver = receiver((m, n) -> n < 2 ? List.of() : List.of(ack(m, Rcode.NOERROR)));
    NotifyResult result = notifyExample(receiver);
    assertThat(result.acknowledged()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void repliesThatDoNotMatchAreIgnored() throws Exception {
    Receiver receiver =
        receiver(
            (m, n) -> {
              Message wrongId = ack(m, Rcode.NOERROR);
              wrongId.getHeader().setID((m.getHeader().getID() + 1) & 0xFFFF);
              Message notAResponse = ack(m, Rcode.NOERROR);
              notAResponse.getHeader().unsetFlag(Flags.QR);
              Message wrongOpcode = ack(m, Rcode.NOERROR);
              wrongOpcode.getHeader().setOpcode(Opcode.QUERY);
              return n == 1
                  ? List.of(wrongId, notAResponse, wrongOpcode)
                  : List.of(ack(m, Rcode.NOERROR));
            });
    NotifyResult result = notifyExample(receiver);
    assertThat(result.acknowledged()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
  }

  @Test
  void anErrorReplyIsARejectionAndIsNotRetried() throws Exception {
    Receiver receiver = receiver((m, n) -> List.of(ack(m, Rcode.NOTAUTH)));
    NotifyResult result = notifyExample(receiver);
    assertThat(result.status()).isEqualTo(NotifyResult.Status.REJECTED);
    assertThat(result.rcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(result.attempts()).isEqualTo(1);
  }

  @Test
  void ourOwnServerAsAPrimaryAnswersNotifyWithNotimp() throws Exception {
    ZoneHandler handler = ZoneHandler.builder().build();
    handler.serve(Zones.example());
    try (DnsServer server = DnsServer.builder(handler).build().start()) {
      NotifyResult result =
          notifier.notify(Zones.example(), server.address()).toCompletableFuture().get();
      assertThat(result.status()).isEqualTo(NotifyResult.Status.REJECTED);
      assertThat(result.rcode()).isEqualTo(Rcode.NOTIMP);
    }
  }

  @Test
  void anErrorWhileSendingIsAFailureAndGoesToTheFatalErrorHook() throws Exception {
    List<Error> fatal = new CopyOnWriteArrayList<>();
    Notifier reporting =
        Notifier.builder().timeout(Duration.ofMillis(150)).onFatalError(fatal::add).build();
    SOARecord real = Zones.example().soa().orElseThrow();
    // An SOA that runs out of memory as the NOTIFY is encoded, on the NOTIFY's own thread.
    SOARecord failing =
        new SOARecord(
            real.getName(),
            DClass.IN,
            real.getTTL(),
            real.getHost(),
            real.getAdmin(),
            real.getSerial(),
            real.getRefresh(),
            real.getRetry(),
            real.getExpire(),
            real.getMinimum()) {
          @Override
          protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
            throw new OutOfMemoryError("injected by the test");
          }
        };
    Receiver receiver = receiver((m, n) -> List.of(ack(m, Rcode.NOERROR)));

    NotifyResult result =
        reporting.notify(Zones.ORIGIN, failing, receiver.address()).toCompletableFuture().get();

    assertThat(result.status()).isEqualTo(NotifyResult.Status.FAILED);
    assertThat(fatal).singleElement().isInstanceOf(OutOfMemoryError.class);
    assertThat(receiver.received).isEmpty();
  }

  @Test
  void aZoneWithoutSoaCannotBeNotified() {
    Zone noSoa = Zone.builder(Wire.name("nosoa.example.")).build();
    assertThatThrownBy(() -> notifier.notify(noSoa, new InetSocketAddress(Wire.LOOPBACK, 53)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderSettingsMayBeSetOnceAndAreChecked() {
    Notifier.Builder builder = Notifier.builder().retries(0);
    assertThatThrownBy(() -> builder.retries(1)).hasMessageContaining("retries");
    assertThatThrownBy(() -> Notifier.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
