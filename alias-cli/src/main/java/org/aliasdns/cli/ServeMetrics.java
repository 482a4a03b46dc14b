package org.aliasdns.cli;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Siblings;
import org.aliasdns.resolver.LiveZone;
import org.aliasdns.resolver.ResolverStats;
import org.aliasdns.resolver.UpstreamState;
import org.aliasdns.resolver.UpstreamStats;
import org.aliasdns.server.NotifyResult;
import org.aliasdns.server.ServerStats;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of {@code aliasdns serve} in the Prometheus text format, served over HTTP at {@code
 * /metrics} by the Prometheus Java client's own exporter (the JDK's HTTP server underneath).
 * Counters and gauges are read from the library's snapshots when scraped ({@link ServerStats},
 * {@link ResolverStats}, each zone's latest {@link LiveZone.Update}), so nothing is counted
 * twice; NOTIFY results, which have no snapshot, are counted as they come.
 *
 * <p>The names, all prefixed {@code aliasdns_}: {@code dns_queries_total{transport}}, {@code
 * dns_responses_limited_total{action="dropped"|"slipped"}} (response rate limiting), the other
 * {@code dns_*} and {@code tcp_*} counters of {@link ServerStats}, {@code resolver_*} from {@link
 * ResolverStats}, {@code upstream_up{upstream}} (1 up, 0 down) and {@code
 * upstream_queries_total}, {@code upstream_failures_total}, {@code upstream_timeouts_total} per
 * upstream server, {@code zone_serial{zone}}, {@code zone_aliases{zone,status}} (alias names and
 * families that are fresh, stale, without addresses or unresolved), {@code
 * zone_serial_changes_total{zone}}, {@code notify_total{status}} and {@code
 * transfers_total{type="axfr"|"ixfr",result="served"|"refused"}}.
 *
 * <p>Zones are added by name ({@link #zone}), so one exporter serves every zone of a process.
 */
final class ServeMetrics implements AutoCloseable {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Map<String, Supplier<Optional<LiveZone.Update>>> zones =
      new ConcurrentSkipListMap<>();
  private final Map<String, LongSupplier> serials = new ConcurrentSkipListMap<>();
  private final Map<String, Long> serialChanges = new ConcurrentSkipListMap<>();
  private final Map<String, Supplier<@Nullable SignedZone>> signedZones =
      new ConcurrentSkipListMap<>();
  private final Map<String, Long> signingFailures = new ConcurrentSkipListMap<>();
  private final Counter notify;
  private final HTTPServer http;

  private ServeMetrics(
      InetSocketAddress address,
      Supplier<ServerStats> server,
      Supplier<ResolverStats> resolver,
      TransferCount transfers)
      throws IOException {
    serverMetrics(server);
    CounterWithCallback.builder()
        .name("aliasdns_transfers")
        .help("zone transfers asked of this server, by kind (axfr, RFC 5936; ixfr, RFC 1995)"
            + " and outcome (served, or refused: not NOERROR, a TSIG error among them)")
        .labelNames("type", "result")
        .callback(
            cb -> {
              for (TransferCount.Outcome o : TransferCount.Outcome.values()) {
                String result = o.name().toLowerCase(Locale.ROOT);
                cb.call(transfers.count(false, o), "axfr", result);
                cb.call(transfers.count(true, o), "ixfr", result);
              }
            })
        .register(registry);
    resolverMetrics(resolver);
    zoneMetrics();
    this.notify =
        Counter.builder()
            .name("aliasdns_notify")
            .help("NOTIFY messages to secondaries by how they ended (RFC 1996)")
            .labelNames("status")
            .register(registry);
    for (NotifyResult.Status s : NotifyResult.Status.values()) {
      notify.labelValues(label(s)).inc(0); // every status shows, at 0 until it happens
    }
    this.http =
        HTTPServer.builder()
            .inetAddress(address.getAddress())
            .port(address.getPort())
            .registry(registry)
            .buildAndStart();
  }

  /**
   * Binds the exporter and starts serving {@code /metrics}.
   *
   * @param address where to listen; port 0 picks one
   * @param server the DNS server's counters now
   * @param resolver the resolver's counters now
   * @param transfers the zone transfers counted so far
   * @return the running exporter
   * @throws IOException if the address cannot be bound; the message starts with the address
   *     and {@code (metrics)}
   */
  static ServeMetrics start(
      InetSocketAddress address,
      Supplier<ServerStats> server,
      Supplier<ResolverStats> resolver,
      TransferCount transfers)
      throws IOException {
    try {
      return new ServeMetrics(address, server, resolver, transfers);
    } catch (IOException e) {
      // Name the listener: a port taken by something else is otherwise told from DNS's by nobody.
      throw new IOException(ServeSession.text(address) + " (metrics): " + e.getMessage(), e);
    }
  }

  /**
   * Adds a zone: its serial and aliases by status, read from its latest update when scraped.
   *
   * @param origin the zone's name, the {@code zone} label
   * @param latest the zone's latest update, empty before the first
   */
  void zone(String origin, Supplier<Optional<LiveZone.Update>> latest) {
    zone(origin, latest, () -> latest.get().map(LiveZone.Update::serial).orElse(-1L));
  }

  /**
   * Adds a zone whose published serial is not its latest update's (a signed zone's serial
   * also moves when signatures are renewed).
   *
   * @param origin the zone's name, the {@code zone} label
   * @param latest the zone's latest update, empty before the first
   * @param serial the serial published, negative before the first
   */
  void zone(String origin, Supplier<Optional<LiveZone.Update>> latest, LongSupplier serial) {
    zones.put(origin, Objects.requireNonNull(latest, "latest"));
    serials.put(origin, Objects.requireNonNull(serial, "serial"));
    serialChanges.putIfAbsent(origin, 0L);
  }

  /**
   * Removes a zone that is no longer served (a reload took it out): its series disappear from
   * the next scrape.
   *
   * @param origin the zone's name
   */
  void withdraw(String origin) {
    zones.remove(origin);
    serials.remove(origin);
    serialChanges.remove(origin);
    signedZones.remove(origin);
    signingFailures.remove(origin);
  }

  /**
   * Sets whether a zone is served signed: its signature expiry and signing failures are
   * exported while it is.
   *
   * @param origin the zone's name, the {@code zone} label
   * @param signed the signed zone served now (null before the first signing), or null when
   *     the zone is served unsigned
   */
  void signed(String origin, @Nullable Supplier<@Nullable SignedZone> signed) {
    if (signed == null) {
      signedZones.remove(origin);
      signingFailures.remove(origin);
    } else {
      signedZones.put(origin, signed);
      signingFailures.putIfAbsent(origin, 0L);
    }
  }

  /**
   * Counts one signing of a zone that failed (the signed zone served before stays).
   *
   * @param origin the zone's name
   */
  void signingFailed(String origin) {
    signingFailures.computeIfPresent(origin, (k, n) -> n + 1);
  }

  /**
   * Counts one update of a zone whose serial moved.
   *
   * @param origin the zone's name
   */
  void serialChanged(String origin) {
    serialChanges.merge(origin, 1L, Long::sum);
  }

  /**
   * Counts one NOTIFY result.
   *
   * @param result how the NOTIFY ended
   */
  void notified(NotifyResult result) {
    notify.labelValues(label(result.status())).inc();
  }

  /**
   * Returns the port the exporter listens on.
   *
   * @return the bound port, the chosen one when 0 was asked for
   */
  int port() {
    return http.getPort();
  }

  /** Stops the HTTP server. */
  @Override
  public void close() {
    http.close();
  }

  private static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private void counter(
      String name, String help, Supplier<ServerStats> s, ToDoubleFunction<ServerStats> f) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(f.applyAsDouble(s.get())))
        .register(registry);
  }

  private void gauge(
      String name, String help, Supplier<ServerStats> s, ToDoubleFunction<ServerStats> f) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(f.applyAsDouble(s.get())))
        .register(registry);
  }

  private void serverMetrics(Supplier<ServerStats> s) {
    CounterWithCallback.builder()
        .name("aliasdns_dns_queries")
        .help("DNS messages received, by transport")
        .labelNames("transport")
        .callback(
            cb -> {
              ServerStats now = s.get();
              cb.call(now.udpQueries(), "udp");
              cb.call(now.tcpQueries(), "tcp");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("aliasdns_dns_responses_limited")
        .help("UDP responses over the response rate limit: dropped, or slipped (sent truncated)")
        .labelNames("action")
        .callback(
            cb -> {
              ServerStats now = s.get();
              cb.call(now.rateLimitDropped(), "dropped");
              cb.call(now.rateLimitSlipped(), "slipped");
            })
        .register(registry);
    counter("aliasdns_dns_formerr", "queries answered FORMERR", s, ServerStats::formerr);
    counter("aliasdns_dns_rejected", "queries answered NOTIMP or BADVERS", s, ServerStats::rejected);
    counter("aliasdns_dns_dropped",
        "messages not answered (too short, QR set, dropped by the handler)", s,
        ServerStats::dropped);
    counter("aliasdns_dns_truncated", "UDP responses that did not fit and went out with TC set",
        s, ServerStats::truncated);
    counter("aliasdns_dns_handler_failures", "queries answered SERVFAIL because the handler failed",
        s, ServerStats::handlerFailures);
    counter("aliasdns_dns_packet_cache_hits", "UDP queries answered from the packet cache",
        s, ServerStats::packetCacheHits);
    gauge("aliasdns_dns_packet_cache_bytes", "bytes the packet cache holds", s,
        ServerStats::packetCacheBytes);
    counter("aliasdns_dns_listener_errors", "unexpected exceptions in a listener thread (a bug)",
        s, ServerStats::listenerErrors);
    gauge("aliasdns_dns_listener_threads", "listener threads running", s,
        ServerStats::listenerThreads);
    gauge("aliasdns_tcp_connections_open", "TCP connections open", s,
        ServerStats::tcpConnectionsOpen);
    counter("aliasdns_tcp_connections_accepted", "TCP connections accepted", s,
        ServerStats::tcpConnectionsAccepted);
    counter("aliasdns_tcp_connections_rejected", "TCP connections closed on accept, over a cap", s,
        ServerStats::tcpConnectionsRejected);
    counter("aliasdns_tcp_connections_timed_out", "TCP connections closed for idleness", s,
        ServerStats::tcpConnectionsTimedOut);
    counter("aliasdns_tcp_connections_evicted", "idle TCP connections closed to make room", s,
        ServerStats::tcpConnectionsEvicted);
    gauge("aliasdns_tcp_unsent_bytes", "reply bytes TCP connections hold unsent", s,
        ServerStats::tcpBytesUnsent);
  }

  private void resolverMetrics(Supplier<ResolverStats> r) {
    resolverCounter("aliasdns_resolver_queries_sent", "upstream queries sent, one per attempt", r,
        ResolverStats::queriesSent);
    resolverCounter("aliasdns_resolver_cache_hits", "lookups answered from fresh cache entries", r,
        ResolverStats::hits);
    resolverCounter("aliasdns_resolver_cache_misses", "lookups that needed upstream", r,
        ResolverStats::misses);
    resolverCounter("aliasdns_resolver_stale_served", "lookups answered stale (RFC 8767)", r,
        ResolverStats::staleServed);
    resolverCounter("aliasdns_resolver_prefetches", "refreshes started by a hit late in its TTL",
        r, ResolverStats::prefetches);
    resolverCounter("aliasdns_resolver_coalesced_waits", "lookups that joined a query in flight",
        r, ResolverStats::coalescedWaits);
    resolverCounter("aliasdns_resolver_upstream_failures",
        "upstream questions that failed on every server tried (SERVFAIL, REFUSED, timeout, bad"
            + " response)", r,
        ResolverStats::upstreamFailures);
    resolverCounter("aliasdns_resolver_bogus",
        "lookups whose upstream answer failed DNSSEC validation (with --trust-anchor)", r,
        ResolverStats::bogus);
    resolverCounter("aliasdns_resolver_rejected", "upstream queries refused, in-flight limit full",
        r, ResolverStats::rejected);
    resolverCounter("aliasdns_resolver_ignored_responses",
        "datagrams that did not match their query and were ignored (RFC 5452 §9.1)", r,
        ResolverStats::ignoredResponses);
    upstreamMetrics(r);
  }

  /** Each upstream server's health and counters, labelled {@code upstream="HOST:PORT"}. */
  private void upstreamMetrics(Supplier<ResolverStats> r) {
    GaugeWithCallback.builder()
        .name("aliasdns_upstream_up")
        .help("1 while an upstream server is up, 0 while it is marked down")
        .labelNames("upstream")
        .callback(
            cb -> {
              for (UpstreamStats u : r.get().upstreams()) {
                cb.call(u.state() == UpstreamState.UP ? 1 : 0, u.name());
              }
            })
        .register(registry);
    upstreamCounter("aliasdns_upstream_queries", "queries sent to each upstream server", r,
        UpstreamStats::queries);
    upstreamCounter("aliasdns_upstream_failures",
        "attempts that failed at each upstream server (timeouts included)", r,
        UpstreamStats::failures);
    upstreamCounter("aliasdns_upstream_timeouts",
        "attempts at each upstream server that got no response in time", r,
        UpstreamStats::timeouts);
  }

  private void upstreamCounter(
      String name, String help, Supplier<ResolverStats> r, ToDoubleFunction<UpstreamStats> f) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("upstream")
        .callback(
            cb -> {
              for (UpstreamStats u : r.get().upstreams()) {
                cb.call(f.applyAsDouble(u), u.name());
              }
            })
        .register(registry);
  }

  private void resolverCounter(
      String name, String help, Supplier<ResolverStats> r, ToDoubleFunction<ResolverStats> f) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(f.applyAsDouble(r.get())))
        .register(registry);
  }

  private void zoneMetrics() {
    GaugeWithCallback.builder()
        .name("aliasdns_zone_serial")
        .help("the SOA serial each zone publishes")
        .labelNames("zone")
        .callback(
            cb -> serials.forEach((origin, serial) -> {
              long published = serial.getAsLong();
              if (published >= 0) {
                cb.call(published, origin);
              }
            }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("aliasdns_zone_aliases")
        .help(
            "alias names and families (A, AAAA, HTTPS when flattened) of each zone by what they"
                + " publish")
        .labelNames("zone", "status")
        .callback(
            cb -> zones.forEach((origin, latest) -> latest.get().ifPresent(u -> {
              Map<Siblings.Status, Integer> counts = count(u.current());
              counts.forEach((status, n) -> cb.call(n, origin, label(status)));
            })))
        .register(registry);
    GaugeWithCallback.builder()
        .name("aliasdns_zone_signatures_expire_timestamp_seconds")
        .help(
            "when the earliest RRSIG of each signed zone expires, in Unix seconds (RFC 4034"
                + " §3.1.5); signatures are renewed the refresh window before it, so alert when"
                + " it comes closer than that")
        .labelNames("zone")
        .callback(
            cb -> signedZones.forEach((origin, signed) -> {
              SignedZone s = signed.get();
              if (s != null) {
                cb.call(s.expiresAt().getEpochSecond(), origin);
              }
            }))
        .register(registry);
    CounterWithCallback.builder()
        .name("aliasdns_zone_signing_failures")
        .help("signings of each signed zone that failed since start (the signed zone served"
            + " before stays served)")
        .labelNames("zone")
        .callback(cb -> signingFailures.forEach((origin, n) -> cb.call(n, origin)))
        .register(registry);
    CounterWithCallback.builder()
        .name("aliasdns_zone_serial_changes")
        .help("times each zone was published with a new serial since start")
        .labelNames("zone")
        .callback(cb -> serialChanges.forEach((origin, n) -> cb.call(n, origin)))
        .register(registry);
  }

  private static Map<Siblings.Status, Integer> count(FlattenedZone zone) {
    Map<Siblings.Status, Integer> counts = new EnumMap<>(Siblings.Status.class);
    for (Siblings.Status s : Siblings.Status.values()) {
      counts.put(s, 0);
    }
    for (Siblings s : zone.siblings()) {
      counts.merge(s.status(), 1, Integer::sum);
    }
    return counts;
  }
}
