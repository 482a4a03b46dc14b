package org.aliasdns.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A zone read from master-file text, with where each RRset came from and what the reader
 * noticed on the way (TTLs reduced, out-of-zone records ignored).
 *
 * @since 0.1
 */
public final class ZoneFile {
  private final Zone zone;
  private final List<String> sources;
  private final Map<Name, int[]> positions;
  private final List<Finding> findings;

  ZoneFile(Zone zone, List<String> sources, Map<Name, int[]> positions, List<Finding> findings) {
    this.zone = zone;
    this.sources = List.copyOf(sources);
    this.positions = positions;
    this.findings = List.copyOf(findings);
  }

  /**
   * Returns the zone that was read.
   *
   * @return the zone snapshot
   */
  public Zone zone() {
    return zone;
  }

  /**
   * Returns what the reader reported while reading, in source order: {@link
   * Rule#RRSET_TTL_MISMATCH} and {@link Rule#OUT_OF_ZONE} findings.
   *
   * @return an unmodifiable list, empty if the text was clean
   */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * Returns where the first record of an RRset was read.
   *
   * @param owner the owner name, in any case
   * @param type the type code
   * @return the position, or empty if no such RRset was read
   */
  public Optional<SourcePosition> position(Name owner, int type) {
    int[] p = positions.get(owner);
    if (p != null) {
      for (int i = 0; i < p.length; i += 3) {
        if (p[i] == type) {
          return Optional.of(new SourcePosition(sources.get(p[i + 1]), p[i + 2]));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns where the first record at a name was read.
   *
   * @param owner the owner name, in any case
   * @return the position, or empty if nothing was read at that name
   */
  public Optional<SourcePosition> position(Name owner) {
    int[] p = positions.get(owner);
    return p == null
        ? Optional.empty()
        : Optional.of(new SourcePosition(sources.get(p[1]), p[2]));
  }

  /** Records positions while reading; kept compact because zones can be large. */
  static final class Positions {
    private final List<String> sources = new ArrayList<>();
    private final Map<Name, int[]> map = new HashMap<>();
    private @Nullable Name lastOwner;
    private int @Nullable [] lastPositions;

    int source(String name) {
      int i = sources.indexOf(name);
      if (i < 0) {
        sources.add(name);
        i = sources.size() - 1;
      }
      return i;
    }

    String sourceName(int index) {
      return sources.get(index);
    }

    void record(Name owner, int type, int source, int line) {
      // Records of one name usually come one after another with one Name instance: look the
      // name up once for the run, not once per record.
      int[] p = lastOwner == owner ? lastPositions : null;
      if (p == null) {
        int[] fresh = {type, source, line};
        p = map.putIfAbsent(owner, fresh);
        lastOwner = owner;
        lastPositions = p == null ? fresh : p;
        if (p == null) {
          return;
        }
      }
      for (int i = 0; i < p.length; i += 3) {
        if (p[i] == type) {
          return;
        }
      }
      int[] grown = java.util.Arrays.copyOf(p, p.length + 3);
      grown[p.length] = type;
      grown[p.length + 1] = source;
      grown[p.length + 2] = line;
      map.put(owner, grown);
      lastPositions = grown;
    }

    ZoneFile toZoneFile(Zone zone, List<Finding> findings) {
      return new ZoneFile(zone, Collections.unmodifiableList(sources), map, findings);
    }
  }
}
