package org.aliasdns.core.check;

import org.aliasdns.core.RecordSet;
import org.aliasdns.core.SvcbWireRules;
import org.aliasdns.core.internal.ServedZones;
import org.aliasdns.core.internal.TargetWalk;
import org.aliasdns.core.internal.ZoneIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * The rules about SVCB and HTTPS RRsets (RFC 9460): the records themselves (SvcParams in
 * AliasMode, the modes in one RRset, {@code mandatory}, {@code no-default-alpn}), and where
 * their TargetNames lead inside the zone.
 *
 * <p>Duplicate SvcParamKeys and keys out of order (RFC 9460 §2.2) never reach these rules:
 * dnsjava refuses them in presentation form, and in RFC 3597 generic form or on the wire keeps
 * one value per key, in order.
 */
final class SvcbRules {
  private final ServedZones zones;
  private final ZoneIndex index;
  private final int limit;

  SvcbRules(ZoneIndex index, int limit) {
    this.zones = ServedZones.of(index);
    this.index = index;
    this.limit = limit;
  }

  /** Whether a type is SVCB or HTTPS, which share one format (RFC 9460 §9). */
  static boolean isSvcbType(int type) {
    return type == Type.SVCB || type == Type.HTTPS;
  }

  /**
   * Checks the records of one SVCB or HTTPS RRset, adding findings to {@code out}.
   *
   * @param owner the RRset's owner
   * @param set the RRset
   */
  static void checkRecords(Name owner, RecordSet set, List<Finding> out) {
    int type = set.type();
    String kind = Type.string(type);
    int aliasMode = 0;
    int serviceMode = 0;
    for (Record r : set) {
      if (!(r instanceof SVCBBase svcb)) {
        continue; // an unknown-type record of this number: nothing to read
      }
      if (svcb.getSvcPriority() == 0) {
        aliasMode++;
        if (SvcbWireRules.aliasModeWithParams(svcb)) {
          // RFC 9460 §2.4.2: AliasMode records carry no SvcParams; clients ignore any.
          out.add(
              Finding.of(
                  Rule.SVCB_ALIAS_MODE_PARAMS,
                  owner,
                  type,
                  kind + " AliasMode record to " + svcb.getTargetName() + " has SvcParams ("
                      + keys(svcb.getSvcParamKeys()) + "), which clients ignore"));
        }
      } else {
        serviceMode++;
      }
      checkMandatory(owner, type, svcb, out);
      if (SvcbWireRules.noDefaultAlpnWithoutAlpn(svcb)) {
        // RFC 9460 §7.1.1: no-default-alpn needs alpn to be self-consistent.
        out.add(
            Finding.of(
                Rule.SVCB_NO_DEFAULT_ALPN_WITHOUT_ALPN,
                owner,
                type,
                kind + " record " + svcb.getSvcPriority() + " " + svcb.getTargetName()
                    + " has no-default-alpn without alpn"));
      }
    }
    if (aliasMode > 1) {
      // RFC 9460 §2.4.2: an RRset should hold one AliasMode record; clients pick one at random.
      out.add(
          Finding.of(
              Rule.SVCB_MULTIPLE_ALIAS_MODE,
              owner,
              type,
              aliasMode + " AliasMode " + kind + " records in one RRset; clients follow one at random"));
    }
    if (aliasMode > 0 && serviceMode > 0) {
      // RFC 9460 §2.4.1: with an AliasMode record present, ServiceMode records are ignored.
      out.add(
          Finding.of(
              Rule.SVCB_MIXED_MODES,
              owner,
              type,
              "AliasMode and ServiceMode " + kind + " records in one RRset; clients ignore the "
                  + serviceMode + " ServiceMode record" + (serviceMode == 1 ? "" : "s")));
    }
  }

