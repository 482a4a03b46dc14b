package org.aliasdns.core.dnssec;

import java.time.Instant;
import org.aliasdns.core.Zone;

/**
 * The result of one {@link ZoneSigner} run: the signed zone, the unsigned zone it was made
 * from (the next run compares against it), its serial, and how many signatures the run made and
 * kept. Immutable.
 *
 * @since 0.1
 */
public final class SignedZone {
  private final Zone zone;
  private final Zone source;
  private final long serial;
  private final Instant signedAt;
  private final int signaturesMade;
  private final int signaturesKept;
  private final boolean changed;
  private final Instant refreshAt;
  private final Instant expiresAt;
  private final int publishedSets;

  SignedZone(
      Zone zone,
      Zone source,
      long serial,
      Instant signedAt,
      int signaturesMade,
      int signaturesKept,
      boolean changed,
      Instant refreshAt,
      Instant expiresAt,
      int publishedSets) {
    this.zone = zone;
    this.source = source;
    this.serial = serial;
    this.signedAt = signedAt;
    this.signaturesMade = signaturesMade;
    this.signaturesKept = signaturesKept;
    this.changed = changed;
    this.refreshAt = refreshAt;
    this.expiresAt = expiresAt;
    this.publishedSets = publishedSets;
  }

  /**
   * Returns the signed zone: the source's RRsets (the SOA with {@link #serial()}), the DNSKEY
   * RRset at the apex, RRSIGs over every authoritative RRset, and the NSEC or NSEC3 chain (with
   * NSEC3PARAM at the apex).
   *
   * @return the zone to publish
   */
  public Zone zone() {
    return zone;
  }

  /**
   * Returns the unsigned zone this was signed from, as given to the signer.
   *
   * @return the source zone
   */
  public Zone source() {
    return source;
  }

  /**
   * Returns the SOA serial of the signed zone.
   *
   * @return 0 to 4294967295
   */
  public long serial() {
    return serial;
  }

  /**
   * Returns the "now" of the run that made this.
   *
   * @return the instant given to the signer
   */
  public Instant signedAt() {
    return signedAt;
  }

  /**
   * Returns how many RRSIG records this run made.
   *
   * @return the count; 0 when nothing changed and nothing was due for renewal
   */
  public int signaturesMade() {
    return signaturesMade;
  }

  /**
   * Returns how many RRSIG records were kept from the previous run.
   *
   * @return the count; 0 on a first run
   */
  public int signaturesKept() {
    return signaturesKept;
  }

  /**
   * Tells whether the signed zone differs from the previous run's (always true on a first
   * run): exactly when the serial moved, and when secondaries should be sent a NOTIFY.
   *
   * @return true if the published content changed
   */
  public boolean changed() {
    return changed;
  }

  /**
   * Returns when the earliest signature enters the refresh window: the latest time to run
   * {@link ZoneSigner#refresh} again.
   *
   * @return the earliest expiration minus the policy's refresh window
   */
  public Instant refreshAt() {
    return refreshAt;
  }

  /**
   * Returns when the earliest signature of the zone expires (the least RRSIG expiration, RFC
   * 4034 §3.1.5): past it, validators find that RRset bogus unless the zone was signed again.
   *
   * @return the earliest signature expiration
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  int publishedSets() {
    return publishedSets;
  }

  /** Returns a short description: origin, serial, counts. */
  @Override
  public String toString() {
    return "SignedZone[" + zone.origin() + ", serial " + serial + (changed ? " (changed)" : "")
        + ", " + signaturesMade + " signatures made, " + signaturesKept + " kept, refresh by "
        + refreshAt + "]";
  }
}
