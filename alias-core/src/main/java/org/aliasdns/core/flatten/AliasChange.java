package org.aliasdns.core.flatten;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.aliasdns.core.AddressText;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.xbill.DNS.Name;

/**
 * A change, from one flattening run to the next, in the addresses one flattened name publishes
 * for one address family: what a caller logs, or turns into a NOTIFY (RFC 1996). TTL-only
 * changes are not listed here, though they too change the zone and its serial.
 *
 * @param owner the alias (or flattened CNAME) name, in its zone-file case
 * @param family the address family
 * @param oldAddresses the addresses published before, in canonical order; empty if none
 * @param newAddresses the addresses published now, in canonical order; empty if none
 * @since 0.1
 */
public record AliasChange(
    Name owner, Family family, List<InetAddress> oldAddresses, List<InetAddress> newAddresses) {

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException if the two lists are equal: that is no change
   */
  public AliasChange {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(family, "family");
    oldAddresses = List.copyOf(oldAddresses);
    newAddresses = List.copyOf(newAddresses);
    if (oldAddresses.equals(newAddresses)) {
      throw new IllegalArgumentException("no change at " + owner + " " + family);
    }
  }

  /**
   * Returns {@code owner A: [old] -> [new]}, with bare addresses, IPv6 in RFC 5952 form ({@link
   * AddressText}).
   */
  @Override
  public String toString() {
    return owner
        + " "
        + org.xbill.DNS.Type.string(family.type())
        + ": "
        + text(oldAddresses)
        + " -> "
        + text(newAddresses);
  }

  private String text(List<InetAddress> addresses) {
    return AddressText.list(addresses, family.type());
  }
}
