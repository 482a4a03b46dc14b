package org.aliasdns.core.zonefile;

import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final List<Finding> findings;
  // Where each owner's RRsets were first read: [type, source, line] triples (see Positions).
  private final Map<Name, int[]> positions;

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

  /**
   * The names of the files read, by index, while reading. Where each RRset was read is kept on
   * the zone's own nodes (see {@code Zone.Builder.add(Record, int, int)}), which spares a map
   * entry per name in large zones.
   */
  static final class Positions {
    private final List<String> sources = new ArrayList<>();
    private final Map<Name, int[]> byOwner = new HashMap<>();

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

    /**
     * Notes where a record was read, unless a record of its type at its name was read before.
     * Positions are {@code [type, source, line]} triples per owner.
     */
    void note(Name owner, int type, int source, int line) {
      int[] p = byOwner.get(owner);
      if (p == null) {
        byOwner.put(owner, new int[] {type, source, line});
        return;
      }
      for (int i = 0; i < p.length; i += 3) {
        if (p[i] == type) {
          return;
        }
      }
      int[] grown = Arrays.copyOf(p, p.length + 3);
      grown[p.length] = type;
      grown[p.length + 1] = source;
      grown[p.length + 2] = line;
      byOwner.put(owner, grown);
    }

    ZoneFile toZoneFile(Zone zone, List<Finding> findings) {
      return new ZoneFile(zone, Collections.unmodifiableList(sources), byOwner, findings);
    }
  }
}
