package org.aliasdns.core.internal;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * Follows an alias target through the data of the zones a server is authoritative for, as
 * the server would answer an A, AAAA or HTTPS question for it (RFC 1034 §4.3.2): in-zone CNAMEs,
 * DNAMEs (RFC 6672 §3.1), wildcards (RFC 4592 §3.3.1) and other alias records, each a {@link
 * Hop}, until the chain ends in the zone data or leaves it (a name outside every zone, or at or
 * below a delegation, whose data is another server's). Explicit address records win over an
 * alias record at the same name, as they do in answers. For SVCB and HTTPS, an AliasMode record
 * is a hop too ({@link Hop#aliasMode}, RFC 9460 §2.4.2), as the resolver follows it.
 *
 * <p>The walk is the one thing that decides what an in-zone target leads to, for the
 * validator's {@code alias-target-without-address}, for the names flattening asks upstream
 * about, and for the {@link Resolution} that flattening and answering publish.
 */
public final class TargetWalk {
  private TargetWalk() {}

  /** How a walk ended. */
  public enum End {
    /** The last name holds records of the type asked. */
    ANSWER,
    /** The last name exists without records of the type (RFC 2308 §2.2). */
    NODATA,
    /** The last name does not exist (RFC 2308 §2.1). */
    NXDOMAIN,
    /** A DNAME rewrite made a name longer than 255 octets (RFC 6672 §2.2: YXDOMAIN). */
    YXDOMAIN,
    /** The chain left the zones: its last name is to be resolved upstream. */
    EXIT,
    /** The chain came back to a name it had passed (RFC 1034 §3.6.2). */
    LOOP,
    /** The chain needed more hops than the limit. */
    TOO_LONG
  }

  /**
   * Where a walk ended.
   *
   * @param end how it ended
   * @param hops the hops followed from the target, in order (for a loop, the last closes it;
   *     for a chain too long, the limit's worth)
   * @param last the last name reached: the exit for {@link End#EXIT}, the name without data
   *     for the negative ends, the owner of the records for {@link End#ANSWER}
   * @param records for {@link End#ANSWER}, the records, owned by the last name (a wildcard's
   *     renamed to it); else null
   * @param negativeTtl for {@link End#NODATA} and {@link End#NXDOMAIN}, min(SOA TTL, SOA
   *     MINIMUM) of the zone that holds the last name (RFC 2308 §5), and no more than any hop
   *     (as the resolver counts it); else 0
   */
  public record Walk(
      End end, List<Hop> hops, Name last, @Nullable RecordSet records, long negativeTtl) {}

  /**
   * Walks from a name through the zones' data.
   *
   * @param zones the zones the server is authoritative for
   * @param target the absolute name to start from
   * @param type the type asked: A, AAAA or HTTPS
   * @param limit the most hops a chain may have
   * @return where the walk ended; {@link End#EXIT} with no hops if the target itself is outside
   *     every zone's authority
   */
  public static Walk walk(ServedZones zones, Name target, int type, int limit) {
    List<Hop> hops = List.of();
    @Nullable Set<Name> visited = null;
    Name sname = target;
    while (true) {
      ZoneIndex zone = zones.zoneFor(sname);
      if (zone == null) {
        return new Walk(End.EXIT, hops, sname, null, 0);
      }
      Hop hop;
      Name cut = zone.cutAbove(sname);
      if (cut != null) {
        DNAMERecord dname = zone.dname(cut);
        if (dname == null || zone.isDelegation(cut)) {
          // RFC 1034 §4.3.2 step 3b: below a zone cut the data is the child zone's.
          return new Walk(End.EXIT, hops, sname, null, 0);
        }
        Name next;
        try {
          next = sname.fromDNAME(dname);
        } catch (NameTooLongException e) {
          return new Walk(End.YXDOMAIN, hops, sname, null, 0);
        }
        hop = Hop.dname(sname, next, dname.getTTL());
      } else {
        if (zone.isDelegation(sname)) {
          return new Walk(End.EXIT, hops, sname, null, 0); // a referral: the child answers
        }
        ZoneIndex.Node node = zone.node(sname);
        if (node == null) {
          if (zone.exists(sname)) {
            return negative(End.NODATA, zone, hops, sname); // an empty non-terminal
          }
          node = zone.wildcard(sname);
          if (node == null) {
            return negative(End.NXDOMAIN, zone, hops, sname);
          }
        }
        RecordSet set = node.get(type);
        Name serviceAlias = set == null ? null : aliasModeTarget(set);
        if (set != null && serviceAlias == null) {
          return new Walk(End.ANSWER, hops, sname, ownedBy(set, sname), 0);
        }
        RecordSet alias = node.alias();
        RecordSet cname = node.cname();
        Name aliasTarget = node.aliasTarget();
        Name cnameTarget = node.cnameTarget();
        if (set != null && serviceAlias != null) {
          hop = Hop.aliasMode(sname, serviceAlias, set.ttl()); // RFC 9460 §2.4.2
        } else if (alias != null && aliasTarget != null) {
          hop = Hop.alias(sname, aliasTarget, alias.ttl());
        } else if (cname != null && cnameTarget != null) {
          hop = Hop.cname(sname, cnameTarget, cname.ttl()); // RFC 1034 §4.3.2 step 3a
        } else {
          return negative(End.NODATA, zone, hops, sname);
        }
      }
      if (hops.size() >= limit) {
        return new Walk(End.TOO_LONG, hops, sname, null, 0);
      }
      if (visited == null) {
        hops = new ArrayList<>(4);
        visited = new HashSet<>();
        visited.add(target);
      }
      hops.add(hop);
      sname = hop.target();
      if (!visited.add(sname)) {
        // RFC 1034 §3.6.2: a loop is an error, found here without asking anyone.
        return new Walk(End.LOOP, hops, sname, null, 0);
      }
    }
  }

  /**
   * Resolves an alias target for one type: from the zones' data where they hold it, from the
   * upstream result for the name where the chain leaves them, with the in-zone hops in front.
   *
   * @param zones the zones the server is authoritative for
   * @param target the alias target
   * @param type A, AAAA or HTTPS
   * @param upstream the upstream resolutions, of names outside the zones
   * @param now the time of the look-up, the {@code obtained} of what the zones answer
   * @param limit the chain limit
   * @return the resolution, or null if the chain leaves the zones at a name that has no
   *     upstream result
   */
  public static @Nullable Resolution resolve(
      ServedZones zones, Name target, int type, AliasResults upstream, Instant now, int limit) {
    if (!zones.holds(target)) {
      return upstream.get(target, type).orElse(null);
    }
    return resolution(target, type, walk(zones, target, type, limit), upstream, now, limit);
  }

  /**
   * Turns a walk into a resolution.
   *
   * @return the resolution, or null for an exit without an upstream result
   */
  private static @Nullable Resolution resolution(
      Name target, int type, Walk walk, AliasResults upstream, Instant now, int limit) {
    List<Hop> hops = walk.hops();
    switch (walk.end()) {
      case ANSWER:
        return new Resolution.Answer(
            target, type, hops, Objects.requireNonNull(walk.records()), now);
      case NODATA:
        return new Resolution.NoData(target, type, hops, walk.negativeTtl(), now);
      case NXDOMAIN:
        return new Resolution.NxDomain(target, type, hops, walk.negativeTtl(), now);
      case LOOP:
        return new Resolution.Loop(target, type, hops, now);
      case TOO_LONG:
        return new Resolution.ChainTooLong(target, type, hops, now);
      case YXDOMAIN:
        return new Resolution.Failure(
            target,
            type,
            hops,
            Resolution.Failure.Kind.MALFORMED,
            "a DNAME rewrites " + walk.last() + " to a name too long (YXDOMAIN, RFC 6672 §2.2)",
            now,
            null);
      case EXIT:
      default:
        Resolution exit = upstream.get(walk.last(), type).orElse(null);
        if (exit == null || hops.isEmpty()) {
          return exit;
        }
        return prefixed(target, type, hops, exit, limit);
    }
  }

  /**
   * The upstream resolution of a chain's exit as a resolution of the alias target: the in-zone
   * hops in front of its chain, and the same outcome, unless the whole is too long or the
   * upstream chain comes back to a name the in-zone part passed (a loop through both).
   */
  private static Resolution prefixed(
      Name target, int type, List<Hop> hops, Resolution exit, int limit) {
    List<Hop> chain = new ArrayList<>(hops.size() + exit.chain().size());
    chain.addAll(hops);
    chain.addAll(exit.chain());
    Instant obtained = exit.obtained();
    Set<Name> passed = new HashSet<>();
    passed.add(target);
    for (Hop hop : hops) {
      passed.add(hop.owner());
    }
    for (int i = 0; i < exit.chain().size(); i++) {
      if (passed.contains(exit.chain().get(i).target())) {
        return new Resolution.Loop(target, type, chain.subList(0, hops.size() + i + 1), obtained);
      }
    }
    if (exit instanceof Resolution.Loop) {
      return new Resolution.Loop(target, type, chain, obtained);
    }
    if (chain.size() > limit || exit instanceof Resolution.ChainTooLong) {
      return new Resolution.ChainTooLong(
          target, type, chain.subList(0, Math.min(limit, chain.size())), obtained);
    }
    if (exit instanceof Resolution.Answer) {
      Resolution.Answer answer = (Resolution.Answer) exit;
      return new Resolution.Answer(target, type, chain, answer.records(), obtained);
    } else if (exit instanceof Resolution.NoData) {
      long ttl = Math.min(((Resolution.NoData) exit).negativeTtl(), minTtl(hops));
      return new Resolution.NoData(target, type, chain, ttl, obtained);
    } else if (exit instanceof Resolution.NxDomain) {
      long ttl = Math.min(((Resolution.NxDomain) exit).negativeTtl(), minTtl(hops));
      return new Resolution.NxDomain(target, type, chain, ttl, obtained);
    }
    Resolution.Failure failure = (Resolution.Failure) exit;
    Resolution.Answer stale = failure.stale();
    Resolution.Answer kept = null;
    if (stale != null && hops.size() + stale.chain().size() <= limit) {
      List<Hop> staleChain = new ArrayList<>(hops);
      staleChain.addAll(stale.chain());
      kept = new Resolution.Answer(target, type, staleChain, stale.records(), stale.obtained());
    }
    return new Resolution.Failure(
        target, type, chain, failure.kind(), failure.reason(), obtained, kept);
  }

  /**
   * RFC 9460 §2.4.2: the TargetName of an SVCB/HTTPS RRset's AliasMode record, the first in the
   * set's order as the resolver takes it (ServiceMode records beside one are ignored, §2.4.1);
   * null for any other RRset, or an AliasMode "." (§2.5.1: the chain ends there).
   */
  private static @Nullable Name aliasModeTarget(RecordSet set) {
    if (set.type() != Type.SVCB && set.type() != Type.HTTPS) {
      return null;
    }
    for (Record r : set) {
      if (r instanceof SVCBBase service && service.getSvcPriority() == 0) {
        Name target = service.getTargetName();
        return target.equals(Name.root) ? null : target;
      }
    }
    return null;
  }

  private static Walk negative(End end, ZoneIndex zone, List<Hop> hops, Name last) {
    SOARecord soa = zone.negativeSoa();
    long ttl = Math.min(soa == null ? 0 : soa.getTTL(), minTtl(hops));
    return new Walk(end, hops, last, null, ttl);
  }

  private static long minTtl(List<Hop> hops) {
    long ttl = Long.MAX_VALUE;
    for (Hop hop : hops) {
      ttl = Math.min(ttl, hop.ttl());
    }
    return ttl;
  }

  /** The set owned by the name asked: a wildcard's records take that name (RFC 4592 §3.3.1). */
  private static RecordSet ownedBy(RecordSet set, Name name) {
    if (set.owner().equals(name)) {
      return set;
    }
    List<Record> renamed = new ArrayList<>(set.size());
    for (Record r : set) {
      renamed.add(r.withName(name));
    }
    return RecordSet.of(renamed);
  }
}
