package org.aliasdns.core.flatten;

import org.aliasdns.core.Alias;
import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Turns a zone with aliases into a zone any standard server and secondary accepts: each
 * ALIAS/ANAME record (and, by the policy's scope, an apex CNAME or every CNAME) becomes A and
 * AAAA records owned by the alias name, built from the resolutions of the alias targets. A pure
 * function: no sockets, threads or clocks; "now" is a parameter, and the same inputs always give
 * the same zone.
 *
 * <p>For each flattened name ({@link Alias#at}) and each family the policy synthesizes, the
 * name publishes what {@link AliasPublication#of} decides, the rule {@link
 * org.aliasdns.core.answer.QueryAnswerer} applies too, with the previous run's publication as
 * the memory that rides out failures (RFC 8767):
 *
 * <ul>
 *   <li>Explicit A (or AAAA) records at the name win for their type; nothing is synthesized for
 *       it.
 *   <li>{@link AliasPublication.Fresh} and {@link AliasPublication.Stale} put their records at
 *       the name. In {@link TtlMode#COUNTDOWN} a fresh TTL is what remains at "now"; since a
 *       zone's TTLs are fixed text, every run then changes the zone and its serial. {@link
 *       TtlMode#FIXED} (the default) avoids that churn.
 *   <li>{@link AliasPublication.NoAddresses} and {@link AliasPublication.Unresolved} put nothing:
 *       the name answers NODATA for the type. A zone cannot say SERVFAIL, so where a live answer
 *       for an unresolved family is SERVFAIL, a server loading this zone answers NODATA: the one
 *       difference between the two.
 *   <li>Under {@link FlatteningPolicy.HttpsMode#FLATTEN}, a name without an HTTPS RRset of its
 *       own publishes its target's HTTPS RRset ({@link Family#HTTPS}) by the same rule, a
 *       ServiceMode TargetName "." made explicit ({@link AliasPublication#records()}); a target
 *       without one is no problem. Under {@link FlatteningPolicy.HttpsMode#ALIAS_MODE} it
 *       publishes {@link #coPublishedHttps} instead.
 *   <li>Every publication that is not fresh is reported as a {@link FlatteningProblem}: stale
 *       and unresolved ones with their cause, and a target that is NXDOMAIN or NODATA as {@link
 *       FlatteningProblem.Kind#NO_ADDRESSES} when the name ends up with no addresses at all.
 * </ul>
 *
 * <p>A target inside the zone, or inside another zone given to the overloads that take {@link
 * InZoneTargets}, is resolved from that zone's data and never looked up in the results: through
 * in-zone CNAMEs, DNAMEs, wildcards and other aliases, a cycle among them being a {@link
 * org.aliasdns.core.Resolution.Loop}. Only where such a chain leaves the zones does an upstream
 * result count, with the in-zone hops in front of its chain; {@link #targets(Zone)} lists exactly
 * those names. The rule takes those resolutions as it takes upstream ones.
 *
 * <p>The name always exists, whatever its target does (RFC 8020 would deny every name below an
 * NXDOMAIN). The alias records are removed from the published zone, because standard
 * secondaries do not know them, except where nothing else would be left at the name ({@link
 * AliasPublication#keepsAliasRecord}): there the alias record stays, written in RFC 3597 generic
 * form ({@link ZoneFileWriter#withGenericAliasTypes()}) for servers that do not know it. A
 * flattened CNAME likewise goes, since a CNAME cannot stand beside other data (RFC 2181 §10.1),
 * and stays, unflattened, where nothing else would be left. {@link #keepingAliasRecords()} keeps
 * the ALIAS/ANAME records everywhere, for alias-aware secondaries.
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
  /**
   * The address families, A then AAAA, in one array rather than a fresh one per call of values();
   * {@link Family#HTTPS} is published apart ({@code flattenHttps}).
   */
  private static final Family[] FAMILIES = {Family.IPV4, Family.IPV6};

  private static final Comparator<AliasChange> CHANGE_ORDER =
      Comparator.comparing(AliasChange::owner).thenComparing(AliasChange::family);

  private final FlatteningPolicy policy;
  private final boolean keepAliasRecords;

  private Flattener(FlatteningPolicy policy, boolean keepAliasRecords) {
    this.policy = policy;
    this.keepAliasRecords = keepAliasRecords;
  }

  /**
   * Creates a flattener that removes alias records from the published zone wherever the name
   * keeps other data.
   *
   * @param policy the flattening policy
   * @return the flattener
   */
  public static Flattener of(FlatteningPolicy policy) {
    return new Flattener(Objects.requireNonNull(policy, "policy"), false);
  }

  /**
   * Returns a flattener like this one that keeps every ALIAS/ANAME record in the published zone
   * beside its synthesized siblings, for secondaries that understand them. Write such a zone
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
      Alias.at(source, name, policy).ifPresent(alias -> targets.add(alias.target()));
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
    Zone zone;
    List<AliasChange> changes;
    List<Name> firstRun = null;
    if (!changed && before != null) {
      // Every RRset equals the previous zone's, the count and the SOA too: that zone is this
      // one, so the steady state builds nothing and no address moved.
      zone = before;
      changes = List.of();
    } else {
      Zone.Builder out = run.flush();
      out.add(soaSet(soa, serial));
      zone = out.build();
      if (before == null && previous == null) {
        // A first run changes every flattened name from nothing: the list follows from the
        // names and the zone alone, so it is made when asked for rather than kept (with many
        // zones, it would hold every alias's addresses for as long as the zone is served).
        firstRun = List.copyOf(run.flattened);
        changes = null;
      } else {
        changes = changes(run.flattened, before, zone, previous);
      }
    }
    return new FlattenedZone(
        zone, policy, serial, changed, now, run.siblings, changes, firstRun,
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
    /**
     * RRsets emitted while each equals the previous zone's, not yet added to {@link #out}: an
     * unchanged run reuses the previous zone and never builds (see {@link #flush()}).
     */
    final List<RecordSet> pending = new ArrayList<>();
    final List<Siblings> siblings;
    final boolean ipv4;
    final boolean ipv6;
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
      // Sized from the previous run, which usually flattened the same names: no rehashing.
      int expected = previous == null ? 16 : previous.siblings().size();
      this.siblings = new ArrayList<>(expected);
      this.ipv4 = policy.families().contains(Family.IPV4);
      this.ipv6 = policy.families().contains(Family.IPV6);
    }

    /** Adds the RRsets held back while they matched the previous zone, and returns the builder. */
    Zone.Builder flush() {
      for (RecordSet set : pending) {
        out.add(set);
      }
      pending.clear();
      return out;
    }

    void name(Name name) {
      List<RecordSet> sets = source.recordSets(name);
      Alias alias = Alias.in(sets, name.equals(source.origin()), policy);
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
      boolean explicitA = false;
      boolean explicitAaaa = false;
      for (RecordSet set : sets) {
        int type = set.type();
        if (type == Type.SOA) {
          otherData = true;
        } else if (!isAliasRecord(alias, type)) { // alias records give way to the siblings
          otherData = true;
          explicitA |= type == Type.A;
          explicitAaaa |= type == Type.AAAA;
          emit(set);
        }
      }
      if (policy.publishesHttpsAliasMode() && source.get(name, Type.HTTPS).isEmpty()) {
        emit(coPublishedHttps(alias)); // RFC 9460 §2.4.2, for clients that ask for HTTPS
        otherData = true;
      }
      List<AliasPublication> published = new ArrayList<>(2);
      for (Family family : FAMILIES) {
        boolean explicit = family == Family.IPV4 ? explicitA : explicitAaaa;
        if (explicit || !(family == Family.IPV4 ? ipv4 : ipv6)) {
          continue; // explicit addresses win for their type
        }
        AliasPublication last =
            previous == null ? null : previous.publication(alias.owner(), family).orElse(null);
        // In-zone targets from the zones' own data, never upstream (InZoneTargets).
        Resolution r =
            served.resolve(alias.target(), family.type(), results, now, policy).orElse(null);
        AliasPublication p = AliasPublication.ofResolution(alias, family, r, policy, last, now);
        Siblings s = Siblings.of(p);
        siblings.add(s);
        published.add(p);
        RecordSet records = s.records();
        if (records != null) {
          emit(records);
        }
      }
      if (policy.flattensHttps() && source.get(name, Type.HTTPS).isEmpty()) {
        published.add(flattenHttps(alias, name)); // the target's HTTPS RRset (RFC 9460)
      }
      // The name never vanishes (an NXDOMAIN would deny all below it, RFC 8020): with nothing
      // else left at it, the alias record (or the flattened CNAME) stays.
      boolean keep = AliasPublication.keepsAliasRecord(otherData, published);
      for (RecordSet set : sets) {
        if (isAliasRecord(alias, set.type())
            && (keep || (keepAliasRecords && set.type() != Type.CNAME))) {
          emit(set);
        }
      }
      report(published, explicitA || explicitAaaa, keep && alias.isFlattenedCname());
    }

    /**
     * Publishes the target's HTTPS RRset at an alias name without one of its own ({@link
     * FlatteningPolicy.HttpsMode#FLATTEN}), by the rule addresses follow: the target followed
     * through its CNAMEs and AliasMode records (RFC 9460 §2.4.2), in-zone from the zones' data;
     * ServiceMode records with the chain's TTL; nothing for NXDOMAIN/NODATA or unresolved.
     */
    private AliasPublication flattenHttps(Alias alias, Name name) {
      Family family = Family.HTTPS;
      AliasPublication last =
          previous == null ? null : previous.publication(alias.owner(), family).orElse(null);
      Resolution r =
          served.resolve(alias.target(), family.type(), results, now, policy).orElse(null);
      AliasPublication p = AliasPublication.ofResolution(alias, family, r, policy, last, now);
      Siblings s = Siblings.of(p);
      siblings.add(s);
      RecordSet records = s.records();
      if (records != null) {
        emit(records);
      }
      return p;
    }

    /** One problem for each publication that is not fresh, in family order. */
    private void report(
        List<AliasPublication> published, boolean explicitAddresses, boolean keptCname) {
      boolean noneAtAll = !explicitAddresses;
      for (AliasPublication p : published) {
        noneAtAll &= !(p.publishesAddresses() && p.family().isAddress());
      }
      for (AliasPublication p : published) {
        FlatteningProblem problem = problem(p, noneAtAll, keptCname);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }

    private @Nullable FlatteningProblem problem(
        AliasPublication p, boolean noAddressesAtAll, boolean keptCname) {
      AliasPublication.Cause cause;
      String detail;
      if (p instanceof AliasPublication.Stale stale) {
        cause = stale.cause();
        detail =
            cause.reason()
                + (p.family().isAddress()
                    ? "; keeping the addresses confirmed at "
                    : "; keeping the HTTPS records confirmed at ")
                + stale.confirmed()
                + " as stale";
      } else if (p instanceof AliasPublication.Unresolved unresolved) {
        cause = unresolved.cause();
        detail =
            cause.reason()
                + (unresolved.lastGoodExpired()
                    ? "; last good answer dropped, past max stale " + policy.maxStale()
                    : p.family().isAddress()
                        ? "; no last good addresses, none published"
                        : "; no last good HTTPS records, none published");
      } else if (p instanceof AliasPublication.NoAddresses none && none.staleBecause() != null) {
        cause = Objects.requireNonNull(none.staleBecause());
        detail =
            cause.reason()
                + "; keeping the "
                + (none.nxDomain() ? "NXDOMAIN" : "NODATA")
                + " confirmed at "
                + none.confirmed()
                + " as stale";
      } else if (p instanceof AliasPublication.NoAddresses none
          && noAddressesAtAll
          && p.family().isAddress()) { // a target without HTTPS records is no problem
        return new FlatteningProblem(
            p.owner(), p.family(), p.target(), FlatteningProblem.Kind.NO_ADDRESSES,
            none.negative().chain(),
            "the target is "
                + (none.nxDomain() ? "NXDOMAIN" : "NODATA for " + Type.string(p.type()))
                + " and the name has no addresses; "
                // A flattened CNAME with nothing else at its name stays, and answers as a CNAME.
                + (keptCname ? "it stays a CNAME" : "it answers NODATA"));
      } else {
        return null;
      }
      return new FlatteningProblem(
          p.owner(), p.family(), p.target(), FlatteningProblem.Kind.of(cause.kind()),
          cause.chain(), detail);
    }

    /** Whether a type at an alias name is the record that made it an alias. */
    private boolean isAliasRecord(Alias alias, int type) {
      return AliasRecord.isAliasType(type) || (alias.isFlattenedCname() && type == Type.CNAME);
    }

    private void emit(RecordSet set) {
      emitted++;
      if (!differs && before != null) {
        differs = !set.equals(before.get(set.owner(), set.type()).orElse(null));
        if (!differs) {
          pending.add(set);
          return;
        }
        flush();
      }
      out.add(set);
    }
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
  static List<AliasChange> changes(
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
    for (Family family : FAMILIES) {
      RecordSet old = before == null ? null : before.get(name, family.type()).orElse(null);
      RecordSet now = after.get(name, family.type()).orElse(null);
      if (Objects.equals(old, now)) {
        continue; // equal RRsets hold equal addresses; only a difference needs the addresses
      }
      List<InetAddress> oldAddresses = old == null ? List.of() : Siblings.addressesOf(old);
      List<InetAddress> nowAddresses = now == null ? List.of() : Siblings.addressesOf(now);
      if (!oldAddresses.equals(nowAddresses)) {
        changes.add(new AliasChange(name, family, oldAddresses, nowAddresses));
      }
    }
  }

  /**
   * The HTTPS AliasMode record an alias name co-publishes under {@link
   * FlatteningPolicy#publishesHttpsAliasMode()}: {@code owner TTL IN HTTPS 0 target}, the TTL the
   * alias record's (RFC 9460 §2.4.2).
   *
   * @param alias the alias
   * @return a one-record RRset
   */
  public static RecordSet coPublishedHttps(Alias alias) {
    return RecordSet.of(
        new HTTPSRecord(alias.owner(), DClass.IN, alias.ttl(), 0, alias.target(), List.of()));
  }
}
