package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MainTest {
  @ParameterizedTest
  @ValueSource(strings = {"check", "flatten", "trace", "demo"})
  void everyCommandHasHelp(String command) {
    Cli.Result r = Cli.run(command, "--help");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("Usage: aliasdns " + command);
  }

  @Test
  void theRootCommandHasHelpListingTheCommands() {
    Cli.Result r = Cli.run("--help");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("check").contains("flatten").contains("trace").contains("demo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "flatten", "trace", "demo"})
  void anUnknownOptionIsUnusableInput(String command) {
    Cli.Result r = Cli.run(command, "--no-such-option");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("Usage: aliasdns " + command);
  }

  @Test
  void aMissingRequiredOptionIsUnusableInput() {
    Cli.Result r = Cli.run("trace", "www.example.net.");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("--upstream");
  }

  @Test
  void optionValuesOutOfRangeAreUnusableInput() {
    Cli.Result timeout = Cli.run("trace", "www.example.net.", "--upstream", "127.0.0.1:1", "--timeout", "0");
    Cli.Result chain = Cli.run("check", "--chain-limit", "0", Cli.zone("example.com.zone"));

    assertThat(timeout.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(timeout.err()).isEqualTo("aliasdns trace: --timeout must be at least 1 second: 0\n");
    assertThat(chain.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(chain.err()).isEqualTo("aliasdns check: --chain-limit must be at least 1: 0\n");
  }

  @Test
  void versionFromClassesWithoutAManifestSaysDevelopment() {
    // the packaged jars carry the build version: ExecutableJarIT
    Cli.Result r = Cli.run("--version");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).isEqualTo("aliasdns development\n");
  }

  @Test
  void anUnknownCommandIsUnusableInput() {
    assertThat(Cli.run("frobnicate").exit()).isEqualTo(Main.UNUSABLE);
  }
}
