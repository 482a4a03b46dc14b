package org.aliasdns.core.answer;

import org.aliasdns.core.Alias;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.internal.ZoneLookup;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What {@link QueryAnswerer} needs to know about one zone snapshot under one policy, gathered
 * in a single pass so that each query costs a few hash look-ups: every name that exists
 * (including empty non-terminals), the delegation points, the DNAMEs, the alias at each name
 * and the SOA to put in negative answers.
 *
 * <p>This is the idea of {@link ZoneLookup}, which the validator owns, with existence
 * precomputed as a hash set instead of a binary search, since answering is the hot path.
 */
final class AnswerIndex {
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  /** The RRsets at one name, with what answering asks of them precomputed. */
  static final class Node {
    final Name owner;
    final List<RecordSet> sets;
    final @Nullable RecordSet cname;
    /** The alias here under the policy's scope ({@link Alias#at}), or null. */
    final @Nullable Alias alias;
    /** True when the alias comes from a CNAME the policy flattens. */
    final boolean flattenedCname;
    /**
     * The addresses last synthesized here, so that the next query with the same resolution and
     * TTL only renames them. A one-entry memo: the holder is immutable and published through a
     * volatile field, so a race at worst builds the records twice.
     */
    volatile @Nullable Synthesized last;

    Node(Name owner, List<RecordSet> sets, @Nullable Alias alias) {
      this.owner = owner;
      this.sets = sets;
      RecordSet cnameSet = null;
      for (RecordSet set : sets) {
        if (set.type() == Type.CNAME) {
          cnameSet = set;
        }
      }
      this.cname = cnameSet;
      this.alias = alias;
      this.flattenedCname = alias != null && alias.isFlattenedCname();
    }

    @Nullable RecordSet get(int type) {
      List<RecordSet> list = sets;
      for (int i = 0, n = list.size(); i < n; i++) {
        RecordSet set = list.get(i);
        if (set.type() == type) {
          return set;
        }
      }
      return null;
    }
  }

  /** A wildcard that exists with no data of its own: it matches, with NODATA. */
  static final Node ENT_WILDCARD = new Node(Name.root, List.of(), null);

  /** Address records built for one resolution at one TTL, owned by the node's name. */
  static final class Synthesized {
    final Object source;
    final long ttl;
    final Record[] records;

    Synthesized(Object source, long ttl, Record[] records) {
      this.source = source;
      this.ttl = ttl;
      this.records = records;
    }
  }

  private final Zone zone;
  private final Name origin;
  private final int originLabels;
  private final Map<Name, Node> nodes;
  /** Names with data and every ancestor of them down to the origin (RFC 4592 §2.2.2). */
  private final Set<Name> existing;
  private final Set<Name> delegations;
  private final Map<Name, DNAMERecord> dnames;
  /** Labels of the deepest delegation or DNAME owner; 0 if there is none. */
  private final int deepestCut;
  private final boolean wildcards;
  private final @Nullable SOARecord negativeSoa;

  AnswerIndex(Zone zone, FlatteningPolicy policy) {
    this.zone = zone;
    this.origin = zone.origin();
    this.originLabels = origin.labels();
    List<Name> names = zone.names();
    Map<Name, Node> map = new HashMap<>(Math.max(16, names.size() * 4 / 3 + 1));
    Set<Name> exist = new HashSet<>();
    Set<Name> cuts = new HashSet<>();
    Map<Name, DNAMERecord> dnameMap = new HashMap<>();
    int deepest = 0;
    boolean wild = false;
    exist.add(origin);
    for (Name name : names) {
      boolean apex = name.equals(origin);
      Node node =
          new Node(name, zone.recordSets(name), Alias.at(zone, name, policy).orElse(null));
      map.put(name, node);
      for (Name n = name; n.labels() > originLabels && exist.add(n); n = new Name(n, 1)) {
        // every ancestor of a name with data exists
      }
      if (!apex && node.get(Type.NS) != null) {
        cuts.add(name);
        deepest = Math.max(deepest, name.labels());
      }
      RecordSet dname = node.get(Type.DNAME);
      if (dname != null) {
        dnameMap.put(name, (DNAMERecord) dname.first());
        deepest = Math.max(deepest, name.labels());
      }
      wild |= name.isWild();
    }
    this.nodes = map;
    this.existing = exist;
    this.delegations = cuts;
    this.dnames = dnameMap;
    this.deepestCut = deepest;
    this.wildcards = wild;
    this.negativeSoa = zone.soa().map(AnswerIndex::negative).orElse(null);
  }

  /** RFC 2308 §3: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM). */
  private static SOARecord negative(SOARecord soa) {
    return withTtl(soa, Math.min(soa.getTTL(), soa.getMinimum()));
  }

  /** The SOA with another TTL, for the authority section of a negative answer. */
  static SOARecord withTtl(SOARecord soa, long ttl) {
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

  Zone zone() {
    return zone;
  }

  Name origin() {
    return origin;
  }

  /** The SOA for negative answers, with its TTL already reduced; null if the zone has none. */
  @Nullable SOARecord negativeSoa() {
    return negativeSoa;
  }

  /** The RRsets at exactly this name, or null if it holds none. */
  @Nullable Node node(Name name) {
    return nodes.get(name);
  }

  /** Whether a name exists: holds data or is an empty non-terminal (RFC 8020, RFC 4592). */
  boolean exists(Name name) {
    return existing.contains(name);
  }

  boolean isDelegation(Name name) {
    return delegations.contains(name);
  }

  /**
   * The first delegation point or DNAME owner met walking from the origin down towards the
   * name, strictly above it (RFC 1034 §4.3.2 step 3b; RFC 6672 §3.2), or null. The name
   * itself is not checked: a delegation at the name is the caller's to judge (DS is answered
   * from the parent side there, RFC 4035 §3.1.4.1) and a DNAME does not apply to its owner.
   */
  @Nullable Name cutAbove(Name name) {
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

  /** The DNAME at a name, or null. */
  @Nullable DNAMERecord dname(Name owner) {
    return dnames.get(owner);
  }

  /**
   * RFC 4592 §3.3.1: for a name that does not exist, the wildcard child of its closest
   * encloser. Returns null when there is no such wildcard; returns {@link #ENT_WILDCARD} when
   * the wildcard exists only as an empty non-terminal.
   */
  @Nullable Node wildcard(Name name) {
    if (!wildcards) {
      return null;
    }
    Name encloser = new Name(name, 1);
    while (!existing.contains(encloser)) {
      encloser = new Name(encloser, 1);
    }
    Name wild;
    try {
      wild = Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
    Node node = nodes.get(wild);
    if (node == null && existing.contains(wild)) {
      return ENT_WILDCARD;
    }
    return node;
  }

  /** The address RRsets (A, then AAAA) held at an in-zone name, for the additional section. */
  void addresses(Name name, List<Record> out) {
    Node node = nodes.get(name);
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
