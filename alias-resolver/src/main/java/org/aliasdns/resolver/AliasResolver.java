package org.aliasdns.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.resolver.internal.CachingAliasResolver;
import org.aliasdns.resolver.internal.Settings;
import org.aliasdns.resolver.internal.SignatureSkew;
import org.aliasdns.resolver.internal.UdpUpstream;
import org.aliasdns.resolver.internal.UpstreamSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;

/**
 * Resolves alias targets: chases each target's CNAME/DNAME chain upstream and returns what it
 * found as alias-core {@link org.aliasdns.core.Resolution} values, through a cache that holds
 * every hop and every final RRset as its own entry with its own TTL.
 *
 * <p>Make one with {@link #builder()}. A resolver is thread-safe, owns no threads and needs no
 * closing; its work runs on the executor it was given.
 *
 * <p>What a lookup does, in order: walk the chain through fresh cache entries; ask upstream for
 * the first name the cache cannot answer (identical questions in flight share one query);
 * accept from the response only the contiguous chain that starts at the asked name; cache each
 * hop and the final RRset or negative answer (RFC 2308 §5); go on until the chain ends, loops,
 * or passes the policy's chain limit. When upstream fails (SERVFAIL, REFUSED, timeout, a bad
 * response) the last good answer is served stale for up to the policy's max stale (RFC 8767),
 * and upstream is asked that question again no more than once per failure-recheck interval.
 *
 * @since 0.1
 */
public interface AliasResolver {
  /**
   * Starts a resolver; {@link Builder#upstream(InetSocketAddress)}, {@link
   * Builder#upstreams(Upstreams)} or {@link Builder#upstream(Resolver)} is required.
   *
   * @return a builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves one name for one address type, or for its SVCB or HTTPS RRset.
   *
   * <p>For {@link org.xbill.DNS.Type#SVCB} and {@link org.xbill.DNS.Type#HTTPS} the chain also
   * follows AliasMode records (RFC 9460 §2.4.2): where the RRset at the end of the CNAME/DNAME
   * chain holds an AliasMode record, its TargetName is asked for the same type in turn, each
   * such step a {@link org.aliasdns.core.Hop.Kind#ALIAS_MODE} hop under the same loop detection,
   * chain limit, cache, prefetch and serve-stale as CNAMEs. The answer is the ServiceMode RRset
   * where the chain ends, or the AliasMode record whose TargetName is "." (RFC 9460 §2.5.1: the
   * service is not available); NODATA at the end of an AliasMode hop means the client connects
   * to that TargetName's addresses (RFC 9460 §2.4.2). Of several AliasMode records in one RRset
   * the first in canonical order is followed, and ServiceMode records beside one are ignored
   * (RFC 9460 §2.4.1).
   *
   * @param name an absolute name
   * @param type {@link org.xbill.DNS.Type#A} or {@link org.xbill.DNS.Type#AAAA}, {@link
   *     org.xbill.DNS.Type#SVCB} or {@link org.xbill.DNS.Type#HTTPS}
   * @return a stage that completes with the lookup; it never completes exceptionally for DNS
   *     outcomes (NXDOMAIN, NODATA, upstream failure, loops are all values)
   * @throws IllegalArgumentException if the name is relative or the type is not A, AAAA, SVCB
   *     or HTTPS
   */
  CompletionStage<Lookup> resolve(Name name, int type);

  /**
   * Resolves a target for every address family the policy enables, the families in parallel,
   * and for HTTPS too when the policy flattens it ({@link
   * org.aliasdns.core.FlatteningPolicy#synthesizedFamilies()}).
   *
   * @param target an absolute name
   * @return a stage that completes with one lookup per family synthesized
   * @throws IllegalArgumentException if the name is relative
   */
  CompletionStage<TargetLookup> resolveAddresses(Name target);

  /**
   * Returns the policy whose chain limit, max stale and stale TTL this resolver applies.
   *
   * @return the policy
   */
  FlatteningPolicy policy();

  /**
   * Returns the clock this resolver reads "now" from.
   *
   * @return the clock
   */
  InstantSource clock();

