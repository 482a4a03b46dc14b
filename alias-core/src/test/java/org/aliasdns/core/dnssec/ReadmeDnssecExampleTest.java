package org.aliasdns.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.aliasdns.core.Zone;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The README's DNSSEC snippet, run as written, so it cannot rot. */
class ReadmeDnssecExampleTest {
  @TempDir Path dir;

  @Test
  void readmeDnssecSnippetWorksAsWritten() throws Exception {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    FlattenedZone flat = SigningFixtures.flattened("192.0.2.80", now);
    FlattenedZone moved = SigningFixtures.flattened("192.0.2.81", now.plusSeconds(300), flat);
    Path keyDir = Files.createDirectories(dir.resolve("keys"));
    Name origin = Name.fromString("example.com.");
    Path keyFile =
        KeyFiles.write(
            SigningKey.generate(origin, DnssecAlgorithm.ECDSAP256SHA256, SigningKey.Role.COMBINED,
                0, new SecureRandom()),
            keyDir, now);
    Path stem = keyDir.resolve(keyFile.getFileName().toString().replace(".key", ""));
    Instant later = now.plusSeconds(300);

    // --- README: dnssec ---
    SigningKey key = KeyFiles.read(stem); // Kexample.com.+013+12345 (.key/.private, as BIND writes)
    ZoneSigner signer =
        ZoneSigner.of(List.of(key), SigningPolicy.builder().denial(Denial.nsec3()).build());
    SignedZone signed = signer.sign(flat.zone(), now);
    String text = ZoneFileWriter.defaults().withGenericAliasTypes().toText(signed.zone());

    // A target moved: only its A RRset and the SOA are signed again; the serial moves once.
    SignedZone again = signer.sign(moved.zone(), later, signed);
    again.signaturesMade(); // 3: the apex A, www A, SOA

    // Nothing changed: signatures are renewed once inside the refresh window (5 of 14 days),
    // with those due within 30 hours more (the two A RRsets signed 5 minutes later).
    SignedZone renewed = signer.refresh(again, again.refreshAt());
    // --- end of README ---

    assertThat(text).contains("NSEC3PARAM");
    assertThat(again.signaturesMade()).isEqualTo(3);
    assertThat(again.serial()).isEqualTo(signed.serial() + 1);
    // Every signature, the two A RRsets signed 5 minutes later included (the renewal horizon
    // keeps them together), and the new SOA.
    assertThat(renewed.signaturesMade()).isEqualTo(signed.signaturesMade());
    assertThat(renewed.serial()).isEqualTo(again.serial() + 1);
    Zone nsecSigned = ZoneSigner.of(List.of(key), SigningPolicy.defaults()).sign(flat.zone(), now).zone();
    assertThat(((NSECRecord) nsecSigned.get(origin, Type.NSEC).orElseThrow().first()).getTypes())
        .doesNotContain(Type.AAAA);
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/core/dnssec/ReadmeDnssecExampleTest.java",
        "// --- README: dnssec ---",
        "// --- end of README ---");
  }
}
