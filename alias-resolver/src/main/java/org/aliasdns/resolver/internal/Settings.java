package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.TrustAnchors;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link CachingAliasResolver} is built from, as the public builder checked it.
 *
 * @param upstreams where queries go, with their health
 * @param executor runs callbacks, refreshes and cache maintenance
 * @param clock "now" for freshness
 * @param ticker times cache entries' lifetimes
 * @param policy chain limit, max stale, stale TTL, families
 * @param maximumCacheBytes the cache's weight bound
 * @param queryTimeout how long one upstream question may take, every attempt included
 * @param failureRecheck how long after a failure a question is not asked again
 * @param maxInFlight upstream queries at once
 * @param maxQueued upstream queries waiting for a slot
 * @param listener the observer
 * @param trustAnchors where DNSSEC validation starts, or null to validate nothing
 * @param signatureSkew how far outside its validity period a signature is still accepted
 */
public record Settings(
    UpstreamSet upstreams,
    Executor executor,
    InstantSource clock,
    Ticker ticker,
    FlatteningPolicy policy,
    long maximumCacheBytes,
    Duration queryTimeout,
    Duration failureRecheck,
    int maxInFlight,
    int maxQueued,
    ResolverListener listener,
    @Nullable TrustAnchors trustAnchors,
    SignatureSkew signatureSkew) {}