  /** RFC 9460 §8: mandatory lists other keys, each once, each present in the record. */
  private static void checkMandatory(Name owner, int type, SVCBBase svcb, List<Finding> out) {
    List<String> problems = SvcbWireRules.mandatoryProblems(svcb);
    if (!problems.isEmpty()) {
      out.add(
          Finding.of(
              Rule.SVCB_BAD_MANDATORY,
              owner,
              type,
              Type.string(type) + " record " + svcb.getSvcPriority() + " " + svcb.getTargetName()
                  + ": mandatory " + String.join(", ", problems)));
    }
  }

  /** Remaining length of a chain that never ends. */
  private static final int ENDLESS = -1;

  /** Per type (SVCB, HTTPS): each walked name's remaining AliasMode chain length, in hops. */
  private final Map<Integer, Map<Name, Integer>> remaining = new HashMap<>();

  /** Per type: the names some walked hop leads to, so a chain is reported at its head. */
  private final Map<Integer, Set<Name>> reached = new HashMap<>();

  /** One followed hop: the record that made it, and where it leads. */
  private record ChainHop(Name recordOwner, int recordType, Name next) {}

  /**
   * Follows the in-zone AliasMode chain (RFC 9460 §2.4.2: the TargetName is asked for the same
   * type, through CNAMEs and DNAMEs) of every SVCB and HTTPS RRset given, and reports every
   * loop once ({@link Rule#SVCB_ALIAS_LOOP}, at the canonically first AliasMode owner on it) and
   * every chain longer than the chain limit ({@link Rule#CHAIN_TOO_LONG}, at its head). Each
   * name's remaining length is computed once and remembered, so this is linear in the number
   * of chain names however long the chains and loops.
   *
   * @param sets the SVCB and HTTPS RRsets of the zone's authoritative names, in canonical order
   */
  void checkChains(List<RecordSet> sets, List<Finding> out) {
    List<RecordSet> starts = new ArrayList<>();
    for (RecordSet set : sets) {
      if (aliasTarget(set) != null) {
        starts.add(set);
        walk(set.owner(), set.type(), out);
      }
    }
    for (RecordSet set : starts) {
      int type = set.type();
      Integer length = Objects.requireNonNull(remaining.get(type)).get(set.owner());
      if (length == null
          || length <= limit
          || Objects.requireNonNull(reached.get(type)).contains(set.owner())) {
        continue; // within the limit, endless (a loop, reported), or inside a longer chain
      }
      out.add(
          Finding.of(
              Rule.CHAIN_TOO_LONG,
              set.owner(),
              type,
              "in-zone " + Type.string(type) + " AliasMode chain of " + length
                  + " hops is longer than the limit of " + limit));
    }
  }

  /** The TargetName of an RRset's first AliasMode record, unless "." or none (§2.5.1). */
  private static @Nullable Name aliasTarget(RecordSet set) {
    for (Record r : set) {
      if (r instanceof SVCBBase svcb && svcb.getSvcPriority() == 0) {
        Name target = svcb.getTargetName();
        return target.equals(Name.root) ? null : target;
      }
    }
    return null;
  }

  private void walk(Name start, int type, List<Finding> out) {
    Map<Name, Integer> known = remaining.computeIfAbsent(type, t -> new HashMap<>());
    Set<Name> reachedHere = reached.computeIfAbsent(type, t -> new HashSet<>());
    List<Name> path = new ArrayList<>();
    List<ChainHop> hops = new ArrayList<>();
    Map<Name, Integer> onPath = new HashMap<>();
    Name current = start;
    int base;
    int cycleFrom = -1;
    while (true) {
      Integer length = known.get(current);
      if (length != null) {
        base = length;
        break;
      }
      Integer seen = onPath.get(current);
      if (seen != null) {
        cycleFrom = seen;
        base = ENDLESS;
        break;
      }
      ChainHop hop = step(current, type);
      if (hop == null) {
        known.put(current, 0);
        base = 0;
        break;
      }
      onPath.put(current, path.size());
      path.add(current);
      hops.add(hop);
      reachedHere.add(hop.next());
      current = hop.next();
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      base = base == ENDLESS ? ENDLESS : base + 1;
      known.put(path.get(i), base);
    }
    if (cycleFrom >= 0) {
      reportLoop(type, path.subList(cycleFrom, path.size()), hops.subList(cycleFrom, hops.size()),
          out);
    }
  }

