package org.aliasdns.core.answer;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.InZoneTargets;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Alias targets the server is authoritative for are answered live from the zone data, never
 * from upstream results (issue 10, point 3), and live answers agree with the flattened zone.
 */
class QueryAnswererInZoneTargetsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final FlatteningPolicy POLICY = FlatteningPolicy.defaults();
  private static final Name CDN = name("cdn.example.net.");

  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
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

  private static List<String> lines(List<Record> records) {
    List<String> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.toString().replace('\t', ' ').replaceAll(" +", " "));
    }
    return out;
  }

  private static Response ask(QueryAnswerer answerer, String qname, int type, AliasResults results) {
    return answerer.answer(Question.of(name(qname), type), results, NOW);
  }

  @Test
  void anApexAliasToAnInZoneHostAnswersItsAddressesThoughUpstreamRefuses() {
    QueryAnswerer answerer =
        QueryAnswerer.of(com("@ 300 ALIAS www.example.com.\nwww 600 A 192.0.2.5\n"), POLICY);
    AliasResults refused =
        AliasResults.of(
            new Resolution.Failure(name("www.example.com."), Type.A, List.of(), "REFUSED", NOW, null));

    Response r = ask(answerer, "example.com.", Type.A, refused);

    assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(lines(r.answer())).containsExactly("example.com. 300 IN A 192.0.2.5");
  }

  @Test
  void anAliasToAnInZoneAliasAnswersFromThatOnesUpstreamResult() {
    QueryAnswerer answerer = QueryAnswerer.of(com("@ 300 ALIAS www\nwww 120 ALIAS cdn.example.net.\n"), POLICY);
    AliasResults upstream =
        AliasResults.of(
            new Resolution.Answer(
                CDN, Type.A, List.of(), RecordSet.of(Rr.a("cdn.example.net.", 600, "198.51.100.7")), NOW));

    Response r = ask(answerer, "example.com.", Type.A, upstream);

    assertThat(lines(r.answer())).containsExactly("example.com. 120 IN A 198.51.100.7");
  }

  @Test
  void aTargetAnsweredByAWildcardTakesItsAddresses() {
    QueryAnswerer answerer = QueryAnswerer.of(com("@ ALIAS api.users\n*.users 60 AAAA 2001:db8::7\n"), POLICY);

    Response r = ask(answerer, "example.com.", Type.AAAA, AliasResults.empty());

    assertThat(lines(r.answer())).containsExactly("example.com. 60 IN AAAA 2001:db8:0:0:0:0:0:7");
  }

  @Test
  void aTargetInAnotherServedZoneIsAnsweredFromThatZone() {
    Zone source = com("@ ALIAS www.example.org.\n");
    Zone org = zone("example.org.", "www 600 A 198.51.100.5\n");
    QueryAnswerer answerer = QueryAnswerer.of(source, POLICY, InZoneTargets.of(List.of(source, org)));

    Response r = ask(answerer, "example.com.", Type.A, AliasResults.empty());

    assertThat(lines(r.answer())).containsExactly("example.com. 600 IN A 198.51.100.5");
  }

  @Test
  void aCycleThroughAnotherServedZoneIsServfail() {
    Zone source = com("a ALIAS b.example.org.\n");
    Zone org = zone("example.org.", "b CNAME a.example.com.\n");
    QueryAnswerer answerer = QueryAnswerer.of(source, POLICY, InZoneTargets.of(List.of(source, org)));

    Response r = ask(answerer, "a.example.com.", Type.A, AliasResults.empty());

    assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
  }

  /**
   * The flattened zone and live answers agree for every shape of in-zone target: host,
   * CNAME, DNAME, wildcard, alias to alias, explicit addresses beside an alias.
   */
  @Test
  void liveAnswersAndTheFlattenedZonePublishTheSameAddresses() {
    Zone source =
        com(
            "a1 300 ALIAS host\n"
                + "a2 ALIAS web\n"
                + "a3 ALIAS www.legacy\n"
                + "a4 ALIAS x.users\n"
                + "a5 ALIAS a1\n"
                + "a6 ALIAS edge\n"
                + "host 600 A 192.0.2.10\n"
                + "host AAAA 2001:db8::10\n"
                + "web 120 CNAME host\n"
                + "legacy 90 DNAME example.com.\n"
                + "www A 192.0.2.11\n"
                + "*.users 30 A 192.0.2.12\n"
                + "edge ALIAS cdn.example.net.\n"
                + "edge AAAA 2001:db8::13\n");
    AliasResults upstream =
        AliasResults.of(
            new Resolution.Answer(
                CDN, Type.A, List.of(), RecordSet.of(Rr.a("cdn.example.net.", 45, "198.51.100.13")), NOW));
    FlattenedZone flat = Flattener.of(POLICY).flatten(source, upstream, NOW, null);
    QueryAnswerer live = QueryAnswerer.of(source, POLICY);

    for (String owner : List.of("a1", "a2", "a3", "a4", "a5", "a6")) {
      Name name = name(owner + ".example.com.");
      for (int type : new int[] {Type.A, Type.AAAA}) {
        Response r = ask(live, name.toString(), type, upstream);
        List<String> published =
            flat.zone().get(name, type).map(RecordSet::records).map(QueryAnswererInZoneTargetsTest::lines)
                .orElse(List.of());
        assertThat(r.rcode()).as("%s %s", owner, Type.string(type)).isEqualTo(Rcode.NOERROR);
        assertThat(lines(r.answer())).as("%s %s", owner, Type.string(type)).isEqualTo(published);
      }
    }
    assertThat(flat.zone().get(name("a1.example.com."), Type.A)).isPresent();
  }
}
