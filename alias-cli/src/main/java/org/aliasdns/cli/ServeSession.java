package org.aliasdns.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.flatten.FlatteningProblem;
import org.aliasdns.core.flatten.Siblings;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyTiming;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.ZoneSigner;
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
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/**
 * What {@code aliasdns serve} runs: one or many zones, each kept flattened by the library's
 * {@link LiveZone} and served by alias-server; this class only wires them together and writes
 * the log.
 *
 * <p>Every zone shares one {@link AliasResolver}, one {@link TargetMonitor} and one {@link
 * ZoneHandler}: a target that many zones use is resolved once and watched once, and when it
 * moves each zone that uses it is flattened again, with one new serial and one NOTIFY each (the
 * monitor's refresh round is one re-flattening per zone). The handler routes each query to the
 * zone with the closest enclosing origin (REFUSED outside every zone), and transfers and
 * notifies per zone; its catalog (RFC 9432) lists every zone.
 *
 * <p>The served zone is the <em>flattened</em> zone: the apex A/AAAA are plain records built
 * from the alias targets' current addresses, so ordinary queries, AXFR and every secondary that
 * transfers the zone give the same answers. Each {@link LiveZone.Update} is handed to the
 * handler with the results of the zone's targets; when its serial moved (RFC 1982: only when
 * the published content changed), the handler swaps the zone in one step and sends NOTIFY (RFC
 * 1996) to the configured secondaries, and one line per changed name and family goes to the
 * log. A standing problem (a target that fails, so its name is served stale or not at all) is
 * warned of once when the name's state changes, and the return to fresh addresses is logged
 * once, never again on each re-flattening while it lasts. While a target fails, its last good
 * addresses stay published with the stale TTL (RFC 8767 serve-stale), so the apex never turns
 * into SERVFAIL; they go back to the normal TTL when it answers again, and are withdrawn after
 * max stale: the monitor reports each of those transitions, so nothing polls.
 *
 * <p>{@link #reload} changes the set of zones while serving: new zones start, removed ones stop
 * (and leave the catalog), changed ones are replaced, each in one atomic step of the handler, and
 * the zones left as they were keep their live zone, serial and results untouched.
 *
 * <p>Time comes from the given clock: with {@link Builder#tick} the monitor runs on its own
 * scheduler; without it nothing runs in the background and a test calls {@link #runDue()} after
 * advancing a manual clock.
 *
 * <p>A zone with a signer ({@link ZoneSpec#signing}; {@link Builder#signer} for a session of one
 * zone) is served signed: each of its updates is signed
 * incrementally from the previous signing and served signed ({@code ZoneHandler.serve(source,
 * flattened, signed, results)}): the signed zone's serial is the one published, kept in the state
 * file and logged, and signatures entering the refresh window are renewed at each tick (or
 * {@link #runDue()}).
 */
final class ServeSession implements AutoCloseable {
  /**
   * Upstream queries in flight at once unless configured ({@code server: upstream-queries}):
   * a start over thousands of targets asks them this many at a time, not in one burst that a
   * rate-limiting upstream drops.
   */
  static final int DEFAULT_UPSTREAM_QUERIES = 64;

  private final AliasResolver resolver;
  private final TargetMonitor monitor;
  private final ZoneHandler handler;
  /** The handler the servers call: {@link #handler}, its transfers counted for the metrics. */
  private final TransferCount transfers;
  private final List<DnsServer> servers;
  private final @Nullable Duration tick;
  private final InstantSource clock;
  private final Consumer<String> log;
  private final Consumer<String> warn;
  private final @Nullable InetSocketAddress metricsAddress;
  private volatile @Nullable ServeMetrics metrics;
  private final Map<InetSocketAddress, Boolean> acknowledged = new ConcurrentHashMap<>();
  private final @Nullable Path stateDir;
  private final @Nullable Path stateFile;
  private final List<ZoneSpec> initial;
  /** Whether a zone whose first signing fails at start is left out rather than ending it. */
  private final boolean partialStart;
  /** The zones served now, by origin; changed only under {@link #serving}. */
  private final Map<Name, Served> zones = new ConcurrentHashMap<>();
  /** Hands updates to the handler and changes {@link #zones}, one at a time. */
  private final Object serving = new Object();
  /**
   * Updates of this refresh round not handed to the handler yet, by origin; guarded by {@link
   * #serving}. The monitor tells every zone's subscription before its listeners, so the
   * session's listener ({@link #flushRound}) hands them all over in one batch at the round's end.
   */
  private final Map<Name, Pending> pending = new LinkedHashMap<>();
  private @Nullable ScheduledExecutorService scheduler;

  /** Key timing events already told of ({@link #followKeyTiming}). */
  private final Set<String> keyNotices = ConcurrentHashMap.newKeySet();
  private boolean started;
  private boolean closed;

  /**
   * One zone as given: its source, the policy it is flattened under, and its DNSSEC signing.
   *
   * @param source the zone as configured, with its alias records and a SOA
   * @param policy its flattening policy
   * @param signing how it is signed (RFC 4033–4035), or null to serve it unsigned
   */
  record ZoneSpec(Zone source, FlatteningPolicy policy, @Nullable Signing signing) {
    ZoneSpec {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(policy, "policy");
    }

    /** An unsigned zone. */
    ZoneSpec(Zone source, FlatteningPolicy policy) {
      this(source, policy, null);
    }

    Name origin() {
      return source.origin();
    }

    /** The zone's signer, or null when it is served unsigned. */
    @Nullable ZoneSigner signer() {
      Signing s = signing;
      return s == null ? null : s.signer();
    }

    /**
     * Tells whether another spec signs alike: both unsigned, or both signed from the same keys
     * and policy (by {@link Signing#madeFrom}).
     */
    boolean signsLike(ZoneSpec other) {
      Signing a = signing;
      Signing b = other.signing;
      return a == null ? b == null : b != null && a.madeFrom().equals(b.madeFrom());
    }
  }

  /**
   * A zone's DNSSEC signing.
   *
   * @param signer the signer, with its keys' timing (RFC 7583 §3.1)
   * @param madeFrom what the signer was made from (its keys' files, their content and the
   *     policy), as text: a reload that reads the same text keeps the zone as it is, one that
   *     reads another signs it anew with the new signer
   */
  record Signing(ZoneSigner signer, String madeFrom) {
    Signing {
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(madeFrom, "madeFrom");
    }
  }

  /** A zone's first update, signed before the zone is served ({@link #signFirst}). */
  private record FirstSigning(LiveZone.Update from, LiveZone.Update update, SignedZone signed) {}