  /**
   * Returns a snapshot of the counters.
   *
   * @return the counters since the resolver was built
   */
  ResolverStats stats();

  /**
   * Returns the number of cache entries (hops, RRsets and negative answers), after dropping
   * those that have outlived their TTL plus max stale.
   *
   * @return the entry count, approximate while other threads write to the cache
   */
  long cacheEntries();

  /**
   * Builds an {@link AliasResolver}. Each setting may be given once: giving it again throws,
   * saying what it already was.
   *
   * @since 0.1
   */
  final class Builder {
    private final Map<String, Object> given = new HashMap<>();
    private @Nullable Resolver upstream;
    private @Nullable Upstreams upstreams;
    private @Nullable Executor executor;
    private @Nullable InstantSource clock;
    private @Nullable Ticker ticker;
    private @Nullable FlatteningPolicy policy;
    private long maximumCacheBytes = 64L << 20;
    private Duration queryTimeout = Duration.ofSeconds(5);
    private Duration failureRecheck = Duration.ofSeconds(30);
    // 64: a start over thousands of targets sends no burst that a rate-limited upstream drops.
    private int maxInFlight = 64;
    private int maxQueued = 1024;
    private @Nullable ResolverListener listener;
    private @Nullable TrustAnchors trustAnchors;
    private @Nullable SignatureSkew signatureSkew;

    Builder() {}

    private void once(String setting, Object value) {
      Object previous = given.putIfAbsent(setting, value);
      if (previous != null) {
        throw new IllegalStateException(setting + " was already set to " + previous);
      }
    }

    /**
     * Sends queries to a DNS server at this address: UDP with EDNS(0) from a fresh source port
     * per query, and TCP when a response is truncated. A datagram whose id or question does not
     * match the query is ignored and counted ({@link ResolverStats#ignoredResponses()}) and the
     * query goes on waiting for the real response (RFC 5452 §9.1). The system resolver is never
     * used.
     *
     * @param server the server's address and port, already resolved to an IP address
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved (a host name without an
     *     address: resolving it is the system resolver's job, which this library never uses)
     * @throws IllegalStateException if an upstream was already set
     */
    public Builder upstream(InetSocketAddress server) {
      Objects.requireNonNull(server, "server");
      if (server.isUnresolved()) {
        throw new IllegalArgumentException("upstream address is unresolved: " + server);
      }
      once("upstream", server);
      this.upstreams = Upstreams.of(List.of(server));
      return this;
    }

    /**
     * Sends queries to several DNS servers, each as {@link #upstream(InetSocketAddress)} does,
     * in order of preference, failing over from one to the next and keeping each server's
     * health as {@link Upstreams} describes. With one server this is {@link
     * #upstream(InetSocketAddress)}.
     *
     * @param servers the servers and the failover rules
     * @return this builder
     * @throws IllegalStateException if an upstream was already set
     */
    public Builder upstreams(Upstreams servers) {
      Objects.requireNonNull(servers, "servers");
      once("upstream", servers);
      this.upstreams = servers;
      return this;
    }

    /**
     * Sends queries through any dnsjava resolver (for example an {@code ExtendedResolver}, a
     * validating resolver, or a test fake). The resolver's own timeout is left as it is.
     *
     * @param resolver the upstream resolver
     * @return this builder
     * @throws IllegalStateException if an upstream was already set
     */
    public Builder upstream(Resolver resolver) {
      Objects.requireNonNull(resolver, "resolver");
      once("upstream", resolver);
      this.upstream = resolver;
      return this;
    }