  /** The hop a client's look-up of this name for the type makes, or null where it ends. */
  private @Nullable ChainHop step(Name name, int type) {
    ZoneIndex.Lookup found = index.find(name);
    switch (found.kind()) {
      case BELOW_DNAME:
        try {
          // RFC 6672 §2.2
          Name next = name.fromDNAME(Objects.requireNonNull(found.dname()));
          return new ChainHop(Objects.requireNonNull(found.at()), Type.DNAME, next);
        } catch (NameTooLongException e) {
          return null; // the DNAME rules' business
        }
      case DATA:
        ZoneIndex.Node node = found.node();
        if (node == null) {
          return null;
        }
        RecordSet here = node.get(type);
        if (here != null) {
          Name target = aliasTarget(here);
          return target == null ? null : new ChainHop(name, type, target);
        }
        Name cname = node.cnameTarget();
        return cname == null ? null : new ChainHop(name, Type.CNAME, cname);
      default:
        return null; // outside the zone's authority, or no such name
    }
  }

  private static void reportLoop(
      int type, List<Name> cycle, List<ChainHop> hops, List<Finding> out) {
    // Once, at the canonically first AliasMode owner on the loop, wherever the walk came in; a
    // loop of CNAMEs and DNAMEs alone is cname-loop's.
    int first = -1;
    for (int i = 0; i < hops.size(); i++) {
      ChainHop hop = hops.get(i);
      if (hop.recordType() == type
          && (first < 0 || hop.recordOwner().compareTo(hops.get(first).recordOwner()) < 0)) {
        first = i;
      }
    }
    if (first < 0) {
      return;
    }
    StringJoiner text = new StringJoiner(" -> ");
    for (int i = 0; i <= cycle.size(); i++) {
      text.add(cycle.get((first + i) % cycle.size()).toString());
    }
    out.add(
        Finding.of(
            Rule.SVCB_ALIAS_LOOP,
            hops.get(first).recordOwner(),
            type,
            "in-zone " + Type.string(type) + " AliasMode chain loops: " + text));
  }

  /**
   * Checks where the TargetNames of the SVCB or HTTPS RRset at one name lead, adding findings
   * to {@code out}. Only names whose data is authoritative are given.
   *
   * @param owner the RRset's owner
   * @param set the RRset
   */
  void checkTargets(Name owner, RecordSet set, List<Finding> out) {
    int type = set.type();
    @Nullable SVCBBase alias = null;
    List<SVCBBase> services = new ArrayList<>();
    for (Record r : set) {
      if (r instanceof SVCBBase svcb) {
        if (svcb.getSvcPriority() == 0) {
          alias = alias == null ? svcb : alias;
        } else {
          services.add(svcb);
        }
      }
    }
    if (alias != null) {
      // RFC 9460 §2.4.1: the ServiceMode records beside an AliasMode record are ignored.
      checkAliasChain(owner, type, alias.getTargetName(), out);
      return;
    }
    Set<Name> checked = new HashSet<>();
    for (SVCBBase service : services) {
      // RFC 9460 §2.5.2: in ServiceMode, "." stands for the owner name.
      Name target = service.getTargetName().equals(Name.root) ? owner : service.getTargetName();
      if (!checked.add(target) || !target.subdomain(index.origin())) {
        continue;
      }
      String why = withoutAddresses(target);
      if (why != null) {
        out.add(
            Finding.of(
                Rule.SVCB_TARGET_WITHOUT_ADDRESS,
                owner,
                type,
                Type.string(type) + " ServiceMode target " + target + " " + why));
      }
    }
  }

