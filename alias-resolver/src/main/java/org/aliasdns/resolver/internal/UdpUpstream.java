package org.aliasdns.resolver.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;

/**
 * The transport for an upstream given by address: each query goes over UDP from a socket of its
 * own (so from a fresh ephemeral port, RFC 5452 §9.2) connected to the server, and is retried
 * over TCP when the response is truncated (RFC 7766 §5). A datagram whose id or question does
 * not match the query, or that does not parse, is <em>ignored</em>: it is reported and the query
 * goes on waiting for the real response until its timeout (RFC 5452 §9.1), so that one spoofed
 * or stray datagram cannot abort a lookup. (dnsjava's {@code SimpleResolver} fails the query on
 * the first mismatched datagram.)
 *
 * <p>One selector thread serves every query in flight; it starts with the first query and ends
 * when none is left, so an idle resolver holds no thread.
 */
public final class UdpUpstream implements Resolver {
  private static final int MAX_DATAGRAM = 65_535;

  private final InetSocketAddress server;
  private final SimpleResolver tcp;
  private final Object lock = new Object();
  private final ConcurrentLinkedQueue<Pending> arriving = new ConcurrentLinkedQueue<>();
  private volatile Duration timeout = Duration.ofSeconds(5);
  private volatile BiConsumer<Message, String> ignored = (query, why) -> {};
  private @Nullable Selector selector; // guarded by lock
  private @Nullable Thread loop; // guarded by lock

  /**
   * Creates a transport to one server.
   *
   * @param server the server's IP address and port
   */
  public UdpUpstream(InetSocketAddress server) {
    this.server = Objects.requireNonNull(server, "server");
    this.tcp = new SimpleResolver(server);
    this.tcp.setTCP(true);
  }

