package org.aliasdns.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code alias serve}: being written. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "(being written)")
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("alias serve: not yet available");
    return Main.UNUSABLE;
  }
}
