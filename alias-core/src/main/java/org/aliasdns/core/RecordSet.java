package org.aliasdns.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.aliasdns.core.internal.Records;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An immutable RRset: every record of one type at one owner name, with one TTL.
 *
 * <p>Records are held in canonical order (RFC 4034 §6.3) with duplicates removed (RFC 2181 §5),
 * so two sets with the same content are equal and print the same. The owner keeps the case of
 * the first record given; comparison ignores case (RFC 4343). Differing TTLs are reduced to the
 * smallest (RFC 2181 §5.2); RRSIG sets are the exception, since each signature carries the TTL
 * of the RRset it covers (RFC 4034 §3), and {@link #ttl()} is then their minimum.
 *
 * @since 0.1
 */
public final class RecordSet implements Iterable<Record> {
  private final Name owner;
  private final int type;
  private final long ttl;
  /**
   * The one record of a set of one (most sets in a zone), else an unmodifiable {@code
   * List<Record>}: a zone of millions of sets keeps no list object for a single record.
   */
  private final Object records;

  private RecordSet(Name owner, int type, long ttl, Object records) {
    this.owner = owner;
    this.type = type;
    this.ttl = ttl;
    this.records = records;
  }

  /**
   * Creates a set from one or more records.
   *
   * @param first a record
   * @param more further records of the same owner, class and type
   * @return the set
   * @throws IllegalArgumentException as {@link #of(Collection)}
   */
  public static RecordSet of(Record first, Record... more) {
    if (more.length == 0) {
      return single(first);
    }
    List<Record> all = new ArrayList<>(1 + more.length);
    all.add(first);
    Collections.addAll(all, more);
    return of(all);
  }

  /**
   * Creates a set from records of one owner, class and type, reducing TTLs to the smallest and
   * dropping duplicates.
   *
   * @param records the records, at least one
   * @return the set
   * @throws IllegalArgumentException if there are no records, or they differ in owner, class or
   *     type
   */
  public static RecordSet of(Collection<? extends Record> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a record set needs at least one record");
    }
    if (records.size() == 1) {
      return single(records.iterator().next());
    }
    Record first = records.iterator().next();
    Name owner = first.getName();
    int type = first.getType();
    int dclass = first.getDClass();
    long ttl = Long.MAX_VALUE;
    for (Record r : records) {
      if (!r.getName().equals(owner) || r.getType() != type || r.getDClass() != dclass) {
        throw new IllegalArgumentException(
            "records of one set must share owner, class and type: " + first + " / " + r);
      }
      ttl = Math.min(ttl, r.getTTL());
    }
    // Within one owner, class and type, Record.compareTo is the unsigned order of the canonical
    // rdata (RFC 4034 §6.3); computing that once per record, not twice per comparison, spares
    // a wire encoding per comparison. The sort is stable, as Collections.sort was.
    Canonical[] sorted = new Canonical[records.size()];
    int n = 0;
    for (Record r : records) {
      Record normalized = normalize(r, owner, type == Type.RRSIG ? r.getTTL() : ttl);
      sorted[n++] = new Canonical(normalized, normalized.rdataToWireCanonical());
    }
    Arrays.sort(sorted);
    // RFC 2181 §5: identical records in one RRset are one record.
    Record[] unique = new Record[n];
    int kept = 0;
    byte @Nullable [] previous = null;
    for (Canonical c : sorted) {
      if (previous == null || !Arrays.equals(previous, c.rdata)) {
        unique[kept++] = c.record;
        previous = c.rdata;
      }
    }
    return kept == 1
        ? new RecordSet(owner, type, ttl, unique[0])
        : new RecordSet(owner, type, ttl, List.of(kept == n ? unique : Arrays.copyOf(unique, kept)));
  }

  /** A set of one record: nothing to reduce, sort or deduplicate, so nothing to copy. */
  private static RecordSet single(Record record) {
    return new RecordSet(record.getName(), record.getType(), record.getTTL(), record);
  }

  /** A record with its canonical rdata, while a set is sorted. */
  private static final class Canonical implements Comparable<Canonical> {
    final Record record;
    final byte[] rdata;

    Canonical(Record record, byte[] rdata) {
      this.record = record;
      this.rdata = rdata;
    }

    @Override
    public int compareTo(Canonical other) {
      return Arrays.compareUnsigned(rdata, other.rdata);
    }
  }

  private static Record normalize(Record r, Name owner, long ttl) {
    Record out = r;
    if (r.getTTL() != ttl) {
      out = Records.withTtl(out, ttl);
    }
    // Keep the first record's spelling of the owner for every record of the set.
    if (!sameSpelling(out.getName(), owner)) {
      out = out.withName(owner);
    }
    return out;
  }

  /** Tells whether two names are spelled alike, case included. */
  static boolean sameSpelling(Name a, Name b) {
    // The wire form keeps the case as given: equal bytes are equal spellings, without the
    // escaping and the string of each that toString() makes.
    return a == b || Arrays.equals(a.toWire(), b.toWire());
  }

  /**
   * Returns the owner name, in the case it was first given.
   *
   * @return the absolute owner name
   */
  public Name owner() {
    return owner;
  }

  /**
   * Returns the record type.
   *
   * @return the type code, e.g. {@link Type#A}
   */
  public int type() {
    return type;
  }

  /**
   * Returns the TTL shared by the records (for RRSIG sets, the smallest of theirs).
   *
   * @return the TTL in seconds
   */
  public long ttl() {
    return ttl;
  }

  /**
   * Returns the records in canonical order.
   *
   * @return an unmodifiable, non-empty list
   */
  public List<Record> records() {
    if (records instanceof Record) {
      return Collections.singletonList((Record) records);
    }
    @SuppressWarnings("unchecked")
    List<Record> list = (List<Record>) records;
    return list;
  }

  /**
   * Returns the number of records.
   *
   * @return at least 1
   */
  public int size() {
    return records instanceof Record ? 1 : records().size();
  }

  /**
   * Returns the first record in canonical order; handy for singleton types such as SOA or
   * CNAME.
   *
   * @return the first record
   */
  public Record first() {
    return records instanceof Record ? (Record) records : records().get(0);
  }

  /**
   * Returns this set with all records carrying another TTL.
   *
   * @param newTtl the TTL in seconds
   * @return a set with that TTL (this set if it already has it)
   */
  public RecordSet withTtl(long newTtl) {
    if (newTtl == ttl && type != Type.RRSIG) {
      return this;
    }
    if (records instanceof Record) {
      return new RecordSet(owner, type, newTtl, Records.withTtl((Record) records, newTtl));
    }
    List<Record> list = records();
    Record[] out = new Record[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Records.withTtl(list.get(i), newTtl);
    }
    return new RecordSet(owner, type, newTtl, List.of(out));
  }

  /**
   * Returns this set with one more record, TTLs reduced as in {@link #of(Collection)}.
   *
   * @param record a record of the same owner, class and type
   * @return the new set (equal to this one if the record was a duplicate)
   * @throws IllegalArgumentException if the record does not belong in this set
   */
  public RecordSet with(Record record) {
    List<Record> all = new ArrayList<>(size() + 1);
    all.addAll(records());
    all.add(record);
    return of(all);
  }

  @Override
  public Iterator<Record> iterator() {
    return records().iterator();
  }

  /** Equal when owner (ignoring case), type, TTL and records are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RecordSet)) {
      return false;
    }
    RecordSet other = (RecordSet) o;
    return type == other.type
        && ttl == other.ttl
        && owner.equals(other.owner)
        && records().equals(other.records())
        && ttlsEqual(records(), other.records());
  }

  private static boolean ttlsEqual(List<Record> a, List<Record> b) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).getTTL() != b.get(i).getTTL()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return (owner.hashCode() * 31 + type) * 31 + Long.hashCode(ttl) * 31 + size();
  }

  /** Returns the records in master-file form, one per line, IPv6 as RFC 5952 writes it. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Record r : records()) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(AddressText.record(r));
    }
    return sb.toString();
  }
}
