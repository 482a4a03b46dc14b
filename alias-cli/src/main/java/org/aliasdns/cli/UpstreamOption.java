package org.aliasdns.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.TrustAnchors;
import org.aliasdns.resolver.Upstreams;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --upstream HOST[:PORT]} and {@code --timeout} options, shared by the commands that
 * resolve alias targets ({@code flatten}, {@code trace}, {@code serve}): which recursive servers
 * to ask, and how to build the resolver that asks them. HOST must be an IP address (see {@link
 * HostPort}). {@code --upstream} may be repeated: the servers are asked in that order of
 * preference, with the failover rules of {@link Upstreams}.
 */
final class UpstreamOption {
  @Option(
      names = "--upstream",
      paramLabel = "HOST[:PORT]",
      converter = HostPort.class,
      description = "Recursive DNS server that resolves alias targets: an IP address, port 53 by"
          + " default; IPv6 with a port as [2001:db8::53]:5300. Repeat it for failover, the"
          + " preferred server first.")
  List<InetSocketAddress> upstreams = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Seconds to wait for one upstream answer, failover to other servers included"
          + " (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 5;

  @Option(
      names = "--trust-anchor",
      paramLabel = "FILE",
      description = "Validate alias targets with DNSSEC from the DS or DNSKEY records in FILE"
          + " (master-file lines, e.g. the root zone's DS): a bogus answer is never published.")
  @Nullable Path trustAnchorFile;

  /**
   * Returns a resolver that asks the upstream servers.
   *
   * @param policy the policy whose families, chain limit and stale rules apply
   * @return a new resolver
   * @throws UnusableInputException if the timeout is not positive or a server is repeated
   */
  AliasResolver resolver(FlatteningPolicy policy) {
    return resolver(policy, ResolverListener.noop());
  }

  /**
   * Returns a resolver that asks the upstream servers and tells a listener what it does.
   *
   * @param policy the policy whose families, chain limit and stale rules apply
   * @param listener told about queries, answers and failures
   * @return a new resolver
   * @throws UnusableInputException if the timeout is not positive or a server is repeated
   */
  AliasResolver resolver(FlatteningPolicy policy, ResolverListener listener) {
    requireGiven();
    AliasResolver.Builder builder =
        AliasResolver.builder()
            .upstreams(upstreams())
            .policy(policy)
            .queryTimeout(timeout())
            .listener(listener);
    TrustAnchors anchors = trustAnchors();
    if (anchors != null) {
      builder.trustAnchors(anchors);
    }
    return builder.build();
  }

  /**
   * Returns the trust anchors of {@code --trust-anchor}, read.
   *
   * @return the anchors, or null if the option was not given
   * @throws UnusableInputException naming the file if it cannot be read or holds no anchors
   */
  @Nullable TrustAnchors trustAnchors() {
    Path file = trustAnchorFile;
    if (file == null) {
      return null;
    }
    try {
      return TrustAnchors.read(file);
    } catch (ZoneFileException e) {
      throw new UnusableInputException("--trust-anchor: " + e.getMessage(), e);
    }
  }

  /**
   * Warns, one line each, about trust anchors that will leave answers INSECURE: an anchor the
   * validator cannot use, a target outside every anchored tree. Nothing without {@code
   * --trust-anchor}.
   *
   * @param targets the names that will be resolved
   * @param warn where each line goes
   * @throws UnusableInputException naming the file if it cannot be read or holds no anchors
   */
  void warnAnchors(java.util.Collection<org.xbill.DNS.Name> targets,
      java.util.function.Consumer<String> warn) {
    TrustAnchors anchors = trustAnchors();
    if (anchors != null) {
      anchors.warnings(targets).forEach(line -> warn.accept("warning: " + line));
    }
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
   * Returns the servers, in the order given, with the default failover rules.
   *
   * @return the upstreams
   * @throws UnusableInputException if a server is given twice
   */
  Upstreams upstreams() {
    try {
      return Upstreams.of(upstreams);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UnusableInputException("--upstream: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the servers as text for messages: {@code HOST:PORT}, comma-separated.
   *
   * @return the list
   */
  String names() {
    List<String> names = new ArrayList<>(upstreams.size());
    for (InetSocketAddress a : upstreams) {
      names.add(HostPort.format(a));
    }
    return String.join(", ", names);
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
