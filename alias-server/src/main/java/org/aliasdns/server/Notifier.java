package org.aliasdns.server;

import org.aliasdns.core.AddressText;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Tells secondaries that a zone changed (RFC 1996), so that they check its serial and transfer it
 * without waiting for the SOA refresh interval.
 *
 * <pre>{@code
 * Notifier notifier = Notifier.builder().timeout(Duration.ofSeconds(2)).retries(3).build();
 * notifier.notify(zone, secondary).thenAccept(result -> ...);
 * }</pre>
 *
 * <p>Each NOTIFY goes over UDP from its own socket on an ephemeral port, connected to the secondary
 * so that only its replies are read: opcode NOTIFY, AA set, the question {@code origin SOA IN} and
 * the new SOA in the answer section (RFC 1996 §3.7 allows it as a hint). The reply must carry the
 * same id, QR set and opcode NOTIFY (RFC 1996 §4.7); anything else is ignored. Without a reply the
 * NOTIFY is sent again, the wait doubling each time (RFC 1996 §3.6 asks for retries). Nothing here
 * looks a name up.
 *
 * <p>An {@link Error} (out of memory, say) while a NOTIFY is sent ends that NOTIFY as {@link
 * NotifyResult.Status#FAILED} and is handed to {@link Builder#onFatalError} (by default: logged at
 * ERROR), so that a program can end the process rather than run on without telling secondaries.
 *
 * @since 0.1
 */
public final class Notifier {
  private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

  private final Duration timeout;
  private final int retries;
  private final @Nullable Executor executor;
  private final Consumer<? super Error> onFatalError;

  private Notifier(Builder builder) {
    this.timeout = builder.timeout;
    this.retries = builder.retries;
    this.executor = builder.executor;
    this.onFatalError = builder.onFatalError;
  }

  /**
   * Starts building a notifier.
   *
   * @return a builder with the defaults: 2 s first wait, 3 retries, a new thread per NOTIFY
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Notifies a secondary of a zone's current SOA.
   *
   * @param zone the zone that changed
   * @param secondary the secondary's address and port
   * @return completes with the result, never exceptionally
   * @throws IllegalArgumentException if the zone has no SOA or the address is unresolved
   */
  public CompletionStage<NotifyResult> notify(Zone zone, InetSocketAddress secondary) {
    return notify(zone, secondary, null);
  }

  /**
   * Notifies a secondary of a zone's current SOA, signing the NOTIFY with a TSIG key (RFC 8945)
   * so that a secondary that requires one accepts it. The secondary's reply must then be signed
   * with the same key and verify; an unsigned or forged reply is ignored as if none came. A reply
   * whose TSIG record carries an error (the secondary does not know the key: BADKEY; BADSIG;
   * BADTIME) ends the NOTIFY as {@link NotifyResult.Status#REJECTED} with that error as its
   * rcode.
   *
   * @param zone the zone that changed
   * @param secondary the secondary's address and port
   * @param key the key to sign with, or null to send the NOTIFY unsigned
   * @return completes with the result, never exceptionally
   * @throws IllegalArgumentException if the zone has no SOA or the address is unresolved
   */
  public CompletionStage<NotifyResult> notify(
      Zone zone, InetSocketAddress secondary, @Nullable TsigKey key) {
    SOARecord soa =
        zone.soa()
            .orElseThrow(
                () -> new IllegalArgumentException("zone " + zone.origin() + " has no SOA record"));
    return send(zone.origin(), soa, secondary, key);
  }

  /**
   * Notifies a secondary that a zone now has this SOA.
   *
   * @param origin the zone's origin
   * @param soa the zone's new SOA record
   * @param secondary the secondary's address and port
   * @return completes with the result, never exceptionally
   * @throws IllegalArgumentException if the address is unresolved
   */
  public CompletionStage<NotifyResult> notify(
      Name origin, SOARecord soa, InetSocketAddress secondary) {
    return send(origin, soa, secondary, null);
  }

