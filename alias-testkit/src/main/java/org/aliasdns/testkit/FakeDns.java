package org.aliasdns.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.server.DnsHandler;
import org.aliasdns.server.DnsReply;
import org.aliasdns.server.DnsRequest;
import org.aliasdns.server.DnsServer;
import org.aliasdns.testkit.internal.ActiveRule;
import org.aliasdns.testkit.internal.Answering;
import org.aliasdns.testkit.internal.FaultReplies;
import org.aliasdns.testkit.internal.InProcessResolver;
import org.aliasdns.testkit.internal.Journal;
import org.aliasdns.testkit.internal.RecordLines;
import org.aliasdns.testkit.internal.SignedZones;
import org.aliasdns.testkit.internal.WarmUp;
import org.aliasdns.testkit.internal.World;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A fake DNS server for tests, what MockWebServer is to HTTP: build it from zone-file text or a
 * few record lines (or answer from a {@link Dispatcher}), point the code under test at it
 * (in-process through {@link #resolver()}; over a real socket after {@link #start()} or {@link
 * #start(int)}; as the {@link #handler()} of a {@code DnsServer} of your own; or, on JDK 18 and
 * later, as the JVM's own resolver through {@link #routeInetAddress()}), script faults, and check
 * what was asked.
 *
 * <pre>{@code
 * try (FakeDns dns = FakeDns.recursive()
 *     .record("www.example.net. 300 CNAME cdn.example.org.")
 *     .record("cdn.example.org. 60 A 192.0.2.10")
 *     .build()) {
 *   dns.enqueue(Fault.servfail());                 // the first query fails
 *   Resolver resolver = dns.resolver();            // or: dns.start(); dns.address()
 *   ... code under test ...
 *   assertEquals(2, dns.queryCount("www.example.net.", Type.A));
 * }
 * }</pre>
 *
 * <h2>Answering</h2>
 *
 * <p>Each zone is answered by alias-core's {@code QueryAnswerer} (RFC 1034 §4.3.2: in-zone CNAME
 * chains, DNAME synthesis, wildcards, NXDOMAIN/NODATA with the SOA). A name belongs to the loaded
 * zone with the longest origin it is at or below.
 *
 * <ul>
 *   <li>{@link Mode#RECURSIVE}, as a caching resolver answers a stub: CNAME and DNAME chains are
 *       followed from zone to zone and returned whole, RA set, AA clear, RD echoed. NXDOMAIN or
 *       NODATA at the end of a chain carries the last zone's SOA (RFC 2308). A name no zone holds
 *       is NXDOMAIN without SOA. A loop, or a chain of more than {@link Builder#chainLimit} CNAMEs
 *       (default {@value #DEFAULT_CHAIN_LIMIT}, above the 16 most resolvers allow, so that the
 *       code under test meets its own limit), is SERVFAIL with the chain so far. A delegation to
 *       a zone the fake does not hold is SERVFAIL. With {@link Builder#ttlCountdown} TTLs count
 *       down on the clock like a cache's.
 *   <li>{@link Mode#AUTHORITATIVE}: only the zone holding the name answers, AA set, chains stop at
 *       the zone's edge, referrals at delegations; a name no zone holds is REFUSED.
 * </ul>
 *
 * <p>A zone loaded with {@link Builder#signedZone} is signed when the fake is built, with given
 * keys or a throwaway one whose DS {@link #trustAnchor} returns, and a query with the DO bit
 * (RFC 3225) is answered with RRSIGs and NSEC proofs (RFC 4035 §3.1) through alias-core's
 * {@code SignedAnswerer}; without DO it is answered as today. A recursive fake answers DO
 * queries as a non-validating recursive resolver passes data on to a validating stub: the
 * chain from zone to zone, each signed zone's part with its RRSIGs and, where the chain ends
 * there, its NSEC proof. A DS question at the apex of a zone whose parent the fake also holds
 * is answered by the parent (RFC 4035 §3.1.4.1), so an unsigned child of a signed zone is a
 * provably insecure delegation. A {@link
 * SigningFault} breaks it as validating code must notice (RFC 4035 §5: bogus): {@code
 * EXPIRED_SIGNATURES}, {@code MISSING_RRSIGS}, {@code WRONG_KEY}; {@link #removeRrsig} leaves
 * out one RRset's signatures only.
 *
 * <pre>{@code
 * try (FakeDns dns = FakeDns.authoritative()
 *     .signedZone(zoneText, SigningFault.EXPIRED_SIGNATURES)
 *     .build()) {
 *   List<DSRecord> anchor = dns.trustAnchor("example.net.");
 *   ... a validator with this anchor and the fake's clock finds the answers bogus ...
 * }
 * }</pre>
 *
 * <p>ALIAS/ANAME records answer A/AAAA as a flattening provider's server would: their targets
 * are resolved through the fake's own zones and the addresses served at the alias name (TTL and
 * NODATA rules as alias-core's {@code QueryAnswerer}); a target that fails is SERVFAIL.
 *
 * <h2>Faults and the journal</h2>
 *
 * <p>For each query the fake takes, in order: the strict check ({@link #expect}: an unexpected
 * query is refused and recorded), then the next {@link #enqueue enqueued} fault, else the first
 * {@link #inject injected} rule that applies, else the {@link Dispatcher}'s reply when one is
 * set, else the answer from the zones. Every query is recorded as a {@link ReceivedQuery} before
 * its reply is sent: {@link #takeQuery()}, {@link #queryCount}, {@link #queries()}, {@link
 * #verify()}.
 *
 * <p>Thread-safe. {@link #reset()} puts it back as built, for the next test.
 *
 * <h2>The first fake of a JVM</h2>
 *
 * <p>The first use of this class in a JVM starts one short-lived daemon thread, {@code
 * alias-testkit-warm-up}, that runs dnsjava's and the JDK's one-time start-up (slf4j's binding,
 * a {@code SecureRandom}, the channel classes) while the test's thread reads the zones, so the
 * first fake answers sooner where a second core is free (it is not started where the load
 * average says no core is). It ends by itself within milliseconds, binds no port and sends
 * nothing. The figures are in alias-benchmarks' README ({@code
 * FakeDnsColdStart}).
 *
 * @since 0.1
 */
public final class FakeDns implements AutoCloseable {
  static {
    // The first fake of a JVM: dnsjava's and the JDK's one-time start-up on another thread
    // while this one reads the zones (issue 14).
    WarmUp.begin();
  }

  /** How many CNAMEs a recursive answer may chain before it is SERVFAIL. */
  public static final int DEFAULT_CHAIN_LIMIT = 32;

  /** How long {@link #takeQuery()} waits for a query: 5 seconds. */
  public static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(5);

  /** alias-server's default cap on TCP connections, which the fake lets one client use up. */
  private static final int MAX_TCP_CONNECTIONS = 256;

  private static final InetSocketAddress IN_PROCESS_CLIENT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** How a fake answers. */
  public enum Mode {
    /** As a recursive resolver: whole chains across zones, RA set. */
    RECURSIVE,
    /** As an authoritative server: one zone's data, AA set. */
    AUTHORITATIVE
  }

  /** A name and type the strict mode lets through; type -1 is any. */
  private record Expected(Name name, int type) {
    boolean matches(Name qname, int qtype) {
      return qname.equals(name) && (type == -1 || type == qtype);
    }

    @Override
    public String toString() {
      return name + (type == -1 ? "" : " " + Type.string(type));
    }
  }

  private final Mode mode;
  private final ManualClock clock;
  private final Answering answering;
  private final World built;
  private final boolean strictAsBuilt;
  private final List<Expected> expectedAsBuilt;
  private final @Nullable Dispatcher dispatcherAsBuilt;
  private final InetSocketAddress listen;
  private @Nullable DnsServer inProcess; // made when first needed: starting alone does not
  private @Nullable DnsServer network;

  private final AtomicReference<World> world;
  private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();
  private final CopyOnWriteArrayList<ActiveRule> rules = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Expected> expected = new CopyOnWriteArrayList<>();
  private final Journal journal = new Journal();
  /** How many CNAMEs a recursive answer may chain. */
  private final int chainLimit;

  /** Signed zones by origin, as built and as {@link #removeRrsig} left them. */
  private final Map<Name, SignedZones> signedAsBuilt;
  private final AtomicReference<Map<Name, SignedZones>> signed;

  /**
   * {@link #handle} as a handler: a class rather than {@code this::handle}, whose first use in a
   * JVM would spin one on the way to the first fake's first answer (issue 14's cold start).
   */
  private final DnsHandler handler =
      new DnsHandler() {
        @Override
        public DnsReply handle(DnsRequest request) {
          return FakeDns.this.handle(request);
        }
      };
  private final CopyOnWriteArrayList<DispatcherFailure> dispatcherFailures =
      new CopyOnWriteArrayList<>();
  private volatile boolean strict;
  private volatile @Nullable Dispatcher dispatcher;
  private volatile @Nullable InetAddressRoute route;
  private volatile boolean closed;

  /** A query the dispatcher threw for. */
  private record DispatcherFailure(ReceivedQuery query, RuntimeException error) {}

  private FakeDns(Builder b) {
    this.mode = b.mode;
    this.clock = b.clock != null ? b.clock : ManualClock.create();
    this.answering = new Answering(mode == Mode.RECURSIVE, b.chainLimit, b.ttlCountdown);
    this.chainLimit = b.chainLimit;
    World w = World.empty(b.chainLimit);
    for (Zone z : b.zones.values()) {
      w = w.withZone(z);
    }
    Map<Name, SignedZones> s = new LinkedHashMap<>();
    Instant signedAt = clock.instant();
    for (PendingSigned p : b.signed.values()) {
      SignedZones z = SignedZones.sign(p.zone(), p.keys(), p.fault(), signedAt);
      s.put(p.zone().origin(), z);
      w = w.withZone(z.source());
    }
    this.signedAsBuilt = Map.copyOf(s);
    this.signed = new AtomicReference<>(signedAsBuilt);
    if (!b.records.isEmpty()) {
      w = w.withRecords(b.records, false);
    }
    this.built = w.indexed();
    this.world = new AtomicReference<>(w);
    this.strictAsBuilt = b.strict;
    this.expectedAsBuilt = List.copyOf(b.expected);
    this.strict = strictAsBuilt;
    this.expected.addAll(expectedAsBuilt);
    this.dispatcherAsBuilt = b.dispatcher;
    this.dispatcher = b.dispatcher;
    this.listen = b.listen;
  }

  /**
   * Starts building a fake that answers as a recursive resolver.
   *
   * @return a builder
   */
  public static Builder recursive() {
    return new Builder(Mode.RECURSIVE);
  }

  /**
   * Starts building a fake that answers as an authoritative server.
   *
   * @return a builder
   */
  public static Builder authoritative() {
    return new Builder(Mode.AUTHORITATIVE);
  }

  /**
   * Returns how this fake answers.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Returns the clock this fake stamps queries with, checks rule windows against and counts TTLs
   * down by. Share it with the code under test.
   *
   * @return the clock
   */
  public ManualClock clock() {
    return clock;
  }

  /**
   * Returns a new dnsjava resolver that queries this fake in-process, without a socket, through
   * the same wire pipeline as the network listener. It behaves as a {@code SimpleResolver}: EDNS
   * with a 1280-byte payload, TC retried as TCP (unless {@code setIgnoreTruncation} or {@code
   * setTCP}), a reply with the wrong id or question or that does not parse fails with a {@code
   * WireParseException}, and no reply within {@code setTimeout} (default 10 s) fails with a
   * {@code SocketTimeoutException}. Queries are journaled as from 127.0.0.1 port 0.
   *
   * @return a resolver; each call returns a new one with its own settings
   */
  public Resolver resolver() {
    return new InProcessResolver(inProcessServer(), IN_PROCESS_CLIENT, () -> closed);
  }

  /** The server whose pipeline answers in-process queries; never bound to a socket. */
  synchronized DnsServer inProcessServer() {
    DnsServer s = inProcess;
    if (s == null) {
      s = DnsServer.builder(handler).packetCacheBytes(0).build();
      inProcess = s;
    }
    return s;
  }

  /**
   * Returns the fake as an alias-server {@link DnsHandler}, to run inside a {@link DnsServer} of
   * your own (your address, port, thread and connection settings) or to be called by a handler
   * of yours. Queries that come through it are answered, faulted and journaled exactly as the
   * fake's own listener's are, with the client address and transport the server reports.
   *
   * <pre>{@code
   * try (DnsServer server = DnsServer.builder(fake.handler())
   *     .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353))
   *     .udpThreads(1)
   *     .build()
   *     .start()) {
   *   ... code under test queries 127.0.0.1:5353 ...
   * }
   * }</pre>
   *
   * @return a handler backed by this fake; it answers SERVFAIL once the fake is closed
   */
  public DnsHandler handler() {
    return handler;
  }

  /**
   * Starts UDP and TCP listeners for clients that need a real address ({@code SimpleResolver},
   * {@code dig}, code that opens its own sockets), through alias-server's {@link DnsServer}: on
   * the builder's {@link Builder#listen listen} address, by default 127.0.0.1 and a free port
   * chosen by the system. The server's limits are its defaults, except that one client may hold
   * all of its 256 TCP connections.
   *
   * @return this fake
   * @throws IOException if the address cannot be bound
   * @throws IllegalStateException if already started, or closed
   */
  public FakeDns start() throws IOException {
    return start(listen);
  }

  /**
   * Starts UDP and TCP listeners on a chosen port, for machines where only some ports may be
   * used, or clients whose port is fixed in their configuration: on the builder's {@link
   * Builder#listen listen} address (by default 127.0.0.1) at this port. Another fake, or
   * anything else, bound to that port makes this fail; a port freed by a fake that was closed
   * can be bound again at once.
   *
   * @param port 1 to 65535, or 0 for a free port chosen by the system
   * @return this fake
   * @throws IOException if the port cannot be bound (a {@link java.net.BindException} when it is
   *     taken)
   * @throws IllegalArgumentException if the port is outside 0 to 65535
   * @throws IllegalStateException if already started, or closed
   */
  public FakeDns start(int port) throws IOException {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port must be within 0..65535, was " + port);
    }
    return start(new InetSocketAddress(listen.getAddress(), port));
  }

  private synchronized FakeDns start(InetSocketAddress where) throws IOException {
    if (closed) {
      throw new IllegalStateException("the fake DNS is closed");
    }
    DnsServer running = network;
    if (running != null) {
      throw new IllegalStateException("the fake DNS was already started, at " + running.address());
    }
    DnsServer s =
        DnsServer.builder(handler)
            .listen(where)
            .packetCacheBytes(0)
            // Every client of a fake is the test's own code, usually from one address: the
            // per-client share that protects a real server would only get in the way.
            .maxTcpConnectionsPerClient(MAX_TCP_CONNECTIONS)
            .build();
    s.start();
    network = s;
    return this;
  }

  /**
   * Tells whether the network listener runs.
   *
   * @return true after {@link #start()} and before {@link #close()}
   */
  public synchronized boolean isStarted() {
    return network != null && !closed;
  }

  /**
   * Returns the address of the network listener, to hand to the code under test.
   *
   * @return the address and port bound (127.0.0.1 unless {@link Builder#listen} said otherwise)
   * @throws IllegalStateException if {@link #start()} was not called
   */
  public synchronized InetSocketAddress address() {
    DnsServer running = network;
    if (running == null) {
      throw new IllegalStateException(
          "the fake DNS has no network address until start() is called; in-process code can use"
              + " resolver() instead");
    }
    return running.address();
  }

  /**
   * Returns the port of the network listener, UDP and TCP alike.
   *
   * @return the port
   * @throws IllegalStateException if {@link #start()} was not called
   */
  public int port() {
    return address().getPort();
  }

  // ---- faults

  /**
   * Scripts the reply to the next query not yet scripted, like {@code MockWebServer.enqueue}:
   * queued faults are used one per query, in order, whatever the question, before any rule.
   *
   * @param fault the fault; {@link Fault#none()} for a plain answer
   * @return this fake
   */
  public FakeDns enqueue(Fault fault) {
    queue.add(Objects.requireNonNull(fault, "fault"));
    return this;
  }

  /**
   * Adds a rule, after those already added; for each query the first that applies wins. Its
   * counts start at zero.
   *
   * @param rule the rule
   * @return this fake
   */
  public FakeDns inject(FaultRule rule) {
    rules.add(new ActiveRule(Objects.requireNonNull(rule, "rule")));
    return this;
  }

  /**
   * Removes every enqueued fault and every rule.
   *
   * @return this fake
   */
  public FakeDns clearFaults() {
    queue.clear();
    rules.clear();
    return this;
  }

  /**
   * Sets the {@link Dispatcher} that replies to the queries no strict check, enqueued fault or
   * rule took, in place of the zones (or of the dispatcher set before). {@link #reset()} puts
   * back the builder's.
   *
   * @param value the dispatcher
   * @return this fake
   */
  public FakeDns dispatcher(Dispatcher value) {
    dispatcher = Objects.requireNonNull(value, "value");
    return this;
  }

  /**
   * Removes the dispatcher: queries are answered from the zones again.
   *
   * @return this fake
   */
  public FakeDns clearDispatcher() {
    dispatcher = null;
    return this;
  }

  // ---- the JVM's own look-ups

  /**
   * Makes this JVM's own host-name look-ups ({@link java.net.InetAddress#getByName}, {@code
   * getAllByName}, and everything built on them: {@code new Socket(host, port)}, HTTP clients,
   * JDBC URLs) ask this fake, until the returned route is closed. See {@link InetAddressRoute}
   * for what is answered how, and for what it needs: JDK 18 or later, and the testkit's resolver
   * provider chosen by the JDK.
   *
   * <pre>{@code
   * try (InetAddressRoute route = fake.routeInetAddress()) {
   *   InetAddress a = InetAddress.getByName("www.example.net");   // from the fake
   * }                                                              // the system resolver again
   * }</pre>
   *
   * @return the route; close it to give the JVM its own resolver back
   * @throws IllegalStateException if the JVM's look-ups cannot be routed (the message says why:
   *     {@link InetAddressRoute#unsupportedReason()}), or a route is open already (this fake's or
   *     another's: the message says which, and the test or call site and thread that opened
   *     it), or this fake is closed
   */
  public InetAddressRoute routeInetAddress() {
    if (closed) {
      throw new IllegalStateException("the fake DNS is closed");
    }
    return InetAddressRoute.open(this);
  }

  /** The in-process resolver the JVM's routed look-ups use: a dropped query fails at once. */
  Resolver hostResolver() {
    return new InProcessResolver(inProcessServer(), IN_PROCESS_CLIENT, () -> closed, true);
  }

  void routed(InetAddressRoute value) {
    route = value;
  }

  // ---- data

  /**
   * Returns the zones served now.
   *
   * @return the zone snapshots, in the order first loaded
   */
  public List<Zone> zones() {
    return world.get().zones();
  }

  /**
   * Adds records, each to the zone that holds its owner or a zone made for it (see {@link
   * Builder#record}). Queries from now on see them.
   *
   * @param masterFileLines master-file lines with absolute names
   * @return this fake
   * @throws IllegalArgumentException if a line does not parse
   */
  public FakeDns add(String... masterFileLines) {
    List<Record> records = RecordLines.parse(masterFileLines);
    world.updateAndGet(w -> w.withRecords(records, false).indexed());
    return this;
  }

  /**
   * Replaces the RRsets of the owners and types of the given records with those records: an
   * address that changes, a CNAME that points elsewhere.
   *
   * @param masterFileLines master-file lines with absolute names, e.g. {@code "cdn.example.org.
   *     60 A 192.0.2.20"}
   * @return this fake
   * @throws IllegalArgumentException if a line does not parse
   */
  public FakeDns replace(String... masterFileLines) {
    List<Record> records = RecordLines.parse(masterFileLines);
    world.updateAndGet(w -> w.withRecords(records, true).indexed());
    return this;
  }

  /**
   * Removes one RRset, if present.
   *
   * @param name the owner, absolute (a final dot is optional), any case
   * @param type the type
   * @return this fake
   * @throws IllegalArgumentException if the name does not parse
   */
  public FakeDns remove(String name, int type) {
    Name owner = RecordLines.name(name);
    world.updateAndGet(w -> w.without(owner, type).indexed());
    return this;
  }

  /**
   * Loads a zone, replacing a zone with the same origin.
   *
   * @param zoneFileText master-file text with an SOA; the origin is the SOA's owner; relative
   *     names need a {@code $ORIGIN} line first
   * @return this fake
   * @throws ZoneFileException if the text does not parse
   */
  public FakeDns zone(String zoneFileText) {
    Zone z = readZone(zoneFileText);
    world.updateAndGet(w -> w.withZone(z).indexed());
    return this;
  }

  /**
   * Loads a zone whose relative names are relative to a given origin, replacing a zone with that
   * origin.
   *
   * @param origin the zone's origin, absolute (a final dot is optional)
   * @param zoneFileText master-file text
   * @return this fake
   * @throws ZoneFileException if the text does not parse
   * @throws IllegalArgumentException if the origin does not parse
   */
  public FakeDns zone(String origin, String zoneFileText) {
    Zone z = readZone(RecordLines.name(origin), zoneFileText);
    world.updateAndGet(w -> w.withZone(z).indexed());
    return this;
  }

  /**
   * Loads a zone, replacing a zone with the same origin.
   *
   * @param zone the zone
   * @return this fake
   */
  public FakeDns zone(Zone zone) {
    Objects.requireNonNull(zone, "zone");
    world.updateAndGet(w -> w.withZone(zone).indexed());
    return this;
  }

  /**
   * Unloads a zone: its names then belong to a parent zone, if any, or to none.
   *
   * @param origin the zone's origin, absolute (a final dot is optional)
   * @return this fake
   * @throws IllegalArgumentException if no such zone is loaded
   */
  public FakeDns removeZone(String origin) {
    Name o = RecordLines.name(origin);
    world.updateAndGet(w -> w.withoutZone(o).indexed());
    return this;
  }

  /**
   * Returns the trust anchor of a zone loaded with {@link Builder#signedZone}: a DS record
   * (SHA-256, RFC 4509) for each of its secure-entry-point keys (for each key, where none has
   * the SEP flag), as a validator is configured with it (RFC 4035 §4.4). Its text form is what
   * dnsjava's {@code ValidatingResolver.loadTrustAnchors} and Unbound's {@code trust-anchor:}
   * read. For a {@link SigningFault} it is the anchor of the correctly signed zone.
   *
   * @param origin the zone's origin (a final dot is optional)
   * @return the DS records, at least one
   * @throws IllegalArgumentException if no zone with that origin was loaded signed
   */
  public List<DSRecord> trustAnchor(String origin) {
    Name o = RecordLines.name(origin);
    SignedZones z = signedAsBuilt.get(o);
    if (z == null) {
      throw new IllegalArgumentException(
          "no signed zone " + o + "; signed zones: " + signedAsBuilt.keySet());
    }
    return z.trustAnchor();
  }

  /**
   * Leaves out the RRSIGs over one RRset of a signed zone, so that it is unsigned where it must
   * be signed (RFC 4035 §2.2) and a validator finds it bogus while the rest of the zone stays
   * secure: {@link SigningFault#MISSING_RRSIGS} for one RRset. {@link #reset()} puts them back.
   *
   * @param owner the RRset's owner, absolute (a final dot is optional)
   * @param type the RRset's type, such as {@code Type.A}
   * @return this fake
   * @throws IllegalArgumentException if the name does not parse, or no signed zone has an RRSIG
   *     over that RRset
   */
  public FakeDns removeRrsig(String owner, int type) {
    Name o = RecordLines.name(owner);
    Type.check(type);
    signed.updateAndGet(
        m -> {
          SignedZones holding = null;
          for (SignedZones z : m.values()) {
            Name origin = z.signed().origin();
            if (o.subdomain(origin)
                && (holding == null || origin.labels() > holding.signed().origin().labels())) {
              holding = z;
            }
          }
          if (holding == null) {
            throw new IllegalArgumentException(
                "no signed zone holds " + o + "; signed zones: " + m.keySet());
          }
          Map<Name, SignedZones> next = new LinkedHashMap<>(m);
          next.put(holding.signed().origin(), holding.withoutRrsig(o, type));
          return Map.copyOf(next);
        });
    return this;
  }

  // ---- journal

  /**
   * Takes the oldest query not yet taken, waiting up to {@link #DEFAULT_TAKE_TIMEOUT} for one, as
   * {@code MockWebServer.takeRequest} does.
   *
   * @return the query
   * @throws AssertionError if no query arrives in time
   */
  public ReceivedQuery takeQuery() {
    return takeQuery(DEFAULT_TAKE_TIMEOUT);
  }

  /**
   * Takes the oldest query not yet taken, waiting for one. Queries are taken in arrival order,
   * that of {@link ReceivedQuery#sequence()}, as {@link #queries()} lists them.
   *
   * @param timeout how long to wait in real time; zero does not wait; a duration too long to
   *     count in nanoseconds waits as long as can be counted (some 292 years)
   * @return the query
   * @throws AssertionError if no query arrives in time, or the thread is interrupted
   * @throws NullPointerException if the timeout is null
   * @throws IllegalArgumentException if the timeout is negative
   */
  public ReceivedQuery takeQuery(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    ReceivedQuery q;
    try {
      q = journal.take(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a query", e);
    }
    if (q == null) {
      throw new AssertionError(
          "no query arrived within " + inWords(timeout) + "; " + queryCount()
              + " received in all");
    }
    return q;
  }

  /** A wait in milliseconds, or as the Duration says where that many cannot be counted. */
  private static String inWords(Duration wait) {
    try {
      return wait.toMillis() + " ms";
    } catch (ArithmeticException tooLong) {
      return wait.toString();
    }
  }

  /**
   * Returns how many queries arrived since the fake was built or reset.
   *
   * @return the count, taken or not
   */
  public int queryCount() {
    return (int) Math.min(Integer.MAX_VALUE, journal.total());
  }

  /**
   * Returns how many queries asked for one name and type.
   *
   * @param name the name, absolute (a final dot is optional), any case
   * @param type the type
   * @return the count
   * @throws IllegalArgumentException if the name does not parse
   */
  public int queryCount(String name, int type) {
    return queryCount(RecordLines.name(name), type);
  }

  /**
   * Returns how many queries asked for one name and type.
   *
   * @param name the absolute name, any case
   * @param type the type
   * @return the count
   */
  public int queryCount(Name name, int type) {
    return journal.count(name, type);
  }

  /**
   * Returns every query since the fake was built or reset, taken or not. The journal keeps the
   * latest 10,000 queries, so that a long load test does not grow without bound; the counts
   * ({@link #queryCount()} and its kin) cover every query.
   *
   * @return an immutable snapshot, in arrival order: by {@link ReceivedQuery#sequence()}, with
   *     no gaps (a query is listed once every query that arrived before it has been decided,
   *     which is at once unless another thread's {@link Dispatcher} is still deciding an
   *     earlier one)
   */
  public List<ReceivedQuery> queries() {
    return journal.all();
  }

  // ---- strict mode

  /**
   * Switches strict mode on, if it is not, and lets queries for a name and type through. Any
   * other query is then refused, recorded as unexpected, and reported by {@link #verify()}.
   *
   * @param name the name, absolute (a final dot is optional), any case
   * @param type the type
   * @return this fake
   * @throws IllegalArgumentException if the name does not parse
   */
  public FakeDns expect(String name, int type) {
    Type.check(type);
    expected.add(new Expected(RecordLines.name(name), type));
    strict = true;
    return this;
  }

  /**
   * Switches strict mode on and lets queries for a name, of any type, through.
   *
   * @param name the name, absolute (a final dot is optional), any case
   * @return this fake
   * @throws IllegalArgumentException if the name does not parse
   */
  public FakeDns expect(String name) {
    expected.add(new Expected(RecordLines.name(name), -1));
    strict = true;
    return this;
  }

  /**
   * Returns the queries strict mode refused.
   *
   * @return an immutable snapshot, in arrival order; empty when strict mode is off
   */
  public List<ReceivedQuery> unexpectedQueries() {
    return journal.unexpected();
  }

  /**
   * Checks that no unexpected query arrived and that the {@link Dispatcher}, if any, never
   * threw.
   *
   * @throws AssertionError listing each query the dispatcher threw for (the first exception as
   *     the cause), or else each unexpected query and what was expected
   */
  public void verify() {
    List<DispatcherFailure> thrown = List.copyOf(dispatcherFailures);
    if (!thrown.isEmpty()) {
      StringBuilder sb =
          new StringBuilder()
              .append("the dispatcher threw for ")
              .append(thrown.size())
              .append(thrown.size() == 1 ? " query" : " queries")
              .append(" (each answered SERVFAIL):");
      for (DispatcherFailure f : thrown) {
        sb.append("\n  ").append(f.query()).append(": ").append(f.error());
      }
      AssertionError error = new AssertionError(sb.toString(), thrown.get(0).error());
      thrown.stream().skip(1).forEach(f -> error.addSuppressed(f.error()));
      throw error;
    }
    List<ReceivedQuery> bad = unexpectedQueries();
    if (!bad.isEmpty()) {
      StringBuilder sb =
          new StringBuilder()
              .append(bad.size())
              .append(bad.size() == 1 ? " unexpected query" : " unexpected queries")
              .append(" (expected only ")
              .append(expected)
              .append("):");
      for (ReceivedQuery q : bad) {
        sb.append("\n  ").append(q);
      }
      throw new AssertionError(sb.toString());
    }
  }

  // ---- life cycle

  /**
   * Puts the fake back as built, for the next test: no faults or rules, an empty journal
   * (sequence numbers start again at 1), the clock at its start, the data, the dispatcher, strict
   * mode and expectations as built. The network listener, if started, keeps running on its port;
   * an {@link #routeInetAddress() InetAddress route}, if open, stays open.
   */
  public void reset() {
    queue.clear();
    rules.clear();
    dispatcherFailures.clear();
    dispatcher = dispatcherAsBuilt;
    expected.clear();
    expected.addAll(expectedAsBuilt);
    strict = strictAsBuilt;
    world.set(built);
    signed.set(signedAsBuilt);
    clock.reset();
    journal.clear();
  }

  /**
   * Stops the network listener, if started, and closes the {@link #routeInetAddress() InetAddress
   * route}, if open; in-process resolvers and the {@link #handler()} fail from now on. Idempotent.
   */
  @Override
  public void close() {
    DnsServer running;
    synchronized (this) {
      closed = true;
      running = network;
    }
    InetAddressRoute r = route;
    if (r != null) {
      r.close();
    }
    if (running != null) {
      running.close();
    }
  }

  @Override
  public String toString() {
    String where;
    synchronized (this) {
      DnsServer running = network;
      where = closed ? " (closed)" : running != null ? " on " + running.address() : "";
    }
    return "FakeDns[" + mode.name().toLowerCase(java.util.Locale.ROOT) + where + ", zones "
        + world.get().zones().stream().map(z -> z.origin().toString()).toList() + "]";
  }

  // ---- the handler

  private DnsReply handle(DnsRequest request) {
    Message query = request.message();
    Record question = Objects.requireNonNull(query.getQuestion());
    Name name = question.getName();
    int type = question.getType();
    boolean recursive = mode == Mode.RECURSIVE;
    if (closed) {
      return DnsReply.of(Answering.reply(query, Rcode.SERVFAIL, recursive, List.of(), List.of(), List.of()));
    }
    Instant now = clock.instant();
    World w = world.get();
    long ticket = journal.reserve();
    long sequence = Journal.sequence(ticket);
    boolean recorded = false;
    boolean unexpected;
    Fault fault = null;
    try {
      unexpected = strict && !isExpected(name, type);
      if (!unexpected) {
        fault = queue.poll();
        if (fault == null) {
          for (ActiveRule rule : rules) {
            if (rule.applies(name, type, request.transport(), now)) {
              fault = rule.rule().fault();
              break;
            }
          }
        }
        Dispatcher d = dispatcher;
        if (fault == null && d != null) {
          fault = dispatch(d, received(sequence, request, now, null, false));
        }
        if (fault instanceof Fault.None) {
          fault = null; // the journal says "no fault" one way only
        }
      }
      journal.add(ticket, received(sequence, request, now, fault, unexpected));
      recorded = true;
    } finally {
      if (!recorded) {
        journal.cancel(ticket); // the queries after this one are not held back for it
      }
    }
    if (unexpected) {
      return DnsReply.of(Answering.reply(query, Rcode.REFUSED, recursive, List.of(), List.of(), List.of()));
    }
    if (fault == null) {
      // The common case, without the supplier and SOA a fault may need: fewer classes and no
      // lambda to link for the first answer of a JVM.
      SignedZones z = signedAsBuilt.isEmpty() ? null : signedZoneFor(w, name, type);
      if (z != null) {
        return DnsReply.of(
            recursive && dnssecOk(query)
                ? signedChain(w, query, now)
                : signedAnswer(z, w, query, now));
      }
      return DnsReply.of(answering.answer(w, query, now, clock.start()));
    }
    Supplier<Message> normal = () -> answering.answer(w, query, now, clock.start());
    return FaultReplies.reply(fault, query, normal, recursive, Answering.negativeSoa(w, name));
  }

  /**
   * The signed zone that answers a question, if the zone holding the name now is one; a DS
   * question at a zone's apex is the parent's, where the fake holds the parent (RFC 4035
   * §3.1.4.1: the DS RRset lives on the parental side of the cut).
   */
  private @Nullable SignedZones signedZoneFor(World w, Name name, int type) {
    Zone holding = w.zoneHolding(name);
    if (holding != null && type == Type.DS && holding.origin().equals(name)
        && name.labels() > 1) {
      Zone parent = w.zoneHolding(new Name(name, 1));
      if (parent != null) {
        holding = parent;
      }
    }
    return holding == null ? null : signed.get().get(holding.origin());
  }

  private static boolean dnssecOk(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  /**
   * A recursive fake's answer with DO to a question that starts in a signed zone, as a
   * non-validating recursive resolver passes a chain on to a validating stub (RFC 4035 §3.2,
   * §4.9): the chain followed from zone to zone, each signed zone's part as that zone answers it
   * (its RRsets with their RRSIGs; where the chain ends there, the NSEC proof of NXDOMAIN or
   * NODATA), the rest of a chain that enters an unsigned zone as the unsigned world answers it.
   * RA set, AA clear. A loop or a chain over the limit is SERVFAIL.
   */
  private Message signedChain(World w, Message query, Instant now) {
    Question q = Question.from(query);
    Name name = q.name();
    List<Record> answer = new ArrayList<>();
    java.util.Set<Name> visited = new java.util.HashSet<>();
    visited.add(name);
    for (int hops = 0; hops <= chainLimit; hops++) {
      SignedZones z = signedZoneFor(w, name, q.type());
      Message sub = Message.newQuery(Record.newRecord(name, q.type(), q.dclass()));
      sub.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      if (z == null) {
        Message rest = answering.answer(w, sub, now, clock.start());
        answer.addAll(rest.getSection(Section.ANSWER));
        return withDo(Answering.reply(query, rest.getRcode(), true, answer,
            rest.getSection(Section.AUTHORITY), List.of()));
      }
      org.aliasdns.core.answer.Response part = z.answerer().answer(Question.from(sub));
      answer.addAll(part.answer());
      Name next = part.rcode() == Rcode.NOERROR
          ? outsideEnd(w, part.answer(), name, q.type(), z.signed().origin())
          : null;
      if (next == null) {
        return withDo(Answering.reply(query, part.rcode(), true, answer, part.authority(),
            List.of()));
      }
      if (!visited.add(next)) {
        break;
      }
      name = next;
    }
    return Answering.reply(query, Rcode.SERVFAIL, true, answer, List.of(), List.of());
  }

  /**
   * Where a zone's part of a chain leaves the zone: the end of its CNAME records from the name
   * (a DNAME's synthesized CNAME among them), if another zone holds that end (outside the zone,
   * or below a cut to a child the fake holds) and the part has no RRset of the type there; else
   * null (the chain ends in this zone).
   */
  private static @Nullable Name outsideEnd(
      World w, List<Record> records, Name name, int type, Name origin) {
    Name current = name;
    for (int guard = 0; guard <= records.size(); guard++) {
      Name next = null;
      for (Record r : records) {
        if (r.getType() == Type.CNAME && r.getName().equals(current)) {
          next = ((org.xbill.DNS.CNAMERecord) r).getTarget();
        }
      }
      if (next == null) {
        break;
      }
      current = next;
    }
    for (Record r : records) {
      if (r.getType() == type && r.getName().equals(current)) {
        return null;
      }
    }
    if (current.equals(name)) {
      return null; // no CNAME: the zone answered the question itself (a DS at a cut, say)
    }
    Zone holding = w.zoneHolding(current);
    return holding != null && holding.origin().equals(origin) ? null : current;
  }

  private static Message withDo(Message reply) {
    reply.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return reply;
  }

  /**
   * A signed zone's answer: with DO, from the signed zone with RRSIGs and denial proofs (RFC
   * 4035 §3.1); without, as an unsigned zone's, but for the DNSSEC types, which only the signed
   * zone holds (RFC 4035 §3.2.1: the records are answered, without RRSIGs unless asked).
   */
  private Message signedAnswer(SignedZones z, World w, Message query, Instant now) {
    Question q = Question.from(query);
    OPTRecord opt = query.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    if (dnssecOk) {
      return z.answerer().answer(q).toMessage(query);
    }
    if (isDnssecType(q.type())) {
      return z.answerer().answer(q, false).toMessage(query);
    }
    return answering.answer(w, query, now, clock.start());
  }

  private static boolean isDnssecType(int type) {
    return type == Type.DNSKEY
        || type == Type.NSEC3PARAM
        || type == Type.RRSIG
        || type == Type.NSEC
        || type == Type.NSEC3;
  }

  private static ReceivedQuery received(
      long sequence, DnsRequest request, Instant now, @Nullable Fault fault, boolean unexpected) {
    Message query = request.message();
    Record question = Objects.requireNonNull(query.getQuestion());
    return new ReceivedQuery(
        sequence, question.getName(), question.getType(), question.getDClass(),
        request.transport(), request.client(), now, query, fault, unexpected);
  }

  /** Asks the dispatcher; a dispatcher that throws costs SERVFAIL and fails {@link #verify()}. */
  private Fault dispatch(Dispatcher d, ReceivedQuery q) {
    try {
      return Objects.requireNonNull(d.dispatch(q), "the dispatcher returned null");
    } catch (RuntimeException e) {
      dispatcherFailures.add(new DispatcherFailure(q, e));
      return Fault.servfail();
    }
  }

  private boolean isExpected(Name name, int type) {
    for (Expected e : expected) {
      if (e.matches(name, type)) {
        return true;
      }
    }
    return false;
  }

  private static Zone readZone(String text) {
    return ZoneFileReader.defaults().withIncludes(false).read(text, "zone").zone();
  }

  private static Zone readZone(Name origin, String text) {
    return ZoneFileReader.forOrigin(origin).withIncludes(false).read(text, origin.toString()).zone();
  }

  /** A zone to sign when the fake is built. */
  private record PendingSigned(Zone zone, SigningFault fault, List<SigningKey> keys) {}

  /**
   * Settings of a {@link FakeDns}. Data settings add up; the others may be set once. A builder
   * may build several fakes, each with its own state (and its own clock unless one was given).
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Mode mode;
    private final Map<Name, Zone> zones = new LinkedHashMap<>();
    private final Map<Name, PendingSigned> signed = new LinkedHashMap<>();
    private final List<Record> records = new ArrayList<>();
    private final List<Expected> expected = new ArrayList<>();
    private @Nullable ManualClock clock;
    private @Nullable Dispatcher dispatcher;
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private boolean ttlCountdown;
    private int chainLimit = DEFAULT_CHAIN_LIMIT;
    private boolean strict;
    private String set = "";

    private Builder(Mode mode) {
      this.mode = mode;
    }

    private void once(String setting, Object current) {
      if (set.contains("[" + setting + "]")) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
      set = set + "[" + setting + "]";
    }

    /**
     * Loads a zone from master-file text; the origin is the owner of its SOA. Relative names need
     * a {@code $ORIGIN} line first (or use {@link #zone(String, String)}).
     *
     * <pre>{@code
     * .zone("""
     *     $ORIGIN example.net.
     *     $TTL 300
     *     @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
     *     @ IN NS ns.example.net.
     *     www IN CNAME cdn.example.org.
     *     """)
     * }</pre>
     *
     * @param zoneFileText the text; {@code $INCLUDE} is refused
     * @return this builder
     * @throws ZoneFileException if the text does not parse, or has no SOA
     * @throws IllegalStateException if a zone with that origin was already given
     */
    public Builder zone(String zoneFileText) {
      return zone(readZone(zoneFileText));
    }

    /**
     * Loads a zone from master-file text whose relative names are relative to a given origin, as
     * a server's configuration names the zone a file holds.
     *
     * @param origin the zone's origin, absolute (a final dot is optional)
     * @param zoneFileText the text; {@code $INCLUDE} is refused
     * @return this builder
     * @throws ZoneFileException if the text does not parse
     * @throws IllegalArgumentException if the origin does not parse
     * @throws IllegalStateException if a zone with that origin was already given
     */
    public Builder zone(String origin, String zoneFileText) {
      return zone(readZone(RecordLines.name(origin), zoneFileText));
    }

    /**
     * Loads a zone.
     *
     * @param zone the zone
     * @return this builder
     * @throws IllegalStateException if a zone with that origin was already given
     */
    public Builder zone(Zone zone) {
      Objects.requireNonNull(zone, "zone");
      if (zones.containsKey(zone.origin()) || signed.containsKey(zone.origin())) {
        throw new IllegalStateException("zone " + zone.origin() + " was already given");
      }
      zones.put(zone.origin(), zone);
      return this;
    }

    /**
     * Loads a zone from master-file text (as {@link #zone(String)}) and signs it with one
     * throwaway ECDSA P-256 key made for this fake; {@link FakeDns#trustAnchor} returns its DS.
     *
     * @param zoneFileText the text; {@code $INCLUDE} is refused
     * @param fault {@link SigningFault#NONE}, or how the signed zone is broken
     * @return this builder
     * @throws ZoneFileException if the text does not parse, or has no SOA
     * @throws IllegalStateException if a zone with that origin was already given
     * @see #signedZone(Zone, SigningFault, List)
     */
    public Builder signedZone(String zoneFileText, SigningFault fault) {
      return signedZone(readZone(zoneFileText), fault, List.of());
    }

    /**
     * Loads a zone to be signed when the fake is built, at the fake's clock, by alias-core's
     * {@code ZoneSigner} with its default policy (signatures valid from 1 hour before the clock
     * for 14 days; NSEC; RFC 4035 §2), and answered as an authoritative server answers (RFC 4035
     * §3.1): a query with the DO bit (RFC 3225) gets RRSIGs and NSEC proofs, one without gets
     * the unsigned zone's answer, as a zone loaded with {@link #zone(Zone)} would. The zone is
     * signed once; {@code add}, {@code replace} and {@code remove} change only the answers
     * without DO.
     *
     * <p>A validator must check the signatures against the fake's clock (dnsjava's {@code
     * ValidatingResolver} takes a {@code java.time.Clock}); one on the wall clock, such as
     * Unbound, needs a fake whose clock starts now ({@code clock(ManualClock.startingAt(
     * Instant.now()))}).
     *
     * @param zone the unsigned zone, with a SOA (any DNSSEC records in it are made anew)
     * @param fault {@link SigningFault#NONE}, or how the signed zone is broken
     * @param keys the zone's keys, all of this zone; empty for one throwaway ECDSA P-256 key
     * @return this builder
     * @throws IllegalArgumentException if a key is of another zone, or the zone has no SOA
     * @throws IllegalStateException if a zone with that origin was already given
     */
    public Builder signedZone(Zone zone, SigningFault fault, List<SigningKey> keys) {
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(fault, "fault");
      List<SigningKey> given = List.copyOf(keys);
      if (zone.soa().isEmpty()) {
        throw new IllegalArgumentException("zone " + zone.origin() + " has no SOA record");
      }
      for (SigningKey k : given) {
        if (!k.zone().equals(zone.origin())) {
          throw new IllegalArgumentException(
              "key " + k.keyTag() + " is of zone " + k.zone() + ", not " + zone.origin());
        }
      }
      if (zones.containsKey(zone.origin()) || signed.containsKey(zone.origin())) {
        throw new IllegalStateException("zone " + zone.origin() + " was already given");
      }
      signed.put(zone.origin(), new PendingSigned(zone, fault, given));
      return this;
    }

    /**
     * Adds one record, for a quick world without zone files. When the fake is built, after the
     * zones, each record joins the loaded zone that holds its owner; a record no zone holds
     * joins a zone made for it, whose origin is the owner's last two labels ({@code
     * cdn.example.org.} → {@code example.org.}), with an SOA of negative TTL 300 s so NXDOMAIN
     * and NODATA there can be cached. For another cut, load a zone (with its SOA) first.
     *
     * @param masterFileLine e.g. {@code "www.example.net. 300 CNAME cdn.example.org."}: names
     *     are absolute with or without the final dot; no TTL means 300 s
     * @return this builder
     * @throws IllegalArgumentException if the line does not parse
     */
    public Builder record(String masterFileLine) {
      records.addAll(RecordLines.parse(masterFileLine));
      return this;
    }

    /**
     * Adds records, as {@link #record} does for each; a string may hold several lines.
     *
     * @param masterFileLines the lines
     * @return this builder
     * @throws IllegalArgumentException if a line does not parse
     */
    public Builder records(String... masterFileLines) {
      records.addAll(RecordLines.parse(masterFileLines));
      return this;
    }

    /**
     * Sets the clock, to share it with the code under test.
     *
     * @param value the clock; by default each fake gets a new {@link ManualClock#create()}
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(ManualClock value) {
      once("clock", clock == null ? "unset" : clock);
      this.clock = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Makes a recursive fake count TTLs down as a cache would: remaining = TTL − (elapsed mod
     * TTL), elapsed being whole seconds of the clock since its start, so a record looks fetched
     * at the start and fetched again each time it expired. Off by default: TTLs are served as in
     * the zone. Authoritative fakes never count down.
     *
     * @param on whether to count down
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ttlCountdown(boolean on) {
      once("ttlCountdown", ttlCountdown);
      this.ttlCountdown = on;
      return this;
    }

    /**
     * Sets how many CNAMEs a recursive answer may chain before it is SERVFAIL, and the in-zone
     * limit of both modes.
     *
     * @param hops at least 1; default {@value FakeDns#DEFAULT_CHAIN_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder chainLimit(int hops) {
      once("chainLimit", chainLimit);
      if (hops < 1) {
        throw new IllegalArgumentException("chainLimit must be at least 1, was " + hops);
      }
      this.chainLimit = hops;
      return this;
    }

    /**
     * Switches strict mode on: only queries named by {@link #expect} (here or on the fake) are
     * answered; others are refused, recorded, and make {@link FakeDns#verify()} fail.
     *
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder failOnUnexpectedQueries() {
      once("failOnUnexpectedQueries", strict);
      this.strict = true;
      return this;
    }

    /**
     * Switches strict mode on and lets queries for a name and type through.
     *
     * @param name the name, absolute (a final dot is optional), any case
     * @param type the type
     * @return this builder
     * @throws IllegalArgumentException if the name does not parse
     */
    public Builder expect(String name, int type) {
      Type.check(type);
      expected.add(new Expected(RecordLines.name(name), type));
      this.strict = true;
      return this;
    }

    /**
     * Switches strict mode on and lets queries for a name, of any type, through.
     *
     * @param name the name, absolute (a final dot is optional), any case
     * @return this builder
     * @throws IllegalArgumentException if the name does not parse
     */
    public Builder expect(String name) {
      expected.add(new Expected(RecordLines.name(name), -1));
      this.strict = true;
      return this;
    }

    /**
     * Sets the {@link Dispatcher} that replies to the queries no strict check, enqueued fault or
     * rule took, in place of the zones' answers. Zones and records may still be loaded: the
     * dispatcher's {@link Fault#none()} answers from them.
     *
     * @param value the dispatcher
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder dispatcher(Dispatcher value) {
      once("dispatcher", dispatcher == null ? "unset" : dispatcher);
      this.dispatcher = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Sets the address and port {@link FakeDns#start()} binds ({@link FakeDns#start(int)} takes
     * the address and its own port).
     *
     * @param address e.g. {@code new InetSocketAddress("127.0.0.1", 5353)}, or {@code ::1}; port
     *     0 picks a free port. Default: 127.0.0.1, port 0
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved (give an IP address, not a
     *     host name to look up)
     * @throws IllegalStateException if already set
     */
    public Builder listen(InetSocketAddress address) {
      once("listen", listen);
      Objects.requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(
            "listen address must be an IP address, not an unresolved name: " + address);
      }
      this.listen = address;
      return this;
    }

    /**
     * Builds a fake: in-process ready, network not yet started.
     *
     * @return a new fake
     */
    public FakeDns build() {
      return new FakeDns(this);
    }
  }
}
