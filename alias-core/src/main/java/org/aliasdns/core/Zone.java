package org.aliasdns.core;

import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.aliasdns.core.internal.CanonicalOrder;
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
  private final int setCount;

  private Zone(
      Name origin, Map<Name, Node> nodes, List<Node> ordered, long recordCount, int setCount) {
    this.origin = origin;
    this.nodes = nodes;
    this.ordered = ordered;
    this.recordCount = recordCount;
    this.setCount = setCount;
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
    // No lambda: this runs on a fake's or a server's first answer, where each lambda's first
    // use costs a class spun at run time (issue 14's cold start).
    Optional<RecordSet> set = get(origin, Type.SOA);
    return set.isPresent() ? Optional.of((SOARecord) set.get().first()) : Optional.empty();
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
   * Calls an action for every name that holds records, in canonical order, with its RRsets by
   * ascending type code. Cheaper than {@link #names()} followed by {@link #recordSets(Name)}
   * for each: no look-ups.
   *
   * @param action receives each name (in its original case) and its unmodifiable RRsets
   */
  public void forEachName(BiConsumer<? super Name, ? super List<RecordSet>> action) {
    for (Node node : ordered) {
      action.accept(node.owner, node.sets);
    }
  }

  /**
   * Returns the number of RRsets.
   *
   * @return the count of RRsets in the zone
   */
  public int size() {
    return setCount;
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
    // Not a stream's iterator: copying a zone (a fake's record lines join a zone this way) is
    // on the way to a first answer, where a stream's lambdas and classes cost (issue 14).
    return new SetIterator(ordered);
  }

  /** The RRsets of nodes in order, node by node. */
  private static final class SetIterator implements Iterator<RecordSet> {
    private final Iterator<Node> nodes;
    private Iterator<RecordSet> sets = Collections.emptyIterator();

    SetIterator(List<Node> ordered) {
      this.nodes = ordered.iterator();
    }

    @Override
    public boolean hasNext() {
      while (!sets.hasNext()) {
        if (!nodes.hasNext()) {
          return false;
        }
        sets = nodes.next().sets.iterator();
      }
      return true;
    }

    @Override
    public RecordSet next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return sets.next();
    }
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

  /** The default finding sink of a builder: a class, not a lambda, for a first read's sake. */
  private enum IgnoreFindings implements Consumer<Finding> {
    INSTANCE;

    @Override
    public void accept(Finding finding) {
      // ignored
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
    private final Map<Name, NodeBuilder> nodes = new HashMap<>();
    // Nodes in the order their names were first added (removed ones are skipped in build()):
    // a zone file is often close to canonical order, which makes the sort in build() cheaper.
    private final List<NodeBuilder> inOrder = new ArrayList<>();
    private @Nullable NodeBuilder lastNode;
    private Consumer<Finding> findings = IgnoreFindings.INSTANCE;

    private Builder(Name origin) {
      if (!origin.isAbsolute()) {
        throw new IllegalArgumentException("zone origin must be absolute: " + origin);
      }
      AliasRecord.registerTypes();
      this.origin = origin;
    }

    private NodeBuilder newNode(Name owner) {
      NodeBuilder node = new NodeBuilder(owner);
      inOrder.add(node);
      return node;
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
      // Records of one name usually arrive together and share one Name instance (the reader
      // sees to that): then the checks and the look-up done for the previous record hold.
      NodeBuilder node = lastNode;
      if (node == null || node.owner != owner || node.removed) {
        if (!owner.isAbsolute() || !owner.subdomain(origin)) {
          throw new IllegalArgumentException(
              "record is outside zone " + origin + ": " + record);
        }
        node = nodes.get(owner);
        if (node == null) { // not computeIfAbsent(this::newNode): no lambda on a first read
          node = newNode(owner);
          nodes.put(owner, node);
        }
      }
      if (record.getDClass() != DClass.IN) {
        throw new IllegalArgumentException("record is not class IN: " + record);
      }
      lastNode = node;
      int type = record.getType();
      Object existing = node.get(type);
      if (existing == null) {
        node.put(type, record);
        return this;
      }
      List<Record> list;
      if (existing instanceof Record) {
        list = new ArrayList<>(2);
        list.add((Record) existing);
        node.put(type, list);
      } else {
        @SuppressWarnings("unchecked")
        List<Record> held = (List<Record>) existing;
        list = held;
      }
      if (type != Type.RRSIG) {
        long ttl = list.get(0).getTTL();
        if (ttl != record.getTTL()) {
          findings.accept(
              Finding.of(
                  Rule.RRSET_TTL_MISMATCH,
                  owner,
                  Type.string(type)
                      + " RRset has TTLs "
                      + ttl
                      + " and "
                      + record.getTTL()
                      + "; using "
                      + Math.min(ttl, record.getTTL())));
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
        node.remove(type);
        if (node.isEmpty()) {
          nodes.remove(owner);
          node.removed = true;
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
      NodeBuilder node = nodes.remove(owner);
      if (node != null) {
        node.removed = true;
      }
      return this;
    }

    /**
     * Returns an immutable snapshot of the records added so far.
     *
     * @return the zone
     */
    public Zone build() {
      if (inOrder.size() > nodes.size()) {
        inOrder.removeIf(nb -> nb.removed);
      }
      Map<Name, Node> map = new HashMap<>(Math.max(16, nodes.size() * 4 / 3 + 1));
      Node[] built = new Node[nodes.size()];
      char[][] keys = new char[built.length][];
      // Every name ends in the origin: leave its labels (but the root) out of the sort keys.
      int originLabels = origin.labels() - 1;
      int n = 0;
      long count = 0;
      int setCount = 0;
      for (NodeBuilder nb : inOrder) {
        List<RecordSet> nodeSets;
        if (nb.size == 1) {
          // Most names hold one RRset: a singleton list is the smallest immutable list.
          RecordSet set = nb.recordSet(0);
          count += set.size();
          nodeSets = Collections.singletonList(set);
        } else {
          RecordSet[] array = new RecordSet[nb.size];
          for (int i = 0; i < nb.size; i++) {
            array[i] = nb.recordSet(i);
            count += array[i].size();
          }
          nodeSets = Collections.unmodifiableList(Arrays.asList(array));
        }
        setCount += nb.size;
        Node node = new Node(nb.owner, nodeSets);
        map.put(nb.owner, node);
        keys[n] = CanonicalOrder.key(nb.owner, originLabels);
        built[n++] = node;
      }
      // Sorting on precomputed keys is several times faster than Name.compareTo, which
      // re-walks the shared suffix (the origin) label by label on every comparison.
      int[] order = CanonicalOrder.sort(keys);
      Node[] sorted = new Node[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = built[order[i]];
      }
      List<Node> ordered = Arrays.asList(sorted);
      return new Zone(origin, map, Collections.unmodifiableList(ordered), count, setCount);
    }
  }

  /**
   * Returns the records with the first one renamed to the node's spelling if needed; {@link
   * RecordSet} spells the whole set as its first record, so every set at a name then agrees with
   * {@link #names()}.
   */
  private static List<Record> spelledAs(Name owner, List<Record> records) {
    if (RecordSet.sameSpelling(records.get(0).getName(), owner)) {
      return records;
    }
    List<Record> renamed = new ArrayList<>(records);
    renamed.set(0, records.get(0).withName(owner));
    return renamed;
  }

  /**
   * The records of one name while building, by ascending type code. Each slot holds a single
   * {@link Record} or, once a second arrives, a {@code List<Record>}: most names hold one or two
   * RRsets of one record each, and a zone can have millions of names.
   */
  private static final class NodeBuilder {
    private static final int[] NO_TYPES = new int[0];
    private static final Object[] NO_SLOTS = new Object[0];

    final Name owner;
    boolean removed;
    int size;
    // Entry 0 lives in fields, entries 1.. in the arrays: a name with one type, the common
    // case, costs no arrays at all.
    private int type0;
    private @Nullable Object slot0;
    private int[] types = NO_TYPES;
    private @Nullable Object[] slots = NO_SLOTS;

    NodeBuilder(Name owner) {
      this.owner = owner;
    }

    private int typeAt(int i) {
      return i == 0 ? type0 : types[i - 1];
    }

    private Object slotAt(int i) {
      return Objects.requireNonNull(i == 0 ? slot0 : slots[i - 1]);
    }

    private void set(int i, int type, Object slot) {
      if (i == 0) {
        type0 = type;
        slot0 = slot;
      } else {
        types[i - 1] = type;
        slots[i - 1] = slot;
      }
    }

    private int indexOf(int type) {
      for (int i = 0; i < size; i++) {
        if (typeAt(i) == type) {
          return i;
        }
      }
      return -1;
    }

    @Nullable Object get(int type) {
      int i = indexOf(type);
      return i < 0 ? null : slotAt(i);
    }

    void put(int type, Object value) {
      int i = indexOf(type);
      if (i >= 0) {
        set(i, type, value);
        return;
      }
      if (size > types.length) {
        int capacity = Math.max(2, types.length * 2);
        types = Arrays.copyOf(types, capacity);
        slots = Arrays.copyOf(slots, capacity);
      }
      // Keep ascending type order (RFC 4034 §6.1 canonical RRset order within a name).
      int at = size;
      while (at > 0 && typeAt(at - 1) > type) {
        set(at, typeAt(at - 1), slotAt(at - 1));
        at--;
      }
      set(at, type, value);
      size++;
    }

    void remove(int type) {
      int i = indexOf(type);
      if (i < 0) {
        return;
      }
      for (int j = i; j < size - 1; j++) {
        set(j, typeAt(j + 1), slotAt(j + 1));
      }
      size--;
      if (size == 0) {
        slot0 = null;
      } else {
        slots[size - 1] = null;
      }
    }

    boolean isEmpty() {
      return size == 0;
    }

    RecordSet recordSet(int i) {
      Object slot = slotAt(i);
      if (slot instanceof Record) {
        Record only = (Record) slot;
        return RecordSet.of(RecordSet.sameSpelling(only.getName(), owner) ? only : only.withName(owner));
      }
      @SuppressWarnings("unchecked")
      List<Record> records = (List<Record>) slot;
      return RecordSet.of(spelledAs(owner, records));
    }
  }
}
