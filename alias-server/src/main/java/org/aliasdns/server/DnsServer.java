package org.aliasdns.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.aliasdns.server.internal.PacketCache;
import org.aliasdns.server.internal.QueryPipeline;
import org.aliasdns.server.internal.ResponseRateLimiter;
import org.aliasdns.server.internal.ServerCounters;
import org.aliasdns.server.internal.TcpLimits;
import org.aliasdns.server.internal.TcpListener;
import org.aliasdns.server.internal.UdpListener;
import org.jspecify.annotations.Nullable;

/**
 * A DNS server: UDP and TCP listeners on one address and port, in front of a {@link DnsHandler}.
 * The server owns the wire rules; the handler decides the answers.
 *
 * <pre>{@code
 * try (DnsServer server = DnsServer.builder(handler)
 *     .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
 *     .build()
 *     .start()) {
 *   int port = server.port();
 *   ...
 * }
 * }</pre>
 *
 * <p>Wire rules: RFC 7766 TCP (2-byte length framing, several queries per connection answered as
 * they complete, an idle timeout, a cap on connections); EDNS(0) per RFC 6891 with {@link
 * Builder#udpPayloadSize} offered (1232 by default) and BADVERS for versions other than 0; TC set
 * on a UDP response that does not fit; FORMERR for malformed queries; NOTIMP for opcodes other than
 * QUERY and NOTIFY; packets with QR set, or too short for a header, are dropped.
 *
 * <p>Threads: {@link Builder#udpThreads} daemon threads named {@code alias-dns-udp-N} receive on
 * the one UDP socket, and one daemon thread named {@code alias-dns-tcp} accepts, reads and writes
 * every TCP connection without blocking. The handler runs on these threads; a reply deferred with
 * {@link DnsReply#later} is sent from the thread that completes it. A TCP connection may have 64
 * queries outstanding before the server stops reading it until replies drain; it is closed when its
 * unsent replies pass 1 MiB as another arrives (its peer does not read), after {@link
 * Builder#tcpIdleTimeout} without progress, on a length prefix of 0, and when its peer closes its
 * side and every outstanding query has been answered. {@link #stats()} counts what happened.
 *
 * <p>Memory is bounded in bytes: the packet cache by {@link Builder#packetCacheBytes}, unsent TCP
 * replies of all connections together by {@link Builder#maxTcpUnsentBytes} (plus one reply), TCP
 * read buffers by 64 KiB per connection of {@link Builder#maxTcpConnections}, and UDP by one 64
 * KiB buffer per thread. One client (an IPv4 address, or an IPv6 /64) holds at most {@link
 * Builder#maxTcpConnectionsPerClient} TCP connections; a connection over a limit makes room by
 * closing the idle connection that has gone longest without progress (RFC 7766 §6.2.3).
 *
 * <p>Reflection: with {@link Builder#responseRateLimit}, each client prefix gets at most so many
 * UDP responses per second, the rest dropped or slipped (sent truncated so that a real client
 * retries over TCP); see {@link ResponseRateLimit}. TCP is never limited.
 *
 * <p>Fatal errors: an {@link Error} (out of memory, say) on a server thread, or one that a
 * deferred reply fails with, is never survived half-way. The server closes itself, every listener
 * thread and socket, so clients see a closed port rather than silence, and then hands the error
 * to {@link Builder#onFatalError} (by default: logged at ERROR). An embedder that wants the
 * process to end, so that a supervisor restarts it, exits there; {@code aliasdns serve} does.
 *
 * @since 0.1
 */
public final class DnsServer implements AutoCloseable {
  /** How often to try another port when port 0 gave UDP a port that TCP cannot have. */
  private static final int BIND_ATTEMPTS = 10;

  /** How long {@link #close()} waits for each thread. */
  private static final long JOIN_MILLIS = 5_000;

