package org.aliasdns.core.answer;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.internal.ZoneIndex;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Answers questions with DNSSEC data (the DO bit set, RFC 3225) from a signed zone, as an
 * authoritative server does (RFC 4035 §3.1): the zone is answered as it is written, with no
 * alias synthesized, so a signed flattened zone ({@link org.aliasdns.core.dnssec.SignedZone#zone()})
 * answers exactly what a secondary holding it would.
 *
 * <ul>
 *   <li>Every authoritative RRset in the answer and authority sections comes with its RRSIG
 *       records (§3.1.1); a wildcard expansion's RRSIGs are renamed to the query name, keeping
 *       their labels field, which tells the validator a wildcard answered (RFC 4035 §5.3.4), and
 *       the NSEC/NSEC3 proving that no closer name exists goes in authority (§3.1.3.3, RFC 5155
 *       §7.2.6). A CNAME synthesized from a DNAME is unsigned, as RFC 6672 §5.3.1 has it.
 *   <li>NXDOMAIN carries the SOA and its RRSIGs with the proof that the name does not exist and
 *       that no wildcard could have answered (RFC 4035 §3.1.3.2; RFC 5155 §7.2.2: the closest
 *       encloser, the next closer name and the wildcard).
 *   <li>NODATA carries the NSEC/NSEC3 at the name, whose type bitmap lacks the type asked
 *       (§3.1.3.1, RFC 5155 §7.2.3), for an empty non-terminal too (the NSEC that covers it, or
 *       its NSEC3); for a wildcard, also the wildcard's record and the proof of no closer name
 *       (§3.1.3.4, RFC 5155 §7.2.5). A flattened alias name whose target has only A addresses
 *       so proves it has no AAAA.
 *   <li>A referral to a signed delegation carries the DS RRset and its RRSIGs; to an unsigned
 *       one, the NSEC/NSEC3 at the delegation point showing NS without DS (§3.1.4; with NSEC3
 *       opt-out, the closest provable encloser and the opt-out NSEC3 covering the next closer
 *       name, RFC 5155 §7.2.7), and the name servers' in-zone addresses in additional.
 *   <li>The additional section holds what {@link QueryAnswerer} adds for the same question,
 *       as the signed zone holds it: the in-zone addresses of NS, MX and SRV targets (RFC 1034
 *       §4.3.2 step 6), and for SVCB and HTTPS the records a client asks next (RFC 9460 §4.1),
 *       but, as NSD does, no glue for a target other than a name server's (a name at or below
 *       a delegation point is not the zone's data).
 *       Each additional RRset that is authoritative data of the zone comes with its RRSIGs (RFC
 *       4035 §3.1.1); glue below a delegation is not signed and goes without.
 *   <li>DS at a delegation point is answered from this, the parent, side (§3.1.4.1).
 * </ul>
 *
 * <p>NSEC or NSEC3 is taken from the zone: NSEC3 when an NSEC3PARAM RRset is at the apex. The
 * response is built in full; if it does not fit the client's payload size the server sends it
 * truncated with TC set (§3.1.1), never with signatures left out. Thread-safe.
 *
 * @since 0.1
 */
public final class SignedAnswerer {
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");
  private static final int CHAIN_LIMIT = 16;
  private static final int[] ADDRESS_TYPES = {Type.A, Type.AAAA};

  private final Zone zone;
  private final ZoneIndex index;
  private final Name origin;
  /** NSEC owners in canonical order; empty in NSEC3 mode. */
  private final List<Name> nsecOwners;
  /** NSEC3 records by their hash label (base32hex, lowercase); empty in NSEC mode. */
  private final TreeMap<String, NSEC3Record> nsec3;
  private final @Nullable NSEC3PARAMRecord nsec3Param;
  /** RRSIGs by owner, over the NSEC3 records (kept out of the index). */
  private final Map<Name, RecordSet> nsec3Signatures;

  private SignedAnswerer(Zone signed) {
    this.zone = signed;
    this.origin = signed.origin();
    Zone.Builder names = signed.toBuilder();
    List<Name> nsecs = new ArrayList<>();
    TreeMap<String, NSEC3Record> hashed = new TreeMap<>();
    Map<Name, RecordSet> hashedSigs = new java.util.HashMap<>();
    for (RecordSet set : signed) {
      if (set.type() == Type.NSEC) {
        nsecs.add(set.owner());
      } else if (set.type() == Type.NSEC3) {
        hashed.put(set.owner().getLabelString(0).toLowerCase(Locale.ROOT), (NSEC3Record) set.first());
        // NSEC3 owners are not names of the zone (RFC 5155 §7.2.8): out of the index.
        signed.get(set.owner(), Type.RRSIG).ifPresent(s -> hashedSigs.put(set.owner(), s));
        names.remove(set.owner());
      }
    }
    Collections.sort(nsecs);
    this.nsecOwners = List.copyOf(nsecs);
    this.nsec3 = hashed;
    this.nsec3Signatures = Map.copyOf(hashedSigs);
    this.nsec3Param =
        signed
            .get(origin, Type.NSEC3PARAM)
            .map(s -> (NSEC3PARAMRecord) s.first())
            .orElse(null);
    this.index = ZoneIndex.of(hashed.isEmpty() ? signed : names.build());
  }

  /**
   * Prepares to answer from a signed zone.
   *
   * @param signed a zone with DNSKEY, RRSIG and NSEC or NSEC3 records, as {@link
   *     org.aliasdns.core.dnssec.ZoneSigner} makes it
   * @return an answerer for it
   * @throws IllegalArgumentException if the zone has no SOA record
   */
  public static SignedAnswerer of(Zone signed) {
    if (signed.soa().isEmpty()) {
      throw new IllegalArgumentException("zone " + signed.origin() + " has no SOA record");
    }
    return new SignedAnswerer(signed);
  }

  /**
   * Returns the signed zone this answers from.
   *
   * @return the zone
   */
  public Zone zone() {
    return zone;
  }

  /**
   * Answers one question with its DNSSEC records (RFC 4035 §3.1).
   *
   * @param question the question, its name in the case asked
   * @return the response; REFUSED outside the zone or for a class other than IN, NOTIMP for
   *     AXFR, IXFR, MAILA and MAILB
   */
  public Response answer(Question question) {
    return answer(question, true);
  }

  /**
   * Answers one question, with its DNSSEC records if the client asked for them (RFC 4035
   * §3.1): without the DO bit, RRSIG, NSEC and NSEC3 records are left out unless they are the
   * type asked, so a DNSKEY or NSEC3PARAM question is answered with the zone's records alone.
   *
   * @param question the question, its name in the case asked
   * @param dnssecOk whether the query had the DO bit (RFC 3225)
   * @return the response
   */
  public Response answer(Question question, boolean dnssecOk) {
    Response full = answerWithProofs(question);
    if (dnssecOk) {
      return full;
    }
    int qtype = question.type();
    return Response.of(
        full.rcode(),
        full.authoritative(),
        withoutDnssec(full.answer(), qtype),
        withoutDnssec(full.authority(), qtype),
        withoutDnssec(full.additional(), qtype));
  }

  private static List<Record> withoutDnssec(List<Record> records, int qtype) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      int t = r.getType();
      if (t == qtype || (t != Type.RRSIG && t != Type.NSEC && t != Type.NSEC3)) {
        out.add(r);
      }
    }
    return out;
  }

  private Response answerWithProofs(Question question) {
    if (question.dclass() != DClass.IN) {
      return Response.of(Rcode.REFUSED, false, List.of(), List.of(), List.of());
    }
    int qtype = question.type();
    if (qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.MAILA || qtype == Type.MAILB) {
      return Response.of(Rcode.NOTIMP, false, List.of(), List.of(), List.of());
    }
    if (!question.name().subdomain(origin)) {
      return Response.of(Rcode.REFUSED, false, List.of(), List.of(), List.of());
    }
    return new Walk(qtype).run(question.name());
  }

  /** One answer being built: RFC 1034 §4.3.2 step 3 with RFC 4035 §3.1's additions. */
  private final class Walk {
    final int qtype;
    final List<Record> answer = new ArrayList<>(4);
    final List<Record> authority = new ArrayList<>(4);
    final Set<Name> proofs = new HashSet<>();
    final List<Record> additional = new ArrayList<>(0);
    /** Names whose addresses are in {@link #additional} already. */
    final List<Name> addressed = new ArrayList<>(2);

    Walk(int qtype) {
      this.qtype = qtype;
    }

    Response run(Name qname) {
      Name sname = qname;
      Set<Name> visited = new HashSet<>();
      visited.add(qname);
      for (int hops = 0; ; hops++) {
        Name target;
        Name cut = index.cutAbove(sname);
        DNAMERecord dname = cut == null ? null : index.dname(cut);
        if (cut != null && (dname == null || index.isDelegation(cut))) {
          return referral(cut);
        } else if (cut != null && dname != null) {
          // RFC 6672 §3.1, §5.3.1: the signed DNAME, then an unsigned synthesized CNAME.
          ZoneIndex.Node owner = index.node(cut);
          RecordSet dnameSet = owner == null ? null : owner.get(Type.DNAME);
          if (dnameSet != null) {
            addSet(answer, dnameSet, cut, null);
          }
          try {
            target = sname.fromDNAME(dname);
          } catch (NameTooLongException e) {
            return Response.of(Rcode.YXDOMAIN, true, answer, authority, List.of());
          }
          answer.add(new CNAMERecord(sname, DClass.IN, dname.getTTL(), target));
          if (qtype == Type.CNAME) {
            return positive();
          }
        } else {
          if (qtype != Type.DS && index.isDelegation(sname)) {
            return referral(sname);
          }
          ZoneIndex.Node node = index.node(sname);
          Name wildcard = null;
          if (node == null) {
            if (index.exists(sname)) {
              return noData(sname, null); // an empty non-terminal (RFC 8020)
            }
            Name encloser = closestEncloser(sname);
            wildcard = wildcardAt(encloser);
            node = wildcard == null ? null : index.node(wildcard);
            if (wildcard == null || !index.exists(wildcard)) {
              return nxDomain(sname, encloser);
            }
            if (node == null) {
              return noData(sname, wildcard); // the wildcard is an empty non-terminal
            }
          }
          RecordSet set = qtype == Type.ANY ? any(node) : node.get(qtype);
          if (set != null) {
            addSet(answer, set, sname, wildcard);
            noCloserMatch(sname, wildcard);
            additionalFor(set);
            return positive();
          }
          RecordSet cname = node.cname();
          if (cname == null) {
            return noData(sname, wildcard);
          }
          // RFC 1034 §4.3.2 step 3a with its signatures; then the CNAME's target.
          addSet(answer, cname, sname, wildcard);
          noCloserMatch(sname, wildcard);
          target = ((CNAMERecord) cname.first()).getTarget();
        }
        if (hops >= CHAIN_LIMIT || !visited.add(target)) {
          return Response.of(Rcode.SERVFAIL, false, answer, List.of(), List.of());
        }
        if (!target.subdomain(origin)) {
          return positive(); // the resolver follows the rest
        }
        sname = target;
      }
    }

    /** RFC 8482 §4.1: the RRset with the lowest type code, DNSSEC records last. */
    private @Nullable RecordSet any(ZoneIndex.Node node) {
      RecordSet fallback = null;
      for (RecordSet set : node.sets()) {
        int t = set.type();
        if (t != Type.RRSIG && t != Type.NSEC && t != Type.NSEC3) {
          return set;
        }
        if (fallback == null && t == Type.NSEC) {
          fallback = set;
        }
      }
      return fallback;
    }

    private Response positive() {
      return Response.of(Rcode.NOERROR, true, answer, authority, additional);
    }

    /**
     * RFC 1034 §4.3.2 step 6 and RFC 9460 §4.1, as {@link QueryAnswerer} applies them: the
     * in-zone addresses of an NS, MX or SRV RRset's targets; for SVCB and HTTPS, a ServiceMode
     * TargetName's addresses (the owner's for "."), an AliasMode TargetName's RRset of the type,
     * followed as far as the chain limit, or its addresses where it has none (§2.4.2).
     */
    private void additionalFor(RecordSet set) {
      int type = set.type();
      if (type == Type.NS || type == Type.MX || type == Type.SRV) {
        for (Record r : set) {
          Name target =
              r instanceof NSRecord
                  ? ((NSRecord) r).getTarget()
                  : r instanceof MXRecord ? ((MXRecord) r).getTarget() : ((SRVRecord) r).getTarget();
          // Glue only for NS: an MX or SRV target at or below a cut is not this zone's data.
          if (target.subdomain(origin) && (type == Type.NS || !isOccluded(target))) {
            addAddresses(target);
          }
        }
      } else if (type == Type.SVCB || type == Type.HTTPS) {
        Set<Name> seen = new HashSet<>();
        seen.add(set.owner());
        List<RecordSet> sets = new ArrayList<>(List.of(set));
        for (int i = 0; i < sets.size() && i <= CHAIN_LIMIT; i++) {
          RecordSet current = sets.get(i);
          for (Record r : current) {
            SVCBBase service = (SVCBBase) r;
            Name target = service.getTargetName();
            boolean aliasMode = service.getSvcPriority() == 0;
            if (target.equals(Name.root)) {
              if (aliasMode) {
                continue; // §2.5.1: the service is not available
              }
              target = current.owner(); // §2.5.2: the owner itself
            }
            if (!target.subdomain(origin) || target.isWild() || isOccluded(target)) {
              continue;
            }
            ZoneIndex.Node node = aliasMode ? index.node(target) : null;
            RecordSet next = node == null ? null : node.get(type);
            if (next == null) {
              addAddresses(target);
            } else if (seen.add(target)) {
              additional.addAll(next.records());
              addSignatures(additional, target, type, target, null);
              sets.add(next);
            }
          }
        }
      }
    }

    /** At or below a delegation point, or below a DNAME: not authoritative data here. */
    private boolean isOccluded(Name name) {
      return index.cutAbove(name) != null || (!name.equals(origin) && index.isDelegation(name));
    }

    /**
     * Adds a name's A and AAAA RRsets to the additional section, once, each with its RRSIGs
     * where it has them (RFC 4035 §3.1.1): authoritative data is signed, glue is not.
     */
    private void addAddresses(Name name) {
      if (addressed.contains(name)) {
        return;
      }
      addressed.add(name);
      ZoneIndex.Node node = index.node(name);
      if (node == null) {
        return;
      }
      for (int type : ADDRESS_TYPES) {
        RecordSet set = node.get(type);
        if (set != null) {
          additional.addAll(set.records());
          addSignatures(additional, name, type, name, null);
        }
      }
    }

    /** RFC 4035 §3.1.3.1 and §3.1.3.4; RFC 5155 §7.2.3–7.2.5. */
    private Response noData(Name sname, @Nullable Name wildcard) {
      addSoa();
      if (wildcard == null) {
        if (nsec3Param == null) {
          addNsec(coveringNsec(sname)); // its own NSEC; for an empty non-terminal the covering one
        } else if (!addNsec3Matching(sname)) {
          // RFC 5155 §7.2.4: DS at an opt-out delegation, not in the chain.
          closestEncloserProof(sname);
        }
      } else {
        if (nsec3Param == null) {
          addNsec(coveringNsec(sname));
          addNsec(coveringNsec(wildcard));
        } else {
          closestEncloserProof(sname);
          addNsec3Matching(wildcard);
        }
      }
      return Response.of(Rcode.NOERROR, true, answer, authority, List.of());
    }

    /** RFC 4035 §3.1.3.2; RFC 5155 §7.2.2. */
    private Response nxDomain(Name sname, Name encloser) {
      addSoa();
      Name wildcard = wildcardName(encloser);
      if (nsec3Param == null) {
        addNsec(coveringNsec(sname));
        if (wildcard != null) {
          addNsec(coveringNsec(wildcard));
        }
      } else {
        closestEncloserProof(sname);
        if (wildcard != null) {
          addNsec3Covering(wildcard);
        }
      }
      return Response.of(Rcode.NXDOMAIN, true, answer, authority, List.of());
    }

    /** RFC 4035 §3.1.3.3; RFC 5155 §7.2.6: a wildcard answered, so no closer name exists. */
    private void noCloserMatch(Name sname, @Nullable Name wildcard) {
      if (wildcard == null) {
        return;
      }
      if (nsec3Param == null) {
        addNsec(coveringNsec(sname));
      } else {
        Name encloser = new Name(wildcard, 1);
        addNsec3Covering(nextCloser(sname, encloser));
      }
    }

    /**
     * RFC 4035 §3.1.4: NS in authority, DS or the proof of none; glue unsigned in additional.
     */
    private Response referral(Name cut) {
      ZoneIndex.Node node = index.node(cut);
      RecordSet ns = node == null ? null : node.get(Type.NS);
      if (node == null || ns == null) {
        return Response.of(Rcode.SERVFAIL, false, List.of(), List.of(), List.of());
      }
      authority.addAll(ns.records());
      RecordSet ds = node.get(Type.DS);
      if (ds != null) {
        addSet(authority, ds, cut, null);
      } else if (nsec3Param == null) {
        addNsec(cut);
      } else if (!addNsec3Matching(cut)) {
        closestEncloserProof(cut); // RFC 5155 §7.2.7: opt-out
      }
      // Glue (unsigned) and the addresses of in-zone name servers above the cut (signed).
      additionalFor(ns);
      return Response.of(Rcode.NOERROR, !answer.isEmpty(), answer, authority, additional);
    }

    private void addSoa() {
      Record soa = index.negativeSoa();
      if (soa != null) {
        authority.add(soa);
        // RFC 4035 §3.1.3: the SOA's RRSIGs go with it, at its negative TTL (RFC 2308 §3).
        List<Record> signatures = new ArrayList<>(1);
        addSignatures(signatures, origin, Type.SOA, origin, null);
        for (Record r : signatures) {
          authority.add(
              r.getTTL() == soa.getTTL()
                  ? r
                  : Record.newRecord(
                      r.getName(), r.getType(), r.getDClass(), soa.getTTL(),
                      r.rdataToWireCanonical()));
        }
      }
    }

    /** Adds a set owned by the name asked, and its RRSIGs (the wildcard's, renamed). */
    private void addSet(List<Record> out, RecordSet set, Name owner, @Nullable Name wildcard) {
      for (Record r : set) {
        out.add(r.getName() == owner ? r : r.withName(owner));
      }
      addSignatures(out, wildcard == null ? set.owner() : wildcard, set.type(), owner, null);
    }

    private void addSignatures(
        List<Record> out, Name at, int type, Name owner, @Nullable RecordSet given) {
      RecordSet sigs = given;
      if (sigs == null) {
        ZoneIndex.Node node = index.node(at);
        sigs = node == null ? null : node.get(Type.RRSIG);
      }
      if (sigs == null) {
        return;
      }
      for (Record r : sigs) {
        if (((RRSIGRecord) r).getTypeCovered() == type) {
          out.add(r.getName() == owner ? r : r.withName(owner));
        }
      }
    }

    /** Adds the NSEC record at a name and its RRSIGs, once. */
    private void addNsec(Name owner) {
      ZoneIndex.Node node = index.node(owner);
      RecordSet nsec = node == null ? null : node.get(Type.NSEC);
      if (nsec != null && proofs.add(nsec.owner())) {
        authority.addAll(nsec.records());
        addSignatures(authority, nsec.owner(), Type.NSEC, nsec.owner(), null);
      }
    }

    private boolean addNsec3Matching(Name name) {
      String hash = hash(name);
      NSEC3Record record = nsec3.get(hash);
      if (record == null) {
        return false;
      }
      addNsec3(record);
      return true;
    }

    private void addNsec3Covering(Name name) {
      String hash = hash(name);
      Map.Entry<String, NSEC3Record> e = nsec3.lowerEntry(hash);
      if (e == null) {
        e = nsec3.lastEntry(); // the last record covers up to the first, around
      }
      if (e != null) {
        addNsec3(e.getValue());
      }
    }

    private void addNsec3(NSEC3Record record) {
      if (proofs.add(record.getName())) {
        authority.add(record);
        addSignatures(
            authority,
            record.getName(),
            Type.NSEC3,
            record.getName(),
            nsec3Signatures.get(record.getName()));
      }
    }

    /**
     * RFC 5155 §7.2.1: the NSEC3 matching the closest provable encloser and the one covering the
     * next closer name.
     */
    private void closestEncloserProof(Name name) {
      Name candidate = name;
      Name nextCloser = name;
      while (candidate.labels() > origin.labels()) {
        nextCloser = candidate;
        candidate = new Name(candidate, 1);
        if (nsec3.containsKey(hash(candidate))) {
          break;
        }
      }
      addNsec3Matching(candidate);
      addNsec3Covering(nextCloser);
    }
  }

  /** The longest existing ancestor of a name that does not exist (RFC 4592 §3.3.1). */
  private Name closestEncloser(Name name) {
    Name encloser = new Name(name, 1);
    while (!index.exists(encloser)) {
      encloser = new Name(encloser, 1);
    }
    return encloser;
  }

  /** The wildcard at an encloser if it exists (as a name with data or an empty non-terminal). */
  private @Nullable Name wildcardAt(Name encloser) {
    Name wild = wildcardName(encloser);
    return wild != null && index.exists(wild) ? wild : null;
  }

  private static @Nullable Name wildcardName(Name encloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
  }

  /** The ancestor of a name one label longer than its encloser (RFC 5155 §1.3). */
  private static Name nextCloser(Name name, Name encloser) {
    return new Name(name, name.labels() - encloser.labels() - 1);
  }

  /** The NSEC owner at or before a name in canonical order: the NSEC that covers it. */
  private Name coveringNsec(Name name) {
    if (nsecOwners.isEmpty()) {
      return origin;
    }
    int at = Collections.binarySearch(nsecOwners, name);
    if (at >= 0) {
      return nsecOwners.get(at);
    }
    int before = -at - 2;
    return before < 0 ? nsecOwners.get(nsecOwners.size() - 1) : nsecOwners.get(before);
  }

  private String hash(Name name) {
    NSEC3PARAMRecord param = nsec3Param;
    if (param == null) {
      throw new IllegalStateException("not an NSEC3 zone");
    }
    try {
      return BASE32HEX.toString(param.hashName(name));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1 for NSEC3 hashes", e);
    }
  }
}
