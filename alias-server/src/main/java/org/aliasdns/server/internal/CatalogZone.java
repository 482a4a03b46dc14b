package org.aliasdns.server.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import org.aliasdns.core.Zone;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * Builds a catalog zone (RFC 9432, schema version 2) listing member zones, so that secondaries
 * configured with the catalog alone find every zone to serve: the SOA and an NS of {@code
 * invalid.} (§4.1), {@code version} TXT "2" (§4.2.1), and per member a PTR at {@code
 * <id>.zones} naming it (§4.2.1), the id the SHA-1 of the member's name in canonical wire form
 * as hex, so it stays the same for as long as the member is served and on every server.
 */
public final class CatalogZone {
  private static final Name INVALID = Name.fromConstantString("invalid.");

  private CatalogZone() {}

  /**
   * Builds the catalog.
   *
   * @param origin the catalog's origin
   * @param members the member zones' origins
   * @param serial the catalog's SOA serial
   * @return the zone
   */
  public static Zone of(Name origin, Collection<Name> members, long serial) {
    Zone.Builder b = Zone.builder(origin);
    // RFC 9432 §4.1: the SOA and NS are there because a zone needs them; TTLs carry no meaning.
    b.add(new SOARecord(origin, DClass.IN, 0, INVALID, INVALID, serial, 3600, 600, 2_419_200, 0));
    b.add(new NSRecord(origin, DClass.IN, 0, INVALID));
    b.add(new TXTRecord(child(origin, "version"), DClass.IN, 0, "2"));
    Name zones = child(origin, "zones");
    for (Name member : members) {
      b.add(new PTRRecord(child(zones, memberLabel(member)), DClass.IN, 0, member));
    }
    return b.build();
  }

  /**
   * Returns a member's unique label (RFC 9432 §4.2.1): 40 hex digits of SHA-1 over the member
   * name's canonical (lower-case) wire form.
   *
   * @param member the member zone's origin
   * @return the label
   */
  public static String memberLabel(Name member) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(member.canonicalize().toWire()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private static Name child(Name parent, String label) {
    try {
      return Name.concatenate(Name.fromString(label), parent);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("catalog name " + label + "." + parent + ": " + e.getMessage(), e);
    }
  }
}
