package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The systemd unit in {@code packaging/systemd}: systemd's own checker accepts it without a
 * warning, and the options of its example environment file are options {@code aliasdns serve}
 * takes.
 */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("..", "packaging", "systemd", "aliasdns.service");
  private static final Path ENV = Path.of("..", "packaging", "systemd", "aliasdns.env");
  private static final ExternalTool SYSTEMD_ANALYZE = ExternalTool.of("systemd-analyze", "systemd");

  @Test
  void systemdAnalyzeVerifiesTheUnitWithoutAWord() {
    // systemd is not one of the DNS tools CI installs: without it, skip (visibly) even there
    if (SYSTEMD_ANALYZE.find().isEmpty()) {
      String reason = "systemd-analyze is not installed (apt-get install systemd); test skipped";
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    ExternalTool.Run run = SYSTEMD_ANALYZE.run("verify", UNIT.toAbsolutePath().toString());

    assertThat(run.output()).as("systemd-analyze verify says").isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void theUnitRunsServeUnprivilegedWithPort53RestartsOnFailureAndReloadsWithSighup()
      throws IOException {
    Map<String, String> service = keys(Files.readString(UNIT, StandardCharsets.UTF_8));

    assertThat(service.get("ExecStart")).contains(" serve $ALIASDNS_OPTS");
    assertThat(service.get("DynamicUser")).isEqualTo("yes");
    assertThat(service.get("AmbientCapabilities")).isEqualTo("CAP_NET_BIND_SERVICE");
    assertThat(service.get("CapabilityBoundingSet")).isEqualTo("CAP_NET_BIND_SERVICE");
    assertThat(service.get("NoNewPrivileges")).isEqualTo("yes");
    assertThat(service.get("Restart")).isEqualTo("on-failure");
    assertThat(service.get("RestartPreventExitStatus")).isEqualTo(String.valueOf(Main.UNUSABLE));
    assertThat(service.get("ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
    assertThat(service.get("StateDirectory")).isEqualTo("aliasdns"); // --state-dir's home
  }

  @Test
  void theReadmeGivesTheExitStatusOfOutOfMemoryThatTheUnitsJvmOptionMakes() throws IOException {
    Map<String, String> service = keys(Files.readString(UNIT, StandardCharsets.UTF_8));
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    // -XX:+ExitOnOutOfMemoryError ends the JVM with status 3, before serve's handler (70) runs.
    assertThat(service.get("ExecStart")).contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(readme.replaceAll("\\s+", " "))
        .contains("`-XX:+ExitOnOutOfMemoryError`, which ends the process at once with status 3");
  }

  @Test
  void theExampleOptionsAreServeOptions() throws IOException {
    List<String> lines = Files.readAllLines(ENV, StandardCharsets.UTF_8);
    String opts = option(lines, "ALIASDNS_OPTS=");
    String oneZone = option(lines, "# ALIASDNS_OPTS=");

    CommandLine.ParseResult config =
        Objects.requireNonNull(
            Main.commandLine().parseArgs(("serve " + opts).split("\\s+")).subcommand());
    assertThat(config.matchedOptions()).extracting(o -> o.longestName())
        .containsExactly("--config");

    CommandLine.ParseResult parsed =
        Objects.requireNonNull(
            Main.commandLine().parseArgs(("serve " + oneZone).split("\\s+")).subcommand());
    CommandLine serve = parsed.commandSpec().commandLine();
    assertThat(parsed.matchedOptions()).extracting(o -> o.longestName())
        .contains("--listen", "--upstream", "--notify", "--state-dir", "--metrics");
    // --rate-limit takes its value itself (RateLimitOptions.RateValue), so picocli does not list it
    // as matched: its effect is checked below
    ServeCommand command = serve.getCommand();
    assertThat(command.rateLimit.limit()).isNotNull();
    assertThat(ServeCommand.metricsAddress(Objects.requireNonNull(command.metrics)).getPort())
        .isEqualTo(9153);
  }

  private static String option(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow()
        .substring(prefix.length())
        .trim();
  }

  /** The unit's {@code Key=value} lines (the last of each key wins, as in systemd). */
  private static Map<String, String> keys(String unit) {
    return Arrays.stream(unit.split("\n"))
        .map(String::strip)
        .filter(l -> !l.startsWith("#") && l.contains("="))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')),
                l -> l.substring(l.indexOf('=') + 1),
                (a, b) -> b));
  }
}
