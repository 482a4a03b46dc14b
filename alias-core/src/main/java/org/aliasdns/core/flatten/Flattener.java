package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.aliasdns.core.flatten.FlattenedZone.Key;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Turns a zone with aliases into a zone any standard server and secondary accepts: each
 * ALIAS/ANAME record (and, by the policy's scope, an apex CNAME or every CNAME) becomes A and
 * AAAA records owned by the alias name, built from the resolutions of the alias targets. A pure
 * function: no sockets, threads or clocks; "now" is a parameter, and the same inputs always give
 * the same zone.
 *
 * <p>For each flattened name and each family the policy synthesizes, independently:
 *
 * <ul>
 *   <li>Explicit A (or AAAA) records at the name win for their type; nothing is synthesized for
 *       it.
 *   <li>An {@link Resolution.Answer} publishes its addresses with the TTL of {@link
 *       FlatteningPolicy#ttl}: the minimum over the alias record's TTL, every hop and the final
 *       RRset, clamped to floor and cap. In {@link TtlMode#COUNTDOWN} the TTL is what remains of
 *       that at "now" (clamped again); since a zone's TTLs are fixed text, every run then changes
 *       the zone and its serial. {@link TtlMode#FIXED} (the default) avoids that churn.
 *   <li>{@link Resolution.NxDomain} or {@link Resolution.NoData} publishes nothing for the type,
 *       so the name answers NODATA (RFC 2308 §2.2); the name itself never disappears.
 *   <li>{@link Resolution.Failure}, {@link Resolution.Loop}, {@link Resolution.ChainTooLong} (or an
 *       answer whose chain is longer than the policy's limit) and a missing result are reported as
 *       a {@link FlatteningProblem}, and the last good addresses are kept as stale (RFC 8767):
 *       the failure's own stale answer or the previous run's addresses for the same target,
 *       whichever was confirmed later, with the policy's stale TTL, for as long as the policy's
 *       max stale lasts past their expiry ({@link FlatteningPolicy#expiry}: confirmation plus the
 *       upstream chain TTL). After
 *       that, or with nothing to keep, nothing is published for the type. A zone cannot say
 *       SERVFAIL, so such a name answers NODATA for the type, like a vanished target.
 * </ul>
 *
 * <p>A target inside the zone, or inside another zone given to the overloads that take {@link
 * InZoneTargets}, is resolved from that zone's data and never looked up in the results: through
 * in-zone CNAMEs, DNAMEs, wildcards and other aliases, a cycle among them being a {@link
 * Resolution.Loop}. Only where such a chain leaves the zones does an upstream result count, with
 * the in-zone hops in front of its chain; {@link #targets(Zone)} lists exactly those names.
 *
 * <p>The published zone holds no ALIAS/ANAME records by default: standard secondaries do not
 * know them, and they would only ever load them as opaque data ({@link #keepingAliasRecords()}
 * keeps them, for secondaries that are alias-aware). A flattened CNAME is removed, since a CNAME
 * cannot stand beside other data (RFC 2181 §10.1), except where nothing at all would be left at
 * its name: the CNAME then stays, unflattened, rather than the name turning into NXDOMAIN.
 *
 * <p>The SOA serial moves exactly when the published content (everything but the serial) differs
 * from the previous run's: to the source zone's serial if that is greater in RFC 1982 §3.2
 * terms, else to the previous serial plus one, modulo 2^32 (RFC 1982 §3.1). A first run (no
 * previous) publishes the source serial. An input that is itself invalid (say, a CNAME beside
 * other data that the scope does not flatten) is not repaired.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Flattener {
  private static final Comparator<AliasChange> CHANGE_ORDER =
      Comparator.comparing(AliasChange::owner).thenComparing(AliasChange::family);

  private final FlatteningPolicy policy;
  private final boolean keepAliasRecords;

  private Flattener(FlatteningPolicy policy, boolean keepAliasRecords) {
    this.policy = policy;
    this.keepAliasRecords = keepAliasRecords;
  }

  /**
   * Creates a flattener that removes alias records from the published zone.
   *
   * @param policy the flattening policy
   * @return the flattener
   */
  public static Flattener of(FlatteningPolicy policy) {
    return new Flattener(Objects.requireNonNull(policy, "policy"), false);
  }

  /**
   * Returns a flattener like this one that keeps the ALIAS/ANAME records in the published zone
   * beside their synthesized siblings, for secondaries that understand them. Write such a zone
   * with {@link ZoneFileWriter#withGenericAliasTypes()} for servers that do not.
   *
   * @return the flattener
   */
  public Flattener keepingAliasRecords() {
    return new Flattener(policy, true);
  }

  /**
   * Returns the policy.
   *
   * @return the policy given to {@link #of}
   */
  public FlatteningPolicy policy() {
    return policy;
  }

  /**
   * Tells whether alias records stay in the published zone.
   *
   * @return true if made by {@link #keepingAliasRecords()}
   */
  public boolean keepsAliasRecords() {
    return keepAliasRecords;
  }

  /**
   * Returns the names a zone's flattening needs resolved upstream under this policy's scope:
   * what to ask the resolver for, for each family of the policy. A target outside the zone is
   * listed as it is; a target inside it is followed through the zone's own data ({@link
   * InZoneTargets}) and only the name where its chain leaves the zone, if it does, is listed. A
   * target the zone answers alone is never sent upstream.
   *
   * @param source the zone
   * @return the distinct names, in canonical order
   */
  public List<Name> targets(Zone source) {
    return targets(source, InZoneTargets.of(source));
  }

  /**
   * Returns the names a zone's flattening needs resolved upstream, for a server that is also
   * authoritative for other zones: a target in any of them is followed through their data, as
   * {@link #targets(Zone)} does for the source zone alone.
   *
   * @param source the zone
   * @param served the zones the server is authoritative for; the source snapshot replaces any
   *     zone with its origin there
   * @return the distinct names, in canonical order
   */
  public List<Name> targets(Zone source, InZoneTargets served) {
    Set<Name> targets = new TreeSet<>();
    for (Name name : source.names()) {
      Alias alias = aliasAt(source, name);
      if (alias != null) {
        targets.add(alias.target);
      }
    }
    return served.with(source).upstreamTargets(targets, policy);
  }

  /**
   * Flattens a zone. Targets inside it are resolved from its own data ({@link InZoneTargets});
   * the others, and the names where in-zone chains leave the zone, from the results.
   *
   * @param source the zone as configured, with alias records
   * @param results the upstream resolutions of the names {@link #targets(Zone)} lists
   * @param now the time of this run, to judge how stale kept addresses are
   * @param previous the previous run's result for this zone, or null on a first run
   * @return the zone to publish, its serial, what was synthesized, changed and went wrong
   * @throws IllegalArgumentException if the source has no SOA, or previous is of another zone
   */
  public FlattenedZone flatten(
      Zone source, AliasResults results, Instant now, @Nullable FlattenedZone previous) {
    return flatten(source, InZoneTargets.of(source), results, now, previous);
  }

  /**
   * Flattens a zone for a server that is also authoritative for other zones: targets in any of
   * them are resolved from their data, as {@link #flatten(Zone, AliasResults, Instant,
   * FlattenedZone)} does for the source zone alone.
   *
   * @param source the zone as configured, with alias records
   * @param served the zones the server is authoritative for; the source snapshot replaces any
   *     zone with its origin there
   * @param results the upstream resolutions of the names {@link #targets(Zone, InZoneTargets)}
   *     lists
   * @param now the time of this run, to judge how stale kept addresses are
   * @param previous the previous run's result for this zone, or null on a first run
   * @return the zone to publish, its serial, what was synthesized, changed and went wrong
   * @throws IllegalArgumentException if the source has no SOA, or previous is of another zone
   */
  public FlattenedZone flatten(
      Zone source,
      InZoneTargets served,
      AliasResults results,
      Instant now,
      @Nullable FlattenedZone previous) {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(now, "now");
    Name origin = source.origin();
    SOARecord soa =
        source
            .soa()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "zone " + origin + " has no SOA; a published zone needs one"));
    @Nullable Zone before = previous == null ? null : previous.zone();
    if (before != null && !before.origin().equals(origin)) {
      throw new IllegalArgumentException(
          "previous flattening is of zone " + before.origin() + ", not " + origin);
    }

    Run run = new Run(source, served.with(source), results, now, previous);
    for (Name name : source.names()) {
      run.name(name);
    }

    boolean changed;
    long serial;
    if (previous == null || before == null) { // both or neither; NullAway wants to see both
      changed = true;
      serial = soa.getSerial(); // a first run has nothing to be newer than
    } else {
      long last = previous.serial();
      changed =
          run.differs
              || run.emitted + 1 != before.size()
              || !soaSet(soa, last).equals(before.get(origin, Type.SOA).orElse(null));
      if (!changed) {
        serial = last;
      } else if (SerialNumber.isGreater(soa.getSerial(), last)) {
        serial = soa.getSerial();
      } else {
        serial = SerialNumber.next(last);
      }
    }
    run.out.add(soaSet(soa, serial));
    Zone zone = run.out.build();
    return new FlattenedZone(
        zone,
        serial,
        changed,
        now,
        run.siblings,
        run.byKey,
        changes(run.flattened, before, zone, previous),
        run.problems);
  }

  /** The state of one {@link #flatten} call. */
  private final class Run {
    final Zone source;
    final InZoneTargets served;
    final AliasResults results;
    final Instant now;
    final @Nullable FlattenedZone previous;
    final @Nullable Zone before;
    final Zone.Builder out;
    final List<Siblings> siblings = new ArrayList<>();
    final Map<Key, Siblings> byKey = new HashMap<>();
    final List<FlatteningProblem> problems = new ArrayList<>();
    final List<Name> flattened = new ArrayList<>();
    /** RRsets other than the SOA added to {@link #out}. */
    int emitted;
    /** Whether an RRset other than the SOA differs from the previous zone's. */
    boolean differs;

    Run(
        Zone source,
        InZoneTargets served,
        AliasResults results,
        Instant now,
        @Nullable FlattenedZone previous) {
      this.source = source;
      this.served = served;
      this.results = results;
      this.now = now;
      this.previous = previous;
      this.before = previous == null ? null : previous.zone();
      this.out = Zone.builder(source.origin());
    }

    void name(Name name) {
      List<RecordSet> sets = source.recordSets(name);
      Alias alias = aliasAt(source, name);
      if (alias == null) {
        for (RecordSet set : sets) {
          if (set.type() != Type.SOA) {
            emit(set);
          }
        }
        return;
      }
      flattened.add(name);
      boolean otherData = false;
      RecordSet cname = null;
      for (RecordSet set : sets) {
        int type = set.type();
        if (type == Type.SOA) {
          otherData = true;
        } else if (alias.fromCname && type == Type.CNAME) {
          cname = set; // replaced by the siblings: RFC 2181 §10.1
        } else if (!AliasRecord.isAliasType(type)) {
          otherData = true;
          emit(set);
        } else if (keepAliasRecords) {
          emit(set);
        }
      }
      boolean published = false;
      for (Family family : Family.values()) {
        if (!policy.families().contains(family) || source.get(name, family.type()).isPresent()) {
          continue; // explicit addresses win for their type
        }
        Siblings s = siblings(alias, family);
        siblings.add(s);
        byKey.put(new Key(name, family), s);
        RecordSet records = s.records();
        if (records != null) {
          emit(records);
          published = true;
        }
      }
      if (cname != null && !otherData && !published) {
        emit(cname); // better an unflattened CNAME than a name that vanishes (NXDOMAIN)
      }
    }

    private void emit(RecordSet set) {
      out.add(set);
      emitted++;
      if (!differs && before != null) {
        differs = !set.equals(before.get(set.owner(), set.type()).orElse(null));
      }
    }

    private Siblings siblings(Alias alias, Family family) {
      Siblings last = previous == null ? null : previous.siblings(alias.owner, family).orElse(null);
      if (last != null && !last.target().equals(alias.target)) {
        last = null; // addresses of another target are no fallback for this one
      }
      // In-zone targets from the zones' own data, never upstream (InZoneTargets).
      Resolution r = served.resolve(alias.target, family.type(), results, now, policy).orElse(null);
      if (r == null) {
        return fallback(
            alias, family, last, null, FlatteningProblem.Kind.MISSING_RESULT, List.of(), "no result");
      }
      if (r instanceof Resolution.Answer) {
        Resolution.Answer answer = (Resolution.Answer) r;
        if (answer.chain().size() > policy.chainLimit()) {
          return fallback(
              alias, family, last, null, FlatteningProblem.Kind.CHAIN_TOO_LONG, answer.chain(),
              tooLong(answer.chain()));
        }
        return fresh(alias, family, answer);
      }
      if (r instanceof Resolution.NoData || r instanceof Resolution.NxDomain) {
        return new Siblings(
            alias.owner, family, alias.target, Siblings.Status.NO_ADDRESSES, null, r.obtained(),
            null);
      }
      if (r instanceof Resolution.Failure) {
        Resolution.Failure failure = (Resolution.Failure) r;
        Resolution.Answer stale = failure.stale();
        return fallback(
            alias, family, last, stale == null ? null : fresh(alias, family, stale),
            FlatteningProblem.Kind.UPSTREAM_FAILURE, failure.chain(),
            "upstream failure: " + failure.reason());
      }
      if (r instanceof Resolution.Loop) {
        return fallback(
            alias, family, last, null, FlatteningProblem.Kind.LOOP, r.chain(),
            "the chain loops back to " + loopStart(r.chain()));
      }
      // The sealed family leaves only ChainTooLong.
      return fallback(
          alias, family, last, null, FlatteningProblem.Kind.CHAIN_TOO_LONG, r.chain(),
          tooLong(r.chain()));
    }

    private Siblings fresh(Alias alias, Family family, Resolution.Answer answer) {
      long ttl = policy.ttl(alias.ttl, answer);
      long published = ttl;
      if (policy.ttlMode() == TtlMode.COUNTDOWN) {
        long elapsed = Math.max(0, Duration.between(answer.obtained(), now).getSeconds());
        published = policy.clamp(Math.max(0, ttl - elapsed));
      }
      List<Record> renamed = new ArrayList<>(answer.records().size());
      for (Record r : answer.records()) {
        renamed.add(r.withName(alias.owner));
      }
      return new Siblings(
          alias.owner, family, alias.target, Siblings.Status.FRESH,
          RecordSet.of(renamed).withTtl(published), answer.obtained(),
          policy.expiry(answer));
    }

    /**
     * Keeps the later-confirmed of two candidate last good answers as stale while max stale
     * allows (RFC 8767 §4), else publishes nothing; reports the problem either way.
     */
    private Siblings fallback(
        Alias alias,
        Family family,
        @Nullable Siblings last,
        @Nullable Siblings staleAnswer,
        FlatteningProblem.Kind kind,
        List<Hop> chain,
        String reason) {
      Siblings keep = later(usable(last), usable(staleAnswer));
      Siblings result;
      String detail;
      RecordSet records = keep == null ? null : keep.records();
      if (keep != null && records != null) {
        result =
            new Siblings(
                alias.owner, family, alias.target, Siblings.Status.STALE,
                records.withTtl(policy.staleTtl()), keep.confirmed(), keep.expires());
        detail = reason + "; keeping the addresses confirmed at " + keep.confirmed() + " as stale";
      } else {
        result =
            new Siblings(
                alias.owner, family, alias.target, Siblings.Status.UNRESOLVED, null, null, null);
        boolean hadAddresses =
            (last != null && last.records() != null)
                || (staleAnswer != null && staleAnswer.records() != null);
        detail =
            reason
                + (hadAddresses
                    ? "; last good addresses dropped, past max stale " + policy.maxStale()
                    : "; no last good addresses, none published");
      }
      problems.add(new FlatteningProblem(alias.owner, family, alias.target, kind, chain, detail));
      return result;
    }

    private @Nullable Siblings usable(@Nullable Siblings candidate) {
      if (candidate == null || candidate.records() == null) {
        return null;
      }
      Instant expires = Objects.requireNonNull(candidate.expires());
      return policy.withinMaxStale(expires, now) ? candidate : null;
    }
  }

  private static @Nullable Siblings later(@Nullable Siblings a, @Nullable Siblings b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    Instant ca = Objects.requireNonNull(a.confirmed());
    Instant cb = Objects.requireNonNull(b.confirmed());
    return cb.isAfter(ca) ? b : a;
  }

  private String tooLong(List<Hop> chain) {
    return "the chain has "
        + chain.size()
        + (chain.size() > policy.chainLimit() ? "" : " or more")
        + " hops, over the limit of "
        + policy.chainLimit();
  }

  private static String loopStart(List<Hop> chain) {
    return chain.isEmpty() ? "itself" : chain.get(chain.size() - 1).target().toString();
  }

  /** A name to flatten: its target and the TTL of the record that made it an alias. */
  private static final class Alias {
    final Name owner;
    final Name target;
    final long ttl;
    final boolean fromCname;

    Alias(Name owner, Name target, long ttl, boolean fromCname) {
      this.owner = owner;
      this.target = target;
      this.ttl = ttl;
      this.fromCname = fromCname;
    }
  }

  /**
   * Returns the alias at a name under this policy's scope, or null. With several alias records
   * (a validator warning) the first in canonical order counts: ANAME (65305) before ALIAS
   * (65401), then the canonically first target.
   */
  private @Nullable Alias aliasAt(Zone zone, Name name) {
    RecordSet cname = null;
    for (RecordSet set : zone.recordSets(name)) {
      if (AliasRecord.isAliasType(set.type())) {
        return new Alias(set.owner(), ((AliasRecord) set.first()).getTarget(), set.ttl(), false);
      }
      if (set.type() == Type.CNAME) {
        cname = set;
      }
    }
    if (cname == null) {
      return null;
    }
    Scope scope = policy.scope();
    if (scope == Scope.ALL_CNAMES
        || (scope == Scope.ALIAS_AND_APEX_CNAME && name.equals(zone.origin()))) {
      return new Alias(
          cname.owner(), ((CNAMERecord) cname.first()).getTarget(), cname.ttl(), true);
    }
    return null;
  }

  private static RecordSet soaSet(SOARecord soa, long serial) {
    return RecordSet.of(
        new SOARecord(
            soa.getName(),
            soa.getDClass(),
            soa.getTTL(),
            soa.getHost(),
            soa.getAdmin(),
            serial,
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum()));
  }

  /**
   * Lists, for every name flattened now or in the previous run, each family whose published
   * addresses differ between the previous zone (nothing on a first run) and this one.
   */
  private static List<AliasChange> changes(
      List<Name> flattened,
      @Nullable Zone before,
      Zone after,
      @Nullable FlattenedZone previous) {
    List<AliasChange> changes = new ArrayList<>();
    for (Name name : flattened) {
      addChanges(changes, name, before, after);
    }
    if (previous != null) {
      Set<Name> now = new HashSet<>(flattened);
      boolean extra = false;
      for (Siblings s : previous.siblings()) {
        if (now.add(s.owner())) {
          addChanges(changes, s.owner(), before, after);
          extra = true;
        }
      }
      if (extra) {
        changes.sort(CHANGE_ORDER);
      }
    }
    return changes;
  }

  private static void addChanges(
      List<AliasChange> changes, Name name, @Nullable Zone before, Zone after) {
    for (Family family : Family.values()) {
      List<InetAddress> old = addresses(before, name, family);
      List<InetAddress> now = addresses(after, name, family);
      if (!old.equals(now)) {
        changes.add(new AliasChange(name, family, old, now));
      }
    }
  }

  private static List<InetAddress> addresses(@Nullable Zone zone, Name name, Family family) {
    if (zone == null) {
      return Collections.emptyList();
    }
    Optional<RecordSet> set = zone.get(name, family.type());
    return set.isPresent() ? Siblings.addressesOf(set.get()) : List.of();
  }
}
