package org.aliasdns.server.internal;

import org.aliasdns.core.AddressText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
 */
public final class TcpListener {
  private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());

  /** Queries one connection may have outstanding before reading pauses. */
  static final int MAX_OUTSTANDING = 64;

  /** Unsent reply bytes one connection may hold when another reply arrives. */
  static final int MAX_QUEUED_BYTES = 1 << 20;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final QueryPipeline pipeline;
  private final ServerCounters counters;
  private final long idleNanos;
  private final int maxConnections;
  private final Set<Connection> connections = new HashSet<>();
  private final ConcurrentLinkedQueue<Completed> completed = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closing;

  /**
   * Prepares to serve a bound server channel.
   *
   * @param server a bound server socket channel
   * @param pipeline answers each query
   * @param counters counts connections and errors
   * @param idleTimeout how long a connection may make no progress
   * @param maxConnections connections open at once, beyond which new ones are closed on accept
   * @throws IOException if the selector cannot be opened or the channel registered
   */
  public TcpListener(
      ServerSocketChannel server,
      QueryPipeline pipeline,
      ServerCounters counters,
      Duration idleTimeout,
      int maxConnections)
      throws IOException {
    this.server = server;
    this.pipeline = pipeline;
    this.counters = counters;
    this.idleNanos = idleTimeout.toNanos();
    this.maxConnections = maxConnections;
    this.selector = Selector.open();
    try {
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::run, "alias-dns-tcp");
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
          LOG.log(Level.WARNING, "TCP listener", e);
        }
      }
    } catch (Error e) {
      counters.listenerError();
      LOG.log(Level.ERROR, "TCP listener thread ends", e);
    } finally {
      shutdown();
      counters.threadEnded();
    }
  }

  private void shutdown() {
    for (Connection c : new ArrayList<>(connections)) {
      c.close();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the TCP server channel", e);
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the selector", e);
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
        LOG.log(Level.DEBUG, "TCP accept", e);
        return;
      }
      if (channel == null) {
        return;
      }
      if (connections.size() >= maxConnections) {
        counters.tcpRejected();
        closeQuietly(channel);
        continue;
      }
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketAddress remote = channel.getRemoteAddress();
        if (!(remote instanceof InetSocketAddress client)) {
          closeQuietly(channel);
          continue;
        }
        Connection c = new Connection(channel, client);
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        connections.add(c);
        counters.tcpAccepted();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "TCP accept setup", e);
        closeQuietly(channel);
      }
    }
  }

  private void drainCompleted() {
    Completed done;
    while ((done = completed.poll()) != null) {
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
      LOG.log(Level.DEBUG, "closing a TCP connection", e);
    }
  }

  /** A reply ready for a connection, handed from whichever thread completed it. */
  private record Completed(Connection connection, List<byte[]> messages) {}

  /** One client connection; touched only by the selector thread. */
  private final class Connection {
    private final SocketChannel channel;
    private final InetSocketAddress client;
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

    Connection(SocketChannel channel, InetSocketAddress client) {
      this.channel = channel;
      this.client = client;
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
              completed.add(new Completed(this, messages == null ? List.of() : messages));
              if (Thread.currentThread() != thread) {
                selector.wakeup();
              }
            });
      } catch (RuntimeException e) {
        counters.listenerError();
        LOG.log(Level.WARNING, "TCP query from " + AddressText.of(client), e);
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
      for (int i = 0; i < messages.size(); i++) {
        byte[] m = messages.get(i);
        ByteBuffer framed = ByteBuffer.allocate(m.length + 2);
        framed.putShort((short) m.length).put(m).flip();
        queue.add(new Frame(framed, i == messages.size() - 1));
        queuedBytes += framed.remaining();
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
      counters.tcpClosed();
      queue.clear();
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
