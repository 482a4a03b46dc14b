package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckCommandTest {
  private static final String HEAD =
      "$ORIGIN example.com.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ 3600 NS ns1\nns1 3600 A 192.0.2.53\n";

  @TempDir Path dir;

  @Test
  void printsOneFindingPerLineThenASummary() {
    Cli.Result r = Cli.run("check", Cli.zone("broken.zone"));

    assertThat(r.out().lines())
        .containsExactly(
            Cli.zone("broken.zone")
                + ":6: info apex-alias-without-https: example.com.: clients that ask for HTTPS"
                + " records would follow \"@ HTTPS 0 my-app.cdn.example.net.\" to the target's own;"
                + " the flattened A/AAAA serve the others",
            Cli.zone("broken.zone")
                + ":7: warning alias-shadowed: example.com.: explicit A records beside ALIAS are"
                + " served instead of the alias target's",
            Cli.zone("broken.zone")
                + ":8: warning target-is-alias: example.com.: MX target www.example.com. is a"
                + " CNAME",
            Cli.zone("broken.zone")
                + ":9: error cname-and-other-data: www.example.com.: CNAME beside other data: TXT",
            Cli.zone("broken.zone") + ": zone example.com.: 1 error, 2 warnings, 1 suggestion");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void exitsOneWhenAFindingIsAnError() {
    assertThat(Cli.run("check", Cli.zone("broken.zone")).exit()).isEqualTo(Main.FINDINGS);
  }

  @Test
  void warningsAloneExitZero() {
    Cli.Result r = Cli.run("check", Cli.zone("warnings.zone"));

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("warning alias-shadowed").endsWith("0 errors, 1 warning, 1 suggestion\n");
  }

  @Test
  void aSuggestionAloneExitsZero() {
    Cli.Result r = Cli.run("check", Cli.zone("example.com.zone"));

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out().lines())
        .hasSize(2)
        .first()
        .asString()
        .contains(":6: info apex-alias-without-https: example.com.: ");
    assertThat(r.out()).endsWith(": zone example.com.: 0 errors, 0 warnings, 1 suggestion\n");
  }

  @Test
  void noSuggestionsLeavesTheSuggestionOut() {
    Cli.Result r = Cli.run("check", "--no-suggestions", Cli.zone("broken.zone"));

    assertThat(r.out()).doesNotContain("apex-alias-without-https").endsWith("1 error, 2 warnings\n");
  }

  @Test
  void aZoneWithAnHttpsRecordBesideItsApexAliasGetsNoSuggestion() throws IOException {
    Path zone = dir.resolve("https.zone");
    Files.writeString(
        zone, HEAD + "@ 300 ALIAS my-app.cdn.example.net.\n@ 300 HTTPS 0 my-app.cdn.example.net.\n");

    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).isEqualTo(zone + ": zone example.com.: 0 errors, 0 warnings\n");
  }

  @Test
  void aCleanZoneExitsZeroWithOnlyTheSummary() {
    Cli.Result r = Cli.run("check", "--no-suggestions", Cli.zone("example.com.zone"));

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .isEqualTo(Cli.zone("example.com.zone") + ": zone example.com.: 0 errors, 0 warnings\n");
  }

  @Test
  void aSyntaxErrorIsUnusableInputNamingFileAndLine() {
    Cli.Result r = Cli.run("check", Cli.zone("syntax.zone"));

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).isEqualTo("aliasdns check: " + Cli.zone("syntax.zone") + ":5: Invalid address: 192.0.2\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMissingFileIsUnusableInput() {
    Cli.Result r = Cli.run("check", "no-such.zone");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).isEqualTo("aliasdns check: no-such.zone: no such file\n");
  }

  @Test
  void theOriginOptionNamesTheZone() {
    Cli.Result r = Cli.run("check", "--origin", "example.org", Cli.zone("example.com.zone"));

    // Every record is then outside the zone: left out and reported, and the apex is empty.
    assertThat(r.out()).contains("zone example.org.:").contains("error missing-soa");
    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
  }

  @Test
  void jsonOutputParsesAndCarriesEveryFinding() {
    Cli.Result r = Cli.run("check", "--format", "json", Cli.zone("broken.zone"));

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = (Map<String, Object>) Objects.requireNonNull(MiniJson.parse(r.out()));
    assertThat(doc)
        .containsEntry("file", Cli.zone("broken.zone"))
        .containsEntry("origin", "example.com.")
        .containsEntry("errors", 1L)
        .containsEntry("warnings", 2L)
        .containsEntry("suggestions", 1L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> findings = (List<Map<String, Object>>) Objects.requireNonNull(doc.get("findings"));
    assertThat(findings).hasSize(4);
    assertThat(findings.get(0))
        .containsEntry("severity", "info")
        .containsEntry("rule", "apex-alias-without-https")
        .containsEntry("type", "ALIAS");
    assertThat(findings.get(3))
        .containsEntry("line", 9L)
        .containsEntry("severity", "error")
        .containsEntry("rule", "cname-and-other-data")
        .containsEntry("owner", "www.example.com.")
        .containsEntry("type", "CNAME")
        .containsEntry("reference", "RFC 1034 §3.6.2, RFC 2181 §10.1, RFC 4035 §2.5");
  }

  @Test
  void jsonOfACleanZoneHasAnEmptyList() {
    Cli.Result r = Cli.run("check", "--format=json", "--no-suggestions", Cli.zone("example.com.zone"));

    assertThat(MiniJson.parse(r.out())).isInstanceOfSatisfying(
        Map.class, doc -> assertThat(doc.get("findings")).isEqualTo(List.of()));
  }

  @Test
  void anUnknownFormatIsUnusableInput() {
    Cli.Result r = Cli.run("check", "--format", "xml", Cli.zone("example.com.zone"));

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("--format");
  }

  // ---- the zone options (ZoneOptions), shared with flatten and serve

  @Test
  void withoutOriginTheSoaOwnerCompletesRelativeNames() {
    Cli.Result r = Cli.run("check", "--no-suggestions", Cli.zone("no-origin.zone"));

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).isEqualTo(Cli.zone("no-origin.zone") + ": zone example.com.: 0 errors, 0 warnings\n");
  }

  @Test
  void includesAreReadUnlessSwitchedOff() throws IOException {
    Files.writeString(dir.resolve("hosts.inc"), "www 3600 IN A 192.0.2.4\n");
    Path main = dir.resolve("main.zone");
    Files.writeString(
        main,
        "$ORIGIN example.com.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
            + "@ 3600 NS ns1\nns1 3600 A 192.0.2.53\n$INCLUDE hosts.inc\n");

    Cli.Result followed = Cli.run("check", main.toString());
    Cli.Result refused = Cli.run("check", "--no-includes", main.toString());

    assertThat(followed.exit()).isEqualTo(Main.OK);
    assertThat(refused.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(refused.err())
        .isEqualTo("aliasdns check: " + main + ":5: $INCLUDE hosts.inc: includes are switched off\n");
  }

  // ---- hostile and malformed input (issue 11): exit 2 with file:line: reason, no stack trace

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "$GENERATE 9223372036854775806-9223372036854775807 h$ A 192.0.2.1 | 5 | $GENERATE range '9223372036854775806-9223372036854775807' is invalid: values are 0 to 2147483647",
        "$INCLUDE /dev/zero | 5 | $INCLUDE /dev/zero: is not a regular file",
        "$INCLUDE . | 5 | $INCLUDE .: is a directory, not a zone file",
        "y RRSIG A 8 2 300 22200101000000 20000101000000 1 example.com. AQIDBA== | 5 | RRSIG record cannot be encoded: ",
        "x CNAME \\# 1 ff | 5 | bad CNAME record: ",
        "x RRSIG A 8 2 300 2024010100000 20000101000000 1 example.com. AAAAAA== | 5 | bad RRSIG record: ",
      })
  void hostileInputIsUnusableWithFileLineAndReason(String line, int lineNumber, String reason)
      throws IOException {
    Path zone = dir.resolve("hostile.zone");
    Files.writeString(zone, HEAD + line + "\n");

    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).startsWith("aliasdns check: " + zone + ":" + lineNumber + ": " + reason);
    assertThat(r.err().lines()).hasSize(1); // the reason alone, never a stack trace
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aTxtRecordTooLargeToEncodeIsUnusable() throws IOException {
    Path zone = dir.resolve("big.zone");
    Files.writeString(zone, HEAD + "big TXT " + "\"a\" ".repeat(33_000) + "\n");

    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err())
        .isEqualTo(
            "aliasdns check: " + zone + ":5: TXT record has 66000 bytes of rdata; at most 65535"
                + " fit in a record (RFC 1035 §3.2.1)\n");
  }
}
