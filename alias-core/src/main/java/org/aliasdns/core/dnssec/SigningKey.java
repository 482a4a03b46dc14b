package org.aliasdns.core.dnssec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * One DNSSEC key pair of a zone: its public DNSKEY record and the private key that signs with
 * it. Immutable.
 *
 * <p>A key with the Secure Entry Point flag (flags 257, RFC 4034 §2.1.1) is what BIND calls a
 * key-signing key; if a zone has no key without it for an algorithm, that key signs everything
 * (a combined signing key, CSK). A key without it (flags 256) is a zone-signing key.
 *
 * @since 0.1
 */
public final class SigningKey {
  /** DNSKEY flags of a zone key (RFC 4034 §2.1.1). */
  public static final int ZONE_KEY_FLAGS = 256;

  /** DNSKEY flags of a zone key with the Secure Entry Point bit (RFC 4034 §2.1.1, RFC 3757). */
  public static final int SEP_KEY_FLAGS = 257;

  /** What a generated key is for. */
  public enum Role {
    /** Signs everything: flags 257 (SEP), the only key of its algorithm. */
    COMBINED,
    /** Signs the DNSKEY RRset: flags 257 (SEP). */
    KEY_SIGNING,
    /** Signs the other RRsets: flags 256. */
    ZONE_SIGNING;

    /**
     * Returns the DNSKEY flags of this role.
     *
     * @return 257 or 256
     */
    public int flags() {
      return this == ZONE_SIGNING ? ZONE_KEY_FLAGS : SEP_KEY_FLAGS;
    }
  }

  private final DNSKEYRecord dnskey;
  private final PrivateKey privateKey;
  private final DnssecAlgorithm algorithm;

  private SigningKey(DNSKEYRecord dnskey, PrivateKey privateKey, DnssecAlgorithm algorithm) {
    this.dnskey = dnskey;
    this.privateKey = privateKey;
    this.algorithm = algorithm;
  }

  /**
   * Pairs a DNSKEY record with its private key, after checking that they belong together: a
   * probe is signed with the private key and verified with the public one.
   *
   * @param dnskey the public key record; its owner is the zone
   * @param privateKey the private key
   * @return the key
   * @throws IllegalArgumentException if the algorithm is not supported, the record is not a zone
   *     key (flags bit 7 clear, or protocol not 3), or the keys do not match
   */
  public static SigningKey of(DNSKEYRecord dnskey, PrivateKey privateKey) {
    Objects.requireNonNull(dnskey, "dnskey");
    Objects.requireNonNull(privateKey, "privateKey");
    DnssecAlgorithm algorithm = DnssecAlgorithm.ofNumber(dnskey.getAlgorithm());
    // RFC 4034 §2.1.1: bit 7 (value 256) marks a zone key; §2.1.2: protocol is always 3.
    if ((dnskey.getFlags() & ZONE_KEY_FLAGS) == 0 || dnskey.getProtocol() != 3) {
      throw new IllegalArgumentException(
          "not a DNSSEC zone key (flags " + dnskey.getFlags() + ", protocol "
              + dnskey.getProtocol() + "): " + dnskey);
    }
    checkPair(dnskey, privateKey, algorithm);
    return new SigningKey(dnskey, privateKey, algorithm);
  }

