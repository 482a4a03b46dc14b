package org.aliasdns.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.AliasPublication.Cause;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The publication rule, one outcome and one step of it per test. */
class AliasPublicationTest {
  private static final Name WWW = Rr.name("www.example.com.");
  private static final Name CDN = Rr.name("cdn.example.net.");
  private static final Name EDGE = Rr.name("edge.example.net.");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Alias ALIAS = new Alias(WWW, CDN, 3600, AliasRecord.ALIAS);
  private static final FlatteningPolicy DEFAULTS = FlatteningPolicy.defaults();
  /** Max stale one hour, stale TTL 30 s. */
  private static final FlatteningPolicy HOUR = policy().maxStale(Duration.ofHours(1)).build();

  private static FlatteningPolicy.Builder policy() {
    return FlatteningPolicy.builder();
  }

  /** An A answer obtained at {@code at}, final TTL 300, through a CNAME hop of TTL 120. */
  private static Resolution.Answer answer(Instant at, String address) {
    return new Resolution.Answer(
        CDN,
        Type.A,
        List.of(Hop.cname(CDN, EDGE, 120)),
        RecordSet.of(Rr.a("edge.example.net.", 300, address)),
        at);
  }

  private static Resolution.Failure failure(Instant at, Resolution.@Nullable Answer stale) {
    return new Resolution.Failure(CDN, Type.A, List.of(), "SERVFAIL", at, stale);
  }

  private static AliasPublication decide(
      FlatteningPolicy policy,
      @Nullable Resolution resolution,
      @Nullable AliasPublication previous,
      Instant now) {
    return AliasPublication.ofResolution(ALIAS, Family.IPV4, resolution, policy, previous, now);
  }

  private static RecordSet records(AliasPublication p) {
    return java.util.Objects.requireNonNull(p.records(), () -> "no records in " + p);
  }

  private static AliasPublication decide(@Nullable Resolution resolution, Instant now) {
    return decide(DEFAULTS, resolution, null, now);
  }

  @Nested
  class Fresh {
    @Test
    void anAnswerPublishesItsAddressesAtTheAliasName() {
      AliasPublication p = decide(answer(T0, "192.0.2.1"), T0);

      assertThat(p).isInstanceOf(AliasPublication.Fresh.class);
      RecordSet records = records(p);
      assertThat(records.owner()).isEqualTo(WWW);
      assertThat(records.records()).extracting(Record::rdataToString).containsExactly("192.0.2.1");
    }

    @Test
    void theTtlIsTheMinimumOverAliasHopsAndFinalRrset() {
      AliasPublication.Fresh p = (AliasPublication.Fresh) decide(answer(T0, "192.0.2.1"), T0);

      assertThat(p.ttl()).isEqualTo(120); // min(alias 3600, CNAME 120, A 300)
      assertThat(records(p).ttl()).isEqualTo(120);
    }

    @Test
    void theTtlIsRaisedToTheFloor() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh)
              decide(policy().ttlFloor(600).build(), answer(T0, "192.0.2.1"), null, T0);

