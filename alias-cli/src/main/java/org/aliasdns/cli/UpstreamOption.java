package org.aliasdns.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.resolver.AliasResolver;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --upstream HOST[:PORT]} and {@code --timeout} options, shared by the commands that
 * resolve alias targets ({@code flatten}, {@code trace}, {@code serve}): which recursive server to ask, and how to build the resolver that asks
 * it. HOST must be an IP address (see {@link HostPort}).
 */
final class UpstreamOption {
  @Option(
      names = "--upstream",
      paramLabel = "HOST[:PORT]",
      converter = HostPort.class,
      description = "Recursive DNS server that resolves alias targets: an IP address, port 53 by"
          + " default; IPv6 with a port as [2001:db8::53]:5300.")
  InetSocketAddress upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), HostPort.DNS_PORT);

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Seconds to wait for one upstream answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 5;

  /**
   * Returns a resolver that asks the upstream with dnsjava's {@code SimpleResolver}.
   *
   * @param policy the policy whose families, chain limit and stale rules apply
   * @return a new resolver
   * @throws UnusableInputException if the timeout is not positive
   */
  AliasResolver resolver(FlatteningPolicy policy) {
    requireGiven();
    return AliasResolver.builder()
        .upstream(upstream)
        .policy(policy)
        .queryTimeout(timeout())
        .build();
  }

  /**
   * The command this option is part of: {@code --upstream} is required by every command but
   * {@code serve --config}, which takes its upstreams from the file, so it is checked here rather
   * than by picocli.
   */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command = CommandSpec.create();

  /**
   * Checks that {@code --upstream} was given.
   *
   * @throws UnusableInputException if it was not
   */
  void requireGiven() {
    CommandLine line = command.commandLine();
    if (line != null && !line.getParseResult().hasMatchedOption("--upstream")) {
      throw new UnusableInputException("Missing required option: '--upstream=HOST[:PORT]'");
    }
  }

  /**
   * Returns how long to wait for one upstream answer.
   *
   * @return the timeout
   * @throws UnusableInputException if the timeout is not positive
   */
  Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new UnusableInputException("--timeout must be at least 1 second: " + timeoutSeconds);
    }
    return Duration.ofSeconds(timeoutSeconds);
  }
}