  /**
   * The logger, made on first use: the JDK's logging would cost every server's start some 40
   * classes, and a test's first fake most of all, for messages that normally never come.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(DnsServer.class.getName());
  }

  private final InetSocketAddress listen;
  private final int udpThreads;
  private final TcpLimits tcpLimits;
  private final Consumer<? super Error> onFatalError;
  private final ServerCounters counters = new ServerCounters();
  private final @Nullable PacketCache cache;
  private final @Nullable ResponseRateLimiter rateLimiter;
  private final QueryPipeline pipeline;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final Object lock = new Object();
  private State state = State.NEW;
  private @Nullable InetSocketAddress bound;
  private @Nullable UdpListener udp;
  private @Nullable TcpListener tcp;

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private DnsServer(Builder settings) {
    this.listen = settings.listen;
    this.udpThreads = settings.udpThreads;
    this.tcpLimits =
        new TcpLimits(
            settings.tcpIdleTimeout,
            settings.maxTcpConnections,
            settings.maxTcpConnectionsPerClient,
            settings.maxTcpUnsentBytes);
    this.onFatalError = settings.onFatalError;
    this.cache = settings.packetCacheBytes == 0 ? null : new PacketCache(settings.packetCacheBytes);
    ResponseRateLimit rrl = settings.responseRateLimit;
    this.rateLimiter = rrl == null ? null : new ResponseRateLimiter(rrl);
    this.pipeline = new QueryPipeline(settings.handler, settings.udpPayloadSize, counters, cache);
  }

  /**
   * Starts building a server in front of a handler.
   *
   * @param handler decides the replies
   * @return a builder with the defaults: loopback port 0, 1232-byte payload, 10 s TCP idle
   *     timeout, 256 TCP connections of which 16 per client, 16 MiB of unsent TCP replies, 2 UDP
   *     threads, an 8 MiB packet cache, no response rate limit, fatal errors logged
   */
  public static Builder builder(DnsHandler handler) {
    return new Builder(handler);
  }

  /**
   * Answers one query given as bytes, exactly as the listeners would, without a socket. The
   * in-process path of the testkit uses this, so that in-process and network answers agree.
   *
   * @param query the query bytes, without a TCP length prefix
   * @param client the address to report as the query's source
   * @param transport the transport to act as if the query came on
   * @return the reply messages' bytes: none when the query is dropped, at most one for UDP;
   *     completes exceptionally only with an {@link Error} (see {@link Builder#onFatalError}:
   *     on this path the caller gets it, the server is not closed)
   * @throws Error thrown by the handler on the calling thread
   */
  public CompletionStage<List<byte[]>> exchange(
      byte[] query, InetSocketAddress client, Transport transport) {
    return pipeline.process(query, client, transport);
  }

