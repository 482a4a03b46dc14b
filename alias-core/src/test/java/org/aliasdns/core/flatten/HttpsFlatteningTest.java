package org.aliasdns.core.flatten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.HttpsMode;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.QueryAnswerer;
import org.aliasdns.core.answer.Question;
import org.aliasdns.core.answer.Response;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link HttpsMode#FLATTEN}: an alias name without an HTTPS RRset of its own publishes its
 * target's HTTPS RRset (after the target's CNAMEs and AliasMode records) as its own, by the rule
 * addresses follow, in the flattened zone and in live answers alike; a ServiceMode TargetName "."
 * becomes the name it stood for (RFC 9460 §2.5.2).
 */
class HttpsFlatteningTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final FlatteningPolicy FLATTEN =
      FlatteningPolicy.builder().https(HttpsMode.FLATTEN).build();
  private static final Name APEX = name("example.com.");
  private static final Name WWW = name("www.example.com.");
  private static final Name TARGET = name("my-app.cdn.example.net.");
  private static final Name EDGE = name("edge.cdn.example.net.");
  private static final Name POP = name("pop1.cdn.example.net.");
  private static final Zone ZONE =
      ZoneFileReader.defaults()
          .read(
              """
              $ORIGIN example.com.
              $TTL 3600
              @    SOA   ns1 hostmaster 1 7200 900 1209600 300
              @    NS    ns1
              ns1  A     192.0.2.1
              @    600   ALIAS my-app.cdn.example.net.
              www  ALIAS my-app.cdn.example.net.
              www  HTTPS 1 . alpn=h3
              """,
              "example.com.zone")
          .zone();

  @TempDir Path dir;

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static Record https(Name owner, long ttl, String rdata) {
    try {
      return Record.fromString(owner, Type.HTTPS, DClass.IN, ttl, rdata, Name.root);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(rdata, e);
    }
  }

  /** The target is a CNAME (TTL 900) to an AliasMode record (TTL 120) to POP's RRset (TTL 300). */
  private static Resolution.Answer chained(Instant obtained, String... rdata) {
    List<Record> records = new ArrayList<>();
    for (String r : rdata) {
      records.add(https(POP, 300, r));
    }
    return new Resolution.Answer(
        TARGET,
        Type.HTTPS,
        List.of(Hop.cname(TARGET, EDGE, 900), Hop.aliasMode(EDGE, POP, 120)),
        RecordSet.of(records),
        obtained);
  }

  private static AliasResults with(Resolution https) {
    List<Resolution> all = new ArrayList<>();
    all.add(https);
    all.add(new Resolution.NoData(TARGET, Type.A, List.of(), 300, NOW));
    all.add(new Resolution.NoData(TARGET, Type.AAAA, List.of(), 300, NOW));
    return AliasResults.of(all);
  }

  private static List<String> httpsAt(Zone zone, Name owner) {
    return zone.get(owner, Type.HTTPS)
        .map(s -> s.records().stream().map(Record::rdataToString).toList())
        .orElse(List.of());
  }

  private static Response ask(Zone source, Name qname, AliasResults results, Instant now) {
    return QueryAnswerer.of(source, FLATTEN)
        .answer(Question.of(qname, Type.HTTPS), results, now);
  }

  @Test
  void theTargetsServiceModeRecordsArePublishedWithDotMadeExplicitAndTheChainsTtl() {
    AliasResults results = with(chained(NOW, "1 . alpn=h2,h3 ipv4hint=192.0.2.7", "2 alt.cdn.example.net. alpn=h2"));

    FlattenedZone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null);

    // RFC 9460 §2.5.2: "." meant POP, the owner of the RRset, not the alias name.
    assertThat(httpsAt(flat.zone(), APEX))
        .containsExactlyInAnyOrder(
            "1 pop1.cdn.example.net. alpn=h2,h3 ipv4hint=192.0.2.7",
            "2 alt.cdn.example.net. alpn=h2");
    // min(alias 600, CNAME 900, AliasMode 120, RRset 300)
    assertThat(flat.zone().get(APEX, Type.HTTPS).orElseThrow().ttl()).isEqualTo(120);
    assertThat(httpsAt(flat.zone(), WWW)).containsExactly("1 . alpn=h3"); // its own wins
    assertThat(flat.problems()).noneMatch(p -> p.family() == Family.HTTPS);

    Response live = ask(ZONE, name("Example.COM."), results, NOW);
    assertThat(live.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(live.answer())
        .extracting(Record::toString)
        .containsExactlyInAnyOrder(
            "Example.COM.\t\t120\tIN\tHTTPS\t1 pop1.cdn.example.net. alpn=h2,h3 ipv4hint=192.0.2.7",
            "Example.COM.\t\t120\tIN\tHTTPS\t2 alt.cdn.example.net. alpn=h2");
    assertThat(ask(ZONE, WWW, results, NOW).answer())
        .extracting(Record::rdataToString)
        .containsExactly("1 . alpn=h3");
  }

  @Test
  void anAliasModeDotAtTheEndOfTheChainIsCopiedAsItIs() {
    AliasResults results = with(chained(NOW, "0 ."));

    Zone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null).zone();

    assertThat(httpsAt(flat, APEX)).containsExactly("0 ."); // §2.5.1: no service, as the target says
    assertThat(ask(ZONE, APEX, results, NOW).answer())
        .extracting(Record::rdataToString)
        .containsExactly("0 .");
  }

  @Test
  void aTargetWithoutHttpsRecordsLeavesTheAliasNameWithoutAndAnsweringNodata() {
    for (Resolution negative :
        List.of(
            new Resolution.NoData(TARGET, Type.HTTPS, List.of(), 300, NOW),
            new Resolution.NxDomain(TARGET, Type.HTTPS, List.of(), 300, NOW))) {
      AliasResults results = with(negative);

      FlattenedZone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null);

      assertThat(httpsAt(flat.zone(), APEX)).isEmpty();
      assertThat(flat.problems()).noneMatch(p -> p.family() == Family.HTTPS); // most targets have no HTTPS records: no problem
      Response live = ask(ZONE, APEX, results, NOW);
      assertThat(live.rcode()).isEqualTo(Rcode.NOERROR); // NODATA, never NXDOMAIN
      assertThat(live.answer()).isEmpty();
      assertThat(live.authority()).extracting(Record::getType).containsExactly(Type.SOA);
    }
  }

  @Test
  void anAliasModeChainEndingInNodataPublishesAliasModeToItsLastTargetOnBothPaths() {
    // The target is a CNAME (900) to EDGE, whose AliasMode record (120) leads to POP, which has
    // addresses but no HTTPS records: RFC 9460 §2.4.2 sends clients to POP's addresses, not to
    // the alias name's (the target's own A/AAAA).
    AliasResults results =
        with(
            new Resolution.NoData(
                TARGET,
                Type.HTTPS,
                List.of(Hop.cname(TARGET, EDGE, 900), Hop.aliasMode(EDGE, POP, 120)),
                300,
                NOW));

    FlattenedZone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null);

    assertThat(httpsAt(flat.zone(), APEX)).containsExactly("0 pop1.cdn.example.net.");
    assertThat(flat.zone().get(APEX, Type.HTTPS).orElseThrow().ttl()).isEqualTo(120);
    assertThat(flat.problems()).filteredOn(p -> p.family() == Family.HTTPS).isEmpty();
    Response live = ask(ZONE, APEX, results, NOW);
    assertThat(live.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(live.answer())
        .extracting(r -> r.getTTL() + " " + r.rdataToString())
        .containsExactly("120 0 pop1.cdn.example.net.");
  }

  @Test
  void aFailureWithNothingStaleIsServfailLiveAndNothingInTheZone() {
    AliasResults results =
        with(new Resolution.Failure(TARGET, Type.HTTPS, List.of(), "SERVFAIL", NOW, null));

    FlattenedZone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null);

    assertThat(httpsAt(flat.zone(), APEX)).isEmpty();
    assertThat(flat.problems())
        .filteredOn(p -> p.owner().equals(APEX) && p.family() == Family.HTTPS)
        .singleElement()
        .satisfies(p -> assertThat(p.family()).isEqualTo(Family.HTTPS))
        .satisfies(p -> assertThat(p.detail()).contains("no last good HTTPS records"));
    Response live = ask(ZONE, APEX, results, NOW);
    assertThat(live.rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(live.extendedError().orElseThrow().code())
        .isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
    // The addresses are not affected: A at the apex is still NODATA (the target has none).
    Response a = QueryAnswerer.of(ZONE, FLATTEN).answer(Question.of(APEX, Type.A), results, NOW);
    assertThat(a.rcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void anHttpsRRsetTooLargeOnceDotIsMadeExplicitIsAProblemAndServfailNeverPublished() {
    // 250 ServiceMode records "." at a 247-octet owner: about 31 KB there, but each "." (one
    // octet) becomes the owner's name at the alias name, about 93 KB: past the 65,535 bytes of
    // any DNS message (RFC 1035 §4.2.2), so no server could ever answer it.
    Name longOwner =
        name("a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(50)
            + ".example.net.");
    String value = "x".repeat(100);
    List<Record> records = new ArrayList<>();
    for (int i = 1; i <= 250; i++) {
      records.add(https(longOwner, 300, i + " . alpn=h2 key65001=\"" + value + "\""));
    }
    AliasResults results =
        with(
            new Resolution.Answer(
                TARGET,
                Type.HTTPS,
                List.of(Hop.cname(TARGET, longOwner, 900)),
                RecordSet.of(records),
                NOW));

    FlattenedZone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null);

    assertThat(httpsAt(flat.zone(), APEX)).isEmpty();
    assertThat(flat.problems())
        .filteredOn(p -> p.owner().equals(APEX) && p.family() == Family.HTTPS)
        .singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(FlatteningProblem.Kind.TOO_LARGE))
        .satisfies(
            p -> assertThat(p.detail())
                .contains("HTTPS RRset at example.com. (250 records) would need a message of")
                .contains("at most 65535 fit in one (RFC 1035 §4.2.2)"));
    Response live = ask(ZONE, APEX, results, NOW);
    assertThat(live.rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(live.answer()).isEmpty();
  }

  @Test
  void theLastGoodRecordsAreServedStaleWithinMaxStaleThenDropped() {
    Instant later = NOW.plusSeconds(600); // past the chain's 120 s
    Flattener flattener = Flattener.of(FLATTEN);
    FlattenedZone first = flattener.flatten(ZONE, with(chained(NOW, "1 . alpn=h2")), NOW, null);
    AliasResults failing =
        with(new Resolution.Failure(TARGET, Type.HTTPS, List.of(), "timeout", later, null));

    FlattenedZone stale = flattener.flatten(ZONE, failing, later, first);

    assertThat(httpsAt(stale.zone(), APEX)).containsExactly("1 pop1.cdn.example.net. alpn=h2");
    assertThat(stale.zone().get(APEX, Type.HTTPS).orElseThrow().ttl()).isEqualTo(30);
    Response live =
        QueryAnswerer.of(ZONE, FLATTEN)
            .answer(Question.of(APEX, Type.HTTPS), failing, first::publication, later);
    assertThat(live.answer()).extracting(Record::getTTL).containsExactly(30L);
    assertThat(live.extendedError().orElseThrow().code())
        .isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER);

    Instant past = NOW.plus(Duration.ofDays(2)); // beyond max stale (one day)
    FlattenedZone gone =
        flattener.flatten(
            ZONE,
            with(new Resolution.Failure(TARGET, Type.HTTPS, List.of(), "timeout", past, null)),
            past,
            stale);
    assertThat(httpsAt(gone.zone(), APEX)).isEmpty();
  }

  @Test
  void theSerialMovesOnceWhenTheTargetsHttpsRecordsChangeAndNotWhenTheyDoNot() {
    Flattener flattener = Flattener.of(FLATTEN);
    FlattenedZone first = flattener.flatten(ZONE, with(chained(NOW, "1 . alpn=h2")), NOW, null);
    Instant later = NOW.plusSeconds(60);

    FlattenedZone same = flattener.flatten(ZONE, with(chained(later, "1 . alpn=h2")), later, first);
    FlattenedZone moved =
        flattener.flatten(ZONE, with(chained(later, "1 . alpn=h2,h3")), later, first);

    assertThat(same.changed()).isFalse();
    assertThat(same.serial()).isEqualTo(first.serial());
    assertThat(moved.changed()).isTrue();
    assertThat(moved.serial()).isEqualTo(first.serial() + 1);
  }

  @Test
  void anInZoneTargetIsFollowedThroughTheZonesOwnCnamesAndAliasModeRecords() {
    Zone zone =
        ZoneFileReader.defaults()
            .read(
                """
                $ORIGIN example.com.
                $TTL 3600
                @    SOA   ns1 hostmaster 1 7200 900 1209600 300
                @    NS    ns1
                ns1  A     192.0.2.1
                @    ALIAS app
                app  CNAME svc
                svc  600 HTTPS 0 pool
                pool 300 HTTPS 1 . alpn=h2
                pool A     192.0.2.10
                """,
                "example.com.zone")
            .zone();

    Zone flat = Flattener.of(FLATTEN).flatten(zone, AliasResults.empty(), NOW, null).zone();

    assertThat(httpsAt(flat, APEX)).containsExactly("1 pool.example.com. alpn=h2");
    assertThat(flat.get(APEX, Type.HTTPS).orElseThrow().ttl()).isEqualTo(300);
    // The A chain stops at svc (AliasMode is for HTTPS only): the apex has no address, while
    // the service is at pool's. Why "." could not stay "." at the apex (RFC 9460 §2.5.2).
    assertThat(flat.get(APEX, Type.A)).isEmpty();
    Response live =
        QueryAnswerer.of(zone, FLATTEN).answer(Question.of(APEX, Type.HTTPS), AliasResults.empty(), NOW);
    assertThat(live.answer())
        .extracting(Record::rdataToString)
        .containsExactly("1 pool.example.com. alpn=h2");
    // RFC 9460 §4.1: the explicit in-zone TargetName's address in additional.
    assertThat(live.additional())
        .extracting(Record::toString)
        .anySatisfy(r -> assertThat(r).startsWith("pool.example.com.").contains("192.0.2.10"));
  }

  @Test
  void anInZoneAliasModeLoopIsUnresolvedServfailLiveAndNothingInTheZone() {
    Zone zone =
        ZoneFileReader.defaults()
            .read(
                """
                $ORIGIN example.com.
                $TTL 3600
                @    SOA   ns1 hostmaster 1 7200 900 1209600 300
                @    NS    ns1
                ns1  A     192.0.2.1
                @    ALIAS svc
                svc  HTTPS 0 pool
                svc  A     192.0.2.10
                pool HTTPS 0 svc
                """,
                "example.com.zone")
            .zone();

    FlattenedZone flat = Flattener.of(FLATTEN).flatten(zone, AliasResults.empty(), NOW, null);

    // RFC 1034 §3.6.2 (and RFC 9460 §2.4.2 for AliasMode chains): a loop is an error.
    assertThat(httpsAt(flat.zone(), APEX)).isEmpty();
    assertThat(flat.zone().get(APEX, Type.A)).isPresent(); // the addresses do not loop
    assertThat(flat.problems())
        .filteredOn(p -> p.family() == Family.HTTPS)
        .singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(FlatteningProblem.Kind.LOOP));
    Response live =
        QueryAnswerer.of(zone, FLATTEN).answer(Question.of(APEX, Type.HTTPS), AliasResults.empty(), NOW);
    assertThat(live.rcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void coPublishingAndFlatteningExcludeEachOther() {
    assertThatThrownBy(
            () -> FlatteningPolicy.builder().httpsAliasMode(true).https(HttpsMode.FLATTEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ALIAS_MODE");
    assertThatThrownBy(() -> FlatteningPolicy.builder().families(Family.HTTPS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FLATTEN.synthesizedFamilies())
        .containsExactly(Family.IPV4, Family.IPV6, Family.HTTPS);
    assertThat(FLATTEN.families()).containsExactly(Family.IPV4, Family.IPV6);
  }

  @Test
  void theFlattenedHttpsRecordsLoadInNamedCheckzoneAndKzonecheck() throws Exception {
    AliasResults results = with(chained(NOW, "1 . alpn=h2,h3 ipv4hint=192.0.2.7", "2 alt.cdn.example.net. alpn=h2"));
    Zone flat = Flattener.of(FLATTEN).flatten(ZONE, results, NOW, null).zone();
    Path file = dir.resolve("example.com.zone");
    Files.writeString(file, ZoneFileWriter.defaults().withGenericAliasTypes().toText(flat));

    ExternalTool.Run bind = ExternalTool.namedCheckzone("example.com.", file);
    assertThat(bind.exitCode()).as(bind.output()).isZero();
    ExternalTool.Run knot = ExternalTool.kzonecheck("example.com.", file);
    assertThat(knot.exitCode()).as(knot.output()).isZero();
  }
}