  /** An update of a round waiting for the round's end, and its zone. */
  private record Pending(Served zone, LiveZone.Update update) {}

  /** One zone being served: its live zone and what was last handed to the handler. */
  private final class Served {
    final ZoneSpec spec;
    final LiveZone live;
    final @Nullable Path stateFile;
    /** The update the handler serves now; guarded by {@link #serving}. */
    LiveZone.@Nullable Update served;
    /**
     * The signing of {@link #served} the handler serves, when signing; written under serving,
     * volatile so that a metrics scrape reads it without waiting for a signing.
     */
    volatile @Nullable SignedZone signed;
    /** Its first update signed before it is served, until it is; guarded by serving. */
    @Nullable FirstSigning firstSigning;
    /** When it was opened: its keys' events before then are not logged as they happen. */
    final Instant since;
    /**
     * The alias names and families ({@code "owner type"}) whose RRset no signed message could
     * hold at the last signing, each warned about once; guarded by {@link #serving}.
     */
    final Set<String> unsignable = new HashSet<>();
    /** The last signing failure warned about while a signed zone is served, or null. */
    @Nullable String signingFailure;

    Served(ZoneSpec spec, LiveZone live, @Nullable Path stateFile, Instant since) {
      this.spec = spec;
      this.live = live;
      this.stateFile = stateFile;
      this.since = since;
    }

    String name() {
      return spec.origin().toString();
    }

    @Nullable ZoneSigner signer() {
      return spec.signer();
    }
  }

  private ServeSession(Builder b, AliasResolver resolver) {
    this.tick = b.tick;
    this.clock = b.clock;
    this.log = b.log;
    this.warn = b.warn;
    this.metricsAddress = b.metrics;
    this.resolver = resolver;
    this.monitor =
        TargetMonitor.builder(resolver).retryBackoff(b.retryInitial, b.retryMax).build();
    // After every zone of a round has re-flattened (subscriptions are told first): one batch.
    monitor.addListener(round -> flushRound());
    this.stateDir = b.stateDir;
    this.stateFile = b.stateFile;
    this.initial = b.zones;
    this.partialStart = b.partialStart;
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
    this.transfers = new TransferCount(handler);
    List<DnsServer> built = new ArrayList<>();
    for (InetSocketAddress at : b.listen) {
      DnsServer.Builder server =
          DnsServer.builder(transfers)
              .listen(at)
              .packetCacheBytes(packetCacheBytes(b.zones.size()));
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
      built.add(server.build());
    }
    this.servers = List.copyOf(built);
  }

  /** Packet-cache bytes per zone served at start, beyond the server's default. */
  static final long PACKET_CACHE_BYTES_PER_ZONE = 2048;

  /**
   * The packet cache of each listener, sized from the zones served at start: the server's
   * default (8 MiB) plus {@link #PACKET_CACHE_BYTES_PER_ZONE} per zone (room for about six
   * answers of each zone: 28 MiB for 10,000 zones), so that with many zones the questions asked
   * of every zone still fit.
   */
  static long packetCacheBytes(int zones) {
    return (8L << 20) + PACKET_CACHE_BYTES_PER_ZONE * zones;
  }

  /**
   * Builds a response rate limit from configured values, null ones keeping the defaults.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  static ResponseRateLimit rateLimit(ServeConfig.RateLimit limit) {
    ResponseRateLimit.Builder b =
        ResponseRateLimit.builder().responsesPerSecond(limit.responsesPerSecond());
    Integer slip = limit.slip();
    if (slip != null) {
      b.slip(slip);
    }
    Integer v4 = limit.ipv4Prefix();
    if (v4 != null) {
      b.ipv4PrefixLength(v4);
    }
    Integer v6 = limit.ipv6Prefix();
    if (v6 != null) {
      b.ipv6PrefixLength(v6);
    }
    return b.build();
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
   * Starts a session for one zone, flattened under {@link Builder#policy}; {@link
   * Builder#upstream} is required.
   *
   * @param source the zone as configured, with its alias records
   * @return a builder
   */
  static Builder builder(Zone source) {
    return new Builder().zone(source);
  }