      assertThat(p.ttl()).isEqualTo(600);
    }

    @Test
    void theTtlIsLoweredToTheCap() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh)
              decide(policy().ttlCap(60).build(), answer(T0, "192.0.2.1"), null, T0);

      assertThat(p.ttl()).isEqualTo(60);
    }

    @Test
    void aFixedTtlDoesNotCountDown() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh) decide(answer(T0, "192.0.2.1"), T0.plusSeconds(100));

      assertThat(p.ttl()).isEqualTo(120);
    }

    @Test
    void aCountdownTtlCountsDownFromWhenTheAnswerWasObtained() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh)
              decide(
                  policy().ttlMode(TtlMode.COUNTDOWN).build(),
                  answer(T0, "192.0.2.1"),
                  null,
                  T0.plusSeconds(100));

      assertThat(p.ttl()).isEqualTo(20);
    }

    @Test
    void aCountdownTtlIsClampedToTheFloorAgain() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh)
              decide(
                  policy().ttlMode(TtlMode.COUNTDOWN).ttlFloor(30).build(),
                  answer(T0, "192.0.2.1"),
                  null,
                  T0.plusSeconds(110));

      assertThat(p.ttl()).isEqualTo(30); // 10 left, raised to the floor
    }

    @Test
    void aCountdownTtlStopsAtZero() {
      AliasPublication.Fresh p =
          (AliasPublication.Fresh)
              decide(
                  policy().ttlMode(TtlMode.COUNTDOWN).build(),
                  answer(T0, "192.0.2.1"),
                  null,
                  T0.plusSeconds(500));

      assertThat(p.ttl()).isZero();
    }

    @Test
    void aFreshAnswerWinsOverAPreviousPublication() {
      AliasPublication previous = decide(answer(T0, "192.0.2.1"), T0);

      AliasPublication p =
          decide(DEFAULTS, answer(T0.plusSeconds(60), "192.0.2.2"), previous, T0.plusSeconds(60));

      assertThat(records(p).records())
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.2");
    }
  }

  @Nested
  class NoAddresses {
    @Test
    void nxDomainPublishesNoAddresses() {
      AliasPublication p = decide(new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0), T0);

      assertThat(p).isInstanceOf(AliasPublication.NoAddresses.class);
      assertThat(p.records()).isNull();
      assertThat(((AliasPublication.NoAddresses) p).nxDomain()).isTrue();
      assertThat(((AliasPublication.NoAddresses) p).stale()).isFalse();
    }

    @Test
    void aNegativeAnswerPastItsTtlIsKeptStaleThenUnresolvedPastMaxStale() {
      // A resolver serving its expired NXDOMAIN stale (RFC 8767 §4) hands it back as it was.
      Resolution nx = new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0);

      AliasPublication kept = decide(nx, T0.plusSeconds(301));
      assertThat(kept).isInstanceOf(AliasPublication.NoAddresses.class);
      assertThat(((AliasPublication.NoAddresses) kept).stale()).isTrue();
      assertThat(((AliasPublication.NoAddresses) kept).staleBecause()).isNotNull();

      AliasPublication gone =
          decide(nx, T0.plusSeconds(300).plus(DEFAULTS.maxStale()).plusSeconds(1));
      assertThat(gone).isInstanceOf(AliasPublication.Unresolved.class);
    }

    @Test
    void noDataPublishesNoAddresses() {
      AliasPublication p = decide(new Resolution.NoData(CDN, Type.A, List.of(), 300, T0), T0);

      assertThat(p).isInstanceOf(AliasPublication.NoAddresses.class);
      assertThat(((AliasPublication.NoAddresses) p).nxDomain()).isFalse();
    }

    @Test
    void aCnameChainEndingInNxDomainPublishesNoAddresses() {
      Resolution nx =
          new Resolution.NxDomain(CDN, Type.A, List.of(Hop.cname(CDN, EDGE, 60)), 60, T0);

      assertThat(decide(nx, T0)).isInstanceOf(AliasPublication.NoAddresses.class);
    }

    @Test
    void theNegativeTtlIsCappedLikeAnyOther() {
      AliasPublication.NoAddresses p =
          (AliasPublication.NoAddresses)
              decide(
                  policy().ttlCap(120).build(),
                  new Resolution.NxDomain(CDN, Type.A, List.of(), 900, T0),
                  null,
                  T0);

      assertThat(p.ttl()).isEqualTo(120);
    }
  }

  @Nested
  class Stale {
    @Test
    void aFailureServesTheResolversLastGoodAnswerWithTheStaleTtl() {
      AliasPublication p =
          decide(HOUR, failure(T0.plusSeconds(600), answer(T0, "192.0.2.9")), null, T0.plusSeconds(600));

      assertThat(p).isInstanceOf(AliasPublication.Stale.class);
      assertThat(records(p).ttl()).isEqualTo(30);
      assertThat(((AliasPublication.Stale) p).cause().kind()).isEqualTo(Cause.Kind.UPSTREAM_FAILURE);
    }

    @Test
    void aFailureServesThePreviousPublicationsAddresses() {
      AliasPublication previous = decide(answer(T0, "192.0.2.1"), T0);

      AliasPublication p =
          decide(HOUR, failure(T0.plusSeconds(600), null), previous, T0.plusSeconds(600));

      assertThat(p).isInstanceOf(AliasPublication.Stale.class);
      assertThat(((AliasPublication.Stale) p).confirmed()).isEqualTo(T0);
    }

    @Test
    void aStalePreviousPublicationStaysStaleWithItsFirstConfirmation() {
      AliasPublication first = decide(answer(T0, "192.0.2.1"), T0);
      AliasPublication stale = decide(HOUR, failure(T0.plusSeconds(600), null), first, T0.plusSeconds(600));

      AliasPublication p =
          decide(HOUR, failure(T0.plusSeconds(900), null), stale, T0.plusSeconds(900));

      assertThat(((AliasPublication.Stale) p).confirmed()).isEqualTo(T0);
    }

    @Test
    void theLaterObtainedOfResolverStaleAndPreviousIsServed() {
      AliasPublication previous = decide(answer(T0, "192.0.2.1"), T0);
      Resolution.Answer newer = answer(T0.plusSeconds(200), "192.0.2.2");

      AliasPublication p =
          decide(HOUR, failure(T0.plusSeconds(900), newer), previous, T0.plusSeconds(900));

      assertThat(records(p).records())
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.2");
    }

    @Test
    void aLoopServesThePreviousAddressesWithTheLoopAsCause() {
      AliasPublication previous = decide(answer(T0, "192.0.2.1"), T0);
      List<Hop> loop = List.of(Hop.cname(CDN, EDGE, 60), Hop.cname(EDGE, CDN, 60));

      AliasPublication p =
          decide(HOUR, new Resolution.Loop(CDN, Type.A, loop, T0.plusSeconds(60)), previous,
              T0.plusSeconds(60));

      Cause cause = ((AliasPublication.Stale) p).cause();
      assertThat(cause.kind()).isEqualTo(Cause.Kind.LOOP);
      assertThat(cause.chain()).isEqualTo(loop);
      assertThat(cause.reason()).contains("loops back to cdn.example.net.");
    }

    @Test
    void theStaleTtlIsCappedAtTheSecondsLeftInTheWindow() {
      // expiry T0+120 (chain TTL), window ends T0+120+3600; 10 s are left
      Instant now = T0.plusSeconds(120 + 3600 - 10);

      AliasPublication p = decide(HOUR, failure(now, answer(T0, "192.0.2.9")), null, now);

      assertThat(records(p).ttl()).isEqualTo(10);
    }

    @Test
    void theLastInstantOfTheWindowStillServesWithTtlZero() {
      Instant end = T0.plusSeconds(120 + 3600);

      AliasPublication p = decide(HOUR, failure(end, answer(T0, "192.0.2.9")), null, end);

      assertThat(p).isInstanceOf(AliasPublication.Stale.class);
      assertThat(records(p).ttl()).isZero();
    }

    @Test
    void aPreviousNegativeAnswerIsKeptStaleThroughAFailure() {
      AliasPublication previous = decide(new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0), T0);

      AliasPublication p =
          decide(HOUR, failure(T0.plusSeconds(600), null), previous, T0.plusSeconds(600));

      assertThat(p).isInstanceOf(AliasPublication.NoAddresses.class);
      AliasPublication.NoAddresses none = (AliasPublication.NoAddresses) p;
      assertThat(none.stale()).isTrue();
      assertThat(none.nxDomain()).isTrue();
      assertThat(none.ttl()).isEqualTo(30);
    }
  }

  @Nested
  class Unresolved {
    @Test
    void aFailureWithNothingToServeIsUnresolved() {
      AliasPublication p = decide(failure(T0, null), T0);

      assertThat(p).isInstanceOf(AliasPublication.Unresolved.class);
      assertThat(p.records()).isNull();
      assertThat(((AliasPublication.Unresolved) p).lastGoodExpired()).isFalse();
    }

    @Test
    void aLastGoodAnswerPastMaxStaleIsDropped() {
      Instant after = T0.plusSeconds(120 + 3600 + 1);

      AliasPublication p = decide(HOUR, failure(after, answer(T0, "192.0.2.9")), null, after);

      assertThat(p).isInstanceOf(AliasPublication.Unresolved.class);
      assertThat(((AliasPublication.Unresolved) p).lastGoodExpired()).isTrue();
    }

    @Test
    void aLoopWithNothingToServeIsUnresolved() {
      AliasPublication p =
          decide(new Resolution.Loop(CDN, Type.A, List.of(Hop.cname(CDN, CDN, 60)), T0), T0);

      assertThat(((AliasPublication.Unresolved) p).cause().kind()).isEqualTo(Cause.Kind.LOOP);
    }

    @Test
    void aChainTooLongIsUnresolved() {
      AliasPublication p = decide(new Resolution.ChainTooLong(CDN, Type.A, List.of(), T0), T0);

      assertThat(((AliasPublication.Unresolved) p).cause().kind())
          .isEqualTo(Cause.Kind.CHAIN_TOO_LONG);
    }

    @Test
    void anAnswerOverTheChainLimitIsUnresolved() {
      AliasPublication p =
          decide(policy().chainLimit(1).build(),
              new Resolution.Answer(
                  CDN,
                  Type.A,
                  List.of(Hop.cname(CDN, EDGE, 60), Hop.cname(EDGE, WWW, 60)),
                  RecordSet.of(Rr.a("www.example.com.", 60, "192.0.2.1")),
                  T0),
              null,
              T0);

      assertThat(((AliasPublication.Unresolved) p).cause().reason())
          .isEqualTo("the chain has 2 hops, over the limit of 1");
    }

    @Test
    void noResolutionIsUnresolved() {
      AliasPublication p = decide(null, T0);

      assertThat(((AliasPublication.Unresolved) p).cause().kind())
          .isEqualTo(Cause.Kind.MISSING_RESULT);
    }

    @Test
    void aPreviousPublicationOfAnotherTargetIsNoFallback() {
      Name old = Rr.name("old.example.org.");
      AliasPublication previous =
          AliasPublication.ofResolution(
              new Alias(WWW, old, 3600, AliasRecord.ALIAS),
              Family.IPV4,
              new Resolution.Answer(
                  old, Type.A, List.of(), RecordSet.of(Rr.a("old.example.org.", 300, "192.0.2.7")),
                  T0),
              DEFAULTS,
              null,
              T0);

      AliasPublication p =
          decide(DEFAULTS, failure(T0.plusSeconds(60), null), previous, T0.plusSeconds(60));

      assertThat(p).isInstanceOf(AliasPublication.Unresolved.class);
    }
  }

  @Nested
  class AliasRecordKept {
    private final AliasPublication fresh = decide(answer(T0, "192.0.2.1"), T0);
    private final AliasPublication none =
        decide(new Resolution.NxDomain(CDN, Type.A, List.of(), 300, T0), T0);
    private final AliasPublication unresolved = decide(failure(T0, null), T0);

    @Test
    void isKeptWhereNothingElseWouldBeLeft() {
      assertThat(AliasPublication.keepsAliasRecord(false, List.of(none, unresolved))).isTrue();
    }

    @Test
    void isKeptWhereNoFamilyIsSynthesized() {
      assertThat(AliasPublication.keepsAliasRecord(false, List.of())).isTrue();
    }

    @Test
    void goesWhereAnyFamilyPublishesAddresses() {
      assertThat(AliasPublication.keepsAliasRecord(false, List.of(fresh, none))).isFalse();
    }

    @Test
    void goesWhereTheNameHoldsOtherData() {
      assertThat(AliasPublication.keepsAliasRecord(true, List.of(none))).isFalse();
    }
  }

  @Nested
  class LookUp {
    @Test
    void theTargetsResolutionForTheFamilyIsLookedUpInTheResults() {
      AliasResults results =
          AliasResults.of(
              answer(T0, "192.0.2.1"),
              new Resolution.NoData(Rr.name("CDN.example.net."), Type.AAAA, List.of(), 60, T0));

      AliasPublication a = AliasPublication.of(ALIAS, Family.IPV4, results, DEFAULTS, null, T0);
      AliasPublication aaaa = AliasPublication.of(ALIAS, Family.IPV6, results, DEFAULTS, null, T0);

      assertThat(a).isInstanceOf(AliasPublication.Fresh.class);
      assertThat(aaaa).isInstanceOf(AliasPublication.NoAddresses.class);
    }

    @Test
    void aTargetMissingFromTheResultsIsUnresolved() {
      AliasPublication p =
          AliasPublication.of(ALIAS, Family.IPV4, AliasResults.empty(), DEFAULTS, null, T0);

      assertThat(((AliasPublication.Unresolved) p).cause().kind())
          .isEqualTo(Cause.Kind.MISSING_RESULT);
    }
  }

  @Nested
  class Refusals {
    @Test
    void aResolutionOfAnotherTargetIsRefused() {
      Resolution other =
          new Resolution.NoData(Rr.name("other.example.net."), Type.A, List.of(), 60, T0);

      assertThatThrownBy(() -> decide(other, T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("other.example.net.");
    }

    @Test
    void aResolutionOfAnotherFamilyIsRefused() {
      Resolution aaaa = new Resolution.NoData(CDN, Type.AAAA, List.of(), 60, T0);

      assertThatThrownBy(() -> decide(aaaa, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPreviousPublicationOfAnotherNameIsRefused() {
      AliasPublication elsewhere =
          AliasPublication.ofResolution(
              new Alias(Rr.name("api.example.com."), CDN, 60, AliasRecord.ALIAS),
              Family.IPV4, null, DEFAULTS, null, T0);

      assertThatThrownBy(() -> decide(DEFAULTS, null, elsewhere, T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("api.example.com.");
    }
  }
}