  /**
   * Sets what is told of each ignored datagram: the query it arrived for and why it was ignored.
   *
   * @param sink called on the selector thread; must return quickly
   */
  public void onIgnored(BiConsumer<Message, String> sink) {
    this.ignored = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    Message sent = query;
    if (query.getOPT() == null) {
      // EDNS(0) with the payload DNS Flag Day 2020 settled on, as SimpleResolver would add.
      sent = query.clone();
      sent.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    }
    byte[] wire = sent.toWire();
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open();
      channel.configureBlocking(false);
      channel.connect(server); // the kernel drops datagrams from any other address
      channel.write(ByteBuffer.wrap(wire));
      Pending pending =
          new Pending(query, channel, System.nanoTime() + timeout.toNanos(), result);
      arriving.add(pending);
      wake();
    } catch (IOException | RuntimeException e) {
      close(channel);
      result.completeExceptionally(e);
    }
    // Callers' continuations run on their executor, never on the selector thread.
    return result.whenCompleteAsync((message, error) -> {}, executor);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, Runnable::run);
  }

  private void wake() throws IOException {
    synchronized (lock) {
      Selector s = selector;
      if (s == null) {
        s = Selector.open();
        selector = s;
        Selector chosen = s;
        Thread t = new Thread(() -> run(chosen), "alias-upstream-udp");
        t.setDaemon(true);
        loop = t;
        t.start();
      } else {
        s.wakeup();
      }
    }
  }

  private void run(Selector s) {
    List<Pending> waiting = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    try {
      while (true) {
        Pending next;
        while ((next = arriving.poll()) != null) {
          try {
            next.channel.register(s, SelectionKey.OP_READ, next);
            waiting.add(next);
          } catch (IOException | RuntimeException e) {
            next.fail(e);
          }
        }
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
          Pending p = it.next();
          long left = p.deadline - now;
          if (left <= 0) {
            it.remove();
            p.fail(new TimeoutException("no matching response within " + timeout.toMillis()
                + " ms" + (p.ignored == 0 ? "" : " (" + p.ignored + " datagrams ignored)")));
          } else {
            wait = Math.min(wait, left);
          }
        }
        if (waiting.isEmpty()) {
          synchronized (lock) {
            if (arriving.isEmpty()) {
              selector = null;
              loop = null;
              close(s);
              return;
            }
          }
          continue;
        }
        s.select(Math.max(1, wait / 1_000_000L));
        for (Iterator<SelectionKey> it = s.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          Pending p = (Pending) Objects.requireNonNull(key.attachment());
          if (read(p, buffer)) {
            waiting.remove(p);
          }
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      // Whatever ends the loop, even an Error (out of memory, say), fails every query it held:
      // a caller waiting on one must never wait for ever. An Error is then rethrown, for the
      // thread's uncaught-exception handler (aliasdns serve ends the process with status 70).
      for (Pending p : waiting) {
        p.fail(e);
      }
      synchronized (lock) {
        selector = null;
        loop = null;
      }
      close(s);
      // Queries that arrived meanwhile start a new loop.
      Pending p;
      while ((p = arriving.poll()) != null) {
        p.fail(e);
      }
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  /** Reads what arrived for one query; returns true when the query is settled. */
  private boolean read(Pending p, ByteBuffer buffer) {
    while (true) {
      buffer.clear();
      int n;
      try {
        n = p.channel.read(buffer);
      } catch (IOException e) {
        // ICMP port unreachable and the like: the server is not there.
        p.fail(e);
        return true;
      }
      if (n <= 0) {
        return false;
      }
      byte[] bytes = Arrays.copyOf(buffer.array(), n);
      String mismatch = mismatch(p.query, bytes);
      if (mismatch != null) {
        p.ignored++;
        try {
          ignored.accept(p.query, mismatch);
        } catch (RuntimeException listenerFailure) {
          // a listener's failure is not the query's
        }
        continue;
      }
      Message response;
      try {
        response = new Message(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // cannot happen: mismatch() parsed it
      }
      close(p.channel);
      if (response.getHeader().getFlag(Flags.TC)) {
        long left = Math.max(1, p.deadline - System.nanoTime());
        tcp.setTimeout(Duration.ofNanos(left));
        // Our own deadline as well as dnsjava's: should its I/O thread die, the query still ends.
        tcp.sendAsync(p.query)
            .toCompletableFuture()
            .orTimeout(left + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)
            .whenComplete(
                (message, error) -> {
                  if (error != null) {
                    p.result.completeExceptionally(error);
                  } else {
                    p.result.complete(message);
                  }
                });
      } else {
        p.result.complete(response);
      }
      return true;
    }
  }

  /**
   * Tells why a datagram is not the response to a query (RFC 5452 §9.1: id, question name, type
   * and class must match), or null if it is. An error response may leave the question out.
   */
  static @Nullable String mismatch(Message query, byte[] bytes) {
    if (bytes.length < 12) {
      return "a datagram of " + bytes.length + " bytes";
    }
    int id = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    if (id != query.getHeader().getID()) {
      return "id " + id + " instead of " + query.getHeader().getID();
    }
    Message response;
    try {
      response = new Message(bytes);
    } catch (IOException e) {
      return "a response that does not parse: " + e.getMessage();
    }
    if (!response.getHeader().getFlag(Flags.QR)) {
      return "a datagram that is not a response";
    }
    Record asked = query.getQuestion();
    Record got = response.getQuestion();
    if (got == null) {
      return response.getRcode() == Rcode.NOERROR ? "a response without a question" : null;
    }
    if (asked != null
        && (!got.getName().equals(asked.getName())
            || got.getType() != asked.getType()
            || got.getDClass() != asked.getDClass())) {
      return "a response to another question: " + got;
    }
    return null;
  }

  private static void close(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignoredOnClose) {
        // nothing to do
      }
    }
  }

  @Override
  public void setPort(int port) {
    throw new UnsupportedOperationException("the port is part of the upstream address");
  }

  @Override
  public void setTCP(boolean flag) {
    throw new UnsupportedOperationException("UDP first, TCP on truncation");
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    throw new UnsupportedOperationException("truncated responses are retried over TCP");
  }

  @Override
  public void setEDNS(
      int version, int payloadSize, int flags, @Nullable List<EDNSOption> options) {
    throw new UnsupportedOperationException("the query carries its own EDNS");
  }

  @Override
  public void setTSIGKey(@Nullable TSIG key) {
    throw new UnsupportedOperationException("no TSIG to a recursive upstream");
  }

  @Override
  public void setTimeout(Duration value) {
    this.timeout = Objects.requireNonNull(value, "value");
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  /** One query waiting for its response. */
  private static final class Pending {
    final Message query;
    final DatagramChannel channel;
    final long deadline;
    final CompletableFuture<Message> result;
    int ignored;

    Pending(Message query, DatagramChannel channel, long deadline, CompletableFuture<Message> r) {
      this.query = query;
      this.channel = channel;
      this.deadline = deadline;
      this.result = r;
    }

    void fail(Throwable error) {
      close(channel);
      result.completeExceptionally(error);
    }
  }
}
