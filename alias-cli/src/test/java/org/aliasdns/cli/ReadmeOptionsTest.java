package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The root README documents every option of every command: in the command's own section, or in
 * the part before the sections that describes the options commands share (the zone options,
 * {@code --upstream} and {@code --timeout}).
 */
class ReadmeOptionsTest {
  @ParameterizedTest
  @ValueSource(strings = {"check", "flatten", "trace", "serve", "keygen", "sign"})
  void everyOptionIsDocumented(String command) throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int part = readme.indexOf("## The `aliasdns` command");
    int firstSection = readme.indexOf("### aliasdns ", part);
    String shared = readme.substring(part, firstSection);
    int own = readme.indexOf("### aliasdns " + command + "\n");
    int nextSection = readme.indexOf("\n### ", own + 1);
    int nextPart = readme.indexOf("\n## ", own + 1);
    String section = readme.substring(own, Math.min(nextSection, nextPart));

    CommandLine cli = Objects.requireNonNull(Main.commandLine().getSubcommands().get(command));
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String name = option.longestName();
      if (name.equals("--help") || name.equals("--version")) {
        continue;
      }
      assertThat(section.contains("`" + name) || shared.contains("`" + name))
          .as("%s %s is in the README", command, name)
          .isTrue();
    }
  }
}
