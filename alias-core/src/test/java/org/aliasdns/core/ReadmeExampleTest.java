package org.aliasdns.core;

import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.check.ZoneValidator;
import org.aliasdns.core.zonefile.SourcePosition;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The README's alias-core snippets, run as written, so they cannot rot. */
class ReadmeExampleTest {
  private static final String ZONE =
      String.join(
          "\n",
          "$ORIGIN example.com.",
          "$TTL 3600",
          "@     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
          "      IN NS  ns1",
          "      IN ALIAS my-app.cdn.example.net.",
          "ns1   IN A   192.0.2.1",
          "www   IN CNAME @",
          "www   IN TXT \"oops\"",
          "");

  @TempDir Path dir;

  @Test
  void readmeSnippetsWorkAsWritten() throws Exception {
    Path zoneFile = dir.resolve("example.com.zone");
    Files.writeString(zoneFile, ZONE);

    // --- README: read, look up, validate, write ---
    ZoneFile file = ZoneFileReader.defaults().read(zoneFile);
    Zone zone = file.zone();

    Optional<RecordSet> alias = zone.get(Name.fromString("example.com."), AliasRecord.ALIAS);
    alias.ifPresent(set -> System.out.println(((AliasRecord) set.first()).getTarget()));

    ValidationReport report = ZoneValidator.defaults().validate(file);
    report.findings().forEach(System.out::println);

    String text = ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone);

    Zone edited =
        zone.toBuilder()
            .add(
                new ARecord(
                    Name.fromString("api.example.com."),
                    DClass.IN,
                    300,
                    InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10})))
            .build();
    // --- end of README ---

    assertThat(alias).map(set -> ((AliasRecord) set.first()).getTarget().toString())
        .contains("my-app.cdn.example.net.");
    assertThat(report.hasErrors()).isTrue();
    assertThat(report.findings(Rule.CNAME_AND_OTHER_DATA))
        .singleElement()
        .satisfies(f -> assertThat(f.position()).isEqualTo(new SourcePosition(zoneFile.toString(), 7)));
    assertThat(text).contains("TYPE65401").doesNotContain("ALIAS");
    assertThat(ZoneFileReader.defaults().read(text, "written").zone()).isEqualTo(zone);
    assertThat(edited.get(Name.fromString("API.example.com."), Type.A)).isPresent();
    assertThat(zone.contains(Name.fromString("api.example.com."))).isFalse();
  }
}
