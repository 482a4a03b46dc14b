package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Type;

/**
 * {@code aliasdns keygen} and {@code aliasdns sign}: keys in BIND's format, and the flattened
 * zone signed so that BIND's and ldns's validators accept it. The validator checks skip with a
 * visible reason where a tool is absent.
 */
class SignCommandTest {
  private static final ExternalTool DNSSEC_VERIFY = ExternalTool.of("dnssec-verify", "bind9-utils");
  private static final ExternalTool LDNS_VERIFY_ZONE =
      ExternalTool.of("ldns-verify-zone", "ldnsutils");
  private static final Name SHOP = Name.fromConstantString("shop.example.com.");
  private static FakeDns fake = DemoTour.world(ManualClock.create());
  private static String upstream = "";

  @TempDir Path dir;

  @BeforeAll
  static void startUpstream() throws IOException {
    fake.start();
    upstream = HostPort.format(fake.address());
  }

  @AfterAll
  static void stopUpstream() {
    fake.close();
  }

  private String keygen(String... options) {
    List<String> args = new ArrayList<>(List.of("keygen", "-K", dir.toString()));
    args.addAll(List.of(options));
    args.add("example.com");
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    return r.out().strip();
  }

  /** Flattens the README's example zone through the fake upstream into a file. */
  private Path flattened() throws IOException {
    Cli.Result flat = Cli.run("flatten", Cli.zone("example.com.zone"), "--upstream", upstream);
    assertThat(flat.exit()).as(flat.err()).isEqualTo(Main.OK);
    Path file = dir.resolve("flat.zone");
    Files.writeString(file, flat.out(), StandardCharsets.UTF_8);
    return file;
  }

  private void assertValidatorsAccept(Path signed) {
    ExternalTool.Run bind = DNSSEC_VERIFY.run("-z", "-o", "example.com.", signed.toString());
    assertThat(bind.exitCode()).as(bind.output()).isZero();
    ExternalTool.Run ldns = LDNS_VERIFY_ZONE.run(signed.toString());
    assertThat(ldns.exitCode()).as(ldns.output()).isZero();
  }

  @Test
  void keygenWritesBindKeyFilesAndPrintsTheirStem() {
    String stem = keygen("-a", "ed25519", "--role", "zsk");

    assertThat(stem).matches("Kexample\\.com\\.\\+015\\+\\d{5}");
    SigningKey key = KeyFiles.read(dir.resolve(stem + ".key"));
    assertThat(key.flags()).isEqualTo(SigningKey.ZONE_KEY_FLAGS);
    assertThat(Files.exists(dir.resolve(stem + ".private"))).isTrue();
  }

  @Test
  void keygenRefusesAnUnknownAlgorithm() {
    Cli.Result r = Cli.run("keygen", "-K", dir.toString(), "-a", "DSA", "example.com");
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("unknown DNSSEC algorithm 'DSA'");
  }

  @Test
  void theSignedFlattenedZoneProvesTheSingleStackAliasHasNoAaaaAndValidates() throws IOException {
    String stem = keygen();
    Path signed = dir.resolve("signed.zone");
    Cli.Result r =
        Cli.run(
            "sign", flattened().toString(), "--key", dir.resolve(stem).toString(), "-o",
            signed.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err()).contains("example.com. serial 2026112101: ").contains(", NSEC, ");

    Zone zone = ZoneFileReader.defaults().read(signed).zone();
    int[] shop = ((NSECRecord) zone.get(SHOP, Type.NSEC).orElseThrow().first()).getTypes();
    assertThat(shop).contains(Type.A).doesNotContain(Type.AAAA);
    assertThat(zone.get(SHOP, Type.RRSIG)).isPresent();
    assertValidatorsAccept(signed);
  }

