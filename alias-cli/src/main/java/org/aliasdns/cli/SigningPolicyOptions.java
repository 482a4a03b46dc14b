package org.aliasdns.cli;

import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.dnssec.Denial;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The DNSSEC options that {@code aliasdns sign} and {@code aliasdns serve --key} share, declared
 * once: denial of existence (RFC 4034 §4, RFC 5155), signature timing (RFC 4034 §3.1.5), the
 * DNSKEY TTL and the crypto provider.
 */
final class SigningPolicyOptions {
  /** The most NSEC3 extra iterations accepted: RFC 9276 §3.2 lets validators distrust more. */
  static final int MAX_NSEC3_ITERATIONS = 100;

  /** The help text of --crypto. */
  static final String CRYPTO_HELP =
      "Who computes the signatures: auto (default: ACCP where it loads on this platform, else"
          + " NSS on a JDK older than 21 if installed, else the JDK), accp (the Amazon Corretto"
          + " Crypto Provider in the jar, native code for linux-x86_64, about 25x the speed of"
          + " JDK 17's own P-256), nss (the JDK's PKCS #11 provider over the system's NSS"
          + " library), or jdk (the JDK's own code). The signed zone is the same.";

  @Option(
      names = "--nsec3",
      description = "NSEC3 denial (RFC 5155) with RFC 9276's parameters: no extra iterations,"
          + " no salt (default: NSEC).")
  boolean nsec3;

  @Option(
      names = "--opt-out",
      description = "With --nsec3: leave delegations without DS out of the chain.")
  boolean optOut;

  @Option(
      names = "--nsec3-iterations",
      paramLabel = "N",
      description = "With --nsec3: extra hash iterations, 0 to 100 (default 0; RFC 9276 §3.1:"
          + " zones MUST use 0; a warning above it).")
  int iterations;

  @Option(
      names = "--nsec3-salt",
      paramLabel = "HEX",
      description = "With --nsec3: the salt in hex (default none; RFC 9276 §3.1 advises none: a"
          + " warning for any).")
  String salt = "";

  @Option(
      names = "--validity",
      paramLabel = "DURATION",
      description = "How long signatures are valid: 14d (default), 36h, 3600 (seconds).")
  String validity = "14d";

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      description = "Renew signatures with less than this left (default 5d).")
  String refresh = "5d";

  @Option(
      names = "--inception-offset",
      paramLabel = "DURATION",
      description = "Set inception this far back, for validators whose clock lags (default 1h).")
  String inceptionOffset = "1h";

  @Option(
      names = "--dnskey-ttl",
      paramLabel = "SECONDS",
      description = "TTL of the DNSKEY RRset (default: the TTL in the .key file, else the"
          + " SOA's TTL).")
  @Nullable Long dnskeyTtl;

  @Option(names = "--crypto", paramLabel = "PROVIDER", description = CRYPTO_HELP)
  String crypto = "auto";

  /**
   * Tells whether any of these options differs from its default: {@code serve} refuses them
   * without a key.
   *
   * @return true if one was given a value other than its default
   */
  boolean anyGiven() {
    return nsec3 || optOut || iterations != 0 || !salt.isEmpty() || !validity.equals("14d")
        || !refresh.equals("5d") || !inceptionOffset.equals("1h") || dnskeyTtl != null
        || !crypto.equals("auto");
  }

  /**
   * Returns the signing policy these options give.
   *
   * @return the policy
   * @throws UnusableInputException if an NSEC3 option is given without {@code --nsec3}, the
   *     iterations are out of range, or a duration or value is refused
   */
  SigningPolicy policy() {
    if (!nsec3 && (optOut || iterations != 0 || !salt.isEmpty())) {
      throw new UnusableInputException(
          "--opt-out, --nsec3-iterations and --nsec3-salt need --nsec3");
    }
    if (nsec3 && (iterations < 0 || iterations > MAX_NSEC3_ITERATIONS)) {
      // RFC 9276 §3.2: validators may treat more than 100 iterations as insecure (Unbound does,
      // so negative answers lose AD); §3.1: publishers MUST use 0.
      throw new UnusableInputException(
          "--nsec3-iterations " + iterations + ": must be 0 to " + MAX_NSEC3_ITERATIONS
              + " (RFC 9276 §3.1: zones MUST use 0; §3.2: validators may treat more than 100"
              + " as insecure)");
    }
    try {
      SigningPolicy.Builder b =
          SigningPolicy.builder()
              .validity(SignCommand.duration("--validity", validity))
              .refreshWindow(SignCommand.duration("--refresh", refresh))
              .inceptionOffset(SignCommand.duration("--inception-offset", inceptionOffset));
      if (nsec3) {
        b.denial(new Denial.Nsec3(iterations, salt, optOut));
      }
      if (dnskeyTtl != null) {
        b.dnskeyTtl(dnskeyTtl);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }

  /**
   * Returns the warnings NSEC3 parameters deserve: extra iterations or a salt, which RFC 9276
   * §3.1 advises against (0 iterations, no salt).
   *
   * @return the warning lines, empty for NSEC or RFC 9276's parameters
   */
  List<String> nsec3Warnings() {
    List<String> out = new ArrayList<>();
    if (nsec3 && iterations > 0) {
      out.add(
          "warning: --nsec3-iterations " + iterations + ": RFC 9276 §3.1 says zones MUST use 0"
              + " extra iterations; they cost validators and resolvers time and protect nothing");
    }
    if (nsec3 && !salt.isEmpty() && !salt.equals("-")) {
      out.add(
          "warning: --nsec3-salt: RFC 9276 §3.1 says zones SHOULD NOT use a salt; it protects"
              + " nothing against zone enumeration");
    }
    return out;
  }
}
