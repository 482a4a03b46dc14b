package org.aliasdns.server;

import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A shared secret for transaction signatures (TSIG, RFC 8945): the key's name, its HMAC
 * algorithm and the secret bytes. Both ends know the key by name; the name and algorithm travel
 * in each signed message, the secret never does.
 *
 * <p>Read keys from BIND's {@code key "name" { algorithm hmac-sha256; secret "..."; };} form with
 * {@link TsigKeyFile}, or make one with {@link #of(String, String, String)}.
 *
 * @since 0.1
 */
public final class TsigKey {
  private final Name name;
  private final Name algorithm;
  private final byte[] secret;

  private TsigKey(Name name, Name algorithm, byte[] secret) {
    this.name = name;
    this.algorithm = algorithm;
    this.secret = secret;
  }

  /**
   * Makes a key.
   *
   * @param name the key's name, as both ends write it ({@code xfr-key}, {@code
   *     primary.example.}); relative names are taken as absolute
   * @param algorithm the HMAC: {@code hmac-sha256} (RFC 8945 §6: mandatory to implement), {@code
   *     hmac-sha1}, {@code hmac-sha224}, {@code hmac-sha384}, {@code hmac-sha512}, or {@code
   *     hmac-md5} (deprecated)
   * @param base64Secret the secret, base64 as {@code tsig-keygen} and {@code keymgr} print it
   * @return the key
   * @throws IllegalArgumentException if the name is not a domain name, the algorithm is not one
   *     of those, or the secret is not base64 or is empty
   */
  public static TsigKey of(String name, String algorithm, String base64Secret) {
    Name keyName;
    try {
      keyName = Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("key name \"" + name + "\": " + e.getMessage(), e);
    }
    Name alg = algorithmName(algorithm);
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64Secret.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the secret of key " + keyName + " is not base64: " + e.getMessage(), e);
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("the secret of key " + keyName + " is empty");
    }
    return new TsigKey(keyName, alg, secret);
  }

  private static Name algorithmName(String algorithm) {
    switch (algorithm.toLowerCase(Locale.ROOT)) {
      case "hmac-sha256":
        return TSIG.HMAC_SHA256;
      case "hmac-sha1":
        return TSIG.HMAC_SHA1;
      case "hmac-sha224":
        return TSIG.HMAC_SHA224;
      case "hmac-sha384":
        return TSIG.HMAC_SHA384;
      case "hmac-sha512":
        return TSIG.HMAC_SHA512;
      case "hmac-md5":
      case "hmac-md5.sig-alg.reg.int":
        return TSIG.HMAC_MD5;
      default:
        throw new IllegalArgumentException(
            "unknown TSIG algorithm \""
                + algorithm
                + "\" (hmac-sha256, hmac-sha1, hmac-sha224, hmac-sha384, hmac-sha512, hmac-md5)");
    }
  }

  /**
   * Returns the key's name.
   *
   * @return the absolute name, as it appears in TSIG records
   */
  public Name name() {
    return name;
  }

  /**
   * Returns the algorithm's name as TSIG records carry it (RFC 8945 §6), e.g. {@code
   * hmac-sha256.}.
   *
   * @return the algorithm name
   */
  public Name algorithm() {
    return algorithm;
  }

  /**
   * Returns the algorithm as BIND and {@code dig -y} write it, e.g. {@code hmac-sha256}.
   *
   * @return the lower-case mnemonic
   */
  public String algorithmMnemonic() {
    return algorithm.equals(TSIG.HMAC_MD5)
        ? "hmac-md5"
        : algorithm.toString(true).toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the secret in base64, as a key file holds it.
   *
   * @return the secret
   */
  public String secretBase64() {
    return Base64.getEncoder().encodeToString(secret);
  }

  /**
   * Returns dnsjava's signer and verifier for this key.
   *
   * @param clock what "now" is for the time signed and the fudge check (RFC 8945 §5.2.3)
   * @return a new TSIG object; thread-safe
   */
  public TSIG tsig(InstantSource clock) {
    return new TSIG(
        algorithm,
        name,
        new javax.crypto.spec.SecretKeySpec(secret, TSIG.nameToAlgorithm(algorithm)),
        clock.withZone(ZoneOffset.UTC));
  }

  /** Equal when name (ignoring case), algorithm and secret are. */
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof TsigKey k
        && name.equals(k.name)
        && algorithm.equals(k.algorithm)
        && Arrays.equals(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm);
  }

  /** Returns the name and algorithm; never the secret. */
  @Override
  public String toString() {
    return "TsigKey[" + name + " " + algorithmMnemonic() + "]";
  }
}
