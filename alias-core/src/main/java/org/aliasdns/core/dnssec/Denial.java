package org.aliasdns.core.dnssec;

import java.util.HexFormat;
import java.util.Locale;

/**
 * How a signed zone proves that a name or type does not exist: by NSEC (RFC 4034 §4, RFC 4035
 * §2.3) or by hashed NSEC3 (RFC 5155). A closed family.
 *
 * @since 0.1
 */
public sealed interface Denial {
  /**
   * Returns NSEC denial.
   *
   * @return the NSEC mode
   */
  static Denial nsec() {
    return Nsec.INSTANCE;
  }

  /**
   * Returns NSEC3 denial with the parameters RFC 9276 §3.1 asks for: no extra iterations, an
   * empty salt, no opt-out.
   *
   * @return the NSEC3 mode
   */
  static Nsec3 nsec3() {
    return new Nsec3(0, "", false);
  }

  /**
   * NSEC: each name (and delegation point) points to the next in canonical order, with the
   * types it holds; the zone's names can be listed by walking the chain.
   */
  enum Nsec implements Denial {
    /** The one NSEC mode. */
    INSTANCE;

    @Override
    public String toString() {
      return "NSEC";
    }
  }

  /**
   * NSEC3 (RFC 5155) with SHA-1 owner hashes.
   *
   * @param iterations extra hash iterations (RFC 9276 §3.1: 0; validators may treat more than
   *     a few as insecure, RFC 9276 §3.2)
   * @param salt the salt in hex, empty for none (RFC 9276 §3.1 advises none)
   * @param optOut whether insecure delegations (NS without DS) are left out of the chain (RFC
   *     5155 §6); the NSEC3 records then carry the Opt-Out flag
   */
  record Nsec3(int iterations, String salt, boolean optOut) implements Denial {
    /** Most iterations accepted (RFC 5155 §10.3 caps them at 2500 for 4096-bit keys). */
    public static final int MAX_ITERATIONS = 2500;

    /**
     * Checks the parameters.
     *
     * @throws IllegalArgumentException if iterations are negative or above {@value
     *     #MAX_ITERATIONS}, or the salt is not hex of at most 255 bytes
     */
    public Nsec3 {
      if (iterations < 0 || iterations > MAX_ITERATIONS) {
        throw new IllegalArgumentException(
            "NSEC3 iterations must be 0 to " + MAX_ITERATIONS + ", not " + iterations);
      }
      salt = salt.equals("-") ? "" : salt.toLowerCase(Locale.ROOT);
      if (salt.length() % 2 != 0 || salt.length() > 510 || !salt.chars().allMatch(Nsec3::isHex)) {
        throw new IllegalArgumentException(
            "NSEC3 salt must be hex of at most 255 bytes, or empty: '" + salt + "'");
      }
    }

    private static boolean isHex(int c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /**
     * Returns these parameters with opt-out set.
     *
     * @param optOut whether insecure delegations are left out of the chain
     * @return the parameters
     */
    public Nsec3 withOptOut(boolean optOut) {
      return new Nsec3(iterations, salt, optOut);
    }

    /**
     * Returns the salt bytes.
     *
     * @return a new array, empty for no salt
     */
    public byte[] saltBytes() {
      return HexFormat.of().parseHex(salt);
    }

    /** Returns {@code NSEC3 iterations salt}, with {@code -} for no salt, and opt-out if set. */
    @Override
    public String toString() {
      return "NSEC3 " + iterations + " " + (salt.isEmpty() ? "-" : salt) + (optOut ? " opt-out" : "");
    }
  }
}
