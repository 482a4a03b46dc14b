package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Zone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The result of one {@link Flattener} run: the zone to publish, with its serial, what was
 * synthesized for every flattened name and family (the state the next run starts from), what
 * changed since the previous run, and what went wrong. Immutable.
 *
 * @since 0.1
 */
public final class FlattenedZone {
  private final Zone zone;
  private final FlatteningPolicy policy;
  private final long serial;
  private final boolean changed;
  private final Instant flattenedAt;
  private final List<Siblings> siblings;
  private final SiblingsTable byKey;
  /** The changes, or null for a first run's, which {@link #firstRun} gives when asked. */
  private final @Nullable List<AliasChange> changes;
  /** A first run's flattened names, from which its changes follow; null otherwise. */
  private final @Nullable List<Name> firstRun;
  private final List<FlatteningProblem> problems;

  FlattenedZone(
      Zone zone,
      FlatteningPolicy policy,
      long serial,
      boolean changed,
      Instant flattenedAt,
      List<Siblings> siblings,
      @Nullable List<AliasChange> changes,
      @Nullable List<Name> firstRun,
      List<FlatteningProblem> problems) {
    this.zone = zone;
    this.policy = policy;
    this.serial = serial;
    this.changed = changed;
    this.flattenedAt = flattenedAt;
    // The flattener hands over collections it no longer touches: wrapped, not copied.
    if (siblings instanceof ArrayList<Siblings> list) {
      list.trimToSize(); // kept as long as the zone is served
    }
    this.siblings = Collections.unmodifiableList(siblings);
    this.byKey = new SiblingsTable(siblings);
    this.changes = changes == null ? null : Collections.unmodifiableList(changes);
    this.firstRun = firstRun;
    if ((changes == null) == (firstRun == null)) {
      throw new IllegalArgumentException("either the changes or a first run's names");
    }
    this.problems = Collections.unmodifiableList(problems);
  }

  /**
   * Returns the policy the zone was flattened under: a live answerer beside it applies the same
   * one, so the two agree ({@code ZoneHandler.serve(source, flattened, results)} does).
   *
   * @return the flattener's policy
   */
  public FlatteningPolicy policy() {
    return policy;
  }

  /**
   * Returns the zone to publish: alias records replaced by A/AAAA siblings (and kept where the
   * name would otherwise be empty), flattened CNAMEs likewise, and the SOA carrying {@link
   * #serial()}.
   *
   * @return the published zone
   */
  public Zone zone() {
    return zone;
  }

  /**
   * Returns the SOA serial of the published zone.
   *
   * @return the serial, 0 to 4294967295
   */
  public long serial() {
    return serial;
  }

  /**
   * Tells whether the published zone differs from the previous run's (always true on a first
   * run): exactly when the serial moved, and when secondaries should be sent a NOTIFY.
   *
   * @return true if the published content changed
   */
  public boolean changed() {
    return changed;
  }

  /**
   * Returns the "now" this run was made at.
   *
   * @return the instant given to {@link Flattener#flatten}
   */
  public Instant flattenedAt() {
    return flattenedAt;
  }

  /**
   * Returns what was synthesized for each flattened name and family, in canonical name order
   * and then A before AAAA. Families whose type has explicit records at the name, or that the
   * policy leaves out, have no entry.
   *
   * @return an unmodifiable list
   */
  public List<Siblings> siblings() {
    return siblings;
  }

  /**
   * Returns what was synthesized for one name and family.
   *
   * @param owner the flattened name, in any case
   * @param family the family
   * @return the entry, or empty if the name was not flattened for that family
   */
  public Optional<Siblings> siblings(Name owner, Family family) {
    return Optional.ofNullable(byKey.get(owner, family));
  }

  /**
   * Returns what was published for one name and family, as the next run (or a live answerer,
   * through {@link org.aliasdns.core.AliasPublications}) takes it: {@code flat::publication}.
   *
   * @param owner the flattened name, in any case
   * @param family the family
   * @return the publication, or empty if the name was not flattened for that family
   */
  public Optional<AliasPublication> publication(Name owner, Family family) {
    Siblings s = byKey.get(owner, family);
    return s == null ? Optional.empty() : Optional.of(s.publication());
  }

  /**
   * Returns the address changes since the previous run (on a first run, from nothing), in
   * canonical name order and then A before AAAA.
   *
   * @return an unmodifiable list, empty if no flattened name's addresses changed
   */
  public List<AliasChange> changes() {
    List<AliasChange> kept = changes;
    if (kept != null) {
      return kept;
    }
    return Collections.unmodifiableList(
        Flattener.changes(Objects.requireNonNull(firstRun), null, zone, null));
  }

  /**
   * Returns the loops, over-long chains, failures, missing results and targets without
   * addresses met, in canonical name order and then A before AAAA.
   *
   * @return an unmodifiable list, empty if every target resolved
   */
  public List<FlatteningProblem> problems() {
    return problems;
  }

  /** Returns a short description: origin, serial, counts. */
  @Override
  public String toString() {
    return "FlattenedZone["
        + zone.origin()
        + ", serial "
        + serial
        + (changed ? " (changed)" : "")
        + ", "
        + siblings.size()
        + " siblings, "
        + changes().size()
        + " changes, "
        + problems.size()
        + " problems]";
  }
}
