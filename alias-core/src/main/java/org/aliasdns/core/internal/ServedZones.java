package org.aliasdns.core.internal;

import org.aliasdns.core.Zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The zones a server is authoritative for, each with its {@link ZoneIndex}, found by the
 * longest origin at or above a name (as a server picks the zone that answers a query). An
 * index is built the first time a name of its zone is looked up, on demand ({@link
 * ZoneIndex#onDemand}), unless one was given; copies made by {@link #with} share the indexes
 * already built.
 *
 * <p>Immutable and thread-safe; two threads may both build a missing index, and one wins.
 */
public final class ServedZones {
  /** A zone and its index once built. */
  private static final class Slot {
    final Zone zone;
    volatile @Nullable ZoneIndex index;

    Slot(Zone zone) {
      this.zone = zone;
    }

    Slot(ZoneIndex index) {
      this.zone = index.zone();
      this.index = index;
    }

    ZoneIndex index() {
      ZoneIndex built = index;
      if (built == null) {
        built = ZoneIndex.onDemand(zone);
        index = built;
      }
      return built;
    }
  }

  private final Map<Name, Slot> byOrigin;
  /** The one slot when there is exactly one zone, for a look-up without hashing; else null. */
  private final @Nullable Slot only;
  private final int minLabels;

  private ServedZones(Map<Name, Slot> byOrigin) {
    this.byOrigin = byOrigin;
    this.only = byOrigin.size() == 1 ? byOrigin.values().iterator().next() : null;
    int min = Integer.MAX_VALUE;
    for (Name origin : byOrigin.keySet()) {
      min = Math.min(min, origin.labels());
    }
    this.minLabels = min;
  }

  /**
   * Collects zones.
   *
   * @param zones the zones, no two with the same origin
   * @return the set of zones
   * @throws IllegalArgumentException if two zones have the same origin
   */
  public static ServedZones of(Collection<Zone> zones) {
    Map<Name, Slot> map = new HashMap<>();
    for (Zone zone : zones) {
      if (map.put(zone.origin(), new Slot(zone)) != null) {
        throw new IllegalArgumentException("two zones with origin " + zone.origin());
      }
    }
    return new ServedZones(map);
  }

  /**
   * Serves one zone through an index built by the caller.
   *
   * @param index the zone's index
   * @return the set of one zone
   */
  public static ServedZones of(ZoneIndex index) {
    Map<Name, Slot> map = new HashMap<>();
    map.put(index.origin(), new Slot(index));
    return new ServedZones(map);
  }

  /**
   * Returns a copy in which this zone snapshot replaces any with the same origin; the other
   * zones keep their indexes.
   *
   * @param zone the zone
   * @return this, if it already holds exactly that snapshot; else the copy
   */
  public ServedZones with(Zone zone) {
    Slot slot = byOrigin.get(zone.origin());
    if (slot != null && slot.zone == zone) {
      return this;
    }
    Map<Name, Slot> map = new HashMap<>(byOrigin);
    map.put(zone.origin(), new Slot(zone));
    return new ServedZones(map);
  }

  /**
   * Returns a copy in which this index (and its zone) replaces any zone with the same origin.
   *
   * @param index the index, built by the caller
   * @return the copy
   */
  public ServedZones with(ZoneIndex index) {
    Map<Name, Slot> map = new HashMap<>(byOrigin);
    map.put(index.origin(), new Slot(index));
    return new ServedZones(map);
  }

  /**
   * Returns the zones.
   *
   * @return the snapshots, in no particular order
   */
  public List<Zone> zones() {
    List<Zone> out = new ArrayList<>(byOrigin.size());
    for (Slot slot : byOrigin.values()) {
      out.add(slot.zone);
    }
    return out;
  }

  /**
   * Returns the index of the zone that holds a name: the one with the longest origin at or
   * above it.
   *
   * @param name an absolute name
   * @return the index, or null if no zone holds the name
   */
  public @Nullable ZoneIndex zoneFor(Name name) {
    Slot one = only;
    if (one != null) {
      return name.subdomain(one.zone.origin()) ? one.index() : null;
    }
    int labels = name.labels();
    for (int strip = 0; labels - strip >= minLabels; strip++) {
      Slot slot = byOrigin.get(strip == 0 ? name : new Name(name, strip));
      if (slot != null) {
        return slot.index();
      }
    }
    return null;
  }

  /**
   * Tells whether a name is at or below the origin of one of the zones (whether or not it is
   * below a delegation there).
   *
   * @param name an absolute name
   * @return true if a zone holds it
   */
  public boolean holds(Name name) {
    Slot one = only;
    if (one != null) {
      return name.subdomain(one.zone.origin());
    }
    int labels = name.labels();
    for (int strip = 0; labels - strip >= minLabels; strip++) {
      if (byOrigin.containsKey(strip == 0 ? name : new Name(name, strip))) {
        return true;
      }
    }
    return false;
  }
}
