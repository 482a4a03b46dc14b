package org.aliasdns.core;

import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
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
  /** The nodes by owner name, for look-ups (see {@link NameTable}). */
  /** The names' nodes by hash: one table, or one per part of a split build (see Builder#split). */
  private final @Nullable Node[][] tables;
  private final List<Node> ordered;
  private final long recordCount;
  private final int setCount;

  private Zone(
      Name origin, @Nullable Node[][] tables, List<Node> ordered, long recordCount, int setCount) {
    this.origin = origin;
    this.tables = tables;
    this.ordered = ordered;
    this.recordCount = recordCount;
    this.setCount = setCount;
  }

  private @Nullable Node find(Name owner) {
    @Nullable Node[][] t = tables;
    return NameTable.find(t.length == 1 ? t[0] : t[NameTable.part(owner, t.length)], owner);
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
    Node node = find(owner);
    if (node != null) {
      int i = node.typeIndex(type);
      if (i >= 0) {
        return Optional.of(node.get(i));
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
    Node node = find(owner);
    return node == null ? List.of() : node;
  }

  /**
   * Tells whether a name holds any records. A name that only has descendants (an empty
   * non-terminal) holds none.
   *
   * @param owner an absolute name, in any case
   * @return true if the zone has records at that name
   */
  public boolean contains(Name owner) {
    return find(owner) != null;
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
      action.accept(node.owner, node);
    }
  }

  /**
   * Calls an action for the names at some positions of the canonical order, as {@link
   * #forEachName(BiConsumer)} does for all: for splitting a pass over a large zone between
   * threads.
   *
   * @param from the position of the first name, 0 for the first in canonical order
   * @param to the position after the last name, at most {@link #nameCount()}
   * @param action receives each name (in its original case) and its unmodifiable RRsets
   * @throws IndexOutOfBoundsException if the positions are not {@code 0 <= from <= to <=
   *     nameCount()}
   * @since 0.2
   */
  public void forEachName(
      int from, int to, BiConsumer<? super Name, ? super List<RecordSet>> action) {
    Objects.checkFromToIndex(from, to, ordered.size());
    for (int i = from; i < to; i++) {
      Node node = ordered.get(i);
      action.accept(node.owner, node);
    }
  }

  /**
   * Returns the number of names that hold records.
   *
   * @return the count, the size of {@link #names()}
   * @since 0.2
   */
  public int nameCount() {
    return ordered.size();
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
        sets = nodes.next().iterator();
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
      if (!ordered.get(i).equals(other.ordered.get(i))) {
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
   * <p>The nodes the builder fills become the zone's own when it is built, as does its table
   * of them: a zone of millions of names is not copied, and leaves no builder behind as
   * garbage. A builder changed after {@link #build()} first copies what the zone now holds.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Name origin;
    private @Nullable Node[] table = new Node[NameTable.MIN_CAPACITY];
    private int tableSize;
    // Nodes in the order their names were first added (removed ones are skipped in build()):
    // a zone file is often close to canonical order, which makes the sort in build() cheaper.
    private Node[] inOrder = new Node[16];
    private int inOrderSize;
    private @Nullable Node lastNode;
    private Consumer<Finding> findings = IgnoreFindings.INSTANCE;
    /** The zone last built, while it holds this builder's nodes (until the next change). */
    private @Nullable Zone built;
    /** Of a split (see split): which part this builder is, of how many, and all the parts. */
    private final int part;
    private final int parts;
    private final @Nullable List<Builder> split;
    /** Of a part: the canonical keys of the names of the zone last built, in order, for join. */
    private char @Nullable [][] sortedKeys;

    private Builder(Name origin) {
      if (!origin.isAbsolute()) {
        throw new IllegalArgumentException("zone origin must be absolute: " + origin);
      }
      AliasRecord.registerTypes();
      this.origin = origin;
      this.part = 0;
      this.parts = 1;
      this.split = null;
    }

    private Builder(Name origin, int part, List<Builder> split, int parts) {
      this.origin = origin;
      this.part = part;
      this.parts = parts;
      this.split = split;
    }

    /**
     * Splits this empty builder into builders that each take the names of one part (by a hash
     * of the name, ignoring case), so that a large zone can be filled, sealed and sorted on
     * several threads, one builder per thread, and {@link Zone#join(List)} then makes one zone
     * of them. Records of a name go to the builder that {@link #takes} it; RRset TTL findings
     * go to this builder's sink ({@link #onFinding}), which each part may replace. This
     * builder is left as it was.
     *
     * @param count how many builders, from 1 to 64
     * @return the builders, in part order, each empty
     * @throws IllegalArgumentException if the count is out of range
     * @throws IllegalStateException if this builder holds records or is itself a part
     * @since 0.2
     */
    public List<Builder> split(int count) {
      if (count < 1 || count > 64) {
        throw new IllegalArgumentException("parts must be from 1 to 64: " + count);
      }
      if (split != null || inOrderSize > 0) {
        throw new IllegalStateException("only an empty builder that is not a part can be split");
      }
      List<Builder> all = new ArrayList<>(count);
      List<Builder> view = Collections.unmodifiableList(all);
      for (int i = 0; i < count; i++) {
        Builder b = new Builder(origin, i, view, count);
        b.findings = findings;
        b.expectNames(NameTable.maxSize(table.length) / count);
        all.add(b);
      }
      return view;
    }

    /**
     * Tells whether this builder takes records owned by a name: always, unless it is one part
     * of a {@link #split}, which takes only the names of its part.
     *
     * @param owner the owner name, in any case
     * @return whether {@link #add(Record)} accepts records of this owner
     * @since 0.2
     */
    public boolean takes(Name owner) {
      return parts == 1 || NameTable.part(owner, parts) == part;
    }

    /**
     * Makes room for about this many names at once, so that a large zone does not grow its
     * table step by step (each step places every name again). Only a hint: fewer or more names
     * may be added.
     *
     * @param count the expected number of names; at most about a million are made room for
     * @return this builder
     * @throws IllegalArgumentException if the count is negative
     * @since 0.2
     */
    public Builder expectNames(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("expected names must not be negative: " + count);
      }
      int wanted = Math.min(count, 1 << 20);
      if (built != null) {
        thaw();
      }
      int capacity = table.length;
      while (NameTable.maxSize(capacity) < wanted) {
        capacity *= 2;
      }
      if (capacity > table.length) {
        table = NameTable.resize(table, capacity);
      }
      if (inOrder.length < wanted) {
        inOrder = Arrays.copyOf(inOrder, wanted);
      }
      return this;
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
      if (built != null) {
        thaw();
      }
      Name owner = record.getName();
      // Records of one name usually arrive together and share one Name instance (the reader
      // sees to that): then the checks and the look-up done for the previous record hold.
      Node node = lastNode;
      if (node == null || node.owner != owner || node.removed()) {
        if (!owner.isAbsolute() || !owner.subdomain(origin)) {
          throw new IllegalArgumentException(
              "record is outside zone " + origin + ": " + record);
        }
        if (parts > 1 && !takes(owner)) {
          throw new IllegalArgumentException(
              "name " + owner + " belongs to another part of the split: " + record);
        }
        node = nodeFor(owner);
      }
      if (record.getDClass() != DClass.IN) {
        throw new IllegalArgumentException("record is not class IN: " + record);
      }
      lastNode = node;
      int type = record.getType();
      int at = node.typeIndex(type);
      if (at < 0) {
        node.insert(type, record);
        return this;
      }
      Object existing = node.slotAt(at);
      List<Record> list;
      if (existing instanceof RecordSet held) {
        list = new ArrayList<>(held.records()); // an RRset added whole, now added to
        node.setSlot(at, list);
      } else if (existing instanceof Record) {
        list = new ArrayList<>(2);
        list.add((Record) existing);
        node.setSlot(at, list);
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

    /** Returns the node of a name, adding an empty one if there is none. */
    private Node nodeFor(Name owner) {
      @Nullable Node[] t = table;
      int mask = t.length - 1;
      for (int i = NameTable.home(owner, mask); ; i = (i + 1) & mask) {
        Node held = t[i];
        if (held == null) {
          Node node = new Node(owner);
          t[i] = node;
          if (inOrderSize == inOrder.length) {
            inOrder = Arrays.copyOf(inOrder, inOrderSize * 2);
          }
          inOrder[inOrderSize++] = node;
          if (++tableSize > NameTable.maxSize(t.length)) {
            table = NameTable.grow(t);
          }
          return node;
        }
        if (held.owner == owner || held.owner.equals(owner)) {
          return held;
        }
      }
    }

    /**
     * Adds every record of a set, as {@link #add(Record)}.
     *
     * @param set the RRset
     * @return this builder
     * @throws IllegalArgumentException as {@link #add(Record)}
     */
    public Builder add(RecordSet set) {
      Record first = set.first();
      add(first);
      Node node = Objects.requireNonNull(lastNode);
      int at = node.typeIndex(set.type());
      if (node.slotAt(at) == first && RecordSet.sameSpelling(set.owner(), node.owner)) {
        // New at its name and spelled as the name: the zone built holds this very RRset, so a
        // flattened zone shares its source's and its siblings' RRsets rather than copies.
        node.setSlot(at, set);
        return this;
      }
      boolean rest = false;
      for (Record r : set) {
        if (rest) {
          add(r);
        }
        rest = true;
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
      if (built != null) {
        thaw();
      }
      Node node = NameTable.find(table, owner);
      if (node != null) {
        node.removeType(type);
        if (node.isEmpty()) {
          remove(owner);
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
      if (built != null) {
        thaw();
      }
      Node node = NameTable.remove(table, owner);
      if (node != null) {
        node.markRemoved();
        tableSize--;
      }
      return this;
    }

    /**
     * Returns an immutable snapshot of the records added so far.
     *
     * @return the zone
     */
    public Zone build() {
      Zone zone = built;
      if (zone != null) {
        // Unchanged since: another snapshot of the same (immutable) nodes.
        return new Zone(origin, zone.tables, zone.ordered, zone.recordCount, zone.setCount);
      }
      if (inOrderSize > tableSize) {
        int kept = 0;
        for (int i = 0; i < inOrderSize; i++) {
          if (!inOrder[i].removed()) {
            inOrder[kept++] = inOrder[i];
          }
        }
        Arrays.fill(inOrder, kept, inOrderSize, null);
        inOrderSize = kept;
      }
      int n = inOrderSize;
      char[][] keys = new char[n][];
      // Every name ends in the origin: leave its labels (but the root) out of the sort keys.
      int originLabels = origin.labels() - 1;
      long count = 0;
      int setCount = 0;
      for (int i = 0; i < n; i++) {
        Node node = inOrder[i];
        count += node.seal();
        setCount += node.size();
        keys[i] = CanonicalOrder.key(node.owner, originLabels);
      }
      // Sorting on precomputed keys is several times faster than Name.compareTo, which
      // re-walks the shared suffix (the origin) label by label on every comparison.
      int[] order = CanonicalOrder.sort(keys);
      Node[] sorted = new Node[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = inOrder[order[i]];
      }
      if (parts > 1) {
        // kept for join, which merges the parts' orders on these keys
        char[][] inOrderKeys = new char[n][];
        for (int i = 0; i < n; i++) {
          inOrderKeys[i] = keys[order[i]];
        }
        sortedKeys = inOrderKeys;
      }
      zone =
          new Zone(
              origin,
              new Node[][] {table},
              Collections.unmodifiableList(Arrays.asList(sorted)),
              count,
              setCount);
      built = zone;
      return zone;
    }

    /**
     * Before the first change after {@link #build()}: takes copies of the nodes the zone now
     * holds, in a table of the builder's own, so the zone stays as it was built.
     */
    private void thaw() {
      @Nullable Node[] copies = new Node[table.length];
      Node[] order = new Node[Math.max(16, inOrderSize)];
      int mask = copies.length - 1;
      for (int i = 0; i < inOrderSize; i++) {
        Node copy = inOrder[i].unsealedCopy();
        order[i] = copy;
        int at = NameTable.home(copy.owner, mask);
        while (copies[at] != null) {
          at = (at + 1) & mask;
        }
        copies[at] = copy;
      }
      table = copies;
      inOrder = order;
      lastNode = null;
      built = null;
      sortedKeys = null;
    }
  }

  /**
   * Returns which builder of a {@link Builder#split split} into this many parts takes records
   * owned by a name: the index of the one whose {@link Builder#takes} is true. The same for
   * every spelling of the name (RFC 4343).
   *
   * @param owner the owner name
   * @param parts how many parts, from 1 to 64
   * @return the part's index, from 0 to {@code parts - 1}
   * @throws IllegalArgumentException if parts is out of range
   * @since 0.2
   */
  public static int partOf(Name owner, int parts) {
    if (parts < 1 || parts > 64) {
      throw new IllegalArgumentException("parts must be from 1 to 64: " + parts);
    }
    return parts == 1 ? 0 : NameTable.part(owner, parts);
  }

  /**
   * Joins the parts of one {@link Builder#split split} into one zone: the same zone one builder
   * given every record would build. Each part is built first if it changed since its last
   * {@link Builder#build()}; building each part on its own thread beforehand seals and sorts
   * the parts in parallel, and leaves this a merge of their canonical orders (RFC 4034 §6.1).
   * The zone holds the parts' nodes as a built zone holds its builder's: a part changed
   * afterwards first copies them.
   *
   * @param parts every builder of one split, in the order {@code split} returned them
   * @return the zone
   * @throws IllegalArgumentException if the builders are not all the parts of one split, in
   *     order
   * @since 0.2
   */
  public static Zone join(List<Builder> parts) {
    int count = parts.size();
    List<Builder> split = count == 0 ? null : parts.get(0).split;
    if (split == null || split.size() != count) {
      throw new IllegalArgumentException("not all the parts of one split: " + count + " builders");
    }
    for (int p = 0; p < count; p++) {
      if (parts.get(p) != split.get(p)) {
        throw new IllegalArgumentException("not all the parts of one split, in order");
      }
    }
    Builder first = parts.get(0);
    @Nullable Node[][] tables = new Node[count][];
    @SuppressWarnings("unchecked")
    List<Node>[] orders = new List[count];
    char[][][] keys = new char[count][][];
    long records = 0;
    int sets = 0;
    int names = 0;
    for (int p = 0; p < count; p++) {
      Builder b = parts.get(p);
      Zone z = b.build();
      char[][] k = b.sortedKeys;
      if (k == null) {
        // built before by a path that did not keep them: the same keys again
        k = new char[z.ordered.size()][];
        int originLabels = first.origin.labels() - 1;
        for (int i = 0; i < k.length; i++) {
          k[i] = CanonicalOrder.key(z.ordered.get(i).owner, originLabels);
        }
      }
      b.sortedKeys = null; // the merge below is their last use
      tables[p] = z.tables[0];
      orders[p] = z.ordered;
      keys[p] = k;
      records += z.recordCount;
      sets += z.setCount;
      names += z.ordered.size();
    }
    // A merge of the parts' canonical orders: the names are disjoint, so no key repeats.
    Node[] merged = new Node[names];
    int[] next = new int[count];
    for (int i = 0; i < names; i++) {
      int best = -1;
      for (int p = 0; p < count; p++) {
        if (next[p] < keys[p].length
            && (best < 0 || Arrays.compare(keys[p][next[p]], keys[best][next[best]]) < 0)) {
          best = p;
        }
      }
      merged[i] = orders[best].get(next[best]++);
    }
    return new Zone(
        first.origin, tables, Collections.unmodifiableList(Arrays.asList(merged)), records, sets);
  }

  /**
   * An open-addressed hash table of nodes by owner name (linear probing, at most three
   * quarters full): a reference per slot, where a {@code HashMap} keeps an entry object per
   * name. Look-ups ignore case, as {@link Name#equals} does.
   */
  private static final class NameTable {
    static final int MIN_CAPACITY = 16;

    private NameTable() {}

    /** The first slot to probe for a name: its hash spread over the table (Fibonacci hashing). */
    static int home(Name name, int mask) {
      int h = name.hashCode() * 0x9E3779B9;
      return (h ^ (h >>> 16)) & mask;
    }

    /** The part of a split a name belongs to: the top bits of its spread hash. */
    static int part(Name name, int parts) {
      int h = name.hashCode() * 0x9E3779B9;
      return (int) (((long) (h >>> 1) * parts) >>> 31);
    }

    static int maxSize(int capacity) {
      return capacity / 4 * 3;
    }

    static @Nullable Node find(@Nullable Node[] table, Name owner) {
      int mask = table.length - 1;
      for (int i = home(owner, mask); ; i = (i + 1) & mask) {
        Node held = table[i];
        if (held == null) {
          return null;
        }
        if (held.owner == owner || held.owner.equals(owner)) {
          return held;
        }
      }
    }

    static @Nullable Node[] grow(@Nullable Node[] table) {
      return resize(table, table.length * 2);
    }

    static @Nullable Node[] resize(@Nullable Node[] table, int capacity) {
      @Nullable Node[] bigger = new Node[capacity];
      int mask = bigger.length - 1;
      for (Node node : table) {
        if (node != null) {
          int at = home(node.owner, mask);
          while (bigger[at] != null) {
            at = (at + 1) & mask;
          }
          bigger[at] = node;
        }
      }
      return bigger;
    }

    /**
     * Removes a name's node, moving back the nodes probed past its slot so that every node
     * stays reachable from its home slot without markers of deleted entries.
     */
    static @Nullable Node remove(@Nullable Node[] table, Name owner) {
      int mask = table.length - 1;
      int i = home(owner, mask);
      Node found;
      while (true) {
        found = table[i];
        if (found == null) {
          return null;
        }
        if (found.owner == owner || found.owner.equals(owner)) {
          break;
        }
        i = (i + 1) & mask;
      }
      int hole = i;
      for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
        Node next = table[j];
        if (next == null) {
          break;
        }
        int home = home(next.owner, mask);
        // The node at j may move into the hole unless its home lies cyclically in (hole, j].
        boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
        if (!stays) {
          table[hole] = next;
          hole = j;
        }
      }
      table[hole] = null;
      return found;
    }
  }

  /**
   * The RRsets of one name, by ascending type code: while building, each slot holds a single
   * {@link Record} or, once a second arrives, a {@code List<Record>}; once sealed into a zone,
   * a {@link RecordSet}, and the node is the zone's unmodifiable list of them. Most names hold
   * one or two RRsets of one record each, and a zone can have millions of names: the first
   * slot lives in fields, so a name with one type costs no arrays, and the node is its own
   * list.
   */
  private static final class Node extends AbstractList<RecordSet> implements RandomAccess {
    private static final int[] NO_TYPES = new int[0];
    private static final Object[] NO_SLOTS = new Object[0];

    final Name owner;
    /** The number of RRsets; -1 once removed from the builder. */
    private int size;
    private int type0;
    private @Nullable Object slot0;
    private int[] types = NO_TYPES;
    private @Nullable Object[] slots = NO_SLOTS;

    Node(Name owner) {
      this.owner = owner;
    }

    boolean removed() {
      return size < 0;
    }

    void markRemoved() {
      size = -1;
    }

    @Override
    public boolean isEmpty() {
      return size <= 0;
    }

    @Override
    public int size() {
      return Math.max(size, 0);
    }

    @Override
    public RecordSet get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return (RecordSet) slotAt(index);
    }

    int typeAt(int i) {
      return i == 0 ? type0 : types[i - 1];
    }

    Object slotAt(int i) {
      return Objects.requireNonNull(i == 0 ? slot0 : slots[i - 1]);
    }

    void setSlot(int i, Object slot) {
      if (i == 0) {
        slot0 = slot;
      } else {
        slots[i - 1] = slot;
      }
    }

    private void set(int i, int type, @Nullable Object slot) {
      if (i == 0) {
        type0 = type;
        slot0 = slot;
      } else {
        types[i - 1] = type;
        slots[i - 1] = slot;
      }
    }

    int typeIndex(int type) {
      for (int i = 0; i < size; i++) {
        if (typeAt(i) == type) {
          return i;
        }
      }
      return -1;
    }

    void insert(int type, Object value) {
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

    void removeType(int type) {
      int i = typeIndex(type);
      if (i < 0) {
        return;
      }
      for (int j = i; j < size - 1; j++) {
        set(j, typeAt(j + 1), slotAt(j + 1));
      }
      size--;
      set(size, 0, null);
    }

    /** Turns each slot into its RRset; returns the number of records. */
    long seal() {
      long records = 0;
      for (int i = 0; i < size; i++) {
        Object slot = slotAt(i);
        RecordSet set;
        if (slot instanceof RecordSet) {
          set = (RecordSet) slot;
        } else if (slot instanceof Record) {
          Record only = (Record) slot;
          set = RecordSet.of(RecordSet.sameSpelling(only.getName(), owner) ? only : only.withName(owner));
        } else {
          @SuppressWarnings("unchecked")
          List<Record> records0 = (List<Record>) slot;
          set = RecordSet.of(spelledAs(owner, records0));
        }
        setSlot(i, set);
        records += set.size();
      }
      return records;
    }

    /** A node for a builder again, with this sealed node's records. */
    Node unsealedCopy() {
      Node copy = new Node(owner);
      for (int i = 0; i < size; i++) {
        RecordSet set = (RecordSet) slotAt(i);
        Object slot = set.size() == 1 ? set.first() : new ArrayList<>(set.records());
        copy.insert(set.type(), slot);
      }
      return copy;
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
}
