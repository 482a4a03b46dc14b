package org.aliasdns.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code alias trace}: being written. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "(being written)")
final class TraceCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("alias trace: not yet available");
    return Main.UNUSABLE;
  }
}
