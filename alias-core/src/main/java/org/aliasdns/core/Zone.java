package org.aliasdns.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * An immutable snapshot of one zone: its origin and every RRset at or below it.
 *
 * <p>Look-ups ignore case (RFC 4343) while owner names keep the case they were first given,
 * for output. Iteration is in DNSSEC canonical order (RFC 4034 §6.1): names in canonical name
 * order, and the RRsets of one name by ascending type code. A zone is safe to share between
 * threads; edit one through {@link #toBuilder()}, which returns a new snapshot.
 *
 * <p>A zone may lack an SOA or NS records while it is being put together or checked; the
 * {@link ZoneValidator} reports that.
 *
 * @since 0.1
 */
public final class Zone implements Iterable<RecordSet> {
  private final Name origin;
  private final Map<Name, Node> nodes;
  private final List<Node> ordered;
  private final long recordCount;

  private Zone(Name origin, Map<Name, Node> nodes, List<Node> ordered, long recordCount) {
    this.origin = origin;
    this.nodes = nodes;
    this.ordered = ordered;
    this.recordCount = recordCount;
  }

  /**
   * Starts an empty zone.
   *
   * @param origin the absolute zone origin (apex name)
   * @return a builder
   * @throws IllegalArgumentException if the origin is relative
   */
  public static Builder builder(Name origin) {
    return new Builder(origin);
  }

  /**
   * Returns the zone origin (apex), as given to the builder.
   *
   * @return the absolute origin
   */
  public Name origin() {
    return origin;
  }

  /**
   * Returns the SOA record at the origin.
   *
   * @return the SOA, or empty if the zone has none
   */
  public Optional<SOARecord> soa() {
    return get(origin, Type.SOA).map(set -> (SOARecord) set.first());
  }

  /**
   * Returns the RRset of one type at one name.
   *
   * @param owner an absolute name, in any case
   * @param type the type code
   * @return the set, or empty if the name has no records of that type
   */
  public Optional<RecordSet> get(Name owner, int type) {
    Node node = nodes.get(owner);
    if (node != null) {
      for (RecordSet set : node.sets) {
        if (set.type() == type) {
          return Optional.of(set);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns every RRset at one name, by ascending type code.
   *
   * @param owner an absolute name, in any case
   * @return an unmodifiable list, empty if the name holds no records
   */
  public List<RecordSet> recordSets(Name owner) {
    Node node = nodes.get(owner);
    return node == null ? List.of() : node.sets;
  }

  /**
   * Tells whether a name holds any records. A name that only has descendants (an empty
   * non-terminal) holds none.
   *
   * @param owner an absolute name, in any case
   * @return true if the zone has records at that name
   */
  public boolean contains(Name owner) {
    return nodes.containsKey(owner);
  }

  /**
   * Returns the names that hold records, in canonical order and in their original case.
   *
   * @return an unmodifiable list
   */
  public List<Name> names() {
    List<Name> out = new ArrayList<>(ordered.size());
    for (Node node : ordered) {
      out.add(node.owner);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Returns the number of RRsets.
   *
   * @return the count of RRsets in the zone
   */
  public int size() {
    int n = 0;
    for (Node node : ordered) {
      n += node.sets.size();
    }
    return n;
  }

  /**
   * Returns the number of records over all RRsets.
   *
   * @return the record count
   */
  public long recordCount() {
    return recordCount;
  }

  /** Iterates over every RRset in DNSSEC canonical order. */
  @Override
  public Iterator<RecordSet> iterator() {
    return ordered.stream().flatMap(node -> node.sets.stream()).iterator();
  }

  /**
   * Streams every RRset in DNSSEC canonical order.
   *
   * @return a sequential stream
   */
  public Stream<RecordSet> stream() {
    return StreamSupport.stream(spliterator(), false);
  }

  /**
   * Returns a builder holding this zone's content, for making an edited copy.
   *
   * @return a new builder; changes to it do not affect this zone
   */
  public Builder toBuilder() {
    Builder builder = new Builder(origin);
    for (RecordSet set : this) {
      builder.add(set);
    }
    return builder;
  }

  /** Equal when origins and all RRsets are equal (names compared ignoring case). */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Zone)) {
      return false;
    }
    Zone other = (Zone) o;
    if (!origin.equals(other.origin) || ordered.size() != other.ordered.size()) {
      return false;
    }
    for (int i = 0; i < ordered.size(); i++) {
      if (!ordered.get(i).sets.equals(other.ordered.get(i).sets)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(recordCount);
  }

  /** Returns a short description: origin, names and records. */
  @Override
  public String toString() {
    return "Zone[" + origin + ", " + ordered.size() + " names, " + recordCount + " records]";
  }

  private static final class Node {
    final Name owner;
    final List<RecordSet> sets;

    Node(Name owner, List<RecordSet> sets) {
      this.owner = owner;
      this.sets = sets;
    }
  }

  /**
   * Collects records for a new {@link Zone}. Not thread-safe; {@link #build()} may be called
   * more than once and each call returns an independent snapshot.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Name origin;
    private final Map<Name, NodeBuilder> nodes = new LinkedHashMap<>();
    private Consumer<Finding> findings = finding -> {};

    private Builder(Name origin) {
      if (!origin.isAbsolute()) {
        throw new IllegalArgumentException("zone origin must be absolute: " + origin);
      }
      AliasRecord.registerTypes();
      this.origin = origin;
    }

    /**
     * Sets where the builder reports what it changed while normalizing, such as RRset TTLs
     * reduced to their minimum ({@link Rule#RRSET_TTL_MISMATCH}).
     *
     * @param sink receives each finding as it arises
     * @return this builder
     */
    public Builder onFinding(Consumer<Finding> sink) {
      this.findings = sink;
      return this;
    }

    /**
     * Adds a record, merging it into the RRset of its owner and type. A record whose TTL
     * differs from the RRset's is reduced, or reduces the set, to the smaller TTL (RFC 2181
     * §5.2), and a finding is reported.
     *
     * @param record an IN-class record at or below the origin
     * @return this builder
     * @throws IllegalArgumentException if the record is outside the zone, relative, or not IN
     */
    public Builder add(Record record) {
      Name owner = record.getName();
      if (!owner.isAbsolute() || !owner.subdomain(origin)) {
        throw new IllegalArgumentException(
            "record is outside zone " + origin + ": " + record);
      }
      if (record.getDClass() != DClass.IN) {
        throw new IllegalArgumentException("record is not class IN: " + record);
      }
      NodeBuilder node = nodes.computeIfAbsent(owner, NodeBuilder::new);
      List<Record> list = node.types.computeIfAbsent(record.getType(), t -> new ArrayList<>(1));
      if (!list.isEmpty() && record.getType() != Type.RRSIG) {
        long existing = list.get(0).getTTL();
        if (existing != record.getTTL()) {
          findings.accept(
              Finding.of(
                  Rule.RRSET_TTL_MISMATCH,
                  owner,
                  Type.string(record.getType())
                      + " RRset has TTLs "
                      + existing
                      + " and "
                      + record.getTTL()
                      + "; using "
                      + Math.min(existing, record.getTTL())));
        }
      }
      list.add(record);
      return this;
    }

    /**
     * Adds every record of a set, as {@link #add(Record)}.
     *
     * @param set the RRset
     * @return this builder
     * @throws IllegalArgumentException as {@link #add(Record)}
     */
    public Builder add(RecordSet set) {
      for (Record r : set) {
        add(r);
      }
      return this;
    }

    /**
     * Adds every record, as {@link #add(Record)}.
     *
     * @param records the records
     * @return this builder
     * @throws IllegalArgumentException as {@link #add(Record)}
     */
    public Builder addAll(Iterable<? extends Record> records) {
      for (Record r : records) {
        add(r);
      }
      return this;
    }

    /**
     * Replaces the RRset of the set's owner and type with the given one.
     *
     * @param set the new RRset
     * @return this builder
     * @throws IllegalArgumentException as {@link #add(Record)}
     */
    public Builder put(RecordSet set) {
      remove(set.owner(), set.type());
      return add(set);
    }

    /**
     * Removes the RRset of one type at one name, if present.
     *
     * @param owner the owner name, in any case
     * @param type the type code
     * @return this builder
     */
    public Builder remove(Name owner, int type) {
      NodeBuilder node = nodes.get(owner);
      if (node != null) {
        node.types.remove(type);
        if (node.types.isEmpty()) {
          nodes.remove(owner);
        }
      }
      return this;
    }

    /**
     * Removes every record at one name, if any.
     *
     * @param owner the owner name, in any case
     * @return this builder
     */
    public Builder remove(Name owner) {
      nodes.remove(owner);
      return this;
    }

    /**
     * Returns an immutable snapshot of the records added so far.
     *
     * @return the zone
     */
    public Zone build() {
      Map<Name, Node> map = new HashMap<>(Math.max(16, nodes.size() * 4 / 3 + 1));
      List<Node> ordered = new ArrayList<>(nodes.size());
      long count = 0;
      for (NodeBuilder nb : nodes.values()) {
        List<RecordSet> sets = new ArrayList<>(nb.types.size());
        for (List<Record> records : nb.types.values()) {
          RecordSet set = RecordSet.of(spelledAs(nb.owner, records));
          sets.add(set);
          count += set.size();
        }
        Node node = new Node(nb.owner, Collections.unmodifiableList(sets));
        map.put(nb.owner, node);
        ordered.add(node);
      }
      ordered.sort((a, b) -> a.owner.compareTo(b.owner));
      return new Zone(origin, map, Collections.unmodifiableList(ordered), count);
    }
  }

  /**
   * Returns the records with the first one renamed to the node's spelling if needed; {@link
   * RecordSet} spells the whole set as its first record, so every set at a name then agrees with
   * {@link #names()}.
   */
  private static List<Record> spelledAs(Name owner, List<Record> records) {
    Name name = records.get(0).getName();
    if (name == owner || name.toString().equals(owner.toString())) {
      return records;
    }
    List<Record> renamed = new ArrayList<>(records);
    renamed.set(0, records.get(0).withName(owner));
    return renamed;
  }

  private static final class NodeBuilder {
    final Name owner;
    final TreeMap<Integer, List<Record>> types = new TreeMap<>();

    NodeBuilder(Name owner) {
      this.owner = owner;
    }
  }
}
