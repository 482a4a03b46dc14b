package org.aliasdns.core.dnssec;

import static org.aliasdns.core.dnssec.SigningFixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

/**
 * Keys in BIND's file format: what we write reads back and is what BIND and ldns sign with; what
 * BIND's {@code dnssec-keygen} writes is read here and signs zones that {@code dnssec-verify}
 * accepts. The tool tests skip with a visible reason where a tool is absent.
 */
class KeyFilesTest {
  private static final Instant CREATED = Instant.parse("2026-03-01T12:00:00Z");
  private static final ExternalTool DNSSEC_KEYGEN = ExternalTool.of("dnssec-keygen", "bind9-utils");
  private static final ExternalTool DNSSEC_SIGNZONE =
      ExternalTool.of("dnssec-signzone", "bind9-utils");
  private static final ExternalTool LDNS_SIGNZONE = ExternalTool.of("ldns-signzone", "ldnsutils");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(DnssecAlgorithm.class)
  void aWrittenKeyReadsBackAsTheSameKey(DnssecAlgorithm algorithm) throws IOException {
    SigningKey key = SigningFixtures.key(algorithm, SigningKey.Role.COMBINED);
    Path keyFile = KeyFiles.write(key, dir, CREATED);

    assertThat(keyFile.getFileName().toString())
        .isEqualTo(String.format("Kexample.com.+%03d+%05d.key", algorithm.number(), key.keyTag()));
    SigningKey back = KeyFiles.read(keyFile);
    assertThat(back).isEqualTo(key);
    assertThat(back.privateKey().getEncoded()).isEqualTo(key.privateKey().getEncoded());
    assertThat(KeyFiles.read(dir.resolve(key.fileStem()))).isEqualTo(key);
    String privateText = Files.readString(dir.resolve(key.fileStem() + ".private"));
    assertThat(privateText)
        .startsWith("Private-key-format: v1.3\nAlgorithm: " + algorithm.number() + " ("
            + algorithm.mnemonic() + ")\n")
        .contains("Created: 20260301120000\n");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(key.fileStem() + ".private"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anExistingKeyFileIsNotOverwritten() {
    SigningKey key = SigningFixtures.csk();
    KeyFiles.write(key, dir, CREATED);
    assertThatThrownBy(() -> KeyFiles.write(key, dir, CREATED))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("exists already");
  }

  @Test
  void aMissingPrivateFileIsNamed() throws IOException {
    SigningKey key = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(key, dir, CREATED);
    Files.delete(dir.resolve(key.fileStem() + ".private"));
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(key.fileStem() + ".private: no such file");
  }

  @Test
  void aPrivateKeyOfAnotherPairIsRefused() throws IOException {
    SigningKey one = SigningFixtures.csk();
    SigningKey two = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(one, dir, CREATED);
    Files.writeString(
        dir.resolve(one.fileStem() + ".private"), KeyFiles.privateText(two, CREATED),
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("does not belong to the DNSKEY with key tag " + one.keyTag());
  }

  @Test
  void aMalformedPrivateFileNamesTheLine() throws IOException {
    SigningKey key = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(key, dir, CREATED);
    Path privateFile = dir.resolve(key.fileStem() + ".private");
    Files.writeString(
        privateFile,
        "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: not*base64\n");
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(".private:3: PrivateKey is not base64");
    Files.writeString(privateFile, "Algorithm: 13\n");
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("not a BIND private key file");
  }

  @Test
  void aRevokedKeyIsRefusedNamingItsFile() throws IOException {
    SigningKey key = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(key, dir, CREATED);
    // What dnssec-revoke does: flags 257 + REVOKE (128) = 385, and a new key tag (RFC 5011 §2.1).
    String text = Files.readString(keyFile).replace(" DNSKEY 257 ", " DNSKEY 385 ");
    assertThat(text).contains("385 ");
    Files.writeString(keyFile, text);
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(key.fileStem() + ".key: the key is revoked")
        .hasMessageContaining("RFC 5011");
  }

  @Test
  void bindTimingMetadataDecidesWhetherAKeyMaySignNow() throws IOException {
    SigningKey key = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(key, dir, CREATED);
    Path privateFile = dir.resolve(key.fileStem() + ".private");
    String written = Files.readString(privateFile);
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    KeyFiles.checkActive(keyFile, now); // Created/Publish/Activate in the past: active

    Files.writeString(privateFile, written + "Inactive: 20260401000000\n");
    assertThatThrownBy(() -> KeyFiles.checkActive(keyFile, now))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(key.fileStem() + ".private: the key is no longer active:"
            + " Inactive 20260401000000");
    Files.writeString(privateFile, written + "Delete: 20260501000000\n");
    assertThatThrownBy(() -> KeyFiles.checkActive(keyFile, now))
        .hasMessageContaining("Delete 20260501000000");
    Files.writeString(privateFile, written + "Inactive: 20270101000000\n");
    KeyFiles.checkActive(keyFile, now); // inactive only later

    Files.writeString(
        privateFile, written.replace("Activate: 20260301120000", "Activate: 20261201000000"));
    assertThatThrownBy(() -> KeyFiles.checkActive(keyFile, now))
        .hasMessageContaining("the key is not active yet: Activate 20261201000000");

    // Without fields in the .private file, the .key file's comments count (dnssec-keygen).
    Files.writeString(privateFile, written.replaceAll("(?m)^(Created|Publish|Activate):.*\n", ""));
    Files.writeString(
        keyFile, "; Inactive: 20260401000000 (Wed Apr  1 00:00:00 2026)\n"
            + Files.readString(keyFile));
    assertThatThrownBy(() -> KeyFiles.checkActive(keyFile, now))
        .hasMessageContaining(key.fileStem() + ".key: the key is no longer active: Inactive");
  }

  @Test
  void theKeyFilesCommentsCountOnlyWhereThePrivateFileHasNoTimingFields() throws IOException {
    // As BIND reads them: a .private file with timing fields is the whole timing; a stale
    // comment in the .key file (say, an Inactive time since changed) does not add to it.
    SigningKey key = SigningFixtures.csk();
    Path keyFile = KeyFiles.write(key, dir, CREATED);
    Files.writeString(
        keyFile, "; Inactive: 20200101000000 (Wed Jan  1 00:00:00 2020)\n"
            + Files.readString(keyFile));

    KeyTiming timing = KeyFiles.timing(keyFile);

    assertThat(timing.inactive()).isNull();
    assertThat(timing.activate()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
  }

  @Test
  void aFileNameSpellingTheZoneInAnyFormBindOrMasterFilesUseIsRead() throws IOException {
    // The zone part of K<zone>+<alg>+<tag> as dnssec-keygen writes it (%XX for any byte), in
    // master-file form (\. or \046 for a dot inside a label), or without the final dot.
    SigningKey weird =
        SigningKey.generate(
            Name.fromString("we\\.ird.example."), DnssecAlgorithm.ECDSAP256SHA256,
            SigningKey.Role.COMBINED, 0, new java.security.SecureRandom());
    SigningKey plain = SigningFixtures.csk();
    for (String zone : List.of("we%2eird.example.", "we\\046ird.example.", "we\\.ird.example",
        "w%65%2Eird.ex%61mple.")) {
      Path moved = Files.createDirectories(dir.resolve("w" + Math.abs(zone.hashCode())));
      KeyFiles.write(weird, moved, CREATED);
      String stem = weird.fileStem().replace("Kwe%2Eird.example.", "K" + zone);
      rename(moved, weird, stem);
      assertThat(KeyFiles.read(moved.resolve(stem + ".key"))).as(stem).isEqualTo(weird);
    }
    KeyFiles.write(plain, dir, CREATED);
    String noDot = plain.fileStem().replace("Kexample.com.", "Kexample.com");
    rename(plain, noDot);
    assertThat(KeyFiles.read(dir.resolve(noDot + ".key"))).isEqualTo(plain);
  }

  @Test
  void anUnsupportedAlgorithmIsNamed() throws IOException {
    Path keyFile = dir.resolve("Kexample.com.+010+00001.key");
    Files.writeString(keyFile, "example.com. IN DNSKEY 257 3 10 AwEAAQ==\n");
    assertThatThrownBy(() -> KeyFiles.read(keyFile))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("unsupported DNSSEC algorithm 10");
  }

  @Test
  void fileNamesEscapeSpecialCharactersAsDnssecKeygenDoes() throws IOException {
    // Issue 13: BIND's dnssec-signzone -K finds keys by these names.
    assertThat(SigningKey.fileNameText(Name.fromString("we\\.ird.com."))).isEqualTo("we%2Eird.com.");
    assertThat(SigningKey.fileNameText(Name.fromString("a\\032b.com."))).isEqualTo("a%20b.com.");
    assertThat(SigningKey.fileNameText(Name.fromString("A_b-C9.Example."))).isEqualTo("a_b-c9.example.");
    assertThat(SigningKey.fileNameText(Name.fromString("x\\255y~z.com."))).isEqualTo("x%FFy%7Ez.com.");
    assertThat(SigningKey.fileNameText(Name.root)).isEqualTo(".");
    for (String zone : List.of("we\\.ird.com.", "a\\032b.com.", "x\\@y.com.", "X!y.com.")) {
      ExternalTool.Run bind =
          DNSSEC_KEYGEN.run("-q", "-K", dir.toString(), "-a", "ECDSAP256SHA256", zone);
      assertThat(bind.exitCode()).as(bind.output()).isZero();
      SigningKey theirs = KeyFiles.read(dir.resolve(bind.output().strip() + ".key"));
      assertThat(theirs.fileStem()).isEqualTo(bind.output().strip());
    }
  }

  @Test
  void aKeyUnderTheOldUnescapedFileNameIsStillRead() throws IOException {
    SigningKey key =
        SigningKey.generate(
            Name.fromString("we\\.ird.com."), DnssecAlgorithm.ECDSAP256SHA256,
            SigningKey.Role.COMBINED, 0, new java.security.SecureRandom());
    KeyFiles.write(key, dir, CREATED);
    assertThat(key.fileStem()).startsWith("Kwe%2Eird.com.+013+");
    String old = String.format("Kwe\\.ird.com.+013+%05d", key.keyTag());
    rename(key, old);

    assertThat(KeyFiles.read(dir.resolve(old + ".key"))).isEqualTo(key);
  }

  @Test
  void aFileNameNamingAnotherKeyTagIsRefused() throws IOException {
    // Issue 13: BIND's dnssec-signzone fails on such a file ("failed to find keys at the zone
    // apex"); we refuse it and say what its name would be.
    SigningKey key = SigningFixtures.csk();
    KeyFiles.write(key, dir, CREATED);
    int other = key.keyTag() == 11111 ? 22222 : 11111;
    String renamed = String.format("Kexample.com.+013+%05d", other);
    rename(key, renamed);

    assertThatThrownBy(() -> KeyFiles.read(dir.resolve(renamed + ".key")))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(renamed + ".key: the file name says algorithm 13 key tag " + other
            + ", the key is algorithm 13 key tag " + key.keyTag())
        .hasMessageContaining("its name would be " + key.fileStem() + ".key");
  }

  @Test
  void aFileNameNamingAnotherZoneIsRefused() throws IOException {
    // A key of example.com. whose files were renamed to example.net.'s: signing example.net.
    // with it would publish a DNSKEY owned by example.com.
    SigningKey key = SigningFixtures.csk();
    KeyFiles.write(key, dir, CREATED);
    String renamed = key.fileStem().replace("Kexample.com.", "Kexample.net.");
    rename(key, renamed);

    assertThatThrownBy(() -> KeyFiles.read(dir.resolve(renamed + ".private")))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(renamed + ".key: the file name says zone example.net., the key is"
            + " for example.com.")
        .hasMessageContaining("its name would be " + key.fileStem() + ".key");
  }

  @Test
  void aFileNameSpellingTheZoneInAnotherCaseIsRead() throws IOException {
    SigningKey key = SigningFixtures.csk();
    KeyFiles.write(key, dir, CREATED);
    String upper = key.fileStem().replace("Kexample.com.", "KExample.COM.");
    rename(key, upper);

    assertThat(KeyFiles.read(dir.resolve(upper + ".key"))).isEqualTo(key);
  }

  @Test
  void findListsEveryKeyOfTheZoneByEitherOfItsFilesAndNothingElse() throws IOException {
    SigningKey whole = SigningFixtures.csk();
    SigningKey publicOnly = SigningFixtures.csk();
    SigningKey privateOnly = SigningFixtures.csk();
    SigningKey spelled = SigningFixtures.csk();
    for (SigningKey k : List.of(whole, publicOnly, privateOnly, spelled)) {
      KeyFiles.write(k, dir, CREATED);
    }
    Files.delete(dir.resolve(publicOnly.fileStem() + ".private"));
    Files.delete(dir.resolve(privateOnly.fileStem() + ".key"));
    String upper = spelled.fileStem().replace("Kexample.com.", "KEXAMPLE.com");
    rename(spelled, upper);
    // Not the zone's: another zone, a subdomain, a name not in BIND's form, another suffix.
    SigningKey other =
        SigningKey.generate(Name.fromConstantString("example.net."),
            DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED, 3600,
            new java.security.SecureRandom());
    KeyFiles.write(other, dir, CREATED);
    Files.writeString(dir.resolve("Ksub.example.com.+013+12345.key"), "");
    Files.writeString(dir.resolve("example.com.key"), "");
    Files.writeString(dir.resolve(whole.fileStem() + ".key.bak"), "");

    assertThat(KeyFiles.find(dir, Name.fromConstantString("example.com.")))
        .map(p -> String.valueOf(p.getFileName()))
        .containsExactlyInAnyOrder(
            whole.fileStem(), publicOnly.fileStem(), privateOnly.fileStem(), upper);
    // The lone halves fail where they are read, naming the missing file.
    assertThatThrownBy(() -> KeyFiles.read(dir.resolve(publicOnly.fileStem())))
        .hasMessageContaining(publicOnly.fileStem() + ".private: no such file");
    assertThatThrownBy(() -> KeyFiles.read(dir.resolve(privateOnly.fileStem())))
        .hasMessageContaining(privateOnly.fileStem() + ".key: no such file");
    assertThatThrownBy(() -> KeyFiles.find(dir.resolve("none"), other.zone()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("the key directory cannot be listed");
  }

  /** Renames a key's two files, written by {@link KeyFiles#write}, to another stem. */
  private void rename(SigningKey key, String stem) throws IOException {
    rename(dir, key, stem);
  }

  /** Renames a key's two files in a directory to another stem. */
  private static void rename(Path in, SigningKey key, String stem) throws IOException {
    Files.move(in.resolve(key.fileStem() + ".key"), in.resolve(stem + ".key"));
    Files.move(in.resolve(key.fileStem() + ".private"), in.resolve(stem + ".private"));
  }

  @ParameterizedTest
  @EnumSource(DnssecAlgorithm.class)
  void keysFromDnssecKeygenAreReadAndSignAZoneThatValidates(DnssecAlgorithm algorithm)
      throws IOException {
    List<String> args =
        new java.util.ArrayList<>(List.of("-q", "-K", dir.toString(), "-a", algorithm.mnemonic()));
    if (algorithm == DnssecAlgorithm.RSASHA256) {
      args.addAll(List.of("-b", "2048"));
    }
    ExternalTool.Run ksk = DNSSEC_KEYGEN.run(concat(args, "-f", "KSK", "example.com."));
    ExternalTool.Run zsk = DNSSEC_KEYGEN.run(concat(args, "example.com."));
    assertThat(ksk.exitCode()).as(ksk.output()).isZero();
    assertThat(zsk.exitCode()).as(zsk.output()).isZero();

    SigningKey kskKey = KeyFiles.read(dir.resolve(ksk.output().strip() + ".key"));
    SigningKey zskKey = KeyFiles.read(dir.resolve(zsk.output().strip() + ".private"));
    assertThat(kskKey.isSecureEntryPoint()).isTrue();
    assertThat(zskKey.isSecureEntryPoint()).isFalse();
    assertThat(kskKey.fileStem()).isEqualTo(ksk.output().strip());

    SignedZone signed =
        ZoneSigner.of(List.of(kskKey, zskKey), SigningPolicy.defaults())
            .sign(SigningFixtures.zone(SigningFixtures.PLAIN), Instant.now());
    Path zoneFile = dir.resolve("signed.zone");
    Files.writeString(zoneFile, ZoneFileWriter.defaults().toText(signed.zone()));
    // Without -z: the KSK must sign the DNSKEY RRset and the ZSK everything else.
    ExternalTool.Run verify =
        RealValidatorsTest.DNSSEC_VERIFY.run("-o", ORIGIN.toString(), zoneFile.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
  }

  @Test
  void keysWeWriteSignZonesWithDnssecSignzoneAndLdnsSignzone() throws IOException {
    SigningKey key = SigningFixtures.csk();
    KeyFiles.write(key, dir, CREATED);
    Path zoneFile = dir.resolve("plain.zone");
    Files.writeString(
        zoneFile, ZoneFileWriter.defaults().toText(SigningFixtures.zone(SigningFixtures.PLAIN)));

    Path bindOut = dir.resolve("bind.signed");
    ExternalTool.Run bind =
        DNSSEC_SIGNZONE.run(
            "-S", "-z", "-K", dir.toString(), "-d", dir.toString(), "-o", ORIGIN.toString(),
            "-f", bindOut.toString(),
            zoneFile.toString());
    assertThat(bind.exitCode()).as(bind.output()).isZero();
    assertThat(Files.readString(bindOut)).contains(" " + key.keyTag() + " example.com.");
    ExternalTool.Run verify =
        RealValidatorsTest.DNSSEC_VERIFY.run("-z", "-o", ORIGIN.toString(), bindOut.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();

    Path ldnsOut = dir.resolve("ldns.signed");
    ExternalTool.Run ldns =
        LDNS_SIGNZONE.run(
            "-f", ldnsOut.toString(), zoneFile.toString(), dir.resolve(key.fileStem()).toString());
    assertThat(ldns.exitCode()).as(ldns.output()).isZero();
    ExternalTool.Run ldnsVerify = RealValidatorsTest.LDNS_VERIFY_ZONE.run(ldnsOut.toString());
    assertThat(ldnsVerify.exitCode()).as(ldnsVerify.output()).isZero();
    assertThat(Files.readString(ldnsOut)).contains(" " + key.keyTag() + " example.com.");
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(new String[0]);
  }
}
