package org.aliasdns.server.internal;

import org.aliasdns.core.AddressText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Serves DNS over TCP (RFC 7766) with one selector thread that accepts, reads and writes, all
 * non-blocking. Every connection's state belongs to that thread: a reply that completes on another
 * thread is queued here and the selector woken to write it.
 *
 * <p>Per connection: 2-byte length framing (RFC 1035 §4.2.2); several queries in a row, each
 * answered as soon as its reply is ready, so replies may come out of order (RFC 7766 §6.2.1.1); the
 * messages of one reply (a zone transfer) in order. Bounds: at most {@link #MAX_OUTSTANDING}
 * queries outstanding (read and not yet fully answered), beyond which the connection is not read
 * until replies drain; a connection whose unsent replies pass {@link #MAX_QUEUED_BYTES} when
 * another reply arrives is closed, its peer not reading; a connection without progress (a query
 * read, a reply ready, bytes written) for the idle timeout is closed (RFC 7766 §6.2.3); a length
 * prefix of 0, or the peer closing its side, closes the connection once what is outstanding has
 * been answered.
 *
 * <p>Across connections (RFC 7766 §6.2.3, "close the oldest idle connections first"): a client
 * (an IPv4 address, or an IPv6 /64) may hold {@link TcpLimits#maxConnectionsPerClient()}
 * connections; the table holds {@link TcpLimits#maxConnections()}. A connection over either limit
 * makes room by closing the idle connection (nothing outstanding, nothing unsent) that has gone
 * longest without progress, the client's own for the client's limit; when none is idle, the new
 * connection is closed on accept. When a reply arrives while the unsent replies of all
 * connections together pass {@link TcpLimits#maxUnsentBytes()}, the connections holding the most
 * unsent bytes are closed until the total is under it again. Memory is thus bounded: a read
 * buffer of at most 64 KiB per connection, and unsent replies within the total plus one reply.
 *
 * <p>An {@link Error} on the selector thread (out of memory, say) ends it: every connection and the
 * server channel are closed, then the error is handed to the fatal-error callback.
 */
public final class TcpListener {
  /**
   * The logger, made on first use: the JDK's logging would cost every server's start some 40
   * classes, and a test's first fake most of all, for messages that normally never come.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(TcpListener.class.getName());
  }

  /** Queries one connection may have outstanding before reading pauses. */
  static final int MAX_OUTSTANDING = 64;

  /** Unsent reply bytes one connection may hold when another reply arrives. */
  static final int MAX_QUEUED_BYTES = 1 << 20;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final QueryPipeline pipeline;
  private final ServerCounters counters;
  private final long idleNanos;
  private final TcpLimits limits;
  private final Consumer<Error> fatal;
  private final Set<Connection> connections = new HashSet<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private final ConcurrentLinkedQueue<Completed> completed = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private long unsentBytes;
  private long accepted;
  private volatile boolean closing;

  /**
   * Prepares to serve a bound server channel.
   *
   * @param server a bound server socket channel
   * @param pipeline answers each query
   * @param counters counts connections and errors
   * @param limits the idle timeout and the bounds on connections and unsent bytes
   * @param fatal told of an {@link Error} that ended the selector thread, after every connection
   *     and the server channel are closed
   * @throws IOException if the selector cannot be opened or the channel registered
   */
  public TcpListener(
      ServerSocketChannel server,
      QueryPipeline pipeline,
      ServerCounters counters,
      TcpLimits limits,
      Consumer<Error> fatal)
      throws IOException {
    this.server = server;
    this.pipeline = pipeline;
    this.counters = counters;
    this.limits = limits;
    this.idleNanos = limits.idleTimeout().toNanos();
    this.fatal = fatal;
    this.selector = Selector.open();
    try {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    // Not this::run: a lambda's first use spins a class, on a fake's way to its first answer.
    this.thread =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                TcpListener.this.run();
              }
            },
            "alias-dns-tcp");
    thread.setDaemon(true);
  }

  /** Starts the selector thread. */
  public void start() {
    counters.threadStarted();
    thread.start();
  }

  /**
   * Stops accepting, closes every connection and the server channel, and waits for the thread.
   *
   * @param waitMillis how long to wait for the thread
   */
  public void close(long waitMillis) {
    closing = true;
    selector.wakeup();
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    Error failure = null;
    try {
      long checkEvery =
          Math.max(
              TimeUnit.MILLISECONDS.toNanos(10),
              Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(1)));
      long nextCheck = System.nanoTime() + checkEvery;
      while (!closing) {
        try {
          long waitMillis =
              Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextCheck - System.nanoTime()));
          selector.select(waitMillis);
          if (closing) {
            break;
          }
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            handle(key);
          }
          drainCompleted();
          long now = System.nanoTime();
          if (now - nextCheck >= 0) {
            closeIdle(now);
            nextCheck = now + checkEvery;
          }
        } catch (IOException | RuntimeException e) {
          // A bug or an exhausted resource; count it and keep serving.
          counters.listenerError();
          Log.LOG.log(Level.WARNING, "TCP listener", e);
        }
      }
    } catch (Error e) {
      failure = e;
    } finally {
      try {
        shutdown();
      } finally {
        counters.threadEnded();
      }
    }
    if (failure != null) {
      fatal.accept(failure);
    }
  }

  private void shutdown() {
    for (Connection c : new ArrayList<>(connections)) {
      c.close();
    }
    try {
      server.close();
    } catch (IOException e) {
      Log.LOG.log(Level.DEBUG, "closing the TCP server channel", e);
    }
    try {
      selector.close();
    } catch (IOException e) {
      Log.LOG.log(Level.DEBUG, "closing the selector", e);
    }
  }

  private void handle(SelectionKey key) {
    Object attachment = key.attachment();
    try {
      if (attachment instanceof Connection c) {
        if (key.isValid() && key.isWritable()) {
          c.flush();
        }
        if (key.isValid() && key.isReadable()) {
          c.read();
        }
      } else if (key.isValid() && key.isAcceptable()) {
        accept();
      }
    } catch (CancelledKeyException closed) {
      if (attachment instanceof Connection c) {
        c.close();
      }
    }
  }

  private void accept() {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        // e.g. too many open files; the pending connection stays in the backlog for later
        Log.LOG.log(Level.DEBUG, "TCP accept", e);
        return;
      }
      if (channel == null) {
        return;
      }
      try {
        SocketAddress remote = channel.getRemoteAddress();
        if (!(remote instanceof InetSocketAddress client)) {
          closeQuietly(channel);
          continue;
        }
        InetAddress owner = clientOf(client.getAddress());
        if (!makeRoom(owner)) {
          counters.tcpRejected();
          closeQuietly(channel);
          continue;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Connection c = new Connection(channel, client, owner, accepted++);
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        connections.add(c);
        perClient.merge(owner, 1, Integer::sum);
        counters.tcpAccepted();
      } catch (IOException e) {
        Log.LOG.log(Level.DEBUG, "TCP accept setup", e);
        closeQuietly(channel);
      }
    }
  }

  /**
   * Makes room for one more connection from a client: closes the client's idle connection that
   * has gone longest without progress when the client is at its limit, then the table's when the
   * table is full (RFC 7766 §6.2.3).
   *
   * @return false when a limit is reached and nothing is idle to close
   */
  private boolean makeRoom(InetAddress owner) {
    if (perClient.getOrDefault(owner, 0) >= limits.maxConnectionsPerClient()) {
      Connection idle = longestIdle(owner);
      if (idle == null) {
        return false;
      }
      counters.tcpEvicted();
      idle.close();
    }
    if (connections.size() >= limits.maxConnections()) {
      Connection idle = longestIdle(null);
      if (idle == null) {
        return false;
      }
      counters.tcpEvicted();
      idle.close();
    }
    return true;
  }

  /** The idle connection, of one client or of any, that has gone longest without progress. */
  private @Nullable Connection longestIdle(@Nullable InetAddress owner) {
    Connection best = null;
    for (Connection c : connections) {
      if (!c.idle() || (owner != null && !c.owner.equals(owner))) {
        continue;
      }
      if (best == null
          || c.lastProgress - best.lastProgress < 0
          || (c.lastProgress == best.lastProgress && c.sequence < best.sequence)) {
        best = c;
      }
    }
    return best;
  }

  /**
   * Whom a connection counts against: an IPv4 address, or the /64 of an IPv6 address (one
   * subnet's worth, which one party usually holds whole).
   *
   * @param address the peer's address
   * @return the address itself, or the IPv6 address with its last 64 bits cleared
   */
  static InetAddress clientOf(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes); // no lookup: a literal address
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  /**
   * Keeps the unsent bytes of all connections together within the bound before a reply of
   * {@code adding} bytes is queued for {@code to}: while the total is over the bound, closes the
   * connection holding the most.
   *
   * @return false if {@code to} itself was closed
   */
  private boolean unsentRoom(Connection to) {
    while (unsentBytes > limits.maxUnsentBytes()) {
      Connection most = null;
      for (Connection c : connections) {
        if (most == null || c.queuedBytes > most.queuedBytes) {
          most = c;
        }
      }
      if (most == null || most.queuedBytes == 0) {
        return true; // the total is in replies of closed connections only
      }
      most.close();
      if (most == to) {
        return false;
      }
    }
    return true;
  }

  private void drainCompleted() {
    Completed done;
    while ((done = completed.poll()) != null) {
      Error error = done.error;
      if (error != null) {
        throw error; // ends the selector thread as if it had happened here
      }
      done.connection.deliver(done.messages);
    }
  }

  private void closeIdle(long now) {
    for (Connection c : new ArrayList<>(connections)) {
      if (now - c.lastProgress > idleNanos) {
        counters.tcpTimedOut();
        c.close();
      }
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      Log.LOG.log(Level.DEBUG, "closing a TCP connection", e);
    }
  }

  /**
   * A reply ready for a connection, handed from whichever thread completed it, or the {@link
   * Error} that failed it.
   */
  private record Completed(Connection connection, List<byte[]> messages, @Nullable Error error) {}

  /** One client connection; touched only by the selector thread. */
  private final class Connection {
    private final SocketChannel channel;
    private final InetSocketAddress client;
    private final InetAddress owner;
    private final long sequence;
    private @Nullable SelectionKey key;
    private final ByteBuffer length = ByteBuffer.allocate(2);
    private @Nullable ByteBuffer body;

    /** Framed messages waiting to be written; a reply's last message carries the marker. */
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();

    private long queuedBytes;
    private int outstanding;
    private boolean inputDone;
    private boolean closed;
    private long lastProgress = System.nanoTime();

    Connection(SocketChannel channel, InetSocketAddress client, InetAddress owner, long sequence) {
      this.channel = channel;
      this.client = client;
      this.owner = owner;
      this.sequence = sequence;
    }

    /** Nothing outstanding and nothing unsent: closing it loses no answer (RFC 7766 §6.2.3). */
    boolean idle() {
      return outstanding == 0 && queue.isEmpty();
    }

    void read() {
      try {
        while (!closed && !inputDone && outstanding < MAX_OUTSTANDING) {
          ByteBuffer target = body == null ? length : body;
          int n = channel.read(target);
          if (n < 0) {
            // The peer closed its side: answer what is outstanding, then close.
            inputDone = true;
            break;
          }
          if (target.hasRemaining()) {
            break; // n == 0: nothing more for now
          }
          if (body == null) {
            int size = ((length.get(0) & 0xFF) << 8) | (length.get(1) & 0xFF);
            if (size == 0) {
              inputDone = true; // nothing to answer; no sensible framing follows
              break;
            }
            body = ByteBuffer.allocate(size);
          } else {
            byte[] wire = body.array();
            body = null;
            length.clear();
            dispatch(wire);
            // Replies the handler gave at once go to their connections now, so that the
            // per-connection and total bounds on unsent bytes apply before the next read.
            drainCompleted();
          }
        }
      } catch (IOException e) {
        // reset by the peer and the like
        close();
        return;
      }
      updateInterest();
    }

    private void dispatch(byte[] wire) {
      outstanding++;
      lastProgress = System.nanoTime();
      try {
        CompletionStage<List<byte[]>> reply = pipeline.process(wire, client, Transport.TCP);
        reply.whenComplete(
            (messages, failure) -> {
              Error error = failure == null ? null : QueryPipeline.errorIn(failure);
              completed.add(new Completed(this, messages == null ? List.of() : messages, error));
              if (Thread.currentThread() != thread) {
                selector.wakeup();
              }
            });
      } catch (RuntimeException e) {
        counters.listenerError();
        Log.LOG.log(Level.WARNING, "TCP query from " + AddressText.of(client), e);
        outstanding--;
      }
    }

    void deliver(List<byte[]> messages) {
      if (closed) {
        return;
      }
      lastProgress = System.nanoTime();
      if (messages.isEmpty()) {
        outstanding--; // dropped: nothing to send
        updateInterest();
        return;
      }
      if (queuedBytes > MAX_QUEUED_BYTES) {
        close(); // the peer does not read what we send
        return;
      }
      if (!unsentRoom(this)) {
        return;
      }
      for (int i = 0; i < messages.size(); i++) {
        byte[] m = messages.get(i);
        ByteBuffer framed = ByteBuffer.allocate(m.length + 2);
        framed.putShort((short) m.length).put(m).flip();
        queue.add(new Frame(framed, i == messages.size() - 1));
        queuedBytes += framed.remaining();
        unsentBytes += framed.remaining();
        counters.tcpUnsent(framed.remaining());
      }
      flush();
    }

    void flush() {
      try {
        while (!queue.isEmpty()) {
          Frame head = queue.peek();
          int n = channel.write(head.bytes);
          if (n > 0) {
            queuedBytes -= n;
            unsentBytes -= n;
            counters.tcpUnsent(-n);
            lastProgress = System.nanoTime();
          }
          if (head.bytes.hasRemaining()) {
            break;
          }
          queue.poll();
          if (head.endsReply) {
            outstanding--;
          }
        }
      } catch (IOException e) {
        close();
        return;
      }
      updateInterest();
    }

    private void updateInterest() {
      if (closed) {
        return;
      }
      if (inputDone && outstanding == 0 && queue.isEmpty()) {
        close();
        return;
      }
      int ops = 0;
      if (!inputDone && outstanding < MAX_OUTSTANDING) {
        ops |= SelectionKey.OP_READ;
      }
      if (!queue.isEmpty()) {
        ops |= SelectionKey.OP_WRITE;
      }
      SelectionKey k = key;
      if (k != null && k.isValid() && k.interestOps() != ops) {
        k.interestOps(ops);
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      connections.remove(this);
      perClient.computeIfPresent(owner, (k, n) -> n == 1 ? null : n - 1);
      counters.tcpClosed();
      queue.clear();
      unsentBytes -= queuedBytes;
      counters.tcpUnsent(-queuedBytes);
      queuedBytes = 0;
      SelectionKey k = key;
      if (k != null) {
        k.cancel();
      }
      closeQuietly(channel);
    }
  }

  /** A framed message, and whether it is the last of its reply. */
  private record Frame(ByteBuffer bytes, boolean endsReply) {}
}
