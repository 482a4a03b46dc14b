package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Alias targets the server is authoritative for are flattened from the zone data, never asked
 * upstream (issue 10, point 3).
 */
class FlattenerInZoneTargetsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Flattener FLATTENER = Flattener.of(FlatteningPolicy.defaults());
  private static final Name APEX = name("example.com.");
  private static final Name WWW = name("www.example.com.");
  private static final Name CDN = name("cdn.example.net.");

  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 100 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.53\n";

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static Zone zone(String origin, String body) {
    return ZoneFileReader.forOrigin(name(origin)).read(HEAD + body, "test.zone").zone();
  }

  private static Zone com(String body) {
    return zone("example.com.", body);
  }

  /** Every upstream question REFUSED, as an upstream that is not ours to ask would answer. */
  private static AliasResults refusedFor(Name... names) {
    List<Resolution> failures = new java.util.ArrayList<>();
    for (Name n : names) {
      failures.add(new Resolution.Failure(n, Type.A, List.of(), "REFUSED", T0, null));
      failures.add(new Resolution.Failure(n, Type.AAAA, List.of(), "REFUSED", T0, null));
    }
    return AliasResults.of(failures);
  }

  private static List<String> addresses(Zone zone, Name owner, int type) {
    return zone.get(owner, type).map(set -> set.records().stream().map(Record::rdataToString).toList())
        .orElse(List.of());
  }

  @Test
  void anApexAliasToAnInZoneHostPublishesItsAddressesThoughUpstreamRefuses() {
    Zone source = com("@ 300 ALIAS www.example.com.\nwww 600 A 192.0.2.5\n");

    FlattenedZone out = FLATTENER.flatten(source, refusedFor(WWW), T0, null);

    assertThat(addresses(out.zone(), APEX, Type.A)).containsExactly("192.0.2.5");
    assertThat(out.zone().get(APEX, Type.A).orElseThrow().ttl()).isEqualTo(300);
    assertThat(out.problems()).isEmpty();
  }

  @Test
  void anInZoneTargetIsNotAmongTheTargetsToResolve() {
    Zone source = com("@ ALIAS www.example.com.\nwww A 192.0.2.5\nshop ALIAS cdn.example.net.\n");

    assertThat(FLATTENER.targets(source)).containsExactly(CDN);
  }

  @Test
  void anAliasToAnInZoneAliasGetsThatOnesUpstreamAddresses() {
    Zone source = com("@ 300 ALIAS www\nwww 120 ALIAS cdn.example.net.\n");
    AliasResults upstream =
        AliasResults.of(
            new Resolution.Answer(
                CDN, Type.A, List.of(), RecordSet.of(Rr.a("cdn.example.net.", 600, "198.51.100.7")), T0));

    FlattenedZone out = FLATTENER.flatten(source, upstream, T0, null);

    assertThat(FLATTENER.targets(source)).containsExactly(CDN);
    assertThat(addresses(out.zone(), APEX, Type.A)).containsExactly("198.51.100.7");
    assertThat(out.zone().get(APEX, Type.A).orElseThrow().ttl()).isEqualTo(120);
    assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("198.51.100.7");
  }

  @Test
  void aLoopAmongInZoneAliasesIsReportedWithItsChain() {
    Zone source = com("a ALIAS b\nb CNAME a\na TXT \"keeps the name\"\n");

    FlattenedZone out = FLATTENER.flatten(source, AliasResults.empty(), T0, null);

    assertThat(FLATTENER.targets(source)).isEmpty();
    assertThat(out.problems())
        .extracting(FlatteningProblem::kind)
        .containsOnly(FlatteningProblem.Kind.LOOP);
    assertThat(out.problems().get(0).chain())
        .extracting(Hop::kind)
        .containsExactly(Hop.Kind.CNAME, Hop.Kind.ALIAS);
  }

  @Test
  void aTargetInAnotherServedZoneIsFlattenedFromThatZone() {
    Zone source = com("@ ALIAS www.example.org.\n");
    Zone org = zone("example.org.", "www 600 A 198.51.100.5\n");
    InZoneTargets served = InZoneTargets.of(List.of(source, org));

    FlattenedZone out =
        FLATTENER.flatten(source, served, refusedFor(name("www.example.org.")), T0, null);

    assertThat(FLATTENER.targets(source, served)).isEmpty();
    assertThat(FLATTENER.targets(source)).containsExactly(name("www.example.org."));
    assertThat(addresses(out.zone(), APEX, Type.A)).containsExactly("198.51.100.5");
  }

  @Test
  void theSourceSnapshotIsUsedForItsOwnOriginWhateverTheServedSetHolds() {
    Zone older = com("www A 192.0.2.1\n");
    Zone source = com("@ ALIAS www\nwww A 192.0.2.2\n");

    FlattenedZone out =
        FLATTENER.flatten(source, InZoneTargets.of(older), AliasResults.empty(), T0, null);

    assertThat(addresses(out.zone(), APEX, Type.A)).containsExactly("192.0.2.2");
  }

  @Test
  void aLaterRunOverTheSameZoneDataChangesNothing() {
    Zone source = com("@ ALIAS www\nwww A 192.0.2.5\n");
    FlattenedZone first = FLATTENER.flatten(source, AliasResults.empty(), T0, null);

    FlattenedZone later =
        FLATTENER.flatten(source, AliasResults.empty(), T0.plusSeconds(7200), first);

    assertThat(later.changed()).isFalse();
    assertThat(later.serial()).isEqualTo(first.serial());
  }
}
