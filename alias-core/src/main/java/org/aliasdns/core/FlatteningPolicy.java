package org.aliasdns.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * How aliases are flattened: which names, which address families, how TTLs are derived and
 * how failures are ridden out. Immutable; make one with {@link #builder()} or take {@link
 * #defaults()}.
 *
 * <p>Defaults: ALIAS/ANAME records only; A and AAAA; TTL floor 0 s and cap 86,400 s; TTLs
 * fixed while fresh; stale answers served with TTL 30 s for up to one day (RFC 8767); chains of
 * at most 16 hops.
 *
 * @since 0.1
 */
public final class FlatteningPolicy {
  /** Which names are flattened. */
  public enum Scope {
    /** Only ALIAS and ANAME records. */
    ALIAS_RECORDS,
    /** ALIAS and ANAME records, and a CNAME at the zone apex treated as an alias. */
    ALIAS_AND_APEX_CNAME,
    /** Every CNAME in the zone as well, like Cloudflare's "flatten all CNAMEs". */
    ALL_CNAMES
  }

  /**
   * What an alias name synthesizes from its target, by the record type that carries it: an
   * address family, or (under {@link HttpsMode#FLATTEN} only) the target's HTTPS RRset. Each is
   * published by the same rule ({@link AliasPublication#of}).
   */
  public enum Family {
    /** IPv4: A records. */
    IPV4(Type.A),
    /** IPv6: AAAA records. */
    IPV6(Type.AAAA),
    /**
     * The target's HTTPS RRset (RFC 9460), flattened into ServiceMode records at the alias name
     * under {@link HttpsMode#FLATTEN}; never one of the address {@link #families()}.
     *
     * @since 0.2
     */
    HTTPS(Type.HTTPS);

    private final int type;

    Family(int type) {
      this.type = type;
    }

    /**
     * Returns the record type of this family.
     *
     * @return {@link Type#A}, {@link Type#AAAA} or {@link Type#HTTPS}
     */
    public int type() {
      return type;
    }

    /**
     * Tells whether this is an address family.
     *
     * @return true for {@link #IPV4} and {@link #IPV6}
     */
    public boolean isAddress() {
      return this != HTTPS;
    }

    /**
     * Returns the family a record type is synthesized as.
     *
     * @param type a type code
     * @return the family, or null for a type no alias name synthesizes
     */
    public static @Nullable Family of(int type) {
      switch (type) {
        case Type.A:
          return IPV4;
        case Type.AAAA:
          return IPV6;
        case Type.HTTPS:
          return HTTPS;
        default:
          return null;
      }
    }
  }

  /**
   * What alias names do for clients that ask for HTTPS records (RFC 9460). An HTTPS RRset written
   * at the alias name itself always wins: none of these touches it.
   *
   * @since 0.2
   */
  public enum HttpsMode {
    /** Nothing: the alias name answers HTTPS from its own data only (NODATA without any). */
    OFF,
    /**
     * Co-publish {@code HTTPS 0 <alias target>} (RFC 9460 §2.4.2, AliasMode), TTL the alias
     * record's: static configuration, so clients follow the target's HTTPS records themselves.
     */
    ALIAS_MODE,
    /**
     * Flatten the target's HTTPS RRset (after its CNAMEs and AliasMode chain) into ServiceMode
     * records at the alias name, by the same rule as addresses: TTL the minimum over the chain,
     * NODATA for a target without HTTPS records, stale or SERVFAIL live on failure, the serial
     * moving when it changes. A TargetName "." is rewritten to the owner it meant (RFC 9460
     * §2.5.2), the last name of the target's chain.
     */
    FLATTEN
  }

  /** How the TTL of synthesized records behaves between refreshes. */
  public enum TtlMode {
    /**
     * The derived TTL is served unchanged while the data is fresh: downstream caches then
     * refresh at spread-out times instead of together (draft-ietf-dnsop-aname).
     */
    FIXED,
    /** The TTL counts down from the derived value, as a recursive resolver's would. */
    COUNTDOWN
  }

  private static final FlatteningPolicy DEFAULTS = builder().build();

  private final Scope scope;
  private final Set<Family> families;
  private final long ttlFloor;
  private final long ttlCap;
  private final TtlMode ttlMode;
  private final Duration maxStale;
  private final long staleTtl;
  private final int chainLimit;
  private final HttpsMode https;
  private final Set<Family> synthesized;

  private FlatteningPolicy(Builder b) {
    this.scope = b.scope == null ? Scope.ALIAS_RECORDS : b.scope;
    this.families =
        b.families == null
            ? Collections.unmodifiableSet(EnumSet.of(Family.IPV4, Family.IPV6))
            // An EnumSet: a bit test per family on the flattener's and answerer's hot paths.
            : Collections.unmodifiableSet(EnumSet.copyOf(b.families));
    this.ttlFloor = b.ttlFloor == null ? 0 : b.ttlFloor;
    this.ttlCap = b.ttlCap == null ? 86_400 : b.ttlCap;
    this.ttlMode = b.ttlMode == null ? TtlMode.FIXED : b.ttlMode;
    this.maxStale = b.maxStale == null ? Duration.ofDays(1) : b.maxStale;
    this.staleTtl = b.staleTtl == null ? 30 : b.staleTtl;
    this.chainLimit = b.chainLimit == null ? 16 : b.chainLimit;
    this.https = b.https == null ? HttpsMode.OFF : b.https;
    EnumSet<Family> all = EnumSet.copyOf(families);
    if (https == HttpsMode.FLATTEN) {
      all.add(Family.HTTPS);
    }
    this.synthesized = Collections.unmodifiableSet(all);
    if (ttlFloor > ttlCap) {
      throw new IllegalArgumentException(
          "TTL floor " + ttlFloor + " is above the TTL cap " + ttlCap);
    }
  }

  /**
   * Returns the default policy.
   *
   * @return the defaults described in the class documentation
   */
  public static FlatteningPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a policy; settings left unset take the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns which names are flattened.
   *
   * @return the scope
   */
  public Scope scope() {
    return scope;
  }

  /**
   * Returns the address families synthesized.
   *
   * @return an unmodifiable, non-empty set of {@link Family#IPV4} and {@link Family#IPV6}
   */
  public Set<Family> families() {
    return families;
  }

  /**
   * Returns everything alias names synthesize from their targets: the address {@link
   * #families()}, and {@link Family#HTTPS} under {@link HttpsMode#FLATTEN}. What the resolver
   * watches for each target, and what flattening and answering publish.
   *
   * @return an unmodifiable, non-empty set
   * @since 0.2
   */
  public Set<Family> synthesizedFamilies() {
    return synthesized;
  }

  /**
   * Tells whether a record type is synthesized under this policy.
   *
   * @param type a type code
   * @return true for A with {@link Family#IPV4} on, AAAA with {@link Family#IPV6} on, or HTTPS
   *     under {@link HttpsMode#FLATTEN}
   */
  public boolean synthesizes(int type) {
    return (type == Type.A && families.contains(Family.IPV4))
        || (type == Type.AAAA && families.contains(Family.IPV6))
        || (type == Type.HTTPS && https == HttpsMode.FLATTEN);
  }

  /**
   * Returns the smallest TTL given to synthesized records.
   *
   * @return seconds
   */
  public long ttlFloor() {
    return ttlFloor;
  }

  /**
   * Returns the largest TTL given to synthesized records.
   *
   * @return seconds
   */
  public long ttlCap() {
    return ttlCap;
  }

  /**
   * Returns how synthesized TTLs behave between refreshes.
   *
   * @return the mode
   */
  public TtlMode ttlMode() {
    return ttlMode;
  }

  /**
   * Returns how long past its expiry a last good answer may still be served (RFC 8767 §4).
   *
   * @return the duration
   */
  public Duration maxStale() {
    return maxStale;
  }

  /**
   * Returns the TTL of stale answers (RFC 8767 §4 suggests 30 s), never above the {@link
   * #ttlCap() TTL cap}: the cap is the operator's ceiling for every published TTL, so a cap of
   * 10 s sends stale answers with TTL 10, not 30.
   *
   * @return seconds: min(the stale TTL set, the TTL cap)
   */
  public long staleTtl() {
    return Math.min(staleTtl, ttlCap);
  }

  /**
   * Returns the most CNAME/DNAME hops a chain may have.
   *
   * @return the limit, at least 1
   */
  public int chainLimit() {
    return chainLimit;
  }

  /**
   * Tells whether each alias name without an HTTPS RRset of its own also publishes {@code HTTPS
   * 0 <alias target>} (RFC 9460 §2.4.2, AliasMode; TTL the alias record's), so clients that ask
   * for HTTPS records follow the target's own (ALPN, ECH, address hints). Off by default.
   *
   * @return true if the AliasMode record is co-published
   */
  public boolean publishesHttpsAliasMode() {
    return https == HttpsMode.ALIAS_MODE;
  }

  /**
   * Returns what alias names do for HTTPS questions.
   *
   * @return the mode; {@link HttpsMode#OFF} by default
   * @since 0.2
   */
  public HttpsMode httpsMode() {
    return https;
  }

  /**
   * Tells whether each alias name without an HTTPS RRset of its own publishes its target's HTTPS
   * RRset as ServiceMode records ({@link HttpsMode#FLATTEN}).
   *
   * @return true if the target's HTTPS RRset is flattened
   * @since 0.2
   */
  public boolean flattensHttps() {
    return https == HttpsMode.FLATTEN;
  }

  /**
   * Derives the TTL of synthesized records: the minimum over the alias record's TTL, every hop
   * of the chain and the final RRset, clamped to the floor and cap.
   *
   * @param aliasTtl the TTL of the ALIAS/ANAME (or flattened CNAME) record
   * @param answer the resolution that produced the addresses
   * @return the TTL in seconds
   */
  public long ttl(long aliasTtl, Resolution.Answer answer) {
    return clamp(Math.min(aliasTtl, answer.chainTtl()));
  }

  /**
   * Returns when upstream data stops being fresh: when it was obtained plus the smallest TTL
   * over its chain and final RRset. The alias record's own TTL and the clamp shape what we
   * publish, not how long the upstream data lives.
   *
   * @param answer a resolution's answer
   * @return the expiry instant
   */
  public Instant expiry(Resolution.Answer answer) {
    return expiryOf(answer);
  }

  /** {@link #expiry}, for the publications that carry an answer and no policy. */
  static Instant expiryOf(Resolution.Answer answer) {
    return answer.obtained().plusSeconds(answer.chainTtl());
  }

  /**
   * Tells whether data that expired at {@code expiry} may still be served as stale: up to its
   * expiry plus {@link #maxStale()}, inclusive (RFC 8767 §4). Answering and flattening both
   * ride out upstream failures by this one rule.
   *
   * @param expiry when the data stopped being fresh, as {@link #expiry} gives it
   * @param now the current time
   * @return true while the stale window is open
   */
  public boolean withinMaxStale(Instant expiry, Instant now) {
    return !now.isAfter(expiry.plus(maxStale));
  }

  /**
   * Clamps a TTL to the floor and cap.
   *
   * @param ttl seconds
   * @return the clamped TTL
   */
  public long clamp(long ttl) {
    return Math.max(ttlFloor, Math.min(ttlCap, ttl));
  }

  /**
   * Returns a builder holding this policy's settings, for a changed copy; its setters may each
   * be called once.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.scope = scope;
    b.families = EnumSet.copyOf(families);
    b.ttlFloor = ttlFloor;
    b.ttlCap = ttlCap;
    b.ttlMode = ttlMode;
    b.maxStale = maxStale;
    b.staleTtl = staleTtl;
    b.chainLimit = chainLimit;
    b.https = https;
    return b;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FlatteningPolicy)) {
      return false;
    }
    FlatteningPolicy p = (FlatteningPolicy) o;
    return scope == p.scope
        && families.equals(p.families)
        && ttlFloor == p.ttlFloor
        && ttlCap == p.ttlCap
        && ttlMode == p.ttlMode
        && maxStale.equals(p.maxStale)
        && staleTtl == p.staleTtl
        && chainLimit == p.chainLimit
        && https == p.https;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        scope, families, ttlFloor, ttlCap, ttlMode, maxStale, staleTtl, chainLimit, https);
  }

  @Override
  public String toString() {
    return "FlatteningPolicy[scope="
        + scope
        + ", families="
        + families
        + ", ttl="
        + ttlFloor
        + ".."
        + ttlCap
        + " "
        + ttlMode
        + ", maxStale="
        + maxStale
        + ", staleTtl="
        + staleTtl
        + ", chainLimit="
        + chainLimit
        + (https == HttpsMode.OFF ? "" : ", https=" + https)
        + "]";
  }

  /**
   * Builds a {@link FlatteningPolicy}. Each setting may be set once: setting it again is a
   * mistake and throws, saying what it already was (on a {@link #toBuilder()} copy, each may
   * be overridden once).
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable Scope scope;
    private @Nullable Set<Family> families;
    private @Nullable Long ttlFloor;
    private @Nullable Long ttlCap;
    private @Nullable TtlMode ttlMode;
    private @Nullable Duration maxStale;
    private @Nullable Long staleTtl;
    private @Nullable Integer chainLimit;
    private @Nullable HttpsMode https;
    private final Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String setting, @Nullable Object current) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * Sets which names are flattened.
     *
     * @param value the scope
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder scope(Scope value) {
      once("scope", scope);
      this.scope = Objects.requireNonNull(value, "scope");
      return this;
    }

    /**
     * Sets the address families to synthesize.
     *
     * @param first a family
     * @param more further families
     * @return this builder
     * @throws IllegalArgumentException if {@link Family#HTTPS} is given, which is not an address
     *     family (see {@link #https})
     * @throws IllegalStateException if already set
     */
    public Builder families(Family first, Family... more) {
      once("families", families);
      EnumSet<Family> chosen = EnumSet.of(first, more);
      if (chosen.contains(Family.HTTPS)) {
        throw new IllegalArgumentException(
            "families are address families; HTTPS is flattened with https(HttpsMode.FLATTEN)");
      }
      this.families = chosen;
      return this;
    }

    /**
     * Sets the smallest TTL of synthesized records.
     *
     * @param seconds 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder ttlFloor(long seconds) {
      once("ttlFloor", ttlFloor);
      this.ttlFloor = checkTtl("ttlFloor", seconds);
      return this;
    }

    /**
     * Sets the largest TTL of synthesized records.
     *
     * @param seconds 0 to 2147483647
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder ttlCap(long seconds) {
      once("ttlCap", ttlCap);
      this.ttlCap = checkTtl("ttlCap", seconds);
      return this;
    }

    /**
     * Sets how synthesized TTLs behave between refreshes.
     *
     * @param value the mode
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ttlMode(TtlMode value) {
      once("ttlMode", ttlMode);
      this.ttlMode = Objects.requireNonNull(value, "ttlMode");
      return this;
    }

    /**
     * Sets how long past expiry a last good answer may be served (RFC 8767 §4).
     *
     * @param value zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder maxStale(Duration value) {
      once("maxStale", maxStale);
      if (value.isNegative()) {
        throw new IllegalArgumentException("maxStale is negative: " + value);
      }
      this.maxStale = value;
      return this;
    }

    /**
     * Sets the TTL of stale answers.
     *
     * @param seconds 0 or more
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder staleTtl(long seconds) {
      once("staleTtl", staleTtl);
      this.staleTtl = checkTtl("staleTtl", seconds);
      return this;
    }

    /**
     * Sets the most CNAME/DNAME hops a chain may have.
     *
     * @param hops at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder chainLimit(int hops) {
      once("chainLimit", chainLimit);
      if (hops < 1) {
        throw new IllegalArgumentException("chainLimit must be at least 1: " + hops);
      }
      this.chainLimit = hops;
      return this;
    }

    /**
     * Sets whether alias names without an HTTPS RRset of their own co-publish {@code HTTPS 0
     * <alias target>} (RFC 9460 §2.4.2), in the flattened zone and in live answers alike; off by
     * default.
     *
     * @param value true to co-publish
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder httpsAliasMode(boolean value) {
      return https(value ? HttpsMode.ALIAS_MODE : HttpsMode.OFF);
    }

    /**
     * Sets what alias names do for HTTPS questions; {@link HttpsMode#OFF} by default. Co-publishing
     * AliasMode records and flattening the target's RRset exclude each other: this and {@link
     * #httpsAliasMode} are one setting, and setting it twice throws.
     *
     * @param value the mode
     * @return this builder
     * @throws IllegalStateException if already set (by this or {@link #httpsAliasMode})
     * @since 0.2
     */
    public Builder https(HttpsMode value) {
      once("https", https);
      this.https = Objects.requireNonNull(value, "https");
      return this;
    }

    /**
     * Returns the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if the TTL floor is above the cap
     */
    public FlatteningPolicy build() {
      return new FlatteningPolicy(this);
    }

    private static long checkTtl(String what, long seconds) {
      if (seconds < 0 || seconds > org.xbill.DNS.TTL.MAX_VALUE) {
        throw new IllegalArgumentException(what + " out of range: " + seconds);
      }
      return seconds;
    }
  }
}
