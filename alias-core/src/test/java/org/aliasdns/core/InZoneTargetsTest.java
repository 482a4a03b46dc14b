package org.aliasdns.core;

import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class InZoneTargetsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EARLIER = NOW.minusSeconds(30);
  private static final FlatteningPolicy POLICY = FlatteningPolicy.defaults();

  /** SOA TTL 3600, MINIMUM 300: negative answers from this zone carry 300 (RFC 2308 §5). */
  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 1 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "ns1 A 192.0.2.53\n";

  private static final Name CDN = name("lb.cdn.example.net.");
  private static final Name EDGE = name("edge.cdn.example.net.");

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static Zone zone(String origin, String body) {
    return ZoneFileReader.forOrigin(name(origin)).read(HEAD + body, origin + "zone").zone();
  }

  private static Zone com(String body) {
    return zone("example.com.", body);
  }

  private static Resolution resolve(InZoneTargets served, String target, int type, AliasResults upstream) {
    return served.resolve(name(target), type, upstream, NOW, POLICY).orElseThrow();
  }

  private static Resolution resolve(Zone zone, String target) {
    return resolve(InZoneTargets.of(zone), target, Type.A, AliasResults.empty());
  }

  private static List<String> addresses(Resolution r) {
    assertThat(r).isInstanceOf(Resolution.Answer.class);
    return ((Resolution.Answer) r).records().records().stream().map(Record::rdataToString).toList();
  }

  /** lb.cdn.example.net. CNAME (TTL 120) edge.cdn.example.net. A 198.51.100.1 (TTL 300). */
  private static Resolution.Answer cdnAnswer() {
    return new Resolution.Answer(
        CDN,
        Type.A,
        List.of(Hop.cname(CDN, EDGE, 120)),
        RecordSet.of(Rr.a("edge.cdn.example.net.", 300, "198.51.100.1")),
        EARLIER);
  }

  @Nested
  class FromTheZoneData {
    @Test
    void aTargetWithAddressesInTheZoneIsAnsweredFromThem() {
      Resolution r = resolve(com("www 600 A 192.0.2.5\n"), "www.example.com.");

      assertThat(addresses(r)).containsExactly("192.0.2.5");
      assertThat(r.chain()).isEmpty();
      assertThat(((Resolution.Answer) r).records().ttl()).isEqualTo(600);
      assertThat(r.obtained()).isEqualTo(NOW);
    }

    @Test
    void aTargetInTheZoneIsNeverListedForUpstream() {
      InZoneTargets served = InZoneTargets.of(com("www A 192.0.2.5\n"));

      assertThat(served.upstreamTargets(List.of(name("www.example.com.")), POLICY)).isEmpty();
    }

    @Test
    void aTargetOutsideTheZonesIsListedAndResolvedUpstream() {
      InZoneTargets served = InZoneTargets.of(com("www A 192.0.2.5\n"));

      assertThat(served.upstreamTargets(List.of(CDN), POLICY)).containsExactly(CDN);
      assertThat(resolve(served, CDN.toString(), Type.A, AliasResults.of(cdnAnswer())))
          .isEqualTo(cdnAnswer());
    }

    @Test
    void anInZoneCnameIsAHopOfTheChain() {
      Resolution r = resolve(com("web 120 CNAME www\nwww 600 A 192.0.2.5\n"), "web.example.com.");

      assertThat(addresses(r)).containsExactly("192.0.2.5");
      assertThat(r.chain())
          .containsExactly(Hop.cname(name("web.example.com."), name("www.example.com."), 120));
    }

    @Test
    void aDnameIsAHopWithTheDnamesTtl() {
      Resolution r =
          resolve(com("legacy 300 DNAME example.com.\nwww A 192.0.2.5\n"), "www.legacy.example.com.");

      assertThat(addresses(r)).containsExactly("192.0.2.5");
      assertThat(r.chain())
          .containsExactly(
              Hop.dname(name("www.legacy.example.com."), name("www.example.com."), 300));
    }

    @Test
    void aWildcardAnswersWithTheTargetAsOwner() {
      Resolution r = resolve(com("*.users A 192.0.2.7\n"), "alice.users.example.com.");

      assertThat(addresses(r)).containsExactly("192.0.2.7");
      assertThat(((Resolution.Answer) r).records().owner()).isEqualTo(name("alice.users.example.com."));
    }

    @Test
    void explicitAddressesBesideAnAliasWinForTheirType() {
      InZoneTargets served =
          InZoneTargets.of(com("dual ALIAS lb.cdn.example.net.\ndual AAAA 2001:db8::9\n"));

      Resolution v6 = resolve(served, "dual.example.com.", Type.AAAA, AliasResults.empty());

      assertThat(v6).isInstanceOf(Resolution.Answer.class);
      assertThat(v6.chain()).isEmpty();
      assertThat(resolve(served, "dual.example.com.", Type.A, AliasResults.of(cdnAnswer())).chain())
          .first()
          .isEqualTo(Hop.alias(name("dual.example.com."), CDN, 3600));
    }

    @Test
    void theZoneDataWinsOverAnUpstreamResultForAnInZoneName() {
      Name www = name("www.example.com.");
      AliasResults upstream =
          AliasResults.of(
              new Resolution.Answer(
                  www, Type.A, List.of(), RecordSet.of(Rr.a("www.example.com.", 60, "203.0.113.9")), NOW));

      Resolution r = resolve(InZoneTargets.of(com("www A 192.0.2.5\n")), "www.example.com.", Type.A, upstream);

      assertThat(addresses(r)).containsExactly("192.0.2.5");
    }
  }

  @Nested
  class NegativeAnswers {
    @Test
    void aNameTheZoneDoesNotHaveIsNxdomainWithTheSoaNegativeTtl() {
      Resolution r = resolve(com(""), "api.cdn.example.net.example.com.");

      assertThat(r).isInstanceOf(Resolution.NxDomain.class);
      assertThat(((Resolution.NxDomain) r).negativeTtl()).isEqualTo(300);
    }

    @Test
    void aNameWithoutAddressesIsNodataWithTheSoaNegativeTtl() {
      Resolution r = resolve(com("info TXT \"no address\"\n"), "info.example.com.");

      assertThat(r).isInstanceOf(Resolution.NoData.class);
      assertThat(((Resolution.NoData) r).negativeTtl()).isEqualTo(300);
    }

    @Test
    void anEmptyNonTerminalIsNodata() {
      Resolution r = resolve(com("a.b A 192.0.2.1\n"), "b.example.com.");

      assertThat(r).isInstanceOf(Resolution.NoData.class);
    }

    @Test
    void theNegativeTtlIsNoLongerThanAnInZoneHop() {
      Resolution r = resolve(com("short 60 CNAME info\ninfo TXT \"x\"\n"), "short.example.com.");

      assertThat(((Resolution.NoData) r).negativeTtl()).isEqualTo(60);
    }
  }

  @Nested
  class ChainsThatLeaveTheZone {
    private final InZoneTargets served =
        InZoneTargets.of(com("app 300 ALIAS lb\nlb 60 ALIAS lb.cdn.example.net.\n"));

    @Test
    void onlyTheExitIsListedForUpstream() {
      assertThat(served.upstreamTargets(List.of(name("lb.example.com.")), POLICY))
          .containsExactly(CDN);
    }

    @Test
    void anAliasToAnotherAliasGetsItsUpstreamResultWithTheInZoneHopInFront() {
      Resolution r = resolve(served, "lb.example.com.", Type.A, AliasResults.of(cdnAnswer()));

      assertThat(addresses(r)).containsExactly("198.51.100.1");
      assertThat(r.target()).isEqualTo(name("lb.example.com."));
      assertThat(r.chain())
          .containsExactly(Hop.alias(name("lb.example.com."), CDN, 60), Hop.cname(CDN, EDGE, 120));
      assertThat(r.obtained()).isEqualTo(EARLIER);
      assertThat(((Resolution.Answer) r).chainTtl()).isEqualTo(60);
    }

    @Test
    void anExitWithoutAnUpstreamResultIsUnresolved() {
      assertThat(served.resolve(name("lb.example.com."), Type.A, AliasResults.empty(), NOW, POLICY))
          .isEmpty();
    }

    @Test
    void anUpstreamNxdomainAtTheExitIsTheTargetsNxdomain() {
      AliasResults upstream =
          AliasResults.of(new Resolution.NxDomain(CDN, Type.A, List.of(), 900, EARLIER));

      Resolution r = resolve(served, "lb.example.com.", Type.A, upstream);

      assertThat(r).isInstanceOf(Resolution.NxDomain.class);
      assertThat(((Resolution.NxDomain) r).negativeTtl()).isEqualTo(60);
      assertThat(r.chain()).hasSize(1);
    }

    @Test
    void anUpstreamFailureAtTheExitKeepsItsStaleAnswerWithTheInZoneHop() {
      AliasResults upstream =
          AliasResults.of(
              new Resolution.Failure(
                  CDN, Type.A, List.of(), Resolution.Failure.Kind.REFUSED, "REFUSED", NOW, cdnAnswer()));

      Resolution r = resolve(served, "lb.example.com.", Type.A, upstream);

      assertThat(r).isInstanceOf(Resolution.Failure.class);
      assertThat(((Resolution.Failure) r).kind()).isEqualTo(Resolution.Failure.Kind.REFUSED);
      Resolution.Answer stale = Objects.requireNonNull(((Resolution.Failure) r).stale());
      assertThat(stale.target()).isEqualTo(name("lb.example.com."));
      assertThat(stale.chain()).first().isEqualTo(Hop.alias(name("lb.example.com."), CDN, 60));
      assertThat(stale.obtained()).isEqualTo(EARLIER);
    }

    @Test
    void aNameAtOrBelowADelegationIsAskedUpstream() {
      InZoneTargets delegated = InZoneTargets.of(com("sub NS ns.example.net.\n"));
      Name host = name("host.sub.example.com.");

      assertThat(delegated.upstreamTargets(List.of(host, name("sub.example.com.")), POLICY))
          .containsExactly(name("sub.example.com."), host);
    }

    @Test
    void anUpstreamChainBackIntoTheZoneIsALoop() {
      InZoneTargets cname = InZoneTargets.of(com("lb CNAME lb.cdn.example.net.\n"));
      Name lb = name("lb.example.com.");
      AliasResults upstream =
          AliasResults.of(
              new Resolution.Answer(
                  CDN,
                  Type.A,
                  List.of(Hop.cname(CDN, lb, 60)),
                  RecordSet.of(Rr.a("lb.example.com.", 60, "198.51.100.1")),
                  EARLIER));

      Resolution r = resolve(cname, "lb.example.com.", Type.A, upstream);

      assertThat(r).isInstanceOf(Resolution.Loop.class);
      assertThat(r.chain()).extracting(Hop::target).containsExactly(CDN, lb);
    }
  }

  @Nested
  class LoopsAndLimits {
    @Test
    void aCycleAmongAliasesAndCnamesIsALoopFoundLocally() {
      Zone zone = com("ping ALIAS pong\npong CNAME ping\n");

      Resolution r = resolve(zone, "ping.example.com.");

      assertThat(r).isInstanceOf(Resolution.Loop.class);
      assertThat(r.chain())
          .extracting(Hop::kind)
          .containsExactly(Hop.Kind.ALIAS, Hop.Kind.CNAME);
      assertThat(InZoneTargets.of(zone).upstreamTargets(List.of(name("ping.example.com.")), POLICY))
          .isEmpty();
    }

    @Test
    void aDnameRewriteTooLongIsAMalformedFailure() {
      String label = "x".repeat(60);
      Zone zone =
          com("deep DNAME " + label + "." + label + "." + label + ".example.com.\n");

      Resolution r = resolve(zone, label + "." + label + ".deep.example.com.");

      assertThat(r).isInstanceOf(Resolution.Failure.class);
      assertThat(((Resolution.Failure) r).kind()).isEqualTo(Resolution.Failure.Kind.MALFORMED);
      assertThat(((Resolution.Failure) r).reason()).contains("YXDOMAIN");
    }

    @Test
    void aChainPastTheLimitIsTooLong() {
      InZoneTargets served = InZoneTargets.of(com("c1 CNAME c2\nc2 CNAME c3\nc3 A 192.0.2.3\n"));
      FlatteningPolicy one = FlatteningPolicy.builder().chainLimit(1).build();

      Resolution r =
          served.resolve(name("c1.example.com."), Type.A, AliasResults.empty(), NOW, one).orElseThrow();

      assertThat(r).isInstanceOf(Resolution.ChainTooLong.class);
      assertThat(r.chain()).hasSize(1);
    }

    @Test
    void inZoneHopsCountWithTheUpstreamChainTowardsTheLimit() {
      InZoneTargets served = InZoneTargets.of(com("lb CNAME lb.cdn.example.net.\n"));
      FlatteningPolicy one = FlatteningPolicy.builder().chainLimit(1).build();

      Resolution r =
          served
              .resolve(name("lb.example.com."), Type.A, AliasResults.of(cdnAnswer()), NOW, one)
              .orElseThrow();

      assertThat(r).isInstanceOf(Resolution.ChainTooLong.class);
    }
  }

  @Nested
  class SeveralZones {
    private final Zone org = zone("example.org.", "www 600 A 198.51.100.5\n");

    @Test
    void aTargetInAnotherServedZoneIsAnsweredFromItsData() {
      InZoneTargets served = InZoneTargets.of(List.of(com(""), org));

      assertThat(served.upstreamTargets(List.of(name("www.example.org.")), POLICY)).isEmpty();
      assertThat(addresses(resolve(served, "www.example.org.", Type.A, AliasResults.empty())))
          .containsExactly("198.51.100.5");
    }

    @Test
    void aCycleAcrossZonesIsALoop() {
      Zone a = com("a ALIAS b.example.org.\n");
      Zone b = zone("example.org.", "b CNAME a.example.com.\n");

      Resolution r =
          resolve(InZoneTargets.of(List.of(a, b)), "a.example.com.", Type.A, AliasResults.empty());

      assertThat(r).isInstanceOf(Resolution.Loop.class);
    }

    @Test
    void theZoneWithTheLongestOriginAnswersBelowADelegationToIt() {
      Zone parent = com("sub NS ns.example.net.\n");
      Zone child = zone("sub.example.com.", "host A 192.0.2.44\n");
      InZoneTargets served = InZoneTargets.of(List.of(parent, child));

      assertThat(addresses(resolve(served, "host.sub.example.com.", Type.A, AliasResults.empty())))
          .containsExactly("192.0.2.44");
    }

    @Test
    void withReplacesTheZoneOfTheSameOrigin() {
      InZoneTargets served =
          InZoneTargets.of(List.of(com(""), org)).with(zone("example.org.", "www A 198.51.100.6\n"));

      assertThat(addresses(resolve(served, "www.example.org.", Type.A, AliasResults.empty())))
          .containsExactly("198.51.100.6");
      assertThat(served.zones()).hasSize(2);
    }

    @Test
    void twoZonesWithOneOriginAreRefused() {
      assertThatThrownBy(() -> InZoneTargets.of(List.of(org, org)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("example.org.");
    }
  }

  @Test
  void onlyAddressTypesResolve() {
    assertThatThrownBy(
            () ->
                InZoneTargets.of(com(""))
                    .resolve(name("www.example.com."), Type.MX, AliasResults.empty(), NOW, POLICY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MX");
  }
}
