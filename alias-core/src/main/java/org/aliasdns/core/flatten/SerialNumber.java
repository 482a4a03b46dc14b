package org.aliasdns.core.flatten;

/**
 * SOA serial arithmetic over 32-bit unsigned serial numbers (RFC 1982), as secondaries apply it
 * to decide whether a zone is newer (RFC 1034 §4.3.5).
 */
final class SerialNumber {
  private static final long MODULUS = 1L << 32;
  private static final long HALF = 1L << 31;

  private SerialNumber() {}

  /**
   * Adds one to a serial, wrapping from 4294967295 to 0 (RFC 1982 §3.1: addition modulo 2^32).
   *
   * @param serial a serial in 0..2^32-1
   * @return the next serial
   */
  static long next(long serial) {
    return (check(serial) + 1) % MODULUS;
  }

  /**
   * Tells whether one serial is greater than another in sequence-space arithmetic (RFC 1982
   * §3.2). Serials exactly 2^31 apart are not comparable; neither is then greater.
   *
   * @param a a serial
   * @param b another serial
   * @return true if a is greater than b
   */
  static boolean isGreater(long a, long b) {
    check(a);
    check(b);
    return (a < b && b - a > HALF) || (a > b && a - b < HALF);
  }

  private static long check(long serial) {
    if (serial < 0 || serial >= MODULUS) {
      throw new IllegalArgumentException("serial out of range: " + serial);
    }
    return serial;
  }
}
