package org.aliasdns.core.dnssec;

import static org.aliasdns.core.dnssec.SigningFixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signed zones checked by real validators: BIND's {@code dnssec-verify} and NLnet Labs' {@code
 * ldns-verify-zone}. Signatures are made at the test's wall-clock time, since neither tool can be
 * told another. Skipped with a visible reason where a tool is absent (failed instead under
 * {@code ALIAS_REQUIRE_TOOLS=1}, as in CI).
 */
class RealValidatorsTest {
  static final ExternalTool DNSSEC_VERIFY = ExternalTool.of("dnssec-verify", "bind9-utils");
  static final ExternalTool LDNS_VERIFY_ZONE = ExternalTool.of("ldns-verify-zone", "ldnsutils");

  @TempDir Path dir;

  static Stream<Arguments> denials() {
    return Stream.of(
        Arguments.of("NSEC", Denial.nsec()),
        Arguments.of("NSEC3", Denial.nsec3()),
        Arguments.of("NSEC3 opt-out", Denial.nsec3().withOptOut(true)),
        Arguments.of("NSEC3 10 iterations, salt", new Denial.Nsec3(10, "cafe", false)));
  }

  private static SigningPolicy policy(Denial denial) {
    return SigningPolicy.builder().denial(denial).build();
  }

  /** Writes the signed zone and runs both validators on it; both must accept it. */
  void assertValidatorsAccept(Zone signed, String file) throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(
        path, ZoneFileWriter.defaults().withGenericAliasTypes().toText(signed),
        StandardCharsets.UTF_8);
    // -z: a combined signing key has the SEP flag and signs everything; without -z,
    // dnssec-verify expects a key without the flag to sign the zone's data.
    ExternalTool.Run bind =
        DNSSEC_VERIFY.run("-z", "-o", signed.origin().toString(), path.toString());
    assertThat(bind.exitCode()).as("dnssec-verify:\n%s", bind.output()).isZero();
    assertThat(bind.output()).contains("Zone fully signed");
    ExternalTool.Run ldns = LDNS_VERIFY_ZONE.run(path.toString());
    assertThat(ldns.exitCode()).as("ldns-verify-zone:\n%s", ldns.output()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("denials")
  void aPlainZoneWithDelegationsGlueWildcardAndEmptyNonTerminalsValidates(
      String label, Denial denial) throws IOException {
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone signed =
        ZoneSigner.of(List.of(SigningFixtures.csk()), policy(denial)).sign(zone, Instant.now());
    assertValidatorsAccept(signed.zone(), "plain.zone");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("denials")
  void aFlattenedZoneWithASingleStackAliasValidatesAndProvesNoAaaa(String label, Denial denial)
      throws IOException {
    Instant now = Instant.now();
    FlattenedZone flat = SigningFixtures.flattened("192.0.2.80", now);
    SignedZone signed =
        ZoneSigner.of(List.of(SigningFixtures.csk()), policy(denial)).sign(flat.zone(), now);
    assertValidatorsAccept(signed.zone(), "flat.zone");

    for (Name alias : List.of(ORIGIN, Name.fromConstantString("www.example.com."))) {
      int[] types = bitmap(signed.zone(), alias);
      assertThat(types).as("bitmap of %s", alias).contains(Type.A).doesNotContain(Type.AAAA);
    }
  }

  @Test
  void aKeySigningAndAZoneSigningKeyOfEachAlgorithmValidate() throws IOException {
    List<SigningKey> keys =
        List.of(
            SigningFixtures.key(DnssecAlgorithm.RSASHA256, SigningKey.Role.KEY_SIGNING),
            SigningFixtures.key(DnssecAlgorithm.RSASHA256, SigningKey.Role.ZONE_SIGNING),
            SigningFixtures.key(DnssecAlgorithm.ED25519, SigningKey.Role.KEY_SIGNING),
            SigningFixtures.key(DnssecAlgorithm.ED25519, SigningKey.Role.ZONE_SIGNING));
    Zone zone = SigningFixtures.zone(SigningFixtures.PLAIN);
    SignedZone signed = ZoneSigner.of(keys, SigningPolicy.defaults()).sign(zone, Instant.now());
    assertValidatorsAccept(signed.zone(), "split.zone");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("denials")
  void aZoneReSignedAfterAnAliasMovedValidates(String label, Denial denial) throws IOException {
    Instant now = Instant.now();
    ZoneSigner signer = ZoneSigner.of(List.of(SigningFixtures.csk()), policy(denial));
    FlattenedZone before = SigningFixtures.flattened("192.0.2.80", now);
    SignedZone first = signer.sign(before.zone(), now);
    FlattenedZone after = SigningFixtures.flattened("192.0.2.81", now.plusSeconds(60), before);
    SignedZone second = signer.sign(after.zone(), now.plusSeconds(60), first);

    assertValidatorsAccept(second.zone(), "resigned.zone");
    assertThat(second.serial()).isEqualTo(first.serial() + 1);
    // The apex A and www A RRsets, and the SOA: nothing else changed.
    assertThat(second.signaturesMade()).isEqualTo(3);
  }

  static int[] bitmap(Zone signed, Name owner) {
    for (Record r : signed.get(owner, Type.NSEC).map(s -> s.records()).orElse(List.of())) {
      return ((NSECRecord) r).getTypes();
    }
    // NSEC3: find the record whose owner is the hash of the name.
    for (org.aliasdns.core.RecordSet set : signed) {
      if (set.type() == Type.NSEC3) {
        NSEC3Record n = (NSEC3Record) set.first();
        try {
          byte[] h = n.hashName(owner);
          String label =
              new org.xbill.DNS.utils.base32(
                      org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, true)
                  .toString(h);
          if (set.owner().getLabelString(0).equalsIgnoreCase(label)) {
            return n.getTypes();
          }
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new AssertionError("no NSEC or NSEC3 for " + owner);
  }
}
