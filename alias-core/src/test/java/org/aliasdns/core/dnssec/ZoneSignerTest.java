package org.aliasdns.core.dnssec;

import static org.aliasdns.core.dnssec.SigningFixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** What {@link ZoneSigner} puts in a signed zone, and what a re-signing run makes anew. */
class ZoneSignerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final SigningKey KEY = SigningFixtures.csk();
  private static final ZoneSigner NSEC = ZoneSigner.of(List.of(KEY), SigningPolicy.defaults());
  private static final ZoneSigner NSEC3 =
      ZoneSigner.of(List.of(KEY), SigningPolicy.builder().denial(Denial.nsec3()).build());

  private static Name name(String relative) {
    return Name.fromConstantString(relative.isEmpty() ? "example.com." : relative + ".example.com.");
  }

  private static List<RRSIGRecord> signatures(Zone signed, Name owner, int covered) {
    List<RRSIGRecord> out = new ArrayList<>();
    signed.get(owner, Type.RRSIG).ifPresent(
        set -> set.forEach(r -> {
          if (((RRSIGRecord) r).getTypeCovered() == covered) {
            out.add((RRSIGRecord) r);
          }
        }));
    return out;
  }

  private static int[] nsecTypes(Zone signed, Name owner) {
    return ((NSECRecord) signed.get(owner, Type.NSEC).orElseThrow().first()).getTypes();
  }

  @Test
  void inputDnskeysOfAnAlgorithmThatDoesNotSignAreDroppedPrePublishedOnesStay() {
    SigningKey old = SigningFixtures.key(DnssecAlgorithm.ED25519, SigningKey.Role.COMBINED);
    SigningKey prePublished =
        SigningFixtures.key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.ZONE_SIGNING);
    Zone zone =
        SigningFixtures.zone(
            "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                + "ns1 A 192.0.2.53\n@ DNSKEY " + old.dnskey().rdataToString() + "\n"
                + "@ DNSKEY " + prePublished.dnskey().rdataToString() + "\n");
    Zone signed = NSEC.sign(zone, T0).zone();
    List<Integer> tags = new ArrayList<>();
    signed.get(ORIGIN, Type.DNSKEY).orElseThrow()
        .forEach(r -> tags.add(((DNSKEYRecord) r).getFootprint()));
    // RFC 4035 §2.2: no RRSIG of algorithm 15 would exist, so its DNSKEY goes.
    assertThat(tags).containsExactlyInAnyOrder(KEY.keyTag(), prePublished.keyTag());
  }

  @Test
  void theDnskeyTtlIsTheKeyFilesTtlWhenItHasOneElseTheSoas() {
    Zone zone =
        SigningFixtures.zone(
            "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                + "ns1 A 192.0.2.53\n");
    SigningKey withTtl =
        SigningKey.generate(ORIGIN, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED,
            600, new java.security.SecureRandom());
    SigningKey without =
        SigningKey.generate(ORIGIN, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED,
            0, new java.security.SecureRandom());
    assertThat(ZoneSigner.of(List.of(withTtl), SigningPolicy.defaults()).sign(zone, T0).zone()
            .get(ORIGIN, Type.DNSKEY).orElseThrow().ttl())
        .isEqualTo(600);
    assertThat(ZoneSigner.of(List.of(without), SigningPolicy.defaults()).sign(zone, T0).zone()
            .get(ORIGIN, Type.DNSKEY).orElseThrow().ttl())
        .isEqualTo(3600);
    assertThat(ZoneSigner.of(List.of(withTtl), SigningPolicy.builder().dnskeyTtl(60).build())
            .sign(zone, T0).zone().get(ORIGIN, Type.DNSKEY).orElseThrow().ttl())
        .isEqualTo(60);
  }

  /** A zone whose {@code big} AAAA RRset has this many records. */
  private static Zone withBigRrset(int records) {
    StringBuilder text =
        new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
            + "ns1 A 192.0.2.53\n");
    for (int i = 1; i <= records; i++) {
      text.append("big AAAA 2001:db8::").append(Integer.toHexString(i)).append('\n');
    }
    return SigningFixtures.zone(text.toString());
  }

  @Test
  void anRrsetThatFitsUnsignedButNotWithItsRrsigIsRefusedNamingIt() {
    // 12 header + 21 question + 2338 x 28 = 65,497 bytes unsigned; the RRSIG's 107 more do not
    // fit in 65,535 (RFC 1035 §4.2.2); 2335 records (65,520 bytes signed) do.
    assertThatThrownBy(() -> NSEC.sign(withBigRrset(2338), T0))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("big.example.com. AAAA: 2338 records need 65604 bytes")
        .hasMessageContaining("65535-byte limit")
        .hasMessageContaining("RFC 1035 §4.2.2");
    assertThat(NSEC.sign(withBigRrset(2335), T0).zone().get(
            Name.fromConstantString("big.example.com."), Type.RRSIG))
        .isPresent();
  }

  @Test
  void everyAuthoritativeRRsetIsSignedAndEachSignatureVerifies() throws Exception {
    Zone signed = NSEC.sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0).zone();
    DNSKEYRecord dnskey = (DNSKEYRecord) signed.get(ORIGIN, Type.DNSKEY).orElseThrow().first();
    int checked = 0;
    for (RecordSet set : signed) {
      if (set.type() == Type.RRSIG) {
        continue;
      }
      boolean delegationNs = set.type() == Type.NS && !set.owner().equals(ORIGIN);
      boolean glue =
          set.owner().subdomain(name("secure")) && !set.owner().equals(name("secure"))
              || set.owner().subdomain(name("insecure")) && !set.owner().equals(name("insecure"));
      List<RRSIGRecord> sigs = signatures(signed, set.owner(), set.type());
      if (delegationNs || glue) {
        assertThat(sigs).as("%s %s", set.owner(), Type.string(set.type())).isEmpty();
        continue;
      }
      assertThat(sigs).as("%s %s", set.owner(), Type.string(set.type())).hasSize(1);
      RRset rrset = new RRset();
      set.forEach(rrset::addRR);
      DNSSEC.verify(rrset, sigs.get(0), dnskey, T0);
      checked++;
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void signaturesStartAnHourBackAndLastFourteenDays() {
    Zone signed = NSEC.sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0).zone();
    RRSIGRecord soaSig = signatures(signed, ORIGIN, Type.SOA).get(0);
    assertThat(soaSig.getTimeSigned()).isEqualTo(T0.minus(Duration.ofHours(1)));
    assertThat(soaSig.getExpire()).isEqualTo(T0.plus(Duration.ofDays(14)));
    assertThat(soaSig.getSigner()).isEqualTo(ORIGIN);
    assertThat(soaSig.getFootprint()).isEqualTo(KEY.keyTag());
  }

  @Test
  void theNsecChainCoversAuthoritativeNamesAndDelegationPointsButNotGlue() {
    Zone signed = NSEC.sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0).zone();
    assertThat(signed.get(name("ns.secure"), Type.NSEC)).isEmpty();
    assertThat(signed.get(name("ns.insecure"), Type.NSEC)).isEmpty();
    // RFC 4035 §2.3: a delegation point's bitmap has NS (and DS), never the glue's types.
    assertThat(nsecTypes(signed, name("secure")))
        .containsExactly(Type.NS, Type.DS, Type.RRSIG, Type.NSEC);
    assertThat(nsecTypes(signed, name("insecure")))
        .containsExactly(Type.NS, Type.RRSIG, Type.NSEC);
    assertThat(nsecTypes(signed, ORIGIN)).contains(Type.SOA, Type.DNSKEY, Type.MX, Type.TXT);
    // The last NSEC points back at the apex (RFC 4034 §4.1.1).
    NSECRecord last = null;
    for (RecordSet set : signed) {
      if (set.type() == Type.NSEC) {
        last = (NSECRecord) set.first();
      }
    }
    assertThat(last).isNotNull();
    assertThat(java.util.Objects.requireNonNull(last).getNext()).isEqualTo(ORIGIN);
  }

  @Test
  void aSingleStackAliasNameProvesItHasNoAaaa() {
    FlattenedZone flat = SigningFixtures.flattened("192.0.2.80", T0);
    Zone signed = NSEC.sign(flat.zone(), T0).zone();
    assertThat(nsecTypes(signed, name("www"))).contains(Type.A).doesNotContain(Type.AAAA);
    assertThat(nsecTypes(signed, ORIGIN)).contains(Type.A, Type.MX).doesNotContain(Type.AAAA);
    assertThat(signatures(signed, name("www"), Type.A)).hasSize(1);
  }

  @Test
  void anAliasWhoseTargetVanishedKeepsASignedAliasRecordAndProvesNoAddresses() {
    FlattenedZone flat = SigningFixtures.flattened("192.0.2.80", T0);
    Zone signed = NSEC3.sign(flat.zone(), T0).zone();
    Name old = name("old");
    assertThat(signed.get(old, AliasRecord.ALIAS)).isPresent();
    assertThat(signatures(signed, old, AliasRecord.ALIAS)).hasSize(1);
    assertThat(RealValidatorsTest.bitmap(signed, old))
        .contains(AliasRecord.ALIAS, Type.RRSIG)
        .doesNotContain(Type.A, Type.AAAA);
  }

  @Test
  void nsec3HashesEmptyNonTerminalsAndOptOutLeavesInsecureDelegationsOut() {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    Zone signed = NSEC3.sign(zone, T0).zone();
    assertThat(RealValidatorsTest.bitmap(signed, name("b.c"))).isEmpty();
    assertThat(RealValidatorsTest.bitmap(signed, name("c"))).isEmpty();
    assertThat(RealValidatorsTest.bitmap(signed, name("insecure"))).containsExactly(Type.NS);
    assertThat(RealValidatorsTest.bitmap(signed, ORIGIN)).contains(Type.NSEC3PARAM, Type.DNSKEY);
    assertThat(signed.get(ORIGIN, Type.NSEC3PARAM)).isPresent();
    assertThat(signed.get(ORIGIN, Type.NSEC)).isEmpty();

    ZoneSigner optOut =
        ZoneSigner.of(
            List.of(KEY),
            SigningPolicy.builder().denial(Denial.nsec3().withOptOut(true)).build());
    Zone opted = optOut.sign(zone, T0).zone();
    long nsec3s = opted.stream().filter(s -> s.type() == Type.NSEC3).count();
    long all = signed.stream().filter(s -> s.type() == Type.NSEC3).count();
    // insecure, and deep.ent.insecure2 with its two empty non-terminals, are left out.
    assertThat(nsec3s).isEqualTo(all - 4);
    opted.stream()
        .filter(s -> s.type() == Type.NSEC3)
        .forEach(s -> assertThat(((NSEC3Record) s.first()).getFlags()).isEqualTo(1));
    assertThatThrownBy(() -> RealValidatorsTest.bitmap(opted, name("insecure")))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void nothingChangedAndNothingDueMakesNoSignatureAndKeepsTheSerial() {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone first = NSEC.sign(zone, T0);
    SignedZone again = NSEC.sign(zone, T0.plus(Duration.ofDays(1)), first);
    assertThat(again.signaturesMade()).isZero();
    assertThat(again.changed()).isFalse();
    assertThat(again.serial()).isEqualTo(first.serial());
    assertThat(again.zone()).isSameAs(first.zone());
  }

  @Test
  void anAliasThatMovedReSignsItsAddressesAndTheSoaOnly() {
    FlattenedZone before = SigningFixtures.flattened("192.0.2.80", T0);
    FlattenedZone after = SigningFixtures.flattened("192.0.2.81", T0.plusSeconds(60), before);
    SignedZone first = NSEC.sign(before.zone(), T0);
    SignedZone second = NSEC.sign(after.zone(), T0.plusSeconds(60), first);

    // The A RRsets at the apex and at www, and the SOA with its new serial.
    assertThat(second.signaturesMade()).isEqualTo(3);
    assertThat(second.signaturesKept()).isEqualTo(first.signaturesMade() - 3);
    assertThat(second.serial()).isEqualTo(first.serial() + 1);
    assertThat(second.changed()).isTrue();
  }

  @Test
  void aTargetThatMovedAndLostItsAaaaReSignsTheAddressesTheDenialRecordAndTheSoaOnly() {
    // An alias name (mail, flattened) whose target moved its A and dropped its AAAA: the A
    // RRset changes, the AAAA RRset goes, and the name's NSEC/NSEC3 bitmap loses AAAA.
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    Zone moved =
        zone.toBuilder()
            .put(RecordSet.of(org.aliasdns.core.Rr.rr("mail.example.com.", 3600, "A", "192.0.2.26")))
            .remove(name("mail"), Type.AAAA)
            .build();
    for (ZoneSigner signer : List.of(NSEC, NSEC3)) {
      SignedZone first = signer.sign(zone, T0);
      SignedZone second = signer.sign(moved, T0.plusSeconds(60), first);
      // mail's A, mail's NSEC (or its hash's NSEC3), and the SOA: nothing else.
      assertThat(second.signaturesMade()).as("%s", signer.policy().denial()).isEqualTo(3);
      assertThat(second.signaturesKept())
          .as("%s", signer.policy().denial())
          .isEqualTo(first.signaturesMade() - 3 - 1); // the AAAA's RRSIG is gone
      assertThat(second.serial()).isEqualTo(first.serial() + 1);
    }
    assertThat(nsecTypes(NSEC.sign(moved, T0).zone(), name("mail")))
        .containsExactly(Type.A, Type.RRSIG, Type.NSEC);
  }

  @Test
  void aNewNameReSignsItsRRsetsItsNsecAndThePrecedingNsec() {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone first = NSEC.sign(zone, T0);
    Zone grown =
        zone.toBuilder()
            .add(org.aliasdns.core.Rr.rr("mail2.example.com.", 3600, "A", "192.0.2.26"))
            .build();
    SignedZone second = NSEC.sign(grown, T0.plusSeconds(60), first);
    // mail2's A and NSEC, mail's NSEC (its next name changed), and the SOA.
    assertThat(second.signaturesMade()).isEqualTo(4);
    assertThat(((NSECRecord) second.zone().get(name("mail"), Type.NSEC).orElseThrow().first())
            .getNext())
        .isEqualTo(name("mail2"));
  }

  @Test
  void aRefreshRenewsOnlySignaturesInsideTheRefreshWindow() {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone first = NSEC.sign(zone, T0);
    // Eight days on, one RRset changes: its signature (and the SOA's, and its NSEC's, which
    // keeps its bitmap) now expire on day 22; the rest still on day 14.
    Zone edited =
        zone.toBuilder()
            .put(RecordSet.of(org.aliasdns.core.Rr.rr("mail.example.com.", 3600, "A", "192.0.2.26")))
            .build();
    SignedZone second = NSEC.sign(edited, T0.plus(Duration.ofDays(8)), first);
    assertThat(second.signaturesMade()).isEqualTo(2);

    // Day 8.5: day 14 is 5.5 days off, outside the 5-day window: nothing due.
    SignedZone quiet = NSEC.refresh(second, T0.plus(Duration.ofHours(8 * 24 + 12)));
    assertThat(quiet.signaturesMade()).isZero();
    assertThat(quiet.refreshAt()).isEqualTo(T0.plus(Duration.ofDays(9)));

    // Day 9.5: the day-14 signatures are inside the window; the two from day 8 are not.
    SignedZone refreshed = NSEC.refresh(second, T0.plus(Duration.ofHours(9 * 24 + 12)));
    assertThat(refreshed.signaturesMade()).isEqualTo(first.signaturesMade() - 1);
    assertThat(refreshed.signaturesKept()).isEqualTo(1);
    assertThat(refreshed.serial()).isEqualTo(second.serial() + 1);
    RRSIGRecord mailSig = signatures(refreshed.zone(), name("mail"), Type.A).get(0);
    assertThat(mailSig.getExpire()).isEqualTo(T0.plus(Duration.ofDays(22)));
  }

  @Test
  void signaturesMadeSecondsApartAreRenewedInOnePassAndStayTogether() {
    // Issue 13: a 6-minute validity renewed 3 minutes ahead; RRsets re-signed at 0, 2, 3 and
    // 18 s. Renewing only what is due gave one serial per batch (4 per round); with the
    // renewal horizon (one minute here) a round renews them all under one serial.
    ZoneSigner signer =
        ZoneSigner.of(
            List.of(KEY),
            SigningPolicy.builder()
                .validity(Duration.ofMinutes(6))
                .refreshWindow(Duration.ofMinutes(3))
                .build());
    assertThat(ZoneSigner.renewalHorizon(signer.policy())).isEqualTo(Duration.ofMinutes(1));
    assertThat(ZoneSigner.renewalHorizon(SigningPolicy.defaults()))
        .isEqualTo(Duration.ofHours(30));
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone signed = signer.sign(zone, T0);
    int address = 30;
    for (int at : new int[] {2, 3, 18}) {
      zone =
          zone.toBuilder()
              .put(RecordSet.of(org.aliasdns.core.Rr.rr(
                  "mail.example.com.", 3600, "A", "192.0.2." + address++)))
              .build();
      signed = signer.sign(zone, T0.plusSeconds(at), signed);
    }
    List<Long> renewedAt = new ArrayList<>();
    for (int second = 19; second <= 19 + 12 * 60; second++) {
      SignedZone next = signer.refresh(signed, T0.plusSeconds(second));
      if (next.changed()) {
        renewedAt.add((long) second);
        assertThat(next.serial()).isEqualTo(signed.serial() + 1);
        Set<Instant> expiries = new HashSet<>();
        for (RecordSet set : next.zone()) {
          if (set.type() == Type.RRSIG) {
            set.forEach(r -> expiries.add(((RRSIGRecord) r).getExpire()));
          }
        }
        assertThat(expiries).as("renewed at %d s", second).hasSize(1);
      }
      signed = next;
    }
    // The first signatures fall due at 3:00; every one due within the next minute goes with
    // them; then every 3 minutes, one pass each.
    assertThat(renewedAt).containsExactly(180L, 360L, 540L, 720L);
  }

  @Test
  void keyTimingStopsSignaturesAtInactiveAndWithdrawsTheDnskeyAtDelete() {
    // RFC 7583 §3.1: a key signs from Activate to Inactive, its DNSKEY stays until Delete.
    SigningKey old = SigningFixtures.csk();
    SigningKey next = SigningFixtures.csk();
    Instant inactive = T0.plus(Duration.ofDays(1));
    Instant delete = T0.plus(Duration.ofDays(2));
    ZoneSigner signer =
        ZoneSigner.of(List.of(old, next), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(old, new KeyTiming(null, null, inactive, delete)));
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);

    SignedZone first = signer.sign(zone, T0);
    assertThat(first.refreshAt()).isEqualTo(inactive);
    assertThat(tags(first, Type.RRSIG)).containsExactlyInAnyOrder(old.keyTag(), next.keyTag());

    SignedZone retired = signer.refresh(first, inactive);
    assertThat(retired.changed()).isTrue();
    assertThat(retired.serial()).isEqualTo(first.serial() + 1);
    assertThat(tags(retired, Type.RRSIG)).containsExactly(next.keyTag());
    assertThat(tags(retired, Type.DNSKEY)).containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
    assertThat(retired.refreshAt()).isEqualTo(delete);

    SignedZone deleted = signer.refresh(retired, delete);
    assertThat(tags(deleted, Type.DNSKEY)).containsExactly(next.keyTag());
    assertThat(deleted.serial()).isEqualTo(retired.serial() + 1);

    ZoneSigner alone =
        ZoneSigner.of(List.of(old), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(old, new KeyTiming(null, null, inactive, delete)));
    assertThatThrownBy(() -> alone.refresh(alone.sign(zone, T0), inactive))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("no active key left for signing the zone: " + old.fileStem()
            + " inactive since " + inactive);
  }

  @Test
  void aKeyPublishedAfterItsActivateTimeSignsOnlyOnceItsDnskeyIsPublished() {
    // RFC 4035 §5.3.1: a signature whose key is not in the DNSKEY RRset validates nowhere. A
    // Publish time after Activate (which RFC 7583 §3.1 does not allow) delays the signing.
    SigningKey active = SigningFixtures.csk();
    SigningKey late = SigningFixtures.csk();
    Instant publish = T0.plus(Duration.ofHours(1));
    ZoneSigner signer =
        ZoneSigner.of(List.of(active, late), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(
                late, new KeyTiming(publish, T0.minus(Duration.ofHours(1)), null, null)));
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);

    SignedZone first = signer.sign(zone, T0);
    assertThat(tags(first, Type.DNSKEY)).containsExactly(active.keyTag());
    assertThat(tags(first, Type.RRSIG)).containsExactly(active.keyTag());
    assertThat(first.refreshAt()).isEqualTo(publish);
    assertThat(signer.timingWarnings(zone, T0))
        .contains("key " + late.fileStem() + " is published at " + publish
            + ", after its Activate time " + T0.minus(Duration.ofHours(1)) + ": it signs only"
            + " from its Publish time (RFC 7583 §3.1: Publish comes first)");

    SignedZone published = signer.refresh(first, publish);
    assertThat(tags(published, Type.DNSKEY)).containsExactlyInAnyOrder(active.keyTag(), late.keyTag());
    assertThat(tags(published, Type.RRSIG)).containsExactlyInAnyOrder(active.keyTag(), late.keyTag());
  }

  @Test
  void aDnskeyInTheSourceFollowsItsKeysTimingPastDeleteButStaysBeforePublish() {
    // RFC 7583 §3.1: a deleted key's DNSKEY goes even where the zone file carries it; a key not
    // yet published by its timing but written into the zone file stays (dnssec-signzone -S
    // does the same).
    SigningKey active = SigningFixtures.csk();
    SigningKey deleted = SigningFixtures.csk();
    SigningKey early = SigningFixtures.csk();
    ZoneSigner signer =
        ZoneSigner.of(List.of(active, deleted, early), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(
                deleted, new KeyTiming(null, null, T0.minus(Duration.ofDays(2)),
                    T0.minus(Duration.ofDays(1))),
                early, new KeyTiming(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)),
                    null, null)));
    String withKeys =
        SigningFixtures.PLAIN
            + "@ 3600 IN DNSKEY " + deleted.dnskey().rdataToString() + "\n"
            + "@ 3600 IN DNSKEY " + early.dnskey().rdataToString() + "\n";

    SignedZone signed = signer.sign(SigningFixtures.zone(withKeys), T0);

    assertThat(tags(signed, Type.DNSKEY)).containsExactlyInAnyOrder(active.keyTag(), early.keyTag());
    assertThat(tags(signed, Type.RRSIG)).containsExactly(active.keyTag());
  }

  @Test
  void aKeyDeletedBeforeItsInactiveTimeIsWarnedOf() {
    SigningKey active = SigningFixtures.csk();
    SigningKey shortLived = SigningFixtures.csk();
    Instant delete = T0.plus(Duration.ofDays(1));
    Instant inactive = T0.plus(Duration.ofDays(2));
    ZoneSigner signer =
        ZoneSigner.of(List.of(active, shortLived), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(shortLived, new KeyTiming(null, null, inactive, delete)));

    assertThat(signer.timingWarnings(SigningFixtures.zone(SigningFixtures.PLAIN), T0))
        .containsExactly("key " + shortLived.fileStem() + " is deleted at " + delete
            + ", before its Inactive time " + inactive + ": its signatures end with its DNSKEY,"
            + " and resolvers may still hold RRsets it signed (RFC 7583 §3.2.1: Delete comes a"
            + " TTL after Inactive)");
    assertThat(ZoneSigner.of(List.of(active), SigningPolicy.defaults())
            .timingWarnings(SigningFixtures.zone(SigningFixtures.PLAIN), T0))
        .isEmpty();
  }

  @Test
  void aKeyInactiveNoLaterThanItsActivateTimeIsWarnedOf() {
    SigningKey active = SigningFixtures.csk();
    SigningKey never = SigningFixtures.csk();
    Instant activate = T0.plus(Duration.ofDays(1));
    Instant inactive = T0.plus(Duration.ofHours(1));
    ZoneSigner signer =
        ZoneSigner.of(List.of(active, never), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(never, new KeyTiming(T0, activate, inactive, null)));
    assertThat(signer.timingWarnings(SigningFixtures.zone(SigningFixtures.PLAIN), T0))
        .contains("key " + never.fileStem() + " is inactive at " + inactive + ", not after its"
            + " Activate time " + activate + ": it never signs (RFC 7583 §3.1: Activate comes"
            + " before Inactive)");
  }

  @Test
  void aKeyOfAnAlgorithmNoSigningKeyHasIsWarnedOfWhilePublished() {
    // RFC 4035 §2.2: every algorithm of the DNSKEY RRset signs the zone; RFC 6781 §4.1.4: in an
    // algorithm rollover the new algorithm's signatures come before its DNSKEY.
    SigningKey p256 = SigningFixtures.csk();
    SigningKey rsa = SigningFixtures.key(DnssecAlgorithm.RSASHA256, SigningKey.Role.COMBINED);
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    ZoneSigner prePublished =
        ZoneSigner.of(List.of(p256, rsa), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(
                rsa, new KeyTiming(T0, T0.plus(Duration.ofDays(2)), null, null)));
    assertThat(prePublished.timingWarnings(zone, T0))
        .contains("key " + rsa.fileStem() + " is published but no key of its algorithm (8)"
            + " signs example.com.: RFC 4035 §2.2 wants every algorithm of the DNSKEY RRset to"
            + " sign the zone; in an algorithm rollover, a key of the new algorithm signs before"
            + " its DNSKEY is published (RFC 6781 §4.1.4)");
    // Once it signs, or before it is published, nothing to say about it.
    assertThat(prePublished.timingWarnings(zone, T0.plus(Duration.ofDays(3))))
        .noneMatch(w -> w.contains("no key of its algorithm"));
    ZoneSigner notYet =
        ZoneSigner.of(List.of(p256, rsa), SigningPolicy.defaults())
            .withTiming(java.util.Map.of(
                rsa, new KeyTiming(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)),
                    null, null)));
    assertThat(notYet.timingWarnings(zone, T0)).noneMatch(w -> w.contains("no key of its"));
  }

  /** The key tags of a signed zone's RRSIGs, or of its DNSKEYs. */
  private static Set<Integer> tags(SignedZone signed, int type) {
    Set<Integer> out = new HashSet<>();
    for (RecordSet set : signed.zone()) {
      if (set.type() == type) {
        for (Record r : set) {
          out.add(
              r instanceof RRSIGRecord sig ? sig.getFootprint() : ((DNSKEYRecord) r).getFootprint());
        }
      }
    }
    return out;
  }

  @Test
  void theSerialFollowsTheSourceWhenItIsGreater() {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone first = NSEC.sign(zone, T0);
    SOARecord soa = (SOARecord) zone.soa().orElseThrow();
    Zone bumped =
        zone.toBuilder()
            .put(RecordSet.of(new SOARecord(soa.getName(), soa.getDClass(), soa.getTTL(),
                soa.getHost(), soa.getAdmin(), 2026020100L, soa.getRefresh(), soa.getRetry(),
                soa.getExpire(), soa.getMinimum())))
            .build();
    assertThat(NSEC.sign(bumped, T0.plusSeconds(1), first).serial()).isEqualTo(2026020100L);
  }

  @Test
  void aZoneSigningKeyAndAKeySigningKeySplitTheWork() {
    SigningKey ksk = SigningFixtures.key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.KEY_SIGNING);
    SigningKey zsk = SigningFixtures.key(DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.ZONE_SIGNING);
    Zone signed =
        ZoneSigner.of(List.of(ksk, zsk), SigningPolicy.defaults())
            .sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0)
            .zone();
    assertThat(signatures(signed, ORIGIN, Type.DNSKEY))
        .extracting(RRSIGRecord::getFootprint)
        .containsExactly(ksk.keyTag());
    assertThat(signatures(signed, ORIGIN, Type.SOA))
        .extracting(RRSIGRecord::getFootprint)
        .containsExactly(zsk.keyTag());
    assertThat(signed.get(ORIGIN, Type.DNSKEY).orElseThrow().size()).isEqualTo(2);
  }

  @Test
  void keysOfAnotherZoneAreRefused() {
    SigningKey other =
        SigningKey.generate(
            Name.fromConstantString("example.org."), DnssecAlgorithm.ECDSAP256SHA256,
            SigningKey.Role.COMBINED, 3600, new java.security.SecureRandom());
    assertThatThrownBy(
            () -> ZoneSigner.of(List.of(other), SigningPolicy.defaults())
                .sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example.org.");
    assertThatThrownBy(() -> ZoneSigner.of(List.of(KEY, other), SigningPolicy.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different zones");
  }

  @Test
  void thePolicyBuilderRefusesARepeatedOrInconsistentSetting() {
    assertThatThrownBy(
            () -> SigningPolicy.builder().validity(Duration.ofDays(7)).validity(Duration.ofDays(8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("validity is already set to PT168H");
    assertThatThrownBy(
            () -> SigningPolicy.builder()
                .validity(Duration.ofDays(3))
                .refreshWindow(Duration.ofDays(5))
                .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the validity");
    assertThatThrownBy(() -> new Denial.Nsec3(0, "xyz", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("salt");
  }

  @Test
  void anInputThatWasSignedBeforeIsSignedAfresh() {
    Zone once = NSEC3.sign(SigningFixtures.zone(SigningFixtures.PLAIN), T0).zone();
    Zone twice = NSEC.sign(once, T0).zone();
    assertThat(twice.stream().filter(s -> s.type() == Type.NSEC3)).isEmpty();
    assertThat(twice.get(ORIGIN, Type.NSEC3PARAM)).isEmpty();
    for (Record r : twice.get(ORIGIN, Type.RRSIG).orElseThrow()) {
      assertThat(((RRSIGRecord) r).getTypeCovered()).isNotEqualTo(Type.NSEC3PARAM);
    }
    assertThat(twice.get(ORIGIN, Type.DNSKEY).orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void aSignedZoneWrittenAsAMasterFileReadsBackAsTheSameZone() {
    for (ZoneSigner signer : List.of(NSEC, NSEC3)) {
      Zone signed = signer.sign(SigningFixtures.flattened("192.0.2.80", T0).zone(), T0).zone();
      String text =
          org.aliasdns.core.zonefile.ZoneFileWriter.defaults().withGenericAliasTypes().toText(signed);
      Zone back =
          org.aliasdns.core.zonefile.ZoneFileReader.forOrigin(ORIGIN).read(text, "signed").zone();
      assertThat(back).isEqualTo(signed);
      assertThat(text).contains("TYPE65401").doesNotContain(" ALIAS ");
    }
  }
}
