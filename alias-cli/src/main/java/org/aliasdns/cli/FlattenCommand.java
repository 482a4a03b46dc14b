package org.aliasdns.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code alias flatten}: being written. */
@Command(name = "flatten", mixinStandardHelpOptions = true, description = "(being written)")
final class FlattenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("alias flatten: not yet available");
    return Main.UNUSABLE;
  }
}
