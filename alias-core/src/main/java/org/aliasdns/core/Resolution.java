package org.aliasdns.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What chasing one alias target for one address family found: the closed family of outcomes.
 * The resolver produces these; flattening and answering consume them. NXDOMAIN and NODATA are
 * outcomes like any other, not errors.
 *
 * <p>Every outcome names the target that was asked, the type (A or AAAA), the chain of hops
 * followed from the target (empty if the target itself held the answer) and when it was
 * obtained.
 *
 * <p>The same outcomes describe resolving a name's SVCB or HTTPS RRset (RFC 9460), whose chain
 * may also hold {@link Hop.Kind#ALIAS_MODE} hops; there, an {@link Answer} holds the ServiceMode
 * records at the end of the chain, or the AliasMode record whose TargetName is "." (RFC 9460
 * §2.5.1: the service is not available).
 *
 * @since 0.1
 */
public sealed interface Resolution
    permits Resolution.Answer,
        Resolution.NoData,
        Resolution.NxDomain,
        Resolution.Failure,
        Resolution.Loop,
        Resolution.ChainTooLong {

  /**
   * Returns the alias target that was resolved.
   *
   * @return the absolute target name
   */
  Name target();

  /**
   * Returns the type asked for.
   *
   * @return {@link Type#A} or {@link Type#AAAA}; {@link Type#SVCB} or {@link Type#HTTPS} for a
   *     service binding's resolution
   */
  int type();

  /**
   * Returns the hops followed from the target, in order.
   *
   * @return an unmodifiable list, empty if the target held the answer
   */
  List<Hop> chain();

  /**
   * Returns when this outcome was obtained from upstream.
   *
   * @return the instant
   */
  Instant obtained();

  /**
   * The chain ended in address records.
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops from the target
   * @param records the final address RRset (owned by the last name of the chain)
   * @param obtained when it was obtained
   */
  record Answer(Name target, int type, List<Hop> chain, RecordSet records, Instant obtained)
      implements Resolution {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the records are not of the asked type
     */
    public Answer {
      chain = checked(target, type, chain, obtained);
      if (records.type() != type) {
        throw new IllegalArgumentException(
            "answer records are " + Type.string(records.type()) + ", asked " + Type.string(type));
      }
    }

    /**
     * Returns the smallest TTL over the chain and the final RRset; the alias record's own TTL
     * and the policy's floor and cap are applied by {@link FlatteningPolicy#ttl}.
     *
     * @return the TTL in seconds
     */
    public long chainTtl() {
      long ttl = records.ttl();
      for (Hop hop : chain) {
        ttl = Math.min(ttl, hop.ttl());
      }
      return ttl;
    }

    /**
     * Returns the address records.
     *
     * @return the records of the final RRset
     */
    public List<Record> addresses() {
      return records.records();
    }
  }

  /**
   * The last name of the chain exists but has no records of the asked type (RFC 2308 §2.2).
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops from the target
   * @param negativeTtl how long this may be cached: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)
   * @param obtained when it was obtained
   */
  record NoData(Name target, int type, List<Hop> chain, long negativeTtl, Instant obtained)
      implements Resolution {
    /** Checks the values. */
    public NoData {
      chain = checked(target, type, chain, obtained);
    }
  }

  /**
   * The last name of the chain does not exist (RFC 2308 §2.1; RFC 6604 for chains).
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops from the target
   * @param negativeTtl how long this may be cached: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)
   * @param obtained when it was obtained
   */
  record NxDomain(Name target, int type, List<Hop> chain, long negativeTtl, Instant obtained)
      implements Resolution {
    /** Checks the values. */
    public NxDomain {
      chain = checked(target, type, chain, obtained);
    }
  }

  /**
   * Upstream could not answer: SERVFAIL, REFUSED, a timeout, a malformed or lying response.
   * {@link #kind()} says which, for a program to act on; {@link #reason()} says it in words, for
   * people.
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops followed before the failure
   * @param kind what failed
   * @param reason what went wrong, for logs
   * @param obtained when the failure happened
   * @param stale the last good answer, if the resolver still holds one (RFC 8767), else null
   */
  record Failure(
      Name target,
      int type,
      List<Hop> chain,
      Kind kind,
      String reason,
      Instant obtained,
      @Nullable Answer stale)
      implements Resolution {
    /** Checks the values. */
    public Failure {
      chain = checked(target, type, chain, obtained);
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }

    /**
     * Makes a failure of kind {@link Kind#OTHER}: the shape from before failures had kinds,
     * kept for callers (mostly tests) to whom the kind does not matter.
     *
     * @param target the alias target
     * @param type A or AAAA
     * @param chain the hops followed before the failure
     * @param reason what went wrong, for logs
     * @param obtained when the failure happened
     * @param stale the last good answer, or null
     */
    public Failure(
        Name target, int type, List<Hop> chain, String reason, Instant obtained,
        @Nullable Answer stale) {
      this(target, type, chain, Kind.OTHER, reason, obtained, stale);
    }

    /**
     * Returns this failure carrying another last good answer.
     *
     * @param answer the last good answer, or null for none
     * @return a failure equal to this one but for {@link #stale()}
     */
    public Failure withStale(@Nullable Answer answer) {
      return new Failure(target, type, chain, kind, reason, obtained, answer);
    }

    /**
     * What failed when an upstream query brought no usable answer: a closed set a program can
     * switch on (retry, alert, count), where {@link Failure#reason()} is the same in words.
     *
     * @since 0.1
     */
    public enum Kind {
      /** No response within the query timeout (a dropped query, a server that is down). */
      TIMEOUT,
      /** The upstream answered SERVFAIL (RFC 1035 §4.1.1): its own lookup failed. */
      SERVFAIL,
      /** The upstream answered REFUSED (RFC 1035 §4.1.1): it will not answer us. */
      REFUSED,
      /** The upstream answered another error code: FORMERR, NOTIMP, YXDOMAIN, ... */
      RCODE,
      /**
       * The response does not parse, or its chain contradicts itself (a CNAME beside the asked
       * type or two CNAMEs at one owner, RFC 2181 §10.1; a DNAME substitution too long, RFC
       * 6672 §2.2).
       */
      MALFORMED,
      /**
       * The response is not an answer to the query: another message id, another question, or
       * not a response at all (RFC 5452 §9.1: a spoofing attempt looks like this).
       */
      MISMATCHED,
      /** The response was truncated (TC) and no complete one came (RFC 7766 §5). */
      TRUNCATED,
      /** The query could not be sent or its response received: unreachable, reset, closed. */
      NETWORK,
      /**
       * Nothing was sent: too many upstream queries were in flight and waiting already, and
       * the resolver refused to queue more rather than grow without bound.
       */
      OVERLOADED,
      /**
       * The response failed DNSSEC validation against the resolver's trust anchors: bogus (RFC
       * 4033 §5, RFC 4035 §4.3): a signature expired or made by the wrong key, an RRSIG or a
       * denial proof missing where the chain of trust says the data is signed. Never published.
       *
       * @since 0.2
       */
      BOGUS,
      /**
       * Bogus (see {@link #BOGUS}) because a signature the answer needs expired longer ago than
       * the validator's clock-skew tolerance (RFC 4035 §5.3.1); answered live with EDE 7,
       * Signature Expired (RFC 8914 §4.8). Never published.
       *
       * @since 0.2
       */
      SIGNATURE_EXPIRED,
      /**
       * Bogus (see {@link #BOGUS}) because a signature the answer needs is not valid until
       * later than the validator's clock-skew tolerance allows (RFC 4035 §5.3.1); answered live
       * with EDE 8, Signature Not Yet Valid (RFC 8914 §4.9). Never published.
       *
       * @since 0.2
       */
      SIGNATURE_NOT_YET_VALID,
      /**
       * Not a resolver's failure: the answer came, but what it would publish at the alias name
       * fits no DNS message (RFC 1035 §4.2.2), as a signing server finds when the RRset with
       * its RRSIGs is over 65,535 bytes. Such a server hands its flattening a failure of this
       * kind for that target, so that the alias falls back as for any failure; answered live
       * with EDE 0 (Other) and the reason, not as an upstream failure.
       *
       * @since 0.2
       */
      TOO_LARGE,
      /** A fault in the resolver itself or in code it called: a bug to report. */
      INTERNAL,
      /** None of the above, or made by code that does not say. */
      OTHER;

      /**
       * Returns whether this failure is DNSSEC bogus (RFC 4035 §4.3): {@link #BOGUS}, {@link
       * #SIGNATURE_EXPIRED} or {@link #SIGNATURE_NOT_YET_VALID}.
       *
       * @return true for the three bogus kinds
       * @since 0.2
       */
      public boolean isBogus() {
        return this == BOGUS || this == SIGNATURE_EXPIRED || this == SIGNATURE_NOT_YET_VALID;
      }
    }
  }

  /**
   * The chain came back to a name it had visited: a configuration error.
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops, the last of which closes the loop
   * @param obtained when it was found
   */
  record Loop(Name target, int type, List<Hop> chain, Instant obtained) implements Resolution {
    /** Checks the values. */
    public Loop {
      chain = checked(target, type, chain, obtained);
    }
  }

  /**
   * The chain was longer than the policy's limit: a configuration error.
   *
   * @param target the alias target
   * @param type A or AAAA
   * @param chain the hops followed up to the limit
   * @param obtained when it was found
   */
  record ChainTooLong(Name target, int type, List<Hop> chain, Instant obtained)
      implements Resolution {
    /** Checks the values. */
    public ChainTooLong {
      chain = checked(target, type, chain, obtained);
    }
  }

  private static List<Hop> checked(Name target, int type, List<Hop> chain, Instant obtained) {
    Objects.requireNonNull(obtained, "obtained");
    if (!target.isAbsolute()) {
      throw new IllegalArgumentException("target must be absolute: " + target);
    }
    if (type != Type.A && type != Type.AAAA && type != Type.SVCB && type != Type.HTTPS) {
      throw new IllegalArgumentException(
          "resolutions are for A, AAAA, SVCB or HTTPS, not " + Type.string(type));
    }
    return List.copyOf(chain);
  }
}