  /**
   * Generates a new key for a zone with the JDK's crypto provider.
   *
   * @param zone the absolute zone origin
   * @param algorithm the algorithm
   * @param role what the key is for, which sets its flags
   * @param ttl the DNSKEY record's TTL in seconds
   * @param random the randomness source
   * @return the key
   * @throws IllegalArgumentException if the zone name is relative
   */
  public static SigningKey generate(
      Name zone, DnssecAlgorithm algorithm, Role role, long ttl, SecureRandom random) {
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("zone name must be absolute: " + zone);
    }
    KeyPair pair = algorithm.generateKeyPair(random);
    try {
      DNSKEYRecord dnskey =
          new DNSKEYRecord(
              zone, DClass.IN, ttl, role.flags(), DNSKEYRecord.Protocol.DNSSEC,
              algorithm.number(), pair.getPublic());
      return new SigningKey(dnskey, pair.getPrivate(), algorithm);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("dnsjava cannot encode a " + algorithm.mnemonic() + " key", e);
    }
  }

  private static void checkPair(
      DNSKEYRecord dnskey, PrivateKey privateKey, DnssecAlgorithm algorithm) {
    byte[] probe = "alias dnssec key check".getBytes(StandardCharsets.US_ASCII);
    try {
      PublicKey publicKey = dnskey.getPublicKey();
      String jca = jcaSignature(algorithm);
      Signature signer = Signature.getInstance(jca);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(jca);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(
            "the private key does not belong to the DNSKEY with key tag " + dnskey.getFootprint());
      }
    } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new IllegalArgumentException(
          "the private key does not fit the DNSKEY with key tag " + dnskey.getFootprint()
              + ": " + e.getMessage(),
          e);
    }
  }

  private static String jcaSignature(DnssecAlgorithm algorithm) {
    switch (algorithm) {
      case ECDSAP256SHA256:
        return "SHA256withECDSA";
      case ED25519:
        return "Ed25519";
      case RSASHA256:
      default:
        return "SHA256withRSA";
    }
  }

  /**
   * Returns the public key record.
   *
   * @return the DNSKEY, owned by the zone origin
   */
  public DNSKEYRecord dnskey() {
    return dnskey;
  }

  /**
   * Returns the private key.
   *
   * @return the JDK private key
   */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * Returns the zone the key belongs to.
   *
   * @return the DNSKEY's owner name
   */
  public Name zone() {
    return dnskey.getName();
  }

  /**
   * Returns the algorithm.
   *
   * @return the algorithm
   */
  public DnssecAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the key tag (RFC 4034 Appendix B) that RRSIGs and DS records name the key by.
   *
   * @return 0 to 65535
   */
  public int keyTag() {
    return dnskey.getFootprint();
  }

  /**
   * Returns the DNSKEY flags.
   *
   * @return 256 or 257 for keys this library makes; any zone-key flags for keys it reads
   */
  public int flags() {
    return dnskey.getFlags();
  }

  /**
   * Tells whether the key has the Secure Entry Point flag (RFC 4034 §2.1.1): a key-signing key,
   * or a combined signing key.
   *
   * @return true for flags with bit 15 set (257)
   */
  public boolean isSecureEntryPoint() {
    return (dnskey.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0;
  }

  /**
   * Returns the file name stem BIND gives the key's files: {@code K<zone>+<alg>+<tag>}, e.g.
   * {@code Kexample.com.+013+12345}; the files are that plus {@code .key} and {@code .private}.
   * The zone is written as {@code dnssec-keygen} writes it (BIND's {@code
   * dns_name_tofilenametext}): in lower case, each label's letters, digits, {@code -} and
   * {@code _} as they are and every other byte as {@code %} and two upper-case hex digits, so
   * {@code we\.ird.com.} is {@code Kwe%2Eird.com.} and {@code a\032b.com.} is {@code
   * Ka%20b.com.}.
   *
   * @return the stem
   */
  public String fileStem() {
    return String.format(
        Locale.ROOT, "K%s+%03d+%05d", fileNameText(zone()), algorithm.number(), keyTag());
  }

  /** The zone as BIND writes it in key file names (see {@link #fileStem()}). */
  static String fileNameText(Name zone) {
    if (zone.equals(Name.root)) {
      return ".";
    }
    StringBuilder out = new StringBuilder();
    byte[] wire = zone.toWireCanonical(); // lower case
    int at = 0;
    while (wire[at] != 0) {
      int length = wire[at++];
      for (int i = 0; i < length; i++) {
        int b = wire[at++] & 0xFF;
        if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_') {
          out.append((char) b);
        } else {
          out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
      }
      out.append('.');
    }
    return out.toString();
  }

  /** Equal when the DNSKEY rdata and owner are equal (the private key follows from them). */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SigningKey)) {
      return false;
    }
    SigningKey other = (SigningKey) o;
    return dnskey.getName().equals(other.dnskey.getName())
        && dnskey.rdataToString().equals(other.dnskey.rdataToString());
  }

  @Override
  public int hashCode() {
    return dnskey.getName().hashCode() * 31 + keyTag();
  }

  /** Returns the stem, flags and algorithm; never the private key. */
  @Override
  public String toString() {
    return fileStem() + " (" + (isSecureEntryPoint() ? "SEP, " : "") + "flags " + flags()
        + ", " + algorithm + ")";
  }
}