  /**
   * Follows an AliasMode chain inside the zone (RFC 9460 §2.4.2: the TargetName is asked for
   * the same type, following CNAMEs) to its end: ServiceMode records, addresses, a name outside
   * the zone's authority, or nothing.
   */
  private void checkAliasChain(Name owner, int type, Name first, List<Finding> out) {
    String kind = Type.string(type);
    if (first.equals(Name.root)) {
      return; // RFC 9460 §2.5.1: AliasMode to "." says the service is not available
    }
    Set<Name> visited = new HashSet<>();
    visited.add(owner);
    Name name = first;
    for (int hops = 0; ; hops++) {
      if (!visited.add(name)) {
        return; // a loop: reported once by checkChains
      }
      if (hops >= limit) {
        return; // past the chain limit: reported by checkChains
      }
      ZoneIndex.Lookup found = index.find(name);
      switch (found.kind()) {
        case OUTSIDE:
        case DELEGATED:
          return; // resolved elsewhere
        case BELOW_DNAME:
          try {
            // RFC 6672 §2.2
            name = name.fromDNAME(Objects.requireNonNull(found.dname()));
          } catch (NameTooLongException e) {
            return; // the DNAME rules' business
          }
          continue;
        case NO_NAME:
          out.add(aliasEnd(owner, type, first, name, "does not exist in the zone"));
          return;
        case DATA:
        default:
          break;
      }
      ZoneIndex.Node node = found.node();
      RecordSet here = node == null ? null : node.get(type);
      if (here != null) {
        @Nullable SVCBBase next = null;
        for (Record r : here) {
          if (r instanceof SVCBBase svcb && svcb.getSvcPriority() == 0) {
            next = svcb;
            break;
          }
        }
        if (next == null) {
          return; // ServiceMode records: checked at their own owner
        }
        if (next.getTargetName().equals(Name.root)) {
          return;
        }
        name = next.getTargetName();
        continue;
      }
      Name cname = node == null ? null : node.cnameTarget();
      if (cname != null) {
        name = cname;
        continue;
      }
      // RFC 9460 §2.4.2: with no SVCB records at the end of the chain, the client connects to
      // that name's addresses.
      String why = withoutAddresses(name);
      if (why != null) {
        out.add(aliasEnd(owner, type, first, name, why));
      }
      return;
    }
  }

  private static Finding aliasEnd(Name owner, int type, Name first, Name end, String why) {
    String kind = Type.string(type);
    String where = end.equals(first) ? "" : "leads to " + end + ", which ";
    return Finding.of(
        Rule.SVCB_TARGET_WITHOUT_ADDRESS,
        owner,
        type,
        kind + " AliasMode target " + first + " " + where + why);
  }

  /** Why a name inside the zone leads to no addresses, or null if it leads to some. */
  private @Nullable String withoutAddresses(Name target) {
    TargetWalk.Walk v4 = TargetWalk.walk(zones, target, Type.A, limit);
    if (!negative(v4)) {
      return null;
    }
    if (!negative(TargetWalk.walk(zones, target, Type.AAAA, limit))) {
      return null;
    }
    Name last = v4.last();
    String where = last.equals(target) ? "" : "leads to " + last + ", which ";
    switch (v4.end()) {
      case NXDOMAIN:
        return where + "does not exist in the zone";
      case YXDOMAIN:
        return where + "is rewritten by a DNAME to a name too long (YXDOMAIN)";
      case NODATA:
      default:
        return where + "has no A or AAAA records";
    }
  }

  /** Whether a walk ends inside the zone without addresses (loops and long chains excepted). */
  private static boolean negative(TargetWalk.Walk walk) {
    switch (walk.end()) {
      case NODATA:
      case NXDOMAIN:
      case YXDOMAIN:
        return true;
      default:
        return false;
    }
  }

  private static String keys(Set<Integer> keys) {
    return SvcbWireRules.keyNames(keys);
  }
}
