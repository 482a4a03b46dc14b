package org.aliasdns.core.flatten;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link FlatteningPolicy#publishesHttpsAliasMode()}: alias names without an HTTPS RRset of their
 * own co-publish {@code HTTPS 0 <target>} (RFC 9460 §2.4.2), in the flattened zone and in live
 * answers alike.
 */
class HttpsAliasModeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Zone ZONE =
      ZoneFileReader.defaults()
          .read(
              """
              $ORIGIN example.com.
              $TTL 3600
              @    SOA   ns1 hostmaster 1 7200 900 1209600 300
              @    NS    ns1
              ns1  A     192.0.2.1
              @    300   ALIAS my-app.cdn.example.net.
              www  ALIAS my-app.cdn.example.net.
              www  HTTPS 1 . alpn=h2
              gone ALIAS gone.example.net.
              """,
              "example.com.zone")
          .zone();
  private static final FlatteningPolicy ON = FlatteningPolicy.builder().httpsAliasMode(true).build();
  private static final AliasResults RESULTS =
      AliasResults.of(
          List.of(
              new Resolution.NxDomain(Name.fromConstantString("gone.example.net."), Type.A, List.of(), 60, NOW),
              new Resolution.NxDomain(Name.fromConstantString("gone.example.net."), Type.AAAA, List.of(), 60, NOW)));

  private static List<String> https(Zone zone, String owner) {
    return zone.get(Name.fromConstantString(owner), Type.HTTPS).map(s -> s.records().stream()
        .map(Record::rdataToString).toList()).orElse(List.of());
  }

  @Test
  void aliasNamesWithoutHttpsOfTheirOwnPublishAliasModeToTheirTarget() {
    Zone flat = Flattener.of(ON).flatten(ZONE, RESULTS, NOW, null).zone();

    assertThat(https(flat, "example.com.")).containsExactly("0 my-app.cdn.example.net.");
    assertThat(flat.get(Name.fromConstantString("example.com."), Type.HTTPS).orElseThrow().ttl())
        .isEqualTo(300); // the alias record's TTL
    assertThat(https(flat, "www.example.com.")).containsExactly("1 . alpn=h2"); // its own wins
    // A name whose target is NXDOMAIN still exists through its HTTPS record: no alias record.
    assertThat(https(flat, "gone.example.com.")).containsExactly("0 gone.example.net.");
    assertThat(flat.get(Name.fromConstantString("gone.example.com."), AliasRecord.ALIAS)).isEmpty();

    Zone off = Flattener.of(FlatteningPolicy.defaults()).flatten(ZONE, RESULTS, NOW, null).zone();
    assertThat(https(off, "example.com.")).isEmpty();
  }

  @Test
  void liveAnswersGiveTheSameRecordOwnedByTheNameAsAsked() {
    QueryAnswerer live = QueryAnswerer.of(ZONE, ON);

    Response apex = live.answer(Question.of(Name.fromConstantString("EXAMPLE.com."), Type.HTTPS), RESULTS, NOW);
    assertThat(apex.answer())
        .extracting(Record::toString)
        .singleElement()
        .asString()
        .matches("EXAMPLE\\.com\\.\\s+300\\s+IN\\s+HTTPS\\s+0 my-app\\.cdn\\.example\\.net\\.");

    Response gone = live.answer(Question.of(Name.fromConstantString("gone.example.com."), AliasRecord.ALIAS), RESULTS, NOW);
    assertThat(gone.answer()).isEmpty(); // the flattened zone keeps no alias record there
  }
}
