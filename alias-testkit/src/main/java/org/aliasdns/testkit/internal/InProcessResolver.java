package org.aliasdns.testkit.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * A dnsjava {@link Resolver} that hands queries to a {@link DnsServer} in-process, as bytes,
 * through {@link DnsServer#exchange}: the same pipeline the sockets use, so the replies (faults
 * included) are byte for byte those a {@code SimpleResolver} would get over the network. It acts
 * as {@code SimpleResolver} does: EDNS(0) with a 1280-byte payload unless told otherwise, a UDP
 * reply with TC retried as TCP, and the reply checked before it is believed (RFC 5452 §9.1: id,
 * then question name, class and type), each failure a {@link WireParseException}; no reply
 * within the timeout is a {@link SocketTimeoutException}.
 */
public final class InProcessResolver implements Resolver {
  private static final int DEFAULT_PAYLOAD = 1280;
  private static final int CLASSIC_UDP = 512;

  private final DnsServer server;
  private final InetSocketAddress client;
  private final BooleanSupplier closed;
  private final boolean dropFailsAtOnce;
  private volatile boolean tcp;
  private volatile boolean ignoreTruncation;
  private volatile @Nullable OPTRecord edns = new OPTRecord(DEFAULT_PAYLOAD, 0, 0, 0);
  private volatile @Nullable TSIG tsig;
  private volatile Duration timeout = Duration.ofSeconds(10);

  /**
   * Creates a resolver.
   *
   * @param server the server whose pipeline answers
   * @param client the address reported as the query's source
   * @param closed tells whether the fake was closed
   */
  public InProcessResolver(DnsServer server, InetSocketAddress client, BooleanSupplier closed) {
    this(server, client, closed, false);
  }

  /**
   * Creates a resolver.
   *
   * @param server the server whose pipeline answers
   * @param client the address reported as the query's source
   * @param closed tells whether the fake was closed
   * @param dropFailsAtOnce whether a dropped query fails with a {@link SocketTimeoutException}
   *     as soon as it is dropped (at once, or right after a {@link
   *     org.aliasdns.testkit.Fault#delay delay} that comes before the drop), rather than after
   *     the timeout
   */
  public InProcessResolver(
      DnsServer server, InetSocketAddress client, BooleanSupplier closed, boolean dropFailsAtOnce) {
    this.server = server;
    this.client = client;
    this.closed = closed;
    this.dropFailsAtOnce = dropFailsAtOnce;
  }

  /** Ignored: there is no port to send to. */
  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {
    tcp = flag;
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    ignoreTruncation = flag;
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    if (version == -1) {
      edns = null;
    } else if (version == 0) {
      edns = new OPTRecord(payloadSize == 0 ? DEFAULT_PAYLOAD : payloadSize, 0, 0, flags, options);
    } else {
      throw new IllegalArgumentException("EDNS version must be 0, or -1 for none; was " + version);
    }
  }

  @Override
  public void setTSIGKey(TSIG key) {
    tsig = key;
  }

