package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.tools.UnboundValidator;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code aliasdns serve --config} signing zones under {@code dnssec-policy:} entries, each zone
 * with the keys of its own found in the key directory, and a reload (as SIGHUP does) reading the
 * keys again: a key added to the directory is published without a restart, and keys that cannot
 * be used keep the zone signed as it was. Checked with BIND's and ldns's zone verifiers and a
 * validating Unbound where they are installed (skipped with the reason otherwise).
 */
class ServeConfigSigningTest {
  private static final DateTimeFormatter BIND_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  @TempDir Path dir;
  private Path keys;
  private Path config;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final ManualClock clock = ManualClock.startingAt(t0);
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  @SuppressWarnings("NullAway.Init") // set in start()
  private FakeDns fake;

  private @Nullable ServeSession session;
  private @Nullable ServeReload reload;
  private @Nullable UnboundValidator unbound;

  @BeforeEach
  void files() throws IOException {
    fake = MultiZoneFake.start(clock);
    keys = Files.createDirectories(dir.resolve("keys"));
    for (String zone : List.of("a.example", "b.example", "c.example", "d.example")) {
      Files.writeString(dir.resolve(zone + ".zone"),
          ServeReloadTest.zoneText(1, "www A 192.0.2.80", "mail 300 ALIAS other.example.net."));
    }
    config = dir.resolve("aliasdns.yaml");
  }

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.close();
    }
    if (session != null) {
      session.close();
    }
    fake.close();
  }

  private static SigningKey generate(String zone, SigningKey.Role role) {
    return SigningKey.generate(
        Name.fromConstantString(zone + "."), DnssecAlgorithm.ECDSAP256SHA256, role, 3600,
        new SecureRandom());
  }

  /** Writes a key's files into the key directory, published and active from an hour ago. */
  private SigningKey keyFiles(String zone, SigningKey.Role role) {
    SigningKey k = generate(zone, role);
    KeyFiles.write(k, keys, t0.minus(Duration.ofHours(1)));
    return k;
  }

  /** Appends BIND timing fields to a key's .private file (later fields win). */
  private void setTime(SigningKey k, String field, Instant at) throws IOException {
    Path p = keys.resolve(k.fileStem() + ".private");
    Files.writeString(p, Files.readString(p) + field + ": " + BIND_TIME.format(at) + "\n");
  }

  /** The configuration: the two policies, and each zone given with the policy it names. */
  private void writeConfig(String... zones) throws IOException {
    StringBuilder b =
        new StringBuilder("server:\n  listen: 127.0.0.1:0\n  upstreams: ["
            + ServeSession.text(fake.address()) + "]\n  timeout: 2\n"
            + "dnssec-policy:\n"
            + "  - id: nsec\n    key-directory: keys\n"
            + "  - id: nsec3\n    key-directory: keys\n    nsec3: on\nzone:\n");
    for (String z : zones) {
      String[] nameAndPolicy = z.split(" ");
      b.append("  - domain: ").append(nameAndPolicy[0]).append("\n    file: ")
          .append(nameAndPolicy[0]).append(".zone\n");
      if (nameAndPolicy.length > 1) {
        b.append("    dnssec-policy: ").append(nameAndPolicy[1]).append('\n');
      }
    }
    Files.writeString(config, b.toString());
  }

  /** Reads the configuration and its zones and keys as serve --config does, and serves. */
  private ServeSession start() throws IOException {
    ServeConfig cfg = ServeConfigFile.read(config);
    List<ConfiguredZone> zones = ServeCommand.readZones(cfg, warnings::add, log::add);
    ServeSession s =
        ServeCommand.sessionBuilder(cfg, zones)
            .clock(clock)
            .log(log::add)
            .warn(warnings::add)
            .build()
            .start();
    session = s;
    reload = new ServeReload(cfg, zones, s, log::add, warnings::add);
    return s;
  }

  private ServeSession.Reloaded reloaded() {
    ServeSession.Reloaded done = Objects.requireNonNull(reload).reload();
    assertThat(done).as("warnings: %s", warnings).isNotNull();
    return Objects.requireNonNull(done);
  }

  private SignedZone signed(String zone) {
    return Objects.requireNonNull(session)
        .signedZone(Name.fromConstantString(zone + "."))
        .orElseThrow(() -> new AssertionError(zone + " is not served signed"));
  }

  /** The key tags of a signed zone's apex DNSKEY RRset. */
  private Set<Integer> published(String zone) {
    Set<Integer> tags = new TreeSet<>();
    signed(zone).zone().get(Name.fromConstantString(zone + "."), Type.DNSKEY).orElseThrow()
        .forEach(r -> tags.add(((DNSKEYRecord) r).getFootprint()));
    return tags;
  }

  /** The key tags of the RRSIGs over an RRset of a signed zone. */
  private Set<Integer> signers(String zone, String owner, int type) {
    Set<Integer> tags = new TreeSet<>();
    RecordSet sigs =
        signed(zone).zone().get(Name.fromConstantString(owner), Type.RRSIG).orElseThrow();
    sigs.forEach(r -> {
      RRSIGRecord sig = (RRSIGRecord) r;
      if (sig.getTypeCovered() == type) {
        tags.add(sig.getFootprint());
      }
    });
    return tags;
  }

  /**
   * Transfers a zone with dig and requires BIND's and ldns's verifiers to accept it; {@code
   * splitKeys}: with a KSK signing the DNSKEY RRset and a ZSK the rest (else one key signs all,
   * {@code dnssec-verify -z}).
   */
  private void transferredZoneVerifies(String zone, boolean splitKeys) throws IOException {
    ExternalTool.DNSSEC_VERIFY.require();
    ExternalTool.LDNS_VERIFY_ZONE.require();
    ExternalTool.Run dig =
        ExternalTool.DIG.run(
            "@127.0.0.1", "-p", Integer.toString(Objects.requireNonNull(session).port()),
            "+noall", "+answer", "+onesoa", zone + ".", "AXFR");
    assertThat(dig.exitCode()).as(dig.output()).isZero();
    Path axfr = dir.resolve(zone + ".axfr");
    Files.writeString(axfr, dig.output(), StandardCharsets.UTF_8);
    ExternalTool.Run verify =
        splitKeys
            ? ExternalTool.DNSSEC_VERIFY.run("-o", zone + ".", axfr.toString())
            : ExternalTool.DNSSEC_VERIFY.run("-z", "-o", zone + ".", axfr.toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    ExternalTool.Run ldns = ExternalTool.LDNS_VERIFY_ZONE.run(axfr.toString());
    assertThat(ldns.exitCode()).as(ldns.output()).isZero();
  }

  /** The serial a secondary sees: the SOA our server answers with. */
  private long soaSerial(String zone) throws IOException {
    SimpleResolver r = new SimpleResolver(Objects.requireNonNull(session).address());
    r.setTimeout(Duration.ofSeconds(2));
    Message m =
        r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(zone), Type.SOA, 1)));
    return ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private void validates(String name, String type) {
    UnboundValidator.Answer answer = Objects.requireNonNull(unbound).ask(name, type);
    assertThat(answer.status()).as("%s\n%s", answer.output(), unbound.output())
        .isEqualTo("NOERROR");
    assertThat(answer.authenticated()).as("%s\n%s", answer.output(), unbound.output()).isTrue();
  }

  @Test
  void eachZoneIsSignedWithItsOwnKeysUnderItsPolicyAndAZoneWithoutOneIsUnsigned()
      throws Exception {
    SigningKey aKsk = keyFiles("a.example", SigningKey.Role.KEY_SIGNING);
    SigningKey aZsk = keyFiles("a.example", SigningKey.Role.ZONE_SIGNING);
    SigningKey b = keyFiles("b.example", SigningKey.Role.COMBINED);
    keyFiles("c.example", SigningKey.Role.COMBINED); // c names no policy: its key is not used
    writeConfig("a.example nsec", "b.example nsec3", "c.example");
    ServeSession s = start();

    assertThat(published("a.example")).containsExactlyInAnyOrder(aKsk.keyTag(), aZsk.keyTag());
    assertThat(signers("a.example", "www.a.example.", Type.A)).containsExactly(aZsk.keyTag());
    assertThat(signers("a.example", "a.example.", Type.DNSKEY)).contains(aKsk.keyTag());
    assertThat(published("b.example")).containsExactly(b.keyTag());
    assertThat(signed("b.example").zone().get(Name.fromConstantString("b.example."),
        Type.NSEC3PARAM)).isPresent();
    assertThat(signed("a.example").zone().get(Name.fromConstantString("b.example."),
        Type.NSEC3PARAM)).isEmpty();
    assertThat(s.signedZone(Name.fromConstantString("c.example."))).isEmpty();
    assertThat(warnings).noneMatch(w -> w.contains("readable by others"));
    // The keys in file name order, as the key directory is read.
    assertThat(log).contains(
        "signing a.example. with " + String.join(", ", new TreeSet<>(
            List.of(aKsk.fileStem(), aZsk.fileStem()))) + " by "
            + SigningCrypto.choose("auto").name());
    transferredZoneVerifies("a.example", true);
    transferredZoneVerifies("b.example", false);
  }

  @Test
  void aSuccessorKeyAddedToTheKeyDirectoryIsPublishedAtTheReloadAndSignsFromItsActivateTime()
      throws Exception {
    SigningKey ksk = keyFiles("a.example", SigningKey.Role.KEY_SIGNING);
    SigningKey current = keyFiles("a.example", SigningKey.Role.ZONE_SIGNING);
    writeConfig("a.example nsec", "d.example");
    ServeSession s = start();
    Name a = Name.fromConstantString("a.example.");
    unbound =
        UnboundValidator.start(
            Files.createDirectories(dir.resolve("unbound")), "a.example", List.of(ksk.dnskey()),
            s.port());
    validates("www.a.example.", "A");
    long before = soaSerial("a.example.");

    // Unchanged keys: nothing moves.
    assertThat(reloaded().kept()).contains(a);
    assertThat(soaSerial("a.example.")).isEqualTo(before);

    // RFC 6781 §4.1.1.1: the successor ZSK, published now, active in 20 minutes (dnssec-keygen
    // -K keys -P now -A +20m), then a reload.
    SigningKey successor = keyFiles("a.example", SigningKey.Role.ZONE_SIGNING);
    setTime(successor, "Publish", t0);
    setTime(successor, "Activate", t0.plus(Duration.ofMinutes(20)));
    ServeSession.Reloaded done = reloaded();

    assertThat(done.replaced()).containsExactly(a);
    assertThat(done.kept()).containsExactly(Name.fromConstantString("d.example."));
    assertThat(soaSerial("a.example.")).isGreaterThan(before);
    assertThat(published("a.example"))
        .containsExactlyInAnyOrder(ksk.keyTag(), current.keyTag(), successor.keyTag());
    assertThat(signers("a.example", "www.a.example.", Type.A)).containsExactly(current.keyTag());
    assertThat(log).anyMatch(l -> l.startsWith("reload: zone a.example.: keys ")
        && l.contains(successor.fileStem()));
    validates("www.a.example.", "A");
    validates("a.example.", "DNSKEY");

    // Its Activate time: it signs what is re-signed from then on.
    clock.advance(Duration.ofMinutes(21));
    s.runDue().toCompletableFuture().join();
    assertThat(signers("a.example", "a.example.", Type.SOA)).contains(successor.keyTag());
    validates("a.example.", "SOA");
    transferredZoneVerifies("a.example", true);
  }

  @Test
  void keysThatCannotBeUsedAtAReloadKeepTheZoneSignedAsItWas() throws Exception {
    SigningKey key = keyFiles("a.example", SigningKey.Role.COMBINED);
    writeConfig("a.example nsec");
    ServeSession s = start();
    Name a = Name.fromConstantString("a.example.");
    long before = soaSerial("a.example.");

    Path broken = keys.resolve(key.fileStem() + ".key");
    Files.writeString(broken, "not a DNSKEY\n");
    ServeSession.Reloaded done = reloaded();

    assertThat(done.kept()).containsExactly(a);
    assertThat(soaSerial("a.example.")).isEqualTo(before);
    assertThat(published("a.example")).containsExactly(key.keyTag());
    assertThat(warnings).anyMatch(w -> w.startsWith("reload: zone a.example. keeps the keys it"
        + " is signed with: " + config + ":") && w.contains(broken.toString()));

    // A key set with no active zone-signing key fails at signing: the served version stays.
    Files.delete(broken);
    Files.delete(keys.resolve(key.fileStem() + ".private"));
    SigningKey retired = keyFiles("a.example", SigningKey.Role.COMBINED);
    setTime(retired, "Inactive", t0.minus(Duration.ofMinutes(1)));
    done = reloaded();
    assertThat(done.kept()).containsExactly(a);
    assertThat(published("a.example")).containsExactly(key.keyTag());
    assertThat(warnings).anyMatch(w -> w.startsWith("reload: zone a.example. stays as served,"
        + " with the keys it was signed with before: signing a.example. failed: "));
  }

  @Test
  void aSignedZoneWithoutKeysIsRefusedAtStartAndNotStartedByAReload() throws Exception {
    keyFiles("a.example", SigningKey.Role.COMBINED);
    writeConfig("a.example nsec", "b.example nsec");
    assertThatThrownBy(this::start)
        .isInstanceOf(UnusableInputException.class)
        .hasMessage(config + ":15: zone b.example.: dnssec-policy nsec: no key of b.example. in "
            + keys + " (K<zone>+<alg>+<tag>.key and .private files, as dnssec-keygen -K or"
            + " aliasdns keygen writes them)");

    writeConfig("a.example nsec");
    ServeSession s = start();
    writeConfig("a.example nsec", "b.example nsec3");
    ServeSession.Reloaded done = reloaded();
    assertThat(done.added()).isEmpty();
    assertThat(s.zones()).containsOnlyKeys(Name.fromConstantString("a.example."));
    assertThat(warnings).anyMatch(w -> w.startsWith("reload: zone b.example. not started: "
        + config + ":15: zone b.example.: dnssec-policy nsec3: no key of b.example."));

    // Its key written, the next reload starts it signed.
    SigningKey b = keyFiles("b.example", SigningKey.Role.COMBINED);
    done = reloaded();
    assertThat(done.added()).containsExactly(Name.fromConstantString("b.example."));
    assertThat(published("b.example")).containsExactly(b.keyTag());
  }

  @Test
  void aZoneThatStartsNamingAPolicyIsSignedAtTheReloadAndOneThatStopsIsServedUnsigned()
      throws Exception {
    SigningKey key = keyFiles("a.example", SigningKey.Role.COMBINED);
    writeConfig("a.example");
    ServeSession s = start();
    Name a = Name.fromConstantString("a.example.");
    long unsigned = soaSerial("a.example.");
    assertThat(s.signedZone(a)).isEmpty();

    writeConfig("a.example nsec");
    assertThat(reloaded().replaced()).containsExactly(a);
    assertThat(published("a.example")).containsExactly(key.keyTag());
    long signedSerial = soaSerial("a.example.");
    assertThat(signedSerial).isGreaterThan(unsigned);

    writeConfig("a.example");
    assertThat(reloaded().replaced()).containsExactly(a);
    assertThat(s.signedZone(a)).isEmpty();
    assertThat(log).contains("reload: zone a.example. names no dnssec-policy now: served unsigned");
    assertThat(soaSerial("a.example.")).isGreaterThan(signedSerial);
    List<String> none = new ArrayList<>(warnings);
    none.removeIf(w -> !w.contains("error"));
    assertThat(none).isEmpty();
  }

  private static final String README_EXAMPLE =
      """
      # README example: dnssec-policy begin
      dnssec-policy:
        - id: default
          key-directory: /var/lib/aliasdns/keys
        - id: nsec3
          key-directory: /var/lib/aliasdns/keys
          nsec3: on
          rrsig-lifetime: 14d
          rrsig-refresh: 5d

      zone:
        - domain: example.com.
          file: /etc/aliasdns/zones/example.com.zone
          dnssec-policy: default
        - domain: example.org.
          file: /etc/aliasdns/zones/example.org.zone
          dnssec-policy: nsec3
      # README example: dnssec-policy end
      """;

  @Test
  void theReadmeShowsThisExampleAndItServesBothZonesSigned() throws Exception {
    org.aliasdns.core.tools.ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/cli/ServeConfigSigningTest.java",
        "# README example: dnssec-policy begin",
        "# README example: dnssec-policy end");
    keys = Files.createDirectories(dir.resolve("var/lib/aliasdns/keys"));
    Path zones = Files.createDirectories(dir.resolve("etc/aliasdns/zones"));
    for (String zone : List.of("example.com", "example.org")) {
      Files.writeString(zones.resolve(zone + ".zone"), ServeReloadTest.zoneText(1));
    }
    SigningKey com = keyFiles("example.com", SigningKey.Role.COMBINED);
    SigningKey org = keyFiles("example.org", SigningKey.Role.COMBINED);
    Files.writeString(config,
        "server:\n  listen: 127.0.0.1:0\n  upstreams: [" + ServeSession.text(fake.address())
            + "]\n  timeout: 2\n"
            + README_EXAMPLE.replace("/etc/aliasdns/", dir + "/etc/aliasdns/")
                .replace("/var/lib/aliasdns", dir + "/var/lib/aliasdns"));
    start();
    assertThat(published("example.com")).containsExactly(com.keyTag());
    assertThat(published("example.org")).containsExactly(org.keyTag());
    assertThat(signed("example.org").zone().get(Name.fromConstantString("example.org."),
        Type.NSEC3PARAM)).isPresent();
    transferredZoneVerifies("example.org", false);
  }

  @Test
  void aKeyWithOnlyOneOfItsFilesIsAnErrorNeverAKeyLeftOut() throws Exception {
    SigningKey ksk = keyFiles("a.example", SigningKey.Role.KEY_SIGNING);
    SigningKey zsk = keyFiles("a.example", SigningKey.Role.ZONE_SIGNING);
    writeConfig("a.example nsec");
    Path kskPublic = keys.resolve(ksk.fileStem() + ".key");
    Path saved = dir.resolve("saved.key");
    Files.move(kskPublic, saved);
    assertThatThrownBy(this::start)
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining(kskPublic + ": no such file; key " + ksk.fileStem()
            + " needs both its .key and .private files");

    Files.move(saved, kskPublic);
    ServeSession s = start();
    long before = soaSerial("a.example.");
    // At a reload the half missing keeps the zone signed as it was: the KSK is not withdrawn.
    Files.move(keys.resolve(ksk.fileStem() + ".private"), dir.resolve("saved.private"));
    ServeSession.Reloaded done = reloaded();
    assertThat(done.kept()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(published("a.example")).containsExactlyInAnyOrder(ksk.keyTag(), zsk.keyTag());
    assertThat(soaSerial("a.example.")).isEqualTo(before);
    assertThat(warnings).anyMatch(w -> w.contains("keeps the keys it is signed with")
        && w.contains(ksk.fileStem() + ".private: no such file"));
    assertThat(s.signedZone(Name.fromConstantString("a.example."))).isPresent();
  }

  @Test
  void aKeyAddedAtAReloadThatSignsAtOnceIsWarnedOf() throws Exception {
    keyFiles("a.example", SigningKey.Role.COMBINED);
    writeConfig("a.example nsec");
    start();
    // dnssec-keygen without -P/-A: published and active from its creation, an hour ago.
    SigningKey added = keyFiles("a.example", SigningKey.Role.COMBINED);
    reloaded();
    assertThat(published("a.example")).contains(added.keyTag());
    assertThat(warnings).anyMatch(w -> w.startsWith("warning: key " + added.fileStem()
        + " signs from now, but the DNSKEY RRset served before did not hold its DNSKEY"));
  }

  @Test
  void aZoneWhoseKeysAreAllRetiredIsNotStartedAndTheOthersAreServed() throws Exception {
    SigningKey retired = keyFiles("a.example", SigningKey.Role.COMBINED);
    setTime(retired, "Inactive", t0.minus(Duration.ofMinutes(10)));
    SigningKey b = keyFiles("b.example", SigningKey.Role.COMBINED);
    writeConfig("a.example nsec", "b.example nsec", "c.example");
    ServeSession s = start();
    assertThat(s.zones()).containsOnlyKeys(
        Name.fromConstantString("b.example."), Name.fromConstantString("c.example."));
    assertThat(published("b.example")).containsExactly(b.keyTag());
    assertThat(warnings).anyMatch(w -> w.startsWith("error: zone a.example. not started:"
        + " signing a.example. failed: "));

    // Its zone file edited, with a serial that went back: the reload goes through (the zone
    // left out has no serial served to continue from) and still leaves it out.
    Path aFile = dir.resolve("a.example.zone");
    java.nio.file.attribute.FileTime was = Files.getLastModifiedTime(aFile);
    Files.writeString(aFile, ServeReloadTest.zoneText(0, "www A 192.0.2.81"));
    Files.setLastModifiedTime(aFile,
        java.nio.file.attribute.FileTime.fromMillis(was.toMillis() + 2000));
    assertThat(reloaded().added()).isEmpty();
    assertThat(s.zones()).doesNotContainKey(Name.fromConstantString("a.example."));

    // A successor written, the next reload starts it.
    keyFiles("a.example", SigningKey.Role.COMBINED);
    assertThat(reloaded().added()).containsExactly(Name.fromConstantString("a.example."));
    assertThat(s.signedZone(Name.fromConstantString("a.example."))).isPresent();
  }

  @Test
  void aPrivateKeyFileOthersMayReadIsWarnedOf() throws Exception {
    SigningKey key = keyFiles("a.example", SigningKey.Role.COMBINED);
    Path privateFile = keys.resolve(key.fileStem() + ".private");
    try {
      Files.setPosixFilePermissions(
          privateFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      org.junit.jupiter.api.Assumptions.abort("no POSIX permissions here: " + e);
    }
    writeConfig("a.example nsec");
    start();
    assertThat(warnings).anyMatch(w -> w.contains(privateFile + " is readable by others"
        + " (rw-r--r--): only the user serve runs as should read a private key (chmod 600)"));
    // serve --key checks the keys it is given alike, by any of the three names of a key.
    Path stem = keys.resolve(key.fileStem());
    for (Path given : List.of(stem, keys.resolve(key.fileStem() + ".key"), privateFile)) {
      assertThat(ZoneKeys.exposed(List.of(given))).singleElement()
          .asString().contains(privateFile + " is readable by others");
    }
    Files.setPosixFilePermissions(
        privateFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(ZoneKeys.exposed(List.of(stem))).isEmpty();
  }

  @Test
  void aReloadWarnsOfAKskWhoseFilesAreGoneButNotOfANewKskBesideTheZsk() throws Exception {
    SigningKey ksk = keyFiles("a.example", SigningKey.Role.KEY_SIGNING);
    SigningKey zsk = keyFiles("a.example", SigningKey.Role.ZONE_SIGNING);
    writeConfig("a.example nsec");
    start();

    // RFC 7583 §3.3.1: a new KSK signs only the DNSKEY RRset, which holds it: no warning.
    SigningKey next = keyFiles("a.example", SigningKey.Role.KEY_SIGNING);
    reloaded();
    assertThat(published("a.example"))
        .containsExactlyInAnyOrder(ksk.keyTag(), zsk.keyTag(), next.keyTag());
    assertThat(warnings).noneMatch(w -> w.contains("signs from now"));

    // Both KSKs' files removed by mistake: the new key set is served, with the warnings.
    for (SigningKey k : List.of(ksk, next)) {
      Files.delete(keys.resolve(k.fileStem() + ".key"));
      Files.delete(keys.resolve(k.fileStem() + ".private"));
    }
    reloaded();
    assertThat(published("a.example")).containsExactly(zsk.keyTag());
    assertThat(warnings)
        .anyMatch(w -> w.equals("warning: a.example.: the DNSKEY of key tag " + ksk.keyTag()
            + " (flags 257) is withdrawn because its key is no longer given, not by its Delete"
            + " time: resolvers may still hold RRsets it signed (RFC 7583 §3.2: a key leaves the"
            + " zone a TTL after its Inactive time; dnssec-settime -I, -D)"))
        .anyMatch(w -> w.startsWith("warning: a.example.: no key that signed the DNSKEY RRset"
            + " before (key tag ") && w.contains(String.valueOf(ksk.keyTag()))
            && w.contains("is published any more: a DS at the parent or a trust anchor"));
  }
}
