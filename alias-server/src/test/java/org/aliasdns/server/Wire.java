package org.aliasdns.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Test helpers that speak DNS to servers on 127.0.0.1 with plain sockets, byte for byte. */
final class Wire {
  static final InetAddress LOOPBACK = loopback();
  static final InetSocketAddress CLIENT = new InetSocketAddress(LOOPBACK, 5300);

  private Wire() {}

  private static InetAddress loopback() {
    try {
      return Address.getByAddress("127.0.0.1");
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static InetSocketAddress any() {
    return new InetSocketAddress(LOOPBACK, 0);
  }

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A query without RD, as an authoritative server gets it. */
  static Message query(String name, int type) {
    Message q = Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    q.getHeader().unsetFlag(Flags.RD);
    return q;
  }

  /** Sends one datagram and waits up to 2 s for one back. */
  static Optional<byte[]> udp(int port, byte[] query) throws IOException {
    return udp(port, query, 2000);
  }

  /** Sends one datagram and waits up to the given time for one back. */
  static Optional<byte[]> udp(int port, byte[] query, int waitMillis) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      socket.setSoTimeout(waitMillis);
      socket.send(new DatagramPacket(query, query.length, LOOPBACK, port));
      byte[] buf = new byte[65535];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (SocketTimeoutException timeout) {
        return Optional.empty();
      }
      byte[] out = new byte[in.getLength()];
      System.arraycopy(buf, 0, out, 0, out.length);
      return Optional.of(out);
    }
  }

  static Message udpMessage(int port, Message query) throws IOException {
    return new Message(udp(port, query.toWire()).orElseThrow(() -> new IOException("no reply")));
  }

  static Socket tcp(int port) throws IOException {
    Socket s = new Socket(LOOPBACK, port);
    s.setSoTimeout(3000);
    s.setTcpNoDelay(true);
    return s;
  }

  static void writeFrame(Socket s, byte[] message) throws IOException {
    // One write, so that Nagle's algorithm does not hold the message back behind the prefix.
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    s.getOutputStream().write(framed);
  }

  /**
   * Writes several queries, each framed, in one write: they all reach the kernel before the
   * server can answer (or close the connection), so a server that closes early cannot make a
   * later write fail.
   */
  static void writeFrames(Socket s, List<byte[]> messages) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] m : messages) {
      all.write(m.length >> 8);
      all.write(m.length);
      all.write(m, 0, m.length);
    }
    s.getOutputStream().write(all.toByteArray());
  }

  /** Reads one framed message; empty at a clean end of stream. */
  static Optional<byte[]> readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int length;
    try {
      length = in.readUnsignedShort();
    } catch (EOFException end) {
      return Optional.empty();
    }
    byte[] m = new byte[length];
    in.readFully(m);
    return Optional.of(m);
  }

  static Message tcpMessage(int port, Message query) throws IOException {
    try (Socket s = tcp(port)) {
      writeFrame(s, query.toWire());
      return new Message(readFrame(s).orElseThrow(() -> new IOException("connection closed")));
    }
  }

  /** True when the server closed the connection (end of stream or reset) within the timeout. */
  static boolean closedByPeer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
