import org.jspecify.annotations.NullMarked;

/**
 * The alias resolver: chases the CNAME/DNAME chains of alias targets upstream, with a per-hop
 * TTL-aware cache, serve-stale, prefetch, query coalescing and a target monitor.
 *
 * <p>Start with {@link org.aliasdns.resolver.AliasResolver#builder()}.
 */
@NullMarked
module org.aliasdns.resolver {
  requires transitive org.aliasdns.core;
  requires transitive com.github.benmanes.caffeine; // Ticker is in the builder API
  requires static transitive org.jspecify;

  exports org.aliasdns.resolver;
}
