package org.aliasdns.resolver;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.Resolution;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The address set of a watched target changed for one family: what a server re-flattens, bumps
 * the serial and sends NOTIFY for. A failure never produces a change (the last good addresses
 * stay); an answer, NXDOMAIN or NODATA can.
 *
 * @param target the alias target
 * @param type {@link Type#A} or {@link Type#AAAA}
 * @param before the addresses before (literal addresses, without host names), empty when the target was first resolved or had none
 * @param after the addresses now, empty for NXDOMAIN or NODATA
 * @param resolution the outcome that brought the change
 * @since 0.1
 */
public record TargetChange(
    Name target, int type, Set<InetAddress> before, Set<InetAddress> after, Resolution resolution) {
  /** Copies the sets, keeping their order. */
  public TargetChange {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(resolution, "resolution");
    before = Collections.unmodifiableSet(new LinkedHashSet<>(before));
    after = Collections.unmodifiableSet(new LinkedHashSet<>(after));
  }

  /** Returns {@code target TYPE: [before] -> [after]}, IPv6 in RFC 5952 form ({@link AddressText}). */
  @Override
  public String toString() {
    return target + " " + Type.string(type) + ": " + literals(before) + " -> " + literals(after);
  }

  private String literals(Set<InetAddress> addresses) {
    return AddressText.list(addresses, type);
  }
}
