package org.aliasdns.resolver;

import java.util.List;

/**
 * A snapshot of a resolver's counters since it was built.
 *
 * @param queriesSent upstream queries sent (one per attempt: a question that fails over to a
 *     second server counts two)
 * @param hits lookups answered from fresh cache entries alone
 * @param misses lookups that needed upstream (including those answered stale)
 * @param staleServed lookups answered with stale data (RFC 8767)
 * @param prefetches background refreshes started by a hit in the last 10% of a TTL
 * @param coalescedWaits times a lookup joined an upstream query already in flight
 * @param upstreamFailures questions that failed upstream (SERVFAIL, REFUSED, timeout, bad
 *     response) on every server tried; a failure that another server made good is counted only
 *     in {@link UpstreamStats#failures()}
 * @param rejected upstream queries refused because the in-flight limit and its queue were full
 * @param ignoredResponses datagrams from the upstream address that did not match the query they
 *     arrived for (id or question, RFC 5452 §9.1) or did not parse, and were ignored while the
 *     query waited for its real response; counted only for an upstream given by address
 * @param bogus lookups whose upstream answer failed DNSSEC validation (RFC 4035 §5.5), with or
 *     without stale data to fall back on; always 0 without {@link
 *     AliasResolver.Builder#trustAnchors trust anchors}
 * @param upstreams each upstream server's counters and health, in configured order (one entry
 *     for a single upstream)
 * @since 0.1
 */
public record ResolverStats(
    long queriesSent,
    long hits,
    long misses,
    long staleServed,
    long prefetches,
    long coalescedWaits,
    long upstreamFailures,
    long rejected,
    long ignoredResponses,
    long bogus,
    List<UpstreamStats> upstreams) {
  /** Copies the list. */
  public ResolverStats {
    upstreams = List.copyOf(upstreams);
  }
}
