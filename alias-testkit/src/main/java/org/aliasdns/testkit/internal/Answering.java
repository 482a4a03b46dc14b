package org.aliasdns.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.Hop;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.answer.Response;
import org.aliasdns.server.DnsRequest;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds the normal reply to a query from a {@link World}, as a recursive resolver or as an
 * authoritative server. Per zone it asks alias-core's {@link QueryAnswerer}, which applies RFC
 * 1034 §4.3.2; the recursive mode joins the zones' answers into whole chains.
 */
public final class Answering {
  /** How deep aliases whose targets are aliases are followed. */
  private static final int ALIAS_DEPTH = 4;

  private final boolean recursive;
  private final int chainLimit;
  private final boolean ttlCountdown;

  /**
   * Creates the answering rules of a fake.
   *
   * @param recursive whether to answer as a recursive resolver
   * @param chainLimit the most CNAME records one recursive answer may hold
   * @param ttlCountdown whether recursive answers count their TTLs down on the clock
   */
  public Answering(boolean recursive, int chainLimit, boolean ttlCountdown) {
    this.recursive = recursive;
    this.chainLimit = chainLimit;
    this.ttlCountdown = ttlCountdown;
  }

  /**
   * Answers a query.
   *
   * @param world the data
   * @param query the query, with one question
   * @param now the fake's clock
   * @param epoch the instant TTL countdowns started at
   * @return the reply, without OPT (the server adds it)
   */
  public Message answer(World world, Message query, Instant now, Instant epoch) {
    Question q = Question.from(query);
    if (!recursive) {
      QueryAnswerer zone = world.zoneFor(q.name());
      if (zone == null) {
        return reply(query, Rcode.REFUSED, false, List.of(), List.of(), List.of());
      }
      return zone.answer(q, aliasResults(world, zone, q.type(), now, 0), now).toMessage(query);
    }
    if (q.dclass() != DClass.IN) {
      return reply(query, Rcode.REFUSED, true, List.of(), List.of(), List.of());
    }
    Chased c = chase(world, q.name(), q.type(), now, 0);
    Message m = reply(query, c.rcode(), true, c.answer(), c.authority(), c.additional());
    if (ttlCountdown) {
      long elapsed = Math.max(0, Duration.between(epoch, now).getSeconds());
      return countDown(m, elapsed);
    }
    return m;
  }

  /** What a recursive look-up found. */
  private record Chased(
      int rcode, List<Record> answer, List<Record> authority, List<Record> additional) {}

  /** The recursive answer: each zone's part of the chain in turn, until it ends. */
  private Chased chase(World world, Name qname, int qtype, Instant now, int depth) {
    List<Record> chain = new ArrayList<>();
    Set<Name> visited = new HashSet<>();
    visited.add(qname);
    Name sname = qname;
    int cnames = 0;
    while (true) {
      QueryAnswerer zone = world.zoneFor(sname);
      if (zone == null) {
        // No zone anywhere holds the name: the name does not exist, and no SOA says for how long.
        return new Chased(Rcode.NXDOMAIN, chain, List.of(), List.of());
      }
      Response r =
          zone.answer(
              new Question(sname, qtype, DClass.IN), aliasResults(world, zone, qtype, now, depth), now);
      chain.addAll(r.answer());
      if (r.rcode() != Rcode.NOERROR) {
        // NXDOMAIN with the SOA (RFC 2308 §2.1), the last name's code (RFC 6604 §2); SERVFAIL
        // for an in-zone loop; YXDOMAIN for a DNAME overflow.
        return new Chased(r.rcode(), chain, r.authority(), r.additional());
      }
      List<Record> authority = r.authority();
      if (!authority.isEmpty()) {
        if (authority.get(0).getType() == Type.NS) {
          // A delegation to a zone the fake does not hold: the resolver reaches no server.
          return new Chased(Rcode.SERVFAIL, chain, List.of(), List.of());
        }
        return new Chased(Rcode.NOERROR, chain, authority, r.additional()); // NODATA
      }
      Record last = r.answer().isEmpty() ? null : r.answer().get(r.answer().size() - 1);
      if (!(last instanceof CNAMERecord) || qtype == Type.CNAME || qtype == Type.ANY) {
        return new Chased(Rcode.NOERROR, chain, authority, r.additional());
      }
      for (Record rec : r.answer()) {
        if (rec.getType() == Type.CNAME) {
          cnames++;
          visited.add(rec.getName());
        }
      }
      Name target = ((CNAMERecord) last).getTarget();
      if (cnames > chainLimit || !visited.add(target)) {
        // RFC 1034 §3.6.2: a loop (or a chain past the limit) is an error; the chain so far
        // shows where it goes wrong.
        return new Chased(Rcode.SERVFAIL, chain, List.of(), List.of());
      }
      sname = target;
    }
  }