  private CompletionStage<NotifyResult> send(
      Name origin, SOARecord soa, InetSocketAddress secondary, @Nullable TsigKey key) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(soa, "soa");
    if (secondary.isUnresolved()) {
      throw new IllegalArgumentException(
          "the secondary's address must be an IP address: " + secondary);
    }
    Message message = notifyMessage(origin, soa);
    TSIG tsig = key == null ? null : key.tsig(InstantSource.system());
    Executor runOn = executor;
    if (runOn == null) {
      runOn =
          task -> {
            Thread t = new Thread(task, "alias-notify");
            t.setDaemon(true);
            t.start();
          };
    }
    return CompletableFuture.supplyAsync(
        () -> sendOrReport(message, origin, secondary, tsig), runOn);
  }

  private NotifyResult sendOrReport(
      Message message, Name origin, InetSocketAddress secondary, @Nullable TSIG tsig) {
    try {
      return send(message, origin, secondary, tsig);
    } catch (Error e) {
      try {
        onFatalError.accept(e);
      } catch (RuntimeException | Error inHook) {
        LOG.log(Level.ERROR, "the fatal-error hook failed", inHook);
      }
      return new NotifyResult(secondary, NotifyResult.Status.FAILED, -1, 0);
    }
  }

  private static void logFatal(Error error) {
    LOG.log(Level.ERROR, "NOTIFY failed with a fatal error", error);
  }

  private static Message notifyMessage(Name origin, SOARecord soa) {
    Message m = new Message();
    Header h = m.getHeader();
    h.setOpcode(Opcode.NOTIFY);
    h.setFlag(Flags.AA); // RFC 1996 §3.7
    m.addRecord(Record.newRecord(origin, Type.SOA, DClass.IN), Section.QUESTION);
    m.addRecord(soa, Section.ANSWER);
    return m;
  }

  private NotifyResult send(
      Message message, Name origin, InetSocketAddress secondary, @Nullable TSIG tsig) {
    int id = message.getHeader().getID();
    TSIGRecord signature = null;
    if (tsig != null) {
      tsig.apply(message, null); // RFC 8945 §5.1: the TSIG record last in additional
      signature = message.getTSIG();
    }
    ByteBuffer out = ByteBuffer.wrap(message.toWire());
    ByteBuffer in = ByteBuffer.allocate(65535);
    int attempts = 0;
    try (DatagramChannel channel =
            DatagramChannel.open(
                secondary.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      channel.connect(secondary); // binds an ephemeral port; only the secondary's replies arrive
      channel.register(selector, SelectionKey.OP_READ);
      long wait = timeout.toNanos();
      for (int attempt = 0; attempt <= retries; attempt++) {
        attempts++;
        out.rewind();
        channel.write(out);
        long deadline = System.nanoTime() + wait;
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          if (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) == 0) {
            continue;
          }
          selector.selectedKeys().clear();
          in.clear();
          SocketAddress from;
          try {
            from = channel.receive(in);
          } catch (PortUnreachableException nobodyThere) {
            continue; // ICMP for this attempt; wait out the interval, then retry
          }
          if (from == null) {
            continue;
          }
          in.flip();
          byte[] wire = new byte[in.remaining()];
          in.get(wire);
          Integer rcode = matchingReply(wire, id, origin, tsig, signature);
          if (rcode != null) {
            return new NotifyResult(
                secondary,
                rcode == Rcode.NOERROR
                    ? NotifyResult.Status.ACKNOWLEDGED
                    : NotifyResult.Status.REJECTED,
                rcode,
                attempts);
          }
        }
        wait *= 2;
      }
      return new NotifyResult(secondary, NotifyResult.Status.TIMED_OUT, -1, attempts);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "NOTIFY " + origin + " to " + AddressText.of(secondary), e);
      return new NotifyResult(secondary, NotifyResult.Status.FAILED, -1, attempts);
    }
  }

  /**
   * The reply's rcode if it answers our NOTIFY (RFC 1996 §4.7), else null; to a signed NOTIFY,
   * only a reply signed with the key counts (RFC 8945 §5.3), or one whose TSIG record reports an
   * error, whose rcode is then that error.
   */
  private static @Nullable Integer matchingReply(
      byte[] wire, int id, Name origin, @Nullable TSIG tsig, @Nullable TSIGRecord signature) {
    Message reply;
    try {
      reply = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    Header h = reply.getHeader();
    if (h.getID() != id || !h.getFlag(Flags.QR) || h.getOpcode() != Opcode.NOTIFY) {
      return null;
    }
    Record question = reply.getQuestion();
    if (question != null && !question.getName().equals(origin)) {
      return null;
    }
    if (tsig != null) {
      TSIGRecord theirs = reply.getTSIG();
      if (theirs == null) {
        return null; // not from a holder of the key: could be forged
      }
      if (theirs.getError() != Rcode.NOERROR) {
        return theirs.getError();
      }
      if (tsig.verify(reply, wire, signature) != Rcode.NOERROR) {
        return null;
      }
    }
    return reply.getRcode();
  }

  /**
   * Settings of a {@link Notifier}. Each may be set at most once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(2);
    private int retries = 3;
    private @Nullable Executor executor;
    private Consumer<? super Error> onFatalError = Notifier::logFatal;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    /**
     * Sets how long to wait for the reply to the first attempt; each retry waits twice as long as
     * the one before.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder timeout(Duration timeout) {
      once("timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets how many times to send again when no reply comes.
     *
     * @param retries 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder retries(int retries) {
      once("retries");
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * Sets where each NOTIFY runs; it blocks that thread until it ends. By default each runs on a
     * new daemon thread.
     *
     * @param executor the executor
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder executor(Executor executor) {
      once("executor");
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets what happens after an {@link Error} (out of memory, say) while a NOTIFY is sent. The
     * NOTIFY ends as {@link NotifyResult.Status#FAILED} either way; the hook runs first, on the
     * NOTIFY's thread, and may end the process. The default logs the error at ERROR.
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
     * Builds the notifier.
     *
     * @return the notifier
     */
    public Notifier build() {
      return new Notifier(this);
    }
  }
}
