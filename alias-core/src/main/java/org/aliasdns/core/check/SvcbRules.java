package org.aliasdns.core.check;

import org.aliasdns.core.RecordSet;
import org.aliasdns.core.SvcbWireRules;
import org.aliasdns.core.internal.ServedZones;
import org.aliasdns.core.internal.TargetWalk;
import org.aliasdns.core.internal.ZoneIndex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    List<Name> path = new ArrayList<>();
    path.add(owner);
    Set<Name> visited = new HashSet<>();
    visited.add(owner);
    Name name = first;
    for (int hops = 0; ; hops++) {
      if (!visited.add(name)) {
        if (name.equals(owner) && firstOf(path, type)) {
          StringJoiner text = new StringJoiner(" -> ");
          path.forEach(n -> text.add(n.toString()));
          text.add(name.toString());
          out.add(
              Finding.of(
                  Rule.SVCB_ALIAS_LOOP,
                  owner,
                  type,
                  "in-zone " + kind + " AliasMode chain loops: " + text));
        }
        return; // a loop that does not come back here is reported where it does
      }
      if (hops >= limit) {
        return; // past the chain limit: chain-too-long's business for CNAMEs, the client's here
      }
      path.add(name);
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

  /**
   * Whether the owner is the canonically first name on a cycle that holds an AliasMode record
   * of the type, so a loop is reported once, wherever the walk came in.
   */
  private boolean firstOf(List<Name> cycle, int type) {
    Name owner = cycle.get(0);
    for (Name n : cycle) {
      ZoneIndex.Node node = index.node(n);
      if (node != null && node.get(type) != null && n.compareTo(owner) < 0) {
        return false;
      }
    }
    return true;
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
