package org.aliasdns.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.aliasdns.core.AliasPublication.Cause;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.FlatteningPolicy.TtlMode;
import org.aliasdns.core.internal.MessageSize;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/** The decision behind {@link AliasPublication#of}, step by step as documented there. */
final class PublicationRule {
  private PublicationRule() {}

  /**
   * The rule, for a resolution known to be of the alias target (or null). Small enough to be
   * inlined where answers are built, so that a fresh publication need not be allocated there;
   * everything but a fresh answer is decided by {@link #notFresh}.
   */
  static AliasPublication decide(
      Alias alias,
      Family family,
      @Nullable Resolution resolution,
      FlatteningPolicy policy,
      @Nullable AliasPublication previous,
      Instant now) {
    Objects.requireNonNull(now, "now");
    if (previous != null
        && (previous.family() != family || !previous.owner().equals(alias.owner()))) {
      throw new IllegalArgumentException(
          "the previous publication is of " + previous.owner() + " " + previous.family()
              + ", not " + alias.owner() + " " + family);
    }
    if (resolution instanceof Resolution.Answer answer
        && answer.chain().size() <= policy.chainLimit()
        && (family != Family.HTTPS || tooLarge(alias.owner(), answer) == null)) {
      return new AliasPublication.Fresh(
          alias.owner(), family, answer, freshTtl(alias, answer, policy, now));
    }
    return notFresh(alias, family, resolution, policy, previous, now);
  }

