package org.aliasdns.core.dnssec;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key's timing metadata, as BIND's {@code dnssec-keygen} and {@code dnssec-settime} write it
 * ({@link KeyFiles#timing}): when its DNSKEY is published and withdrawn, and when it starts and
 * stops making signatures (RFC 7583 §3.1's Publish, Active, Retire and Removed events, named as
 * BIND names them). An absent time sets no bound.
 *
 * <p>A {@link ZoneSigner} given timings ({@link ZoneSigner#withTiming}) follows them at each
 * run: a key signs only from its Activate time until its Inactive time, and its DNSKEY is in the
 * zone from its Publish time until its Delete time.
 *
 * @param publish when the DNSKEY is first published, or null (at once)
 * @param activate when the key starts signing, or null (at once)
 * @param inactive when the key stops making signatures (BIND's Inactive; a Revoke time counts
 *     as this too), or null (never)
 * @param delete when the DNSKEY is withdrawn (BIND's Delete), or null (never)
 * @since 0.2
 */
public record KeyTiming(
    @Nullable Instant publish,
    @Nullable Instant activate,
    @Nullable Instant inactive,
    @Nullable Instant delete) {
  /** No bounds: the key is published and signs at every time. */
  public static final KeyTiming NONE = new KeyTiming(null, null, null, null);

  /**
   * Tells whether the key may make signatures at a time: at or after Activate and before
   * Inactive, and only while its DNSKEY is published (from Publish, before Delete): a key whose
   * DNSKEY is not in the zone makes signatures no validator could check (RFC 4035 §5.3.1), so a
   * Publish time after Activate, which RFC 7583 §3.1 does not allow, delays the signing too.
   *
   * @param now the time
   * @return true if it signs at that time
   */
  public boolean signsAt(Instant now) {
    return publishedAt(now)
        && (activate == null || !activate.isAfter(now))
        && (inactive == null || inactive.isAfter(now));
  }

  /**
   * Tells whether the key is past its Delete time at a time: its DNSKEY withdrawn for good.
   *
   * @param now the time
   * @return true if it has a Delete time not after {@code now}
   */
  public boolean deletedAt(Instant now) {
    return delete != null && !delete.isAfter(now);
  }

  /**
   * Tells whether the key's DNSKEY is in the zone at a time: at or after Publish and before
   * Delete.
   *
   * @param now the time
   * @return true if it is published at that time
   */
  public boolean publishedAt(Instant now) {
    return (publish == null || !publish.isAfter(now)) && (delete == null || delete.isAfter(now));
  }

  /**
   * Returns the first of this key's times that is after a given time: when what it does next
   * changes.
   *
   * @param now the time
   * @return the next Publish, Activate, Inactive or Delete time after now, or empty (as for a
   *     key already deleted, which nothing changes any more)
   */
  public Optional<Instant> nextAfter(Instant now) {
    if (deletedAt(now)) {
      return Optional.empty();
    }
    Instant next = sooner(null, publish, now);
    next = sooner(next, activate, now);
    next = sooner(next, inactive, now);
    return Optional.ofNullable(sooner(next, delete, now));
  }

  private static @Nullable Instant sooner(
      @Nullable Instant best, @Nullable Instant t, Instant now) {
    if (t == null || !t.isAfter(now)) {
      return best;
    }
    return best == null || t.isBefore(best) ? t : best;
  }
}
