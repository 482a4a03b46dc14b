package org.aliasdns.resolver;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.Resolution;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What one refresh changed about a watched target for one family: its usable addresses, its
 * status (fresh, stale, no addresses, unresolved), or both. A failure keeps the last good
 * addresses (a change of status only, {@link TargetStatus#FRESH} to {@link TargetStatus#STALE});
 * an answer, NXDOMAIN or NODATA can change the addresses; max stale running out withdraws them
 * ({@link TargetStatus#STALE} to {@link TargetStatus#UNRESOLVED}).
 *
 * @param target the alias target
 * @param type {@link Type#A} or {@link Type#AAAA}
 * @param before the usable addresses before (literal addresses, without host names): fresh or
 *     stale ones, empty when there were none or the target was not resolved yet
 * @param after the usable addresses now, empty for NXDOMAIN, NODATA or an unresolved target
 * @param statusBefore the status before
 * @param statusAfter the status now
 * @param resolution the outcome that brought the change
 * @since 0.1
 */
public record TargetChange(
    Name target,
    int type,
    Set<InetAddress> before,
    Set<InetAddress> after,
    TargetStatus statusBefore,
    TargetStatus statusAfter,
    Resolution resolution) {
  /**
   * Copies the sets, keeping their order.
   *
   * @throws IllegalArgumentException if neither the addresses nor the status changed
   */
  public TargetChange {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(statusBefore, "statusBefore");
    Objects.requireNonNull(statusAfter, "statusAfter");
    Objects.requireNonNull(resolution, "resolution");
    before = Collections.unmodifiableSet(new LinkedHashSet<>(before));
    after = Collections.unmodifiableSet(new LinkedHashSet<>(after));
    if (before.equals(after) && statusBefore == statusAfter) {
      throw new IllegalArgumentException("no change for " + target + " " + Type.string(type));
    }
  }

  /**
   * Tells whether the usable addresses changed.
   *
   * @return true if {@link #before()} and {@link #after()} differ
   */
  public boolean addressesChanged() {
    return !before.equals(after);
  }

  /**
   * Tells whether the status changed.
   *
   * @return true if {@link #statusBefore()} and {@link #statusAfter()} differ
   */
  public boolean statusChanged() {
    return statusBefore != statusAfter;
  }

  /**
   * Returns {@code target TYPE: [before] -> [after]} (IPv6 in RFC 5952 form, {@link AddressText}),
   * then {@code , fresh -> stale} when the status changed other than from pending to fresh (the
   * first resolution of a target).
   */
  @Override
  public String toString() {
    String text =
        target + " " + Type.string(type) + ": " + literals(before) + " -> " + literals(after);
    boolean first = statusBefore == TargetStatus.PENDING && statusAfter == TargetStatus.FRESH;
    if (statusChanged() && !first) {
      text += ", " + word(statusBefore) + " -> " + word(statusAfter);
    }
    return text;
  }

  private static String word(TargetStatus status) {
    return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private String literals(Set<InetAddress> addresses) {
    return AddressText.list(addresses, type);
  }
}
