package org.aliasdns.core.internal;

import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;

/**
 * Finds what a name leads to inside one zone, the way an authoritative server looks it up
 * (RFC 1034 §4.3.2): a delegation or a DNAME above the name takes precedence over data at it,
 * and a name that does not exist is answered from the wildcard at its closest encloser (RFC
 * 4592 §3.3.1). Each look-up walks the ancestors of one name with hash look-ups, never the
 * zone.
 */
public final class ZoneLookup {
  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

  /** What a look-up found. */
  public enum Kind {
    /** The name is not at or below the zone origin. */
    OUTSIDE,
    /** The name is at or below a delegation point (a non-apex NS RRset). */
    DELEGATED,
    /** The name is below a DNAME, which rewrites it. */
    BELOW_DNAME,
    /** The name's own RRsets, or its wildcard's; possibly none. */
    DATA
  }

  /**
   * The result of one look-up.
   *
   * @param kind what was found
   * @param at the delegation point or DNAME owner, or for {@link Kind#DATA} the name whose
   *     RRsets these are (the name itself or a wildcard); null for {@link Kind#OUTSIDE}
   * @param sets for {@link Kind#DATA}, the RRsets found (empty: no such name or no data)
   * @param dname for {@link Kind#BELOW_DNAME}, the DNAME record
   */
  public record Result(
      Kind kind, @Nullable Name at, List<RecordSet> sets, @Nullable DNAMERecord dname) {
    static final Result OUTSIDE = new Result(Kind.OUTSIDE, null, List.of(), null);

    /**
     * Tells whether an RRset of a type was found.
     *
     * @param type the type code
     * @return true if {@link #sets()} holds one
     */
    public boolean has(int type) {
      for (RecordSet set : sets) {
        if (set.type() == type) {
          return true;
        }
      }
      return false;
    }

    /**
     * Returns the RRset of a type that was found.
     *
     * @param type the type code
     * @return the set, or null
     */
    public @Nullable RecordSet get(int type) {
      for (RecordSet set : sets) {
        if (set.type() == type) {
          return set;
        }
      }
      return null;
    }
  }

  private final Zone zone;
  private final Name origin;
  private final int originLabels;
  private final List<Name> sortedNames;
  private final Set<Name> delegations;
  private final Map<Name, DNAMERecord> dnames;
  private final boolean wildcards;

  /**
   * Creates a look-up over facts gathered in one pass over the zone.
   *
   * @param sortedNames the zone's names in canonical order, as {@link Zone#names()} returns
   * @param delegations the owners of non-apex NS RRsets
   * @param dnames the DNAME record at each DNAME owner
   * @param wildcards whether any name's first label is {@code *}
   */
  public ZoneLookup(
      Zone zone,
      List<Name> sortedNames,
      Set<Name> delegations,
      Map<Name, DNAMERecord> dnames,
      boolean wildcards) {
    this.zone = zone;
    this.origin = zone.origin();
    this.originLabels = origin.labels();
    this.sortedNames = sortedNames;
    this.delegations = delegations;
    this.dnames = dnames;
    this.wildcards = wildcards;
  }

  public Name origin() {
    return origin;
  }

  /** The RRsets at exactly this name, ignoring delegations, DNAMEs and wildcards. */
  public List<RecordSet> setsAt(Name name) {
    return zone.recordSets(name);
  }

  /** Looks a name up. */
  public Result find(Name name) {
    if (!name.subdomain(origin)) {
      return Result.OUTSIDE;
    }
    Result above = walkDown(name);
    if (above != null) {
      return above;
    }
    if (!name.equals(origin) && delegations.contains(name)) {
      return new Result(Kind.DELEGATED, name, List.of(), null);
    }
    List<RecordSet> sets = zone.recordSets(name);
    if (sets.isEmpty() && wildcards && !exists(name)) {
      return wildcard(name);
    }
    return new Result(Kind.DATA, name, sets, null);
  }

  /** The first delegation point or DNAME met walking from the origin down to the parent. */
  private @Nullable Result walkDown(Name name) {
    if (delegations.isEmpty() && dnames.isEmpty()) {
      return null;
    }
    int extra = name.labels() - originLabels;
    for (int k = extra; k >= 1; k--) {
      Name ancestor = k == extra ? origin : new Name(name, k);
      if (k != extra && delegations.contains(ancestor)) {
        return new Result(Kind.DELEGATED, ancestor, List.of(), null);
      }
      DNAMERecord dname = dnames.get(ancestor);
      if (dname != null) {
        return new Result(Kind.BELOW_DNAME, ancestor, List.of(), dname);
      }
    }
    return null;
  }

  /**
   * Tells whether a name exists: holds data, or is an empty non-terminal (RFC 4592 §2.2.2).
   * In canonical order a name's descendants follow it directly, so the first name at or after
   * it in that order tells.
   */
  private boolean exists(Name name) {
    if (name.equals(origin) || zone.contains(name)) {
      return true;
    }
    List<Name> names = sortedNames;
    int at = -Collections.binarySearch(names, name) - 1;
    return at < names.size() && names.get(at).subdomain(name);
  }

  /** RFC 4592 §3.3.1: the wildcard child of the closest encloser answers for the name. */
  private Result wildcard(Name name) {
    Name encloser = new Name(name, 1);
    while (!exists(encloser)) {
      encloser = new Name(encloser, 1);
    }
    Name wild;
    try {
      wild = Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return new Result(Kind.DATA, name, List.of(), null);
    }
    List<RecordSet> sets = zone.recordSets(wild);
    return new Result(Kind.DATA, sets.isEmpty() ? name : wild, sets, null);
  }
}