  private static AliasPublication notFresh(
      Alias alias,
      Family family,
      @Nullable Resolution resolution,
      FlatteningPolicy policy,
      @Nullable AliasPublication previous,
      Instant now) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(policy, "policy");
    Name target = alias.target();
    if (previous != null && !previous.target().equals(target)) {
      previous = null; // another target's outcome is no fallback for this one
    }
    if (resolution == null) {
      return fallback(alias, family, policy, previous, null, now,
          new Cause(Cause.Kind.MISSING_RESULT, List.of(), "no result"));
    }
    if (resolution instanceof Resolution.Answer answer
        && answer.chain().size() <= policy.chainLimit()) {
      // Only an HTTPS RRset too large for any message gets here (see decide).
      return fallback(alias, family, policy, previous, null, now,
          new Cause(Cause.Kind.TOO_LARGE, answer.chain(),
              Objects.requireNonNull(tooLarge(alias.owner(), answer))));
    }
    if (resolution instanceof Resolution.Answer answer) { // over the chain limit
      return fallback(alias, family, policy, previous, null, now,
          new Cause(Cause.Kind.CHAIN_TOO_LONG, answer.chain(), tooLong(answer.chain(), policy)));
    }
    if (resolution instanceof Resolution.NxDomain || resolution instanceof Resolution.NoData) {
      Instant expires = expiry(resolution);
      if (now.isAfter(expires)) {
        // RFC 8767 §4: a negative answer past its TTL, not confirmed since (a resolver serving
        // it stale): kept while max stale allows, with EDE 19 live, then unresolved.
        return fallback(alias, family, policy, previous, resolution, now,
            new Cause(Cause.Kind.UPSTREAM_FAILURE, resolution.chain(),
                "not confirmed since it expired at " + expires));
      }
      Resolution.Answer aliasModeEnd =
          family == Family.HTTPS ? aliasModeEnd(resolution) : null;
      if (aliasModeEnd != null) {
        return new AliasPublication.Fresh(
            alias.owner(), family, aliasModeEnd, freshTtl(alias, aliasModeEnd, policy, now));
      }
      long ttl = policy.clamp(Math.min(alias.ttl(), negativeTtl(resolution)));
      return new AliasPublication.NoAddresses(alias.owner(), family, resolution, ttl, null);
    }
    if (resolution instanceof Resolution.Failure failure) {
      Resolution.Answer stale = failure.stale();
      if (stale != null && family == Family.HTTPS && tooLarge(alias.owner(), stale) != null) {
        stale = null; // never published, stale or not
      }
      // RFC 4035 §4.3: bogus data is a failure like any other (stale data if any), told apart.
      Cause cause =
          switch (failure.kind()) {
            // RFC 8914 §4.8/§4.9: told apart from other bogus answers by their EDE.
            case SIGNATURE_EXPIRED -> new Cause(Cause.Kind.DNSSEC_SIGNATURE_EXPIRED,
                failure.chain(), "DNSSEC bogus: " + failure.reason());
            case SIGNATURE_NOT_YET_VALID -> new Cause(Cause.Kind.DNSSEC_SIGNATURE_NOT_YET_VALID,
                failure.chain(), "DNSSEC bogus: " + failure.reason());
            case BOGUS -> new Cause(Cause.Kind.DNSSEC_BOGUS, failure.chain(), "DNSSEC bogus: "
                + failure.reason());
            // RFC 1035 §4.2.2: the answer came but cannot be published (signed, it fits no
            // message): not an upstream failure.
            case TOO_LARGE -> new Cause(Cause.Kind.TOO_LARGE, failure.chain(), failure.reason());
            default -> new Cause(Cause.Kind.UPSTREAM_FAILURE, failure.chain(),
                "upstream failure: " + failure.reason());
          };
      return fallback(alias, family, policy, previous, stale, now, cause);
    }
    if (resolution instanceof Resolution.Loop) {
      return fallback(alias, family, policy, previous, null, now,
          new Cause(Cause.Kind.LOOP, resolution.chain(),
              "the chain loops back to " + loopStart(resolution.chain())));
    }
    // The sealed family leaves only ChainTooLong.
    return fallback(alias, family, policy, previous, null, now,
        new Cause(Cause.Kind.CHAIN_TOO_LONG, resolution.chain(),
            tooLong(resolution.chain(), policy)));
  }

  /**
   * The published TTL of fresh addresses: {@link FlatteningPolicy#ttl}, and under countdown
   * what is left of it at {@code now}, clamped again so that the floor holds on every path.
   */
  private static long freshTtl(
      Alias alias, Resolution.Answer answer, FlatteningPolicy policy, Instant now) {
    long ttl = policy.ttl(alias.ttl(), answer);
    if (policy.ttlMode() == TtlMode.COUNTDOWN) {
      long elapsed = Math.max(0, Duration.between(answer.obtained(), now).getSeconds());
      ttl = policy.clamp(Math.max(0, ttl - elapsed));
    }
    return ttl;
  }

  /**
   * RFC 8767 §4: the later-obtained of the resolver's stale answer and the previous
   * publication's last good outcome, while within max stale; else unresolved.
   */
  private static AliasPublication fallback(
      Alias alias,
      Family family,
      FlatteningPolicy policy,
      @Nullable AliasPublication previous,
      @Nullable Resolution resolverStale,
      Instant now,
      Cause cause) {
    Resolution fromPrevious = lastGood(previous);
    Resolution keep = later(usable(fromPrevious, policy, now), usable(resolverStale, policy, now));
    if (keep == null) {
      boolean expired = fromPrevious != null || resolverStale != null;
      return new AliasPublication.Unresolved(
          alias.owner(), family, alias.target(), cause, expired);
    }
    long ttl = staleTtl(expiry(keep), policy, now);
    if (keep instanceof Resolution.Answer answer) {
      return new AliasPublication.Stale(alias.owner(), family, answer, ttl, cause);
    }
    return new AliasPublication.NoAddresses(alias.owner(), family, keep, ttl, cause);
  }

  /** The last good outcome a previous publication holds: its addresses or negative answer. */
  private static @Nullable Resolution lastGood(@Nullable AliasPublication previous) {
    if (previous instanceof AliasPublication.Fresh fresh) {
      return fresh.answer();
    }
    if (previous instanceof AliasPublication.Stale stale) {
      return stale.answer();
    }
    if (previous instanceof AliasPublication.NoAddresses none) {
      return none.negative();
    }
    return null;
  }

  private static @Nullable Resolution usable(
      @Nullable Resolution candidate, FlatteningPolicy policy, Instant now) {
    return candidate != null && policy.withinMaxStale(expiry(candidate), now) ? candidate : null;
  }

  /** The later-obtained of two candidates; on a tie, the previous publication's. */
  private static @Nullable Resolution later(
      @Nullable Resolution previous, @Nullable Resolution resolverStale) {
    if (previous == null) {
      return resolverStale;
    }
    if (resolverStale == null) {
      return previous;
    }
    return resolverStale.obtained().isAfter(previous.obtained()) ? resolverStale : previous;
  }

  /** RFC 8767 §4: the stale TTL, never past the end of the max-stale window. */
  private static long staleTtl(Instant expiry, FlatteningPolicy policy, Instant now) {
    long left = Duration.between(now, expiry.plus(policy.maxStale())).getSeconds();
    return Math.max(0, Math.min(policy.staleTtl(), left));
  }

  private static Instant expiry(Resolution lastGood) {
    if (lastGood instanceof Resolution.Answer answer) {
      return FlatteningPolicy.expiryOf(answer);
    }
    return lastGood.obtained().plusSeconds(negativeTtl(lastGood));
  }

  /** The negative TTL of an NXDOMAIN or NODATA outcome (RFC 2308 §5). */
  static long negativeTtl(Resolution negative) {
    if (negative instanceof Resolution.NxDomain nx) {
      return nx.negativeTtl();
    }
    if (negative instanceof Resolution.NoData noData) {
      return noData.negativeTtl();
    }
    throw new IllegalArgumentException("not a negative resolution: " + negative);
  }

  /**
   * RFC 9460 §2.4.2: an HTTPS chain that went through an AliasMode record and ends without HTTPS
   * records sends the client to the addresses of that record's TargetName, not to the alias
   * name's own (which are the alias target's A/AAAA). So such a negative answer becomes an
   * answer of one AliasMode record, {@code HTTPS 0 <TargetName>}, owned by the last AliasMode
   * record's owner, its TTL the minimum over that hop and every hop after it; the hops before it
   * stay the chain. Null if the chain holds no AliasMode hop.
   */
  private static Resolution.@Nullable Answer aliasModeEnd(Resolution negative) {
    List<Hop> chain = negative.chain();
    int last = -1;
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i).kind() == Hop.Kind.ALIAS_MODE) {
        last = i;
      }
    }
    if (last < 0) {
      return null;
    }
    Hop hop = chain.get(last);
    long ttl = hop.ttl();
    for (int i = last + 1; i < chain.size(); i++) {
      ttl = Math.min(ttl, chain.get(i).ttl());
    }
    Record record =
        new HTTPSRecord(hop.owner(), DClass.IN, ttl, 0, hop.target(), List.of());
    return new Resolution.Answer(
        negative.target(),
        negative.type(),
        chain.subList(0, last),
        RecordSet.of(List.of(record)),
        negative.obtained());
  }

  /**
   * Why the HTTPS RRset of an answer, once owned by the alias name (its ServiceMode "." made
   * explicit, which can make each record longer), can never be answered: the smallest response
   * that carries it whole would be larger than a DNS message can be (RFC 1035 §4.2.2), the
   * check {@code ZoneFileReader} applies to a zone file's RRsets. Null if it fits.
   */
  static @Nullable String tooLarge(Name owner, Resolution.Answer answer) {
    Name end = answer.records().owner();
    long rdata = 0;
    for (Record r : answer.records()) {
      rdata += r.rdataToWireCanonical().length;
      if (r instanceof SVCBBase service
          && service.getSvcPriority() != 0
          && service.getTargetName().equals(Name.root)) {
        rdata += end.length() - 1L; // RFC 9460 §2.5.2: "." (1 octet) becomes the owner's name
      }
    }
    int records = answer.records().size();
    long bytes = MessageSize.ofRRset(owner, records, rdata);
    if (bytes <= MessageSize.MAX_MESSAGE) {
      return null;
    }
    return Type.string(answer.records().type()) + " RRset at " + owner + " (" + records
        + (records == 1 ? " record" : " records") + ") would need a message of " + bytes
        + " bytes; at most " + MessageSize.MAX_MESSAGE
        + " fit in one (RFC 1035 §4.2.2), so it can never be answered";
  }

  private static String tooLong(List<Hop> chain, FlatteningPolicy policy) {
    // A resolver stops at the limit: then all that is known is that the chain goes on.
    return "the chain has "
        + (chain.size() > policy.chainLimit()
            ? chain.size() + " hops"
            : "more than " + policy.chainLimit() + " hops")
        + ", over the limit of "
        + policy.chainLimit();
  }

  private static String loopStart(List<Hop> chain) {
    return chain.isEmpty() ? "itself" : chain.get(chain.size() - 1).target().toString();
  }
}
