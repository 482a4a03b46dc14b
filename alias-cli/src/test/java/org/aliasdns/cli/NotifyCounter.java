package org.aliasdns.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A secondary that only takes NOTIFY (RFC 1996 §4.7): it acknowledges each one on a loopback UDP
 * port and keeps the zone and serial it announced, so a test counts the NOTIFYs per zone.
 */
final class NotifyCounter implements AutoCloseable {
  /** One NOTIFY received: the zone and the serial in its answer section. */
  record Notified(Name zone, long serial) {}

  private final DatagramSocket socket;
  private final Thread thread;
  final List<Notified> received = new CopyOnWriteArrayList<>();

  NotifyCounter() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::run, "notify-counter");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void run() {
    byte[] buffer = new byte[65535];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(p);
        Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        if (m.getHeader().getOpcode() != Opcode.NOTIFY) {
          continue;
        }
        long serial = -1;
        for (var r : m.getSection(Section.ANSWER)) {
          if (r instanceof SOARecord soa) {
            serial = soa.getSerial();
          }
        }
        received.add(new Notified(m.getQuestion().getName(), serial));
        Message ack = new Message(m.getHeader().getID());
        ack.getHeader().setOpcode(Opcode.NOTIFY);
        ack.getHeader().setFlag(Flags.QR);
        ack.getHeader().setFlag(Flags.AA);
        ack.getHeader().setRcode(Rcode.NOERROR);
        ack.addRecord(m.getQuestion(), Section.QUESTION);
        byte[] wire = ack.toWire();
        socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  /** The NOTIFYs received for a zone, waiting up to 10 s for at least {@code count}. */
  List<Notified> forZone(String zone, int count) throws InterruptedException {
    Name name = Name.fromConstantString(zone);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (true) {
      List<Notified> out = received.stream().filter(n -> n.zone().equals(name)).toList();
      if (out.size() >= count || Instant.now().isAfter(deadline)) {
        return out;
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