    /**
     * Sets the executor that runs upstream callbacks, background refreshes and cache
     * maintenance; by default {@link ForkJoinPool#commonPool()}.
     *
     * @param value the executor
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder executor(Executor value) {
      once("executor", Objects.requireNonNull(value, "executor"));
      this.executor = value;
      return this;
    }

    /**
     * Sets the clock for "now" (when data was obtained, whether it is fresh); by default the
     * system clock. Unless {@link #ticker} is set too, the cache's ticker follows this clock.
     *
     * @param value the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(InstantSource value) {
      once("clock", Objects.requireNonNull(value, "clock"));
      this.clock = value;
      return this;
    }

    /**
     * Sets the ticker that times cache entries' lifetimes; by default one that follows {@link
     * #clock}, or the system ticker if no clock is set. Give the ticker of the same clock.
     *
     * @param value the ticker
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ticker(Ticker value) {
      once("ticker", Objects.requireNonNull(value, "ticker"));
      this.ticker = value;
      return this;
    }

    /**
     * Sets the policy whose chain limit, max stale and stale TTL apply, and whose families
     * {@link AliasResolver#resolveAddresses} resolves; by default {@link
     * FlatteningPolicy#defaults()}.
     *
     * @param value the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder policy(FlatteningPolicy value) {
      once("policy", Objects.requireNonNull(value, "policy"));
      this.policy = value;
      return this;
    }

    /**
     * Bounds the cache by the estimated bytes of its entries; 64 MiB by default.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder maximumCacheBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maximumCacheBytes must be at least 1: " + bytes);
      }
      once("maximumCacheBytes", bytes);
      this.maximumCacheBytes = bytes;
      return this;
    }

    /**
     * Sets how long one upstream question may take before it counts as a timeout (a failure that
     * serves stale), every attempt at every {@linkplain Upstreams server} included; 5 s by
     * default. This is real elapsed time, not the injected clock's.
     *
     * @param value more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     * @throws IllegalStateException if already set
     */
    public Builder queryTimeout(Duration value) {
      positive("queryTimeout", value);
      once("queryTimeout", value);
      this.queryTimeout = value;
      return this;
    }

    /**
     * Sets how long after a failed upstream query the same question may be sent again; until
     * then lookups that need it are answered stale (or fail) at once (RFC 8767 §5 "failure
     * recheck"); 30 s by default.
     *
     * @param value zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder failureRecheck(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("failureRecheck is negative: " + value);
      }
      once("failureRecheck", value);
      this.failureRecheck = value;
      return this;
    }

    /**
     * Caps upstream queries in flight at once (after coalescing); 64 by default, so that a start
     * or a refresh round over thousands of targets does not burst queries at the upstream (one
     * that rate-limits drops the excess, which then times out).
     *
     * @param queries at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder maxInFlight(int queries) {
      if (queries < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1: " + queries);
      }
      once("maxInFlight", queries);
      this.maxInFlight = queries;
      return this;
    }

    /**
     * Bounds the queue of upstream queries waiting for an in-flight slot; 1024 by default. A
     * query that finds the queue full is not sent: its lookup fails at once (served stale if it
     * can be), so overload never grows memory without bound.
     *
     * @param queries zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder maxQueued(int queries) {
      if (queries < 0) {
        throw new IllegalArgumentException("maxQueued is negative: " + queries);
      }
      once("maxQueued", queries);
      this.maxQueued = queries;
      return this;
    }

    /**
     * Validates the alias targets' chains from these DNSSEC trust anchors (RFC 4033 §5, RFC 4035
     * §5) with dnsjava's validator: each upstream response is asked for with DO and CD, its
     * RRsets and denial proofs are checked against the DNSKEY and DS chain from an anchor (the
     * validator fetches those through the same upstream), and every {@link Lookup} says what it
     * found in {@link Lookup#security()}: {@link Security#SECURE}, {@link Security#INSECURE} or,
     * for data that fails validation, a {@link org.aliasdns.core.Resolution.Failure} of kind
     * {@link org.aliasdns.core.Resolution.Failure.Kind#BOGUS}. A bogus answer is never cached
     * and never published: the lookup serves the last good data as stale where there is some
     * (RFC 8767), else it is a failure like a SERVFAIL. With several {@link Upstreams}, a bogus
     * answer sends the question on to the next server (another resolver may hold good data), but
     * does not count against the server's health: it answered. Signature validity is read
     * against {@link #clock}. Without trust anchors nothing is validated and every lookup is
     * {@link Security#INDETERMINATE}.
     *
     * @param anchors the trust anchors, typically the root zone's DS
     * @return this builder
     * @throws IllegalStateException if already set
     * @since 0.2
     */
    public Builder trustAnchors(TrustAnchors anchors) {
      once("trustAnchors", Objects.requireNonNull(anchors, "anchors"));
      this.trustAnchors = anchors;
      return this;
    }

