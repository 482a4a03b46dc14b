package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RandomZones;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.check.Severity;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class FlattenerTest {
  private static final Name ORIGIN = name("example.com.");
  private static final Name WWW = name("www.example.com.");
  private static final Name CDN = name("cdn.example.net.");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** SOA (serial 100) and NS at the apex, with the name server's address. */
  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 100 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.53\n";

  private static final Flattener FLATTENER = Flattener.of(FlatteningPolicy.defaults());

  // ---- fixtures

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static Zone zone(String body) {
    return zone(HEAD, body);
  }

  private static Zone zone(String head, String body) {
    return ZoneFileReader.forOrigin(ORIGIN).read(head + body, "test.zone").zone();
  }

  private static int typeOf(String address) {
    return address.contains(":") ? Type.AAAA : Type.A;
  }

  /** An answer straight from the target, obtained at T0. */
  private static Resolution.Answer answer(Name target, long ttl, String... addresses) {
    return answer(target, List.of(), ttl, T0, addresses);
  }

  /** An answer reached through hops; the final RRset is owned by the last hop's target. */
  private static Resolution.Answer answer(
      Name target, List<Hop> chain, long ttl, Instant obtained, String... addresses) {
    Name last = chain.isEmpty() ? target : chain.get(chain.size() - 1).target();
    int type = typeOf(addresses[0]);
    List<Record> records = new ArrayList<>();
    for (String address : addresses) {
      records.add(Rr.rr(last.toString(), ttl, Type.string(type), address));
    }
    return new Resolution.Answer(target, type, chain, RecordSet.of(records), obtained);
  }

  private static Resolution.Failure failure(
      Name target, int type, Instant at, Resolution.@Nullable Answer stale) {
    return new Resolution.Failure(target, type, List.of(), "SERVFAIL", at, stale);
  }

  private static List<Hop> loopChain() {
    return List.of(
        Hop.cname(CDN, name("a.example.net."), 300),
        Hop.cname(name("a.example.net."), name("b.example.net."), 300),
        Hop.cname(name("b.example.net."), CDN, 300));
  }

  private static List<Hop> hops(int n) {
    List<Hop> chain = new ArrayList<>();
    Name from = CDN;
    for (int i = 1; i <= n; i++) {
      Name to = name("h" + i + ".example.net.");
      chain.add(Hop.cname(from, to, 300));
      from = to;
    }
    return chain;
  }

  private static InetAddress ip(String text) {
    try {
      return org.xbill.DNS.Address.getByAddress(text); // parses literals only, never looks a name up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** IPv6 text as dnsjava prints AAAA rdata: uncompressed. */
  private static String v6(String text) {
    return ip(text).getHostAddress();
  }

  private static List<String> addresses(Zone zone, Name owner, int type) {
    return zone.get(owner, type).map(FlattenerTest::rdata).orElse(List.of());
  }

  private static List<String> rdata(RecordSet set) {
    List<String> out = new ArrayList<>();
    for (Record r : set) {
      out.add(r.rdataToString());
    }
    return out;
  }

  private static long ttl(Zone zone, Name owner, int type) {
    return zone.get(owner, type).orElseThrow().ttl();
  }

  private static FlattenedZone flatten(Zone source, Resolution... results) {
    return FLATTENER.flatten(source, AliasResults.of(results), T0, null);
  }

  private static final Zone WWW_ALIAS = zone("www 3600 ALIAS cdn.example.net.\n");

  /** A previous run that published 192.0.2.1 for www, confirmed at T0 with TTL 300. */
  private static FlattenedZone publishedAtT0() {
    return flatten(WWW_ALIAS, answer(CDN, 300, "192.0.2.1"), answer(CDN, 300, "2001:db8::1"));
  }

  // ---- the tests

  @Nested
  class Synthesis {
    @Test
    void aliasBecomesAAndAaaaSiblingsAtTheAliasName() {
      FlattenedZone out =
          flatten(
              WWW_ALIAS,
              answer(CDN, 300, "192.0.2.1", "192.0.2.2"),
              answer(CDN, 300, "2001:db8::1"));

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1", "192.0.2.2");
      assertThat(addresses(out.zone(), WWW, Type.AAAA)).containsExactly(v6("2001:db8::1"));
      assertThat(out.zone().get(WWW, Type.A).orElseThrow().owner()).isEqualTo(WWW);
    }

    @Test
    void aliasRecordsAreRemovedFromThePublishedZone() {
      FlattenedZone out = flatten(WWW_ALIAS, answer(CDN, 300, "192.0.2.1"));

      assertThat(out.zone().get(WWW, AliasRecord.ALIAS)).isEmpty();
    }

    @Test
    void anameRecordsAreFlattenedLikeAlias() {
      FlattenedZone out =
          flatten(zone("www 3600 ANAME cdn.example.net.\n"), answer(CDN, 300, "192.0.2.1"));

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(out.zone().get(WWW, AliasRecord.ANAME)).isEmpty();
    }

    @Test
    void keepingAliasRecordsLeavesThemBesideTheSiblings() {
      FlattenedZone out =
          FLATTENER
              .keepingAliasRecords()
              .flatten(WWW_ALIAS, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0, null);

      assertThat(out.zone().get(WWW, AliasRecord.ALIAS)).isPresent();
      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
    }

    @Test
    void explicitAWinsButAaaaIsStillSynthesized() {
      Zone source = zone("www 3600 ALIAS cdn.example.net.\nwww 600 A 198.51.100.7\n");

      FlattenedZone out =
          flatten(source, answer(CDN, 300, "192.0.2.1"), answer(CDN, 300, "2001:db8::1"));

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("198.51.100.7");
      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(600);
      assertThat(addresses(out.zone(), WWW, Type.AAAA)).containsExactly(v6("2001:db8::1"));
      assertThat(out.siblings(WWW, Family.IPV4)).isEmpty();
    }

    @Test
    void otherDataAtTheAliasNameIsUntouched() {
      Zone source =
          zone(
              "@ 3600 ALIAS cdn.example.net.\n"
                  + "@ MX 10 mail\n"
                  + "@ TXT \"v=spf1 -all\"\n"
                  + "mail A 192.0.2.25\n");

      FlattenedZone out = flatten(source, answer(CDN, 300, "192.0.2.1"));

      for (int type : new int[] {Type.SOA, Type.NS, Type.MX, Type.TXT}) {
        if (type != Type.SOA) {
          assertThat(out.zone().get(ORIGIN, type)).isEqualTo(source.get(ORIGIN, type));
        }
      }
      assertThat(out.zone().get(ORIGIN, Type.SOA)).isPresent();
      assertThat(addresses(out.zone(), ORIGIN, Type.A)).containsExactly("192.0.2.1");
    }

    @Test
    void namesWithoutAliasesAreCopiedUnchanged() {
      Zone source = zone("www ALIAS cdn.example.net.\nhost A 192.0.2.9\nold CNAME host\n");

      FlattenedZone out = flatten(source, answer(CDN, 300, "192.0.2.1"));

      assertThat(out.zone().get(name("host.example.com."), Type.A))
          .isEqualTo(source.get(name("host.example.com."), Type.A));
      assertThat(out.zone().get(name("old.example.com."), Type.CNAME)).isPresent();
    }

    @Test
    void onlyThePolicyFamiliesAreSynthesized() {
      Flattener v4only =
          Flattener.of(FlatteningPolicy.builder().families(Family.IPV4).build());

      FlattenedZone out =
          v4only.flatten(
              WWW_ALIAS,
              AliasResults.of(answer(CDN, 300, "192.0.2.1"), answer(CDN, 300, "2001:db8::1")),
              T0,
              null);

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(out.zone().get(WWW, Type.AAAA)).isEmpty();
    }

    @Test
    void targetsListsEachAliasTargetOnceInCanonicalOrder() {
      Zone source =
          zone(
              "www ALIAS cdn.example.net.\n"
                  + "www2 ANAME cdn.example.net.\n"
                  + "@ ALIAS apex.example.org.\n"
                  + "x CNAME y.example.org.\n");

      assertThat(FLATTENER.targets(source)).containsExactly(CDN, name("apex.example.org."));
    }

    @Test
    void aSourceWithoutSoaIsRefused() {
      Zone source = Zone.builder(ORIGIN).add(Rr.rr("www.example.com.", 60, "ALIAS", "cdn.example.net.")).build();

      assertThatThrownBy(() -> flatten(source))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no SOA");
    }
  }

  @Nested
  class Ttl {
    @Test
    void aThreeHopChainGivesTheMinimumTtl() {
      List<Hop> chain =
          List.of(
              Hop.cname(CDN, name("a.example.net."), 900),
              Hop.cname(name("a.example.net."), name("b.example.net."), 120),
              Hop.dname(name("b.example.net."), name("c.example.org."), 600));

      FlattenedZone out = flatten(WWW_ALIAS, answer(CDN, chain, 300, T0, "192.0.2.1"));

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(120);
    }

    @Test
    void theAliasRecordTtlCountsInTheMinimum() {
      FlattenedZone out =
          flatten(zone("www 45 ALIAS cdn.example.net.\n"), answer(CDN, 300, "192.0.2.1"));

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(45);
    }

    @Test
    void theFinalRrsetTtlCountsInTheMinimum() {
      FlattenedZone out = flatten(WWW_ALIAS, answer(CDN, hops(2), 30, T0, "192.0.2.1"));

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(30);
    }

    @Test
    void aTtlBelowTheFloorIsRaisedToIt() {
      Flattener f = Flattener.of(FlatteningPolicy.builder().ttlFloor(60).build());

      FlattenedZone out =
          f.flatten(WWW_ALIAS, AliasResults.of(answer(CDN, 5, "192.0.2.1")), T0, null);

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(60);
    }

    @Test
    void aTtlAboveTheCapIsLoweredToIt() {
      Flattener f = Flattener.of(FlatteningPolicy.builder().ttlCap(600).build());

      FlattenedZone out =
          f.flatten(
              zone("www 86400 ALIAS cdn.example.net.\n"),
              AliasResults.of(answer(CDN, 7200, "192.0.2.1")),
              T0,
              null);

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(600);
    }

    @Test
    void aTtlZeroHopGivesTtlZero() {
      List<Hop> chain = List.of(Hop.cname(CDN, name("lb.example.net."), 0));

      FlattenedZone out = flatten(WWW_ALIAS, answer(CDN, chain, 300, T0, "192.0.2.1"));

      assertThat(ttl(out.zone(), WWW, Type.A)).isZero();
    }

    @Test
    void countdownModePublishesWhatRemainsOfTheTtl() {
      Flattener f =
          Flattener.of(FlatteningPolicy.builder().ttlMode(TtlMode.COUNTDOWN).build());

      FlattenedZone out =
          f.flatten(
              WWW_ALIAS,
              AliasResults.of(answer(CDN, 300, "192.0.2.1")),
              T0.plusSeconds(100),
              null);

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(200);
    }

    @Test
    void countdownModeRaisesWhatRemainsToTheFloorAgain() {
      Flattener f =
          Flattener.of(
              FlatteningPolicy.builder().ttlMode(TtlMode.COUNTDOWN).ttlFloor(30).build());

      FlattenedZone out =
          f.flatten(
              WWW_ALIAS,
              AliasResults.of(answer(CDN, 300, "192.0.2.1")),
              T0.plusSeconds(290),
              null);

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(30); // 10 s left, floor 30
    }

    @Test
    void fixedModePublishesTheWholeTtlWhateverTheAge() {
      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0.plusSeconds(100), null);

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(300);
    }
  }

  @Nested
  class NegativeAnswers {
    @Test
    void targetNxDomainForAButFineForAaaaPublishesOnlyAaaa() {
      FlattenedZone out =
          flatten(
              WWW_ALIAS,
              new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0),
              answer(CDN, 300, "2001:db8::1"));

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
      assertThat(addresses(out.zone(), WWW, Type.AAAA)).containsExactly(v6("2001:db8::1"));
      assertThat(out.siblings(WWW, Family.IPV4).orElseThrow().status())
          .isEqualTo(Siblings.Status.NO_ADDRESSES);
      assertThat(out.problems()).isEmpty();
    }

    @Test
    void noDataRemovesPreviousSiblingsAtOnce() {
      FlattenedZone first = publishedAtT0();

      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS,
              AliasResults.of(
                  new Resolution.NoData(CDN, Type.A, List.of(), 300, T0.plusSeconds(60)),
                  answer(CDN, 300, "2001:db8::1")),
              T0.plusSeconds(60),
              first);

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
      assertThat(out.zone().contains(WWW)).isTrue();
    }

    @Test
    void anApexAliasWhoseTargetVanishedKeepsTheApex() {
      FlattenedZone out =
          flatten(
              zone("@ ALIAS cdn.example.net.\n"),
              new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0),
              new Resolution.NxDomain(CDN, Type.AAAA, List.of(), 300, T0));

      assertThat(out.zone().get(ORIGIN, Type.A)).isEmpty();
      assertThat(out.zone().get(ORIGIN, Type.NS)).isPresent();
      assertThat(out.zone().get(ORIGIN, AliasRecord.ALIAS)).isEmpty(); // the SOA keeps the apex
    }

    @Test
    void aTargetWithNoAddressesForEitherFamilyIsReportedOncePerFamily() {
      FlattenedZone out =
          flatten(
              WWW_ALIAS,
              new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0),
              new Resolution.NoData(CDN, Type.AAAA, List.of(), 300, T0));

      assertThat(out.problems())
          .extracting(FlatteningProblem::family, FlatteningProblem::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(Family.IPV4, FlatteningProblem.Kind.NO_ADDRESSES),
              org.assertj.core.groups.Tuple.tuple(Family.IPV6, FlatteningProblem.Kind.NO_ADDRESSES));
      assertThat(out.problems().get(0).toString())
          .isEqualTo(
              "www.example.com. A -> cdn.example.net.: NO_ADDRESSES: the target is NXDOMAIN"
                  + " and the name has no addresses; it answers NODATA");
      assertThat(out.problems().get(0).kind().isFailure()).isFalse();
    }

    @Test
    void aFlattenedCnameToATargetWithoutAddressesIsReportedAsStayingACname() {
      FlatteningPolicy all = FlatteningPolicy.builder().scope(Scope.ALL_CNAMES).build();
      AliasResults results =
          AliasResults.of(
              List.of(
                  new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0),
                  new Resolution.NxDomain(CDN, Type.AAAA, List.of(), 300, T0)));

      FlattenedZone out =
          Flattener.of(all).flatten(zone("www 3600 CNAME cdn.example.net.\n"), results, T0, null);

      assertThat(out.zone().get(name("www.example.com."), Type.CNAME)).isPresent();
      assertThat(out.problems().get(0).toString())
          .endsWith("the target is NXDOMAIN and the name has no addresses; it stays a CNAME");
    }

    @Test
    void aTargetWithoutAddressesBesideExplicitOnesIsNotAProblem() {
      FlattenedZone out =
          flatten(
              zone("www ALIAS cdn.example.net.\nwww A 198.51.100.7\n"),
              new Resolution.NoData(CDN, Type.AAAA, List.of(), 300, T0));

      assertThat(out.problems()).isEmpty();
    }
  }

  /**
   * Point 1 of issue 10: an alias name exists whatever its target does, so a name holding only
   * its alias keeps the alias record where nothing else would be left (RFC 8020).
   */
  @Nested
  class NamesNeverVanish {
    private final Zone only = zone("nx 3600 ALIAS gone.example.net.\n");
    private final Name nx = name("nx.example.com.");
    private final Name gone = name("gone.example.net.");

    private FlattenedZone both(Resolution a, Resolution aaaa) {
      return FLATTENER.flatten(only, AliasResults.of(a, aaaa), T0, null);
    }

    private void assertKept(FlattenedZone out) {
      assertThat(out.zone().contains(nx)).isTrue();
      assertThat(out.zone().get(nx, AliasRecord.ALIAS)).isEqualTo(only.get(nx, AliasRecord.ALIAS));
      assertThat(out.zone().get(nx, Type.A)).isEmpty();
      assertThat(out.zone().get(nx, Type.AAAA)).isEmpty();
    }

    @Test
    void aTargetThatIsNxdomainKeepsTheAliasRecord() {
      assertKept(
          both(
              new Resolution.NxDomain(gone, Type.A, List.of(), 60, T0),
              new Resolution.NxDomain(gone, Type.AAAA, List.of(), 60, T0)));
    }

    @Test
    void aTargetWhoseChainLoopsKeepsTheAliasRecord() {
      List<Hop> loop = List.of(Hop.cname(gone, name("a.example.net."), 60),
          Hop.cname(name("a.example.net."), gone, 60));

      assertKept(
          both(new Resolution.Loop(gone, Type.A, loop, T0),
              new Resolution.Loop(gone, Type.AAAA, loop, T0)));
    }

    @Test
    void aChainPastTheLimitKeepsTheAliasRecord() {
      assertKept(
          both(new Resolution.ChainTooLong(gone, Type.A, List.of(), T0),
              new Resolution.ChainTooLong(gone, Type.AAAA, List.of(), T0)));
    }

    @Test
    void aTargetThatFailedAtStartKeepsTheAliasRecord() {
      assertKept(
          both(new Resolution.Failure(gone, Type.A, List.of(), "timeout", T0, null),
              new Resolution.Failure(gone, Type.AAAA, List.of(), "timeout", T0, null)));
    }

    @Test
    void aCnameToNxdomainKeepsTheAliasRecord() {
      List<Hop> hop = List.of(Hop.cname(gone, name("nothing.example.org."), 300));

      assertKept(
          both(new Resolution.NxDomain(gone, Type.A, hop, 60, T0),
              new Resolution.NxDomain(gone, Type.AAAA, hop, 60, T0)));
    }

    @Test
    void aDnameToNxdomainKeepsTheAliasRecord() {
      List<Hop> hop = List.of(Hop.dname(gone, name("gone.example.org."), 300));

      assertKept(
          both(new Resolution.NxDomain(gone, Type.A, hop, 60, T0),
              new Resolution.NxDomain(gone, Type.AAAA, hop, 60, T0)));
    }

    @Test
    void noResultsAtAllKeepTheAliasRecord() {
      assertKept(FLATTENER.flatten(only, AliasResults.empty(), T0, null));
    }

    @Test
    void theAliasRecordGoesOnceEitherFamilyPublishesAddresses() {
      FlattenedZone out =
          both(
              answer(gone, 300, "192.0.2.5"),
              new Resolution.NxDomain(gone, Type.AAAA, List.of(), 60, T0));

      assertThat(out.zone().get(nx, AliasRecord.ALIAS)).isEmpty();
      assertThat(addresses(out.zone(), nx, Type.A)).containsExactly("192.0.2.5");
    }

    @Test
    void theAliasRecordGoesBesideOtherData() {
      Zone withTxt = zone("nx 3600 ALIAS gone.example.net.\nnx TXT \"hello\"\n");

      FlattenedZone out = FLATTENER.flatten(withTxt, AliasResults.empty(), T0, null);

      assertThat(out.zone().get(nx, AliasRecord.ALIAS)).isEmpty();
      assertThat(out.zone().get(nx, Type.TXT)).isPresent();
    }

    @Test
    void theAliasRecordComingAndGoingMovesTheSerial() {
      FlattenedZone vanished =
          both(
              new Resolution.NxDomain(gone, Type.A, List.of(), 60, T0),
              new Resolution.NxDomain(gone, Type.AAAA, List.of(), 60, T0));

      FlattenedZone back =
          FLATTENER.flatten(
              only,
              AliasResults.of(answer(gone, 300, "192.0.2.5"), answer(gone, 300, "2001:db8::5")),
              T0.plusSeconds(60),
              vanished);

      assertThat(back.changed()).isTrue();
      assertThat(back.serial()).isEqualTo(vanished.serial() + 1);
      assertThat(back.zone().get(nx, AliasRecord.ALIAS)).isEmpty();
    }
  }

  @Nested
  class Failures {
    private final Flattener oneHourStale =
        Flattener.of(FlatteningPolicy.builder().maxStale(Duration.ofHours(1)).staleTtl(30).build());

    private FlattenedZone failAt(Instant at, FlattenedZone previous) {
      return oneHourStale.flatten(
          WWW_ALIAS,
          AliasResults.of(failure(CDN, Type.A, at, null), answer(CDN, 300, "2001:db8::1")),
          at,
          previous);
    }

    @Test
    void failureKeepsPreviousSiblingsWithinMaxStaleWithTheStaleTtl() {
      // fresh until T0+300 s; stale allowed until T0+300 s+1 h
      FlattenedZone out = failAt(T0.plusSeconds(300 + 1800), publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(30);
      assertThat(out.siblings(WWW, Family.IPV4).orElseThrow().status())
          .isEqualTo(Siblings.Status.STALE);
      assertThat(out.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.kind()).isEqualTo(FlatteningProblem.Kind.UPSTREAM_FAILURE));
    }

    @Test
    void theStaleTtlNeverReachesPastTheEndOfMaxStale() {
      FlattenedZone out = failAt(T0.plusSeconds(300 + 3600 - 7), publishedAtT0());

      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(7);
    }

    @Test
    void previousSiblingsAreKeptUpToTheLastInstantOfMaxStale() {
      FlattenedZone out = failAt(T0.plusSeconds(300 + 3600), publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(ttl(out.zone(), WWW, Type.A)).isZero();
    }

    @Test
    void aPreviousNegativeAnswerIsKeptStaleThroughAFailureAndReported() {
      FlattenedZone vanished =
          flatten(
              WWW_ALIAS,
              new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0),
              answer(CDN, 300, "2001:db8::1"));

      FlattenedZone out = failAt(T0.plusSeconds(60), vanished);

      AliasPublication kept = out.publication(WWW, Family.IPV4).orElseThrow();
      assertThat(kept).isInstanceOf(AliasPublication.NoAddresses.class);
      assertThat(((AliasPublication.NoAddresses) kept).stale()).isTrue();
      assertThat(out.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.detail()).contains("keeping the NXDOMAIN"));
    }

    @Test
    void failureDropsPreviousSiblingsOnceMaxStaleHasPassed() {
      FlattenedZone out = failAt(T0.plusSeconds(300 + 3600 + 1), publishedAtT0());

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
      assertThat(out.siblings(WWW, Family.IPV4).orElseThrow().status())
          .isEqualTo(Siblings.Status.UNRESOLVED);
      assertThat(out.problems().get(0).detail()).contains("dropped");
    }

    @Test
    void staleSiblingsKeepTheirFirstConfirmationAcrossRuns() {
      FlattenedZone stale = failAt(T0.plusSeconds(1000), publishedAtT0());

      FlattenedZone later = failAt(T0.plusSeconds(300 + 3600 + 1), stale);

      assertThat(stale.siblings(WWW, Family.IPV4).orElseThrow().confirmed()).isEqualTo(T0);
      assertThat(later.zone().get(WWW, Type.A)).isEmpty();
    }

    @Test
    void failureWithAStaleAnswerPublishesItWithTheStaleTtl() {
      Resolution.Answer stale = answer(CDN, 300, "198.51.100.9");

      FlattenedZone out =
          oneHourStale.flatten(
              WWW_ALIAS,
              AliasResults.of(failure(CDN, Type.A, T0.plusSeconds(600), stale)),
              T0.plusSeconds(600),
              null);

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("198.51.100.9");
      assertThat(ttl(out.zone(), WWW, Type.A)).isEqualTo(30);
    }

    @Test
    void aStaleAnswerPastMaxStaleIsNotPublished() {
      Resolution.Answer stale = answer(CDN, 300, "198.51.100.9");
      Instant late = T0.plusSeconds(300 + 3600 + 1);

      FlattenedZone out =
          oneHourStale.flatten(
              WWW_ALIAS, AliasResults.of(failure(CDN, Type.A, late, stale)), late, null);

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
    }

    @Test
    void theLaterConfirmedOfStaleAnswerAndPreviousSiblingsIsKept() {
      Resolution.Answer newer = answer(CDN, List.of(), 300, T0.plusSeconds(200), "198.51.100.9");
      Instant at = T0.plusSeconds(900);

      FlattenedZone out =
          oneHourStale.flatten(
              WWW_ALIAS, AliasResults.of(failure(CDN, Type.A, at, newer)), at, publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("198.51.100.9");
    }

    @Test
    void failureWithNothingToKeepPublishesNoAddressesAndIsReported() {
      FlattenedZone out =
          flatten(WWW_ALIAS, failure(CDN, Type.A, T0, null), answer(CDN, 300, "2001:db8::1"));

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
      assertThat(out.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(FlatteningProblem.Kind.UPSTREAM_FAILURE);
                assertThat(p.detail()).contains("SERVFAIL");
              });
    }

    @Test
    void previousSiblingsOfAnotherTargetAreNotKept() {
      Zone moved = zone("www 3600 ALIAS other.example.org.\n");
      Name other = name("other.example.org.");

      FlattenedZone out =
          FLATTENER.flatten(
              moved,
              AliasResults.of(failure(other, Type.A, T0.plusSeconds(10), null)),
              T0.plusSeconds(10),
              publishedAtT0());

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
    }

    @Test
    void aMissingResultIsReportedAndPreviousSiblingsKept() {
      FlattenedZone out =
          FLATTENER.flatten(WWW_ALIAS, AliasResults.empty(), T0.plusSeconds(60), publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(out.problems())
          .extracting(FlatteningProblem::kind)
          .containsOnly(FlatteningProblem.Kind.MISSING_RESULT);
    }

    @Test
    void aLoopIsReportedWithTheFullChainAndPreviousSiblingsKept() {
      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS,
              AliasResults.of(new Resolution.Loop(CDN, Type.A, loopChain(), T0.plusSeconds(60))),
              T0.plusSeconds(60),
              publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      FlatteningProblem problem =
          out.problems().stream()
              .filter(p -> p.family() == Family.IPV4)
              .findFirst()
              .orElseThrow();
      assertThat(problem.kind()).isEqualTo(FlatteningProblem.Kind.LOOP);
      assertThat(problem.owner()).isEqualTo(WWW);
      assertThat(problem.chain()).isEqualTo(loopChain());
      assertThat(problem.toString()).contains("b.example.net. -> cdn.example.net.");
    }

    @Test
    void anOverLongChainIsReportedWithTheChainAndPreviousSiblingsKept() {
      List<Hop> chain = hops(16);

      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS,
              AliasResults.of(new Resolution.ChainTooLong(CDN, Type.A, chain, T0.plusSeconds(60))),
              T0.plusSeconds(60),
              publishedAtT0());

      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
      assertThat(out.problems())
          .filteredOn(p -> p.family() == Family.IPV4)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(FlatteningProblem.Kind.CHAIN_TOO_LONG);
                assertThat(p.chain()).isEqualTo(chain);
              });
    }

    @Test
    void anAnswerWithMoreHopsThanTheLimitIsTreatedAsOverLong() {
      Flattener limit2 = Flattener.of(FlatteningPolicy.builder().chainLimit(2).build());

      FlattenedZone out =
          limit2.flatten(
              WWW_ALIAS, AliasResults.of(answer(CDN, hops(3), 300, T0, "192.0.2.1")), T0, null);

      assertThat(out.zone().get(WWW, Type.A)).isEmpty();
      assertThat(out.problems())
          .filteredOn(p -> p.family() == Family.IPV4)
          .extracting(FlatteningProblem::kind)
          .containsExactly(FlatteningProblem.Kind.CHAIN_TOO_LONG);
    }
  }

  @Nested
  class Scopes {
    private final Zone apexCname =
        zone(
            "$TTL 3600\n@ SOA ns1.example.net. hostmaster 100 7200 900 1209600 300\n",
            "@ CNAME cdn.example.net.\nwww CNAME cdn.example.net.\n");

    @Test
    void anApexCnameIsFlattenedUnderAliasAndApexCname() {
      Flattener f =
          Flattener.of(FlatteningPolicy.builder().scope(Scope.ALIAS_AND_APEX_CNAME).build());

      FlattenedZone out =
          f.flatten(apexCname, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0, null);

      assertThat(out.zone().get(ORIGIN, Type.CNAME)).isEmpty();
      assertThat(addresses(out.zone(), ORIGIN, Type.A)).containsExactly("192.0.2.1");
      assertThat(out.zone().get(WWW, Type.CNAME)).isPresent();
    }

    @Test
    void anApexCnameIsLeftAloneUnderAliasRecordsScope() {
      FlattenedZone out = flatten(apexCname, answer(CDN, 300, "192.0.2.1"));

      assertThat(out.zone().get(ORIGIN, Type.CNAME)).isPresent();
      assertThat(out.zone().get(ORIGIN, Type.A)).isEmpty();
    }

    @Test
    void allCnamesFlattensEveryCname() {
      Flattener f = Flattener.of(FlatteningPolicy.builder().scope(Scope.ALL_CNAMES).build());

      FlattenedZone out =
          f.flatten(apexCname, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0, null);

      assertThat(out.zone().get(ORIGIN, Type.CNAME)).isEmpty();
      assertThat(out.zone().get(WWW, Type.CNAME)).isEmpty();
      assertThat(addresses(out.zone(), WWW, Type.A)).containsExactly("192.0.2.1");
    }

    @Test
    void aFlattenedCnameWithNothingToPublishStaysRatherThanTheNameVanishing() {
      Flattener f = Flattener.of(FlatteningPolicy.builder().scope(Scope.ALL_CNAMES).build());

      FlattenedZone out =
          f.flatten(apexCname, AliasResults.of(failure(CDN, Type.A, T0, null)), T0, null);

      assertThat(out.zone().get(WWW, Type.CNAME)).isPresent();
      assertThat(out.zone().get(ORIGIN, Type.CNAME)).isEmpty(); // the apex has SOA beside it
    }

    @Test
    void aFlattenedCnameIsNotKeptByKeepingAliasRecords() {
      Flattener f =
          Flattener.of(FlatteningPolicy.builder().scope(Scope.ALL_CNAMES).build())
              .keepingAliasRecords();

      FlattenedZone out =
          f.flatten(apexCname, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0, null);

      assertThat(out.zone().get(WWW, Type.CNAME)).isEmpty();
    }
  }

  @Nested
  class Serial {
    private FlattenedZone rerun(FlattenedZone previous, Zone source, String address) {
      return FLATTENER.flatten(
          source,
          AliasResults.of(
              answer(CDN, List.of(), 300, T0.plusSeconds(60), address),
              answer(CDN, List.of(), 300, T0.plusSeconds(60), "2001:db8::1")),
          T0.plusSeconds(60),
          previous);
    }

    @Test
    void aFirstRunPublishesTheSourceSerial() {
      FlattenedZone out = publishedAtT0();

      assertThat(out.serial()).isEqualTo(100);
      assertThat(out.zone().soa().orElseThrow().getSerial()).isEqualTo(100);
      assertThat(out.changed()).isTrue();
    }

    @Test
    void theSerialIsUnchangedWhenNothingChanged() {
      FlattenedZone out = rerun(publishedAtT0(), WWW_ALIAS, "192.0.2.1");

      assertThat(out.serial()).isEqualTo(100);
      assertThat(out.changed()).isFalse();
      assertThat(out.changes()).isEmpty();
    }

    @Test
    void theSerialIsIncrementedWhenAddressesChange() {
      FlattenedZone out = rerun(publishedAtT0(), WWW_ALIAS, "192.0.2.2");

      assertThat(out.serial()).isEqualTo(101);
      assertThat(out.zone().soa().orElseThrow().getSerial()).isEqualTo(101);
      assertThat(out.changed()).isTrue();
    }

    @Test
    void theSerialIsIncrementedWhenOnlyATtlChanges() {
      FlattenedZone first = publishedAtT0();

      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS,
              AliasResults.of(answer(CDN, 120, "192.0.2.1"), answer(CDN, 300, "2001:db8::1")),
              T0,
              first);

      assertThat(out.serial()).isEqualTo(101);
      assertThat(out.changes()).isEmpty();
    }

    @Test
    void theSerialIsIncrementedWhenOtherSourceDataChanges() {
      Zone edited = zone("www 3600 ALIAS cdn.example.net.\nwww TXT \"hello\"\n");

      FlattenedZone out = rerun(publishedAtT0(), edited, "192.0.2.1");

      assertThat(out.serial()).isEqualTo(101);
    }

    @Test
    void anUnchangedRunPublishesThePreviousZoneItself() {
      FlattenedZone first = publishedAtT0();

      FlattenedZone out = rerun(first, WWW_ALIAS, "192.0.2.1");

      assertThat(out.zone()).isSameAs(first.zone()); // the steady state builds no new zone
    }

    @Test
    void aRecordRemovedFromTheSourceMovesTheSerialAndKeepsEverythingElse() {
      Zone withTxt = zone("www 3600 ALIAS cdn.example.net.\nwww TXT \"hello\"\nmail A 192.0.2.9\n");
      Zone withoutTxt = zone("www 3600 ALIAS cdn.example.net.\nmail A 192.0.2.9\n");
      FlattenedZone first = rerun(publishedAtT0(), withTxt, "192.0.2.1");

      // Every RRset left equals the previous zone's: only the count tells the change.
      FlattenedZone out = rerun(first, withoutTxt, "192.0.2.1");

      assertThat(out.serial()).isEqualTo(102);
      assertThat(out.zone().get(WWW, Type.TXT)).isEmpty();
      assertThat(out.zone().size()).isEqualTo(first.zone().size() - 1);
      for (RecordSet set : first.zone()) {
        if (set.type() != Type.TXT && set.type() != Type.SOA) {
          assertThat(out.zone().get(set.owner(), set.type())).contains(set);
        }
      }
    }

    @Test
    void theSerialWrapsFrom4294967295ToZero() {
      Zone source =
          zone(
              "$TTL 3600\n@ SOA ns1 hostmaster 4294967295 7200 900 1209600 300\n"
                  + "@ NS ns1\nns1 A 192.0.2.53\n",
              "www 3600 ALIAS cdn.example.net.\n");
      FlattenedZone first =
          FLATTENER.flatten(source, AliasResults.of(answer(CDN, 300, "192.0.2.1")), T0, null);

      FlattenedZone out = rerun(first, source, "192.0.2.2");

      assertThat(first.serial()).isEqualTo(4294967295L);
      assertThat(out.serial()).isZero();
      assertThat(out.zone().soa().orElseThrow().getSerial()).isZero();
    }

    @Test
    void aNewerSourceSerialIsUsedWhenContentChanges() {
      Zone bumped =
          zone(
              "$TTL 3600\n@ SOA ns1 hostmaster 2026010100 7200 900 1209600 300\n"
                  + "@ NS ns1\nns1 A 192.0.2.53\n",
              "www 3600 ALIAS cdn.example.net.\n");

      FlattenedZone out = rerun(publishedAtT0(), bumped, "192.0.2.2");

      assertThat(out.serial()).isEqualTo(2026010100L);
    }

    @Test
    void anOlderSourceSerialDoesNotMoveThePublishedSerialBack() {
      FlattenedZone first = rerun(publishedAtT0(), WWW_ALIAS, "192.0.2.2"); // serial 101
      Zone older =
          zone(
              "$TTL 3600\n@ SOA ns1 hostmaster 50 7200 900 1209600 300\n"
                  + "@ NS ns1\nns1 A 192.0.2.53\n",
              "www 3600 ALIAS cdn.example.net.\n");

      FlattenedZone out = rerun(first, older, "192.0.2.3");

      assertThat(out.serial()).isEqualTo(102);
    }

    @Test
    void aSourceSerialBumpAloneChangesNothingPublished() {
      Zone bumped =
          zone(
              "$TTL 3600\n@ SOA ns1 hostmaster 101 7200 900 1209600 300\n"
                  + "@ NS ns1\nns1 A 192.0.2.53\n",
              "www 3600 ALIAS cdn.example.net.\n");

      FlattenedZone out = rerun(publishedAtT0(), bumped, "192.0.2.1");

      assertThat(out.serial()).isEqualTo(100);
      assertThat(out.changed()).isFalse();
    }
  }

  @Nested
  class Changes {
    @Test
    void aFirstRunListsEveryPublishedSetAsNew() {
      FlattenedZone out = publishedAtT0();

      assertThat(out.changes())
          .containsExactly(
              new AliasChange(WWW, Family.IPV4, List.of(), List.of(ip("192.0.2.1"))),
              new AliasChange(WWW, Family.IPV6, List.of(), List.of(ip("2001:db8::1"))));
    }

    @Test
    void aChangeListsTheOldAndNewAddresses() {
      FlattenedZone out =
          FLATTENER.flatten(
              WWW_ALIAS,
              AliasResults.of(
                  answer(CDN, 300, "192.0.2.1", "192.0.2.7"), answer(CDN, 300, "2001:db8::1")),
              T0,
              publishedAtT0());

      assertThat(out.changes())
          .containsExactly(
              new AliasChange(
                  WWW, Family.IPV4, List.of(ip("192.0.2.1")), List.of(ip("192.0.2.1"), ip("192.0.2.7"))));
      assertThat(out.changes().get(0).toString())
          .isEqualTo("www.example.com. A: [192.0.2.1] -> [192.0.2.1, 192.0.2.7]");
    }

    @Test
    void anAliasRemovedFromTheSourceIsListedAsGoingToNothing() {
      FlattenedZone out =
          FLATTENER.flatten(zone("other A 192.0.2.8\n"), AliasResults.empty(), T0, publishedAtT0());

      assertThat(out.changes())
          .extracting(AliasChange::owner, AliasChange::newAddresses)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(WWW, List.of()),
              org.assertj.core.groups.Tuple.tuple(WWW, List.of()));
    }

    @Test
    void aChangeWithEqualAddressListsIsRefused() {
      assertThatThrownBy(
              () -> new AliasChange(WWW, Family.IPV4, List.of(ip("192.0.2.1")), List.of(ip("192.0.2.1"))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Output {
    private Zone manyAliases() {
      StringBuilder body = new StringBuilder("@ ALIAS cdn.example.net.\n@ MX 10 mail\nmail A 192.0.2.25\n");
      for (int i = 0; i < 50; i++) {
        body.append("h").append(i).append(i % 2 == 0 ? " ALIAS " : " ANAME ")
            .append("t").append(i % 7).append(".example.net.\n");
      }
      return zone(body.toString());
    }

    private AliasResults resultsFor(Zone source) {
      List<Resolution> all = new ArrayList<>();
      int i = 0;
      for (Name target : FLATTENER.targets(source)) {
        all.add(answer(target, 300, "192.0.2." + (++i)));
        all.add(answer(target, 300, "2001:db8::" + i));
      }
      return AliasResults.of(all);
    }

    @Test
    void theSameInputsTwiceGiveByteIdenticalZoneText() {
      Zone source = manyAliases();

      String first = ZoneFileWriter.defaults().toText(FLATTENER.flatten(source, resultsFor(source), T0, null).zone());
      String second = ZoneFileWriter.defaults().toText(FLATTENER.flatten(source, resultsFor(source), T0, null).zone());

      assertThat(first).isEqualTo(second);
    }

    @Test
    void theOutputPassesTheValidatorWithNoErrors() {
      Zone source = manyAliases();

      FlattenedZone out = FLATTENER.flatten(source, resultsFor(source), T0, null);

      assertThat(ZoneValidator.defaults().validate(out.zone()).findings(Severity.ERROR)).isEmpty();
    }

    @Test
    void randomZonesFlattenedUnderEveryScopePassTheValidator() {
      for (long seed = 0; seed < 200; seed++) {
        Zone source = RandomZones.validZone(seed);
        for (Scope scope : Scope.values()) {
          Flattener f = Flattener.of(FlatteningPolicy.builder().scope(scope).build());
          FlattenedZone out = f.flatten(source, resultsFor(source), T0, null);
          assertThat(ZoneValidator.defaults().validate(out.zone()).findings(Severity.ERROR))
              .as("seed %d, %s", seed, scope)
              .isEmpty();
          assertThat(out.zone().stream().anyMatch(s -> AliasRecord.isAliasType(s.type())))
              .as("seed %d: no alias records left", seed)
              .isFalse();
        }
      }
    }
  }

  @Nested
  class WhatAFlatteningKeeps {
    /** 300 alias names over one target, and one name with explicit addresses beside its alias. */
    private Zone many() {
      StringBuilder body = new StringBuilder("mixed ALIAS cdn.example.net.\nmixed A 192.0.2.9\n");
      for (int i = 0; i < 300; i++) {
        body.append("a").append(i).append(" ALIAS cdn.example.net.\n");
      }
      return zone(body.toString());
    }

    private final AliasResults results =
        AliasResults.of(answer(CDN, 300, "192.0.2.1"), answer(CDN, 300, "2001:db8::1"));

    @Test
    void everyNameAndFamilyIsFoundInAnyCaseAndNothingElse() {
      FlattenedZone flat = FLATTENER.flatten(many(), results, T0, null);

      assertThat(flat.siblings()).hasSize(601); // 300 names x 2 families, mixed's AAAA
      for (Siblings s : flat.siblings()) {
        Name upper = name(s.owner().toString().toUpperCase(java.util.Locale.ROOT));
        assertThat(flat.siblings(upper, s.family())).containsSame(s);
        assertThat(flat.publication(s.owner(), s.family())).containsSame(s.publication());
      }
      assertThat(flat.siblings(name("mixed.example.com."), Family.IPV4)).isEmpty();
      assertThat(flat.siblings(name("a300.example.com."), Family.IPV4)).isEmpty();
      assertThat(flat.publication(name("ns1.example.com."), Family.IPV6)).isEmpty();
    }

    @Test
    void aFirstRunsChangesAreEveryAddressFromNothingAskedAsOftenAsWanted() {
      FlattenedZone flat = FLATTENER.flatten(many(), results, T0, null);

      List<AliasChange> changes = flat.changes();
      // Each alias name and family from nothing, and mixed's explicit A as well.
      assertThat(changes).hasSize(602);
      assertThat(changes).allMatch(c -> c.oldAddresses().isEmpty());
      assertThat(changes.get(0).toString()).isEqualTo("a0.example.com. A: [] -> [192.0.2.1]");
      assertThat(flat.changes()).isEqualTo(changes);
      // The next run from it, with nothing moved, changes nothing; a move changes every name.
      assertThat(FLATTENER.flatten(many(), results, T0.plusSeconds(60), flat).changes())
          .isEmpty();
      FlattenedZone moved =
          FLATTENER.flatten(
              many(),
              AliasResults.of(answer(CDN, 300, "192.0.2.2"), answer(CDN, 300, "2001:db8::1")),
              T0.plusSeconds(60),
              flat);
      assertThat(moved.changes()).hasSize(300);
    }
  }
}
