package org.aliasdns.cli;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aliasdns demo}: the tour in {@link DemoTour}. The testkit it runs on is an optional
 * dependency of alias-cli (the executable jar has it; a program that embeds the command need
 * not), so this class names none of its types: picocli reads every command's methods when it
 * builds the command line, which must work without the testkit.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "See flattening work end to end, with no network and no setup.",
    description = {
      "Shows flattening end to end against a built-in fake upstream DNS: no network, no"
          + " configuration, a few seconds. Queries go only to servers the demo starts on"
          + " 127.0.0.1 or runs in-process."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!testkitPresent()) {
      throw new UnusableInputException(
          "needs alias-testkit (org.aliasdns:alias-testkit) on the class path: the demo runs"
              + " against its fake upstream; aliasdns.jar includes it");
    }
    new DemoTour(Objects.requireNonNull(spec).commandLine().getOut()).run();
    return Main.OK;
  }

  private static boolean testkitPresent() {
    try {
      Class.forName("org.aliasdns.testkit.FakeDns", false, DemoCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
