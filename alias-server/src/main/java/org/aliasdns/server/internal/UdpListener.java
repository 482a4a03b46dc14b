package org.aliasdns.server.internal;

import org.aliasdns.core.AddressText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Receives UDP queries on a bound channel with a few threads, each blocking in {@code receive} on
 * the shared channel, and sends each reply when it is ready, from whichever thread completes it.
 * {@link DatagramChannel} is safe for concurrent receivers and senders.
 */
public final class UdpListener {
  /**
   * The logger, made on first use: the JDK's logging would cost every server's start some 40
   * classes, and a test's first fake most of all, for messages that normally never come.
   */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(UdpListener.class.getName());
  }

  /** RFC 1035 §2.3.4 and RFC 6891: no DNS message over UDP is longer than this. */
  private static final int MAX_DATAGRAM = 65535;

  private final DatagramChannel channel;
  private final QueryPipeline pipeline;
  private final ServerCounters counters;
  private final Consumer<Error> fatal;
  private final @Nullable ResponseRateLimiter limiter;
  private final List<Thread> threads = new ArrayList<>();

  /**
   * Prepares to serve a bound channel.
   *
   * @param channel a bound, blocking datagram channel; closing it stops the listener
   * @param pipeline answers each query
   * @param counters counts errors and threads
   * @param fatal told of an {@link Error} that ended a receiving thread, from that thread once it
   *     has stopped counting as a listener thread; the listener itself keeps its other threads
   *     and the channel, so the callback decides (the server closes itself)
   * @param limiter the response rate limit each reply passes before it is sent, or null for none
   */
  public UdpListener(
      DatagramChannel channel,
      QueryPipeline pipeline,
      ServerCounters counters,
      Consumer<Error> fatal,
      @Nullable ResponseRateLimiter limiter) {
    this.channel = channel;
    this.pipeline = pipeline;
    this.counters = counters;
    this.fatal = fatal;
    this.limiter = limiter;
  }

  /**
   * Starts the receiving threads, daemon threads named {@code alias-dns-udp-N}.
   *
   * @param count how many
   */
  public void start(int count) {
    // Not this::run: a lambda's first use spins a class, on a fake's way to its first answer.
    Runnable receive =
        new Runnable() {
          @Override
          public void run() {
            UdpListener.this.run();
          }
        };
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(receive, "alias-dns-udp-" + i);
      t.setDaemon(true);
      threads.add(t);
      counters.threadStarted();
      t.start();
    }
  }

  /**
   * Closes the channel and waits for the threads to end.
   *
   * @param waitMillis how long to wait for each thread
   */
  public void close(long waitMillis) {
    try {
      channel.close();
    } catch (IOException e) {
      Log.LOG.log(Level.DEBUG, "closing the UDP channel", e);
    }
    for (Thread t : threads) {
      if (t.equals(Thread.currentThread())) {
        continue; // closing from a receiving thread (after a fatal error): it ends by itself
      }
      try {
        t.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run() {
    Error failure = null;
    try {
      ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
      while (channel.isOpen()) {
        buffer.clear();
        SocketAddress from;
        try {
          from = channel.receive(buffer);
        } catch (ClosedChannelException closed) {
          return; // closed, or interrupted, while waiting: the server is stopping
        } catch (IOException e) {
          // e.g. an ICMP port unreachable reported for an earlier send; the channel still works
          Log.LOG.log(Level.DEBUG, "UDP receive", e);
          continue;
        }
        if (!(from instanceof InetSocketAddress client)) {
          continue;
        }
        buffer.flip();
        byte[] wire = new byte[buffer.remaining()];
        buffer.get(wire);
        try {
          CompletableFuture<List<byte[]>> reply =
              pipeline.process(wire, client, Transport.UDP).toCompletableFuture();
          if (reply.isDone()) {
            send(QueryPipeline.now(reply), client); // an Error surfaces here, on this thread
          } else {
            CompletableFuture<List<byte[]>> unused =
                reply.whenComplete(
                    (messages, failed) -> {
                      Error error = failed == null ? null : QueryPipeline.errorIn(failed);
                      if (error != null) {
                        fatal.accept(error);
                      } else if (messages != null) {
                        send(messages, client);
                      }
                    });
          }
        } catch (RuntimeException e) {
          // A bug; count it and keep serving.
          counters.listenerError();
          Log.LOG.log(Level.WARNING, "UDP query from " + AddressText.of(client), e);
        }
      }
    } catch (RuntimeException e) {
      // Outside any one query (the receive loop itself): a thread that ended here would leave
      // the server half alive, so it is as fatal as an Error.
      counters.listenerError();
      failure = new InternalError("the UDP receive loop failed", e);
    } catch (Error e) {
      failure = e;
    } finally {
      counters.threadEnded();
    }
    if (failure != null) {
      fatal.accept(failure);
    }
  }

  private void send(List<byte[]> messages, InetSocketAddress client) {
    if (messages.isEmpty() || !channel.isOpen()) {
      return;
    }
    byte[] reply = messages.get(0);
    ResponseRateLimiter rrl = limiter;
    if (rrl != null) {
      switch (rrl.admit(client.getAddress())) {
        case SEND -> {}
        case SLIP -> {
          counters.rateLimitSlipped();
          reply = ResponseRateLimiter.slipped(reply);
        }
        case DROP -> {
          counters.rateLimitDropped();
          return;
        }
      }
    }
    try {
      channel.send(ByteBuffer.wrap(reply), client);
    } catch (IOException | RuntimeException e) {
      // The client went away, the reply is too big for a datagram, or we are closing.
      Log.LOG.log(Level.DEBUG, "UDP send to " + AddressText.of(client), e);
    }
  }
}
