package org.aliasdns.resolver;

/**
 * The DNSSEC security status of a lookup, in the words of RFC 4033 §5 and RFC 4035 §4.3. A
 * CNAME, DNAME or AliasMode chain is as secure as its weakest hop: one insecure hop makes the
 * lookup insecure, one bogus hop makes it bogus.
 *
 * <p>A resolver built without {@link AliasResolver.Builder#trustAnchors trust anchors} validates
 * nothing, and every lookup is {@link #INDETERMINATE}: the RFC's default operating mode.
 *
 * @since 0.2
 */
public enum Security {
  /**
   * Every RRset of the chain, and every proof of its end, was validated from a trust anchor
   * (RFC 4035 §4.3: "an unbroken chain of signed DNSKEY and DS RRs").
   */
  SECURE,
  /**
   * Validated as unsigned, or not covered by any trust anchor: the chain of trust proves (an
   * NSEC or NSEC3 proof of no DS at a delegation) that some hop's zone is unsigned, or no anchor
   * is above it. dnsjava's validator reports both the same way, so both are insecure here; the
   * data is published.
   */
  INSECURE,
  /**
   * Not validated: the resolver has no trust anchor (RFC 4033 §5: "the default operating mode"),
   * or the upstream failed before there was anything to validate.
   */
  INDETERMINATE,
  /**
   * The data failed validation: a signature expired or made by an unknown key, an RRSIG or a
   * denial proof missing under a signed delegation (RFC 4035 §5.5). Always a {@link
   * org.aliasdns.core.Resolution.Failure} of kind {@link
   * org.aliasdns.core.Resolution.Failure.Kind#BOGUS}; never published, never cached.
   */
  BOGUS;

  /**
   * Returns the weaker of this status and another: what a chain made of both is.
   *
   * @param other the other hop's status
   * @return {@link #BOGUS} over {@link #INDETERMINATE} over {@link #INSECURE} over {@link
   *     #SECURE}
   */
  public Security weakest(Security other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
