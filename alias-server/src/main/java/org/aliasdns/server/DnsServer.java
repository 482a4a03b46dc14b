package org.aliasdns.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.aliasdns.server.internal.PipelineListener;
import org.aliasdns.server.internal.QueryPipeline;
import org.jspecify.annotations.Nullable;

/**
 * A DNS server: UDP and TCP listeners on one address and port, in front of a {@link
 * DnsHandler}. The server owns the wire rules; the handler decides the answers.
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
 * <p>Wire rules: RFC 7766 TCP (2-byte length framing, several queries per connection answered
 * as they complete, an idle timeout, a cap on connections); EDNS(0) per RFC 6891 with {@link
 * Builder#udpPayloadSize} offered (1232 by default) and BADVERS for versions other than 0; TC
 * set on a UDP response that does not fit; FORMERR for malformed queries; NOTIMP for opcodes
 * other than QUERY and NOTIFY; packets with QR set, or too short for a header, are dropped.
 *
 * @since 0.1
 */
public final class DnsServer implements AutoCloseable {
  private final Builder settings;
  private final QueryPipeline pipeline;

  private DnsServer(Builder settings) {
    this.settings = settings;
    this.pipeline = new QueryPipeline(settings.handler, settings.udpPayloadSize, PipelineListener.NONE);
  }

  /**
   * Starts building a server in front of a handler.
   *
   * @param handler decides the replies
   * @return a builder with the defaults: loopback port 0, 1232-byte payload, 10 s TCP idle
   *     timeout, 256 TCP connections, 2 UDP threads
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
   * @return the reply messages' bytes: none when the query is dropped, at most one for UDP
   */
  public CompletionStage<List<byte[]>> exchange(
      byte[] query, InetSocketAddress client, Transport transport) {
    return pipeline.process(query, client, transport);
  }

  /**
   * Binds the UDP and TCP listeners and starts serving.
   *
   * @return this server
   * @throws IOException if the address cannot be bound
   * @throws IllegalStateException if the server was already started or closed
   */
  public DnsServer start() throws IOException {
    throw new UnsupportedOperationException("listeners: in progress");
  }

  /**
   * Returns the port both listeners are bound to; with port 0 requested, the one chosen.
   *
   * @return the port
   * @throws IllegalStateException if the server is not started
   */
  public int port() {
    throw new UnsupportedOperationException("listeners: in progress");
  }

  /**
   * Returns the address and port the listeners are bound to.
   *
   * @return the bound socket address
   * @throws IllegalStateException if the server is not started
   */
  public InetSocketAddress address() {
    throw new UnsupportedOperationException("listeners: in progress");
  }

  /**
   * Stops the listeners, closes every connection and waits for the server's threads to end.
   * Idempotent.
   */
  @Override
  public void close() {}

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
    private int udpThreads = 2;
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
     * Sets the EDNS(0) UDP payload size this server offers (RFC 6891 §6.2.5). The default,
     * 1232, avoids IP fragmentation (DNS Flag Day 2020).
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
     * Sets the most TCP connections open at once; further connections are closed on accept.
     *
     * @param connections at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if already set
     */
    public Builder maxTcpConnections(int connections) {
      once("maxTcpConnections");
      if (connections < 1) {
        throw new IllegalArgumentException("maxTcpConnections must be at least 1, was " + connections);
      }
      this.maxTcpConnections = connections;
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
     * Builds the server, not yet listening.
     *
     * @return the server
     */
    public DnsServer build() {
      return new DnsServer(this);
    }
  }
}
