package org.aliasdns.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.aliasdns.core.AliasPublications;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.answer.SignedAnswerer;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.Zone;
import org.aliasdns.server.internal.CatalogZone;
import org.aliasdns.server.internal.Keyring;
import org.aliasdns.server.internal.TransferMessages;
import org.aliasdns.server.internal.ZoneJournal;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A ready {@link DnsHandler} that answers authoritatively from zone snapshots with alias-core's
 * {@link QueryAnswerer}, ALIAS and ANAME names included, and serves zone transfers.
 *
 * <pre>{@code
 * ZoneHandler handler = ZoneHandler.builder().build();
 * live.addListener(u -> handler.serve(u.source(), u.current(), u.results())); // a LiveZone
 * try (DnsServer server = DnsServer.builder(handler).build().start()) { ... }
 * }</pre>
 *
 * <p>A zone served with its flattening ({@link #serve(Zone, FlattenedZone, AliasResults)}) answers
 * queries live from the source zone and the latest results, remembering what the flattened zone
 * published (RFC 8767 stale answers), and transfers the flattened zone: the two agree but for the
 * one documented difference, an A or AAAA question at an alias name with no usable answer, which
 * is SERVFAIL live (RFC 2308 §5: never an empty answer that resolvers would cache as "no
 * address") and NODATA in the flattened zone.
 *
 * <p>What is served is one immutable snapshot: the zones, each with its answerer prepared, and the
 * alias results. {@link #serve}, {@link #withdraw}, {@link #results}, {@link #update} and a
 * {@link #batch()} of many zones each replace it in one atomic step, so a query sees the old
 * snapshot or the new one, never a mix; queries never wait for a lock.
 *
 * <p>How queries are answered:
 *
 * <ul>
 *   <li>The zone whose origin is the longest match for the query name answers. A name under no
 *       served zone is REFUSED, AA off, as is a class other than IN (ANY is answered as IN).
 *   <li>NOTIFY gets NOTIMP: this handler serves a primary, it takes no notifications (RFC 1996).
 *   <li>A request with a TSIG record (RFC 8945) is checked first against {@link
 *       Builder#tsigKeys}: an unknown key is NOTAUTH with TSIG error BADKEY, a bad MAC BADSIG,
 *       a time outside the fudge BADTIME (§5.2); a valid one is answered as below and the reply
 *       signed, every message of a transfer with its MAC chained to the one before (§5.3.1).
 *   <li>AXFR (RFC 5936): over TCP and from a client the {@link TransferAcl} lets in (by address,
 *       and by the key the request was validly signed with), a stream of messages of up to about
 *       16 KiB: the SOA, every record of the published zone (the flattened zone where one was
 *       given, else the zone as served), the SOA again. Over UDP, or from a client the ACL does
 *       not let in, REFUSED; for a name that is not the origin of a served zone, NOTAUTH (RFC
 *       5936 §2.2.1: the server is not authoritative for the zone asked).
 *   <li>IXFR (RFC 1995): to a client whose serial is already ours (or newer), and to any client
 *       over UDP, just the current SOA in the answer section, which says "up to date" or "transfer
 *       over TCP" (RFC 1995 §2); over TCP to a client at a serial the zone's journal of recent
 *       versions reaches ({@link Builder#journalVersions}, {@link Builder#journalBytes}), the
 *       differences since, condensed into one sequence (§4); otherwise the same full stream as
 *       AXFR (allowed by §4). Same ACL and NOTAUTH rules. Zones of more than 1,000 records are
 *       packed on the common fork-join pool, not on the listener's thread.
 *   <li>Everything else goes to {@link QueryAnswerer#answer} with the current alias results and the
 *       clock's instant. A stale alias answer or an alias SERVFAIL carries its Extended DNS Error
 *       (RFC 8914) in the reply's OPT record when the query had one ({@link
 *       org.aliasdns.core.answer.Response#toMessage}).
 *   <li>For a zone served signed ({@link #serve(Zone, FlattenedZone, SignedZone, AliasResults)}),
 *       a query with the DO bit (RFC 3225) is answered from the signed zone with RRSIGs and
 *       NSEC/NSEC3 proofs ({@link SignedAnswerer}, RFC 4035 §3.1), but for the SERVFAIL of an
 *       alias name with nothing usable, which the live answer decides and which is never
 *       signed; the DO bit is echoed in the OPT record.
 * </ul>
 *
 * <p>With secondaries configured ({@link Builder#notify}), every {@link #serve} or {@link #update}
 * that changes a zone's SOA serial, or starts serving a zone, sends NOTIFY (RFC 1996) to each of
 * them, signed with the key the ACL names for it, so they pull the new zone at once. With {@link
 * Builder#catalog} the handler also publishes a catalog zone (RFC 9432) of the zones it serves,
 * so that secondaries given just the catalog find every zone.
 *
 * @since 0.1
 */
public final class ZoneHandler implements DnsHandler {
  /** How many earlier versions each zone's IXFR journal keeps, by default. */
  public static final int DEFAULT_JOURNAL_VERSIONS = 32;

  /** How many record bytes each zone's IXFR journal keeps, by default: 256 KiB. */
  public static final long DEFAULT_JOURNAL_BYTES = 256L * 1024;

  /** Zones up to this size are packed for transfer on the listener's thread; larger ones not. */
  private static final long INLINE_TRANSFER_RECORDS = 1000;

  private final FlatteningPolicy policy;
  private final InstantSource clock;
  private final TransferAcl transferAcl;
  private final Keyring keyring;
  private final List<InetSocketAddress> secondaries;
  private final @Nullable Notifier notifier;
  private final Consumer<NotifyResult> onNotified;
  private final int journalVersions;
  private final long journalBytes;
  private final @Nullable Name catalog;
  private final AtomicReference<Snapshot> snapshot =
      new AtomicReference<>(new Snapshot(Map.of(), AliasResults.empty(), Map.of(), 0));
  /** Writers take turns, so that each new version's journal follows from the one before. */
  private final Object writes = new Object();

  /**
   * One served zone: the answerer of live queries, the zone published to secondaries (AXFR, IXFR,
   * the serial NOTIFY carries), what its alias names published there (the answerer's memory), and
   * the differences from the versions published before (IXFR).
   */
  private record Served(
      QueryAnswerer answerer,
      Zone published,
      AliasPublications memory,
      ZoneJournal journal,
      @Nullable SignedAnswerer signed) {
    Served withJournal(ZoneJournal j) {
      return new Served(answerer, published, memory, j, signed);
    }
  }

  /**
   * What is served: zones by origin (dnsjava's {@link Name} ignores case), the shared results,
   * and the results of zones served with their own.
   */
  private record Snapshot(
      Map<Name, Served> zones,
      AliasResults results,
      Map<Name, AliasResults> zoneResults,
      long version) {
    /** Replaces the zones, keeping the results. */
    Snapshot withZones(Map<Name, Served> newZones) {
      return new Snapshot(Map.copyOf(newZones), results, zoneResults, version);
    }

    /**
     * Applies a batch: each origin served (with its own results or, with null results, the
     * shared ones) or, with a null zone, withdrawn. Linear in the zones served and the batch.
     */
    Snapshot with(Map<Name, Change> changes) {
      Map<Name, Served> copy = new HashMap<>(zones);
      Map<Name, AliasResults> own = new HashMap<>(zoneResults);
      for (Map.Entry<Name, Change> e : changes.entrySet()) {
        Change c = e.getValue();
        Served served = c.served();
        if (served == null) {
          copy.remove(e.getKey());
        } else {
          copy.put(e.getKey(), served);
        }
        AliasResults ownResults = c.results();
        if (ownResults == null) {
          own.remove(e.getKey());
        } else {
          own.put(e.getKey(), ownResults);
        }
      }
      return new Snapshot(Map.copyOf(copy), results, Map.copyOf(own), version + 1);
    }

    /** The results a zone answers from: its own if it was served with them, else shared. */
    AliasResults resultsOf(Name origin) {
      AliasResults own = zoneResults.get(origin);
      return own == null ? results : own;
    }

    /** The zone with the longest origin at or above the name. */
    @Nullable Served find(Name name) {
      if (zones.isEmpty()) {
        return null;
      }
      for (int strip = 0; strip < name.labels(); strip++) {
        Served a = zones.get(strip == 0 ? name : new Name(name, strip));
        if (a != null) {
          return a;
        }
      }
      return null;
    }
  }

  /**
   * One zone's part of a {@link Batch}: the zone to serve, or null to withdraw it, and its own
   * results, or null for the shared ones.
   */
  private record Change(@Nullable Served served, @Nullable AliasResults results) {}

  private ZoneHandler(Builder builder) {
    this.policy = builder.policy;
    this.clock = builder.clock;
    this.transferAcl = builder.transferAcl;
    this.keyring = new Keyring(builder.tsigKeys, builder.clock);
    for (Name key : transferAcl.keys()) {
      if (!keyring.knows(key)) {
        throw new IllegalArgumentException(
            "the transfer ACL names TSIG key " + key + ", which tsigKeys does not hold");
      }
    }
    this.secondaries = builder.secondaries;
    this.notifier =
        builder.secondaries.isEmpty()
            ? null
            : builder.notifier != null ? builder.notifier : Notifier.builder().build();
    this.onNotified = builder.onNotified;
    this.journalVersions = builder.journalVersions;
    this.journalBytes = builder.journalBytes;
    this.catalog = builder.catalog;
    if (catalog != null) {
      write(s -> s, Set.of()); // the catalog is served, empty, from the start
    }
  }

  /**
   * Starts building a handler.
   *
   * @return a builder with the defaults: {@link FlatteningPolicy#defaults()}, the system clock,
   *     transfers allowed to loopback addresses only
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serves a zone, replacing any served zone with the same origin, atomically; its ALIAS and
   * ANAME answers come from the shared results ({@link #results(AliasResults)}).
   *
   * @param zone the zone snapshot
   * @throws IllegalArgumentException if the zone has no SOA record
   */
  public void serve(Zone zone) {
    batch().serve(zone).apply();
  }

  /**
   * Serves a zone with alias results of its own, replacing any served zone with the same
   * origin and its results, in one atomic step; the other zones and their results stay as they
   * are. What a live zone's listener calls with each update, so that many zones, each with the
   * results of its own targets, share one handler:
   *
   * <pre>{@code
   * live.addListener(update -> handler.serve(update.current().zone(), update.results()));
   * }</pre>
   *
   * <p>NOTIFY goes to the secondaries when the zone's SOA serial changed or the zone is new, as
   * for {@link #serve(Zone)}.
   *
   * @param zone the zone snapshot
   * @param results the resolutions of this zone's alias targets; ALIAS and ANAME answers in
   *     this zone come from these, not from {@link #results(AliasResults)}
   * @throws IllegalArgumentException if the zone has no SOA record
   */
  public void serve(Zone zone, AliasResults results) {
    batch().serve(zone, results).apply();
  }

  /**
   * Serves a zone as a live zone publishes it, replacing any served zone with the same origin
   * and its results in one atomic step: queries are answered live from the source zone and the
   * results, with what the flattened zone published as the memory that rides out upstream
   * failures ({@link QueryAnswerer#answer(Question, AliasResults, AliasPublications,
   * java.time.Instant)}), so an alias name with no usable answer is SERVFAIL (with its Extended
   * DNS Error) rather than an empty answer; AXFR and IXFR transfer the flattened zone, and its
   * SOA (serial included) is the one every answer carries. What a {@code LiveZone}'s listener
   * calls with each update:
   *
   * <pre>{@code
   * live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
   * }</pre>
   *
   * <p>Live answers apply the policy the zone was flattened under ({@link
   * FlattenedZone#policy()}), whatever {@link Builder#policy} says, so the two agree; give the
   * handler the live zone's clock ({@link Builder#clock}) for the same reason: countdown TTLs and
   * the stale window are judged at the handler's "now". NOTIFY goes to the secondaries when the
   * flattened zone's serial changed or the zone is new.
   *
   * @param source the zone as written, ALIAS and ANAME records included
   * @param flattened what {@link org.aliasdns.core.flatten.Flattener} made of it with these
   *     results; its origin is the source's
   * @param results the resolutions of this zone's alias targets
   * @throws IllegalArgumentException if the zones have no SOA or different origins
   */
  public void serve(Zone source, FlattenedZone flattened, AliasResults results) {
    batch().serve(source, flattened, results).apply();
  }

  /**
   * Serves a zone as a live zone publishes it, signed: as {@link #serve(Zone, FlattenedZone,
   * AliasResults)}, but what is published (AXFR, IXFR, the SOA and serial every answer carries)
   * is the signed flattened zone, and a query with the DO bit (RFC 3225) is answered from it
   * with RRSIGs and NSEC/NSEC3 proofs ({@link SignedAnswerer}, RFC 4035 §3.1), so live answers
   * and what a secondary receives are the same signed data. Signed data cannot be made per
   * query: an alias name's A and AAAA in a DO answer are exactly the signed RRsets of this
   * snapshot (a stale publication with its Extended DNS Error 3), and the SERVFAIL of an alias
   * family with nothing usable still holds (a SERVFAIL needs no signature). A query without DO
   * is answered live as before, but for DNSKEY, NSEC3PARAM, RRSIG, NSEC and NSEC3 questions,
   * answered from the signed zone without other DNSSEC records (RFC 4035 §3.1).
   *
   * @param source the zone as written, ALIAS and ANAME records included
   * @param flattened what the flattener made of it with these results
   * @param signed the flattened zone signed ({@link org.aliasdns.core.dnssec.ZoneSigner}), same
   *     origin; its serial is the one published
   * @param results the resolutions of this zone's alias targets
   * @throws IllegalArgumentException if the zones have no SOA or different origins
   */
  public void serve(
      Zone source, FlattenedZone flattened, SignedZone signed, AliasResults results) {
    batch().serve(source, flattened, signed, results).apply();
  }

  /**
   * Stops serving a zone; its names are REFUSED from the next query on (unless a served zone above
   * holds them). Nothing happens if no zone has that origin.
   *
   * @param origin the zone's origin, in any case
   */
  public void withdraw(Name origin) {
    batch().withdraw(origin).apply();
  }

  /**
   * Starts a batch of changes to the zones served, applied together in one atomic step by
   * {@link Batch#apply()}: what starting or reloading thousands of zones calls, in time linear
   * in the zones served and the batch, where serving them one at a time copies what is served
   * once per zone. Each zone is served exactly as by the single-zone method of the same
   * arguments, and NOTIFY goes out as for those, once per zone whose serial changed or that is
   * new.
   *
   * @return an empty batch of this handler
   * @since 0.1
   */
  public Batch batch() {
    return new Batch();
  }

  /**
   * Replaces the shared alias results that ALIAS and ANAME answers come from, atomically; a zone
   * served with results of its own ({@link #serve(Zone, AliasResults)}) keeps those.
   *
   * @param results the resolutions of the alias targets
   */
  public void results(AliasResults results) {
    Objects.requireNonNull(results, "results");
    write(s -> new Snapshot(s.zones(), results, s.zoneResults(), s.version() + 1), Set.of());
  }

  /**
   * Replaces everything served, the zones and the alias results (zones' own results included:
   * from now on every zone answers from these), in one atomic step.
   *
   * @param zones the zones to serve from now on, no two with the same origin
   * @param results the resolutions of the alias targets
   * @throws IllegalArgumentException if a zone has no SOA or two zones share an origin
   */
  public void update(Collection<Zone> zones, AliasResults results) {
    Objects.requireNonNull(results, "results");
    Map<Name, Served> prepared = new HashMap<>();
    for (Zone zone : zones) {
      notCatalog(zone.origin());
      if (prepared.put(zone.origin(), prepare(zone)) != null) {
        throw new IllegalArgumentException("two zones with origin " + zone.origin());
      }
    }
    write(s -> new Snapshot(Map.copyOf(prepared), results, Map.of(), s.version() + 1), null);
  }

  private void notCatalog(Name origin) {
    if (origin.equals(catalog)) {
      throw new IllegalArgumentException(
          origin + " is this handler's catalog zone; it cannot be served or withdrawn");
    }
  }

  /**
   * Makes one change to what is served, atomically: each zone whose published version changed
   * gets its journal carried over with the difference added (RFC 1995), the catalog zone follows
   * the member zones (RFC 9432), and then NOTIFY goes out for every zone whose serial changed.
   * Only the origins in {@code touched} are looked at (null: every zone), so a change of a few
   * zones costs no pass over thousands.
   */
  private void write(UnaryOperator<Snapshot> change, @Nullable Set<Name> touched) {
    Snapshot before;
    Snapshot after;
    synchronized (writes) {
      before = snapshot.get();
      after = change.apply(before);
      Map<Name, Served> replaced = new HashMap<>();
      boolean membersChanged = touched == null;
      for (Name origin : touched == null ? after.zones().keySet() : touched) {
        Served old = before.zones().get(origin);
        Served now = after.zones().get(origin);
        if ((old == null) != (now == null)) {
          membersChanged = true;
        }
        if (old != null && now != null && old != now && now.journal() == ZoneJournal.empty()) {
          replaced.put(
              origin,
              now.withJournal(
                  old.journal()
                      .after(old.published(), now.published(), journalVersions, journalBytes)));
        }
      }
      Name cat = catalog;
      if (cat != null) {
        Served oldCatalog = before.zones().get(cat);
        Set<Name> members = new HashSet<>(after.zones().keySet());
        members.remove(cat);
        if (oldCatalog == null || membersChanged && !members.equals(membersOf(before, cat))) {
          long serial = catalogSerial(oldCatalog);
          Zone catalogZone = CatalogZone.of(cat, members, serial);
          Served next = prepare(catalogZone);
          if (oldCatalog != null) {
            next =
                next.withJournal(
                    oldCatalog
                        .journal()
                        .after(oldCatalog.published(), catalogZone, journalVersions, journalBytes));
          }
          replaced.put(cat, next);
        } else if (after.zones().get(cat) == null) {
          replaced.put(cat, oldCatalog);
        }
      }
      if (!replaced.isEmpty()) {
        Map<Name, Served> zones = new HashMap<>(after.zones());
        zones.putAll(replaced);
        after = after.withZones(zones);
      }
      snapshot.set(after);
    }
    if (touched == null) {
      notifyChanged(before, after, after.zones().keySet());
    } else {
      Set<Name> told = new HashSet<>(touched);
      if (cat(after) != cat(before)) {
        told.add(Objects.requireNonNull(catalog));
      }
      notifyChanged(before, after, told);
    }
  }

  /** The catalog zone served in a snapshot, or null. */
  private @Nullable Served cat(Snapshot s) {
    Name c = catalog;
    return c == null ? null : s.zones().get(c);
  }

  /** The member zones of a snapshot: every zone but the catalog. */
  private static Set<Name> membersOf(Snapshot s, Name catalog) {
    Set<Name> members = new HashSet<>(s.zones().keySet());
    members.remove(catalog);
    return members;
  }

  /** The catalog's next serial: the clock's seconds, or one more than before if not newer. */
  private long catalogSerial(@Nullable Served old) {
    long now = clock.instant().getEpochSecond() & 0xFFFF_FFFFL;
    if (old == null) {
      return now;
    }
    long was = old.published().soa().orElseThrow().getSerial();
    long ahead = (now - was) & 0xFFFF_FFFFL;
    return ahead != 0 && ahead < (1L << 31) ? now : (was + 1) & 0xFFFF_FFFFL;
  }

  /**
   * Sends NOTIFY (RFC 1996 §3.5) for every zone now served whose SOA serial differs from what
   * was served before, or that was not served before, to each configured secondary, signed with
   * the key the transfer ACL names for that secondary (RFC 8945), if any.
   */
  private void notifyChanged(Snapshot before, Snapshot after, Collection<Name> origins) {
    Notifier n = notifier;
    if (n == null) {
      return;
    }
    for (Name origin : origins) {
      Served served = after.zones().get(origin);
      if (served == null) {
        continue;
      }
      Zone zone = served.published();
      Served old = before.zones().get(zone.origin());
      long serial = zone.soa().orElseThrow().getSerial();
      if (old != null && old.published().soa().orElseThrow().getSerial() == serial) {
        continue;
      }
      for (InetSocketAddress secondary : secondaries) {
        TsigKey key =
            transferAcl.keyFor(secondary.getAddress()).map(keyring::key).orElse(null);
        n.notify(zone, secondary, key)
            .whenComplete(
                (result, failure) -> {
                  if (result != null) {
                    onNotified.accept(result);
                  }
                });
      }
    }
  }

  /**
   * Returns the zone published now with exactly this origin: the flattened zone where one was
   * given, else the zone as served; what AXFR transfers.
   *
   * @param origin the origin, in any case
   * @return the zone snapshot, or empty if no zone has that origin
   */
  public Optional<Zone> zone(Name origin) {
    Served a = snapshot.get().zones().get(origin);
    return a == null ? Optional.empty() : Optional.of(a.published());
  }

  /**
   * Lets the server cache this handler's UDP answers: the generation changes with every
   * snapshot swap and every second of the clock. An answer that does not depend on the time
   * (static records, fresh alias addresses with fixed TTLs) is given as valid up to the next
   * snapshot swap; one that does (countdown TTLs, a negative answer's expiry, stale limits:
   * {@link Response#changesAt()}) only for the seconds before it may change. So a cached answer
   * is never one this handler would no longer give. Answers to ordinary queries do not depend
   * on the client; transfers, which do, are never cached.
   *
   * @return the snapshot version and the clock's second, packed in one value
   */
  @Override
  public long generation() {
    return (snapshot.get().version() << 32) | (clock.instant().getEpochSecond() & 0xFFFF_FFFFL);
  }

  /**
   * A zone served as a live zone publishes it: answered live from the source with the
   * flattened zone's SOA and policy, its publication as the memory; the flattened (or signed)
   * zone published.
   */
  private Served prepareLive(Zone source, FlattenedZone flattened, @Nullable SignedZone signed) {
    Zone published = signed != null ? signed.zone() : flattened.zone();
    if (!published.origin().equals(source.origin())
        || !flattened.zone().origin().equals(source.origin())) {
      throw new IllegalArgumentException(
          (signed != null ? "flattened or signed zone is not of zone " : "flattened zone "
              + published.origin() + " is not of zone ") + source.origin());
    }
    SOARecord soa =
        published
            .soa()
            .orElseThrow(
                () -> new IllegalArgumentException("zone " + source.origin() + " has no SOA"));
    SOARecord own =
        source
            .soa()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("zone " + source.origin() + " has no SOA record"));
    // Live answers carry the published SOA: the serial is the version secondaries hold. A
    // source whose SOA is already that one (a first publication) is used as it is, not copied:
    // with thousands of zones the copies would be a third of what is kept.
    Zone live =
        own.equals(soa) && own.getTTL() == soa.getTTL()
            ? source
            : source.toBuilder().put(RecordSet.of(soa)).build();
    return new Served(
        QueryAnswerer.of(live, flattened.policy()),
        published,
        flattened::publication,
        ZoneJournal.empty(),
        signed == null ? null : SignedAnswerer.of(published));
  }

  private Served prepare(Zone zone) {
    if (zone.soa().isEmpty()) {
      throw new IllegalArgumentException("zone " + zone.origin() + " has no SOA record");
    }
    return new Served(
        QueryAnswerer.of(zone, policy),
        zone,
        AliasPublications.none(),
        ZoneJournal.empty(),
        null);
  }

  /**
   * Answers one query from the current snapshot.
   *
   * @param request the query
   * @return the reply: one message, or a stream for a zone transfer over TCP
   */
  @Override
  public DnsReply handle(DnsRequest request) {
    Message query = request.message();
    // RFC 8945 §5.2: a signed request is checked before anything else; a failed check is
    // answered NOTAUTH with the TSIG error, and a good one gets a signed reply.
    Keyring.Check check = keyring.check(query, request.wire());
    if (check instanceof Keyring.Invalid invalid) {
      return DnsReply.signed(DnsReply.of(refusal(query, Rcode.NOTAUTH)), invalid.signer());
    }
    if (check instanceof Keyring.Valid valid) {
      return DnsReply.signed(answer(request, valid.key().name()), valid.signer());
    }
    return answer(request, null);
  }

  private DnsReply answer(DnsRequest request, @Nullable Name key) {
    Message query = request.message();
    if (query.getHeader().getOpcode() == Opcode.NOTIFY) {
      return DnsReply.of(refusal(query, Rcode.NOTIMP));
    }
    Question asked = Question.from(query);
    if (asked.dclass() != DClass.IN && asked.dclass() != DClass.ANY) {
      return DnsReply.of(refusal(query, Rcode.REFUSED));
    }
    Snapshot now = snapshot.get();
    Served served = now.find(asked.name());
    if (asked.type() == Type.AXFR || asked.type() == Type.IXFR) {
      return transfer(request, asked, served, key);
    }
    if (served == null) {
      return DnsReply.of(refusal(query, Rcode.REFUSED));
    }
    Question question =
        asked.dclass() == DClass.IN ? asked : Question.of(asked.name(), asked.type());
    AliasResults results = now.resultsOf(served.published().origin());
    Response live = served.answerer().answer(question, results, served.memory(), clock.instant());
    long validBelow = validBelow(now.version(), live);
    SignedAnswerer signed = served.signed();
    if (signed == null) {
      return DnsReply.of(live.toMessage(query), validBelow);
    }
    OPTRecord opt = query.getOPT();
    if (opt == null || (opt.getFlags() & ExtendedFlags.DO) == 0) {
      // DNSKEY, NSEC3PARAM and the DNSSEC types are zone data the source does not hold.
      return DnsReply.of(
          isDnssecType(question.type())
              ? signed.answer(question, false).toMessage(query)
              : live.toMessage(query),
          validBelow);
    }
    if (live.rcode() == Rcode.SERVFAIL && live.extendedError().isPresent()) {
      // an alias with nothing usable: no signature
      return DnsReply.of(live.toMessage(query), validBelow);
    }
    Response answer = signed.answer(question);
    if (live.rcode() == answer.rcode()) {
      answer = answer.withExtendedError(live.extendedError().orElse(null)); // stale: EDE 3
    }
    return DnsReply.of(answer.toMessage(query), validBelow);
  }

  /**
   * The first {@link #generation()} for which a reply made from this snapshot version may be
   * another: the next version, or, for an answer that changes with the time ({@link
   * Response#changesAt()}), the clock's whole second that instant falls in (so the reply is
   * reused only in the seconds wholly before it).
   */
  private static long validBelow(long version, Response answer) {
    long nextVersion = (version + 1) << 32;
    Optional<Instant> at = answer.changesAt();
    if (at.isEmpty()) {
      return nextVersion;
    }
    long second = at.get().getEpochSecond();
    if (second < 0) {
      return version << 32; // before 1970: never reused
    }
    return second > 0xFFFF_FFFFL ? nextVersion : (version << 32) | second;
  }

  private static boolean isDnssecType(int type) {
    return type == Type.DNSKEY
        || type == Type.NSEC3PARAM
        || type == Type.RRSIG
        || type == Type.NSEC
        || type == Type.NSEC3;
  }

  private DnsReply transfer(
      DnsRequest request, Question asked, @Nullable Served served, @Nullable Name key) {
    Message query = request.message();
    boolean axfr = asked.type() == Type.AXFR;
    if (axfr && request.transport() == Transport.UDP) {
      return DnsReply.of(refusal(query, Rcode.REFUSED)); // RFC 5936 §4.2: AXFR is TCP only
    }
    if (!transferAcl.permits(request.client().getAddress(), key)) {
      return DnsReply.of(refusal(query, Rcode.REFUSED));
    }
    if (served == null || !served.published().origin().equals(asked.name())) {
      return DnsReply.of(refusal(query, Rcode.NOTAUTH));
    }
    Zone zone = served.published();
    SOARecord soa = zone.soa().orElseThrow();
    SOARecord theirs = axfr ? null : clientSoa(query);
    if (!axfr && (request.transport() == Transport.UDP || upToDate(theirs, soa))) {
      // RFC 1995 §2: the current SOA alone tells a client that is up to date so, and over UDP
      // tells any other client to transfer over TCP.
      Message reply = refusal(query, Rcode.NOERROR);
      reply.getHeader().setFlag(Flags.AA);
      reply.addRecord(soa, Section.ANSWER);
      return DnsReply.of(reply);
    }
    if (theirs != null) {
      // RFC 1995 §4: the differences from the client's version, condensed, when the journal
      // reaches back to it and they are no more records than the whole zone (whose SOA goes
      // twice); else the whole zone.
      Optional<ZoneJournal.Difference> difference = served.journal().since(theirs.getSerial());
      if (difference.isPresent() && difference.get().recordCount() <= zone.recordCount() + 1) {
        return DnsReply.stream(TransferMessages.incremental(soa, difference.get(), query));
      }
    }
    if (zone.recordCount() <= INLINE_TRANSFER_RECORDS) {
      return DnsReply.stream(TransferMessages.of(zone, soa, query));
    }
    // Packing a large zone takes a while: not on the listener's thread.
    return DnsReply.later(
        CompletableFuture.supplyAsync(
            () -> DnsReply.stream(TransferMessages.of(zone, soa, query))));
  }

  /** The SOA in an IXFR query's authority section (RFC 1995 §3), or null without one. */
  private static @Nullable SOARecord clientSoa(Message query) {
    for (Record r : query.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord theirs) {
        return theirs;
      }
    }
    return null;
  }

  /**
   * Tells whether an IXFR query's SOA has our serial or a newer one, in RFC 1982 serial
   * arithmetic.
   */
  private static boolean upToDate(@Nullable SOARecord theirs, SOARecord ours) {
    if (theirs == null) {
      return false;
    }
    long ahead = (theirs.getSerial() - ours.getSerial()) & 0xFFFF_FFFFL;
    return ahead < (1L << 31); // 0: the same; 1..2^31-1: newer (RFC 1982 §3.2)
  }

  /** A reply with the query's id, opcode, flags and question, and only a response code. */
  private static Message refusal(Message query, int rcode) {
    return DnsRequest.responseTo(query, rcode);
  }

  /**
   * Changes to many zones, applied together in one atomic step ({@link ZoneHandler#batch()}):
   * queries see every change of the batch or none. Each method stands for the single-zone method
   * of the same arguments and checks its arguments at once, as that method does; a later change
   * of an origin in the same batch replaces an earlier one. A batch is for one thread and is
   * applied once.
   *
   * <pre>{@code
   * ZoneHandler.Batch batch = handler.batch();
   * for (LiveZone.Update u : updates) {
   *   batch.serve(u.source(), u.current(), u.results());
   * }
   * batch.withdraw(Name.fromConstantString("gone.example."));
   * batch.apply(); // one swap; NOTIFY for each new zone and each moved serial
   * }</pre>
   *
   * @since 0.1
   */
  public final class Batch {
    private final Map<Name, Change> changes = new HashMap<>();
    private boolean applied;

    private Batch() {}

    private Batch put(Name origin, Change change) {
      if (applied) {
        throw new IllegalStateException("this batch was applied already");
      }
      notCatalog(origin);
      changes.put(origin, change);
      return this;
    }

    /**
     * Adds a zone served with the shared results, as {@link ZoneHandler#serve(Zone)}.
     *
     * @param zone the zone snapshot
     * @return this batch
     * @throws IllegalArgumentException if the zone has no SOA record or is the catalog
     * @throws IllegalStateException if the batch was applied
     */
    public Batch serve(Zone zone) {
      return put(zone.origin(), new Change(prepare(zone), null));
    }

    /**
     * Adds a zone served with results of its own, as {@link ZoneHandler#serve(Zone,
     * AliasResults)}.
     *
     * @param zone the zone snapshot
     * @param results the resolutions of this zone's alias targets
     * @return this batch
     * @throws IllegalArgumentException if the zone has no SOA record or is the catalog
     * @throws IllegalStateException if the batch was applied
     */
    public Batch serve(Zone zone, AliasResults results) {
      Objects.requireNonNull(results, "results");
      return put(zone.origin(), new Change(prepare(zone), results));
    }

    /**
     * Adds a zone served as a live zone publishes it, as {@link ZoneHandler#serve(Zone,
     * FlattenedZone, AliasResults)}.
     *
     * @param source the zone as written, ALIAS and ANAME records included
     * @param flattened what the flattener made of it with these results; same origin
     * @param results the resolutions of this zone's alias targets
     * @return this batch
     * @throws IllegalArgumentException if the zones have no SOA or different origins
     * @throws IllegalStateException if the batch was applied
     */
    public Batch serve(Zone source, FlattenedZone flattened, AliasResults results) {
      Objects.requireNonNull(results, "results");
      return put(source.origin(), new Change(prepareLive(source, flattened, null), results));
    }

    /**
     * Adds a zone served as a live zone publishes it, signed, as {@link ZoneHandler#serve(Zone,
     * FlattenedZone, SignedZone, AliasResults)}.
     *
     * @param source the zone as written, ALIAS and ANAME records included
     * @param flattened what the flattener made of it with these results
     * @param signed the flattened zone signed, same origin; its serial is the one published
     * @param results the resolutions of this zone's alias targets
     * @return this batch
     * @throws IllegalArgumentException if the zones have no SOA or different origins
     * @throws IllegalStateException if the batch was applied
     */
    public Batch serve(
        Zone source, FlattenedZone flattened, SignedZone signed, AliasResults results) {
      Objects.requireNonNull(results, "results");
      return put(source.origin(), new Change(prepareLive(source, flattened, signed), results));
    }

    /**
     * Adds the withdrawal of a zone, as {@link ZoneHandler#withdraw(Name)}: nothing if no zone
     * has that origin when the batch is applied.
     *
     * @param origin the zone's origin, in any case
     * @return this batch
     * @throws IllegalArgumentException if it is the catalog's origin
     * @throws IllegalStateException if the batch was applied
     */
    public Batch withdraw(Name origin) {
      return put(origin, new Change(null, null));
    }

    /**
     * Returns how many zones this batch serves or withdraws.
     *
     * @return the number of distinct origins added
     */
    public int size() {
      return changes.size();
    }

    /**
     * Applies the batch in one atomic step, then sends NOTIFY for every zone it made new or
     * whose SOA serial it moved (RFC 1996 §3.5). An empty batch, or one that only withdraws
     * zones not served, changes nothing.
     *
     * @throws IllegalStateException if the batch was applied already
     */
    public void apply() {
      if (applied) {
        throw new IllegalStateException("this batch was applied already");
      }
      applied = true;
      if (changes.isEmpty()) {
        return;
      }
      Map<Name, Change> batch = Map.copyOf(changes);
      write(
          s -> {
            Map<Name, Change> effective = new HashMap<>();
            batch.forEach(
                (origin, c) -> {
                  if (c.served() != null || s.zones().containsKey(origin)) {
                    effective.put(origin, c);
                  }
                });
            return effective.isEmpty() ? s : s.with(effective);
          },
          batch.keySet());
    }
  }

  /**
   * Settings of a {@link ZoneHandler}. Each may be set at most once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private FlatteningPolicy policy = FlatteningPolicy.defaults();
    private InstantSource clock = InstantSource.system();
    private TransferAcl transferAcl = TransferAcl.loopback();
    private List<TsigKey> tsigKeys = List.of();
    private int journalVersions = DEFAULT_JOURNAL_VERSIONS;
    private long journalBytes = DEFAULT_JOURNAL_BYTES;
    private @Nullable Name catalog;
    private List<InetSocketAddress> secondaries = List.of();
    private @Nullable Notifier notifier;
    private Consumer<NotifyResult> onNotified = result -> {};
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    /**
     * Sets the flattening policy: which names are aliases, TTLs, and the stale rules.
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder policy(FlatteningPolicy policy) {
      once("policy");
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the clock that says "now" for countdown TTLs and the stale limit.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(InstantSource clock) {
      once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets which client addresses may transfer zones (AXFR, IXFR).
     *
     * @param acl true for an address allowed to transfer
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder allowTransfer(Predicate<InetAddress> acl) {
      once("transferAcl");
      this.transferAcl = TransferAcl.addresses(Objects.requireNonNull(acl, "acl"));
      return this;
    }

    /**
     * Sets who may transfer zones: address prefixes, TSIG keys, or both, whether a key is
     * required, and whether loopback is exempt ({@link TransferAcl}). Replaces {@link
     * #allowTransfer}; set one or the other. By default {@link TransferAcl#loopback()}.
     *
     * @param acl the ACL; every key it names must be among {@link #tsigKeys}
     * @return this builder
     * @throws IllegalStateException if this or {@link #allowTransfer} was already set
     */
    public Builder transferAcl(TransferAcl acl) {
      once("transferAcl");
      this.transferAcl = Objects.requireNonNull(acl, "acl");
      return this;
    }

    /**
     * Sets the TSIG keys (RFC 8945) this handler knows. A request signed with one of them, with a
     * good MAC and a time within the fudge, gets a signed reply, every message of a transfer
     * signed (§5.3.1); a request signed otherwise gets NOTAUTH with the TSIG error, BADKEY,
     * BADSIG or BADTIME (§5.2). A NOTIFY to a secondary is signed with the key {@link
     * TransferAcl#keyFor} names for it. None by default: a signed request is then BADKEY.
     *
     * @param keys the keys, no two with one name ({@link TsigKeyFile#read} reads them)
     * @return this builder
     * @throws IllegalArgumentException if two keys share a name
     * @throws IllegalStateException if already set
     */
    public Builder tsigKeys(Collection<TsigKey> keys) {
      once("tsigKeys");
      Set<Name> names = new HashSet<>();
      for (TsigKey k : keys) {
        if (!names.add(k.name())) {
          throw new IllegalArgumentException("two TSIG keys named " + k.name());
        }
      }
      this.tsigKeys = List.copyOf(keys);
      return this;
    }

    /**
     * Sets how many earlier versions of each zone the IXFR journal reaches back to (RFC 1995). A
     * secondary at one of them gets the differences since, condensed into one sequence; one at an
     * older version, or at a serial never published here, gets the whole zone. The default is
     * {@value #DEFAULT_JOURNAL_VERSIONS}; 0 keeps no journal.
     *
     * @param versions 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder journalVersions(int versions) {
      once("journalVersions");
      if (versions < 0) {
        throw new IllegalArgumentException("journalVersions must be 0 or more, was " + versions);
      }
      this.journalVersions = versions;
      return this;
    }

    /**
     * Sets how many bytes of records each zone's IXFR journal may hold (each record counted at
     * its canonical wire size); the oldest differences go first. A single change larger than
     * this empties the journal: secondaries then transfer the whole zone. The default is {@value
     * #DEFAULT_JOURNAL_BYTES} bytes per zone.
     *
     * @param bytes 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder journalBytes(long bytes) {
      once("journalBytes");
      if (bytes < 0) {
        throw new IllegalArgumentException("journalBytes must be 0 or more, was " + bytes);
      }
      this.journalBytes = bytes;
      return this;
    }

    /**
     * Publishes a catalog zone (RFC 9432, schema version 2) at this origin, listing every other
     * zone served, so that secondaries configured with the catalog alone pick up each member
     * zone. It is served, transferred (AXFR, IXFR) and NOTIFYed like any zone; its serial moves
     * (to the clock's seconds, or one more) whenever a zone is added or withdrawn, and not when
     * a member's own serial moves. Members are named {@code <id>.zones.<origin>} PTR, the id 40
     * hex digits of SHA-1 over the member's name, stable across restarts. None by default.
     *
     * @param origin the catalog's origin, e.g. {@code catalog.invalid.}; no served zone may
     *     have it
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder catalog(Name origin) {
      once("catalog");
      this.catalog = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * Sets the secondaries to send NOTIFY (RFC 1996) to whenever {@link #serve} or {@link
     * #update} makes a zone's SOA serial change, or starts serving a zone. They then pull the
     * zone by AXFR or IXFR, so allow their addresses in {@link #allowTransfer}. None by
     * default.
     *
     * @param addresses the secondaries' addresses and ports
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder notify(List<InetSocketAddress> addresses) {
      once("notify");
      this.secondaries = List.copyOf(addresses);
      return this;
    }

    /**
     * Sets the NOTIFY sender used for {@link #notify(List)}; by default {@code
     * Notifier.builder().build()}.
     *
     * @param sender the sender
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder notifier(Notifier sender) {
      once("notifier");
      this.notifier = Objects.requireNonNull(sender, "sender");
      return this;
    }

    /**
     * Sets what to do with each NOTIFY's outcome (log it, count it); nothing by default.
     *
     * @param listener called once per secondary and change, from the notifier's thread
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder onNotified(Consumer<NotifyResult> listener) {
      once("onNotified");
      this.onNotified = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the handler, serving no zones yet.
     *
     * @return the handler
     */
    public ZoneHandler build() {
      return new ZoneHandler(this);
    }
  }
}
