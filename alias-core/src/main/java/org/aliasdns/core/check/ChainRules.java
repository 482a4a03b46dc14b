package org.aliasdns.core.check;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.internal.ZoneIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Type;

/**
 * Follows in-zone chains of CNAME, DNAME and alias hops from every name that starts one, and
 * reports cycles and chains longer than the limit.
 *
 * <p>Each name's remaining chain length is computed once and remembered, so the whole check is
 * linear in the number of chain names however the chains share their tails. A chain ends where
 * a name leaves the zone, reaches a delegation, holds no CNAME or alias, or a DNAME rewrite
 * would make a name too long (RFC 6672 §2.2, YXDOMAIN).
 */
final class ChainRules {
  /** Remaining length of a chain that never ends. */
  private static final int ENDLESS = -1;

  private final ZoneIndex lookup;
  private final int limit;
  private final Map<Name, Integer> remaining = new HashMap<>();
  private final Set<Name> reached = new HashSet<>();

  /** One followed hop: the record that made it, and where it leads. */
  private record Hop(Name recordOwner, int recordType, Name next) {}

  ChainRules(ZoneIndex lookup, int limit) {
    this.lookup = lookup;
    this.limit = limit;
  }

  /**
   * Follows the chain from every start (names holding a CNAME or an alias, in canonical order)
   * and adds findings to {@code out}.
   */
  void check(List<Name> starts, List<Finding> out) {
    for (Name start : starts) {
      walk(start, out);
    }
    for (Name start : starts) {
      Integer length = remaining.get(start);
      if (length == null || length <= limit) {
        continue;
      }
      int type = chainType(start);
      // An alias's chain is counted from its target, as it is resolved (InZoneTargets).
      boolean alias = AliasRecord.isAliasType(type);
      if (reached.contains(start) && !alias) {
        continue; // a CNAME inside a longer chain: the chain's head is reported
      }
      // Every alias is flattened on its own, so each one whose chain is too long fails by
      // itself, inside another chain or not.
      int hops = alias ? length - 1 : length;
      if (hops > limit) {
        out.add(
            Finding.of(
                Rule.CHAIN_TOO_LONG,
                start,
                type,
                "chain of "
                    + hops
                    + " in-zone hops"
                    + (alias ? " from the alias target" : "")
                    + " is longer than the limit of "
                    + limit));
      }
    }
  }

  private void walk(Name start, List<Finding> out) {
    List<Name> path = new ArrayList<>();
    List<Hop> hops = new ArrayList<>();
    Map<Name, Integer> onPath = new HashMap<>();
    Name current = start;
    int base;
    int cycleFrom = -1;
    while (true) {
      Integer known = remaining.get(current);
      if (known != null) {
        base = known;
        break;
      }
      Integer seen = onPath.get(current);
      if (seen != null) {
        cycleFrom = seen;
        base = ENDLESS;
        break;
      }
      Hop hop = step(current);
      onPath.put(current, path.size());
      path.add(current);
      if (hop == null) {
        remaining.put(current, 0);
        path.remove(path.size() - 1);
        base = 0;
        break;
      }
      hops.add(hop);
      reached.add(hop.next());
      current = hop.next();
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      base = base == ENDLESS ? ENDLESS : base + 1;
      remaining.put(path.get(i), base);
    }
    if (cycleFrom >= 0) {
      reportCycle(path.subList(cycleFrom, path.size()), hops.subList(cycleFrom, hops.size()), out);
    }
  }

  /** The hop a lookup of this name makes, or null where the chain ends. */
  private @Nullable Hop step(Name name) {
    ZoneIndex.Lookup found = lookup.find(name);
    switch (found.kind()) {
      case BELOW_DNAME:
        try {
          // RFC 6672 §2.2: replace the DNAME owner suffix with its target.
          Name next = name.fromDNAME(java.util.Objects.requireNonNull(found.dname()));
          return new Hop(java.util.Objects.requireNonNull(found.at()), Type.DNAME, next);
        } catch (NameTooLongException e) {
          return null;
        }
      case DATA:
        Name at = java.util.Objects.requireNonNull(found.at());
        ZoneIndex.Node node = found.node();
        if (node == null) {
          return null; // an empty non-terminal
        }
        // As answers follow them: an alias before a CNAME beside it (alias-and-cname).
        RecordSet alias = node.alias();
        Name aliasTarget = node.aliasTarget();
        if (alias != null && aliasTarget != null) {
          return new Hop(at, alias.type(), aliasTarget);
        }
        Name cnameTarget = node.cnameTarget();
        if (cnameTarget != null) {
          return new Hop(at, Type.CNAME, cnameTarget);
        }
        return null;
      default:
        return null;
    }
  }

  private void reportCycle(List<Name> cycle, List<Hop> hops, List<Finding> out) {
    // Report once, at the canonically first record that takes part, so the finding does not
    // depend on where the walk came in.
    int first = 0;
    for (int i = 1; i < hops.size(); i++) {
      if (hops.get(i).recordOwner().compareTo(hops.get(first).recordOwner()) < 0) {
        first = i;
      }
    }
    StringJoiner text = new StringJoiner(" -> ");
    for (int i = 0; i <= cycle.size(); i++) {
      text.add(cycle.get((first + i) % cycle.size()).toString());
    }
    Hop at = hops.get(first);
    out.add(
        Finding.of(
            Rule.CNAME_LOOP,
            at.recordOwner(),
            at.recordType(),
            "in-zone chain loops: " + text));
  }

  private int chainType(Name start) {
    Hop hop = step(start);
    return hop == null ? 0 : hop.recordType();
  }
}
