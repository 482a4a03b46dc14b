package org.aliasdns.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.flatten.FlatteningProblem;
import org.aliasdns.core.flatten.Siblings;
import org.aliasdns.core.Zone;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.UpstreamState;
import org.aliasdns.resolver.Upstreams;
import org.aliasdns.resolver.LiveZone;
import org.aliasdns.resolver.ResolverStats;
import org.aliasdns.resolver.TargetChange;
import org.aliasdns.resolver.TargetMonitor;
import org.aliasdns.server.DnsServer;
import org.aliasdns.server.Notifier;
import org.aliasdns.server.NotifyResult;
import org.aliasdns.server.ResponseRateLimit;
import org.aliasdns.server.ServerStats;
import org.aliasdns.server.TransferAcl;
import org.aliasdns.server.TsigKey;
import org.aliasdns.server.ZoneHandler;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What {@code aliasdns serve} runs: one zone, kept flattened by the library's {@link LiveZone}
 * and served by alias-server; this class only wires the two together and writes the log.
 *
 * <p>The served zone is the <em>flattened</em> zone: the apex A/AAAA are plain records built
 * from the alias targets' current addresses, so ordinary queries, AXFR and every secondary that
 * transfers the zone give the same answers. Each {@link LiveZone.Update} is handed to the
 * handler with the results of the zone's targets; when its serial moved (RFC 1982: only when
 * the published content changed), the handler swaps the zone in one step and sends NOTIFY (RFC
 * 1996) to the configured secondaries, and one line per changed name and family goes to the
 * log. A standing problem (a target that fails, so its name is served stale or not at all) is
 * warned of once when the name's state changes, and the return to fresh addresses is logged
 * once, never again on each re-flattening while it lasts. While a target fails, its last good addresses stay published with the stale TTL (RFC
 * 8767 serve-stale), so the apex never turns into SERVFAIL; they go back to the normal TTL when
 * it answers again, and are withdrawn after max stale: the monitor reports each of those
 * transitions, so nothing polls.
 *
 * <p>Time comes from the given clock: with {@link Builder#tick} the monitor runs on its own
 * scheduler; without it nothing runs in the background and a test calls {@link #runDue()} after
 * advancing a manual clock.
 */
final class ServeSession implements AutoCloseable {
  private final AliasResolver resolver;
  private final TargetMonitor monitor;
  private final LiveZone live;
  private final ZoneHandler handler;
  private final DnsServer server;
  private final @Nullable Duration tick;
  private final Consumer<String> log;
  private final Consumer<String> warn;
  private final @Nullable InetSocketAddress metricsAddress;
  private volatile @Nullable ServeMetrics metrics;
  private final Map<InetSocketAddress, Boolean> acknowledged = new ConcurrentHashMap<>();
  private final @Nullable Path stateFile;
  private @Nullable ScheduledExecutorService scheduler;
  private boolean started;
  private boolean closed;

  private ServeSession(Builder b, AliasResolver resolver) {
    this.tick = b.tick;
    this.log = b.log;
    this.warn = b.warn;
    this.metricsAddress = b.metrics;
    this.resolver = resolver;
    this.monitor =
        TargetMonitor.builder(resolver).retryBackoff(b.retryInitial, b.retryMax).build();
    LiveZone.Builder liveZone = LiveZone.builder(b.source, monitor).policy(b.policy).clock(b.clock);
    Long resume = b.lastSerial;
    if (resume != null) {
      liveZone.resumeAfter(resume);
    }
    this.live = liveZone.build();
    this.stateFile = b.stateFile;
    TransferAcl acl = b.transferAcl;
    if (acl == null) {
      // RFC 1996: a notified secondary must be able to pull the zone it was told about.
      TransferAcl.Builder rules = TransferAcl.builder();
      b.secondaries.forEach(s -> rules.allow(s.getAddress(), hostPrefix(s.getAddress())));
      acl = rules.build();
    }
    Consumer<? super Error> fatal = b.onFatalError;
    ZoneHandler.Builder zoneHandler =
        ZoneHandler.builder()
            .policy(b.policy)
            .clock(b.clock)
            .transferAcl(acl)
            .tsigKeys(b.tsigKeys)
            .journalVersions(b.journalVersions)
            .journalBytes(b.journalBytes)
            .notify(b.secondaries)
            .onNotified(this::notified);
    if (fatal != null) {
      zoneHandler.notifier(Notifier.builder().onFatalError(fatal).build());
    }
    if (b.catalog != null) {
      zoneHandler.catalog(b.catalog);
    }
    this.handler = zoneHandler.build();
    DnsServer.Builder server = DnsServer.builder(handler).listen(b.listen);
    if (fatal != null) {
      server.onFatalError(fatal);
    }
    if (b.udpThreads > 0) {
      server.udpThreads(b.udpThreads);
    }
    ResponseRateLimit rrl = b.responseRateLimit;
    if (rrl != null) {
      server.responseRateLimit(rrl);
    }
    this.server = server.build();
  }

  /** The prefix length that holds one address: 32 for IPv4, 128 for IPv6. */
  static int hostPrefix(InetAddress address) {
    return address.getAddress().length * 8;
  }

  /**
   * Counts a NOTIFY result, and tells of a secondary whose NOTIFYs stop or start being
   * acknowledged, once per change: a secondary that stays down is not warned of again at each
   * new serial.
   */
  void notified(NotifyResult result) {
    ServeMetrics m = metrics;
    if (m != null) {
      m.notified(result);
    }
    Boolean before = acknowledged.put(result.secondary(), result.acknowledged());
    if (!result.acknowledged() && !Boolean.FALSE.equals(before)) {
      warn.accept("NOTIFY to " + text(result.secondary()) + " not acknowledged: " + result);
    } else if (result.acknowledged() && Boolean.FALSE.equals(before)) {
      log.accept("NOTIFY to " + text(result.secondary()) + " acknowledged again");
    }
  }

  /**
   * Starts a session for one zone; {@link Builder#upstream} is required.
   *
   * @param source the zone as configured, with its alias records
   * @return a builder
   */
  static Builder builder(Zone source) {
    return new Builder(source);
  }

  /**
   * Resolves every alias target once, publishes the first flattening, binds the listeners (and
   * the metrics exporter, if asked for) and, with a tick, starts the background refreshes.
   *
   * @return this session
   * @throws IOException if the listen address or the metrics address cannot be bound
   * @throws IllegalStateException if already started
   */
  synchronized ServeSession start() throws IOException {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    // The first resolution of every target, bounded by the resolver's query timeout.
    live.runDue().toCompletableFuture().join();
    LiveZone.Update first = live.latest().orElseThrow();
    first.problems().forEach(p -> warn.accept(problem(p)));
    // Listen first, then serve: a secondary notified by the first update finds us bound.
    server.start();
    InetSocketAddress metricsAt = metricsAddress;
    if (metricsAt != null) {
      ServeMetrics m = ServeMetrics.start(metricsAt, server::stats, resolver::stats);
      m.zone(live.source().origin().toString(), live::latest);
      metrics = m;
    }
    handler.serve(first.source(), first.current(), first.results());
    keepSerial(first.serial());
    live.addListener(this::published);
    Duration every = tick;
    if (every != null) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "alias-serve-monitor");
                t.setDaemon(true);
                return t;
              });
      scheduler = s;
      live.start(s, every);
    }
    return this;
  }

  /**
   * Logs each flattened name whose published TTL moved while its addresses stayed: a serial
   * moved for it, and an operator reading the log should see which alias did that.
   */
  private void logTtlChanges(FlattenedZone before, FlattenedZone flat) {
    boolean any = false;
    for (Siblings now : flat.siblings()) {
      RecordSet records = now.records();
      RecordSet old = before.siblings(now.owner(), now.family()).map(Siblings::records).orElse(null);
      if (records != null && old != null && records.ttl() != old.ttl()) {
        any = true;
        log.accept(
            now.owner() + " " + Type.string(records.type()) + " TTL " + old.ttl() + " -> "
                + records.ttl() + " serial " + flat.serial());
      }
    }
    if (!any) {
      log.accept(live.source().origin() + " changed serial " + flat.serial());
    }
  }

  /** Writes the serial published to the state file, if there is one; a failure is a warning. */
  private void keepSerial(long serial) {
    Path state = stateFile;
    if (state != null) {
      try {
        SerialState.write(state, serial);
      } catch (IOException e) {
        warn.accept("warning: cannot keep serial " + serial + " in " + state + ": " + e);
      }
    }
  }

  /** Serves an update, and logs it when the zone changed. */
  private void published(LiveZone.Update update) {
    FlattenedZone flat = update.current();
    handler.serve(update.source(), flat, update.results()); // NOTIFY when the serial moved
    reportTransitions(update);
    if (!update.serialChanged()) {
      return;
    }
    keepSerial(flat.serial());
    ServeMetrics m = metrics;
    if (m != null) {
      m.serialChanged(live.source().origin().toString());
    }
    // A target's HTTPS RRset (--https flatten) is no AliasChange, which lists addresses.
    boolean httpsChanged = false;
    for (TargetChange t : update.targetChanges()) {
      if (t.type() == Type.HTTPS && t.recordsChanged()) {
        log.accept(t + " serial " + flat.serial());
        httpsChanged = true;
      }
    }
    FlattenedZone before = update.previous();
    if (flat.changes().isEmpty() && !httpsChanged && before != null) {
      logTtlChanges(before, flat);
    }
    for (AliasChange c : flat.changes()) {
      log.accept(
          c.owner()
              + " "
              + Type.string(c.family().type())
              + " "
              + AddressText.list(c.oldAddresses(), c.family().type())
              + " -> "
              + AddressText.list(c.newAddresses(), c.family().type())
              + " serial "
              + flat.serial());
    }
  }

  /**
   * Tells of each alias name and family whose state changed kind in this update, once: a
   * warning with the problem when it went stale or unresolved (or lost every address), a line
   * when it is fresh again. A state that lasts through later re-flattenings is not told again.
   */
  private void reportTransitions(LiveZone.Update update) {
    FlattenedZone flat = update.current();
    for (LiveZone.Transition t : update.transitions()) {
      FlatteningProblem p = null;
      for (FlatteningProblem candidate : flat.problems()) {
        if (candidate.owner().equals(t.owner()) && candidate.family() == t.family()) {
          p = candidate;
          break;
        }
      }
      if (t.after() != Siblings.Status.FRESH && p != null) {
        warn.accept(problem(p));
      } else {
        log.accept(t.toString()); // back to fresh, or a family with no addresses of its own
      }
    }
  }

  /**
   * Refreshes the targets that are due by the clock now, as the background tick does.
   *
   * @return a stage that completes when those refreshes, and any re-flattening they caused, are
   *     done
   */
  CompletionStage<Void> runDue() {
    return live.runDue();
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the bound port, the chosen one when the listen port was 0
   */
  int port() {
    return server.port();
  }

  /**
   * Returns the address the server listens on.
   *
   * @return the bound address
   */
  InetSocketAddress address() {
    return server.address();
  }

  /**
   * Returns the port the metrics exporter listens on.
   *
   * @return the bound port, or -1 when no metrics address was given or not started
   */
  int metricsPort() {
    ServeMetrics m = metrics;
    return m == null ? -1 : m.port();
  }

  /**
   * Returns the server's counters now.
   *
   * @return the server's stats
   */
  ServerStats serverStats() {
    return server.stats();
  }

  /**
   * Returns the resolver's counters now.
   *
   * @return the resolver's stats
   */
  ResolverStats resolverStats() {
    return resolver.stats();
  }

  /**
   * Returns what is published now.
   *
   * @return the latest flattening
   * @throws IllegalStateException if not started
   */
  FlattenedZone published() {
    return live.current().orElseThrow(() -> new IllegalStateException("not started"));
  }

  /** Stops the refreshes, the scheduler and the server; calling it again does nothing. */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = scheduler;
    }
    live.close();
    monitor.close();
    if (s != null) {
      s.shutdownNow();
    }
    ServeMetrics m = metrics;
    if (m != null) {
      m.close();
    }
    server.close();
  }

  private static String problem(FlatteningProblem p) {
    return p.toString();
  }

  /** An address as text; IPv6 in RFC 5952 form ({@link AddressText}). */
  static String literal(InetAddress address) {
    return AddressText.of(address);
  }

  /**
   * Writes an address as {@code 127.0.0.1:53} or {@code [::1]:53}.
   *
   * @param address the socket address
   * @return the text
   */
  static String text(InetSocketAddress address) {
    return AddressText.of(address);
  }

  /** Settings of a {@link ServeSession}; each may be given once. */
  static final class Builder {
    private final Zone source;
    private final Set<String> given = new HashSet<>();
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private @Nullable Upstreams upstreams;
    private FlatteningPolicy policy = FlatteningPolicy.defaults();
    private InstantSource clock = InstantSource.system();
    private @Nullable TransferAcl transferAcl;
    private List<TsigKey> tsigKeys = List.of();
    private int journalVersions = ZoneHandler.DEFAULT_JOURNAL_VERSIONS;
    private long journalBytes = ZoneHandler.DEFAULT_JOURNAL_BYTES;
    private @Nullable Name catalog;
    private List<InetSocketAddress> secondaries = List.of();
    private @Nullable Duration tick;
    private Duration queryTimeout = Duration.ofSeconds(5);
    private Duration retryInitial = Duration.ofSeconds(30);
    private Duration retryMax = Duration.ofMinutes(5);
    private int udpThreads;
    private @Nullable ResponseRateLimit responseRateLimit;
    private @Nullable InetSocketAddress metrics;
    private Consumer<String> log = line -> {};
    private Consumer<String> warn = line -> {};
    private @Nullable Consumer<? super Error> onFatalError;
    private @Nullable Path stateFile;
    private @Nullable Long lastSerial;

    private Builder(Zone source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    private void once(String setting) {
      if (!given.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    /**
     * Keeps the serial published in a state file ({@link SerialState}): the first publication
     * resumes after {@code lastSerial} (read from it before), and each new serial is written.
     */
    Builder serialState(Path file, @Nullable Long lastSerial) {
      once("serialState");
      this.stateFile = Objects.requireNonNull(file, "file");
      this.lastSerial = lastSerial;
      return this;
    }

    /** Sets the address and port to listen on (UDP and TCP); port 0 picks one. */
    Builder listen(InetSocketAddress value) {
      once("listen");
      this.listen = Objects.requireNonNull(value, "listen");
      return this;
    }

    /** Sets the recursive resolver the alias targets are resolved through (an IP address). */
    Builder upstream(InetSocketAddress value) {
      return upstreams(Upstreams.of(List.of(Objects.requireNonNull(value, "upstream"))));
    }

    /** Sets the recursive resolvers, in order of preference, with their failover rules. */
    Builder upstreams(Upstreams value) {
      once("upstream");
      this.upstreams = Objects.requireNonNull(value, "upstreams");
      return this;
    }

    /** Sets the flattening policy; {@link FlatteningPolicy#defaults()} otherwise. */
    Builder policy(FlatteningPolicy value) {
      once("policy");
      this.policy = Objects.requireNonNull(value, "policy");
      return this;
    }

    /** Sets the clock for the resolver, the monitor, flattening and answers; the system's. */
    Builder clock(InstantSource value) {
      once("clock");
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets who may transfer the zone; otherwise loopback and the {@link #notify} secondaries,
     * without a key.
     */
    Builder transferAcl(TransferAcl value) {
      once("transferAcl");
      this.transferAcl = Objects.requireNonNull(value, "transferAcl");
      return this;
    }

    /** Sets the TSIG keys (RFC 8945) requests may be signed with; none otherwise. */
    Builder tsigKeys(List<TsigKey> value) {
      once("tsigKeys");
      this.tsigKeys = List.copyOf(value);
      return this;
    }

    /** Sets the IXFR journal's bounds (RFC 1995): earlier versions and record bytes kept. */
    Builder journal(int versions, long bytes) {
      once("journal");
      this.journalVersions = versions;
      this.journalBytes = bytes;
      return this;
    }

    /** Publishes a catalog zone (RFC 9432) of the served zones at this origin. */
    Builder catalog(Name value) {
      once("catalog");
      this.catalog = Objects.requireNonNull(value, "catalog");
      return this;
    }

    /** Sets the secondaries told by NOTIFY of each new serial; they may transfer the zone. */
    Builder notify(List<InetSocketAddress> value) {
      once("notify");
      this.secondaries = List.copyOf(value);
      return this;
    }

    /** Runs the monitor on its own scheduler at this delay; without it, only {@link #runDue}. */
    Builder tick(Duration value) {
      once("tick");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("tick must be positive: " + value);
      }
      this.tick = value;
      return this;
    }

    /** Sets how long one upstream query may take; 5 s otherwise. */
    Builder queryTimeout(Duration value) {
      once("queryTimeout");
      this.queryTimeout = Objects.requireNonNull(value, "queryTimeout");
      return this;
    }

    /** Sets the monitor's retry backoff after a failed refresh; 30 s to 5 min otherwise. */
    Builder retryBackoff(Duration initial, Duration max) {
      once("retryBackoff");
      this.retryInitial = initial;
      this.retryMax = max;
      return this;
    }

    /** Sets the number of UDP receiver threads; the server's default otherwise. */
    Builder udpThreads(int value) {
      once("udpThreads");
      if (value < 1) {
        throw new IllegalArgumentException("udpThreads must be at least 1: " + value);
      }
      this.udpThreads = value;
      return this;
    }

    /** Limits UDP responses per client prefix (see {@link ResponseRateLimit}); off otherwise. */
    Builder responseRateLimit(ResponseRateLimit value) {
      once("responseRateLimit");
      this.responseRateLimit = Objects.requireNonNull(value, "responseRateLimit");
      return this;
    }

    /** Serves metrics in the Prometheus text format at {@code http://ADDR:PORT/metrics}. */
    Builder metrics(InetSocketAddress value) {
      once("metrics");
      this.metrics = Objects.requireNonNull(value, "metrics");
      return this;
    }

    /** Sets where the one-line-per-change log goes. */
    Builder log(Consumer<String> value) {
      once("log");
      this.log = Objects.requireNonNull(value, "log");
      return this;
    }

    /**
     * Sets where warnings go: flattening problems (at start, then once per change of an alias
     * name's state), unacknowledged NOTIFYs.
     */
    Builder warn(Consumer<String> value) {
      once("warn");
      this.warn = Objects.requireNonNull(value, "warn");
      return this;
    }

    /**
     * Sets what happens after an {@link Error} (out of memory, say) on a server thread or while
     * a NOTIFY is sent: the server has closed itself by then (see {@code
     * DnsServer.Builder#onFatalError}). By default the error is logged and the session stays
     * up without its server; {@code aliasdns serve} ends the process instead.
     */
    Builder onFatalError(Consumer<? super Error> value) {
      once("onFatalError");
      this.onFatalError = Objects.requireNonNull(value, "onFatalError");
      return this;
    }

    /**
     * Builds the session, not started.
     *
     * @return the session
     * @throws IllegalStateException if no upstream was given
     */
    ServeSession build() {
      Upstreams up = upstreams;
      if (up == null) {
        throw new IllegalStateException("upstream is required");
      }
      Consumer<String> info = log;
      Consumer<String> warning = warn;
      AliasResolver resolver =
          AliasResolver.builder()
              .upstreams(up)
              .listener(
                  new ResolverListener() {
                    @Override
                    public void upstreamStateChanged(
                        String upstream, UpstreamState state, String reason) {
                      // Once per change of state, not per failure.
                      if (state == UpstreamState.DOWN) {
                        warning.accept("upstream " + upstream + " is down: " + reason);
                      } else {
                        info.accept("upstream " + upstream + " is up again");
                      }
                    }
                  })
              .clock(clock)
              .policy(policy)
              .queryTimeout(queryTimeout)
              .build();
      return new ServeSession(this, resolver);
    }
  }
}
