package org.aliasdns.benchmarks;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.InetAddressRoute;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The testkit's costs as a user's test suite feels them: how long from building a fake upstream
 * to its first answer on a real loopback port (run single-shot in fresh forks for the first fake
 * of a JVM), how long one query takes through the in-process resolver, side by side with the same
 * query through dnsjava's {@code SimpleResolver} over loopback UDP to the same fake, and what one
 * {@code InetAddress} look-up routed to a fake costs beside the JDK's own resolver answering
 * {@code localhost} from {@code /etc/hosts}. Targets (issues 4 and 14): start to first answer
 * under 20 ms median, and under 20 ms for the first fake of a fresh JVM; in-process round trip
 * under 20 µs.
 */
public class FakeDnsBenchmark {
  /** A world like a user's test builds: a CDN-style chain across two zones. */
  static final String CUSTOMER =
      """
      $ORIGIN example.net.
      @ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300
      @ 3600 NS ns1
      ns1 3600 A 192.0.2.53
      www 300 CNAME edge.cdn.example.org.
      """;

  static final String CDN =
      """
      $ORIGIN cdn.example.org.
      @ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300
      @ 3600 NS ns1
      ns1 3600 A 192.0.2.54
      edge 60 A 192.0.2.10
      edge 60 A 192.0.2.11
      """;

  static FakeDns world() {
    return FakeDns.recursive().zone(CUSTOMER).zone(CDN).build();
  }

  static byte[] queryBytes() throws IOException {
    return Message.newQuery(
            Record.newRecord(Name.fromString("www.example.net."), Type.A, DClass.IN))
        .toWire();
  }