  /**
   * Resolves a zone's alias targets through the fake's own zones, so that an ALIAS or ANAME
   * record answers A/AAAA as a flattening provider's server would. Aliases whose targets lead
   * to more aliases are followed {@value #ALIAS_DEPTH} deep; deeper ones are SERVFAIL.
   */
  private AliasResults aliasResults(World world, QueryAnswerer zone, int qtype, Instant now, int depth) {
    if ((qtype != Type.A && qtype != Type.AAAA) || depth >= ALIAS_DEPTH) {
      return AliasResults.empty();
    }
    List<Name> targets = world.aliasTargets(zone.zone().origin());
    if (targets.isEmpty()) {
      return AliasResults.empty();
    }
    List<Resolution> found = new ArrayList<>(targets.size());
    for (Name target : targets) {
      Resolution r = resolution(target, qtype, chase(world, target, qtype, now, depth + 1), now);
      if (r != null) {
        found.add(r);
      }
    }
    return AliasResults.of(found);
  }

  private static @Nullable Resolution resolution(Name target, int qtype, Chased c, Instant now) {
    List<Hop> hops = new ArrayList<>();
    List<Record> addresses = new ArrayList<>();
    for (Record r : c.answer()) {
      if (r instanceof CNAMERecord cname) {
        hops.add(Hop.cname(cname.getName(), cname.getTarget(), cname.getTTL()));
      } else if (r.getType() == qtype) {
        addresses.add(r);
      }
    }
    long negativeTtl = c.authority().isEmpty() ? 0 : c.authority().get(0).getTTL();
    if (c.rcode() == Rcode.NXDOMAIN) {
      return new Resolution.NxDomain(target, qtype, hops, negativeTtl, now);
    }
    if (c.rcode() != Rcode.NOERROR) {
      return null; // answered SERVFAIL, as an alias whose target fails
    }
    if (addresses.isEmpty()) {
      return new Resolution.NoData(target, qtype, hops, negativeTtl, now);
    }
    return new Resolution.Answer(target, qtype, hops, RecordSet.of(addresses), now);
  }

  /**
   * A reply with the query's id, opcode, question, RD and CD; RA in recursive mode, AA never
   * (the authoritative path uses alias-core's {@link Response#toMessage}).
   *
   * @param query the query
   * @param rcode the response code
   * @param ra whether to set RA
   * @param answer the answer section
   * @param authority the authority section
   * @param additional the additional section
   * @return the reply
   */
  public static Message reply(
      Message query,
      int rcode,
      boolean ra,
      List<Record> answer,
      List<Record> authority,
      List<Record> additional) {
    Message out = DnsRequest.responseTo(query, rcode);
    if (ra) {
      out.getHeader().setFlag(Flags.RA);
    }
    // Plain loops: each lambda linked costs the first answer of a JVM about half a millisecond.
    for (Record r : answer) {
      out.addRecord(r, Section.ANSWER);
    }
    for (Record r : authority) {
      out.addRecord(r, Section.AUTHORITY);
    }
    for (Record r : additional) {
      out.addRecord(r, Section.ADDITIONAL);
    }
    return out;
  }

  /**
   * Returns the SOA of the zone that holds a name, for an NXDOMAIN made up by a fault.
   *
   * @param world the data
   * @param name the name
   * @return the SOA with the negative TTL (RFC 2308 §3), or null if no zone holds the name
   */
  public static @Nullable Record negativeSoa(World world, Name name) {
    Zone zone = world.zoneHolding(name);
    if (zone == null) {
      return null;
    }
    SOARecord soa = zone.soa().orElse(null);
    if (soa == null) {
      return null;
    }
    return withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum()));
  }

  /**
   * Counts every TTL down as a cache that fetched the record when the countdown started, and
   * again each time it expired, would: remaining = TTL − (elapsed mod TTL).
   */
  private static Message countDown(Message m, long elapsed) {
    Message out = m.clone();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      out.removeAllRecords(section);
      for (Record r : m.getSection(section)) {
        long ttl = r.getTTL();
        out.addRecord(ttl == 0 ? r : withTtl(r, ttl - elapsed % ttl), section);
      }
    }
    return out;
  }

  /**
   * Returns a copy of a record with another TTL, its data untouched (names in it keep their case).
   *
   * @param r the record
   * @param ttl the new TTL
   * @return the copy
   */
  public static Record withTtl(Record r, long ttl) {
    // alias-core's RecordSet copies through the record's own wire form: cheap, case-preserving.
    return r.getTTL() == ttl ? r : RecordSet.of(r).withTtl(ttl).first();
  }
}
