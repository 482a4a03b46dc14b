package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.internal.ZoneIndex;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * The rules about names that MX, NS and SRV records point to: a host with addresses, not an
 * alias, not hidden by a DNAME, with glue where a delegation needs it; and host-name syntax of
 * those targets and of the SOA MNAME.
 *
 * <p>Severities are BIND's: what {@code named-checkzone} refuses for the NS records at the apex
 * it only warns about for delegations, MX and SRV records.
 */
final class TargetRules {
  private TargetRules() {}

  /**
   * Checks the targets of the MX, NS, SRV and SOA records at one name.
   *
   * @param occluded whether the name is below a delegation or DNAME, where its data is not
   *     served as authoritative; BIND does not check such targets either
   */
  static void check(
      Name owner, List<RecordSet> sets, ZoneIndex lookup, boolean occluded, List<Finding> out) {
    for (RecordSet set : sets) {
      int type = set.type();
      if (type != Type.MX && type != Type.NS && type != Type.SRV && type != Type.SOA) {
        continue;
      }
      for (Record r : set) {
        Name target = targetOf(r);
        if (!HostNames.isHostName(target)) {
          out.add(
              Finding.of(
                  Rule.BAD_HOST_NAME,
                  owner,
                  type,
                  Type.string(type) + " target " + target + " is not a host name"));
        }
        if (!occluded && type != Type.SOA && !target.equals(Name.root)) {
          checkTarget(owner, type, target, lookup, out);
        }
      }
    }
  }

  /** Describes a target for a message; only built when there is something to report. */
  private static String what(int type, Name target) {
    return Type.string(type) + " target " + target;
  }

  private static Name targetOf(Record r) {
    if (r instanceof MXRecord) {
      return ((MXRecord) r).getTarget();
    } else if (r instanceof NSRecord) {
      return ((NSRecord) r).getTarget();
    } else if (r instanceof SRVRecord) {
      return ((SRVRecord) r).getTarget();
    }
    return ((SOARecord) r).getHost();
  }

  private static void checkTarget(
      Name owner, int type, Name target, ZoneIndex lookup, List<Finding> out) {
    boolean apexNs = type == Type.NS && owner.equals(lookup.origin());
    // BIND refuses a zone whose own name servers cannot be found; elsewhere it warns.
    Severity severity = apexNs ? Severity.ERROR : Severity.WARNING;
    ZoneIndex.Lookup found = lookup.find(target);
    switch (found.kind()) {
      case OUTSIDE:
        return;
      case DELEGATED:
        if (type == Type.NS && !apexNs) {
          checkGlue(owner, target, lookup, out);
        }
        // Anything else below a delegation is answered by a referral.
        return;
      case BELOW_DNAME:
        out.add(
            Finding.of(
                    Rule.TARGET_BELOW_DNAME,
                    owner,
                    type,
                    what(type, target) + " is below the DNAME at " + found.at() + " and is rewritten")
                .withSeverity(severity));
        return;
      case DATA:
      case NO_NAME:
      default:
        break;
    }
    boolean hasAddress = found.has(Type.A) || found.has(Type.AAAA);
    RecordSet alias = aliasSet(found);
    if (found.has(Type.CNAME)) {
      // RFC 2181 §10.3: MX, NS and SRV must name a host, not an alias.
      out.add(
          Finding.of(Rule.TARGET_IS_ALIAS, owner, type, what(type, target) + " is a CNAME")
              .withSeverity(severity));
    } else if (alias != null) {
      String kind = Type.string(alias.type());
      out.add(
          Finding.of(Rule.TARGET_IS_ALIAS, owner, type, what(type, target) + " is an " + kind)
              .withSeverity(hasAddress ? Severity.WARNING : severity));
    } else if (!hasAddress) {
      out.add(
          Finding.of(Rule.TARGET_WITHOUT_ADDRESS, owner, type, what(type, target) + " has no A or AAAA records")
              .withSeverity(severity));
    }
  }

  private static void checkGlue(
      Name owner, Name target, ZoneIndex lookup, List<Finding> out) {
    // Glue lives at the target name itself, below the cut (RFC 1034 §4.2.1).
    List<RecordSet> glue = lookup.zone().recordSets(target);
    for (RecordSet set : glue) {
      if (set.type() == Type.A || set.type() == Type.AAAA) {
        return;
      }
    }
    String kind = target.subdomain(owner) ? "required" : "sibling";
    out.add(
        Finding.of(Rule.MISSING_GLUE, owner, Type.NS, what(Type.NS, target) + " has no " + kind + " glue (A or AAAA)"));
  }

  private static @Nullable RecordSet aliasSet(ZoneIndex.Lookup found) {
    RecordSet alias = found.get(AliasRecord.ALIAS);
    return alias != null ? alias : found.get(AliasRecord.ANAME);
  }
}
