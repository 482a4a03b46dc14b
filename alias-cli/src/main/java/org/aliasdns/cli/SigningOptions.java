package org.aliasdns.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code aliasdns serve}'s DNSSEC options, named as {@code aliasdns sign} names them: with at
 * least one {@code --key}, what is served is signed.
 */
final class SigningOptions {
  @Option(
      names = {"-k", "--key"},
      paramLabel = "KEY",
      description = "Sign the zone served with DNSSEC with this key: its .key or .private file or"
          + " their stem (K<zone>+<alg>+<tag>), as dnssec-keygen or aliasdns keygen wrote it."
          + " Repeat for a KSK and a ZSK. Queries with the DO bit get RRSIGs and NSEC/NSEC3"
          + " proofs; transfers carry the signed zone.")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--nsec3",
      description = "With --key: NSEC3 denial (RFC 5155) with RFC 9276's parameters: no extra"
          + " iterations, no salt (default: NSEC).")
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
      description = "With --key: how long signatures are valid: 14d (default), 36h, 3600"
          + " (seconds).")
  String validity = "14d";

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      description = "With --key: renew signatures with less than this left (default 5d).")
  String refresh = "5d";

  @Option(
      names = "--inception-offset",
      paramLabel = "DURATION",
      description = "With --key: set inception this far back, for validators whose clock lags"
          + " (default 1h).")
  String inceptionOffset = "1h";

  @Option(
      names = "--dnskey-ttl",
      paramLabel = "SECONDS",
      description = "With --key: TTL of the DNSKEY RRset (default: the SOA's TTL).")
  @Nullable Long dnskeyTtl;

  @Option(
      names = "--signing-threads",
      paramLabel = "N",
      description = "With --key: threads that sign (default: the number of processors); idle"
          + " ones end after 30 s.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--crypto",
      paramLabel = "PROVIDER",
      description = "With --key: " + SignCommand.CRYPTO_HELP)
  String crypto = "auto";

  /**
   * The signing threads of serve: daemon threads, at most {@code threads}, each ending after
   * 30 s idle, so that a session that rarely re-signs holds none and needs no shutdown.
   */
  private static ExecutorService pool(int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            task -> {
              Thread t = new Thread(task, "aliasdns-signing-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Returns the signer these options ask for: its signatures made on {@code
   * --signing-threads} threads by the {@code --crypto} provider.
   *
   * @return the signer, or null when no key was given
   * @throws UnusableInputException for a bad key file or option
   */
  @Nullable ZoneSigner signer() {
    boolean signingOption =
        nsec3 || optOut || iterations != 0 || !salt.isEmpty() || !validity.equals("14d")
            || !refresh.equals("5d") || !inceptionOffset.equals("1h") || dnskeyTtl != null
            || !crypto.equals("auto") || threads != Runtime.getRuntime().availableProcessors();
    if (keys.isEmpty()) {
      if (signingOption) {
        throw new UnusableInputException("the DNSSEC options need --key");
      }
      return null;
    }
    if (!nsec3 && (optOut || iterations != 0 || !salt.isEmpty())) {
      throw new UnusableInputException(
          "--opt-out, --nsec3-iterations and --nsec3-salt need --nsec3");
    }
    if (threads < 1) {
      throw new UnusableInputException("--signing-threads must be at least 1: " + threads);
    }
    // The policy first (RFC 4034 §3.1.5's bound on the validity, say): before keys are read.
    SigningPolicy policy =
        SignCommand.policy(
            nsec3, iterations, salt, optOut, validity, refresh, inceptionOffset, dnskeyTtl);
    SigningCrypto.Chosen chosen = SigningCrypto.choose(crypto);
    // The keys' BIND timing is followed while serving (RFC 7583 §3.1): a pre-published key
    // signs from its Activate time, Inactive stops a key's signatures, Delete withdraws its
    // DNSKEY.
    ZoneSigner signer = SignCommand.timedSigner(keys, SignCommand.readKeys(keys), policy);
    try {
      return chosen.apply(signer.withExecutor(pool(threads), threads));
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }
}
