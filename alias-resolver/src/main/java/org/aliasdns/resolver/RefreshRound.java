package org.aliasdns.resolver;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * What one refresh round of a {@link TargetMonitor} changed: every target refreshed by one
 * {@link TargetMonitor#runDue()}, judged together. One upstream change that moves several
 * targets (or several families) is one round, so a consumer re-flattens once and bumps one
 * serial for it.
 *
 * @param started when the round began, by the resolver's clock
 * @param changes what changed, sorted by target (DNSSEC canonical order) and then type; never
 *     empty when handed to a {@link TargetListener}
 * @since 0.1
 */
public record RefreshRound(Instant started, List<TargetChange> changes) {
  /** Copies the list. */
  public RefreshRound {
    Objects.requireNonNull(started, "started");
    changes = List.copyOf(changes);
  }

  /**
   * Returns the targets that changed.
   *
   * @return the distinct targets, in the order of {@link #changes()}
   */
  public Set<Name> targets() {
    Set<Name> out = new LinkedHashSet<>();
    for (TargetChange change : changes) {
      out.add(change.target());
    }
    return out;
  }

  /**
   * Tells whether a target changed in this round.
   *
   * @param target the target
   * @return true if any change is of that target
   */
  public boolean touches(Name target) {
    for (TargetChange change : changes) {
      if (change.target().equals(target)) {
        return true;
      }
    }
    return false;
  }
}