  /**
   * Binds the UDP and TCP listeners and starts serving. With port 0, UDP is bound first to a free
   * port and TCP then to the same port, trying a fresh port a few times if TCP's is taken.
   *
   * @return this server
   * @throws IOException if the address cannot be bound
   * @throws IllegalStateException if the server was already started or closed
   */
  public DnsServer start() throws IOException {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException(
            "the server was already " + state.name().toLowerCase(Locale.ROOT));
      }
      Channels channels = bind();
      DatagramChannel udpChannel = channels.udp();
      ServerSocketChannel tcpChannel = channels.tcp();
      InetSocketAddress local = (InetSocketAddress) udpChannel.getLocalAddress();
      // Classes, not method references, here and for the listeners' threads: the first server
      // of a JVM (a test's fake) starts on the way to its first answer, where each lambda's
      // first use spins a class (issue 14's cold start).
      Consumer<Error> onFatal = new FatalSink();
      TcpListener tcpListener;
      try {
        tcpListener = new TcpListener(tcpChannel, pipeline, counters, tcpLimits, onFatal);
      } catch (IOException | RuntimeException e) {
        closeQuietly(udpChannel, tcpChannel);
        throw e;
      }
      UdpListener udpListener =
          new UdpListener(udpChannel, pipeline, counters, onFatal, rateLimiter);
      bound = local;
      udp = udpListener;
      tcp = tcpListener;
      state = State.STARTED;
      udpListener.start(udpThreads);
      tcpListener.start();
      return this;
    }
  }

  private record Channels(DatagramChannel udp, ServerSocketChannel tcp) {}

  /** Hands a listener's fatal error to {@link #fatal}. */
  private final class FatalSink implements Consumer<Error> {
    @Override
    public void accept(Error error) {
      fatal(error);
    }
  }

  /** The default {@link Builder#onFatalError}: {@link #logFatal}. */
  private enum LogFatal implements Consumer<Error> {
    INSTANCE;

    @Override
    public void accept(Error error) {
      logFatal(error);
    }
  }

  private Channels bind() throws IOException {
    int attempts = listen.getPort() == 0 ? BIND_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      DatagramChannel u = DatagramChannel.open(family(listen));
      ServerSocketChannel t = null;
      InetSocketAddress at = listen;
      String over = "UDP";
      try {
        u.bind(listen);
        int port = ((InetSocketAddress) u.getLocalAddress()).getPort();
        at = new InetSocketAddress(listen.getAddress(), port);
        over = "TCP";
        t = ServerSocketChannel.open();
        t.bind(at, 128);
        return new Channels(u, t);
      } catch (BindException taken) {
        closeQuietly(u, t);
        if (attempt >= attempts) {
          throw named(taken, at, over);
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(u, t);
        throw e;
      }
    }
  }

  /**
   * The bind failure with the address and the transport in its message ({@code 127.0.0.1:53
   * (DNS over TCP): Address already in use}), so that a process with several listeners says
   * which one failed.
   */
  private static BindException named(BindException e, InetSocketAddress at, String over) {
    String host = at.getAddress().getHostAddress();
    String text = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + at.getPort();
    BindException named =
        new BindException(text + " (DNS over " + over + "): " + e.getMessage());
    named.initCause(e);
    return named;
  }

  private static ProtocolFamily family(InetSocketAddress address) {
    return address.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  private static void closeQuietly(java.nio.channels.@Nullable Channel... channels) {
    for (java.nio.channels.Channel c : channels) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // nothing more to do with a channel we are giving up
        }
      }
    }
  }

  /**
   * Returns the port both listeners are bound to; with port 0 requested, the one chosen.
   *
   * @return the port
   * @throws IllegalStateException if the server was never started
   */
  public int port() {
    return address().getPort();
  }

  /**
   * Returns the address and port the listeners are bound to.
   *
   * @return the bound socket address; after {@link #close()}, the one it was bound to
   * @throws IllegalStateException if the server was never started
   */
  public InetSocketAddress address() {
    synchronized (lock) {
      InetSocketAddress a = bound;
      if (a == null) {
        throw new IllegalStateException("the server is not started");
      }
      return a;
    }
  }

  /**
   * Returns the server's counters as they are now.
   *
   * @return a snapshot; never null, also before {@link #start()} and after {@link #close()}
   */
  public ServerStats stats() {
    PacketCache c = cache;
    return counters.snapshot(c == null ? 0 : c.weightedBytes());
  }

  /**
   * Ends the server after an {@link Error} on one of its threads: closes it, then tells the
   * hook, once. Runs on the thread that met the error.
   */
  private void fatal(Error error) {
    if (!failed.compareAndSet(false, true)) {
      return;
    }
    try {
      close();
    } catch (RuntimeException | Error whileClosing) {
      error.addSuppressed(whileClosing);
    } finally {
      try {
        onFatalError.accept(error);
      } catch (RuntimeException | Error inHook) {
        Log.LOG.log(Level.ERROR, "the fatal-error hook failed", inHook);
      }
    }
  }

  private static void logFatal(Error error) {
    Log.LOG.log(
        Level.ERROR,
        "DNS server stopped after a fatal error on " + Thread.currentThread().getName(),
        error);
  }

  /**
   * Stops the listeners, closes every connection and waits for the server's threads to end.
   * Idempotent; replies still being prepared are not sent.
   */
  @Override
  public void close() {
    UdpListener u;
    TcpListener t;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      u = udp;
      t = tcp;
      udp = null;
      tcp = null;
    }
    if (u != null) {
      u.close(JOIN_MILLIS);
    }
    if (t != null) {
      t.close(JOIN_MILLIS);
    }
  }

  /**
   * Settings of a {@link DnsServer}. Each may be set at most once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final DnsHandler handler;
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private int udpPayloadSize = 1232;
    private Duration tcpIdleTimeout = Duration.ofSeconds(10);
    private int maxTcpConnections = 256;
    private int maxTcpConnectionsPerClient = 16;
    private long maxTcpUnsentBytes = 16L << 20;
    private int udpThreads = 2;
    private long packetCacheBytes = 8L << 20;
    private @Nullable ResponseRateLimit responseRateLimit;
    private Consumer<? super Error> onFatalError = LogFatal.INSTANCE;
    private @Nullable String set;

    private Builder(DnsHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    private void once(String setting) {
      String already = set == null ? "" : set;
      if (already.contains("[" + setting + "]")) {
        throw new IllegalStateException(setting + " was already set");
      }
      set = already + "[" + setting + "]";
    }

    /**
     * Sets the address and port to listen on; port 0 picks a free port.
     *
     * @param address the socket address
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder listen(InetSocketAddress address) {
      once("listen");
      this.listen = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the EDNS(0) UDP payload size this server offers (RFC 6891 §6.2.5). The default, 1232,
     * avoids IP fragmentation (DNS Flag Day 2020).
     *
     * @param bytes 512 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder udpPayloadSize(int bytes) {
      once("udpPayloadSize");
      if (bytes < 512 || bytes > 65535) {
        throw new IllegalArgumentException("udpPayloadSize must be 512..65535, was " + bytes);
      }
      this.udpPayloadSize = bytes;
      return this;
    }

    /**
     * Sets how long a TCP connection may stay idle before the server closes it (RFC 7766 §6.2.3).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder tcpIdleTimeout(Duration timeout) {
      once("tcpIdleTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("tcpIdleTimeout must be positive, was " + timeout);
      }
      this.tcpIdleTimeout = timeout;
      return this;
    }

    /**
     * Sets the most TCP connections open at once. A connection beyond it makes room by closing
     * the idle connection (no query outstanding, no reply unsent) that has gone longest without
     * progress (RFC 7766 §6.2.3), or is closed on accept when none is idle. The default is 256.
     * Each connection may hold a read buffer of up to 64 KiB.
     *
     * @param connections at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if already set
     */
    public Builder maxTcpConnections(int connections) {
      once("maxTcpConnections");
      if (connections < 1) {
        throw new IllegalArgumentException(
            "maxTcpConnections must be at least 1, was " + connections);
      }
      this.maxTcpConnections = connections;
      return this;
    }

    /**
     * Sets the most TCP connections one client may hold open at once, so that one client cannot
     * take every slot. A client is an IPv4 address, or an IPv6 /64. A connection beyond it makes
     * room by closing that client's idle connection that has gone longest without progress, or is
     * closed on accept when none of the client's is idle. The default is 16 (RFC 7766 §6.2.2 asks
     * clients for one connection per server, or a few).
     *
     * @param connections at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if already set
     */
    public Builder maxTcpConnectionsPerClient(int connections) {
      once("maxTcpConnectionsPerClient");
      if (connections < 1) {
        throw new IllegalArgumentException(
            "maxTcpConnectionsPerClient must be at least 1, was " + connections);
      }
      this.maxTcpConnectionsPerClient = connections;
      return this;
    }

    /**
     * Sets how many reply bytes all TCP connections together may hold unsent, written to peers
     * that read slowly or not at all. When a reply arrives while they hold more, the connections
     * holding the most are closed until the total is under the bound, so memory stays within it
     * plus one reply. Each connection is also closed on its own when it holds more than 1 MiB as
     * another reply arrives. The default is 16 MiB.
     *
     * @param bytes at least 65,537 (one framed message of the largest size)
     * @return this builder
     * @throws IllegalArgumentException if smaller
     * @throws IllegalStateException if already set
     */
    public Builder maxTcpUnsentBytes(long bytes) {
      once("maxTcpUnsentBytes");
      if (bytes < 65_537) {
        throw new IllegalArgumentException(
            "maxTcpUnsentBytes must be at least 65537, was " + bytes);
      }
      this.maxTcpUnsentBytes = bytes;
      return this;
    }

    /**
     * Sets how many threads receive and answer UDP queries.
     *
     * @param threads at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if already set
     */
    public Builder udpThreads(int threads) {
      once("udpThreads");
      if (threads < 1) {
        throw new IllegalArgumentException("udpThreads must be at least 1, was " + threads);
      }
      this.udpThreads = threads;
      return this;
    }

    /**
     * Sets how many bytes the packet cache may hold: the query and reply bytes of its entries plus
     * a fixed cost per entry for the objects around them; 0 turns it off. Only replies of a
     * handler that opts in through {@link DnsHandler#generation()} are cached, only while that
     * generation lasts (or, for a reply made with {@link DnsReply#of(org.xbill.DNS.Message,
     * long)}, the span of generations it names), and only for UDP queries of at most 512 bytes that are exactly one
     * question and an optional OPT. When full, it evicts by frequency and recency, so a flood of
     * one-off questions does not push out the popular ones. The default is 8 MiB.
     *
     * @param bytes 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder packetCacheBytes(long bytes) {
      once("packetCacheBytes");
      if (bytes < 0) {
        throw new IllegalArgumentException("packetCacheBytes must be 0 or more, was " + bytes);
      }
      this.packetCacheBytes = bytes;
      return this;
    }

    /**
     * Limits the UDP responses each client prefix gets per second (response rate limiting, see
     * {@link ResponseRateLimit}), so that the server is no use as an amplifier for forged
     * queries. Over the limit a response is dropped, or every {@link ResponseRateLimit#slip()}-th
     * one sent truncated so that a real client retries over TCP; {@link DnsServer#stats()}
     * counts both.
     * TCP and {@link DnsServer#exchange} are never limited. Off by default.
     *
     * @param limit the limit, e.g. {@link ResponseRateLimit#defaults()}
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder responseRateLimit(ResponseRateLimit limit) {
      once("responseRateLimit");
      this.responseRateLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /**
     * Sets what happens after an {@link Error} (out of memory, a stack overflow, ...) is thrown on
     * one of the server's threads or by a handler there, or a deferred reply fails with one. Such a
     * server is never left half-alive: before the hook is called it has closed itself, every
     * listener thread has ended or is ending and both sockets are closed, so {@link #stats()}
     * shows no listener thread and clients find the port closed. The hook runs once, on the thread
     * that met the error; it may end the process (a supervisor then restarts it) or build and
     * start a new server. The default logs the error at ERROR through {@link System.Logger}.
     *
     * @param hook told of the error
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder onFatalError(Consumer<? super Error> hook) {
      once("onFatalError");
      this.onFatalError = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Builds the server, not yet listening.
     *
     * @return the server
     */
    public DnsServer build() {
      return new DnsServer(this);
    }
  }
}
