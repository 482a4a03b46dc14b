package org.aliasdns.testkit.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The data a fake serves: an immutable set of zones, each with its answerer, keyed by origin.
 * Every change makes a new world, so a query in flight sees one consistent snapshot. A zone's
 * answerer (its index) is made by {@link #indexed()}, or when a query first needs it, and shared
 * by the worlds that keep the zone: the worlds in between, as record lines join their zones one
 * by one, index nothing.
 */
public final class World {
  /** TTL of the SOA of a zone made for loose records. */
  private static final long SYNTHETIC_SOA_TTL = 3600;

  /** MINIMUM of that SOA: negative answers there live 300 s (RFC 2308 §4). */
  private static final long SYNTHETIC_NEGATIVE_TTL = 300;

  private final Map<Name, Slot> zones;
  private final Map<Name, List<Name>> aliasTargets;
  private final FlatteningPolicy policy;

  /** A zone, and its answerer once a query has needed it. */
  private static final class Slot {
    final Zone zone;
    private volatile @Nullable QueryAnswerer answerer;

    Slot(Zone zone) {
      this.zone = zone;
    }

    QueryAnswerer answerer(FlatteningPolicy policy) {
      QueryAnswerer a = answerer;
      if (a == null) {
        // Two threads may both make one at first: equal answerers, the last one kept.
        a = QueryAnswerer.of(zone, policy);
        answerer = a;
      }
      return a;
    }
  }

  private World(
      Map<Name, Slot> zones, Map<Name, List<Name>> aliasTargets, FlatteningPolicy policy) {
    this.zones = zones;
    this.aliasTargets = aliasTargets;
    this.policy = policy;
  }

  /**
   * Returns a world without zones.
   *
   * @param chainLimit the longest in-zone chain the answerers follow
   * @return the empty world
   */
  public static World empty(int chainLimit) {
    return new World(Map.of(), Map.of(), FlatteningPolicy.builder().chainLimit(chainLimit).build());
  }

  /**
   * Returns the zones, in the order they were first loaded.
   *
   * @return the zones
   */
  public List<Zone> zones() {
    List<Zone> out = new ArrayList<>(zones.size());
    for (Slot slot : zones.values()) {
      out.add(slot.zone);
    }
    return out;
  }

  /**
   * Makes the answerer of every zone that has none yet, so that the first query to each does not
   * wait for its index: the fake's data is ready once built or changed, and a client's timeout
   * on its first query measures the answer alone.
   *
   * @return this world
   */
  public World indexed() {
    for (Slot slot : zones.values()) {
      slot.answerer(policy);
    }
    return this;
  }

  /**
   * Returns the answerer of the zone that holds a name: the one with the longest origin that the
   * name is at or below.
   *
   * @param name an absolute name
   * @return the answerer, or null if no zone holds the name
   */
  public @Nullable QueryAnswerer zoneFor(Name name) {
    Slot slot = slotFor(name);
    return slot == null ? null : slot.answerer(policy);
  }

  /**
   * Returns the zone that holds a name, as {@link #zoneFor} finds it, without indexing it.
   *
   * @param name an absolute name
   * @return the zone, or null if no zone holds the name
   */
  public @Nullable Zone zoneHolding(Name name) {
    Slot slot = slotFor(name);
    return slot == null ? null : slot.zone;
  }

  private @Nullable Slot slotFor(Name name) {
    Name n = name;
    while (true) {
      Slot slot = zones.get(n);
      if (slot != null) {
        return slot;
      }
      if (n.labels() <= 1) {
        return null;
      }
      n = new Name(n, 1);
    }
  }

  /**
   * Returns the targets of a zone's ALIAS/ANAME records.
   *
   * @param origin the zone's origin
   * @return the distinct targets; empty for a zone without aliases
   */
  public List<Name> aliasTargets(Name origin) {
    return aliasTargets.getOrDefault(origin, List.of());
  }

  /**
   * Returns the policy the answerers use: alias-core's defaults, with the fake's chain limit.
   *
   * @return the policy
   */
  public FlatteningPolicy policy() {
    return policy;
  }

  /**
   * Returns a world with a zone added, or replacing the zone with the same origin.
   *
   * @param zone the zone
   * @return the new world
   */
  public World withZone(Zone zone) {
    Map<Name, Slot> next = new LinkedHashMap<>(zones);
    next.put(zone.origin(), new Slot(zone));
    Map<Name, List<Name>> targets = new HashMap<>(aliasTargets);
    List<Name> these = hasAliasRecords(zone) ? Flattener.of(policy).targets(zone) : List.of();
    if (these.isEmpty()) {
      targets.remove(zone.origin());
    } else {
      targets.put(zone.origin(), these);
    }
    return new World(next, targets, policy);
  }

  /**
   * Tells whether a zone may have alias targets under the policy: with the default scope, only a
   * zone with ALIAS or ANAME records has any. Checked first so that a zone without them (most
   * test zones) does not load the flattener at all, which the first fake of a JVM would feel.
   */
  private boolean hasAliasRecords(Zone zone) {
    if (policy.scope() != FlatteningPolicy.Scope.ALIAS_RECORDS) {
      return true;
    }
    // By name rather than the zone's iterator, which is a stream: its pipeline classes and
    // lambdas would cost the first fake of a JVM a few milliseconds.
    for (Name owner : zone.names()) {
      for (RecordSet set : zone.recordSets(owner)) {
        if (set.type() == AliasRecord.ALIAS || set.type() == AliasRecord.ANAME) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns a world without the zone of an origin.
   *
   * @param origin the zone's origin
   * @return the new world
   * @throws IllegalArgumentException if there is no such zone
   */
  public World withoutZone(Name origin) {
    if (!zones.containsKey(origin)) {
      throw new IllegalArgumentException("no zone " + origin + "; zones are " + zones.keySet());
    }
    Map<Name, Slot> next = new LinkedHashMap<>(zones);
    next.remove(origin);
    Map<Name, List<Name>> targets = new HashMap<>(aliasTargets);
    targets.remove(origin);
    return new World(next, targets, policy);
  }

  /**
   * Returns a world with loose records added, each to the zone that holds its owner, or to a zone
   * made for it: origin the owner's last two labels (the owner itself if it has fewer), with an
   * SOA of TTL {@value #SYNTHETIC_SOA_TTL} s and negative TTL {@value #SYNTHETIC_NEGATIVE_TTL} s.
   *
   * @param records the records
   * @param replace whether a record replaces the RRset of its owner and type rather than joining it
   * @return the new world
   */
  public World withRecords(Collection<Record> records, boolean replace) {
    Map<Name, Zone.Builder> edits = new LinkedHashMap<>();
    World w = this;
    for (Record r : records) {
      Zone holder = w.zoneHolding(r.getName());
      Name origin;
      if (holder == null) {
        origin = syntheticOrigin(r.getName());
        w = w.withZone(Zone.builder(origin).add(syntheticSoa(origin)).build());
      } else {
        origin = holder.origin();
      }
      Zone.Builder b = edits.get(origin);
      if (b == null) {
        Slot current = w.zones.get(origin);
        b = current == null ? Zone.builder(origin) : current.zone.toBuilder();
        edits.put(origin, b);
        if (replace) {
          for (Record other : records) {
            b.remove(other.getName(), other.getRRsetType());
          }
        }
      }
      b.add(r);
    }
    for (Zone.Builder b : edits.values()) {
      w = w.withZone(b.build());
    }
    return w;
  }

  /**
   * Returns a world without one RRset.
   *
   * @param owner the owner name
   * @param type the type
   * @return the new world; this one if nothing matched
   */
  public World without(Name owner, int type) {
    Zone holder = zoneHolding(owner);
    if (holder == null || holder.get(owner, type).isEmpty()) {
      return this;
    }
    return withZone(holder.toBuilder().remove(owner, type).build());
  }

  private static Name syntheticOrigin(Name owner) {
    return owner.labels() <= 3 ? owner : new Name(owner, owner.labels() - 3);
  }

  private static SOARecord syntheticSoa(Name origin) {
    return new SOARecord(
        origin, DClass.IN, SYNTHETIC_SOA_TTL, prefixed("ns", origin), prefixed("hostmaster", origin),
        1, 3600, 600, 604800, SYNTHETIC_NEGATIVE_TTL);
  }

  private static Name prefixed(String label, Name origin) {
    try {
      return Name.concatenate(Name.fromConstantString(label), origin);
    } catch (NameTooLongException e) {
      return origin; // a name near the 255-octet limit: the origin itself will do
    }
  }
}
