package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MainTest {
  /**
   * A command named first on the command line runs under a root holding it alone (start-up):
   * every command of the whole tree is there, with the same usage text, options and exit codes
   * for bad input.
   */
  @Test
  void aCommandAloneUnderTheRootAgreesWithTheWholeTree() {
    picocli.CommandLine whole = Main.commandLine();
    int commands = 0;
    for (var e : whole.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue; // `aliasdns help ...` gets the whole tree
      }
      commands++;
      picocli.CommandLine alone = Main.commandLineFor(e.getKey(), "--help");
      picocli.CommandLine sub =
          java.util.Objects.requireNonNull(alone.getSubcommands().get(e.getKey()), e.getKey());

      assertThat(sub.getCommand().getClass()).isEqualTo(e.getValue().getCommand().getClass());
      assertThat(sub.getUsageMessage()).isEqualTo(e.getValue().getUsageMessage());
      assertThat(sub.getCommandSpec().qualifiedName())
          .isEqualTo(e.getValue().getCommandSpec().qualifiedName());
      assertThat(alone.getCommandSpec().exitCodeOnInvalidInput()).isEqualTo(Main.UNUSABLE);
    }
    assertThat(commands).isEqualTo(whole.getSubcommands().size() - 1);
    assertThat(Main.commandLineFor("--version").getSubcommands()).containsKey("help");
    assertThat(Main.commandLineFor("chek").getSubcommands()).containsKey("check");
  }

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
