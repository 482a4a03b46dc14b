package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class CheckCommandTest {
  @Test
  void printsOneFindingPerLineThenASummary() {
    Cli.Result r = Cli.run("check", Cli.zone("broken.zone"));

    assertThat(r.out().lines())
        .containsExactly(
            Cli.zone("broken.zone")
                + ":7: warning alias-shadowed: example.com.: explicit A records beside ALIAS are"
                + " served instead of the alias target's",
            Cli.zone("broken.zone")
                + ":8: warning target-is-alias: example.com.: MX target www.example.com. is a"
                + " CNAME",
            Cli.zone("broken.zone")
                + ":9: error cname-and-other-data: www.example.com.: CNAME beside other data: TXT",
            Cli.zone("broken.zone") + ": zone example.com.: 1 error, 2 warnings");
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
    assertThat(r.out()).contains("warning alias-shadowed").endsWith("0 errors, 1 warning\n");
  }

  @Test
  void aCleanZoneExitsZeroWithOnlyTheSummary() {
    Cli.Result r = Cli.run("check", Cli.zone("example.com.zone"));

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
        .containsEntry("warnings", 2L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> findings = (List<Map<String, Object>>) Objects.requireNonNull(doc.get("findings"));
    assertThat(findings).hasSize(3);
    assertThat(findings.get(2))
        .containsEntry("line", 9L)
        .containsEntry("severity", "error")
        .containsEntry("rule", "cname-and-other-data")
        .containsEntry("owner", "www.example.com.")
        .containsEntry("type", "CNAME")
        .containsEntry("reference", "RFC 1034 §3.6.2, RFC 2181 §10.1, RFC 4035 §2.5");
  }

  @Test
  void jsonOfACleanZoneHasAnEmptyList() {
    Cli.Result r = Cli.run("check", "--format=json", Cli.zone("example.com.zone"));

    assertThat(MiniJson.parse(r.out())).isInstanceOfSatisfying(
        Map.class, doc -> assertThat(doc.get("findings")).isEqualTo(List.of()));
  }

  @Test
  void anUnknownFormatIsUnusableInput() {
    Cli.Result r = Cli.run("check", "--format", "xml", Cli.zone("example.com.zone"));

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("--format");
  }
}
