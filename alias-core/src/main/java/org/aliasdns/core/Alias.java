package org.aliasdns.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The alias at one name of a zone: which record makes the name an alias under a policy's scope,
 * and the three things the publication rule ({@link AliasPublication#of}) needs from it. Flattening
 * and answering both find aliases with {@link #at}, so they never disagree on which names are
 * aliases.
 *
 * @param owner the alias name, in its zone-file case (a wildcard owner such as {@code
 *     *.example.com.} stays as it is)
 * @param target the name whose addresses the alias stands for
 * @param ttl the TTL of the record that made the alias, in seconds
 * @param type the type of that record: {@link AliasRecord#ALIAS}, {@link AliasRecord#ANAME}, or
 *     {@link Type#CNAME} for a CNAME the policy flattens
 * @since 0.1
 */
public record Alias(Name owner, Name target, long ttl, int type) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a name is relative, the TTL negative or the type neither
   *     an alias type nor CNAME
   */
  public Alias {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(target, "target");
    if (!owner.isAbsolute() || !target.isAbsolute()) {
      throw new IllegalArgumentException(
          "alias names must be absolute: " + owner + " -> " + target);
    }
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
    if (!AliasRecord.isAliasType(type) && type != Type.CNAME) {
      throw new IllegalArgumentException("not an alias or CNAME type: " + Type.string(type));
    }
  }

  /**
   * Finds the alias at a name: an ALIAS or ANAME record, else a CNAME that the policy's scope
   * flattens ({@link Scope#ALL_CNAMES}, or {@link Scope#ALIAS_AND_APEX_CNAME} at the origin).
   * With several alias records at one name (a validator warning) the first in canonical order
   * counts: ANAME (65305) before ALIAS (65401). An alias record beside a CNAME (a validator
   * error) makes the alias, and the CNAME is not flattened.
   *
   * @param zone the zone
   * @param name a name of the zone, in any case
   * @param policy whose scope says which CNAMEs are aliases
   * @return the alias, or empty if the name is not an alias under that scope
   */
  public static Optional<Alias> at(Zone zone, Name name, FlatteningPolicy policy) {
    return Optional.ofNullable(in(zone.recordSets(name), name.equals(zone.origin()), policy));
  }

  /**
   * Finds the alias among the RRsets of one name, as {@link #at} does, for code that already
   * holds them (an answerer's zone index).
   *
   * @param sets the RRsets at the name, in ascending type order as {@link Zone#recordSets} gives
   *     them
   * @param apex whether the name is the zone's origin
   * @param policy whose scope says which CNAMEs are aliases
   * @return the alias, or null if the name is not an alias under that scope
   */
  public static @Nullable Alias in(List<RecordSet> sets, boolean apex, FlatteningPolicy policy) {
    Scope scope = policy.scope();
    RecordSet cname = null;
    for (RecordSet set : sets) {
      if (AliasRecord.isAliasType(set.type())) {
        return new Alias(
            set.owner(), ((AliasRecord) set.first()).getTarget(), set.ttl(), set.type());
      }
      if (set.type() == Type.CNAME) {
        cname = set;
      }
    }
    if (cname == null
        || !(scope == Scope.ALL_CNAMES || (apex && scope == Scope.ALIAS_AND_APEX_CNAME))) {
      return null;
    }
    return new Alias(
        cname.owner(), ((CNAMERecord) cname.first()).getTarget(), cname.ttl(), Type.CNAME);
  }

  /**
   * Tells whether a CNAME the policy flattens made this alias, rather than an ALIAS or ANAME
   * record.
   *
   * @return true for a flattened CNAME
   */
  public boolean isFlattenedCname() {
    return type == Type.CNAME;
  }

  /** Returns {@code owner TTL TYPE target}, as in a zone file. */
  @Override
  public String toString() {
    return owner + " " + ttl + " " + Type.string(type) + " " + target;
  }
}
