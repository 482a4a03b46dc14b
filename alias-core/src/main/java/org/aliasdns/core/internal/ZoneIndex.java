package org.aliasdns.core.internal;

import org.aliasdns.core.Alias;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * How a name is found in one zone, the way an authoritative server looks it up (RFC 1034
 * §4.3.2): a delegation or a DNAME above the name takes precedence over data at it, and a name
 * that does not exist is answered from the wildcard at its closest encloser (RFC 4592 §3.3.1).
 * The one index of a zone that the validator judges, the answerer answers from and in-zone
 * alias targets are resolved through ({@link TargetWalk}), so none of them can find a name
 * differently from the others.
 *
 * <p>Every look-up walks the ancestors of one name with hash look-ups, never the zone. The
 * facts it needs come in two forms, chosen by the factory and invisible to the walk:
 *
 * <ul>
 *   <li>{@link #of(Zone)} precomputes a {@link Node} for every name and the set of every name
 *       that exists (empty non-terminals included), for answering, where each query must cost a
 *       few hash look-ups;
 *   <li>{@link #of(Zone, List, Set, Map, boolean)} takes the facts a single pass over the zone
 *       has already gathered, makes nodes on demand and finds empty non-terminals by binary
 *       search, for a one-time check of a zone of millions of records, where precomputing would
 *       double the memory.
 * </ul>
 *
 * <p>Thread-safe: immutable apart from each node's answer memo.
 */
public final class ZoneIndex {
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  /** The RRsets at one name, with what look-ups and answers ask of them found once. */
  public static final class Node {
    private final Name owner;
    private final List<RecordSet> sets;
    private final boolean apex;
    private final @Nullable RecordSet cname;
    private final @Nullable RecordSet alias;
    private final @Nullable Name cnameTarget;
    private final @Nullable Name aliasTarget;

    /**
     * Whether the answerer found the target it synthesizes from here inside a served zone; null
     * until it asks. The answer never changes for one answerer, which owns its index.
     */
    private volatile @Nullable Boolean targetServed;

    /**
     * The addresses last synthesized here by the answerer, so that the next query with the
     * same resolution and TTL only renames them. A one-entry memo: the holder is immutable and
     * published through a volatile field, so a race at worst builds the records twice.
     */
    private volatile @Nullable SynthesizedAddresses last;

    /** The alias here under the answerer's policy ({@link Alias#in}), once it has looked. */
    private volatile @Nullable Alias aliasUnder;

    /** Whether {@link #aliasUnder} has been looked for; written after it. */
    private volatile boolean aliasNoted;

    Node(Name owner, List<RecordSet> sets, boolean apex) {
      this.owner = owner;
      this.sets = sets;
      this.apex = apex;
      RecordSet cnameSet = null;
      RecordSet aliasSet = null;
      for (RecordSet set : sets) {
        if (set.type() == Type.CNAME) {
          cnameSet = set;
        } else if (aliasSet == null && AliasRecord.isAliasType(set.type())) {
          // ANAME (65305) sorts before ALIAS (65401); the validator reports having both.
          aliasSet = set;
        }
      }
      this.cname = cnameSet;
      this.alias = aliasSet;
      this.cnameTarget = cnameSet == null ? null : ((CNAMERecord) cnameSet.first()).getTarget();
      this.aliasTarget = aliasSet == null ? null : ((AliasRecord) aliasSet.first()).getTarget();
    }

    /**
     * Returns the owner name, in the case the zone holds it.
     *
     * @return the owner (for a wildcard node, the {@code *} name)
     */
    public Name owner() {
      return owner;
    }

    /**
     * Returns the RRsets at this name.
     *
     * @return the sets by ascending type code; empty for an empty non-terminal wildcard
     */
    public List<RecordSet> sets() {
      return sets;
    }

    /**
     * Tells whether this is the zone apex.
     *
     * @return true at the origin
     */
    public boolean apex() {
      return apex;
    }

    /**
     * Returns the CNAME RRset here.
     *
     * @return the set, or null
     */
    public @Nullable RecordSet cname() {
      return cname;
    }

    /**
     * Returns the alias RRset here: the ANAME if there is one, else the ALIAS.
     *
     * @return the set, or null
     */
    public @Nullable RecordSet alias() {
      return alias;
    }

    /**
     * Returns the target of the alias record here.
     *
     * @return the target of the first record of {@link #alias()}, or null
     */
    public @Nullable Name aliasTarget() {
      return aliasTarget;
    }

    /**
     * Returns the target of the CNAME here.
     *
     * @return the CNAME's target, or null
     */
    public @Nullable Name cnameTarget() {
      return cnameTarget;
    }

    /**
     * Returns the RRset of one type.
     *
     * @param type the type code
     * @return the set, or null
     */
    public @Nullable RecordSet get(int type) {
      List<RecordSet> list = sets;
      for (int i = 0, n = list.size(); i < n; i++) {
        RecordSet set = list.get(i);
        if (set.type() == type) {
          return set;
        }
      }
      return null;
    }

    /**
     * Tells whether an RRset of one type is here.
     *
     * @param type the type code
     * @return true if {@link #get} finds one
     */
    public boolean has(int type) {
      return get(type) != null;
    }

    /**
     * Returns what the answerer noted about its synthesis target here.
     *
     * @return true if the target is inside a served zone, false if not, null if not yet noted
     */
    public @Nullable Boolean targetServed() {
      return targetServed;
    }

    /**
     * Notes whether the answerer's synthesis target here is inside a served zone.
     *
     * @param served the answer
     */
    public void targetServed(boolean served) {
      targetServed = served;
    }

    /**
     * Returns the answerer's memo of the addresses it last synthesized here.
     *
     * @return the memo, or null
     */
    public @Nullable SynthesizedAddresses synthesized() {
      return last;
    }

    /**
     * Replaces the answerer's memo.
     *
     * @param memo the addresses just synthesized
     */
    public void synthesized(SynthesizedAddresses memo) {
      last = memo;
    }

    /**
     * Returns the alias here under the answerer's policy, found once: the answerer owns its
     * index, and the policy never changes for it.
     *
     * @param policy the answerer's policy
     * @return the alias ({@link Alias#in}), or null if this name is no alias under the policy
     */
    public @Nullable Alias aliasUnder(FlatteningPolicy policy) {
      if (aliasNoted) {
        return aliasUnder;
      }
      Alias found = Alias.in(sets, apex, policy);
      aliasUnder = found;
      aliasNoted = true;
      return found;
    }
  }

  /** A wildcard that exists with no data of its own: it matches, with NODATA (RFC 4592 §4.1). */
  private static final Node ENT_WILDCARD = new Node(Name.root, List.of(), false);

  /** What {@link #find} found for a name. */
  public enum Kind {
    /** The name is not at or below the zone origin. */
    OUTSIDE,
    /** The name is at or below a delegation point (a non-apex NS RRset). */
    DELEGATED,
    /** The name is below a DNAME, which rewrites it. */
    BELOW_DNAME,
    /** The name exists, its own RRsets or its wildcard's answer for it; possibly none. */
    DATA,
    /** The name does not exist and no wildcard answers for it (RFC 1034 §4.3.2 step 3c). */
    NO_NAME
  }

  /**
   * The result of one {@link #find}.
   *
   * @param kind what was found
   * @param at the delegation point or DNAME owner; for {@link Kind#DATA} the name whose RRsets
   *     answer (the name itself or a wildcard); null otherwise
   * @param node for {@link Kind#DATA}, the RRsets that answer, or null for an empty
   *     non-terminal
   * @param dname for {@link Kind#BELOW_DNAME}, the DNAME record
   */
  public record Lookup(
      Kind kind, @Nullable Name at, @Nullable Node node, @Nullable DNAMERecord dname) {
    static final Lookup OUTSIDE = new Lookup(Kind.OUTSIDE, null, null, null);
    static final Lookup NO_NAME = new Lookup(Kind.NO_NAME, null, null, null);

    /**
     * Returns the RRset of a type that was found.
     *
     * @param type the type code
     * @return the set, or null
     */
    public @Nullable RecordSet get(int type) {
      Node n = node;
      return n == null ? null : n.get(type);
    }

    /**
     * Tells whether an RRset of a type was found.
     *
     * @param type the type code
     * @return true if {@link #get} finds one
     */
    public boolean has(int type) {
      return get(type) != null;
    }
  }

  private final Zone zone;
  private final Name origin;
  private final int originLabels;
  /** Every node, when precomputed; null when nodes are made on demand. */
  private final @Nullable Map<Name, Node> nodes;
  /** Every name that exists (RFC 4592 §2.2.2), when precomputed; else null. */
  private final @Nullable Set<Name> existing;
  /** The zone's names in canonical order, when existence is found by binary search; else null. */
  private final @Nullable List<Name> sortedNames;
  private final Set<Name> delegations;
  private final Map<Name, DNAMERecord> dnames;
  /** Labels of the deepest delegation or DNAME owner; 0 if there is none. */
  private final int deepestCut;
  private final boolean wildcards;
  private final @Nullable SOARecord negativeSoa;

  private ZoneIndex(
      Zone zone,
      @Nullable Map<Name, Node> nodes,
      @Nullable Set<Name> existing,
      @Nullable List<Name> sortedNames,
      Set<Name> delegations,
      Map<Name, DNAMERecord> dnames,
      boolean wildcards) {
    this.zone = zone;
    this.origin = zone.origin();
    this.originLabels = origin.labels();
    this.nodes = nodes;
    this.existing = existing;
    this.sortedNames = sortedNames;
    this.delegations = delegations;
    this.dnames = dnames;
    int deepest = 0;
    for (Name cut : delegations) {
      deepest = Math.max(deepest, cut.labels());
    }
    for (Name owner : dnames.keySet()) {
      deepest = Math.max(deepest, owner.labels());
    }
    this.deepestCut = deepest;
    this.wildcards = wildcards;
    Optional<SOARecord> soa = zone.soa(); // no method reference: see of()
    this.negativeSoa = soa.isPresent() ? negative(soa.get()) : null;
  }

  /**
   * Indexes a zone for answering: one pass that makes every node and records every name that
   * exists, so that each look-up is a few hash look-ups.
   *
   * @param zone the zone snapshot
   * @return the index
   */
  public static ZoneIndex of(Zone zone) {
    Name origin = zone.origin();
    int originLabels = origin.labels();
    Map<Name, Node> map = new HashMap<>(Math.max(16, zone.size() * 4 / 3 + 1));
    Set<Name> exist = new HashSet<>();
    Set<Name> cuts = new HashSet<>();
    Map<Name, DNAMERecord> dnameMap = new HashMap<>();
    boolean[] wild = {false};
    exist.add(origin);
    // An anonymous class, not a lambda: the first fake or server of a JVM indexes its zones on
    // the way to its first answer, where a lambda's first use spins a class (issue 14).
    zone.forEachName(
        new BiConsumer<Name, List<RecordSet>>() {
          @Override
          public void accept(Name name, List<RecordSet> sets) {
            boolean apex = name.equals(origin);
            Node node = new Node(name, sets, apex);
            map.put(name, node);
            for (Name n = name; n.labels() > originLabels && exist.add(n); n = new Name(n, 1)) {
              // every ancestor of a name with data exists
            }
            if (!apex && node.has(Type.NS)) {
              cuts.add(name);
            }
            RecordSet dname = node.get(Type.DNAME);
            if (dname != null) {
              dnameMap.put(name, (DNAMERecord) dname.first());
            }
            wild[0] |= name.isWild();
          }
        });
    return new ZoneIndex(zone, map, exist, null, cuts, dnameMap, wild[0]);
  }

  /**
   * Indexes a zone with nodes made on demand, from facts gathered in one pass over it.
   *
   * @param zone the zone snapshot
   * @param sortedNames the zone's names in canonical order, as {@link Zone#names()} returns
   * @param delegations the owners of non-apex NS RRsets
   * @param dnames the DNAME record at each DNAME owner
   * @param wildcards whether any name's first label is {@code *}
   * @return the index
   */
  public static ZoneIndex of(
      Zone zone,
      List<Name> sortedNames,
      Set<Name> delegations,
      Map<Name, DNAMERecord> dnames,
      boolean wildcards) {
    return new ZoneIndex(zone, null, null, sortedNames, delegations, dnames, wildcards);
  }

  /**
   * Indexes a zone with nodes made on demand, gathering the facts in one pass of its own: for
   * the few look-ups of in-zone alias targets that flattening makes.
   *
   * @param zone the zone snapshot
   * @return the index
   */
  public static ZoneIndex onDemand(Zone zone) {
    Facts facts = new Facts(zone.origin(), zone.size());
    zone.forEachName(facts);
    return of(zone, facts.names, facts.cuts, facts.dnames, facts.wildcards);
  }

  /**
   * What {@link #onDemand} gathers in its pass: names, delegation points, DNAMEs, wildcards. A
   * class, not a lambda: every fake upstream's first zone is indexed this way, and a lambda's
   * first use spins a class (issue 14's cold start).
   */
  private static final class Facts implements BiConsumer<Name, List<RecordSet>> {
    private final Name origin;
    final List<Name> names;
    final Set<Name> cuts = new HashSet<>();
    final Map<Name, DNAMERecord> dnames = new HashMap<>();
    boolean wildcards;

    Facts(Name origin, int size) {
      this.origin = origin;
      this.names = new ArrayList<>(size);
    }

    @Override
    public void accept(Name name, List<RecordSet> sets) {
      names.add(name);
      for (RecordSet set : sets) {
        if (set.type() == Type.NS && !name.equals(origin)) {
          cuts.add(name);
        } else if (set.type() == Type.DNAME) {
          dnames.put(name, (DNAMERecord) set.first());
        }
      }
      wildcards |= name.isWild();
    }
  }

  /** RFC 2308 §3: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM). */
  private static SOARecord negative(SOARecord soa) {
    return withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum()));
  }

  /**
   * Returns the SOA with another TTL, for the authority section of a negative answer.
   *
   * @param soa the SOA record
   * @param ttl the TTL in seconds
   * @return a copy with that TTL
   */
  public static SOARecord withTtl(SOARecord soa, long ttl) {
    return new SOARecord(
        soa.getName(),
        DClass.IN,
        ttl,
        soa.getHost(),
        soa.getAdmin(),
        soa.getSerial(),
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  /**
   * Returns the zone indexed.
   *
   * @return the snapshot
   */
  public Zone zone() {
    return zone;
  }

  /**
   * Returns the zone origin.
   *
   * @return the origin
   */
  public Name origin() {
    return origin;
  }

  /**
   * Returns the SOA for negative answers, its TTL already min(SOA TTL, SOA MINIMUM) (RFC 2308
   * §3, §5).
   *
   * @return the SOA, or null if the zone has none
   */
  public @Nullable SOARecord negativeSoa() {
    return negativeSoa;
  }

  /**
   * Returns the node at exactly this name, ignoring delegations, DNAMEs and wildcards.
   *
   * @param name an absolute name
   * @return the node, or null if the name holds no records
   */
  public @Nullable Node node(Name name) {
    Map<Name, Node> map = nodes;
    if (map != null) {
      return map.get(name);
    }
    List<RecordSet> sets = zone.recordSets(name);
    return sets.isEmpty() ? null : new Node(sets.get(0).owner(), sets, name.equals(origin));
  }

  /**
   * Tells whether a name exists: holds data, or is an empty non-terminal (RFC 4592 §2.2.2, RFC
   * 8020). Without the precomputed set, the first name at or after it in canonical order tells,
   * since a name's descendants follow it directly in that order.
   *
   * @param name an absolute name at or below the origin
   * @return true if it exists
   */
  public boolean exists(Name name) {
    Set<Name> set = existing;
    if (set != null) {
      return set.contains(name);
    }
    if (name.equals(origin) || zone.contains(name)) {
      return true;
    }
    List<Name> names = sortedNames;
    if (names == null) {
      return false; // cannot happen: one of the two forms is always there
    }
    int at = -Collections.binarySearch(names, name) - 1;
    return at < names.size() && names.get(at).subdomain(name);
  }

  /**
   * Tells whether a name is a delegation point: a non-apex name with NS records.
   *
   * @param name an absolute name
   * @return true if it is
   */
  public boolean isDelegation(Name name) {
    return delegations.contains(name);
  }

  /**
   * Returns the DNAME at a name.
   *
   * @param owner an absolute name
   * @return the DNAME record, or null
   */
  public @Nullable DNAMERecord dname(Name owner) {
    return dnames.get(owner);
  }

  /**
   * Returns the first delegation point or DNAME owner met walking from the origin down towards
   * the name, strictly above it (RFC 1034 §4.3.2 step 3b; RFC 6672 §3.2). The name itself is
   * not checked: a delegation at the name is the caller's to judge (DS is answered from the
   * parent side there, RFC 4035 §3.1.4.1) and a DNAME does not apply to its owner.
   *
   * @param name an absolute name at or below the origin
   * @return the cut or DNAME owner, or null
   */
  public @Nullable Name cutAbove(Name name) {
    int labels = name.labels();
    int stop = Math.min(labels - 1, deepestCut);
    if (stop < originLabels) {
      return null;
    }
    // The origin can hold a DNAME (not a delegation): it applies to every name below it.
    if (labels > originLabels && dnames.containsKey(origin)) {
      return origin;
    }
    for (int l = originLabels + 1; l <= stop; l++) {
      Name ancestor = new Name(name, labels - l);
      if (delegations.contains(ancestor) || dnames.containsKey(ancestor)) {
        return ancestor;
      }
    }
    return null;
  }

  /**
   * RFC 4592 §3.3.1: for a name that does not exist, the wildcard child of its closest
   * encloser.
   *
   * @param name an absolute name below the origin that does not exist
   * @return the wildcard's node; an empty node when the wildcard exists only as an empty
   *     non-terminal; null when there is no such wildcard
   */
  public @Nullable Node wildcard(Name name) {
    if (!wildcards) {
      return null;
    }
    Name encloser = new Name(name, 1);
    while (!exists(encloser)) {
      encloser = new Name(encloser, 1);
    }
    Name wild;
    try {
      wild = Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
    Node node = node(wild);
    if (node == null && exists(wild)) {
      return ENT_WILDCARD;
    }
    return node;
  }

  /**
   * Looks a name up as RFC 1034 §4.3.2 step 3 does, for a question of no particular type: a
   * delegation at or above the name, else a DNAME above it, else its data or its wildcard's.
   *
   * @param name an absolute name
   * @return what was found
   */
  public Lookup find(Name name) {
    if (!name.subdomain(origin)) {
      return Lookup.OUTSIDE;
    }
    Name cut = cutAbove(name);
    if (cut != null) {
      DNAMERecord dname = dnames.get(cut);
      if (dname == null || delegations.contains(cut)) {
        return new Lookup(Kind.DELEGATED, cut, null, null);
      }
      return new Lookup(Kind.BELOW_DNAME, cut, null, dname);
    }
    if (delegations.contains(name)) {
      return new Lookup(Kind.DELEGATED, name, null, null);
    }
    Node node = node(name);
    if (node != null) {
      return new Lookup(Kind.DATA, node.owner(), node, null);
    }
    if (exists(name)) {
      return new Lookup(Kind.DATA, name, null, null); // an empty non-terminal
    }
    Node wild = wildcard(name);
    if (wild == null) {
      return Lookup.NO_NAME;
    }
    return new Lookup(Kind.DATA, wild == ENT_WILDCARD ? name : wild.owner(), wild, null);
  }

  /**
   * Returns the address RRsets (A, then AAAA) held at exactly this name, for the additional
   * section and for glue.
   *
   * @param name an absolute name
   * @param out receives the records
   */
  public void addresses(Name name, List<Record> out) {
    Node node = node(name);
    if (node == null) {
      return;
    }
    RecordSet a = node.get(Type.A);
    if (a != null) {
      out.addAll(a.records());
    }
    RecordSet aaaa = node.get(Type.AAAA);
    if (aaaa != null) {
      out.addAll(aaaa.records());
    }
  }
}
