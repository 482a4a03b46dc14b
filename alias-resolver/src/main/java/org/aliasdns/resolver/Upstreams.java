package org.aliasdns.resolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.aliasdns.core.AddressText;
import org.jspecify.annotations.Nullable;

/**
 * The recursive servers a resolver asks, in order of preference, and the rules for failing over
 * between them. An immutable value: hand it to {@link AliasResolver.Builder#upstreams}; each
 * resolver built from it keeps its own health state and counters ({@link
 * ResolverStats#upstreams()}).
 *
 * <p>Each server is asked over UDP with EDNS(0) from a fresh source port per query, and over TCP
 * when a response is truncated, exactly as {@link
 * AliasResolver.Builder#upstream(InetSocketAddress)} does for one server.
 *
 * <h2>Failover</h2>
 *
 * <ul>
 *   <li><b>Order.</b> A question goes to the first server that is up, in the configured order.
 *   <li><b>What moves a question on.</b> A timeout, SERVFAIL, REFUSED or any other error code, a
 *       network error, and a response that does not match the query or does not parse (RFC 5452
 *       §9.1) is a failure of that server: the question goes to the next server that is up, at
 *       once. NXDOMAIN and NODATA are answers (RFC 2308), never failures: they end the question
 *       like any answer.
 *   <li><b>Deadline.</b> The resolver's {@linkplain AliasResolver.Builder#queryTimeout query
 *       timeout} bounds the question, every attempt included. Each attempt waits at most the
 *       {@linkplain Builder#attemptTimeout attempt timeout} (by default the query timeout divided
 *       by the number of servers), except the last, which may use all the time left. With one
 *       server the attempt is the question, as before.
 *   <li><b>Health.</b> A server is marked down after {@linkplain Builder#downAfter N} failures
 *       in a row (3 by default) and gets no questions while it is down. After a back-off ({@link
 *       Builder#probeAfter}, 5 s by default, then doubling after each failure up to {@link
 *       Builder#maxProbeAfter}, 60 s by default; each wait drawn at random between 75% and 100%
 *       of the back-off, so several resolvers do not probe in step) the next question goes to it
 *       first, as a probe: one question at a time, a real one. An answer marks it up again; a
 *       failure sends that question on to the servers that are up.
 *   <li><b>All down.</b> When no server is up, questions still go to every server, the one whose
 *       last failure is oldest first, instead of failing at once; the first to answer is up
 *       again.
 *   <li><b>Time.</b> Back-offs and "last failure" are read from the resolver's injected {@link
 *       AliasResolver.Builder#clock clock}; timeouts are real elapsed time, as for one server.
 * </ul>
 *
 * <p>Coalescing and the failure-recheck interval work on questions, above the servers:
 * concurrent identical questions share one query per attempt, and a question that failed on
 * every server is not asked again before the recheck interval (RFC 8767 §5).
 *
 * @since 0.1
 */
public final class Upstreams {
  private static final Duration MAX_PROBE_AFTER = Duration.ofSeconds(60);

  private final List<InetSocketAddress> servers;
  private final @Nullable Duration attemptTimeout;
  private final int downAfter;
  private final Duration probeAfter;
  private final Duration maxProbeAfter;

  private Upstreams(Builder b) {
    this.servers = List.copyOf(b.servers);
    this.attemptTimeout = b.attemptTimeout;
    this.downAfter = b.downAfter;
    this.probeAfter = b.probeAfter;
    Duration max = b.maxProbeAfter;
    this.maxProbeAfter =
        max != null ? max : b.probeAfter.compareTo(MAX_PROBE_AFTER) > 0 ? b.probeAfter
            : MAX_PROBE_AFTER;
  }

  /**
   * Returns these servers, in order of preference, with the default failover rules.
   *
   * @param servers IP addresses and ports, at least one, no duplicates
   * @return the upstreams
   * @throws IllegalArgumentException if the list is empty, an address is unresolved or repeated
   */
  public static Upstreams of(List<InetSocketAddress> servers) {
    return builder().servers(servers).build();
  }

  /**
   * Starts a set of upstreams; at least one {@link Builder#server} is required.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the servers in order of preference.
   *
   * @return an immutable list, never empty
   */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  /**
   * Returns how long one attempt may wait, if set.
   *
   * @return the attempt timeout, or empty for the query timeout divided by the number of servers
   */
  public Optional<Duration> attemptTimeout() {
    return Optional.ofNullable(attemptTimeout);
  }

  /**
   * Returns how many failures in a row mark a server down.
   *
   * @return at least 1
   */
  public int downAfter() {
    return downAfter;
  }

  /**
   * Returns the first back-off before a down server is probed.
   *
   * @return a positive duration
   */
  public Duration probeAfter() {
    return probeAfter;
  }

  /**
   * Returns the longest back-off before a down server is probed.
   *
   * @return a duration at least {@link #probeAfter()}
   */
  public Duration maxProbeAfter() {
    return maxProbeAfter;
  }

