package org.aliasdns.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code alias demo}: being written. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "(being written)")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("alias demo: not yet available");
    return Main.UNUSABLE;
  }
}
