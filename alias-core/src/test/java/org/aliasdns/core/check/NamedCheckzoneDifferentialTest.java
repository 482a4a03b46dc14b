package org.aliasdns.core.check;

import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aliasdns.core.tools.ExternalTool;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.Name;

/**
 * Runs our reader and validator and BIND's {@code named-checkzone -i local} over the zone files
 * in {@code corpus/} and checks that each says what the file's header expects: our rule ids and
 * severities exactly, and BIND's verdict equal to ours (we refuse exactly when we report an
 * error) unless the header documents a deliberate difference with {@code ; bind:} and {@code ;
 * why:}. The corpus README lists every file.
 */
class NamedCheckzoneDifferentialTest {
  private static final int MINIMUM_CORPUS = 40;

  /** What a corpus file's header comments declare. */
  private record Case(
      Path file,
      Name origin,
      Set<String> expected,
      @Nullable Boolean bindLoads,
      @Nullable String why) {

    boolean weRefuse() {
      return expected.stream().anyMatch(e -> e.startsWith("error "));
    }

    boolean bindShouldLoad() {
      return bindLoads != null ? bindLoads : !weRefuse();
    }

    static Case read(Path file) throws IOException {
      Name origin = null;
      Set<String> expected = new TreeSet<>();
      Boolean bindLoads = null;
      String why = null;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.startsWith(";")) {
          continue;
        }
        String text = line.substring(1).strip();
        if (text.startsWith("origin:")) {
          origin = Name.fromString(value(text));
        } else if (text.startsWith("expect:")) {
          String e = value(text);
          if (!e.equals("ok")) {
            expected.add(e);
          }
        } else if (text.startsWith("bind:")) {
          String verdict = value(text);
          assertThat(verdict).as("%s: bind: loads|refuses", file).isIn("loads", "refuses");
          bindLoads = verdict.equals("loads");
        } else if (text.startsWith("why:")) {
          why = value(text);
        }
      }
      assertThat(origin).as("%s declares '; origin:'", file).isNotNull();
      return new Case(file, Objects.requireNonNull(origin), expected, bindLoads, why);
    }

    private static String value(String text) {
      return text.substring(text.indexOf(':') + 1).strip();
    }
  }

  @TestFactory
  Stream<DynamicNode> eachCorpusFileGetsTheExpectedVerdictFromUsAndFromBind() throws IOException {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path file : corpusFiles()) {
      Case c = Case.read(file);
      nodes.add(
          dynamicContainer(
              file.getFileName().toString(),
              Stream.of(
                  dynamicTest("validator reports " + describe(c), () -> checkOurs(c)),
                  dynamicTest(
                      "named-checkzone " + (c.bindShouldLoad() ? "loads" : "refuses"),
                      () -> checkBind(c)))));
    }
    return nodes.stream();
  }

  @Test
  void corpusIsLargeEnoughAndEveryDifferenceFromBindIsExplained() throws IOException {
    List<Path> files = corpusFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS);
    for (Path file : files) {
      Case c = Case.read(file);
      if (c.bindLoads() != null) {
        assertThat(c.why()).as("%s: '; bind:' needs '; why:'", file).isNotBlank();
        assertThat(c.bindLoads())
            .as("%s: '; bind:' is only for a verdict that differs from ours", file)
            .isEqualTo(c.weRefuse());
      }
    }
  }

  @Test
  void readmeListsEveryCorpusFile() throws IOException {
    Path dir = corpusDirectory();
    String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
    for (Path file : corpusFiles()) {
      assertThat(readme).as("README.md mentions %s", file.getFileName()).contains(file.getFileName().toString());
    }
  }

  @Test
  void everyRuleIsExercisedByTheCorpus() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (Path file : corpusFiles()) {
      for (String e : Case.read(file).expected()) {
        seen.add(e.substring(e.indexOf(' ') + 1));
      }
    }
    // The SVCB and HTTPS rules have their own corpus, checked against Knot too.
    Set<String> all =
        Stream.of(Rule.values())
            .filter(r -> !SvcbDifferentialTest.SVCB_RULES.contains(r))
            .map(Rule::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
  }

  private static void checkOurs(Case c) throws IOException {
    ZoneFile zoneFile = ZoneFileReader.forOrigin(c.origin()).read(c.file());
    ValidationReport report = ZoneValidator.defaults().validate(zoneFile);
    Set<String> actual = new TreeSet<>();
    for (Finding f : report.findings()) {
      actual.add(f.severity().label() + " " + f.rule().id());
    }
    assertThat(actual).as("findings of %s:%n%s", c.file().getFileName(), report.findings()).isEqualTo(c.expected());
    assertThat(report.hasErrors()).isEqualTo(c.weRefuse());
    for (Finding f : report.findings()) {
      assertThat(f.position()).as("position of %s", f).isNotNull();
    }
  }

  private static void checkBind(Case c) {
    ExternalTool.Run run = ExternalTool.namedCheckzone(c.origin().toString(), c.file());
    boolean loads = run.exitCode() == 0;
    String because = c.why() == null ? "" : " (documented difference: " + c.why() + ")";
    assertThat(loads)
        .as(
            "named-checkzone %s %s%s; it said:%n%s",
            c.bindShouldLoad() ? "should load" : "should refuse",
            c.file().getFileName(),
            because,
            run.output())
        .isEqualTo(c.bindShouldLoad());
  }

  private static String describe(Case c) {
    return c.expected().isEmpty() ? "ok" : String.join(", ", c.expected());
  }

  private static Path corpusDirectory() {
    URL url = NamedCheckzoneDifferentialTest.class.getResource("/corpus/README.md");
    assertThat(url).as("corpus/README.md on the test classpath").isNotNull();
    try {
      Path readme = Path.of(Objects.requireNonNull(url).toURI());
      return Objects.requireNonNull(readme.getParent(), "corpus directory");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> corpusFiles() throws IOException {
    try (Stream<Path> files = Files.list(corpusDirectory())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".zone")).sorted().collect(Collectors.toList());
    }
  }
}
