package org.aliasdns.resolver.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.SvcbWireRules;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Takes from an upstream response only what the chain needs, and checks the response first.
 *
 * <p>The poisoning defence lives here: the response must match the query (id, question name
 * ignoring case, type, class IN); from the answer section only the contiguous chain that starts
 * at the asked name is accepted (one CNAME per owner, or a DNAME at an ancestor); a SOA counts
 * for negative caching only from the authority section and only if the chain's last name is at
 * or below its owner. Everything else in the response is ignored.
 */
public final class ResponseParser {
  /** More hops than any chain limit allows; a longer chain in a failed response is cut here. */
  private static final int MAX_HOPS = 256;

  private ResponseParser() {}

  /**
   * Checks a response and extracts the chain.
   *
   * @param query the query that was sent
   * @param response what came back
   * @param obtained when it came back
   * @return the accepted chain and how it ends
   * @throws UpstreamFailure if the response does not match the query, has an error rcode, is
   *     truncated or holds contradictory chain data
   */
  public static Step parse(Message query, Message response, Instant obtained)
      throws UpstreamFailure {
    Record question = query.getQuestion();
    Name asked = question.getName();
    int type = question.getType();
    check(query, response);
    int rcode = response.getRcode();
    UpstreamFailure failure =
        rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN
            ? null
            : new UpstreamFailure(
                UpstreamFailure.ofRcode(rcode),
                "upstream answered " + Rcode.string(rcode) + " for " + asked);
    if (failure != null && response.getSection(Section.ANSWER).isEmpty()) {
      throw failure;
    }

    Map<Name, List<Record>> byOwner = new HashMap<>();
    List<DNAMERecord> dnames = new ArrayList<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r.getDClass() != DClass.IN) {
        continue; // IN only
      }
      byOwner.computeIfAbsent(r.getName(), n -> new ArrayList<>(2)).add(r);
      if (r instanceof DNAMERecord dname) {
        dnames.add(dname);
      }
    }

    List<Hop> hops = new ArrayList<>();
    Set<Name> visited = new HashSet<>(); // Name's equals and hashCode ignore case (RFC 4343)
    Name current = asked;
    visited.add(current);
    while (true) {
      List<Record> here = byOwner.getOrDefault(current, List.of());
      List<Record> data = new ArrayList<>(here.size());
      for (Record r : here) {
        if (r.getType() == type) {
          data.add(r);
        }
      }
      if (!data.isEmpty() && cnameHop(current, here) != null) {
        // RFC 2181 §10.1: a CNAME has no siblings; both at once is a lie, possibly a poisoning.
        throw new UpstreamFailure(
            Kind.MALFORMED, "CNAME and " + Type.string(type) + " at " + current);
      }
      if (!data.isEmpty() && rcode == Rcode.NXDOMAIN) {
        // RFC 6604 §2: NXDOMAIN speaks of the last name of the chain; data there contradicts it.
        throw new UpstreamFailure(
            Kind.MALFORMED, "NXDOMAIN with " + Type.string(type) + " records at " + current);
      }
      if (!data.isEmpty() && failure == null) {
        if (type == Type.SVCB || type == Type.HTTPS) {
          // RFC 9460 §2.4.2, §7.1.1, §8: a record a server must not send is a malformed
          // answer, never copied into the zone (clients would refuse the whole response).
          String broken = SvcbWireRules.violation(data);
          if (broken != null) {
            throw new UpstreamFailure(
                Kind.MALFORMED, "upstream " + Type.string(type) + " answer for " + current
                    + " breaks " + broken);
          }
        }
        return Step.of(asked, type, hops, Step.Outcome.ANSWER, RecordSet.of(data), 0, obtained);
      }
      Hop hop = dnameHop(current, dnames);
      if (hop == null) {
        hop = cnameHop(current, here);
      }
      if (hop == null) {
        break;
      }
      if (failure != null && hops.size() > MAX_HOPS) {
        break;
      }
      hops.add(hop);
      current = hop.target();
      if (!visited.add(current)) {
        // The chain comes back to itself; the walk reports the loop.
        return failure == null
            ? Step.of(asked, type, hops, Step.Outcome.CONTINUE, null, 0, obtained)
            : Step.failed(asked, type, hops, obtained, failure);
      }
    }
    if (failure != null) {
      // A resolver that gives up on a loop or a long chain says SERVFAIL with the chain so far
      // (what the walk needs to tell a configuration error from an outage).
      return Step.failed(asked, type, hops, obtained, failure);
    }

    SOARecord soa = soaAbove(current, response);
    long negativeTtl = soa == null ? 0 : Math.min(soa.getTTL(), soa.getMinimum()); // RFC 2308 §5
    if (rcode == Rcode.NXDOMAIN) {
      return Step.of(asked, type, hops, Step.Outcome.NXDOMAIN, null, negativeTtl, obtained);
    }
    if (soa != null || hops.isEmpty()) {
      // Without a SOA a negative answer is not cached (RFC 2308 §5): its TTL stays 0.
      return Step.of(asked, type, hops, Step.Outcome.NODATA, null, negativeTtl, obtained);
    }
    return Step.of(asked, type, hops, Step.Outcome.CONTINUE, null, 0, obtained);
  }

  private static void check(Message query, Message response) throws UpstreamFailure {
    Header sent = query.getHeader();
    Header got = response.getHeader();
    Record question = query.getQuestion();
    if (got.getID() != sent.getID()) {
      throw new UpstreamFailure(
          Kind.MISMATCHED,
          "response id " + got.getID() + " does not match query id " + sent.getID());
    }
    if (!got.getFlag(Flags.QR)) {
      throw new UpstreamFailure(
          Kind.MISMATCHED, "response to " + question.getName() + " is not a response");
    }
    Record echoed = response.getQuestion();
    if (echoed == null
        || !echoed.getName().equals(question.getName())
        || echoed.getType() != question.getType()
        || echoed.getDClass() != DClass.IN) {
      throw new UpstreamFailure(
          Kind.MISMATCHED,
          "response question " + echoed + " does not match " + question.getName() + " "
              + Type.string(question.getType()) + " IN");
    }
    if (got.getFlag(Flags.TC)) {
      throw new UpstreamFailure(Kind.TRUNCATED, "truncated response for " + question.getName());
    }
  }

  /** A DNAME at the closest proper ancestor of the name, as a synthesized hop (RFC 6672 §2.2). */
  private static @Nullable Hop dnameHop(Name name, List<DNAMERecord> dnames)
      throws UpstreamFailure {
    DNAMERecord best = null;
    for (DNAMERecord d : dnames) {
      Name owner = d.getName();
      if (name.subdomain(owner) && !name.equals(owner)) {
        if (best == null) {
          best = d;
        } else if (owner.labels() > best.getName().labels()) {
          best = d;
        } else if (owner.equals(best.getName()) && !d.getTarget().equals(best.getTarget())) {
          throw new UpstreamFailure(Kind.MALFORMED, "several DNAMEs at " + owner);
        }
      }
    }
    if (best == null) {
      return null;
    }
    try {
      // RFC 6672 §3.1: the synthesized CNAME takes the DNAME's TTL.
      return Hop.dname(name, name.fromDNAME(best), best.getTTL());
    } catch (NameTooLongException e) {
      throw new UpstreamFailure(
          Kind.MALFORMED, "DNAME substitution of " + name + " is too long (YXDOMAIN)");
    }
  }

  /** The one CNAME at the name; two that disagree are refused (RFC 2181 §10.1). */
  private static @Nullable Hop cnameHop(Name name, List<Record> here) throws UpstreamFailure {
    CNAMERecord cname = null;
    for (Record r : here) {
      if (r instanceof CNAMERecord c) {
        if (cname != null && !cname.getTarget().equals(c.getTarget())) {
          throw new UpstreamFailure(Kind.MALFORMED, "several CNAMEs at " + name);
        }
        if (cname == null || c.getTTL() < cname.getTTL()) {
          cname = c;
        }
      }
    }
    return cname == null ? null : Hop.cname(name, cname.getTarget(), cname.getTTL());
  }

  /** A SOA from the authority section whose owner is at or above the name, else null. */
  private static @Nullable SOARecord soaAbove(Name name, Message response) {
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa && soa.getDClass() == DClass.IN
          && name.subdomain(soa.getName())) {
        return soa;
      }
    }
    return null;
  }
}