  @Test
  void signingAnUnflattenedZoneWarnsNamingTheAliasCountAndTheFirstAlias() throws IOException {
    // Issue 13: alias records left in the input leave their names without A/AAAA, which the
    // NSEC bitmaps then prove; the zone is signed with one warning. A flattened zone is not.
    String stem = keygen();
    Cli.Result raw =
        Cli.run("sign", Cli.zone("example.com.zone"), "--key", dir.resolve(stem).toString());
    Cli.Result flat =
        Cli.run("sign", flattened().toString(), "--key", dir.resolve(stem).toString());

    assertThat(raw.exit()).as(raw.err()).isEqualTo(Main.OK);
    assertThat(raw.err())
        .containsPattern("warning: \\d+ alias records \\(first: \\S+\\s+\\d+\\s+IN\\s+(ALIAS|ANAME)\\s")
        .contains("at names with no A or AAAA: signed as they are, the NSEC/NSEC3 records"
            + " prove those names have no addresses; sign what aliasdns flatten printed");
    assertThat(flat.exit()).as(flat.err()).isEqualTo(Main.OK);
    assertThat(flat.err()).doesNotContain("alias record");
  }

  @Test
  void keygenNamesFilesOfSpecialOwnersAsBindDoesAndSignReadsThem() throws IOException {
    // Issue 13: dnssec-keygen writes Kwe%2Eird.com.+013+NNNNN; so do we, and sign reads it.
    Cli.Result r = Cli.run("keygen", "-K", dir.toString(), "we\\.ird.com");
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    String stem = r.out().strip();
    assertThat(stem).matches("Kwe%2Eird\\.com\\.\\+013\\+\\d{5}");
    Path zone = dir.resolve("weird.zone");
    Files.writeString(
        zone,
        "$ORIGIN we\\.ird.com.\n@ 3600 SOA ns hostmaster 1 7200 3600 1209600 300\n"
            + "@ 3600 NS ns\nns 3600 A 192.0.2.53\n");
    Cli.Result signed = Cli.run("sign", zone.toString(), "--key", dir.resolve(stem).toString());
    assertThat(signed.exit()).as(signed.err()).isEqualTo(Main.OK);
    assertThat(signed.out()).contains("DNSKEY").contains("RRSIG");
  }

