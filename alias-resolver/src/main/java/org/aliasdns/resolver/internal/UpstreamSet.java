package org.aliasdns.resolver.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.UpstreamState;
import org.aliasdns.resolver.UpstreamStats;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Resolver;

/**
 * The servers one resolver asks, each with its health and counters, and the rule that orders
 * them for a question (the rules are stated on {@link org.aliasdns.resolver.Upstreams}). Health
 * changes under each server's own lock; nothing here blocks on I/O.
 */
public final class UpstreamSet {
  private final List<Server> servers;
  private final @Nullable Duration attemptTimeout;
  private final int downAfter;
  private final Duration probeAfter;
  private final Duration maxProbeAfter;

  /**
   * Creates the set.
   *
   * @param servers the servers in order of preference, at least one
   * @param attemptTimeout how long one attempt may wait, or null for the query timeout divided
   *     by the number of servers
   * @param downAfter failures in a row that mark a server down
   * @param probeAfter the first back-off before a down server is probed
   * @param maxProbeAfter the longest back-off
   */
  public UpstreamSet(
      List<Server> servers,
      @Nullable Duration attemptTimeout,
      int downAfter,
      Duration probeAfter,
      Duration maxProbeAfter) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no upstream server");
    }
    this.servers = List.copyOf(servers);
    this.attemptTimeout = attemptTimeout;
    this.downAfter = downAfter;
    this.probeAfter = probeAfter;
    this.maxProbeAfter = maxProbeAfter;
  }

  /**
   * Returns one server with the default rules.
   *
   * @param name the server's name in stats
   * @param transport how queries reach it
   * @return the set
   */
  public static UpstreamSet single(String name, Resolver transport) {
    return new UpstreamSet(
        List.of(new Server(name, transport)), null, 3, Duration.ofSeconds(5),
        Duration.ofSeconds(60));
  }

  /**
   * Returns the servers in configured order.
   *
   * @return the servers
   */
  public List<Server> servers() {
    return servers;
  }

  /** How long an attempt that is not the last may wait, in nanoseconds. */
  long attemptNanos(Duration queryTimeout) {
    return attemptTimeout != null
        ? attemptTimeout.toNanos()
        : queryTimeout.toNanos() / servers.size();
  }

  /**
   * Returns the servers a question goes to, in the order it tries them: a down server whose
   * back-off has ended (the probe, claimed for this question alone) and then the servers that
   * are up, in configured order; when none is up, every server, the oldest failure first.
   *
   * @param now the injected clock's now
   * @return at least one server
   */
  List<Server> order(Instant now) {
    if (servers.size() == 1) {
      return servers;
    }
    List<Server> up = new ArrayList<>(servers.size());
    Server probe = null;
    for (Server s : servers) {
      synchronized (s) {
        if (s.state == UpstreamState.UP) {
          up.add(s);
        } else if (probe == null && !s.probing && !now.isBefore(s.nextProbe)) {
          s.probing = true;
          probe = s;
        }
      }
    }
    if (up.isEmpty()) {
      if (probe != null) {
        synchronized (probe) {
          probe.probing = false; // every server is tried: no probe to reserve
        }
      }
      List<Server> all = new ArrayList<>(servers);
      // Stable: equal times keep the configured order.
      all.sort(Comparator.comparing(Server::lastFailure));
      return all;
    }
    if (probe != null) {
      up.add(0, probe);
    }
    return up;
  }

  /**
   * Gives back the probe a question claimed but never sent (its deadline passed first), so that
   * the server is probed by the next question instead of never again.
   */
  void notAsked(List<Server> order, int from) {
    for (int i = from; i < order.size(); i++) {
      Server s = order.get(i);
      synchronized (s) {
        s.probing = false;
      }
    }
  }

  /**
   * Records an accepted response from a server, marking it up, unless the server went down
   * after the query was sent: a backlog of answers to queries sent before it was marked down
   * (a burst at start against an upstream that drops part of it) is no news of its health, and
   * would flip it up and down again many times a second.
   *
   * @param s the server
   * @param sentInEpoch {@link Server#epoch()} when the query was sent
   * @param listener told when the server comes up
   */
  void answered(Server s, long sentInEpoch, ResolverListener listener) {
    if (s.clean) {
      return; // up with no failure since its last answer: nothing to change, no lock taken
    }
    boolean cameUp;
    synchronized (s) {
      if (s.state == UpstreamState.DOWN && sentInEpoch != s.epoch) {
        return; // asked before it went down: counts for nothing either way
      }
      s.clean = true;
      cameUp = s.state == UpstreamState.DOWN;
      s.state = UpstreamState.UP;
      s.consecutiveFailures = 0;
      s.backoff = probeAfter;
      s.probing = false;
    }
    if (cameUp) {
      Listeners.call(() -> listener.upstreamStateChanged(s.name, UpstreamState.UP, "answered"));
    }
  }

  /** Records a failed attempt at a server: down after too many in a row, back-off doubled. */
  void failed(Server s, UpstreamFailure failure, Instant now, ResolverListener listener) {
    s.failures.increment();
    if (failure.kind() == Kind.TIMEOUT) {
      s.timeouts.increment();
    }
    boolean wentDown = false;
    synchronized (s) {
      s.clean = false;
      s.consecutiveFailures++;
      s.lastFailure = now;
      s.probing = false;
      if (s.state == UpstreamState.UP) {
        if (s.consecutiveFailures >= downAfter) {
          s.state = UpstreamState.DOWN;
          s.epoch++;
          s.backoff = probeAfter;
          s.nextProbe = now.plus(jittered(probeAfter));
          wentDown = true;
        }
      } else {
        Duration doubled = s.backoff.multipliedBy(2);
        s.backoff = doubled.compareTo(maxProbeAfter) > 0 ? maxProbeAfter : doubled;
        s.nextProbe = now.plus(jittered(s.backoff));
      }
    }
    if (wentDown) {
      String why = downAfter + " failures in a row, the last: " + failure.reason();
      Listeners.call(() -> listener.upstreamStateChanged(s.name, UpstreamState.DOWN, why));
    }
  }

  /** A wait between 75% and 100% of the back-off, so resolvers do not probe in step. */
  private static Duration jittered(Duration backoff) {
    long nanos = backoff.toNanos();
    long cut = (long) (nanos * 0.25 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(nanos - cut);
  }

  /**
   * Returns every server's counters and health.
   *
   * @return one entry per server, in configured order
   */
  List<UpstreamStats> stats() {
    List<UpstreamStats> all = new ArrayList<>(servers.size());
    for (Server s : servers) {
      UpstreamState state;
      long consecutive;
      synchronized (s) {
        state = s.state;
        consecutive = s.consecutiveFailures;
      }
      all.add(
          new UpstreamStats(
              s.name, state, s.queries.sum(), s.failures.sum(), s.timeouts.sum(), consecutive));
    }
    return all;
  }

  /** One server: how to reach it, its health (under its lock) and its counters. */
  public static final class Server {
    final String name;
    final Resolver transport;
    final LongAdder queries = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    private UpstreamState state = UpstreamState.UP;
    private long consecutiveFailures;
    private Instant lastFailure = Instant.MIN;
    private Instant nextProbe = Instant.MIN;
    private Duration backoff = Duration.ZERO;
    private boolean probing;
    /** How many times it was marked down: tells an answer sent before the last time. */
    private long epoch;
    /** Up with no failure since its last answer; written under the lock, read without it. */
    private volatile boolean clean = true;

    /**
     * Creates a server that is up.
     *
     * @param name its name in stats and listener calls
     * @param transport how queries reach it
     */
    public Server(String name, Resolver transport) {
      this.name = Objects.requireNonNull(name, "name");
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Returns how queries reach this server.
     *
     * @return the transport
     */
    public Resolver transport() {
      return transport;
    }

    /**
     * Returns the server's name.
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns how many times the server was marked down so far; a query notes it when sent and
     * hands it to {@link UpstreamSet#answered}.
     *
     * @return the count
     */
    public synchronized long epoch() {
      return epoch;
    }

    private synchronized Instant lastFailure() {
      return lastFailure;
    }
  }
}
