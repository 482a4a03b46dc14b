package org.aliasdns.core.check;

import org.aliasdns.core.RecordSet;
import org.aliasdns.core.internal.ServedZones;
import org.aliasdns.core.internal.TargetWalk;
import org.aliasdns.core.internal.ZoneIndex;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The rule about where alias records point: a target inside the zone must lead to addresses,
 * judged by the same walk that resolves in-zone targets when the zone is flattened or answered
 * ({@link TargetWalk}), so the check and the published zone cannot disagree.
 */
final class AliasTargetRules {
  private final ServedZones zone;
  private final Name origin;
  private final int limit;

  AliasTargetRules(ZoneIndex index, int limit) {
    this.zone = ServedZones.of(index);
    this.origin = index.origin();
    this.limit = limit;
  }

  /**
   * Checks the alias at one name.
   *
   * @param owner the alias record's owner
   * @param node the RRsets there
   * @param out receives a finding if the target leads to no addresses
   */
  void check(Name owner, ZoneIndex.Node node, List<Finding> out) {
    RecordSet alias = node.alias();
    Name target = node.aliasTarget();
    if (alias == null || target == null || !target.subdomain(origin)) {
      return; // out of the zone: the resolver's business
    }
    TargetWalk.Walk v4 = TargetWalk.walk(zone, target, Type.A, limit);
    if (!negative(v4)) {
      return;
    }
    TargetWalk.Walk v6 = TargetWalk.walk(zone, target, Type.AAAA, limit);
    if (!negative(v6)) {
      return;
    }
    String kind = Type.string(alias.type());
    out.add(
        Finding.of(
            Rule.ALIAS_TARGET_WITHOUT_ADDRESS,
            owner,
            alias.type(),
            kind + " target " + target + " " + why(target, v4) + hint(target)));
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

  private static String why(Name target, TargetWalk.Walk walk) {
    Name last = walk.last();
    String where = last.equals(target) ? "" : "leads to " + last + ", which ";
    switch (walk.end()) {
      case NXDOMAIN:
        return where + "does not exist in the zone";
      case YXDOMAIN:
        return where + "is rewritten by a DNAME to a name too long (YXDOMAIN)";
      case NODATA:
      default:
        return where + "has no A or AAAA records";
    }
  }

  /**
   * "; missing trailing dot?" when the target looks like a full name with the origin appended,
   * as a zone file makes of {@code api.cdn.example.net} (RFC 1035 §5.1): what precedes the
   * origin has two labels or more and ends in a label of letters, like a top-level domain.
   */
  private String hint(Name target) {
    if (target.labels() - origin.labels() < 2) {
      return "";
    }
    Name relative = target.relativize(origin);
    if (relative.labels() < 2) {
      return "";
    }
    String last = relative.getLabelString(relative.labels() - 1);
    if (last.length() < 2) {
      return "";
    }
    for (int i = 0; i < last.length(); i++) {
      char c = last.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return "";
      }
    }
    return "; missing trailing dot?";
  }
}