  @Test
  void nsec3WithAKeySigningAndAZoneSigningKeyValidates() throws IOException {
    String ksk = keygen("--role", "ksk");
    String zsk = keygen("--role", "zsk");
    Cli.Result r =
        Cli.run(
            "sign", flattened().toString(), "--nsec3", "-k", dir.resolve(ksk + ".key").toString(),
            "-k", dir.resolve(zsk + ".private").toString(), "--validity", "3w");
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err()).contains("NSEC3 0 -");
    assertThat(r.out()).contains("NSEC3PARAM\t1 0 0 -");
    Path signed = dir.resolve("signed.zone");
    Files.writeString(signed, r.out(), StandardCharsets.UTF_8);
    assertValidatorsAccept(signed);
  }

  @Test
  void aMissingKeyIsUnusableInputNamingTheFile() throws IOException {
    Cli.Result r =
        Cli.run("sign", flattened().toString(), "--key", dir.resolve("Knope.+013+00001").toString());
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("Knope.+013+00001.key: no such file");
  }

  @Test
  void aBadDurationOrAnNsec3OptionWithoutNsec3IsUnusableInput() throws IOException {
    String stem = keygen();
    Path flat = flattened();
    Cli.Result bad =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--validity", "soon");
    assertThat(bad.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(bad.err()).contains("--validity: 'soon' is not a duration");
    Cli.Result optOut =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--opt-out");
    assertThat(optOut.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(optOut.err()).contains("need --nsec3");
    Cli.Result window =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--validity", "4d");
    assertThat(window.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(window.err()).contains("shorter than the validity");
  }

  @Test
  void aValidityRrsigTimesCannotExpressIsRefusedAndAShortOneWarns() throws IOException {
    String stem = keygen();
    Path flat = flattened();
    // RFC 4034 §3.1.5: expiration - inception must stay below 2^31 s (24855 days and 3 h).
    for (String validity : List.of("25000d", "30000d", "24856d")) {
      Cli.Result r =
          Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--validity",
              validity);
      assertThat(r.exit()).as(validity + ": " + r.err()).isEqualTo(Main.UNUSABLE);
      assertThat(r.err())
          .contains("must be below 2^31 s")
          .contains("RFC 4034 §3.1.5")
          .doesNotContain("out of range for 32 bit value");
    }
    Cli.Result fits =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--validity",
            "24000d", "--refresh", "1d");
    assertThat(fits.exit()).as(fits.err()).isEqualTo(Main.OK);
    assertThat(fits.err()).doesNotContain("warning");
    Cli.Result shortOne =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--validity",
            "1800", "--refresh", "600");
    assertThat(shortOne.exit()).as(shortOne.err()).isEqualTo(Main.OK);
    assertThat(shortOne.err())
        .contains("warning: signature validity (1800 s) is shorter than the zone's largest TTL");
  }

  @Test
  void aRevokedKeyOrOneWithNoActiveKeyOfItsRoleIsRefusedNamingTheKey() throws IOException {
    Path flat = flattened();
    String revoked = keygen();
    Path revokedKey = dir.resolve(revoked + ".key");
    Files.writeString(
        revokedKey, Files.readString(revokedKey).replace(" DNSKEY 257 ", " DNSKEY 385 "));
    Cli.Result r = Cli.run("sign", flat.toString(), "-k", dir.resolve(revoked).toString());
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains(revoked + ".key: the key is revoked");

    String inactive = keygen();
    Path privateFile = dir.resolve(inactive + ".private");
    Files.writeString(
        privateFile, Files.readString(privateFile) + "Inactive: 20200101000000\n");
    Cli.Result old = Cli.run("sign", flat.toString(), "-k", dir.resolve(inactive).toString());
    assertThat(old.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(old.err())
        .contains("no active key left for signing the zone: " + inactive
            + " inactive since 2020-01-01T00:00:00Z");
  }

  @Test
  void theSameKeyGivenTwiceIsOneLineAndExitStatus2() throws IOException {
    String stem = keygen();
    Cli.Result r =
        Cli.run("sign", flattened().toString(), "-k", dir.resolve(stem + ".key").toString(),
            "-k", dir.resolve(stem + ".private").toString());
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).startsWith("aliasdns sign: key given twice: ").doesNotContain("\tat ")
        .hasLineCount(1);
  }

  /** Appends BIND timing fields to a key's .private file, as dnssec-settime writes them. */
  private void setTime(String stem, String fields) throws IOException {
    Path privateFile = dir.resolve(stem + ".private");
    Files.writeString(privateFile, Files.readString(privateFile) + fields);
  }

  /** The key tags of the zone apex's DNSKEYs and of every RRSIG in a signed zone. */
  private static List<Set<Integer>> publishedAndSigning(Path signed) throws IOException {
    Zone zone = ZoneFileReader.defaults().read(signed).zone();
    Set<Integer> published = new TreeSet<>();
    zone.get(Name.fromConstantString("example.com."), Type.DNSKEY).orElseThrow()
        .forEach(r -> published.add(((DNSKEYRecord) r).getFootprint()));
    Set<Integer> signing = new TreeSet<>();
    for (RecordSet set : zone) {
      if (set.type() == Type.RRSIG) {
        set.forEach(r -> signing.add(((RRSIGRecord) r).getFootprint()));
      }
    }
    return List.of(published, signing);
  }

  private static int tag(String stem) {
    return Integer.parseInt(stem.substring(stem.length() - 5));
  }

  @Test
  void keysFollowTheirTimingAPrePublishedKeyIsPublishedAndARetiredOneSignsNothing()
      throws IOException {
    // RFC 6781 §4.1.1.1, RFC 7583 §3.2: a rollover gives the successor before it is active and
    // keeps the predecessor published after it stops signing; both are read, neither signs.
    Path flat = flattened();
    String active = keygen();
    String successor = keygen();
    setTime(successor, "Publish: 20200101000000\nActivate: 20991231000000\n");
    String retired = keygen();
    // Published and active from 2019 (its life in order, RFC 7583 §3.1), inactive since 2020.
    setTime(retired, "Publish: 20190101000000\nActivate: 20190101000000\n"
        + "Inactive: 20200101000000\nDelete: 20991231000000\n");
    String deleted = keygen();
    setTime(deleted, "Inactive: 20200101000000\nDelete: 20200102000000\n");
    String future = keygen();
    setTime(future, "Publish: 20991231000000\nActivate: 20991231000000\n");
    Path signed = dir.resolve("signed.zone");

    Cli.Result r =
        Cli.run("sign", flat.toString(), "-o", signed.toString(),
            "-k", dir.resolve(active).toString(), "-k", dir.resolve(successor).toString(),
            "-k", dir.resolve(retired).toString(), "-k", dir.resolve(deleted).toString(),
            "-k", dir.resolve(future).toString());

    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err())
        .contains("warning: key " + deleted + " was deleted at 2020-01-02T00:00:00Z (its Delete"
            + " time): neither published nor signing")
        // published and active at once: no time for resolvers to fetch its DNSKEY first
        .contains("warning: key " + future + " signs from 2099-12-31T00:00:00Z, less than the"
            + " DNSKEY TTL (3600 s) after its DNSKEY is published (2099-12-31T00:00:00Z)")
        .contains("signatures by 1 key (5 given), NSEC")
        .doesNotContain(active).doesNotContain(successor).doesNotContain(retired);
    List<Set<Integer>> tags = publishedAndSigning(signed);
    assertThat(tags.get(0))
        .containsExactlyInAnyOrder(tag(active), tag(successor), tag(retired));
    assertThat(tags.get(1)).containsExactly(tag(active));
    assertValidatorsAccept(signed);
  }

  @Test
  void nsec3IterationsAbove100AreRefusedAndAnyIterationsOrSaltWarn() throws IOException {
    String stem = keygen();
    Path flat = flattened();
    for (String n : List.of("101", "500", "2500")) {
      Cli.Result r =
          Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--nsec3",
              "--nsec3-iterations", n);
      assertThat(r.exit()).as(n + ": " + r.err()).isEqualTo(Main.UNUSABLE);
      assertThat(r.err()).contains("--nsec3-iterations " + n + ": must be 0 to 100")
          .contains("RFC 9276");
    }
    Cli.Result some =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--nsec3",
            "--nsec3-iterations", "10", "--nsec3-salt", "aabbccdd");
    assertThat(some.exit()).as(some.err()).isEqualTo(Main.OK);
    assertThat(some.err())
        .contains("warning: --nsec3-iterations 10: RFC 9276 §3.1")
        .contains("warning: --nsec3-salt: RFC 9276 §3.1");
    Cli.Result none =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--nsec3");
    assertThat(none.exit()).as(none.err()).isEqualTo(Main.OK);
    assertThat(none.err()).doesNotContain("warning");
  }

  @Test
  void resigningASignedZoneDropsItsDnssecRecordsWithOneWarningAndValidates() throws IOException {
    Path flat = flattened();
    String first = keygen("-a", "ed25519");
    Path signedOnce = dir.resolve("once.zone");
    Cli.Result once =
        Cli.run("sign", flat.toString(), "-k", dir.resolve(first).toString(), "-o",
            signedOnce.toString());
    assertThat(once.exit()).as(once.err()).isEqualTo(Main.OK);
    assertThat(once.err()).doesNotContain("warning");
    // A new key of another algorithm: the old Ed25519 DNSKEY would have no RRSIG of its own.
    String second = keygen();
    Path signedTwice = dir.resolve("twice.zone");
    Cli.Result twice =
        Cli.run("sign", signedOnce.toString(), "-k", dir.resolve(second).toString(), "-o",
            signedTwice.toString());
    assertThat(twice.exit()).as(twice.err()).isEqualTo(Main.OK);
    int tag = Integer.parseInt(first.substring(first.length() - 5));
    assertThat(twice.err())
        .containsOnlyOnce("warning: ")
        .contains("DNSSEC records of the input dropped")
        .contains(tag + " (algorithm 15)");
    Zone zone = ZoneFileReader.defaults().read(signedTwice).zone();
    List<Integer> algorithms = new ArrayList<>();
    zone.get(zone.origin(), Type.DNSKEY).orElseThrow()
        .forEach(d -> algorithms.add(((org.xbill.DNS.DNSKEYRecord) d).getAlgorithm()));
    assertThat(algorithms).containsExactly(13);
    assertValidatorsAccept(signedTwice);
  }

  @Test
  void aRefreshWindowOfZeroIsRefusedWithItsBound() throws IOException {
    String stem = keygen();
    Cli.Result r =
        Cli.run("sign", flattened().toString(), "-k", dir.resolve(stem).toString(), "--refresh",
            "0");
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("must be more than 0").doesNotContain("at least 0");
  }

  @Test
  void aShortRsaKeyWarnsAndSepLessKeysDoNot() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    java.security.KeyPair pair = g.generateKeyPair();
    SigningKey weak =
        SigningKey.of(
            new org.xbill.DNS.DNSKEYRecord(
                Name.fromConstantString("example.com."), org.xbill.DNS.DClass.IN, 3600,
                SigningKey.ZONE_KEY_FLAGS, 3, 8, pair.getPublic()),
            pair.getPrivate());
    assertThat(SignCommand.weakKeys(List.of(weak)))
        .singleElement()
        .asString()
        .contains("is a 1024-bit RSA key");
    SigningKey zsk = KeyFiles.read(dir.resolve(keygen("--role", "zsk")));
    assertThat(SignCommand.weakKeys(List.of(zsk))).isEmpty();
  }

  @Test
  void theReadmesSignSummaryIsWhatSignPrints() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    String line =
        readme.lines()
            .filter(l -> l.startsWith("example.com. serial 2026112101: ") && l.contains("NSEC3"))
            .findFirst()
            .orElseThrow();
    // The time differs from run to run; everything else is word for word.
    String pattern =
        java.util.regex.Pattern.quote(line.substring(0, line.indexOf("re-sign by ") + 11))
            + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    assertThat(line).matches(pattern);
    String stem = keygen();
    Cli.Result r =
        Cli.run("sign", flattened().toString(), "--key", stem.isEmpty() ? "" : dir.resolve(stem)
            .toString(), "--nsec3", "-o", dir.resolve("signed.zone").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err().strip()).matches(pattern);
  }

  @Test
  void everyCryptoChoiceSignsAZoneTheValidatorsAccept() throws IOException {
    String stem = keygen();
    Path flat = flattened();
    // jdk is the path of a platform where ACCP's native library cannot load.
    List<String> choices = new ArrayList<>(List.of("jdk", "auto"));
    if (SigningCrypto.accp().isPresent()) {
      choices.add("accp");
    }
    for (String crypto : choices) {
      Path signed = dir.resolve("signed-" + crypto + ".zone");
      Cli.Result r =
          Cli.run(
              "sign", flat.toString(), "-k", dir.resolve(stem).toString(), "--crypto", crypto,
              "--threads", "2", "-o", signed.toString());
      assertThat(r.exit()).as(crypto + ": " + r.err()).isEqualTo(Main.OK);
      assertValidatorsAccept(signed);
    }
  }

  @Test
  void anUnknownCryptoChoiceIsUnusableInput() throws IOException {
    String stem = keygen();
    Cli.Result r =
        Cli.run("sign", flattened().toString(), "-k", dir.resolve(stem).toString(), "--crypto",
            "openssl");
    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("--crypto must be auto, accp, nss or jdk, not 'openssl'");
  }
}
