package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.KeyTiming;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Issue 13: {@code serve --key} follows the keys' BIND timing while it runs (RFC 7583 §3.1):
 * no new signatures by a key past its Inactive time, its DNSKEY withdrawn after its Delete
 * time, a warning when a key reaches Inactive, and one error (the previous signed zone served)
 * when no key of a role is active. Before, a key went on signing past Inactive and its DNSKEY
 * stayed past Delete, without a word.
 */
class ServeKeyTimingTest {
  private static final SigningPolicy POLICY =
      SigningPolicy.builder()
          .validity(Duration.ofMinutes(10))
          .refreshWindow(Duration.ofMinutes(3))
          .build();

  private static SigningKey key() {
    return SigningKey.generate(
        Name.fromConstantString("example.com."), DnssecAlgorithm.ECDSAP256SHA256,
        SigningKey.Role.COMBINED, 3600, new SecureRandom());
  }

  private final SigningKey old = key();
  private final SigningKey next = key();

  /** When the fake's clock started, set by {@link #serveOldAndNext}. */
  private Instant t0 = Instant.EPOCH;

  /**
   * Serves the fixture's zone signed by {@link #old} and {@link #next}, their timing made from
   * the time the fake's clock starts at ({@link #t0}).
   */
  private ServeFixture serveOldAndNext(Function<Instant, Map<SigningKey, KeyTiming>> timing)
      throws Exception {
    FakeDns fake = ServeFixture.upstream();
    t0 = fake.clock().instant();
    ZoneSigner signer = ZoneSigner.of(List.of(old, next), POLICY).withTiming(timing.apply(t0));
    return ServeFixture.start(fake, ServeFixture.ZONE, b -> b.signer(signer));
  }

  /** The key tags of the signatures made at or after a time, and of the DNSKEYs published. */
  private static Set<Integer> signersSince(SignedZone signed, Instant since) {
    Set<Integer> tags = new HashSet<>();
    for (RecordSet set : signed.zone()) {
      if (set.type() == Type.RRSIG) {
        for (Record r : set) {
          RRSIGRecord sig = (RRSIGRecord) r;
          if (!sig.getTimeSigned().plus(POLICY.inceptionOffset()).isBefore(since)) {
            tags.add(sig.getFootprint());
          }
        }
      }
    }
    return tags;
  }

  private static Set<Integer> published(SignedZone signed) {
    Set<Integer> tags = new HashSet<>();
    signed
        .zone()
        .get(Name.fromConstantString("example.com."), Type.DNSKEY)
        .orElseThrow()
        .forEach(r -> tags.add(((DNSKEYRecord) r).getFootprint()));
    return tags;
  }

  @Test
  void aRetiringKeyStopsSigningAtInactiveAndItsDnskeyGoesAtDelete() throws Exception {
    try (ServeFixture serve =
        serveOldAndNext(
            t ->
                Map.of(old, new KeyTiming(null, null, t.plusSeconds(80), t.plusSeconds(160))))) {
      SignedZone first = serve.session.signedZone().orElseThrow();
      assertThat(published(first)).containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
      // RFC 7583 §3.2.1: Delete 80 s after Inactive, less than the zone's largest TTL.
      assertThat(serve.warnings)
          .anyMatch(w -> w.equals("warning: key " + old.fileStem() + " is deleted at "
              + t0.plusSeconds(160) + ", less than the zone's largest TTL (3600 s) after its"
              + " Inactive time " + t0.plusSeconds(80) + ": resolvers may still hold RRsets it"
              + " signed (RFC 7583 §3.2.1)"));

      serve.advanceAndRefresh(Duration.ofSeconds(90));
      SignedZone retired = serve.session.signedZone().orElseThrow();
      assertThat(retired.serial()).isGreaterThan(first.serial());
      Instant at90 = t0.plusSeconds(90);
      assertThat(signersSince(retired, at90)).containsExactly(next.keyTag());
      assertThat(published(retired)).contains(old.keyTag());
      assertThat(serve.warnings)
          .filteredOn(w -> w.contains(old.fileStem() + " is inactive since"))
          .hasSize(1);

      serve.advanceAndRefresh(Duration.ofSeconds(80));
      SignedZone deleted = serve.session.signedZone().orElseThrow();
      assertThat(deleted.serial()).isGreaterThan(retired.serial());
      assertThat(published(deleted)).containsExactly(next.keyTag());
      assertThat(serve.log).anyMatch(l -> l.startsWith("key " + old.fileStem() + " deleted at "));
    }
  }

  @Test
  void aPrePublishedSuccessorIsPublishedAtStartAndSignsFromItsActivateTime() throws Exception {
    // RFC 6781 §4.1.1.1's pre-publication rollover in one run: the successor's DNSKEY is in the
    // zone from the start, its signatures come at Activate, the predecessor's stop at Inactive.
    try (ServeFixture serve =
        serveOldAndNext(
            t ->
                Map.of(
                    old, new KeyTiming(null, null, t.plusSeconds(120), null),
                    next, new KeyTiming(null, t.plusSeconds(60), null, null)))) {
      SignedZone first = serve.session.signedZone().orElseThrow();
      assertThat(published(first)).containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
      assertThat(signersSince(first, t0)).containsExactly(old.keyTag());

      serve.advanceAndRefresh(Duration.ofSeconds(70));
      SignedZone both = serve.session.signedZone().orElseThrow();
      assertThat(both.serial()).isGreaterThan(first.serial());
      assertThat(signersSince(both, t0.plusSeconds(70)))
          .containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
      assertThat(serve.log).contains("key " + next.fileStem() + " active since "
          + t0.plusSeconds(60) + " (its Activate time): it signs");

      serve.advanceAndRefresh(Duration.ofSeconds(60));
      SignedZone after = serve.session.signedZone().orElseThrow();
      assertThat(signersSince(after, t0.plusSeconds(130))).containsExactly(next.keyTag());
      assertThat(published(after)).containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
    }
  }

