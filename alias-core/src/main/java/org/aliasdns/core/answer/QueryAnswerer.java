package org.aliasdns.core.answer;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.internal.SynthesizedAddresses;
import org.aliasdns.core.internal.ZoneIndex;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
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
 *   <li>Owner names of answer records take the case of the name asked (RFC 4343 §4.1).
 *   <li>An alias name answers A/AAAA from {@link AliasResults}: the addresses, owned by the
 *       query name, with the TTL of {@link FlatteningPolicy#ttl} (counting down from when it
 *       was obtained under {@link FlatteningPolicy.TtlMode#COUNTDOWN}, never below 0); a target
 *       that is NXDOMAIN or NODATA is NODATA at the alias name, its SOA TTL no longer than the
 *       target's negative TTL; an upstream failure serves the last good answer for up to
 *       {@link FlatteningPolicy#maxStale()} with TTL {@link FlatteningPolicy#staleTtl()} (RFC
 *       8767 §4), and otherwise, like a loop or an over-long chain, is SERVFAIL, never an
 *       empty success. Explicit A or AAAA records at the alias name win for their type; every
 *       other type is answered from the zone, and an ALIAS or ANAME question gets the alias
 *       record. A target in this zone (or in another zone given to {@link #of(Zone,
 *       FlatteningPolicy, InZoneTargets)}) is resolved from the zone data, never from the
 *       results ({@link InZoneTargets}): through in-zone CNAMEs, DNAMEs, wildcards and other
 *       aliases, with a loop among them SERVFAIL like any loop.
 *   <li>With a policy that flattens CNAMEs, such a CNAME is an alias in every respect: A/AAAA
 *       are synthesized, a CNAME question returns the CNAME record itself (as an ALIAS
 *       question returns the ALIAS record), and other types are NODATA rather than the CNAME.
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
    return new QueryAnswerer(ZoneIndex.of(zone), policy, served.with(zone));
  }

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
   * Answers one question.
   *
   * @param question the question, its name in the case asked
   * @param results the resolutions of alias targets (A and AAAA separately)
   * @param now the current time, for countdown TTLs and the stale limit
   * @return the response; never an empty NOERROR for an alias address question whose target
   *     could not be resolved
   */
  public Response answer(Question question, AliasResults results, Instant now) {
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
    return resolve(qname, qtype, results, now);
  }

  /** RFC 1034 §4.3.2 from step 3 on. */
  private Response resolve(Name qname, int qtype, AliasResults results, Instant now) {
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
        return referral(answer, cut);
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
          return referral(answer, sname);
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
        if (qtype == Type.ANY) {
          return any(answer, node, sname);
        }
        RecordSet set = node.get(qtype);
        RecordSet aliasSet = aliasOf(node);
        if (aliasSet != null && set == null && policy.synthesizes(qtype)) {
          return synthesize(answer, node, aliasSet, sname, qtype, results, now);
        }
        if (set != null) {
          addOwnedBy(answer, set, sname);
          return positive(answer, additional(set));
        }
        RecordSet cname = node.cname();
        if (cname == null || aliasSet == cname) {
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

  /**
   * The RRset that makes a node an alias under this policy: its ALIAS or ANAME, or a CNAME the
   * policy's scope flattens (at the apex, or anywhere); null if the node is no alias.
   */
  private @Nullable RecordSet aliasOf(ZoneIndex.Node node) {
    RecordSet alias = node.alias();
    if (alias != null) {
      return alias;
    }
    RecordSet cname = node.cname();
    if (cname == null) {
      return null;
    }
    FlatteningPolicy.Scope scope = policy.scope();
    boolean flattens =
        scope == FlatteningPolicy.Scope.ALL_CNAMES
            || (node.apex() && scope == FlatteningPolicy.Scope.ALIAS_AND_APEX_CNAME);
    return flattens ? cname : null;
  }

  /** RFC 8482 §4.1: one RRset, the lowest type code at the name. */
  private Response any(List<Record> answer, ZoneIndex.Node node, Name sname) {
    List<RecordSet> sets = node.sets();
    if (sets.isEmpty()) {
      return noData(answer, Long.MAX_VALUE);
    }
    RecordSet set = sets.get(0);
    addOwnedBy(answer, set, sname);
    return positive(answer, additional(set));
  }

  private Response synthesize(
      List<Record> answer,
      ZoneIndex.Node node,
      RecordSet aliasSet,
      Name sname,
      int qtype,
      AliasResults results,
      Instant now) {
    Name target =
        Objects.requireNonNull(aliasSet == node.cname() ? node.cnameTarget() : node.aliasTarget());
    long aliasTtl = aliasSet.ttl();
    // A target the server is authoritative for is resolved from the zone data, never from
    // the upstream results (InZoneTargets); others are looked up in the results. Whether it is
    // one is noted in the node, so the hot path asks once.
    Boolean inServedZone = node.targetServed();
    if (inServedZone == null) {
      inServedZone = served.covers(target);
      node.targetServed(inServedZone);
    }
    Resolution resolution =
        inServedZone
            ? served.resolve(target, qtype, results, now, policy).orElse(null)
            : results.get(target, qtype).orElse(null);
    if (resolution instanceof Resolution.Answer) {
      Resolution.Answer fresh = (Resolution.Answer) resolution;
      long ttl = policy.ttl(aliasTtl, fresh);
      if (policy.ttlMode() == FlatteningPolicy.TtlMode.COUNTDOWN) {
        long elapsed = Math.max(0, Duration.between(fresh.obtained(), now).getSeconds());
        ttl = Math.max(0, ttl - elapsed);
      }
      addAddresses(answer, node, fresh, sname, ttl);
      return positive(answer, List.of());
    } else if (resolution instanceof Resolution.NoData) {
      return noData(answer, ((Resolution.NoData) resolution).negativeTtl());
    } else if (resolution instanceof Resolution.NxDomain) {
      // The target vanished; the alias name still exists: NODATA, never NXDOMAIN.
      return noData(answer, ((Resolution.NxDomain) resolution).negativeTtl());
    } else if (resolution instanceof Resolution.Failure) {
      Resolution.Answer stale = ((Resolution.Failure) resolution).stale();
      if (stale != null && usable(stale, now)) {
        // RFC 8767 §4: serve the last good answer with a short TTL.
        addAddresses(answer, node, stale, sname, policy.staleTtl());
        return positive(answer, List.of());
      }
    }
    // No result, a failure with nothing usable, a loop or an over-long chain.
    return SERVFAIL;
  }

  /** RFC 8767 §4, as {@link FlatteningPolicy#withinMaxStale} states it for both uses. */
  private boolean usable(Resolution.Answer stale, Instant now) {
    return policy.withinMaxStale(policy.expiry(stale), now);
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
  private Response referral(List<Record> answer, Name cut) {
    ZoneIndex.Node node = index.node(cut);
    RecordSet ns = node == null ? null : node.get(Type.NS);
    if (ns == null) {
      return SERVFAIL; // cannot happen: a cut is where an NS RRset is
    }
    // AA covers the first owner in the answer (RFC 1035 §4.1.1): on if a CNAME led here.
    return Response.of(Rcode.NOERROR, !answer.isEmpty(), answer, ns.records(), additional(ns));
  }

  /**
   * RFC 1034 §4.3.2 step 6, RFC 1035 §3.3.9/§3.3.11, RFC 2782: in-zone addresses of the name
   * servers, mail exchangers and service targets of a set; for NS this includes glue below a
   * cut.
   */
  private List<Record> additional(RecordSet set) {
    int type = set.type();
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
        index.addresses(target, out);
      }
    }
    return out;
  }
}