  /**
   * Starts a session for the zones given with {@link Builder#zone(Zone, FlatteningPolicy)}.
   *
   * @return a builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves every alias target of every zone once (a target many zones share, once), publishes
   * each zone's first flattening, binds the listeners (and the metrics exporter, if asked for)
   * and, with a tick, starts the background refreshes.
   *
   * @return this session
   * @throws IOException if a listen address or the metrics address cannot be bound
   * @throws UnusableInputException if signing a zone's first flattening fails (nothing signed
   *     could be served)
   * @throws IllegalStateException if already started
   */
  synchronized ServeSession start() throws IOException {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    List<Served> opened = new ArrayList<>();
    for (ZoneSpec spec : initial) {
      opened.add(open(spec, stateFile != null ? stateFile : stateFileOf(spec.origin())));
    }
    // The first resolution of every target, bounded by the resolver's query timeout.
    monitor.runDue().toCompletableFuture().join();
    for (Iterator<Served> i = opened.iterator(); i.hasNext(); ) {
      Served z = i.next();
      z.live.publishFirst();
      LiveZone.Update first = z.live.latest().orElseThrow();
      first.problems().forEach(p -> warn.accept(problem(p)));
      String failure = signFirst(z, null);
      if (failure == null) {
        continue;
      }
      if (!partialStart) {
        // Nothing signed to serve: a session answering REFUSED for its whole zone would hide
        // the failure, so the start fails as aliasdns sign does (exit 2), before it binds.
        throw new UnusableInputException(failure);
      }
      // One zone whose keys ran out does not keep the others from being served; a reload
      // tries it again.
      warn.accept("error: zone " + z.name() + " not started: " + failure);
      z.live.close();
      i.remove();
    }
    if (opened.isEmpty()) {
      throw new UnusableInputException("no zone could be started: each one's signing failed");
    }
    // Listen first, then serve: a secondary notified by the first update finds us bound.
    for (DnsServer server : servers) {
      server.start();
    }
    InetSocketAddress metricsAt = metricsAddress;
    if (metricsAt != null) {
      metrics = ServeMetrics.start(metricsAt, this::serverStats, resolver::stats, transfers);
    }
    activate(opened);
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
      monitor.start(s, every);
      // RFC 4035 §2.2: signatures are renewed before they expire, the serial moving once (in
      // every zone served signed, a reload's included).
      s.scheduleWithFixedDelay(
          this::renewSignatures, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Renews, in every zone served signed, the signatures that enter the refresh window ({@link
   * ZoneSigner#refresh}); serves and logs the result when anything was renewed. Nothing happens
   * when not signing or nothing is due.
   */
  void renewSignatures() {
    for (Served served : zones.values()) {
      ZoneSigner z = served.signer();
      if (z == null) {
        continue;
      }
      SignedZone next;
      synchronized (serving) {
        SignedZone previous = served.signed;
        LiveZone.Update update = served.served;
        if (zones.get(served.spec.origin()) != served
            || previous == null
            || update == null
            || clock.instant().isBefore(previous.refreshAt())) {
          continue;
        }
        followKeyTiming(z, served.since);
        try {
          next = z.refresh(previous, clock.instant());
        } catch (RuntimeException e) {
          signingFailed(served, "renewing signatures of " + served.name() + " failed", e);
          continue;
        }
        served.signed = next;
        served.signingFailure = null;
        if (!next.changed()) {
          continue;
        }
        handler.serve(update.source(), update.current(), next, update.results());
      }
      keepSerial(served, next.serial());
      ServeMetrics m = metrics;
      if (m != null) {
        m.serialChanged(served.name());
      }
      log.accept(
          served.name() + " signatures renewed serial " + next.serial() + ": "
              + next.signaturesMade() + " made");
    }
  }

  /**
   * Warns of a signing that failed while a signed zone is served (the previous one stays), once
   * for as long as the same failure repeats: a key set with no active key fails at every tick.
   * Called under {@link #serving}.
   */
  private void signingFailed(Served z, String what, RuntimeException e) {
    ServeMetrics m = metrics;
    if (m != null) {
      m.signingFailed(z.name());
    }
    String message = String.valueOf(e.getMessage());
    if (!message.equals(z.signingFailure)) {
      z.signingFailure = message;
      warn.accept("error: " + what + ", previous signed zone still served: " + message);
    }
  }

  /**
   * Tells, once each, of keys that reached, while serving, their Publish time (their DNSKEY is
   * served), the time they start signing (Activate, or Publish where that comes later), their
   * Inactive time (a warning: they make no new signatures from now on) or their Delete time
   * (their DNSKEY is withdrawn), as the signer follows them (RFC 7583 §3.1; {@link
   * ZoneSigner#withTiming}). Events before {@code since} (when the zone was opened with this
   * signer) are not told of.
   */
  private void followKeyTiming(ZoneSigner sign, Instant since) {
    Instant now = clock.instant();
    for (SigningKey k : sign.keys()) {
      KeyTiming t = sign.timing(k);
      Instant publish = t.publish();
      Instant activate = t.activate();
      Instant inactive = t.inactive();
      Instant delete = t.delete();
      if (publish != null && publish.isAfter(since) && t.publishedAt(now)
          && keyNotices.add(k.fileStem() + " publish")) {
        log.accept(
            "key " + k.fileStem() + " published at " + publish + " (its Publish time): its DNSKEY"
                + " is served");
      }
      Instant signs = activate == null || (publish != null && publish.isAfter(activate))
          ? publish : activate;
      if (signs != null && signs.isAfter(since) && t.signsAt(now)
          && keyNotices.add(k.fileStem() + " activate")) {
        log.accept(
            "key " + k.fileStem() + " active since " + signs
                + (signs.equals(activate) ? " (its Activate time)" : " (its Publish time)")
                + ": it signs");
      }
      if (inactive != null && !inactive.isAfter(now) && keyNotices.add(k.fileStem() + " inactive")) {
        warn.accept(
            "warning: key " + k.fileStem() + " is inactive since " + inactive
                + " (its Inactive time): it makes no new signatures");
      }
      if (delete != null && !delete.isAfter(now) && keyNotices.add(k.fileStem() + " delete")) {
        log.accept(
            "key " + k.fileStem() + " deleted at " + delete + " (its Delete time): its DNSKEY"
                + " is withdrawn as the zone is signed");
      }
    }
  }

  /**
   * The serial a zone publishes: the signed zone's when signing (it also moves when signatures
   * are renewed), else the latest update's; -1 before the first.
   */
  private long publishedSerial(Served z) {
    if (z.signer() != null) {
      SignedZone s = z.signed;
      return s == null ? -1 : s.serial();
    }
    return z.live.latest().map(LiveZone.Update::serial).orElse(-1L);
  }

  /**
   * Returns the signed zone published now, for a session of one zone.
   *
   * @return the latest signing, or empty when not signing or not started
   */
  Optional<SignedZone> signedZone() {
    synchronized (serving) {
      for (Served z : zones.values()) {
        return Optional.ofNullable(z.signed);
      }
      return Optional.empty();
    }
  }

  /**
   * Returns the serial a zone is served with: its signed zone's when signed (which also moves
   * when signatures are renewed), else its latest flattening's.
   *
   * @param origin the zone's origin
   * @return the serial, or -1 before the first publication
   * @throws IllegalStateException if no such zone is served
   */
  long servedSerial(Name origin) {
    Served z = zones.get(origin);
    if (z == null) {
      throw new IllegalStateException("not serving " + origin);
    }
    return publishedSerial(z);
  }

  /**
   * Returns the signed zone published now at an origin.
   *
   * @param origin the zone's origin
   * @return its latest signing, or empty when it is not served, not signed or not started
   */
  Optional<SignedZone> signedZone(Name origin) {
    Served z = zones.get(origin);
    return z == null ? Optional.empty() : Optional.ofNullable(z.signed);
  }

  /**
   * Logs each flattened name whose published TTL moved while its addresses stayed: a serial
   * moved for it, and an operator reading the log should see which alias did that.
   */
  private void logTtlChanges(String zone, FlattenedZone before, FlattenedZone flat, long serial) {
    boolean any = false;
    for (Siblings now : flat.siblings()) {
      RecordSet records = now.records();
      RecordSet old = before.siblings(now.owner(), now.family()).map(Siblings::records).orElse(null);
      if (records != null && old != null && records.ttl() != old.ttl()) {
        any = true;
        log.accept(
            now.owner() + " " + Type.string(records.type()) + " TTL " + old.ttl() + " -> "
                + records.ttl() + " serial " + serial);
      }
    }
    if (!any) {
      log.accept(zone + " changed serial " + serial);
    }
  }

  private @Nullable Path stateFileOf(Name origin) {
    Path dir = stateDir;
    return dir == null ? null : SerialState.file(dir, origin);
  }

  /**
   * Builds a zone's live zone on the shared monitor (so it watches its targets) and listens to
   * it; it is not served until {@link #activate}.
   */
  private Served open(ZoneSpec spec, @Nullable Path state) {
    return open(spec, state, null);
  }

  /**
   * {@link #open}, the first serial following {@code after} (a replaced zone's last) or else
   * the one kept in the state file.
   */
  private Served open(ZoneSpec spec, @Nullable Path state, @Nullable Long after) {
    LiveZone.Builder b =
        LiveZone.builder(spec.source(), monitor).policy(spec.policy()).clock(clock);
    Long resume = after != null ? after : state == null ? null : SerialState.resume(state, warn);
    if (resume != null) {
      b.resumeAfter(resume);
    }
    Served z = new Served(spec, b.build(), state, clock.instant());
    z.live.addListener(u -> published(z, u));
    return z;
  }

  /**
   * Signs a zone's first update before the zone is served (at start, or when a reload adds or
   * replaces it), for {@link #activate} to serve. Its keys' timing is checked against the zone
   * once here (RFC 7583 §3.2.1, warnings), and keys already past their Delete time are not
   * followed (they were told of where the keys were read). Replacing a signed zone, a key that
   * signs now but whose DNSKEY the zone served before did not publish is warned of: resolvers
   * holding the DNSKEY RRset cannot validate its signatures until that expires.
   *
   * @param previous the signed zone served before at this origin (a reload's), or null
   * @return null when the zone is unsigned or now signed, else why its signing failed
   */
  private @Nullable String signFirst(Served z, @Nullable SignedZone previous) {
    ZoneSigner sign = z.signer();
    LiveZone.Update update = z.live.latest().orElse(null);
    if (sign == null || update == null) {
      return null;
    }
    for (SigningKey k : sign.keys()) {
      if (sign.timing(k).deletedAt(z.since)) {
        keyNotices.add(k.fileStem() + " inactive");
        keyNotices.add(k.fileStem() + " delete");
      }
    }
    sign.timingWarnings(update.current().zone(), z.since)
        .forEach(w -> warn.accept("warning: " + w));
    synchronized (serving) {
      try {
        LiveZone.Update signable = signable(z, update, sign);
        z.firstSigning =
            new FirstSigning(
                update, signable, sign.sign(signable.current().zone(), clock.instant(), null));
      } catch (RuntimeException e) {
        return "signing " + z.name() + " failed: " + e.getMessage();
      }
    }
    FirstSigning first = z.firstSigning;
    if (previous != null && first != null) {
      keySetChanges(z, sign, previous, first.signed());
    }
    return null;
  }

  /**
   * Warns of what a new key set does to validators that hold the zone's DNSKEY RRset as served
   * before (a reload's): a key that signs zone data at once although that RRset did not hold
   * its DNSKEY (RFC 7583 §3.2.1: publish a key a DNSKEY TTL before it signs; a KSK, which signs
   * only the RRset that holds it, is exempt, as in RFC 7583 §3.3.1's double-signature
   * rollover), a DNSKEY withdrawn because its key is no longer given rather than by its Delete
   * time, and the withdrawal of every key that signed the DNSKEY RRset before (a DS or trust
   * anchor for it then makes the zone bogus, RFC 7583 §3.3).
   */
  private void keySetChanges(Served z, ZoneSigner sign, SignedZone previous, SignedZone next) {
    Name apex = z.spec.origin();
    RecordSet before = previous.zone().get(apex, Type.DNSKEY).orElse(null);
    RecordSet after = next.zone().get(apex, Type.DNSKEY).orElse(null);
    Map<String, DNSKEYRecord> published = new LinkedHashMap<>();
    if (before != null) {
      before.forEach(r -> published.put(r.rdataToString(), (DNSKEYRecord) r));
    }
    Set<String> publishedNow = new HashSet<>();
    if (after != null) {
      after.forEach(r -> publishedNow.add(r.rdataToString()));
    }
    Instant now = clock.instant();
    Set<String> given = new HashSet<>();
    // A SEP key beside a non-SEP key of its algorithm signs the DNSKEY RRset only (ZoneSigner).
    Set<DnssecAlgorithm> withZsk = EnumSet.noneOf(DnssecAlgorithm.class);
    for (SigningKey k : sign.keys()) {
      given.add(k.dnskey().rdataToString());
      if (!k.isSecureEntryPoint()) {
        withZsk.add(k.algorithm());
      }
    }
    for (SigningKey k : sign.keys()) {
      boolean dnskeyOnly = k.isSecureEntryPoint() && withZsk.contains(k.algorithm());
      if (!dnskeyOnly && sign.timing(k).signsAt(now)
          && !published.containsKey(k.dnskey().rdataToString())) {
        warn.accept(
            "warning: key " + k.fileStem() + " signs from now, but the DNSKEY RRset served"
                + " before did not hold its DNSKEY: resolvers holding that RRset (TTL "
                + (before == null ? 0 : before.ttl()) + " s) cannot validate its signatures"
                + " until it expires; publish a key the DNSKEY TTL before it signs (RFC 7583"
                + " §3.2.1: dnssec-keygen -P now -A +<TTL>)");
      }
    }
    Set<Integer> signedDnskeys = new java.util.TreeSet<>();
    previous.zone().get(apex, Type.RRSIG).ifPresent(sigs -> sigs.forEach(r -> {
      RRSIGRecord sig = (RRSIGRecord) r;
      if (sig.getTypeCovered() == Type.DNSKEY) {
        signedDnskeys.add(sig.getFootprint());
      }
    }));
    boolean anyKskLeft = false;
    for (Map.Entry<String, DNSKEYRecord> e : published.entrySet()) {
      DNSKEYRecord d = e.getValue();
      boolean stays = publishedNow.contains(e.getKey());
      anyKskLeft |= stays && signedDnskeys.contains(d.getFootprint());
      if (!stays && !given.contains(e.getKey())) {
        warn.accept(
            "warning: " + apex + ": the DNSKEY of key tag " + d.getFootprint() + " (flags "
                + d.getFlags() + ") is withdrawn because its key is no longer given, not by its"
                + " Delete time: resolvers may still hold RRsets it signed (RFC 7583 §3.2: a"
                + " key leaves the zone a TTL after its Inactive time; dnssec-settime -I, -D)");
      }
    }
    if (!signedDnskeys.isEmpty() && !anyKskLeft) {
      warn.accept(
          "warning: " + apex + ": no key that signed the DNSKEY RRset before (key tag "
              + signedDnskeys + ") is published any more: a DS at the parent or a trust anchor"
              + " for it makes the zone bogus until they name a key published now (RFC 7583"
              + " §3.3)");
    }
  }

  /**
   * Makes each zone the one served at its origin, and serves the latest update of each that has
   * none served yet, all in one batch of the handler (one swap of what is served however many
   * zones start: serving them one at a time would copy the served zones once per zone).
   */
  private void activate(List<Served> opened) {
    List<Served> replaced = new ArrayList<>();
    synchronized (serving) {
      for (Served z : opened) {
        Served before = zones.put(z.spec.origin(), z);
        if (before != null) {
          replaced.add(before);
        }
      }
    }
    for (Served before : replaced) {
      before.live.close(); // waits for an update it is handing over; no more after
    }
    ServeMetrics m = metrics;
    if (m != null) {
      for (Served z : opened) {
        m.zone(z.name(), z.live::latest, () -> publishedSerial(z));
        m.signed(z.name(), z.signer() == null ? null : () -> z.signed);
      }
    }
    List<Served> unsigned = new ArrayList<>();
    for (Served z : opened) {
      if (z.signer() == null) {
        unsigned.add(z);
        continue;
      }
      LiveZone.Update latest = z.live.latest().orElse(null);
      if (latest != null) {
        handOver(z, latest, true);
      }
    }
    // Read outside the lock: a live zone's listener holds the zone's lock while it waits for
    // this one (handOver), so taking them the other way round could deadlock.
    List<LiveZone.@Nullable Update> latestOf = new ArrayList<>();
    for (Served z : unsigned) {
      latestOf.add(z.live.latest().orElse(null));
    }
    List<Served> handed = new ArrayList<>();
    List<Long> serials = new ArrayList<>();
    synchronized (serving) {
      ZoneHandler.Batch batch = handler.batch();
      for (int i = 0; i < unsigned.size(); i++) {
        Served z = unsigned.get(i);
        LiveZone.@Nullable Update latest = latestOf.get(i);
        if (latest == null || zones.get(z.spec.origin()) != z || z.served != null) {
          continue; // not published yet, replaced meanwhile, or its listener was first
        }
        batch.serve(latest.source(), latest.current(), latest.results()); // NOTIFY: new
        z.served = latest;
        handed.add(z);
        serials.add(latest.serial());
      }
      batch.apply();
    }
    for (int i = 0; i < handed.size(); i++) {
      keepSerial(handed.get(i), serials.get(i));
    }
  }

  /**
   * Hands an update to the handler if its zone is the one served at its origin: a zone replaced
   * or removed by a reload is quiet from then on. With {@code onlyFirst}, only if nothing of this
   * zone was handed over yet (every later update comes through the listener). An unsigned
   * update from the listener, which a refresh round caused, waits for the round's end and is
   * served with the round's others in one batch ({@link #flushRound}). With a signer, the
   * update is signed incrementally from the zone's previous signing first (only changed RRsets,
   * their NSEC/NSEC3 records and the SOA are signed anew); a signing that fails leaves the
   * previous signed zone served, with a warning.
   *
   * @return the serial published (the signed zone's when signing), or -1 if nothing was handed
   *     over (no serial is negative, RFC 1982)
   */
  private long handOver(Served z, LiveZone.Update update, boolean onlyFirst) {
    long serial;
    synchronized (serving) {
      if (zones.get(z.spec.origin()) != z || (onlyFirst && z.served != null)) {
        return -1;
      }
      ZoneSigner sign = z.signer();
      FirstSigning first = z.firstSigning;
      z.firstSigning = null;
      if (sign != null && first != null && onlyFirst && first.from() == update) {
        // Signed before the zone was served (signFirst): served as signed then.
        update = first.update();
        z.signed = first.signed();
        handler.serve(update.source(), update.current(), first.signed(), update.results());
        serial = first.signed().serial();
      } else if (sign == null && !onlyFirst) {
        // A round's update: served with the round's others at its end (flushRound).
        pending.put(z.spec.origin(), new Pending(z, update));
        serial = update.serial();
      } else if (sign == null) {
        handler.serve(update.source(), update.current(), update.results()); // NOTIFY if new
        serial = update.serial();
      } else {
        SignedZone next;
        followKeyTiming(sign, z.since);
        try {
          update = signable(z, update, sign);
          next = sign.sign(update.current().zone(), clock.instant(), z.signed);
        } catch (RuntimeException e) {
          if (z.signed == null) {
            // No signed zone yet: its first signing (signFirst) was overtaken by a newer
            // update, which fails.
            ServeMetrics m = metrics;
            if (m != null) {
              m.signingFailed(z.name());
            }
            warn.accept(
                "warning: signing " + z.name() + " failed: " + e.getMessage()
                    + "; nothing signed is served yet");
          } else {
            signingFailed(z, "signing " + z.name() + " failed", e);
          }
          return -1;
        }
        z.signed = next;
        z.signingFailure = null;
        handler.serve(update.source(), update.current(), next, update.results());
        serial = next.serial();
      }
      z.served = update;
    }
    keepSerial(z, serial);
    return serial;
  }

  /**
   * The update to sign and serve: the one given, but for an alias whose RRset no DNS message
   * could hold with its RRSIGs ({@link ZoneSigner#tooLarge}; RFC 1035 §4.2.2), which is treated
   * as its target's resolution failing: the zone is flattened again from the previous signed
   * publication with that target's resolution replaced by a failure, so the alias keeps its last
   * good data (stale, within max stale) or else is unresolved, as for any failed target, live
   * and in the signed zone alike, while every other alias's change is signed and published.
   * Each such alias is warned about once, and logged when it fits again. Called under {@link
   * #serving}.
   */
  private LiveZone.Update signable(Served z, LiveZone.Update update, ZoneSigner sign) {
    LiveZone.Update out = update;
    Set<String> over = new HashSet<>();
    // A fallback is the previous signed publication, which fitted: a second pass is only for
    // a key set that grew meanwhile; three bound it.
    for (int pass = 0; pass < 3; pass++) {
      Map<String, Resolution> failing = new LinkedHashMap<>();
      for (Siblings s : out.current().siblings()) {
        RecordSet set = s.records();
        String why = set == null ? null : sign.tooLarge(set).orElse(null);
        if (why == null) {
          continue;
        }
        String key = s.owner() + " " + Type.string(s.family().type());
        over.add(key);
        if (z.unsignable.add(key)) {
          warn.accept(
              "warning: " + key + " (alias of " + s.target() + ") cannot be signed: " + why
                  + "; served as if its target failed (its last good data, else unresolved)"
                  + " until it fits");
        }
        failing.put(
            s.target() + " " + s.family().type(),
            new Resolution.Failure(
                s.target(), s.family().type(), List.of(), Resolution.Failure.Kind.TOO_LARGE,
                "too large to sign: " + why, clock.instant(), null));
      }
      if (failing.isEmpty()) {
        break;
      }
      out = withFailures(out, failing.values(), z.served);
    }
    for (Iterator<String> i = z.unsignable.iterator(); i.hasNext(); ) {
      String key = i.next();
      if (!over.contains(key)) {
        i.remove();
        log.accept(key + " fits in a signed answer again");
      }
    }
    return out;
  }

  /**
   * The update flattened again with some target resolutions replaced by failures, from the
   * previous update served (whose publications are the last good data to fall back on).
   */
  private LiveZone.Update withFailures(
      LiveZone.Update update, Collection<Resolution> failures,
      LiveZone.@Nullable Update before) {
    FlattenedZone flat = update.current();
    Flattener flattener = Flattener.of(flat.policy());
    List<Resolution> all = new ArrayList<>();
    for (Name target : flattener.targets(update.source())) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.HTTPS}) {
        update.results().get(target, type).ifPresent(all::add);
      }
    }
    all.addAll(failures); // a later one replaces an earlier one (AliasResults.of)
    AliasResults results = AliasResults.of(all);
    FlattenedZone previous = before == null ? null : before.current();
    FlattenedZone again =
        flattener.flatten(update.source(), results, clock.instant(), previous);
    return new LiveZone.Update(update.source(), previous, again, results, update.targetChanges());
  }

  /**
   * Hands the updates of the round just finished to the handler in one batch (one swap of what
   * is served, one NOTIFY per zone whose serial moved), but for zones replaced or removed
   * meanwhile.
   */
  private void flushRound() {
    synchronized (serving) {
      if (pending.isEmpty()) {
        return;
      }
      ZoneHandler.Batch batch = handler.batch();
      for (Pending p : pending.values()) {
        if (zones.get(p.zone().spec.origin()) == p.zone()) {
          LiveZone.Update u = p.update();
          batch.serve(u.source(), u.current(), u.results());
        }
      }
      pending.clear();
      batch.apply();
    }
  }

  /** Writes the serial published to the zone's state file, if any; a failure is a warning. */
  private void keepSerial(Served z, long serial) {
    Path state = z.stateFile;
    if (state != null) {
      try {
        SerialState.write(state, serial);
      } catch (IOException e) {
        warn.accept("warning: cannot keep serial " + serial + " in " + state + ": " + e);
      }
    }
  }

  /** Serves an update, and logs it when the zone changed. */
  private void published(Served z, LiveZone.Update update) {
    SignedZone signedBefore;
    synchronized (serving) {
      signedBefore = z.signed;
    }
    long serial = handOver(z, update, false);
    if (serial < 0) {
      return;
    }
    if (z.signer() != null) {
      // What was signed: an alias too large to sign was flattened again as failing (signable).
      synchronized (serving) {
        LiveZone.Update signed = z.served;
        if (signed != null) {
          update = signed;
        }
      }
    }
    FlattenedZone flat = update.current();
    reportTransitions(update);
    if (!update.serialChanged()) {
      // Signatures that fell due are renewed by the same signing: the serial can move without
      // the flattening changing.
      SignedZone now = z.signed;
      if (signedBefore != null && now != null && signedBefore.serial() != serial) {
        ServeMetrics m = metrics;
        if (m != null) {
          m.serialChanged(z.name());
        }
        log.accept(
            z.name() + " signatures renewed serial " + serial + ": " + now.signaturesMade()
                + " made");
      }
      return;
    }
    ServeMetrics m = metrics;
    if (m != null) {
      m.serialChanged(z.name());
    }
    // A target's HTTPS RRset (--https flatten) is no AliasChange, which lists addresses.
    boolean httpsChanged = false;
    for (TargetChange t : update.targetChanges()) {
      if (t.type() == Type.HTTPS && t.recordsChanged()) {
        log.accept(t + " serial " + serial);
        httpsChanged = true;
      }
    }
    FlattenedZone before = update.previous();
    if (flat.changes().isEmpty() && !httpsChanged && before != null) {
      logTtlChanges(z.name(), before, flat, serial);
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
              + serial);
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
   * What a reload did: the origins of the zones started, stopped, replaced and kept.
   *
   * @param added zones served now that were not before
   * @param removed zones no longer served
   * @param replaced zones served from a new source or policy
   * @param kept zones left exactly as they were
   */
  record Reloaded(List<Name> added, List<Name> removed, List<Name> replaced, List<Name> kept) {
    Reloaded {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      replaced = List.copyOf(replaced);
      kept = List.copyOf(kept);
    }

    @Override
    public String toString() {
      return added.size() + " added, " + removed.size() + " removed, " + replaced.size()
          + " changed, " + kept.size() + " unchanged";
    }
  }

  /**
   * Serves these zones from now on. A zone given with the same source object and an equal
   * policy as the one served is kept as it is (its live zone, serial and results); a new origin
   * starts (its targets resolved, those other zones share already known); an origin not given
   * stops and leaves the catalog; any other is replaced, its first serial after the one
   * published (RFC 1982), so secondaries take it by IXFR or AXFR. Each zone changes in one atomic
   * step of the handler, so no query goes unanswered meanwhile.
   *
   * @param specs the zones, no two with the same origin
   * @return what changed
   * @throws IllegalStateException if the session is not started or is closed
   * @throws IllegalArgumentException if two zones share an origin
   */
  synchronized Reloaded reload(List<ZoneSpec> specs) {
    if (!started || closed) {
      throw new IllegalStateException("not serving");
    }
    Map<Name, ZoneSpec> wanted = new LinkedHashMap<>();
    for (ZoneSpec spec : specs) {
      if (wanted.put(spec.origin(), spec) != null) {
        throw new IllegalArgumentException("two zones with origin " + spec.origin());
      }
    }
    List<Name> added = new ArrayList<>();
    List<Name> replaced = new ArrayList<>();
    List<Name> kept = new ArrayList<>();
    List<Name> removed = new ArrayList<>();
    List<Served> opened = new ArrayList<>();
    for (ZoneSpec spec : wanted.values()) {
      Served now = zones.get(spec.origin());
      if (now != null
          && now.spec.source() == spec.source()
          && now.spec.policy().equals(spec.policy())
          && now.spec.signsLike(spec)) {
        kept.add(spec.origin());
        continue;
      }
      Path state = stateFile != null && initial.size() == 1 ? stateFile : stateFileOf(spec.origin());
      if (now != null) {
        // The replacement starts after the serial published (the signed zone's when signed),
        // whatever the file says (unless newer), so the secondaries' copy is never given the
        // same serial with other content.
        long last = publishedSerial(now);
        opened.add(open(spec, state, last < 0 ? null : last));
      } else {
        opened.add(open(spec, state));
      }
    }
    // Targets that no zone watched before are due now: one round resolves them all; those
    // other zones share already are known and not asked again.
    monitor.runDue().toCompletableFuture().join();
    List<Served> ready = new ArrayList<>();
    for (Served z : opened) {
      z.live.publishFirst();
      Served served = zones.get(z.spec.origin());
      boolean before = served != null;
      String failure = signFirst(z, served == null ? null : served.signed);
      if (failure != null) {
        // Nothing signed to serve: the zone keeps the version served, or is not started.
        // The zone served stays as it was: its zone, keys and signer, which go on signing its
        // updates (the keys' timing as read before).
        warn.accept("reload: zone " + z.name() + (before
            ? " stays as served, with the keys it was signed with before: " : " not started: ")
            + failure);
        ServeMetrics m = metrics;
        if (m != null && before) {
          m.signingFailed(z.name());
        }
        z.live.close();
        if (before) {
          kept.add(z.spec.origin());
        }
        continue;
      }
      ready.add(z);
      (before ? replaced : added).add(z.spec.origin());
    }
    activate(ready);
    List<Served> gone = new ArrayList<>();
    synchronized (serving) {
      ZoneHandler.Batch withdrawn = handler.batch();
      for (Name origin : new ArrayList<>(zones.keySet())) {
        if (!wanted.containsKey(origin)) {
          Served z = zones.remove(origin);
          if (z != null) {
            withdrawn.withdraw(origin); // REFUSED from the next query on; the catalog drops it
            gone.add(z);
          }
        }
      }
      withdrawn.apply();
    }
    for (Served z : gone) {
      z.live.close();
      ServeMetrics m = metrics;
      if (m != null) {
        m.withdraw(z.name());
      }
      removed.add(z.spec.origin());
    }
    return new Reloaded(added, removed, replaced, kept);
  }

  /**
   * Returns the zones served now.
   *
   * @return each zone's origin and the spec it is served from
   */
  Map<Name, ZoneSpec> zones() {
    Map<Name, ZoneSpec> out = new java.util.TreeMap<>();
    zones.forEach((origin, z) -> out.put(origin, z.spec));
    return out;
  }

  /**
   * Refreshes the targets that are due by the clock now, as the background tick does.
   *
   * @return a stage that completes when those refreshes, and any re-flattening they caused, are
   *     done
   */
  CompletionStage<Void> runDue() {
    return monitor.runDue().thenRun(this::renewSignatures);
  }

  /**
   * Returns the port the (first) server listens on.
   *
   * @return the bound port, the chosen one when the listen port was 0
   */
  int port() {
    return servers.get(0).port();
  }

  /**
   * Returns the address the (first) server listens on.
   *
   * @return the bound address
   */
  InetSocketAddress address() {
    return servers.get(0).address();
  }

  /**
   * Returns the addresses every server listens on.
   *
   * @return the bound addresses, in the order given
   */
  List<InetSocketAddress> addresses() {
    return servers.stream().map(DnsServer::address).toList();
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
   * Returns the server's counters now, summed over the listeners.
   *
   * @return the server's stats
   */
  ServerStats serverStats() {
    ServerStats sum = servers.get(0).stats();
    for (int i = 1; i < servers.size(); i++) {
      sum = sum(sum, servers.get(i).stats());
    }
    return sum;
  }

  /** Two listeners' counters added up. */
  private static ServerStats sum(ServerStats a, ServerStats b) {
    return new ServerStats(
        a.queries() + b.queries(),
        a.udpQueries() + b.udpQueries(),
        a.tcpQueries() + b.tcpQueries(),
        a.formerr() + b.formerr(),
        a.rejected() + b.rejected(),
        a.dropped() + b.dropped(),
        a.truncated() + b.truncated(),
        a.handlerFailures() + b.handlerFailures(),
        a.tcpConnectionsOpen() + b.tcpConnectionsOpen(),
        a.tcpConnectionsAccepted() + b.tcpConnectionsAccepted(),
        a.tcpConnectionsRejected() + b.tcpConnectionsRejected(),
        a.tcpConnectionsTimedOut() + b.tcpConnectionsTimedOut(),
        a.tcpConnectionsEvicted() + b.tcpConnectionsEvicted(),
        a.tcpBytesUnsent() + b.tcpBytesUnsent(),
        a.listenerErrors() + b.listenerErrors(),
        a.listenerThreads() + b.listenerThreads(),
        a.packetCacheHits() + b.packetCacheHits(),
        a.packetCacheBytes() + b.packetCacheBytes(),
        a.rateLimitDropped() + b.rateLimitDropped(),
        a.rateLimitSlipped() + b.rateLimitSlipped());
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
   * Returns what is published now for the only zone, or the first zone given.
   *
   * @return the latest flattening
   * @throws IllegalStateException if not started
   */
  FlattenedZone published() {
    return published(initial.get(0).origin());
  }

  /**
   * Returns what is published now for a zone.
   *
   * @param origin the zone's origin
   * @return the latest flattening
   * @throws IllegalStateException if no such zone is served
   */
  FlattenedZone published(Name origin) {
    Served z = zones.get(origin);
    if (z == null) {
      throw new IllegalStateException("not serving " + origin);
    }
    return z.live.current().orElseThrow(() -> new IllegalStateException("not started"));
  }

  /**
   * Returns the monitor every zone shares.
   *
   * @return the monitor
   */
  TargetMonitor monitor() {
    return monitor;
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
    zones.values().forEach(z -> z.live.close());
    monitor.close();
    if (s != null) {
      s.shutdownNow();
    }
    ServeMetrics m = metrics;
    if (m != null) {
      m.close();
    }
    servers.forEach(DnsServer::close);
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
    private final List<Zone> sources = new ArrayList<>();
    private final List<@Nullable FlatteningPolicy> policies = new ArrayList<>();
    private final List<@Nullable Signing> signings = new ArrayList<>();
    private List<ZoneSpec> zones = List.of();
    private final Set<String> given = new HashSet<>();
    private List<InetSocketAddress> listen =
        List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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
    private int upstreamQueries = DEFAULT_UPSTREAM_QUERIES;
    private org.aliasdns.resolver.@Nullable TrustAnchors trustAnchors;
    private Duration retryInitial = Duration.ofSeconds(30);
    private Duration retryMax = Duration.ofMinutes(5);
    private int udpThreads;
    private @Nullable ResponseRateLimit responseRateLimit;
    private @Nullable InetSocketAddress metrics;
    private Consumer<String> log = line -> {};
    private Consumer<String> warn = line -> {};
    private @Nullable Consumer<? super Error> onFatalError;
    private @Nullable Path stateFile;
    private @Nullable Path stateDir;
    private @Nullable ZoneSigner signer;
    private boolean partialStart;

    private Builder() {}

    /**
     * At start, a zone whose first signing fails (no key of a role active now, say) is not
     * started, with an error line, and the other zones are served; a reload tries it again.
     * Without this, such a zone ends the start ({@link UnusableInputException}), as for a
     * session of one zone, which would have nothing to serve.
     */
    Builder partialStart() {
      once("partialStart");
      this.partialStart = true;
      return this;
    }

    /**
     * Signs what is published with DNSSEC (a session of one zone): each flattening is signed
     * incrementally by this signer, the signed zone is transferred and answers queries with the
     * DO bit, and signatures are renewed before they expire (at each tick, or {@link #runDue}).
     * A session of many zones gives each its own ({@link #zone(Zone, FlatteningPolicy,
     * Signing)}).
     */
    Builder signer(ZoneSigner value) {
      once("signer");
      this.signer = Objects.requireNonNull(value, "signer");
      return this;
    }

    /** Adds a zone, flattened under {@link #policy} (the defaults unless set). */
    Builder zone(Zone source) {
      sources.add(Objects.requireNonNull(source, "source"));
      policies.add(null);
      signings.add(null);
      return this;
    }

    /** Adds a zone flattened under a policy of its own. */
    Builder zone(Zone source, FlatteningPolicy zonePolicy) {
      return zone(source, zonePolicy, null);
    }

    /** Adds a zone flattened under a policy of its own and signed as given (null: unsigned). */
    Builder zone(Zone source, FlatteningPolicy zonePolicy, @Nullable Signing signing) {
      sources.add(Objects.requireNonNull(source, "source"));
      policies.add(Objects.requireNonNull(zonePolicy, "zonePolicy"));
      signings.add(signing);
      return this;
    }

    private void once(String setting) {
      if (!given.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    /**
     * Keeps the only zone's serial in this state file ({@link SerialState}): the first
     * publication resumes after the serial it holds, and each new serial is written.
     */
    Builder serialState(Path file) {
      once("serialState");
      this.stateFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Keeps each zone's serial in a state file in this directory ({@link SerialState#file}):
     * each zone's first publication resumes after the serial kept there.
     */
    Builder stateDir(Path dir) {
      once("stateDir");
      this.stateDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Sets the address and port to listen on (UDP and TCP); port 0 picks one. */
    Builder listen(InetSocketAddress value) {
      return listen(List.of(value));
    }

    /** Sets the addresses to listen on, one server each (UDP and TCP); port 0 picks one. */
    Builder listen(List<InetSocketAddress> values) {
      once("listen");
      if (values.isEmpty()) {
        throw new IllegalArgumentException("listen needs at least one address");
      }
      this.listen = List.copyOf(values);
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

    /**
     * Sets how many upstream queries may be in flight at once ({@link
     * AliasResolver.Builder#maxInFlight}); {@value ServeSession#DEFAULT_UPSTREAM_QUERIES}
     * otherwise, so that a start over thousands of targets does not burst at the upstream.
     */
    Builder upstreamQueries(int value) {
      once("upstreamQueries");
      if (value < 1) {
        throw new IllegalArgumentException("upstreamQueries must be at least 1: " + value);
      }
      this.upstreamQueries = value;
      return this;
    }

    /** Sets how long one upstream query may take; 5 s otherwise. */
    Builder queryTimeout(Duration value) {
      once("queryTimeout");
      this.queryTimeout = Objects.requireNonNull(value, "queryTimeout");
      return this;
    }

    /**
     * Sets the DNSSEC trust anchors alias targets are validated from (see {@link
     * AliasResolver.Builder#trustAnchors}); none, so no validation, otherwise.
     */
    Builder trustAnchors(org.aliasdns.resolver.@Nullable TrustAnchors value) {
      once("trustAnchors");
      this.trustAnchors = value;
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
      if (sources.isEmpty()) {
        throw new IllegalStateException("no zone to serve");
      }
      if (signer != null && sources.size() != 1) {
        throw new IllegalStateException("a signer is for one zone; " + sources.size() + " given");
      }
      ZoneSigner only = signer;
      if (stateFile != null && (sources.size() != 1 || stateDir != null)) {
        throw new IllegalStateException("serialState is for one zone; give stateDir instead");
      }
      List<ZoneSpec> specs = new ArrayList<>();
      Set<Name> origins = new HashSet<>();
      for (int i = 0; i < sources.size(); i++) {
        Zone z = sources.get(i);
        if (!origins.add(z.origin())) {
          throw new IllegalArgumentException("two zones with origin " + z.origin());
        }
        FlatteningPolicy p = policies.get(i);
        Signing signing = only != null ? new Signing(only, "") : signings.get(i);
        specs.add(new ZoneSpec(z, p == null ? policy : p, signing));
      }
      this.zones = specs;
      AliasResolver.Builder resolverBuilder = AliasResolver.builder();
      org.aliasdns.resolver.TrustAnchors anchors = trustAnchors;
      if (anchors != null) {
        resolverBuilder.trustAnchors(anchors);
        // One path for --trust-anchor and `server: trust-anchor`: an anchor the validator cannot
        // use (RFC 6840 §5.2), or a target outside every anchor, leaves answers INSECURE.
        Set<Name> targets = new LinkedHashSet<>();
        for (ZoneSpec spec : specs) {
          targets.addAll(
              org.aliasdns.core.flatten.Flattener.of(spec.policy()).targets(spec.source()));
        }
        anchors.warnings(targets).forEach(line -> warning.accept("warning: " + line));
      }
      AliasResolver resolver =
          resolverBuilder
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
              .maxInFlight(upstreamQueries)
              .build();
      return new ServeSession(this, resolver);
    }
  }
}