  /**
   * Returns the name a server goes by in stats, listener calls and logs: {@code HOST:PORT}, an
   * IPv6 address in brackets in RFC 5952 form.
   *
   * @param server an address
   * @return its name
   */
  public static String name(InetSocketAddress server) {
    return AddressText.of(server);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Upstreams u
        && servers.equals(u.servers)
        && Objects.equals(attemptTimeout, u.attemptTimeout)
        && downAfter == u.downAfter
        && probeAfter.equals(u.probeAfter)
        && maxProbeAfter.equals(u.maxProbeAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(servers, attemptTimeout, downAfter, probeAfter, maxProbeAfter);
  }

  /** Returns the servers and rules, e.g. {@code Upstreams[192.0.2.53:53, 198.51.100.53:53 ...]}. */
  @Override
  public String toString() {
    List<String> names = new ArrayList<>(servers.size());
    for (InetSocketAddress s : servers) {
      names.add(name(s));
    }
    return "Upstreams" + names + " attemptTimeout=" + (attemptTimeout == null ? "share"
        : attemptTimeout) + " downAfter=" + downAfter + " probeAfter=" + probeAfter
        + " maxProbeAfter=" + maxProbeAfter;
  }

  /**
   * Builds {@link Upstreams}. Servers accumulate in the order given; every other setting may be
   * given once: giving it again throws, saying what it already was.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Map<String, Object> given = new HashMap<>();
    private final List<InetSocketAddress> servers = new ArrayList<>();
    private @Nullable Duration attemptTimeout;
    private int downAfter = 3;
    private Duration probeAfter = Duration.ofSeconds(5);
    private @Nullable Duration maxProbeAfter;

    Builder() {}

    private void once(String setting, Object value) {
      Object previous = given.putIfAbsent(setting, value);
      if (previous != null) {
        throw new IllegalStateException(setting + " was already set to " + previous);
      }
    }

    /**
     * Adds a server after those already added (later means less preferred).
     *
     * @param server an IP address and port, already resolved (the system resolver is never
     *     used)
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved or already added
     */
    public Builder server(InetSocketAddress server) {
      Objects.requireNonNull(server, "server");
      if (server.isUnresolved()) {
        throw new IllegalArgumentException("upstream address is unresolved: " + server);
      }
      if (servers.contains(server)) {
        throw new IllegalArgumentException("upstream " + name(server) + " is given twice");
      }
      servers.add(server);
      return this;
    }

    /**
     * Adds servers in order, as {@link #server} one by one.
     *
     * @param list the servers, most preferred first
     * @return this builder
     * @throws IllegalArgumentException if an address is unresolved or already added
     */
    public Builder servers(Collection<InetSocketAddress> list) {
      for (InetSocketAddress s : list) {
        server(s);
      }
      return this;
    }

    /**
     * Sets how long one attempt may wait before the question moves to the next server; by
     * default the resolver's query timeout divided by the number of servers. The last attempt
     * may always use what is left of the query timeout.
     *
     * @param value more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     * @throws IllegalStateException if already set
     */
    public Builder attemptTimeout(Duration value) {
      positive("attemptTimeout", value);
      once("attemptTimeout", value);
      this.attemptTimeout = value;
      return this;
    }

    /**
     * Sets how many failures in a row mark a server down; 3 by default.
     *
     * @param failures at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder downAfter(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("downAfter must be at least 1: " + failures);
      }
      once("downAfter", failures);
      this.downAfter = failures;
      return this;
    }

    /**
     * Sets the first back-off before a down server is probed; 5 s by default. It doubles after
     * each failure while the server is down, up to {@link #maxProbeAfter}.
     *
     * @param value more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     * @throws IllegalStateException if already set
     */
    public Builder probeAfter(Duration value) {
      positive("probeAfter", value);
      once("probeAfter", value);
      this.probeAfter = value;
      return this;
    }

    /**
     * Sets the longest back-off before a down server is probed; by default 60 s, or {@link
     * #probeAfter} if that is longer.
     *
     * @param value more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     * @throws IllegalStateException if already set
     */
    public Builder maxProbeAfter(Duration value) {
      positive("maxProbeAfter", value);
      once("maxProbeAfter", value);
      this.maxProbeAfter = value;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the upstreams
     * @throws IllegalStateException if no server was added, or {@link #maxProbeAfter} is below
     *     {@link #probeAfter}
     */
    public Upstreams build() {
      if (servers.isEmpty()) {
        throw new IllegalStateException("at least one upstream server is required");
      }
      Duration max = maxProbeAfter;
      if (max != null && max.compareTo(probeAfter) < 0) {
        throw new IllegalStateException(
            "maxProbeAfter " + maxProbeAfter + " is below probeAfter " + probeAfter);
      }
      return new Upstreams(this);
    }

    private static void positive(String setting, Duration value) {
      Objects.requireNonNull(value, setting);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive: " + value);
      }
    }
  }
}
