package org.aliasdns.resolver;

import java.util.Objects;

/**
 * One upstream server's counters and health since the resolver was built.
 *
 * @param name the server as {@code HOST:PORT} ({@link Upstreams#name}), or the dnsjava resolver's
 *     own text for an upstream given as a {@link org.xbill.DNS.Resolver}
 * @param state whether it is up or down now
 * @param queries queries sent to it (one per attempt)
 * @param failures attempts that failed: timeouts, error codes, network errors, responses that
 *     did not match or parse (NXDOMAIN and NODATA are answers, not failures)
 * @param timeouts of the failures, those where no response came in time
 * @param consecutiveFailures failures since its last answer
 * @since 0.1
 */
public record UpstreamStats(
    String name,
    UpstreamState state,
    long queries,
    long failures,
    long timeouts,
    long consecutiveFailures) {
  /** Checks the values. */
  public UpstreamStats {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }
}
