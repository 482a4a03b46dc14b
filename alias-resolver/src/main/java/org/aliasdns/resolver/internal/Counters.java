package org.aliasdns.resolver.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.aliasdns.resolver.ResolverStats;
import org.aliasdns.resolver.UpstreamStats;

/** The resolver's counters, cheap to bump from many threads. */
final class Counters {
  final LongAdder queriesSent = new LongAdder();
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder staleServed = new LongAdder();
  final LongAdder prefetches = new LongAdder();
  final LongAdder coalescedWaits = new LongAdder();
  final LongAdder upstreamFailures = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder ignoredResponses = new LongAdder();
  final LongAdder bogus = new LongAdder();

  ResolverStats snapshot(List<UpstreamStats> upstreams) {
    return new ResolverStats(
        queriesSent.sum(),
        hits.sum(),
        misses.sum(),
        staleServed.sum(),
        prefetches.sum(),
        coalescedWaits.sum(),
        upstreamFailures.sum(),
        rejected.sum(),
        ignoredResponses.sum(),
        bogus.sum(),
        upstreams);
  }
}
