package org.aliasdns.core.answer;

import org.aliasdns.core.Alias;
import org.aliasdns.core.AliasPublication;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryAnswererTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String LONG = "x".repeat(60);

  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.net.\n"
          + "ns1 A 192.0.2.1\n";

  /** One zone holding every case; each test asks about its own names. */
  private static final String BODY =
      "@ MX 10 mail\n"
          + "@ TXT \"apex\"\n"
          + "@ ALIAS target.cdn.net.\n"
          + "mail A 192.0.2.2\n"
          + "mail AAAA 2001:db8::2\n"
          + "host A 192.0.2.10\n"
          + "MixedCase A 192.0.2.11\n"
          + "www 300 CNAME @\n"
          + "api CNAME svc.cdn.net.\n"
          + "chain1 CNAME chain2\n"
          + "chain2 CNAME host\n"
          + "dangling CNAME nowhere\n"
          + "loop1 CNAME loop2\n"
          + "loop2 CNAME loop1\n"
          + "*.wild A 192.0.2.20\n"
          + "cw CNAME x.wild\n"
          + "*.aw ALIAS target.cdn.net.\n"
          + "sub 600 DNAME other\n"
          + "dn CNAME a.sub\n"
          + "a.other CNAME host\n"
          + "deep 60 DNAME "
          + LONG
          + "."
          + LONG
          + "."
          + LONG
          + ".example.com.\n"
          + "b.c.ent A 192.0.2.30\n"
          + "deleg NS ns.deleg\n"
          + "deleg NS ns.example.net.\n"
          + "deleg DS 12345 13 2 "
          + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
          + "ns.deleg A 192.0.2.53\n"
          + "srv SRV 0 5 443 host\n"
          + "explicit ALIAS target.cdn.net.\n"
          + "explicit A 192.0.2.99\n"
          + "zero ALIAS zero.cdn.net.\n"
          + "gone ALIAS gone.cdn.net.\n"
          + "broken ALIAS broken.cdn.net.\n"
          + "unknown ALIAS unknown.cdn.net.\n"
          + "looping ALIAS looping.cdn.net.\n"
          + "anamed 120 ANAME target.cdn.net.\n"
          + "inzone 600 ALIAS chain1\n"
          + "lost ALIAS nothere\n"
          + "ping ALIAS pong\n"
          + "pong ALIAS ping\n"
          + "overridden ALIAS host\n"
          + "todeleg CNAME www.deleg\n"
          + "*.wl CNAME next.wl\n"
          + "a.*.ew A 192.0.2.40\n";

  private static final Zone ZONE = zone(BODY);

  private static final Name TARGET = name("target.cdn.net.");
  private static final Name EDGE = name("edge.cdn.net.");

  /** target.cdn.net: CNAME (TTL 120) to edge.cdn.net, A (TTL 600) and AAAA (TTL 900). */
  private static final Resolution.Answer TARGET_A =
      new Resolution.Answer(
          TARGET,
          Type.A,
          List.of(Hop.cname(TARGET, EDGE, 120)),
          RecordSet.of(Rr.a("edge.cdn.net.", 600, "198.51.100.1"), Rr.a("edge.cdn.net.", 600, "198.51.100.2")),
          NOW.minusSeconds(10));

  private static final Resolution.Answer TARGET_AAAA =
      new Resolution.Answer(
          TARGET,
          Type.AAAA,
          List.of(),
          RecordSet.of(Rr.rr("target.cdn.net.", 900, "AAAA", "2001:db8:100:0:0:0:0:1")),
          NOW.minusSeconds(10));

  private static final AliasResults RESULTS =
      AliasResults.of(
          TARGET_A,
          TARGET_AAAA,
          new Resolution.Answer(
              name("zero.cdn.net."),
              Type.A,
              List.of(Hop.cname(name("zero.cdn.net."), EDGE, 0)),
              RecordSet.of(Rr.a("edge.cdn.net.", 600, "198.51.100.1")),
              NOW),
          new Resolution.NxDomain(name("gone.cdn.net."), Type.A, List.of(), 60, NOW),
          new Resolution.Answer(
              name("gone.cdn.net."),
              Type.AAAA,
              List.of(),
              RecordSet.of(Rr.rr("gone.cdn.net.", 300, "AAAA", "2001:db8:0:0:0:0:0:77")),
              NOW),
          new Resolution.Failure(name("broken.cdn.net."), Type.A, List.of(), "timeout", NOW, null),
          new Resolution.NoData(name("broken.cdn.net."), Type.AAAA, List.of(), 1000, NOW),
          new Resolution.Loop(
              name("looping.cdn.net."),
              Type.A,
              List.of(
                  Hop.cname(name("looping.cdn.net."), name("l2.cdn.net."), 60),
                  Hop.cname(name("l2.cdn.net."), name("looping.cdn.net."), 60)),
              NOW),
          new Resolution.ChainTooLong(name("looping.cdn.net."), Type.AAAA, List.of(), NOW));

  private static final QueryAnswerer ANSWERER = QueryAnswerer.of(ZONE, FlatteningPolicy.defaults());

  private static Zone zone(String body) {
    return ZoneFileReader.forOrigin(ORIGIN).read(HEAD + body, "test.zone").zone();
  }

  private static Name name(String text) {
    return Rr.name(text);
  }

  private static Response ask(String qname, int type) {
    return ANSWERER.answer(Question.of(name(qname), type), RESULTS, NOW);
  }

  private static Response ask(QueryAnswerer answerer, String qname, int type, AliasResults results) {
    return answerer.answer(Question.of(name(qname), type), results, NOW);
  }

  /** Records as single-spaced master-file lines, case as given. */
  private static List<String> lines(List<Record> records) {
    return records.stream()
        .map(r -> r.toString().replaceAll("\\s+", " "))
        .collect(Collectors.toList());
  }

  private static final String NEGATIVE_SOA =
      "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300";

  @Nested
  class StaticData {
    @Test
    void anExistingRrsetIsAnsweredAuthoritatively() {
      Response r = ask("host.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.authoritative()).isTrue();
      assertThat(lines(r.answer())).containsExactly("host.example.com. 3600 IN A 192.0.2.10");
      assertThat(r.authority()).isEmpty();
    }

    @Test
    void theOwnerTakesTheCaseOfTheQueryName() {
      Response r = ask("HoSt.Example.COM.", Type.A);
      assertThat(lines(r.answer())).containsExactly("HoSt.Example.COM. 3600 IN A 192.0.2.10");
    }

    @Test
    void aZoneSpellingIsReplacedByTheQuerySpelling() {
      Response r = ask("mixedcase.example.com.", Type.A);
      assertThat(lines(r.answer())).containsExactly("mixedcase.example.com. 3600 IN A 192.0.2.11");
    }

    @Test
    void aMissingNameIsNxdomainWithTheSoaAtItsNegativeTtl() {
      Response r = ask("nope.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(r.authoritative()).isTrue();
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aMissingTypeIsNodataWithTheSoa() {
      Response r = ask("host.example.com.", Type.TXT);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void anEmptyNonTerminalIsNodataNotNxdomain() {
      Response r = ask("c.ent.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void apexNsComesWithInZoneAddressesInAdditional() {
      Response r = ask("example.com.", Type.NS);
      assertThat(lines(r.answer()))
          .containsExactly(
              "example.com. 3600 IN NS ns1.example.com.", "example.com. 3600 IN NS ns2.example.net.");
      assertThat(lines(r.additional())).containsExactly("ns1.example.com. 3600 IN A 192.0.2.1");
    }

    @Test
    void mxComesWithBothAddressFamiliesOfTheExchanger() {
      Response r = ask("example.com.", Type.MX);
      assertThat(lines(r.additional()))
          .containsExactly(
              "mail.example.com. 3600 IN A 192.0.2.2", "mail.example.com. 3600 IN AAAA 2001:db8:0:0:0:0:0:2");
    }

    @Test
    void srvComesWithTheTargetAddress() {
      Response r = ask("srv.example.com.", Type.SRV);
      assertThat(lines(r.additional())).containsExactly("host.example.com. 3600 IN A 192.0.2.10");
    }

    @Test
    void anyReturnsOnlyTheRrsetWithTheLowestType() {
      Response r = ask("mail.example.com.", Type.ANY);
      assertThat(lines(r.answer())).containsExactly("mail.example.com. 3600 IN A 192.0.2.2");
    }

    @Test
    void anyAtAnAliasApexReturnsTheSynthesizedAddressesAsTheFlattenedZoneWould() {
      // the flattened apex holds A (type 1) before NS (type 2)
      Response r = ask("example.com.", Type.ANY);
      assertThat(lines(r.answer()))
          .containsExactly("example.com. 120 IN A 198.51.100.1", "example.com. 120 IN A 198.51.100.2");
    }

    @Test
    void anyAtAnAliasApexWithoutAddressesReturnsTheNsRrset() {
      Response r = ask(ANSWERER, "example.com.", Type.ANY, AliasResults.empty());
      assertThat(r.answer()).extracting(Record::getType).containsOnly(Type.NS);
    }
  }

  @Nested
  class Refusals {
    @Test
    void aNameOutsideTheZoneIsRefused() {
      Response r = ask("example.org.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.REFUSED);
      assertThat(r.authoritative()).isFalse();
      assertThat(r.answer()).isEmpty();
    }

    @Test
    void aParentOfTheOriginIsRefused() {
      assertThat(ask("com.", Type.NS).rcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void aClassOtherThanInIsRefused() {
      Response r =
          ANSWERER.answer(new Question(name("host.example.com."), Type.A, DClass.CH), RESULTS, NOW);
      assertThat(r.rcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void zoneTransfersAreNotImplementedHere() {
      assertThat(ask("example.com.", Type.AXFR).rcode()).isEqualTo(Rcode.NOTIMP);
    }
  }

  @Nested
  class Cnames {
    @Test
    void anInZoneChainIsFollowedWithEveryCnameInTheAnswer() {
      Response r = ask("chain1.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(lines(r.answer()))
          .containsExactly(
              "chain1.example.com. 3600 IN CNAME chain2.example.com.",
              "chain2.example.com. 3600 IN CNAME host.example.com.",
              "host.example.com. 3600 IN A 192.0.2.10");
    }

    @Test
    void aChainThatLeavesTheZoneStopsThereWithNoerror() {
      Response r = ask("api.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.authoritative()).isTrue();
      assertThat(lines(r.answer())).containsExactly("api.example.com. 3600 IN CNAME svc.cdn.net.");
      assertThat(r.authority()).isEmpty();
    }

    @Test
    void aChainToAMissingNameTakesTheRcodeOfTheLastName() {
      Response r = ask("dangling.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(lines(r.answer()))
          .containsExactly("dangling.example.com. 3600 IN CNAME nowhere.example.com.");
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aChainToAMissingTypeIsNodataWithTheChain() {
      Response r = ask("chain1.example.com.", Type.MX);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).hasSize(2);
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aCnameQuestionGetsTheCnameUnchased() {
      Response r = ask("chain1.example.com.", Type.CNAME);
      assertThat(lines(r.answer()))
          .containsExactly("chain1.example.com. 3600 IN CNAME chain2.example.com.");
    }

    @Test
    void aLoopInsideTheZoneIsServfailWithTheChainSoFar() {
      Response r = ask("loop1.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(lines(r.answer()))
          .containsExactly(
              "loop1.example.com. 3600 IN CNAME loop2.example.com.",
              "loop2.example.com. 3600 IN CNAME loop1.example.com.");
    }

    @Test
    void aChainLongerThanTheLimitIsServfail() {
      QueryAnswerer strict =
          QueryAnswerer.of(ZONE, FlatteningPolicy.builder().chainLimit(1).build());
      Response r = ask(strict, "chain1.example.com.", Type.A, RESULTS);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.answer()).hasSize(2);
    }

    @Test
    void aChainAtTheLimitIsAnswered() {
      QueryAnswerer exact =
          QueryAnswerer.of(ZONE, FlatteningPolicy.builder().chainLimit(2).build());
      assertThat(ask(exact, "chain1.example.com.", Type.A, RESULTS).rcode())
          .isEqualTo(Rcode.NOERROR);
    }

    @Test
    void aCnameIntoAWildcardIsAnsweredWithTheTargetAsOwner() {
      Response r = ask("cw.example.com.", Type.A);
      assertThat(lines(r.answer()))
          .containsExactly(
              "cw.example.com. 3600 IN CNAME x.wild.example.com.",
              "x.wild.example.com. 3600 IN A 192.0.2.20");
    }
  }

  @Nested
  class Wildcards {
    @Test
    void aWildcardAnswersWithTheQueryNameAsOwnerInItsCase() {
      Response r = ask("Foo.Bar.wild.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(lines(r.answer())).containsExactly("Foo.Bar.wild.example.com. 3600 IN A 192.0.2.20");
    }

    @Test
    void aWildcardWithoutTheTypeIsNodata() {
      Response r = ask("foo.wild.example.com.", Type.MX);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aWildcardDoesNotCoverNamesOutsideItsEncloser() {
      assertThat(ask("foo.example.com.", Type.A).rcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aWildcardThatIsOnlyAnEmptyNonTerminalGivesNodata() {
      Response r = ask("x.ew.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aWildcardCnameLoopIsServfail() {
      Response r = ask("a.wl.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(lines(r.answer()))
          .containsExactly(
              "a.wl.example.com. 3600 IN CNAME next.wl.example.com.",
              "next.wl.example.com. 3600 IN CNAME next.wl.example.com.");
    }

    @Test
    void aWildcardAliasSynthesizesForTheQueryName() {
      Response r = ask("Some.aw.example.com.", Type.A);
      assertThat(lines(r.answer()))
          .containsExactly(
              "Some.aw.example.com. 120 IN A 198.51.100.1", "Some.aw.example.com. 120 IN A 198.51.100.2");
    }
  }

  @Nested
  class Dnames {
    @Test
    void aDnameSynthesizesACnameWithTheDnameTtl() {
      Response r = ask("a.sub.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(lines(r.answer()))
          .containsExactly(
              "sub.example.com. 600 IN DNAME other.example.com.",
              "a.sub.example.com. 600 IN CNAME a.other.example.com.",
              "a.other.example.com. 3600 IN CNAME host.example.com.",
              "host.example.com. 3600 IN A 192.0.2.10");
    }

    @Test
    void aCnameIntoADnameIsFollowed() {
      Response r = ask("dn.example.com.", Type.A);
      assertThat(lines(r.answer()))
          .containsExactly(
              "dn.example.com. 3600 IN CNAME a.sub.example.com.",
              "sub.example.com. 600 IN DNAME other.example.com.",
              "a.sub.example.com. 600 IN CNAME a.other.example.com.",
              "a.other.example.com. 3600 IN CNAME host.example.com.",
              "host.example.com. 3600 IN A 192.0.2.10");
    }

    @Test
    void theDnameOwnerItselfIsNotRewritten() {
      Response r = ask("sub.example.com.", Type.DNAME);
      assertThat(lines(r.answer())).containsExactly("sub.example.com. 600 IN DNAME other.example.com.");
    }

    @Test
    void aCnameQuestionBelowADnameStopsAtTheSynthesizedCname() {
      Response r = ask("a.sub.example.com.", Type.CNAME);
      assertThat(r.answer()).hasSize(2);
    }

    @Test
    void aDnameAtTheApexRewritesEveryNameBelowIt() {
      Zone zone =
          ZoneFileReader.forOrigin(name("old.test."))
              .read(
                  "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns.example.com.\n@ DNAME example.com.\n",
                  "old.zone")
              .zone();
      QueryAnswerer old = QueryAnswerer.of(zone, FlatteningPolicy.defaults());
      Response r = ask(old, "Host.old.test.", Type.A, RESULTS);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(lines(r.answer()))
          .containsExactly(
              "old.test. 300 IN DNAME example.com.", "Host.old.test. 300 IN CNAME Host.example.com.");
    }

    @Test
    void aRewrittenNameThatIsTooLongIsYxdomain() {
      Response r = ask(LONG + ".abcdefghij.deep.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.YXDOMAIN);
      assertThat(r.answer()).extracting(Record::getType).containsExactly(Type.DNAME);
    }
  }

  @Nested
  class Delegations {
    @Test
    void aDelegationPointGivesAReferralWithGlueAndNoAa() {
      Response r = ask("deleg.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.authoritative()).isFalse();
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority()))
          .containsExactly(
              "deleg.example.com. 3600 IN NS ns.deleg.example.com.",
              "deleg.example.com. 3600 IN NS ns.example.net.");
      assertThat(lines(r.additional())).containsExactly("ns.deleg.example.com. 3600 IN A 192.0.2.53");
    }

    @Test
    void aNameBelowADelegationGetsTheReferralNotTheOccludedData() {
      Response r = ask("ns.deleg.example.com.", Type.A);
      assertThat(r.authoritative()).isFalse();
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).extracting(Record::getType).containsOnly(Type.NS);
    }

    @Test
    void aCnameIntoADelegationGivesTheChainAndAReferral() {
      Response r = ask("todeleg.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      // AA speaks for the first owner in the answer, which is ours (RFC 1035 §4.1.1)
      assertThat(r.authoritative()).isTrue();
      assertThat(lines(r.answer()))
          .containsExactly("todeleg.example.com. 3600 IN CNAME www.deleg.example.com.");
      assertThat(r.authority()).extracting(Record::getType).containsOnly(Type.NS);
      assertThat(lines(r.additional())).containsExactly("ns.deleg.example.com. 3600 IN A 192.0.2.53");
    }

    @Test
    void nsAtADelegationPointIsAReferralNotAnAnswer() {
      Response r = ask("deleg.example.com.", Type.NS);
      assertThat(r.authoritative()).isFalse();
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).hasSize(2);
    }

    @Test
    void dsAtADelegationIsAnsweredFromTheParentSide() {
      Response r = ask("deleg.example.com.", Type.DS);
      assertThat(r.authoritative()).isTrue();
      assertThat(r.answer()).extracting(Record::getType).containsExactly(Type.DS);
    }
  }

  @Nested
  class Aliases {
    @Test
    void anAliasAnswersAFromTheResultsWithTheSmallestTtl() {
      Response r = ask("example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.authoritative()).isTrue();
      // min(alias 3600, CNAME hop 120, A 600) = 120
      assertThat(lines(r.answer()))
          .containsExactly("example.com. 120 IN A 198.51.100.1", "example.com. 120 IN A 198.51.100.2");
    }

    @Test
    void anAliasAnswersAaaaIndependently() {
      Response r = ask("example.com.", Type.AAAA);
      assertThat(lines(r.answer())).containsExactly("example.com. 900 IN AAAA 2001:db8:100:0:0:0:0:1");
    }

    @Test
    void synthesizedRecordsAreOwnedByTheQueryNameInItsCase() {
      Response r = ask("EXAMPLE.Com.", Type.A);
      assertThat(r.answer()).allSatisfy(rec -> assertThat(rec.getName().toString()).isEqualTo("EXAMPLE.Com."));
    }

    @Test
    void anAliasQuestionIsNodataWhereTheFlattenedZoneDropsTheAliasRecord() {
      Response r = ask("example.com.", AliasRecord.ALIAS);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void anAliasQuestionReturnsTheAliasRecordWhereTheNameHoldsNothingElse() {
      // broken: A fails, AAAA is NODATA: no addresses, so the flattened zone keeps the record
      Response r = ask("broken.example.com.", AliasRecord.ALIAS);
      assertThat(lines(r.answer()))
          .containsExactly("broken.example.com. 3600 IN ALIAS broken.cdn.net.");
    }

    @Test
    void anAnameQuestionIsNodataOnceTheNamePublishesAddresses() {
      Response r = ask("anamed.example.com.", AliasRecord.ANAME);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
    }

    @Test
    void anAnameSynthesizesLikeAnAlias() {
      Response r = ask("anamed.example.com.", Type.AAAA);
      assertThat(lines(r.answer())).containsExactly("anamed.example.com. 120 IN AAAA 2001:db8:100:0:0:0:0:1");
    }

    @Test
    void otherTypesAtAnAliasNameAreAnsweredNormally() {
      assertThat(lines(ask("example.com.", Type.MX).answer()))
          .containsExactly("example.com. 3600 IN MX 10 mail.example.com.");
      assertThat(ask("example.com.", Type.TXT).answer())
          .extracting(Record::getType)
          .containsExactly(Type.TXT);
    }

    @Test
    void aMissingTypeAtAnAliasNameIsNodata() {
      Response r = ask("example.com.", Type.SRV);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
    }

    @Test
    void explicitAddressesWinForTheirTypeOnly() {
      assertThat(lines(ask("explicit.example.com.", Type.A).answer()))
          .containsExactly("explicit.example.com. 3600 IN A 192.0.2.99");
      assertThat(lines(ask("explicit.example.com.", Type.AAAA).answer()))
          .containsExactly("explicit.example.com. 900 IN AAAA 2001:db8:100:0:0:0:0:1");
    }

    @Test
    void aCnameToAnAliasNameIsFollowedToTheSynthesizedAddresses() {
      Response r = ask("www.example.com.", Type.A);
      assertThat(lines(r.answer()))
          .containsExactly(
              "www.example.com. 300 IN CNAME example.com.",
              "example.com. 120 IN A 198.51.100.1",
              "example.com. 120 IN A 198.51.100.2");
    }

    @Test
    void aTargetThatIsNxdomainIsNodataAtTheAliasNameNeverNxdomain() {
      Response r = ask("gone.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.authoritative()).isTrue();
      assertThat(r.answer()).isEmpty();
      // the zone's negative TTL, as the flattened zone gives it, not the target's (60)
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
      assertThat(r.extendedError()).isEmpty();
    }

    @Test
    void otherTypesAtANameWhoseTargetVanishedAreNodataNotNxdomain() {
      AliasResults vanished =
          AliasResults.of(
              new Resolution.NxDomain(name("gone.cdn.net."), Type.A, List.of(), 60, NOW),
              new Resolution.NxDomain(name("gone.cdn.net."), Type.AAAA, List.of(), 60, NOW));
      for (int type : new int[] {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.CNAME}) {
        Response r = ask(ANSWERER, "gone.example.com.", type, vanished);
        assertThat(r.rcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
        assertThat(r.answer()).as(Type.string(type)).isEmpty();
        assertThat(r.authority()).extracting(Record::getType).containsExactly(Type.SOA);
      }
    }

    @Test
    void aTargetNxdomainForADoesNotSpoilAaaa() {
      Response r = ask("gone.example.com.", Type.AAAA);
      assertThat(lines(r.answer())).containsExactly("gone.example.com. 300 IN AAAA 2001:db8:0:0:0:0:0:77");
    }

    @Test
    void aTargetNodataIsNodataWithTheZoneNegativeTtlWhenSmaller() {
      Response r = ask("broken.example.com.", Type.AAAA);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aTargetWithNoResultIsServfailNotAnEmptySuccess() {
      Response r = ask("unknown.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.answer()).isEmpty();
      assertThat(r.authoritative()).isFalse();
    }

    @Test
    void aFailureWithoutStaleDataIsServfail() {
      assertThat(ask("broken.example.com.", Type.A).rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aLoopingTargetIsServfail() {
      assertThat(ask("looping.example.com.", Type.A).rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aTargetChainTooLongIsServfail() {
      assertThat(ask("looping.example.com.", Type.AAAA).rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void aTtlZeroHopGivesTtlZero() {
      Response r = ask("zero.example.com.", Type.A);
      assertThat(lines(r.answer())).containsExactly("zero.example.com. 0 IN A 198.51.100.1");
    }

    @Test
    void theTtlIsClampedToTheFloor() {
      QueryAnswerer floored =
          QueryAnswerer.of(ZONE, FlatteningPolicy.builder().ttlFloor(30).build());
      Response r = ask(floored, "zero.example.com.", Type.A, RESULTS);
      assertThat(r.answer()).extracting(Record::getTTL).containsExactly(30L);
    }

    @Test
    void theTtlIsFixedWhileFreshByDefault() {
      Response later =
          ANSWERER.answer(Question.of(ORIGIN, Type.A), RESULTS, NOW.plusSeconds(100));
      assertThat(later.answer()).extracting(Record::getTTL).containsOnly(120L);
    }

    @Test
    void aCountdownTtlDecreasesWithAgeAndStopsAtZero() {
      QueryAnswerer countdown =
          QueryAnswerer.of(
              ZONE, FlatteningPolicy.builder().ttlMode(FlatteningPolicy.TtlMode.COUNTDOWN).build());
      Question q = Question.of(ORIGIN, Type.A);
      // obtained 10 s before NOW
      assertThat(countdown.answer(q, RESULTS, NOW).answer())
          .extracting(Record::getTTL)
          .containsOnly(110L);
      assertThat(countdown.answer(q, RESULTS, NOW.plusSeconds(500)).answer())
          .extracting(Record::getTTL)
          .containsOnly(0L);
    }

    @Test
    void aFamilyOutsideThePolicyIsNotSynthesized() {
      QueryAnswerer v4only =
          QueryAnswerer.of(
              ZONE, FlatteningPolicy.builder().families(FlatteningPolicy.Family.IPV4).build());
      Response r = ask(v4only, "example.com.", Type.AAAA, RESULTS);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
    }
  }

  @Nested
  class InZoneTargets {
    @Test
    void anInZoneTargetWithoutResultsIsAnsweredFromTheZone() {
      Response r = ask("inzone.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(lines(r.answer())).containsExactly("inzone.example.com. 600 IN A 192.0.2.10");
    }

    @Test
    void anInZoneTargetWithoutTheTypeIsNodata() {
      Response r = ask("inzone.example.com.", Type.AAAA);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(lines(r.authority())).containsExactly(NEGATIVE_SOA);
    }

    @Test
    void aMissingInZoneTargetIsNodataAtTheAliasName() {
      Response r = ask("lost.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void aliasesPointingAtEachOtherAreServfail() {
      Response r = ask("ping.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.answer()).isEmpty();
    }

    @Test
    void zoneDataWinsOverAnUpstreamResultForAnInZoneTarget() {
      Name host = name("host.example.com.");
      AliasResults results =
          AliasResults.of(
              new Resolution.Answer(
                  host, Type.A, List.of(), RecordSet.of(Rr.a("host.example.com.", 50, "203.0.113.9")), NOW));
      Response r = ask(ANSWERER, "overridden.example.com.", Type.A, results);
      assertThat(lines(r.answer())).containsExactly("overridden.example.com. 3600 IN A 192.0.2.10");
    }

    @Test
    void aFlattenedCnameToAnInZoneNameIsAnsweredFromTheZone() {
      Zone zone = zone("www CNAME host\nhost 60 A 192.0.2.10\n");
      QueryAnswerer all =
          QueryAnswerer.of(
              zone, FlatteningPolicy.builder().scope(FlatteningPolicy.Scope.ALL_CNAMES).build());
      Response r = ask(all, "www.example.com.", Type.A, AliasResults.empty());
      assertThat(lines(r.answer())).containsExactly("www.example.com. 60 IN A 192.0.2.10");
    }
  }

  @Nested
  class Stale {
    private final Instant failedAt = NOW;

    /** Last good answer: obtained an hour ago with chain TTL 120. */
    private AliasResults failureWithStale(Instant staleObtained) {
      Resolution.Answer stale =
          new Resolution.Answer(
              TARGET, Type.A, TARGET_A.chain(), TARGET_A.records(), staleObtained);
      return AliasResults.of(
          new Resolution.Failure(TARGET, Type.A, List.of(), "SERVFAIL upstream", failedAt, stale));
    }

    @Test
    void staleDataWithinMaxStaleIsServedWithTheStaleTtl() {
      Response r =
          ask(ANSWERER, "example.com.", Type.A, failureWithStale(NOW.minus(Duration.ofHours(1))));
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).extracting(Record::getTTL).containsOnly(30L);
      assertThat(r.answer()).hasSize(2);
    }

    @Test
    void staleDataIsServedUpToExactlyItsExpiryPlusMaxStale() {
      Instant obtained = NOW.minus(Duration.ofDays(1)).minusSeconds(120);
      Response r = ask(ANSWERER, "example.com.", Type.A, failureWithStale(obtained));
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void staleDataPastMaxStaleIsServfail() {
      Instant obtained = NOW.minus(Duration.ofDays(1)).minusSeconds(121);
      Response r = ask(ANSWERER, "example.com.", Type.A, failureWithStale(obtained));
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(r.answer()).isEmpty();
    }
  }

  @Nested
  class FlattenedCnames {
    private final Zone apexCname =
        zone("@ CNAME lb.cdn.net.\n" + "www CNAME lb.cdn.net.\n" + "host A 192.0.2.10\n");
    private final Name lb = name("lb.cdn.net.");
    private final AliasResults results =
        AliasResults.of(
            new Resolution.Answer(
                lb, Type.A, List.of(), RecordSet.of(Rr.a("lb.cdn.net.", 60, "203.0.113.5")), NOW));

    private QueryAnswerer with(FlatteningPolicy.Scope scope) {
      return QueryAnswerer.of(apexCname, FlatteningPolicy.builder().scope(scope).build());
    }

    @Test
    void anApexCnameIsSynthesizedWithTheApexScope() {
      Response r = ask(with(FlatteningPolicy.Scope.ALIAS_AND_APEX_CNAME), "example.com.", Type.A, results);
      assertThat(lines(r.answer())).containsExactly("example.com. 60 IN A 203.0.113.5");
    }

    @Test
    void aNonApexCnameStaysACnameWithTheApexScope() {
      Response r = ask(with(FlatteningPolicy.Scope.ALIAS_AND_APEX_CNAME), "www.example.com.", Type.A, results);
      assertThat(lines(r.answer())).containsExactly("www.example.com. 3600 IN CNAME lb.cdn.net.");
    }

    @Test
    void everyCnameIsSynthesizedWithTheAllScope() {
      Response r = ask(with(FlatteningPolicy.Scope.ALL_CNAMES), "www.example.com.", Type.A, results);
      assertThat(lines(r.answer())).containsExactly("www.example.com. 60 IN A 203.0.113.5");
    }

    @Test
    void aCnameQuestionAtAFlattenedNameIsNodataWhereAddressesReplaceTheCname() {
      Response r = ask(with(FlatteningPolicy.Scope.ALL_CNAMES), "www.example.com.", Type.CNAME, results);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void aFlattenedCnameWithNoAddressesAnswersAsTheCnameTheFlattenedZoneKeeps() {
      AliasResults failing =
          AliasResults.of(
              new Resolution.Failure(lb, Type.A, List.of(), "timeout", NOW, null),
              new Resolution.NxDomain(lb, Type.AAAA, List.of(), 60, NOW));
      QueryAnswerer all = with(FlatteningPolicy.Scope.ALL_CNAMES);
      for (int type : new int[] {Type.A, Type.AAAA, Type.CNAME, Type.TXT}) {
        Response r = ask(all, "www.example.com.", type, failing);
        assertThat(r.rcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
        assertThat(lines(r.answer()))
            .as(Type.string(type))
            .containsExactly("www.example.com. 3600 IN CNAME lb.cdn.net.");
      }
    }

    @Test
    void otherTypesAtAFlattenedNameAreNodata() {
      Response r = ask(with(FlatteningPolicy.Scope.ALL_CNAMES), "www.example.com.", Type.MX, results);
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void anApexCnameIsNotSynthesizedWithTheAliasOnlyScope() {
      Response r = ask(with(FlatteningPolicy.Scope.ALIAS_RECORDS), "example.com.", Type.A, results);
      assertThat(lines(r.answer())).containsExactly("example.com. 3600 IN CNAME lb.cdn.net.");
    }
  }

  @Nested
  class CountdownAndFloor {
    @Test
    void aCountdownTtlIsRaisedToTheFloorAgain() {
      QueryAnswerer countdown =
          QueryAnswerer.of(
              ZONE,
              FlatteningPolicy.builder()
                  .ttlMode(FlatteningPolicy.TtlMode.COUNTDOWN)
                  .ttlFloor(30)
                  .build());
      // zero.cdn.net: TTL 0 hop: min 0, floor 30; countdown leaves 0, raised to 30 again
      Response r = countdown.answer(Question.of(name("zero.example.com."), Type.A), RESULTS, NOW.plusSeconds(5));
      assertThat(r.answer()).extracting(Record::getTTL).containsExactly(30L);
    }
  }

  /** Points 2 and 7 of issue 10 and RFC 8914: SERVFAIL where nothing is usable, with a reason. */
  @Nested
  class ExtendedErrors {
    private final Name target = TARGET;

    private Response apexA(AliasResults results) {
      return ask(ANSWERER, "example.com.", Type.A, results);
    }

    private ExtendedError ede(Response r) {
      return r.extendedError().orElseThrow(() -> new AssertionError("no EDE in " + r));
    }

    @Test
    void aFreshAnswerHasNone() {
      assertThat(ask("example.com.", Type.A).extendedError()).isEmpty();
    }

    @Test
    void aStaleAnswerCarriesStaleAnswerWithTheTarget() {
      Resolution.Answer lastGood =
          new Resolution.Answer(target, Type.A, List.of(), TARGET_A.records(), NOW.minusSeconds(3600));
      Response r =
          apexA(AliasResults.of(new Resolution.Failure(target, Type.A, List.of(), "SERVFAIL", NOW, lastGood)));
      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ede(r).code()).isEqualTo(3);
      assertThat(ede(r).text()).contains("target.cdn.net.").contains("SERVFAIL");
    }

    @Test
    void anUpstreamFailureWithNothingStaleIsServfailWithNoReachableAuthority() {
      Response r = ask("broken.example.com.", Type.A);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(ede(r).code()).isEqualTo(22);
      assertThat(ede(r).text()).isEqualTo("broken.cdn.net.: upstream failure: timeout");
    }

    @Test
    void aLoopIsServfailWithOtherAndTheLoopInTheText() {
      Response r = ask("looping.example.com.", Type.A);
      assertThat(ede(r).code()).isZero();
      assertThat(ede(r).text()).contains("looping.cdn.net.").contains("loops back");
    }

    @Test
    void aChainTooLongIsServfailWithOther() {
      Response r = ask("looping.example.com.", Type.AAAA);
      assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(ede(r).code()).isZero();
      assertThat(ede(r).text()).contains("over the limit");
    }

    @Test
    void aTargetWithNoResultYetIsServfailWithNotReady() {
      Response r = ask("unknown.example.com.", Type.A);
      assertThat(ede(r).code()).isEqualTo(14);
      assertThat(ede(r).text()).startsWith("unknown.cdn.net.");
    }

    @Test
    void aStaleNegativeAnswerIsNodataWithStaleNxdomainAnswer() {
      Name gone = name("gone.cdn.net.");
      Alias alias = new Alias(name("gone.example.com."), gone, 3600, AliasRecord.ALIAS);
      AliasPublication vanished =
          AliasPublication.ofResolution(
              alias, FlatteningPolicy.Family.IPV4,
              new Resolution.NxDomain(gone, Type.A, List.of(), 300, NOW.minusSeconds(600)),
              FlatteningPolicy.defaults(), null, NOW.minusSeconds(600));
      AliasResults failing =
          AliasResults.of(new Resolution.Failure(gone, Type.A, List.of(), "REFUSED", NOW, null));

      Response r =
          ANSWERER.answer(
              Question.of(name("gone.example.com."), Type.A),
              failing,
              (owner, family) ->
                  family == FlatteningPolicy.Family.IPV4
                      ? java.util.Optional.of(vanished)
                      : java.util.Optional.empty(),
              NOW);

      assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(r.answer()).isEmpty();
      assertThat(r.authority()).extracting(Record::getType).containsExactly(Type.SOA);
      assertThat(ede(r).code()).isEqualTo(19);
      assertThat(ede(r).text()).contains("NXDOMAIN").contains("gone.cdn.net.");
    }

    @Test
    void aPreviousPublicationRidesOutALoopAsAStaleAnswer() {
      Alias alias = new Alias(ORIGIN, target, 3600, AliasRecord.ALIAS);
      AliasPublication before =
          AliasPublication.ofResolution(
              alias, FlatteningPolicy.Family.IPV4, TARGET_A, FlatteningPolicy.defaults(), null, NOW);
      AliasResults looping =
          AliasResults.of(
              new Resolution.Loop(target, Type.A, List.of(Hop.cname(target, target, 60)), NOW));

      Response r =
          ANSWERER.answer(
              Question.of(ORIGIN, Type.A), looping,
              (owner, family) -> java.util.Optional.of(before), NOW.plusSeconds(60));

      assertThat(r.answer()).hasSize(2).extracting(Record::getTTL).containsOnly(30L);
      assertThat(ede(r).code()).isEqualTo(3);
      assertThat(ede(r).text()).contains("loops back");
    }

    @Test
    void theReplyCarriesTheEdeInAnOptRecordWhenTheQueryHadEdns() throws Exception {
      Message query = Message.newQuery(Record.newRecord(name("broken.example.com."), Type.A, DClass.IN));
      query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

      Message reply =
          new Message(ANSWERER.answer(Question.from(query), RESULTS, NOW).toMessage(query).toWire());

      OPTRecord opt = reply.getOPT();
      assertThat(opt).isNotNull();
      assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(opt.getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
      assertThat(opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR))
          .singleElement()
          .satisfies(
              o -> {
                ExtendedErrorCodeOption e = (ExtendedErrorCodeOption) o;
                assertThat(e.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
                assertThat(e.getText()).contains("broken.cdn.net.");
              });
    }

    @Test
    void theReplyHasNoOptRecordWhenTheQueryHadNone() throws Exception {
      Message query = Message.newQuery(Record.newRecord(name("broken.example.com."), Type.A, DClass.IN));

      Message reply =
          new Message(ANSWERER.answer(Question.from(query), RESULTS, NOW).toMessage(query).toWire());

      assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(reply.getOPT()).isNull();
    }

    @Test
    void anAnswerWithoutAnEdeLeavesEdnsToTheServer() throws Exception {
      Message query = Message.newQuery(Record.newRecord(ORIGIN, Type.A, DClass.IN));
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

      assertThat(ANSWERER.answer(Question.from(query), RESULTS, NOW).toMessage(query).getOPT())
          .isNull();
    }
  }

  @Nested
  class Questions {
    @Test
    void aQuestionIsTakenFromAQueryMessage() {
      Message query = Message.newQuery(Record.newRecord(name("Host.example.com."), Type.MX, DClass.IN));
      assertThat(Question.from(query)).isEqualTo(new Question(name("host.example.com."), Type.MX, DClass.IN));
      assertThat(Question.from(query).name().toString()).isEqualTo("Host.example.com.");
    }

    @Test
    void aMessageWithoutAQuestionIsRejected() {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Question.from(new Message()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no question");
    }

    @Test
    void aRelativeQueryNameIsRejected() {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Question.of(Name.fromConstantString("host"), Type.A))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("absolute");
    }
  }

  @Nested
  class Messages {
    @Test
    void theMessageEchoesIdQuestionAndRdAndSetsQrAndAa() throws Exception {
      Message query = Message.newQuery(Record.newRecord(name("WWW.example.com."), Type.A, DClass.IN));
      query.getHeader().setID(4242);
      query.getHeader().setFlag(Flags.RD);
      Response r = ANSWERER.answer(Question.from(query), RESULTS, NOW);
      Message reply = new Message(r.toMessage(query).toWire());
      assertThat(reply.getHeader().getID()).isEqualTo(4242);
      assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
      assertThat(reply.getHeader().getFlag(Flags.RA)).isFalse();
      assertThat(reply.getQuestion().getName().toString()).isEqualTo("WWW.example.com.");
      assertThat(reply.getSection(Section.ANSWER)).hasSize(3);
      assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString())
          .isEqualTo("WWW.example.com.");
    }

    @Test
    void aNegativeMessageCarriesTheRcodeAndSoa() throws Exception {
      Message query = Message.newQuery(Record.newRecord(name("nope.example.com."), Type.A, DClass.IN));
      query.getHeader().unsetFlag(Flags.RD);
      Message reply =
          new Message(ANSWERER.answer(Question.from(query), RESULTS, NOW).toMessage(query).toWire());
      assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(reply.getHeader().getFlag(Flags.RD)).isFalse();
      assertThat(reply.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void aReferralMessageHasAaOff() throws Exception {
      Message query = Message.newQuery(Record.newRecord(name("deleg.example.com."), Type.A, DClass.IN));
      Message reply =
          new Message(ANSWERER.answer(Question.from(query), RESULTS, NOW).toMessage(query).toWire());
      assertThat(reply.getHeader().getFlag(Flags.AA)).isFalse();
      assertThat(reply.getSection(Section.ADDITIONAL)).hasSize(1);
    }
  }
}
