package org.aliasdns.core;

import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The README's several-zones snippet for in-zone targets, run as written. */
class ReadmeInZoneTargetsExampleTest {
  private static final String HEAD =
      "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";

  @Test
  void readmeSeveralZonesSnippetWorksAsWritten() throws Exception {
    Zone exampleCom =
        ZoneFileReader.forOrigin(Name.fromString("example.com."))
            .read(HEAD + "@ ALIAS www.example.org.\nshop ALIAS shop.saas.example.net.\n", "com")
            .zone();
    Zone exampleOrg =
        ZoneFileReader.forOrigin(Name.fromString("example.org."))
            .read(HEAD + "www A 198.51.100.5\n", "org")
            .zone();
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    FlatteningPolicy policy = flattener.policy();
    AliasResults upstreamResults = AliasResults.empty();
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    @Nullable FlattenedZone previous = null;

    // --- README: several zones begin
    InZoneTargets served = InZoneTargets.of(List.of(exampleCom, exampleOrg));
    List<Name> ask = flattener.targets(exampleCom, served);           // exits only
    FlattenedZone flat = flattener.flatten(exampleCom, served, upstreamResults, now, previous);
    QueryAnswerer answerer = QueryAnswerer.of(exampleCom, policy, served);
    // --- README: several zones end

    assertThat(ask).containsExactly(Name.fromString("shop.saas.example.net."));
    Name apex = Name.fromString("example.com.");
    assertThat(flat.zone().get(apex, Type.A).orElseThrow().records())
        .extracting(Record::rdataToString)
        .containsExactly("198.51.100.5");
    assertThat(answerer.answer(Question.of(apex, Type.A), upstreamResults, now).answer())
        .extracting(Record::rdataToString)
        .containsExactly("198.51.100.5");
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/core/ReadmeInZoneTargetsExampleTest.java",
        "--- README: several zones begin",
        "--- README: several zones end");
  }
}
