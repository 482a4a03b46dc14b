package org.aliasdns.core.answer;

import org.aliasdns.core.Alias;
import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.AliasPublications;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.internal.SynthesizedAddresses;
import org.aliasdns.core.internal.ZoneIndex;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * Answers questions from one zone snapshot the way an authoritative server does (RFC 1034
 * §4.3.2), with ALIAS/ANAME names answering A and AAAA from the resolutions of their targets.
 * A pure function: the same zone, question, results and instant always give the same response;
 * nothing here reads a clock or touches the network.
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>In-zone CNAME chains are followed, each CNAME in the answer section; a chain that
 *       leaves the zone stops there with NOERROR, for the resolver to follow.
 *   <li>DNAME (RFC 6672 §3.1): the DNAME and a CNAME synthesized with the DNAME's TTL; a
 *       rewritten name that would be too long is YXDOMAIN (RFC 6672 §2.2).
 *   <li>Wildcards (RFC 4592 §3.3.1) answer with the query name as owner, never {@code *}.
 *   <li>Delegations give a referral: NS in authority, in-zone addresses as glue, AA off. DS at
 *       a delegation point is answered from this, the parent, side (RFC 4035 §3.1.4.1).
 *   <li>NXDOMAIN and NODATA carry the SOA in authority with TTL min(SOA TTL, SOA MINIMUM) (RFC
 *       2308 §3); a name that only has descendants exists (RFC 8020). After a chain, the
 *       response code is that of the last name (RFC 6604 §2).
 *   <li>ANY gets one RRset, the one with the lowest type code at the name (RFC 8482 §4.1).
 *   <li>Additional section: in-zone addresses of NS, MX and SRV targets (RFC 1034 §4.3.2 step
 *       6), and for SVCB and HTTPS what a client asks next (RFC 9460 §4.1: ServiceMode targets'
 *       addresses, AliasMode targets' RRsets); an alias name there adds the addresses it
 *       publishes, as the flattened zone holds them.
 *   <li>With {@link FlatteningPolicy#publishesHttpsAliasMode()}, an alias name without an HTTPS
 *       RRset answers HTTPS with {@code HTTPS 0 <target>}, as the flattened zone holds it. With
 *       {@link FlatteningPolicy#flattensHttps()}, it answers HTTPS with its target's HTTPS RRset
 *       by the rule addresses follow (a ServiceMode TargetName "." made explicit), stale with
 *       EDE 3, NODATA for a target without one, SERVFAIL when unresolved.
 *   <li>Owner names of answer records take the case of the name asked (RFC 4343 §4.1).
 *   <li>An alias name ({@link Alias#at}) answers every question as the flattened zone holds
 *       the name: for each address family, what {@link AliasPublication#of} decides from the
 *       target's resolution in {@link AliasResults}, the policy, the name's previous
 *       publication ({@link AliasPublications}, none by default) and "now", the rule {@link
 *       org.aliasdns.core.flatten.Flattener} applies too. Fresh addresses are owned by the query
 *       name in its case; stale ones carry Extended DNS Error 3 (RFC 8914 §4.4); a target that is
 *       NXDOMAIN or NODATA is NODATA at the alias name with the zone's SOA, never NXDOMAIN (EDE 19
 *       when that negative answer is kept stale). The one difference from the flattened zone: an
 *       unresolved family (a failure with nothing left to serve, a loop, an over-long chain, no
 *       result) is SERVFAIL for A or AAAA, never an empty success, with EDE 22, 14 or 0 and the
 *       target in the text ({@link ExtendedError}); a zone file cannot say SERVFAIL. Explicit A
 *       or AAAA records at the alias name win for their type, and other types are answered from
 *       the zone. An ALIAS or ANAME question gets the alias record where the flattened zone
 *       keeps it, that is where the name holds nothing else ({@link
 *       AliasPublication#keepsAliasRecord}), and NODATA elsewhere; ANY gets the lowest-typed
 *       RRset the flattened zone holds there (RFC 8482 §4.1). A target in this zone (or in
 *       another zone given to {@link #of(Zone, FlatteningPolicy, InZoneTargets)}) is resolved
 *       from the zone data, never from the results ({@link InZoneTargets}): through in-zone
 *       CNAMEs, DNAMEs, wildcards and other aliases, with a loop among them a loop like any.
 *   <li>With a policy that flattens CNAMEs, such a CNAME is an alias in the same way: A/AAAA
 *       are synthesized, and a CNAME question or another type is NODATA where the flattened zone
 *       has replaced the CNAME (RFC 2181 §10.1). Where nothing else would be left at the name,
 *       the flattened zone keeps the CNAME, and so the name answers as an ordinary CNAME.
 *   <li>A question for a name outside the zone, or of a class other than IN, is REFUSED (the
 *       server holds no such zone, as BIND answers); AXFR, IXFR, MAILA and MAILB are NOTIMP
 *       here, transfers being the server's business.
 *   <li>A CNAME/DNAME loop inside the zone, or an in-zone chain longer than {@link
 *       FlatteningPolicy#chainLimit()}, is SERVFAIL with the chain so far in the answer
 *       section, for diagnosis (RFC 1034 §3.6.2: loops are signalled as an error).
 * </ul>
 *
 * <p>Make one per zone snapshot and policy with {@link #of}; it precomputes what each query
 * needs, so answering costs a few hash look-ups. Thread-safe.
 *
 * @since 0.1
 */
public final class QueryAnswerer {
  private static final Response SERVFAIL =
      Response.of(Rcode.SERVFAIL, false, List.of(), List.of(), List.of());
  private static final Response REFUSED =
      Response.of(Rcode.REFUSED, false, List.of(), List.of(), List.of());
  private static final Response NOTIMP =
      Response.of(Rcode.NOTIMP, false, List.of(), List.of(), List.of());

  private final ZoneIndex index;
  private final FlatteningPolicy policy;
  private final Name origin;
  private final InZoneTargets served;

  private QueryAnswerer(ZoneIndex index, FlatteningPolicy policy, InZoneTargets served) {
    this.index = index;
    this.policy = policy;
    this.origin = index.origin();
    this.served = served;
  }

  /**
   * Prepares to answer from a zone snapshot under a policy. Alias targets in this zone are
   * resolved from its data.
   *
   * @param zone the zone
   * @param policy which names are aliases, TTL and failure rules
   * @return an answerer for that zone
   */
  public static QueryAnswerer of(Zone zone, FlatteningPolicy policy) {
    return of(zone, policy, InZoneTargets.of(zone));
  }

  /**
   * Prepares to answer from a zone snapshot under a policy, for a server that is also
   * authoritative for other zones: alias targets in any of them are resolved from their data.
   *
   * @param zone the zone
   * @param policy which names are aliases, TTL and failure rules
   * @param served the zones the server is authoritative for; this snapshot replaces any zone
   *     with its origin there
   * @return an answerer for that zone
   */
  public static QueryAnswerer of(Zone zone, FlatteningPolicy policy, InZoneTargets served) {
    // A small zone's look-ups are quick from the zone itself (a hash look-up, a binary search
    // over a few names); a table of its names beside it would double what each of many small
    // zones keeps. Larger zones get every node made once.
    ZoneIndex index =
        zone.nameCount() <= ON_DEMAND_NAMES ? ZoneIndex.onDemand(zone) : ZoneIndex.of(zone);
    return new QueryAnswerer(index, policy, served.with(zone));
  }

  /** Zones of at most this many names are indexed on demand rather than node by node. */
  private static final int ON_DEMAND_NAMES = 64;

  /**
   * Returns the zone this answerer answers from.
   *
   * @return the zone snapshot
   */
  public Zone zone() {
    return index.zone();
  }

  /**
   * Returns the policy this answerer applies.
   *
   * @return the policy
   */
  public FlatteningPolicy policy() {
    return policy;
  }

  /**
   * Answers one question, with no memory of earlier publications: an upstream failure is
   * answered from the resolver's stale answer if the results carry one (RFC 8767), else
   * SERVFAIL. Where a flattened zone still holds a previous run's addresses that the resolver no
   * longer holds, this answer differs from it by that SERVFAIL, and an ALIAS or ANY question at
   * the name is answered as if it published no addresses; {@link #answer(Question, AliasResults,
   * AliasPublications, Instant)} with the flattened zone's publications agrees with it.
   *
   * @param question the question, its name in the case asked
   * @param results the resolutions of alias targets (A and AAAA separately)
   * @param now the current time, for countdown TTLs and the stale limit
   * @return the response; never an empty NOERROR for an alias address question whose target
   *     could not be resolved
   */
  public Response answer(Question question, AliasResults results, Instant now) {
    return answer(question, results, AliasPublications.none(), now);
  }

  /**
   * Answers one question, with what alias names published before as the memory that rides out
   * upstream failures (RFC 8767): given the flattened zone served beside this answerer ({@code
   * flat::publication}), a live answer says what that zone says, but for SERVFAIL where it has
   * nothing.
   *
   * @param question the question, its name in the case asked
   * @param results the resolutions of alias targets (A and AAAA separately)
   * @param previous what alias names published before; {@link AliasPublications#none()} for
   *     nothing
   * @param now the current time, for countdown TTLs and the stale limit
   * @return the response; never an empty NOERROR for an alias address question whose target
   *     could not be resolved
   */
  public Response answer(
      Question question, AliasResults results, AliasPublications previous, Instant now) {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(now, "now");
    if (question.dclass() != DClass.IN) {
      return REFUSED;
    }
    int qtype = question.type();
    if (qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.MAILA || qtype == Type.MAILB) {
      return NOTIMP;
    }
    Name qname = question.name();
    if (!qname.subdomain(origin)) {
      return REFUSED;
    }
    Clocked clocked = new Clocked(previous, policy);
    return resolve(qname, qtype, results, clocked, now).changingAt(clocked.changesAt);
  }

  /**
   * The memory of earlier publications, passed down the answer path in its place so that each
   * alias publication the answer is built from is seen once decided ({@link #publish}): the
   * earliest instant from which one of them may come out otherwise with the same data is the
   * response's {@link Response#changesAt()}.
   */
  private static final class Clocked implements AliasPublications {
    private final AliasPublications previous;
    private final FlatteningPolicy policy;
    private @Nullable Instant changesAt;

    Clocked(AliasPublications previous, FlatteningPolicy policy) {
      this.previous = previous;
      this.policy = policy;
    }

    @Override
    public Optional<AliasPublication> find(Name owner, Family family) {
      return previous.find(owner, family);
    }

    /**
     * Notes a publication decided at {@code now} from {@code resolution} (null: resolved in the
     * served zones, or none): fresh addresses with fixed TTLs do not depend on the time; under
     * countdown they change with the next whole second since they were obtained; a fresh
     * negative answer, once it expires; anything else (stale, unresolved, in-zone) may change at
     * any instant, so from {@code now}.
     */
    void saw(AliasPublication p, @Nullable Resolution resolution, Instant now) {
      Instant at;
      if (p instanceof AliasPublication.Fresh fresh && resolution == fresh.answer()) {
        if (policy.ttlMode() != FlatteningPolicy.TtlMode.COUNTDOWN) {
          return;
        }
        Instant obtained = fresh.answer().obtained();
        long elapsed = Math.max(0, Duration.between(obtained, now).getSeconds());
        at = obtained.plusSeconds(elapsed + 1);
      } else if (p instanceof AliasPublication.NoAddresses none
          && !none.stale()
          && resolution == none.negative()) {
        at = none.expires().plusNanos(1); // RFC 2308 §5: fresh through its expiry
      } else {
        at = now;
      }
      if (changesAt == null || at.isBefore(changesAt)) {
        changesAt = at;
      }
    }
  }

  /** RFC 1034 §4.3.2 from step 3 on. */
  private Response resolve(
      Name qname, int qtype, AliasResults results, AliasPublications previous, Instant now) {
    List<Record> answer = new ArrayList<>(4);
    Name sname = qname;
    int hops = 0;
    @Nullable Set<Name> visited = null;
    while (true) {
      Name target;
      Name cut = index.cutAbove(sname);
      DNAMERecord dname = cut == null ? null : index.dname(cut);
      if (cut != null && (dname == null || index.isDelegation(cut))) {
        // RFC 1034 §4.3.2 step 3b: the name is below a zone cut.
        return referral(answer, cut, results, previous, now);
      } else if (dname != null) {
        // RFC 6672 §3.1: the DNAME, then a CNAME synthesized with the DNAME's TTL.
        answer.add(dname);
        try {
          target = sname.fromDNAME(dname);
        } catch (NameTooLongException e) {
          return Response.of(Rcode.YXDOMAIN, true, answer, List.of(), List.of()); // §2.2
        }
        answer.add(new CNAMERecord(sname, DClass.IN, dname.getTTL(), target));
        if (qtype == Type.CNAME) {
          // The synthesized CNAME is what was asked (RFC 1034 §4.3.2 step 3a).
          return positive(answer, List.of());
        }
      } else {
        if (qtype != Type.DS && index.isDelegation(sname)) {
          return referral(answer, sname, results, previous, now);
        }
        ZoneIndex.Node node = index.node(sname);
        if (node == null) {
          if (index.exists(sname)) {
            return noData(answer, Long.MAX_VALUE); // an empty non-terminal (RFC 8020)
          }
          node = index.wildcard(sname);
          if (node == null) {
            return nxDomain(answer);
          }
        }
        Alias alias = node.aliasUnder(policy);
        if (alias != null) {
          Response atAlias = atAlias(answer, node, alias, sname, qtype, results, previous, now);
          if (atAlias != null) {
            return atAlias;
          }
          // null: a flattened CNAME the flattened zone keeps, answered as the CNAME it is
        }
        if (qtype == Type.ANY) {
          return any(answer, node, sname, results, previous, now);
        }
        RecordSet set = node.get(qtype);
        if (set != null) {
          addOwnedBy(answer, set, sname);
          return positive(answer, additional(set, results, previous, now));
        }
        RecordSet cname = node.cname();
        if (cname == null) {
          return noData(answer, Long.MAX_VALUE);
        }
        // RFC 1034 §4.3.2 step 3a: copy the CNAME and go on with its target.
        addOwnedBy(answer, cname, sname);
        target = ((CNAMERecord) cname.first()).getTarget();
      }
      hops++;
      if (hops > policy.chainLimit()) {
        return Response.of(Rcode.SERVFAIL, false, answer, List.of(), List.of());
      }
      if (visited == null) {
        visited = new HashSet<>();
        visited.add(qname);
      }
      if (!visited.add(target)) {
        // RFC 1034 §3.6.2: a loop is an error; the chain so far shows where it closes.
        return Response.of(Rcode.SERVFAIL, false, answer, List.of(), List.of());
      }
      if (!target.subdomain(origin)) {
        // Outside our authority: the resolver follows the rest (RFC 1034 §4.3.2 step 3a).
        return positive(answer, List.of());
      }
      sname = target;
    }
  }

  /** RFC 8482 §4.1: one RRset, the lowest type code at the name. */
  private Response any(
      List<Record> answer,
      ZoneIndex.Node node,
      Name sname,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    List<RecordSet> sets = node.sets();
    if (sets.isEmpty()) {
      return noData(answer, Long.MAX_VALUE);
    }
    RecordSet set = sets.get(0);
    addOwnedBy(answer, set, sname);
    return positive(answer, additional(set, results, previous, now));
  }

  /**
   * Answers a question at an alias name as the flattened zone would hold the name ({@link
   * AliasPublication}), but for SERVFAIL where an address family is unresolved. Returns null
   * for a question the zone's own data answers unchanged (MX, TXT, ... at an ALIAS name), and
   * for a flattened CNAME the flattened zone keeps, which answers as an ordinary CNAME.
   */
  private @Nullable Response atAlias(
      List<Record> answer,
      ZoneIndex.Node node,
      Alias alias,
      Name sname,
      int qtype,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    boolean synthesized = policy.synthesizes(qtype) && node.get(qtype) == null;
    if (qtype == Type.HTTPS && coPublishesHttps(node)) {
      // RFC 9460 §2.4.2: the AliasMode record the flattened zone holds here, to the target.
      RecordSet https = Flattener.coPublishedHttps(alias);
      addOwnedBy(answer, https, sname);
      return positive(answer, additional(https, results, previous, now));
    }
    if (synthesized && !alias.isFlattenedCname()) {
      if (qtype == Type.HTTPS) {
        return flattenedHttps(answer, node, alias, sname, results, previous, now);
      }
      // The hot path: one family of an ALIAS or ANAME name.
      Family family = qtype == Type.A ? Family.IPV4 : Family.IPV6;
      return published(answer, node, sname, publish(node, alias, family, results, previous, now));
    }
    if (!alias.isFlattenedCname()) {
      if (qtype == Type.ANY) {
        return anyAtAlias(answer, node, alias, sname, results, previous, now);
      }
      if (AliasRecord.isAliasType(qtype)) {
        // The alias record itself, where the flattened zone keeps it (RFC 8020: the name must
        // not vanish); NODATA where it has gone.
        RecordSet set = node.get(qtype);
        if (set == null
            || !keepsAliasRecord(
                node, alias, publishAll(node, alias, results, previous, now), results, previous,
                now)) {
          return noData(answer, Long.MAX_VALUE);
        }
        addOwnedBy(answer, set, sname);
        return positive(answer, List.of());
      }
      return null;
    }
    List<AliasPublication> all = publishAll(node, alias, results, previous, now);
    if (keepsAliasRecord(node, alias, all, results, previous, now)) {
      return null; // nothing else at the name: the CNAME stays in the flattened zone
    }
    if (synthesized && qtype == Type.HTTPS) {
      return flattenedHttps(answer, node, alias, sname, results, previous, now);
    }
    if (synthesized) {
      // A comes first in the list, AAAA last; the family asked is in it, being synthesized
      return published(answer, node, sname, all.get(qtype == Type.A ? 0 : all.size() - 1));
    }
    if (qtype == Type.ANY) {
      return anyAtAlias(answer, node, alias, sname, results, previous, now);
    }
    RecordSet set = qtype == Type.CNAME ? null : node.get(qtype);
    if (set == null) {
      return noData(answer, Long.MAX_VALUE); // the flattened CNAME has gone: RFC 2181 §10.1
    }
    addOwnedBy(answer, set, sname);
    return positive(answer, additional(set, results, previous, now));
  }

  /**
   * The publication rule for one family of an alias name. A target the server is authoritative
   * for is resolved from the zone data, never from the upstream results ({@link InZoneTargets});
   * whether it is one is noted in the node, so the hot path asks once.
   */
  private AliasPublication publish(
      ZoneIndex.Node node,
      Alias alias,
      Family family,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    AliasPublication last = previous.find(node.owner(), family).orElse(null);
    Boolean inServedZone = node.targetServed();
    if (inServedZone == null) {
      inServedZone = served.covers(alias.target());
      node.targetServed(inServedZone);
    }
    if (!inServedZone) {
      Resolution resolution = results.get(alias.target(), family.type()).orElse(null);
      AliasPublication p =
          AliasPublication.ofResolution(alias, family, resolution, policy, last, now);
      if (previous instanceof Clocked clocked) {
        clocked.saw(p, resolution, now);
      }
      return p;
    }
    Resolution resolution =
        served.resolve(alias.target(), family.type(), results, now, policy).orElse(null);
    AliasPublication p =
        AliasPublication.ofResolution(alias, family, resolution, policy, last, now);
    if (previous instanceof Clocked clocked) {
      clocked.saw(p, null, now); // resolved through the served zones: may change any time
    }
    return p;
  }

  /** The publications of every family synthesized at the name, A before AAAA. */
  private List<AliasPublication> publishAll(
      ZoneIndex.Node node,
      Alias alias,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    List<AliasPublication> out = new ArrayList<>(2);
    for (Family family : Family.values()) {
      if (policy.families().contains(family) && node.get(family.type()) == null) {
        out.add(publish(node, alias, family, results, previous, now));
      }
    }
    return out;
  }

  /**
   * The HTTPS RRset an alias name without one of its own holds in the flattened zone: the
   * co-published AliasMode record, or the target's flattened RRset while fresh or stale; null
   * if none.
   */
  private @Nullable RecordSet aliasHttps(
      ZoneIndex.Node node,
      Alias alias,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    if (policy.httpsMode() == FlatteningPolicy.HttpsMode.OFF || node.get(Type.HTTPS) != null) {
      return null;
    }
    if (policy.publishesHttpsAliasMode()) {
      return Flattener.coPublishedHttps(alias);
    }
    if (policy.flattensHttps()) {
      return publish(node, alias, Family.HTTPS, results, previous, now).records();
    }
    return null;
  }

  /** Whether {@link #aliasHttps} has an RRset, without building it. */
  private boolean holdsAliasHttps(
      ZoneIndex.Node node,
      Alias alias,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    if (policy.httpsMode() == FlatteningPolicy.HttpsMode.OFF || node.get(Type.HTTPS) != null) {
      return false;
    }
    return policy.publishesHttpsAliasMode()
        || publish(node, alias, Family.HTTPS, results, previous, now).publishesAddresses();
  }

  /**
   * An HTTPS question at an alias name under {@link FlatteningPolicy#flattensHttps()}: the
   * target's HTTPS RRset as the flattened zone holds it at the name (a ServiceMode TargetName
   * "." made explicit, {@link AliasPublication#records()}), with RFC 9460 §4.1 additional
   * records; stale with EDE 3; NODATA when the target has none (EDE 19 when stale); SERVFAIL
   * when unresolved, as for addresses.
   */
  private Response flattenedHttps(
      List<Record> answer,
      ZoneIndex.Node node,
      Alias alias,
      Name sname,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    AliasPublication publication = publish(node, alias, Family.HTTPS, results, previous, now);
    RecordSet set = publication.records();
    if (set == null) {
      return published(answer, node, sname, publication); // NODATA or SERVFAIL
    }
    addOwnedBy(answer, set, sname);
    Response response = positive(answer, additional(set, results, previous, now));
    return publication instanceof AliasPublication.Stale
        ? response.with(extendedError(publication))
        : response;
  }

  /** Whether an alias name co-publishes an HTTPS AliasMode record (the policy's option). */
  private boolean coPublishesHttps(ZoneIndex.Node node) {
    return policy.publishesHttpsAliasMode() && node.get(Type.HTTPS) == null;
  }

  /** {@link AliasPublication#keepsAliasRecord} for a node of the unflattened zone. */
  private boolean keepsAliasRecord(
      ZoneIndex.Node node,
      Alias alias,
      List<AliasPublication> all,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    boolean otherData = holdsAliasHttps(node, alias, results, previous, now);
    for (RecordSet set : node.sets()) {
      otherData |= !isAliasRecord(alias, set.type());
    }
    return AliasPublication.keepsAliasRecord(otherData, all);
  }

  /** Whether a type at an alias name is the record that made it an alias. */
  private static boolean isAliasRecord(Alias alias, int type) {
    return AliasRecord.isAliasType(type) || (alias.isFlattenedCname() && type == Type.CNAME);
  }

  /**
   * Answers an address question from a publication: its records (with EDE 3 when stale, RFC
   * 8914 §4.4); NODATA for no addresses (EDE 19 when a stale negative answer, §4.20); SERVFAIL
   * when unresolved, never an empty success (RFC 2308 §5 would cache it as "no address").
   */
  private Response published(
      List<Record> answer, ZoneIndex.Node node, Name sname, AliasPublication publication) {
    if (publication instanceof AliasPublication.Fresh fresh) {
      addAddresses(answer, node, fresh.answer(), sname, fresh.ttl());
      return positive(answer, List.of());
    }
    if (publication instanceof AliasPublication.Stale stale) {
      addAddresses(answer, node, stale.answer(), sname, stale.ttl());
      return positive(answer, List.of()).with(extendedError(stale));
    }
    if (publication instanceof AliasPublication.NoAddresses none) {
      // The zone's negative TTL (RFC 2308 §3), as a secondary's copy of the flattened zone says.
      return noData(answer, Long.MAX_VALUE).with(extendedError(none));
    }
    return SERVFAIL.with(extendedError(publication));
  }

  /**
   * RFC 8482 §4.1 at an alias name: the RRset with the lowest type code among those the
   * flattened zone holds there (synthesized A first of all, type 1).
   */
  private Response anyAtAlias(
      List<Record> answer,
      ZoneIndex.Node node,
      Alias alias,
      Name sname,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    List<AliasPublication> all = publishAll(node, alias, results, previous, now);
    boolean kept = keepsAliasRecord(node, alias, all, results, previous, now);
    AliasPublication synthesized = null;
    for (AliasPublication p : all) {
      if (p.publishesAddresses()) {
        synthesized = p;
        break; // A before AAAA
      }
    }
    RecordSet aliasHttps = aliasHttps(node, alias, results, previous, now);
    boolean https = aliasHttps != null;
    for (RecordSet set : node.sets()) {
      int type = set.type();
      if (synthesized != null && synthesized.type() < type) {
        break;
      }
      if (https && type > Type.HTTPS) {
        break; // the co-published or flattened HTTPS RRset comes first
      }
      if (!isAliasRecord(alias, type) || kept) {
        addOwnedBy(answer, set, sname);
        return positive(answer, additional(set, results, previous, now));
      }
    }
    if (aliasHttps != null && synthesized == null) {
      addOwnedBy(answer, aliasHttps, sname);
      return positive(answer, additional(aliasHttps, results, previous, now));
    }
    return synthesized == null
        ? noData(answer, Long.MAX_VALUE)
        : published(answer, node, sname, synthesized);
  }

  /**
   * RFC 8914: why an alias answer is stale or a SERVFAIL, naming the target: 3 for stale
   * addresses, 19 for a stale negative answer, 22 when the upstream could not answer, 6 when
   * its answer was DNSSEC bogus (7 or 8 when a signature was out of time), 14 when
   * no result is there yet, 0 (with the reason) for a loop, an over-long chain or an answer too
   * large to publish (RFC 1035 §4.2.2).
   */
  static @Nullable ExtendedError extendedError(AliasPublication publication) {
    Name target = publication.target();
    if (publication instanceof AliasPublication.Stale stale) {
      return new ExtendedError(
          ExtendedErrorCodeOption.STALE_ANSWER,
          "last good addresses of " + target + ": " + stale.cause().reason());
    }
    if (publication instanceof AliasPublication.NoAddresses none) {
      AliasPublication.Cause cause = none.staleBecause();
      return cause == null
          ? null
          : new ExtendedError(
              ExtendedErrorCodeOption.STALE_NXDOMAIN_ANSWER,
              "last " + (none.nxDomain() ? "NXDOMAIN" : "NODATA") + " of " + target + ": "
                  + cause.reason());
    }
    if (publication instanceof AliasPublication.Unresolved unresolved) {
      AliasPublication.Cause cause = unresolved.cause();
      int code;
      switch (cause.kind()) {
        case UPSTREAM_FAILURE:
          code = ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY;
          break;
        case DNSSEC_BOGUS: // RFC 8914 §4.7: the answer failed validation
          code = ExtendedErrorCodeOption.DNSSEC_BOGUS;
          break;
        case DNSSEC_SIGNATURE_EXPIRED: // RFC 8914 §4.8
          code = ExtendedErrorCodeOption.SIGNATURE_EXPIRED;
          break;
        case DNSSEC_SIGNATURE_NOT_YET_VALID: // RFC 8914 §4.9
          code = ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID;
          break;
        case MISSING_RESULT:
          code = ExtendedErrorCodeOption.NOT_READY;
          break;
        default:
          code = ExtendedErrorCodeOption.OTHER;
          break;
      }
      return new ExtendedError(code, target + ": " + cause.reason());
    }
    return null;
  }

  /**
   * Adds the addresses of a resolution, owned by the name as asked and with the given TTL. The
   * records are built once per node, resolution and TTL, then only renamed per query.
   */
  private static void addAddresses(
      List<Record> out, ZoneIndex.Node node, Resolution.Answer source, Name owner, long ttl) {
    SynthesizedAddresses memo = node.synthesized();
    if (memo == null || !memo.isFor(source, ttl)) {
      List<Record> addresses = source.records().records();
      Record[] built = new Record[addresses.size()];
      for (int i = 0; i < built.length; i++) {
        Record r = addresses.get(i);
        byte[] rdata = r.rdataToWireCanonical();
        built[i] =
            r.getType() == Type.A
                ? new ARecord(node.owner(), DClass.IN, ttl, rdata)
                : new AAAARecord(node.owner(), DClass.IN, ttl, rdata);
      }
      memo = new SynthesizedAddresses(source, ttl, built);
      node.synthesized(memo);
    }
    for (Record r : memo.records()) {
      out.add(r.getName() == owner ? r : r.withName(owner));
    }
  }

  /** Adds a set's records owned by the name as asked (its case; the query name for wildcards). */
  private static void addOwnedBy(List<Record> out, RecordSet set, Name owner) {
    List<Record> records = set.records();
    if (set.owner() == owner) {
      out.addAll(records);
      return;
    }
    for (int i = 0, n = records.size(); i < n; i++) {
      out.add(records.get(i).withName(owner));
    }
  }

  private static Response positive(List<Record> answer, List<Record> additional) {
    return Response.of(Rcode.NOERROR, true, answer, List.of(), additional);
  }

  /**
   * RFC 2308 §2.2 and §3: NOERROR with the SOA in authority, its TTL no longer than the
   * negative TTL given (an alias target's).
   */
  private Response noData(List<Record> answer, long negativeTtl) {
    return Response.of(Rcode.NOERROR, true, answer, soa(negativeTtl), List.of());
  }

  /** RFC 2308 §2.1 and §3; after a chain the code is that of the last name (RFC 6604 §2). */
  private Response nxDomain(List<Record> answer) {
    return Response.of(Rcode.NXDOMAIN, true, answer, soa(Long.MAX_VALUE), List.of());
  }

  private List<Record> soa(long negativeTtl) {
    SOARecord soa = index.negativeSoa();
    if (soa == null) {
      return List.of();
    }
    if (negativeTtl < soa.getTTL()) {
      soa = ZoneIndex.withTtl(soa, Math.max(0, negativeTtl));
    }
    return List.of(soa);
  }

  /** RFC 1034 §4.3.2 step 3b: the NS RRset of the cut in authority, glue in additional; AA off. */
  private Response referral(
      List<Record> answer,
      Name cut,
      AliasResults results,
      AliasPublications previous,
      Instant now) {
    ZoneIndex.Node node = index.node(cut);
    RecordSet ns = node == null ? null : node.get(Type.NS);
    if (ns == null) {
      return SERVFAIL; // cannot happen: a cut is where an NS RRset is
    }
    // AA covers the first owner in the answer (RFC 1035 §4.1.1): on if a CNAME led here.
    return Response.of(
        Rcode.NOERROR,
        !answer.isEmpty(),
        answer,
        ns.records(),
        additional(ns, results, previous, now));
  }

  /**
   * RFC 1034 §4.3.2 step 6, RFC 1035 §3.3.9/§3.3.11, RFC 2782: in-zone addresses of the name
   * servers, mail exchangers and service targets of a set; for NS this includes glue below a
   * cut. A target that is an alias name contributes the addresses it publishes (fresh or stale),
   * as the flattened zone holds them there, so a secondary of that zone adds the same records.
   */
  private List<Record> additional(
      RecordSet set, AliasResults results, AliasPublications previous, Instant now) {
    int type = set.type();
    if (type == Type.SVCB || type == Type.HTTPS) {
      return serviceAdditional(set, results, previous, now);
    }
    if (type != Type.NS && type != Type.MX && type != Type.SRV) {
      return List.of();
    }
    List<Record> out = new ArrayList<>();
    List<Name> seen = new ArrayList<>(set.size());
    for (Record r : set) {
      Name target;
      if (r instanceof NSRecord) {
        target = ((NSRecord) r).getTarget();
      } else if (r instanceof MXRecord) {
        target = ((MXRecord) r).getTarget();
      } else {
        target = ((SRVRecord) r).getTarget();
      }
      if (target.subdomain(origin) && !seen.contains(target)) {
        seen.add(target);
        targetAddresses(target, results, previous, now, out);
      }
    }
    return out;
  }

  /**
   * RFC 9460 §4.1: for SVCB and HTTPS records, what a client needs next, where this zone has it:
   * a ServiceMode record's TargetName's A and AAAA (the owner's for a TargetName of "."), and an
   * AliasMode record's TargetName's own RRset of the same type, followed as far as the chain
   * limit, with the addresses of its ServiceMode targets, or, where the TargetName has no RRset
   * of the type, its addresses (§2.4.2). An alias name as a TargetName adds the addresses it
   * publishes. Each name is added once.
   */
  private List<Record> serviceAdditional(
      RecordSet set, AliasResults results, AliasPublications previous, Instant now) {
    int type = set.type();
    List<Record> out = new ArrayList<>();
    Set<Name> seen = new HashSet<>();
    seen.add(set.owner());
    Set<Name> addressed = new HashSet<>();
    List<RecordSet> sets = new ArrayList<>(List.of(set));
    for (int i = 0; i < sets.size() && i <= policy.chainLimit(); i++) {
      RecordSet current = sets.get(i);
      for (Record r : current) {
        SVCBBase service = (SVCBBase) r;
        Name target = service.getTargetName();
        boolean aliasMode = service.getSvcPriority() == 0;
        if (target.equals(Name.root)) {
          if (aliasMode) {
            continue; // §2.5.1: "." in AliasMode means the service is not available
          }
          target = current.owner(); // §2.5.2: the owner itself
        }
        if (!target.subdomain(origin) || target.isWild()) {
          continue;
        }
        if (aliasMode) {
          ZoneIndex.Node node = index.node(target);
          RecordSet next = node == null ? null : node.get(type);
          if (next != null) {
            if (seen.add(target)) {
              out.addAll(next.records());
              sets.add(next);
            }
          } else if (addressed.add(target)) {
            // §2.4.2: an AliasMode chain that ends where no RRset of the type is, ends at that
            // name's own addresses (an alias name's: those it publishes), which the client asks
            // next.
            targetAddresses(target, results, previous, now, out);
          }
        } else if (addressed.add(target)) {
          targetAddresses(target, results, previous, now, out);
        }
      }
    }
    return out;
  }

  /**
   * Adds a target's addresses for the additional section: its A and AAAA records in the zone
   * (glue included) and, at an alias name, the addresses it publishes for the families it
   * synthesizes; none for an unresolved or empty family, or a flattened CNAME the flattened
   * zone keeps as a CNAME.
   */
  private void targetAddresses(
      Name name, AliasResults results, AliasPublications previous, Instant now, List<Record> out) {
    index.addresses(name, out);
    ZoneIndex.Node node = index.node(name);
    Alias alias = node == null ? null : node.aliasUnder(policy);
    if (node == null || alias == null) {
      return;
    }
    List<AliasPublication> all = publishAll(node, alias, results, previous, now);
    if (alias.isFlattenedCname() && keepsAliasRecord(node, alias, all, results, previous, now)) {
      return;
    }
    for (AliasPublication p : all) {
      if (p instanceof AliasPublication.Fresh fresh) {
        addAddresses(out, node, fresh.answer(), node.owner(), fresh.ttl());
      } else if (p instanceof AliasPublication.Stale stale) {
        addAddresses(out, node, stale.answer(), node.owner(), stale.ttl());
      }
    }
  }
}
