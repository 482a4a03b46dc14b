package org.aliasdns.core.zonefile;

import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
  private final List<Finding> findings;
  private final Positions positions;
  private final List<Path> includedFiles;

  private ZoneFile(Zone zone, Positions positions, List<Finding> findings, List<Path> included) {
    this.zone = zone;
    this.includedFiles = List.copyOf(included);
    this.sources = List.copyOf(positions.sources);
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
   * Returns the files that {@code $INCLUDE} directives brought in (RFC 1035 §5.1), at any depth,
   * in the order they were opened, each as an absolute path; a file included twice is listed
   * twice. The file read itself is not listed. A program that watches a zone file for changes
   * watches these too.
   *
   * @return an unmodifiable list, empty when nothing was included (always, for text and streams
   *     read without includes)
   * @since 0.2
   */
  public List<Path> includedFiles() {
    return includedFiles;
  }

  /**
   * Returns what the reader reported while reading, in source order: {@link
   * Rule#RRSET_TTL_MISMATCH}, {@link Rule#OUT_OF_ZONE} and {@link Rule#TTL_ABOVE_MAX} findings.
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
    return Optional.ofNullable(positions.find(sources, owner, type));
  }

  /**
   * Returns where the first record at a name was read.
   *
   * @param owner the owner name, in any case
   * @return the position, or empty if nothing was read at that name
   */
  public Optional<SourcePosition> position(Name owner) {
    return Optional.ofNullable(positions.find(sources, owner, -1));
  }

  /**
   * Where each RRset was first read, and the names of the files read, by index. A zone of a
   * million records has hundreds of thousands of owners, so this is a hash table of its own
   * (open addressing over the owner names, RFC 4343 case-insensitive as {@link Name#equals}),
   * with each owner's RRsets as a chain of {@code [type, source, line, next, records]} entries in one
   * {@code int} array: no object per owner or per RRset.
   */
  static final class Positions {
    private static final int TYPE = 0;
    private static final int SOURCE = 1;
    private static final int LINE = 2;
    private static final int NEXT = 3;
    private static final int COUNT = 4;
    private static final int WIDTH = 5;

    private final List<String> sources;
    /** Of a zone read in parts (see ZoneFileReader): each part's owners, in tables of their own. */
    private Positions @Nullable [] parts;
    private @Nullable Name[] owners = new Name[1024];
    // Each owner's hash beside it: a probe past another owner compares ints, not Names.
    private int[] hashes = new int[1024];
    private int[] firstEntry = new int[1024];
    private int ownerCount;
    private int[] entries = new int[WIDTH * 1024];
    private int entryCount;
    // Records of one owner arrive together, as one Name instance: its slot is remembered.
    private @Nullable Name lastOwner;
    private int lastSlot;

    Positions() {
      this.sources = new ArrayList<>();
    }

    /** Positions that share the names of the files read with another's. */
    Positions(Positions shared) {
      this.sources = shared.sources;
    }

    /**
     * Makes these positions those of the parts: each owner was noted in exactly one of them
     * (the one placing its records), and these hold no owners of their own.
     */
    void joinParts(Positions[] split) {
      this.parts = split.clone();
    }

    /** Where the first record of an RRset (or of a name, with type -1) was read, or null. */
    @Nullable SourcePosition find(List<String> names, Name owner, int type) {
      Positions[] split = parts;
      if (split == null) {
        int e = entryOf(owner, type);
        return e < 0 ? null : at(names, e);
      }
      for (Positions part : split) {
        int e = part.entryOf(owner, type);
        if (e >= 0) {
          return part.at(names, e);
        }
      }
      return null;
    }

    int source(String name) {
      int i = sources.indexOf(name);
      if (i < 0) {
        sources.add(name);
        i = sources.size() - 1;
      }
      return i;
    }

    /**
     * Makes room for about this many owners at once, sparing the table's growth step by step
     * (each step places every owner again).
     */
    void expectOwners(int count) {
      int capacity = owners.length;
      while (count * 4L > capacity * 3L && capacity < (1 << 30)) {
        capacity *= 2;
      }
      if (capacity > owners.length && ownerCount == 0) {
        owners = new Name[capacity];
        hashes = new int[capacity];
        firstEntry = new int[capacity];
        entries = new int[WIDTH * Math.min(count, 1 << 20)];
      }
    }

    String sourceName(int index) {
      return sources.get(index);
    }

    /**
     * Notes where a record was read, unless a record of its type at its name was read before.
     * Returns how many records of its RRset have been noted, this one included.
     */
    int note(Name owner, int type, int source, int line) {
      int slot;
      if (owner == lastOwner) {
        slot = lastSlot;
      } else {
        slot = slot(owner);
        if (owners[slot] == null) {
          owners[slot] = owner;
          hashes[slot] = owner.hashCode();
          firstEntry[slot] = newEntry(type, source, line);
          if (++ownerCount * 4 > owners.length * 3) { // at most three quarters full
            grow();
            slot = slot(owner);
          }
          lastOwner = owner;
          lastSlot = slot;
          return 1;
        }
        lastOwner = owner;
        lastSlot = slot;
      }
      int e = firstEntry[slot];
      while (true) {
        if (entries[e + TYPE] == type) {
          return ++entries[e + COUNT];
        }
        int next = entries[e + NEXT];
        if (next < 0) {
          int added = newEntry(type, source, line);
          entries[e + NEXT] = added;
          return 1;
        }
        e = next;
      }
    }

    /** The entry of an owner's RRset of a type, or of its first record when type is -1; -1 if none. */
    int entryOf(Name owner, int type) {
      int slot = slot(owner);
      if (owners[slot] == null) {
        return -1;
      }
      for (int e = firstEntry[slot]; e >= 0; e = entries[e + NEXT]) {
        if (type < 0 || entries[e + TYPE] == type) {
          return e;
        }
      }
      return -1;
    }

    SourcePosition at(List<String> names, int entry) {
      return new SourcePosition(names.get(entries[entry + SOURCE]), entries[entry + LINE]);
    }

    private int newEntry(int type, int source, int line) {
      if (entryCount + WIDTH > entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
      int e = entryCount;
      entries[e + TYPE] = type;
      entries[e + SOURCE] = source;
      entries[e + LINE] = line;
      entries[e + NEXT] = -1;
      entries[e + COUNT] = 1;
      entryCount += WIDTH;
      return e;
    }

    /** The slot holding the owner, or the empty slot where it would go. */
    private int slot(Name owner) {
      int mask = owners.length - 1;
      int hash = owner.hashCode();
      int h = hash * 0x9E3779B9; // spreads dnsjava's weak name hash over the table
      int i = (h ^ (h >>> 16)) & mask;
      while (true) {
        Name at = owners[i];
        if (at == null || at == owner || (hashes[i] == hash && at.equals(owner))) {
          return i;
        }
        i = (i + 1) & mask;
      }
    }

    private void grow() {
      @Nullable Name[] oldOwners = owners;
      int[] oldHashes = hashes;
      int[] oldFirst = firstEntry;
      owners = new Name[oldOwners.length * 2];
      hashes = new int[oldOwners.length * 2];
      firstEntry = new int[oldOwners.length * 2];
      for (int i = 0; i < oldOwners.length; i++) {
        Name o = oldOwners[i];
        if (o != null) {
          int slot = slot(o);
          owners[slot] = o;
          hashes[slot] = oldHashes[i];
          firstEntry[slot] = oldFirst[i];
        }
      }
      lastOwner = null;
    }

    ZoneFile toZoneFile(Zone zone, List<Finding> findings, List<Path> included) {
      entries = Arrays.copyOf(entries, entryCount);
      Positions[] split = parts;
      if (split != null) {
        for (Positions part : split) {
          part.entries = Arrays.copyOf(part.entries, part.entryCount);
        }
      }
      return new ZoneFile(zone, this, findings, included);
    }
  }
}
