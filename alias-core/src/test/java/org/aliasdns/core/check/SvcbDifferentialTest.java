package org.aliasdns.core.check;

import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Runs our reader and validator (every rule on, the suggestion too), BIND's {@code
 * named-checkzone -i local} and Knot's {@code kzonecheck} over the SVCB and HTTPS zone files in
 * {@code corpus-svcb/}: our findings must be what each file's header expects, and each checker
 * must load the zone exactly when we read it without an error, unless the header documents the
 * difference with {@code ; bind:} or {@code ; knot:} and {@code ; why:}. A checker that is not
 * installed skips its half with a printed reason.
 */
class SvcbDifferentialTest {
  /** The rules this corpus covers, which the CNAME corpus does not. */
  static final Set<Rule> SVCB_RULES =
      EnumSet.of(
          Rule.SVCB_ALIAS_MODE_PARAMS,
          Rule.SVCB_MULTIPLE_ALIAS_MODE,
          Rule.SVCB_MIXED_MODES,
          Rule.SVCB_BAD_MANDATORY,
          Rule.SVCB_NO_DEFAULT_ALPN_WITHOUT_ALPN,
          Rule.SVCB_TARGET_WITHOUT_ADDRESS,
          Rule.SVCB_ALIAS_LOOP,
          Rule.APEX_ALIAS_WITHOUT_HTTPS);

  private static final String UNREADABLE = "unreadable";

  private static final ZoneValidator EVERY_RULE =
      ZoneValidator.defaults().withRule(Rule.APEX_ALIAS_WITHOUT_HTTPS, true);

  /** What a corpus file's header comments declare. */
  private record Case(
      Path file, Name origin, Set<String> expected, Map<String, Boolean> loads, @Nullable String why) {

    boolean weRefuse() {
      return expected.stream().anyMatch(e -> e.startsWith("error ") || e.equals(UNREADABLE));
    }

    boolean shouldLoad(String tool) {
      Boolean declared = loads.get(tool);
      return declared != null ? declared : !weRefuse();
    }

    static Case read(Path file) throws IOException {
      Name origin = null;
      Set<String> expected = new TreeSet<>();
      Map<String, Boolean> loads = new HashMap<>();
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
        } else if (text.startsWith("bind:") || text.startsWith("knot:")) {
          String verdict = value(text);
          assertThat(verdict).as("%s: %s", file, text).isIn("loads", "refuses");
          loads.put(text.substring(0, 4), verdict.equals("loads"));
        } else if (text.startsWith("why:")) {
          why = value(text);
        }
      }
      assertThat(origin).as("%s declares '; origin:'", file).isNotNull();
      return new Case(file, Objects.requireNonNull(origin), expected, loads, why);
    }

    private static String value(String text) {
      return text.substring(text.indexOf(':') + 1).strip();
    }
  }

  @TestFactory
  Stream<DynamicNode> eachFileGetsTheExpectedVerdictFromUsBindAndKnot() throws IOException {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path file : corpusFiles()) {
      Case c = Case.read(file);
      nodes.add(
          dynamicContainer(
              file.getFileName().toString(),
              Stream.of(
                  dynamicTest("validator reports " + describe(c), () -> checkOurs(c)),
                  dynamicTest(
                      "named-checkzone " + (c.shouldLoad("bind") ? "loads" : "refuses"),
                      () -> checkTool(c, "bind", ExternalTool.namedCheckzone(c.origin().toString(), c.file()))),
                  dynamicTest(
                      "kzonecheck " + (c.shouldLoad("knot") ? "loads" : "refuses"),
                      () -> checkTool(c, "knot", ExternalTool.kzonecheck(c.origin().toString(), c.file()))))));
    }
    return nodes.stream();
  }

  @Test
  void everyDifferenceIsExplainedAndIsOne() throws IOException {
    for (Path file : corpusFiles()) {
      Case c = Case.read(file);
      if (!c.loads().isEmpty()) {
        assertThat(c.why()).as("%s: '; bind:'/'; knot:' needs '; why:'", file).isNotBlank();
      }
      c.loads()
          .forEach(
              (tool, loads) ->
                  assertThat(loads)
                      .as("%s: '; %s:' is only for a verdict that differs from ours", file, tool)
                      .isEqualTo(c.weRefuse()));
    }
  }

  @Test
  void readmeListsEveryFile() throws IOException {
    String readme = Files.readString(corpusDirectory().resolve("README.md"), StandardCharsets.UTF_8);
    for (Path file : corpusFiles()) {
      assertThat(readme).as("README.md mentions %s", file.getFileName()).contains(file.getFileName().toString());
    }
  }

  @Test
  void everySvcbRuleIsExercisedByTheCorpus() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (Path file : corpusFiles()) {
      for (String e : Case.read(file).expected()) {
        seen.add(e.substring(e.indexOf(' ') + 1));
      }
    }
    Set<String> svcb = SVCB_RULES.stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new));
    assertThat(seen).containsAll(svcb);
  }

  private static void checkOurs(Case c) {
    ZoneFileReader reader = ZoneFileReader.forOrigin(c.origin());
    if (c.expected().contains(UNREADABLE)) {
      ZoneFileException e = catchThrowableOfType(() -> reader.read(c.file()), ZoneFileException.class);
      assertThat(e).as("%s does not read", c.file().getFileName()).isNotNull();
      assertThat(e.line()).as("the line named by %s", e.getMessage()).isGreaterThan(0);
      assertThat(e.reason()).isNotBlank();
      return;
    }
    ZoneFile zoneFile;
    try {
      zoneFile = reader.read(c.file());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ValidationReport report = EVERY_RULE.validate(zoneFile);
    Set<String> actual = new TreeSet<>();
    for (Finding f : report.findings()) {
      actual.add(f.severity().label() + " " + f.rule().id());
      assertThat(f.position()).as("position of %s", f).isNotNull();
    }
    assertThat(actual).as("findings of %s:%n%s", c.file().getFileName(), report.findings()).isEqualTo(c.expected());
    assertThat(report.hasErrors()).isEqualTo(c.weRefuse());
  }

  private static void checkTool(Case c, String tool, ExternalTool.Run run) {
    boolean loads = run.exitCode() == 0;
    String because = c.why() == null ? "" : " (documented difference: " + c.why() + ")";
    assertThat(loads)
        .as(
            "%s %s %s%s; it said:%n%s",
            tool,
            c.shouldLoad(tool) ? "should load" : "should refuse",
            c.file().getFileName(),
            because,
            run.output())
        .isEqualTo(c.shouldLoad(tool));
  }

  private static String describe(Case c) {
    return c.expected().isEmpty() ? "ok" : String.join(", ", c.expected());
  }

  private static Path corpusDirectory() {
    URL url = SvcbDifferentialTest.class.getResource("/corpus-svcb/README.md");
    assertThat(url).as("corpus-svcb/README.md on the test classpath").isNotNull();
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