  /**
   * Build, start on 127.0.0.1:0, and get the first answer over UDP; what was started (the fake,
   * or {@link #jdkEchoToFirstAnswer}'s channels) is closed after each invocation.
   */
  @State(Scope.Thread)
  public static class Start {
    @Nullable FakeDns fake;
    @Nullable DatagramChannel udp;
    @Nullable ServerSocketChannel tcp;
    byte[] query = new byte[0];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      query = queryBytes();
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
      FakeDns f = fake;
      DatagramChannel u = udp;
      ServerSocketChannel t = tcp;
      if (f != null) {
        f.close();
      }
      if (u != null) {
        u.close();
      }
      if (t != null) {
        t.close();
      }
      fake = null;
      udp = null;
      tcp = null;
    }
  }

  /**
   * From nothing to the first answer: build the fake from zone text, start its listeners, send
   * one UDP query from a fresh socket and receive the answer.
   *
   * @param s the state holding the fake to close afterwards
   * @return the answer's length
   * @throws IOException if the port cannot be bound or no answer comes
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public int startToFirstAnswer(Start s) throws IOException {
    FakeDns fake = world().start();
    s.fake = fake;
    return exchange(s.query, fake.address());
  }

  /**
   * Sends one query from a fresh UDP socket on the loopback address and waits for the reply.
   *
   * @param query the query's wire bytes
   * @param server where to send it
   * @return the reply's length in bytes
   * @throws IOException if no reply comes within 2 seconds
   */
  static int exchange(byte[] query, SocketAddress server) throws IOException {
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(2000);
      socket.send(new DatagramPacket(query, query.length, server));
      DatagramPacket in = new DatagramPacket(new byte[1232], 1232);
      socket.receive(in);
      return in.getLength();
    }
  }

  /**
   * The JDK's own share of {@link #startToFirstAnswer}, for comparison in the same run: a UDP
   * channel and a TCP server channel bound to 127.0.0.1:0 (as a fake binds both), a listener
   * thread that sends each datagram back with the QR bit set and nothing else (no DNS parsing,
   * no zone, no answer), and the same client exchange. Run single-shot in fresh forks it is the
   * floor for the first listener of a JVM: the JDK's channel and selector-provider start-up,
   * a thread, two sockets.
   *
   * @param s the state holding the channels to close afterwards
   * @return the echoed reply's length
   * @throws IOException if the port cannot be bound or no reply comes
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public int jdkEchoToFirstAnswer(Start s) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    DatagramChannel udp = DatagramChannel.open();
    s.udp = udp;
    udp.bind(any);
    ServerSocketChannel tcp = ServerSocketChannel.open();
    s.tcp = tcp;
    tcp.bind(any);
    Thread listener = new Thread(new EchoListener(udp), "jdk-echo");
    listener.setDaemon(true);
    listener.start();
    return exchange(s.query, udp.getLocalAddress());
  }

  /** Sends every datagram back as a response (QR set) until its channel is closed. */
  static final class EchoListener implements Runnable {
    private final DatagramChannel channel;

    EchoListener(DatagramChannel channel) {
      this.channel = channel;
    }

    @Override
    public void run() {
      ByteBuffer buffer = ByteBuffer.allocate(1232);
      try {
        while (true) {
          buffer.clear();
          SocketAddress from = channel.receive(buffer);
          buffer.flip();
          if (buffer.remaining() > 2) {
            buffer.put(2, (byte) (buffer.get(2) | 0x80)); // QR (RFC 1035 §4.1.1)
          }
          channel.send(buffer, from);
        }
      } catch (IOException closed) {
        // the invocation's teardown closed the channel
      }
    }
  }

  /** One started fake, queried in-process and over loopback. */
  @State(Scope.Benchmark)
  public static class Running {
    FakeDns fake = world();
    Resolver inProcess = fake.resolver();
    @Nullable SimpleResolver network;
    Message query = new Message();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      fake.start();
      SimpleResolver r = new SimpleResolver(fake.address());
      r.setTimeout(java.time.Duration.ofSeconds(2));
      network = r;
      query = Message.newQuery(
          Record.newRecord(Name.fromString("www.example.net."), Type.A, DClass.IN));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      fake.close();
    }

    /** Keeps the journal from growing without bound over millions of queries. */
    @TearDown(Level.Iteration)
    public void forget() {
      fake.reset();
    }
  }

  /**
   * One query and answer through the in-process resolver: encode, the server's wire pipeline,
   * the fake's answer, decode.
   *
   * @param r the running fake
   * @return the answer
   * @throws IOException never in practice
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public Message inProcessRoundTrip(Running r) throws IOException {
    return r.inProcess.send(r.query);
  }

  /**
   * The same query through dnsjava's {@code SimpleResolver} over loopback UDP to the same fake:
   * what the in-process path saves.
   *
   * @param r the running fake
   * @return the answer
   * @throws IOException if the answer does not come in time
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public Message loopbackRoundTrip(Running r) throws IOException {
    SimpleResolver n = r.network;
    if (n == null) {
      throw new IllegalStateException("not set up");
    }
    return n.send(r.query);
  }

  /** Fails the trial where the JVM's look-ups cannot go to a fake (JDK 17, another provider). */
  static void requireRouting() {
    Optional<String> why = InetAddressRoute.unsupportedReason();
    if (why.isPresent()) {
      throw new IllegalStateException("InetAddress look-ups cannot be routed here: " + why.get());
    }
  }

  /** A fake that answers the JVM's own look-ups. */
  @State(Scope.Benchmark)
  public static class Routed {
    FakeDns fake = world();
    @Nullable InetAddressRoute route;

    @Setup(Level.Trial)
    public void setUp() {
      requireRouting();
      route = fake.routeInetAddress();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      fake.close(); // closes the route too
    }

    /** Keeps the journal from growing without bound. */
    @TearDown(Level.Iteration)
    public void forget() {
      fake.reset();
    }
  }

  /** The JDK's own resolver, with the testkit's provider loaded but no route open. */
  @State(Scope.Benchmark)
  public static class Unrouted {
    @Setup(Level.Trial)
    public void setUp() {
      requireRouting(); // the provider is loaded, so the JDK's address cache is off here too
    }
  }

  /**
   * One {@code InetAddress.getAllByName} answered by a fake: the JDK's look-up machinery, the
   * testkit's provider, and an A and an AAAA query through the fake's in-process pipeline (the
   * JDK's address cache is off, so every call asks).
   *
   * @param r the routed fake
   * @return the addresses
   * @throws UnknownHostException never in practice
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public InetAddress[] inetAddressFromTheFake(Routed r) throws UnknownHostException {
    return InetAddress.getAllByName("www.example.net");
  }

  /**
   * The same call for {@code localhost}, answered by the JDK's built-in resolver from {@code
   * /etc/hosts} (through the system's {@code getaddrinfo}), its address cache off as above.
   *
   * @param u the unrouted state
   * @return the addresses
   * @throws UnknownHostException if the system cannot resolve localhost
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public InetAddress[] inetAddressFromEtcHosts(Unrouted u) throws UnknownHostException {
    return InetAddress.getAllByName("localhost");
  }
}
