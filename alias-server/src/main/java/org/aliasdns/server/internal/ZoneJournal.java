package org.aliasdns.server.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The differences between the last few published versions of one zone, oldest first: what an
 * incremental transfer (IXFR, RFC 1995) sends a secondary that holds one of them. Immutable;
 * {@link #after} returns a new journal. Bounded by a number of versions and by the bytes of the
 * records it holds (their canonical wire form); the oldest differences go first.
 */
public final class ZoneJournal {
  private static final ZoneJournal EMPTY = new ZoneJournal(List.of(), 0);

  private final List<Step> steps;
  private final long bytes;

  /**
   * One published change: from the version with one SOA to the next.
   *
   * @param from the SOA of the version before
   * @param to the SOA of the version after
   * @param removed records of the version before that the version after lacks (SOA excluded)
   * @param added records of the version after that the version before lacked (SOA excluded)
   * @param bytes the canonical wire size of the records, SOAs included
   */
  record Step(SOARecord from, SOARecord to, List<Record> removed, List<Record> added, long bytes) {}

  /**
   * What a secondary at one serial needs to reach the current version, condensed (RFC 1995 §4:
   * a record added and then removed again is not sent at all).
   *
   * @param from the SOA of the secondary's version
   * @param removed the records to delete, SOA excluded
   * @param added the records to add, SOA excluded
   */
  public record Difference(SOARecord from, List<Record> removed, List<Record> added) {
    /**
     * Returns how many records the difference sends, its four SOAs included.
     *
     * @return a record count
     */
    public long recordCount() {
      return removed.size() + added.size() + 4L;
    }
  }

  private ZoneJournal(List<Step> steps, long bytes) {
    this.steps = steps;
    this.bytes = bytes;
  }

  /**
   * Returns the journal of a zone with no history.
   *
   * @return the empty journal
   */
  public static ZoneJournal empty() {
    return EMPTY;
  }

  /**
   * Returns how many differences the journal holds.
   *
   * @return the number of earlier versions it reaches back to
   */
  public int versions() {
    return steps.size();
  }

  /**
   * Returns the bytes the journal's records take.
   *
   * @return canonical wire bytes
   */
  public long bytes() {
    return bytes;
  }

  /**
   * Returns the journal once {@code now} has replaced {@code before}: with their difference
   * appended and the oldest ones dropped to stay within the bounds. A version whose serial is not
   * newer than the one before (RFC 1982), or that differs without a new serial, starts the
   * journal afresh: older differences no longer lead to it.
   *
   * @param before the version published until now
   * @param now the version published from now on
   * @param maxVersions how many differences to keep, 0 for none
   * @param maxBytes how many record bytes to keep
   * @return the new journal
   */
  public ZoneJournal after(Zone before, Zone now, int maxVersions, long maxBytes) {
    SOARecord from = before.soa().orElseThrow();
    SOARecord to = now.soa().orElseThrow();
    long ahead = (to.getSerial() - from.getSerial()) & 0xFFFF_FFFFL;
    if (ahead == 0) {
      // Same serial: the same version, or a changed zone secondaries cannot tell from it.
      return before.equals(now) ? this : EMPTY;
    }
    if (ahead >= (1L << 31) || maxVersions == 0) {
      return EMPTY; // RFC 1982 §3.2: not newer, so no secondary can get here from the journal
    }
    Step step = difference(before, now, from, to);
    if (step.bytes() > maxBytes) {
      return EMPTY;
    }
    List<Step> kept = new ArrayList<>(steps.size() + 1);
    kept.addAll(steps);
    kept.add(step);
    long total = bytes + step.bytes();
    int drop = 0;
    while (kept.size() - drop > maxVersions || total > maxBytes) {
      total -= kept.get(drop).bytes();
      drop++;
    }
    return new ZoneJournal(List.copyOf(kept.subList(drop, kept.size())), total);
  }

  /**
   * Returns what a secondary at a serial needs to reach the newest version, condensed.
   *
   * @param serial the secondary's serial (RFC 1995 §3: the SOA in the query's authority section)
   * @return the difference, or empty when the journal does not reach back to that serial
   */
  public Optional<Difference> since(long serial) {
    int first = -1;
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).from().getSerial() == serial) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return Optional.empty();
    }
    Map<RecordKey, Record> removed = new LinkedHashMap<>();
    Map<RecordKey, Record> added = new LinkedHashMap<>();
    for (Step s : steps.subList(first, steps.size())) {
      for (Record r : s.removed()) {
        RecordKey k = RecordKey.of(r);
        if (added.remove(k) == null) {
          removed.put(k, r);
        }
      }
      for (Record r : s.added()) {
        RecordKey k = RecordKey.of(r);
        if (removed.remove(k) == null) {
          added.put(k, r);
        }
      }
    }
    return Optional.of(
        new Difference(
            steps.get(first).from(), List.copyOf(removed.values()), List.copyOf(added.values())));
  }

  /** Compares two versions RRset by RRset; only sets that differ are looked at record by record. */
  private static Step difference(Zone before, Zone now, SOARecord from, SOARecord to) {
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    long[] size = {from.toWireCanonical().length + (long) to.toWireCanonical().length};
    for (RecordSet set : now) {
      if (isApexSoa(set, now)) {
        continue;
      }
      Optional<RecordSet> old = before.get(set.owner(), set.type());
      if (old.isPresent() && old.get().equals(set)) {
        continue;
      }
      diff(old.map(RecordSet::records).orElse(List.of()), set.records(), removed, added, size);
    }
    for (RecordSet set : before) {
      if (isApexSoa(set, before) || now.get(set.owner(), set.type()).isPresent()) {
        continue;
      }
      diff(set.records(), List.of(), removed, added, size);
    }
    return new Step(from, to, List.copyOf(removed), List.copyOf(added), size[0]);
  }

  private static boolean isApexSoa(RecordSet set, Zone zone) {
    return set.type() == Type.SOA && set.owner().equals(zone.origin());
  }

  private static void diff(
      List<Record> old, List<Record> now, List<Record> removed, List<Record> added, long[] size) {
    Map<RecordKey, Record> before = new LinkedHashMap<>();
    for (Record r : old) {
      before.put(RecordKey.of(r), r);
    }
    for (Record r : now) {
      RecordKey k = RecordKey.of(r);
      if (before.remove(k) == null) {
        added.add(r);
        size[0] += k.wire().length;
      }
    }
    for (Map.Entry<RecordKey, Record> e : before.entrySet()) {
      removed.add(e.getValue());
      size[0] += e.getKey().wire().length;
    }
  }

  /**
   * A record by its canonical wire form, TTL included (RFC 4034 §6.2), so that a TTL change is a
   * removal and an addition, as IXFR carries it. dnsjava's {@link Record} is not a map key: its
   * hash renders the record on every call.
   */
  private record RecordKey(byte[] wire, int hash) {
    static RecordKey of(Record r) {
      byte[] w = r.toWireCanonical();
      return new RecordKey(w, Arrays.hashCode(w));
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof RecordKey k && hash == k.hash && Arrays.equals(wire, k.wire);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "RecordKey[" + wire.length + " bytes]";
    }
  }
}
