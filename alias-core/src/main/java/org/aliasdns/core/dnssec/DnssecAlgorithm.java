package org.aliasdns.core.dnssec;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Locale;
import org.xbill.DNS.DNSSEC;

/**
 * The DNSSEC signing algorithms this library reads, generates and signs with (RFC 8624 §3.1
 * lists them as MUST or RECOMMENDED for signing).
 *
 * @since 0.1
 */
public enum DnssecAlgorithm {
  /** RSA/SHA-256 (RFC 5702), algorithm 8. */
  RSASHA256(DNSSEC.Algorithm.RSASHA256, "RSASHA256"),
  /** ECDSA on P-256 with SHA-256 (RFC 6605), algorithm 13: the default. */
  ECDSAP256SHA256(DNSSEC.Algorithm.ECDSAP256SHA256, "ECDSAP256SHA256"),
  /** Ed25519 (RFC 8080), algorithm 15; the JDK has it from Java 15. */
  ED25519(DNSSEC.Algorithm.ED25519, "ED25519");

  /** The RSA modulus length {@link #generateKeyPair} uses, in bits (RFC 8624 §3.1 advice). */
  public static final int RSA_BITS = 2048;

  private final int number;
  private final String mnemonic;

  DnssecAlgorithm(int number, String mnemonic) {
    this.number = number;
    this.mnemonic = mnemonic;
  }

  /**
   * Returns the algorithm number of the DNSKEY and RRSIG rdata (RFC 4034 Appendix A.1).
   *
   * @return 8, 13 or 15
   */
  public int number() {
    return number;
  }

  /**
   * Returns the mnemonic BIND writes in a private-key file, e.g. {@code ECDSAP256SHA256}.
   *
   * @return the mnemonic
   */
  public String mnemonic() {
    return mnemonic;
  }

  /**
   * Returns the algorithm of a number.
   *
   * @param number an algorithm number
   * @return the algorithm
   * @throws IllegalArgumentException if it is not 8, 13 or 15
   */
  public static DnssecAlgorithm ofNumber(int number) {
    for (DnssecAlgorithm a : values()) {
      if (a.number == number) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unsupported DNSSEC algorithm " + number + " (supported: 8 RSASHA256, 13 ECDSAP256SHA256,"
            + " 15 ED25519)");
  }

  /**
   * Returns the algorithm a name or number stands for, as a user writes it: {@code 13}, {@code
   * ECDSAP256SHA256}, {@code ecdsap256sha256}, {@code ed25519}.
   *
   * @param text the number or mnemonic, in any case
   * @return the algorithm
   * @throws IllegalArgumentException if the text names no supported algorithm
   */
  public static DnssecAlgorithm parse(String text) {
    String t = text.trim();
    if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() < 4) {
      return ofNumber(Integer.parseInt(t));
    }
    for (DnssecAlgorithm a : values()) {
      if (a.mnemonic.equals(t.toUpperCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown DNSSEC algorithm '" + text + "' (use 8/RSASHA256, 13/ECDSAP256SHA256 or"
            + " 15/ED25519)");
  }

  /**
   * Generates a new key pair with the JDK's crypto provider.
   *
   * @param random the randomness source
   * @return the key pair: P-256 for 13, Ed25519 for 15, {@value #RSA_BITS}-bit RSA with
   *     exponent 65537 for 8
   * @throws IllegalStateException if the JDK lacks the algorithm
   */
  KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator;
      switch (this) {
        case ECDSAP256SHA256:
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"), random);
          break;
        case ED25519:
          generator = KeyPairGenerator.getInstance("Ed25519");
          generator.initialize(255, random);
          break;
        case RSASHA256:
        default:
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(new RSAKeyGenParameterSpec(RSA_BITS, RSAKeyGenParameterSpec.F4), random);
          break;
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + mnemonic + " keys", e);
    }
  }

  /**
   * Returns the JCA signature algorithm whose output is the RRSIG signature field as it is
   * written on the wire: r || s, each 32 bytes, for ECDSA (RFC 6605 §4, IEEE P1363 form, so no
   * DER conversion is needed), the 64-byte signature for Ed25519 (RFC 8080 §4), and the
   * PKCS #1 v1.5 signature for RSA (RFC 5702 §3).
   */
  String wireSignatureAlgorithm() {
    switch (this) {
      case ECDSAP256SHA256:
        return "SHA256withECDSAinP1363Format";
      case ED25519:
        return "Ed25519";
      case RSASHA256:
      default:
        return "SHA256withRSA";
    }
  }

  /** Returns the number and mnemonic, as BIND writes them: {@code 13 (ECDSAP256SHA256)}. */
  @Override
  public String toString() {
    return number + " (" + mnemonic + ")";
  }
}
