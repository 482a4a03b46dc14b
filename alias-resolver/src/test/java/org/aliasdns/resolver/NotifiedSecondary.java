package org.aliasdns.resolver;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A stand-in secondary on a UDP socket on 127.0.0.1: it acknowledges every NOTIFY (RFC 1996
 * §3.7) and keeps the serial each one announced, so a test counts NOTIFYs.
 */
final class NotifiedSecondary implements AutoCloseable {
  private final DatagramSocket socket;
  private final BlockingQueue<Long> serials = new LinkedBlockingQueue<>();
  private final List<Long> all = new ArrayList<>();

  NotifiedSecondary() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread thread = new Thread(this::receive, "test-secondary");
    thread.setDaemon(true);
    thread.start();
  }

  private void receive() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message notify = new Message(Arrays.copyOf(buf, p.getLength()));
        if (notify.getHeader().getOpcode() != Opcode.NOTIFY) {
          continue;
        }
        Message ack = new Message(notify.getHeader().getID());
        ack.getHeader().setFlag(Flags.QR);
        ack.getHeader().setFlag(Flags.AA);
        ack.getHeader().setOpcode(Opcode.NOTIFY);
        ack.getHeader().setRcode(Rcode.NOERROR);
        ack.addRecord(notify.getQuestion(), Section.QUESTION);
        byte[] out = ack.toWire();
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        serials.add(((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial());
      } catch (IOException closed) {
        return;
      }
    }
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
  }

  /**
   * Waits for the next NOTIFY (up to ten seconds: it is sent from another thread) and returns
   * the serial it announced.
   */
  long nextSerial() throws InterruptedException {
    Long serial = serials.poll(10, TimeUnit.SECONDS);
    if (serial == null) {
      throw new AssertionError("no NOTIFY arrived; so far: " + all);
    }
    all.add(serial);
    return serial;
  }

  /** Tells whether another NOTIFY arrives within a short while. */
  boolean quiet() throws InterruptedException {
    Long extra = serials.poll(300, TimeUnit.MILLISECONDS);
    if (extra != null) {
      all.add(extra);
    }
    return extra == null;
  }

  @Override
  public void close() {
    socket.close();
  }
}
