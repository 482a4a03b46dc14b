package org.aliasdns.testkit;

/**
 * How a signed zone of a {@link FakeDns} is broken, so that validating code can be tested on
 * bogus answers as well as secure ones (RFC 4035 §5: a validator must find each of these
 * bogus, and a validating resolver answers SERVFAIL). The trust anchor the fake returns ({@link
 * FakeDns#trustAnchor}) is the one a correct zone would have in every case.
 *
 * @since 0.1
 */
public enum SigningFault {
  /** Signed correctly: answers validate as secure. */
  NONE,
  /**
   * Every signature's validity ended two days before the fake's clock: inception 16 days and 1
   * hour back, expiration 2 days back (RFC 4035 §5.3.1: a validator must reject a signature whose
   * expiration is in the past). Two days is beyond any validator's clock-skew tolerance (at most
   * 1 day by default in Unbound and in alias's resolver).
   */
  EXPIRED_SIGNATURES,
  /**
   * Every RRSIG is left out but those over the apex DNSKEY RRset: the keys validate against the
   * trust anchor, and every other RRset, NSEC and NSEC3 of the zone is unsigned where it must be
   * signed (RFC 4035 §2.2, §5.2).
   */
  MISSING_RRSIGS,
  /**
   * The published DNSKEY RRset (signed by its own keys, matching the trust anchor) is not what
   * signed the rest of the zone: every other RRset is signed by a throwaway key of the same
   * algorithm that is not published, so no RRSIG's key tag matches a DNSKEY (RFC 4035 §5.3.1).
   */
  WRONG_KEY,
  /**
   * Every RRSIG but those over the apex DNSKEY RRset has one bit of its signature flipped: its
   * key tag, algorithm and times are right, so a validator finds the published key and the
   * signature does not verify against it (RFC 4035 §5.3.3), as when data is altered in transit.
   *
   * @since 0.2
   */
  BAD_SIGNATURES
}
