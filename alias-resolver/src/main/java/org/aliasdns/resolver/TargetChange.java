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
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What one refresh changed about a watched target for one family: its usable addresses (for
 * HTTPS, its usable records), its
 * status (fresh, stale, no addresses, unresolved), the TTL its fresh answer may be published
 * with, or several of these. A failure keeps the last good
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
 * @param ttlBefore the chain TTL in seconds (the least TTL of every hop and the final RRset) of
 *     the fresh answer before, or -1 when the family was not fresh
 * @param ttlAfter the chain TTL in seconds of the fresh answer now, or -1 when not fresh; it
 *     counts as a change only when the TTL rose, or fell to less than half (see {@link
 *     #ttlChanged()})
 * @param resolution the outcome that brought the change
 * @param recordsBefore for HTTPS ({@link org.aliasdns.core.FlatteningPolicy.HttpsMode#FLATTEN}),
 *     the usable records before (fresh or stale; owned by the last name of the chain, TTLs not
 *     compared); empty for A and AAAA, whose addresses say it
 * @param recordsAfter for HTTPS, the usable records now; empty for A and AAAA
 * @since 0.1
 */
public record TargetChange(
    Name target,
    int type,
    Set<InetAddress> before,
    Set<InetAddress> after,
    TargetStatus statusBefore,
    TargetStatus statusAfter,
    long ttlBefore,
    long ttlAfter,
    Resolution resolution,
    Set<Record> recordsBefore,
    Set<Record> recordsAfter) {
  /**
   * Copies the sets, keeping their order.
   *
   * @throws IllegalArgumentException if neither the addresses, the records, the status nor the
   *     TTL changed
   */
  public TargetChange {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(statusBefore, "statusBefore");
    Objects.requireNonNull(statusAfter, "statusAfter");
    Objects.requireNonNull(resolution, "resolution");
    before = ordered(before);
    after = ordered(after);
    recordsBefore = ordered(recordsBefore);
    recordsAfter = ordered(recordsAfter);
    if (before.equals(after)
        && recordsBefore.equals(recordsAfter)
        && statusBefore == statusAfter
        && !ttlMoved(ttlBefore, ttlAfter)) {
      throw new IllegalArgumentException("no change for " + target + " " + Type.string(type));
    }
  }

  /**
   * A change of an address family (A or AAAA): no records compared beside the addresses.
   *
   * @param target the alias target
   * @param type {@link Type#A} or {@link Type#AAAA}
   * @param before the usable addresses before
   * @param after the usable addresses now
   * @param statusBefore the status before
   * @param statusAfter the status now
   * @param ttlBefore the chain TTL before in seconds, or -1
   * @param ttlAfter the chain TTL now in seconds, or -1
   * @param resolution the outcome that brought the change
   * @throws IllegalArgumentException if neither the addresses, the status nor the TTL changed
   */
  public TargetChange(
      Name target,
      int type,
      Set<InetAddress> before,
      Set<InetAddress> after,
      TargetStatus statusBefore,
      TargetStatus statusAfter,
      long ttlBefore,
      long ttlAfter,
      Resolution resolution) {
    this(target, type, before, after, statusBefore, statusAfter, ttlBefore, ttlAfter, resolution,
        Set.of(), Set.of());
  }

  /**
   * Tells whether the usable records of an HTTPS target changed (their data or owner; TTLs are
   * {@link #ttlChanged()}'s).
   *
   * @return true if {@link #recordsBefore()} and {@link #recordsAfter()} differ
   * @since 0.2
   */
  public boolean recordsChanged() {
    return !recordsBefore.equals(recordsAfter);
  }

  /**
   * Whether a fresh answer's chain TTL moved enough to publish again: it rose, or it fell below
   * half of what it was. A recursive upstream hands out TTLs counting down in its cache, which
   * must not move the zone's serial on every refresh; an owner lowering the TTL before a
   * migration (3600 to 300, say) must reach the flattened zone before the addresses move.
   *
   * @param before the chain TTL before in seconds, -1 when not fresh
   * @param after the chain TTL now in seconds, -1 when not fresh
   * @return true if both are fresh TTLs and {@code after > before} or {@code after < before / 2}
   */
  static boolean ttlMoved(long before, long after) {
    return before >= 0 && after >= 0 && (after > before || after < before / 2);
  }

  /**
   * Tells whether the fresh answer's TTL moved enough to be published again (the addresses may
   * be the same): it rose, or fell below half of what it was.
   *
   * @return true if the TTL changed in that sense
   */
  public boolean ttlChanged() {
    return ttlMoved(ttlBefore, ttlAfter);
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
        type == Type.A || type == Type.AAAA
            ? target + " " + Type.string(type) + ": " + literals(before) + " -> " + literals(after)
            : target + " " + Type.string(type) + ": " + rdata(recordsBefore) + " -> "
                + rdata(recordsAfter);
    boolean first = statusBefore == TargetStatus.PENDING && statusAfter == TargetStatus.FRESH;
    if (statusChanged() && !first) {
      text += ", " + word(statusBefore) + " -> " + word(statusAfter);
    }
    if (ttlChanged()) {
      text += ", TTL " + ttlBefore + " -> " + ttlAfter;
    }
    return text;
  }

  private static String word(TargetStatus status) {
    return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The records' data in presentation form, e.g. {@code [1 . alpn=h2]}. */
  private static String rdata(Set<Record> records) {
    StringBuilder sb = new StringBuilder("[");
    for (Record r : records) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(r.rdataToString());
    }
    return sb.append(']').toString();
  }

  private String literals(Set<InetAddress> addresses) {
    return AddressText.list(addresses, type);
  }

  /** An unmodifiable copy in the same order; the shared empty set when empty (the usual case). */
  private static <T> Set<T> ordered(Set<T> set) {
    return set.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }
}
