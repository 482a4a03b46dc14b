package org.aliasdns.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code alias check}: being written. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "(being written)")
final class CheckCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("alias check: not yet available");
    return Main.UNUSABLE;
  }
}