  @Override
  public void setTimeout(Duration value) {
    timeout = Objects.requireNonNull(value, "timeout");
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public Message send(Message query) throws IOException {
    try {
      // The caller waits anyway: no hop to another thread (most answers are ready at once).
      return prepared(query).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the fake", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, ForkJoinPool.commonPool());
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    // Answered in the caller's thread when there is no delay; completed on the executor either
    // way, as a real resolver completes off the caller's stack.
    return prepared(query).thenApplyAsync(m -> m, executor);
  }

  /** Sends a copy of the query with this resolver's EDNS and TSIG settings applied. */
  private CompletableFuture<Message> prepared(Message query) {
    Message out = query.clone();
    OPTRecord opt = edns;
    if (opt != null && out.getOPT() == null) {
      out.addRecord(opt, Section.ADDITIONAL);
    }
    TSIG key = tsig;
    if (key != null) {
      key.apply(out, null);
    }
    return exchange(out, tcp, key);
  }

  private CompletableFuture<Message> exchange(Message query, boolean overTcp, @Nullable TSIG key) {
    if (closed.getAsBoolean()) {
      return CompletableFuture.failedFuture(new IOException("the fake DNS is closed"));
    }
    byte[] wire = query.toWire(Message.MAXLENGTH);
    OPTRecord opt = query.getOPT();
    // As SimpleResolver: a query that does not fit a UDP datagram goes over TCP.
    boolean useTcp = overTcp || wire.length > (opt == null ? CLASSIC_UDP : opt.getPayloadSize());
    Transport transport = useTcp ? Transport.TCP : Transport.UDP;
    Duration wait = timeout;
    CompletableFuture<List<byte[]>> replies =
        server.exchange(wire, client, transport).toCompletableFuture();
    boolean ready = replies.isDone() && !replies.isCompletedExceptionally();
    if (ready && dropFailsAtOnce && replies.join().isEmpty()) {
      return CompletableFuture.failedFuture(dropped());
    }
    CompletableFuture<List<byte[]>> waited =
        ready && !replies.join().isEmpty()
            ? replies // answered already: no timer needed
            // A dropped query has no reply: wait out the timeout, as a socket would.
            : replies
                .thenCompose(list -> !list.isEmpty() ? replies
                    : dropFailsAtOnce ? CompletableFuture.<List<byte[]>>failedFuture(dropped())
                    : new CompletableFuture<List<byte[]>>())
                .orTimeout(wait.toNanos(), TimeUnit.NANOSECONDS);
    return waited
        .handle(
            (list, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof SocketTimeoutException dropped) {
                  throw new CompletionException(dropped);
                }
                if (cause instanceof TimeoutException) {
                  throw new CompletionException(
                      new SocketTimeoutException(
                          "no reply from the fake DNS within " + wait.toMillis() + " ms"));
                }
                throw new CompletionException(new IOException("the fake DNS failed", cause));
              }
              return list.get(0);
            })
        .thenCompose(in -> check(query, in, useTcp, key));
  }

  private static SocketTimeoutException dropped() {
    return new DroppedQueryException();
  }

  /** A query the fake dropped, known as soon as it was dropped: no reply will come. */
  public static final class DroppedQueryException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    DroppedQueryException() {
      super("no reply from the fake DNS: the query was dropped");
    }
  }

  /** SimpleResolver's checks, in its order, and its TCP retry on TC. */
  private CompletableFuture<Message> check(
      Message query, byte[] in, boolean usedTcp, @Nullable TSIG key) {
    if (in.length < 12) {
      return CompletableFuture.failedFuture(new WireParseException("invalid DNS header - too short"));
    }
    int qid = query.getHeader().getID();
    int id = ((in[0] & 0xFF) << 8) | (in[1] & 0xFF);
    if (id != qid) {
      return CompletableFuture.failedFuture(
          new WireParseException("invalid message id: expected " + qid + "; got id " + id));
    }
    Message response;
    try {
      response = new Message(in);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          e instanceof WireParseException ? e : new WireParseException("Error parsing message", e));
    }
    Record asked = Objects.requireNonNull(query.getQuestion());
    Record got = response.getQuestion();
    String mismatch = null;
    if (got == null) {
      mismatch = "invalid message: question section missing";
    } else if (!asked.getName().equals(got.getName())) {
      mismatch = "invalid name in message: expected " + asked.getName() + "; got " + got.getName();
    } else if (asked.getDClass() != got.getDClass()) {
      mismatch = "invalid class in message: expected " + DClass.string(asked.getDClass())
          + "; got " + DClass.string(got.getDClass());
    } else if (asked.getType() != got.getType()) {
      mismatch = "invalid type in message: expected " + Type.string(asked.getType())
          + "; got " + Type.string(got.getType());
    }
    if (mismatch != null) {
      return CompletableFuture.failedFuture(new WireParseException(mismatch));
    }
    if (key != null) {
      key.verify(response, in, query.getTSIG());
    }
    if (!usedTcp && !ignoreTruncation && response.getHeader().getFlag(Flags.TC)) {
      return exchange(query, true, key);
    }
    return CompletableFuture.completedFuture(response);
  }

  @Override
  public String toString() {
    return "InProcessResolver [" + server + "]";
  }
}
