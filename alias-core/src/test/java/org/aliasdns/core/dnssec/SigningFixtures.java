package org.aliasdns.core.dnssec;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Zones and keys the DNSSEC tests share. */
final class SigningFixtures {
  static final Name ORIGIN = Name.fromConstantString("example.com.");
  static final Name CDN = Name.fromConstantString("app.cdn.example.net.");
  static final Name GONE = Name.fromConstantString("gone.example.net.");
  private static final SecureRandom RANDOM = new SecureRandom();

  private SigningFixtures() {}

  /** A zone with most shapes a signer must get right. */
  static final String PLAIN =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026010100 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.org.\n"
          + "@ MX 10 mail\n"
          + "@ A 192.0.2.1\n"
          + "@ TXT \"v=spf1 -all\"\n"
          + "ns1 A 192.0.2.53\n"
          + "mail A 192.0.2.25\n"
          + "mail AAAA 2001:db8::25\n"
          + "www CNAME @\n"
          + "Mixed-Case A 192.0.2.8\n"
          + "*.wild A 192.0.2.7\n"
          + "a.b.c TXT \"below two empty non-terminals\"\n"
          + "secure NS ns.secure\n"
          + "secure DS 12345 13 2 "
          + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
          + "ns.secure A 192.0.2.99\n"
          + "insecure NS ns.insecure\n"
          + "insecure NS ns.example.org.\n"
          + "ns.insecure A 192.0.2.98\n"
          + "ns.insecure AAAA 2001:db8::98\n"
          + "deep.ent.insecure2 NS ns.example.org.\n";

  /** The source of the flattened zone: an apex ALIAS and one alias whose target vanished. */
  static final String ALIASES =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026010100 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "@ MX 10 mail\n"
          + "@ ALIAS app.cdn.example.net.\n"
          + "ns1 A 192.0.2.53\n"
          + "mail A 192.0.2.25\n"
          + "www ALIAS app.cdn.example.net.\n"
          + "old ALIAS gone.example.net.\n";

  static Zone zone(String text) {
    return ZoneFileReader.forOrigin(ORIGIN).read(text, "test.zone").zone();
  }

  static SigningKey key(DnssecAlgorithm algorithm, SigningKey.Role role) {
    return SigningKey.generate(ORIGIN, algorithm, role, 3600, RANDOM);
  }

  static SigningKey csk() {
    return key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED);
  }

  /**
   * Flattens {@link #ALIASES}: the CDN target has the given IPv4 address and no IPv6 (NODATA);
   * the other target is NXDOMAIN.
   */
  static FlattenedZone flattened(String ipv4, Instant now, @Nullable FlattenedZone previous) {
    Zone source = zone(ALIASES);
    List<Resolution> all = new ArrayList<>();
    Record a = Rr.rr(CDN.toString(), 300, "A", ipv4);
    all.add(new Resolution.Answer(CDN, Type.A, List.of(), RecordSet.of(a), now));
    all.add(new Resolution.NoData(CDN, Type.AAAA, List.of(), 300, now));
    all.add(new Resolution.NxDomain(GONE, Type.A, List.of(), 300, now));
    all.add(new Resolution.NxDomain(GONE, Type.AAAA, List.of(), 300, now));
    return Flattener.of(FlatteningPolicy.defaults())
        .flatten(source, AliasResults.of(all), now, previous);
  }

  static FlattenedZone flattened(String ipv4, Instant now) {
    return flattened(ipv4, now, null);
  }
}
