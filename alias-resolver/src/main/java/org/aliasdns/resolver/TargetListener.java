package org.aliasdns.resolver;

/**
 * Told when a watched target's addresses change. Called on the thread that finished the
 * refresh; an exception thrown here is ignored, so one listener cannot stop another.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TargetListener {
  /**
   * The addresses of a target changed for one family.
   *
   * @param change the target, the family, the addresses before and after
   */
  void targetChanged(TargetChange change);
}