  @Test
  void aSuccessorPublishedWhileServingIsLoggedAndServed() throws Exception {
    try (ServeFixture serve =
        serveOldAndNext(
            t -> Map.of(next, new KeyTiming(t.plusSeconds(20), t.plusSeconds(3700), null, null)))) {
      assertThat(published(serve.session.signedZone().orElseThrow())).containsExactly(old.keyTag());

      serve.advanceAndRefresh(Duration.ofSeconds(30));

      assertThat(published(serve.session.signedZone().orElseThrow()))
          .containsExactlyInAnyOrder(old.keyTag(), next.keyTag());
      assertThat(serve.log).contains("key " + next.fileStem() + " published at "
          + t0.plusSeconds(20) + " (its Publish time): its DNSKEY is served");
      assertThat(serve.log).noneMatch(l -> l.contains(next.fileStem() + " active since"));
    }
  }

  @Test
  void aKeyDeletedBeforeStartIsNeitherFollowedNorToldOfAgain() throws Exception {
    // A restart after a rollover's Delete time with the old key still given: the keys' reader
    // warns of it once (SignCommand.deletedKeys); the session adds no "inactive" warning and no
    // "deleted" line for a key it never published.
    try (ServeFixture serve =
        serveOldAndNext(
            t ->
                Map.of(old, new KeyTiming(null, null, t.minusSeconds(600), t.minusSeconds(60))))) {
      serve.advanceAndRefresh(Duration.ofSeconds(30));

      assertThat(published(serve.session.signedZone().orElseThrow()))
          .containsExactly(next.keyTag());
      assertThat(serve.warnings).noneMatch(w -> w.contains(old.fileStem()));
      assertThat(serve.log).noneMatch(l -> l.contains(old.fileStem()));
    }
  }

  @Test
  void badRolloverTimingIsWarnedOfAtStart() throws Exception {
    // RFC 7583 §3.2.1: a successor active before the DNSKEY TTL has passed since its DNSKEY was
    // published, and a gap between the predecessor's Inactive and the successor's Activate.
    try (ServeFixture serve =
        serveOldAndNext(
            t ->
                Map.of(
                    old, new KeyTiming(null, null, t.plusSeconds(30), t.plusSeconds(7200)),
                    next, new KeyTiming(t, t.plusSeconds(70), null, null)))) {
      assertThat(serve.warnings)
          .contains(
              "warning: key " + next.fileStem() + " signs from " + t0.plusSeconds(70)
                  + ", less than the DNSKEY TTL (3600 s) after its DNSKEY is published (" + t0
                  + "): resolvers holding the DNSKEY RRset from before cannot validate its"
                  + " signatures until that expires (RFC 7583 §3.2.1)",
              "warning: no key signs example.com. from " + t0.plusSeconds(30) + " until "
                  + t0.plusSeconds(70) + ": nothing can be signed meanwhile (the previous"
                  + " signatures stay)");
    }
  }

  @Test
  void serveOptionsAcceptAPrePublishedKeyBesideAnActiveOne(@TempDir Path dir) throws Exception {
    // Before, serve --key refused a key whose Activate time was still to come, so a rollover
    // could not pre-publish its successor.
    SigningKey active = key();
    SigningKey successor = key();
    KeyFiles.write(active, dir, Instant.now());
    KeyFiles.write(successor, dir, Instant.now());
    Path successorPrivate = dir.resolve(successor.fileStem() + ".private");
    Files.writeString(
        successorPrivate, Files.readString(successorPrivate) + "Activate: 20991231000000\n");
    SigningOptions options = new SigningOptions();
    options.keys = List.of(
        dir.resolve(active.fileStem() + ".key"), dir.resolve(successor.fileStem() + ".key"));

    ZoneSigner signer = java.util.Objects.requireNonNull(options.signer());

    Instant now = Instant.now();
    assertThat(signer.timing(successor).activate())
        .isEqualTo(Instant.parse("2099-12-31T00:00:00Z"));
    assertThat(signer.timing(successor).publishedAt(now)).isTrue();
    assertThat(signer.timing(successor).signsAt(now)).isFalse();
    assertThat(signer.timing(active).signsAt(now)).isTrue();
  }

  @Test
  void withNoActiveKeyLeftThePreviousSignedZoneStaysAndOneErrorIsLogged() throws Exception {
    FakeDns fake = ServeFixture.upstream();
    Instant t0 = fake.clock().instant();
    SigningKey only = key();
    ZoneSigner signer =
        ZoneSigner.of(List.of(only), POLICY)
            .withTiming(
                Map.of(only, new KeyTiming(null, null, t0.plusSeconds(80), t0.plusSeconds(160))));
    try (ServeFixture serve = ServeFixture.start(fake, ServeFixture.ZONE, b -> b.signer(signer))) {
      SignedZone first = serve.session.signedZone().orElseThrow();

      for (int i = 0; i < 5; i++) {
        serve.advanceAndRefresh(Duration.ofSeconds(30));
      }
      serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.11");
      serve.advanceAndRefresh(Duration.ofMinutes(2));

      // No signature after Inactive: the zone signed at start is what is served.
      assertThat(serve.session.signedZone().orElseThrow()).isSameAs(first);
      assertThat(serve.warnings)
          .filteredOn(w -> w.startsWith("error: "))
          .singleElement()
          .asString()
          .contains("previous signed zone still served: no active key left for signing the zone")
          .contains(only.fileStem() + " inactive since " + t0.plusSeconds(80));
    }
  }
}
