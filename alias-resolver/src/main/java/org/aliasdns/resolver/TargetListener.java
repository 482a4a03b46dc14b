package org.aliasdns.resolver;

/**
 * Told when a refresh round of a {@link TargetMonitor} changed something: addresses, or a
 * target's status (fresh, stale, no addresses, unresolved). Called once per round that changed
 * anything, after every refresh of the round is done, on the thread that finished the last of
 * them; never for a round that changed nothing. An exception thrown here is ignored, so one
 * listener cannot stop another.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TargetListener {
  /**
   * One refresh round changed these targets.
   *
   * @param round the changes, all of one round
   */
  void targetsChanged(RefreshRound round);
}
