package org.aliasdns.server;

import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Zones and alias results the server tests share. */
final class Zones {
  static final Name ORIGIN = Wire.name("example.com.");
  static final Name TARGET = Wire.name("my-app.cdn.example.net.");
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  static final String EXAMPLE =
      "$ORIGIN example.com.\n"
          + "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ ALIAS my-app.cdn.example.net.\n"
          + "@ MX 10 mail\n"
          + "ns1 A 192.0.2.1\n"
          + "mail A 192.0.2.2\n"
          + "mail AAAA 2001:db8::2\n"
          + "www CNAME example.com.\n"
          + "host A 192.0.2.10\n";

  private Zones() {}

  static Zone parse(String origin, String text) {
    return ZoneFileReader.forOrigin(Wire.name(origin)).read(text, origin + "zone").zone();
  }

  static Zone example() {
    return parse("example.com.", EXAMPLE);
  }

  /** The example zone with {@code host} at another address and the serial moved on. */
  static Zone exampleChanged(int serial, String hostAddress) {
    return parse(
        "example.com.",
        EXAMPLE
            .replace("hostmaster 1 ", "hostmaster " + serial + " ")
            .replace("host A 192.0.2.10", "host A " + hostAddress));
  }

  /** The alias target resolved to one IPv4 address, TTL 300, no IPv6 known. */
  static AliasResults resolvedTo(String address) {
    try {
      return AliasResults.of(
          new Resolution.Answer(
              TARGET,
              Type.A,
              List.of(),
              RecordSet.of(new ARecord(TARGET, DClass.IN, 300, Address.getByAddress(address))),
              NOW));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A zone with many TXT records, for transfers and truncation. */
  static Zone big(int records) {
    StringBuilder text =
        new StringBuilder(
            "$ORIGIN big.example.\n$TTL 300\n@ SOA ns1 hostmaster 7 7200 3600 1209600 300\n"
                + "@ NS ns1\nns1 A 192.0.2.1\n");
    for (int i = 0; i < records; i++) {
      text.append("r")
          .append(i / 10)
          .append(" TXT \"record ")
          .append(i)
          .append(' ')
          .append("y".repeat(60))
          .append("\"\n");
    }
    for (int i = 0; i < 40; i++) {
      text.append("many A 192.0.2.").append(i + 100).append('\n');
    }
    return parse("big.example.", text.toString());
  }
}