    /**
     * Sets how far outside its validity period (inception to expiration, RFC 4034 §3.1.5) a
     * signature is still accepted, for a signer or an upstream whose clock is off (RFC 4035
     * §5.3.1 asks validators to allow for skew): a tenth of the signature's validity span, at
     * least {@code min} and at most {@code max}, as Unbound's {@code val-sig-skew-min} and
     * {@code val-sig-skew-max}. By default 1 hour and 1 day, Unbound's defaults; {@code
     * (Duration.ZERO, Duration.ZERO)} checks the exact clock. Only a response the exact clock
     * finds bogus is validated again (on a clock moved by the shortfall, never more than each
     * signature's tolerance), so the normal path costs nothing more. A signature out of time
     * beyond its tolerance makes the answer bogus with EDE 7 (Signature Expired) or 8 (Signature
     * Not Yet Valid, RFC 8914 §4.8, §4.9). Matters only with {@link #trustAnchors}.
     *
     * @param min the least tolerance, whatever the span (zero or more)
     * @param max the most tolerance, at least {@code min}
     * @return this builder
     * @throws IllegalArgumentException if {@code min} is negative or above {@code max}
     * @throws IllegalStateException if already set
     * @since 0.2
     */
    public Builder signatureSkew(Duration min, Duration max) {
      SignatureSkew value = new SignatureSkew(min, max);
      once("signatureSkew", value);
      this.signatureSkew = value;
      return this;
    }

    /**
     * Sets the listener told about queries, hits, misses, stale answers, prefetches and
     * coalesced waits; none by default.
     *
     * @param value the listener
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder listener(ResolverListener value) {
      once("listener", Objects.requireNonNull(value, "listener"));
      this.listener = value;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     * @throws IllegalStateException if no upstream was set
     */
    public AliasResolver build() {
      UpstreamSet set = upstreamSet();
      InstantSource c = clock == null ? InstantSource.system() : clock;
      Ticker t = ticker;
      if (t == null) {
        t = clock == null ? Ticker.systemTicker() : () -> c.millis() * 1_000_000L;
      }
      return new CachingAliasResolver(
          new Settings(
              set,
              executor == null ? ForkJoinPool.commonPool() : executor,
              c,
              t,
              policy == null ? FlatteningPolicy.defaults() : policy,
              maximumCacheBytes,
              queryTimeout,
              failureRecheck,
              maxInFlight,
              maxQueued,
              listener == null ? ResolverListener.noop() : listener,
              trustAnchors,
              signatureSkew == null ? SignatureSkew.DEFAULT : signatureSkew));
    }

    private UpstreamSet upstreamSet() {
      Upstreams servers = upstreams;
      if (servers != null) {
        List<UpstreamSet.Server> all = new ArrayList<>(servers.servers().size());
        for (InetSocketAddress address : servers.servers()) {
          UdpUpstream udp = new UdpUpstream(address);
          // Our own transport: its timeout is ours to set. An attempt may be cut sooner.
          udp.setTimeout(queryTimeout);
          all.add(new UpstreamSet.Server(Upstreams.name(address), udp));
        }
        return new UpstreamSet(
            all,
            servers.attemptTimeout().orElse(null),
            servers.downAfter(),
            servers.probeAfter(),
            servers.maxProbeAfter());
      }
      Resolver up = upstream;
      if (up == null) {
        throw new IllegalStateException(
            "upstream is required: an InetSocketAddress, Upstreams or a dnsjava Resolver");
      }
      return UpstreamSet.single(String.valueOf(up), up);
    }

    private static void positive(String setting, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive: " + value);
      }
    }
  }
}
