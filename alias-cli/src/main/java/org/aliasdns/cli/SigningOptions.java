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
import picocli.CommandLine.Mixin;
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
          + " proofs; transfers carry the signed zone. The DNSSEC options below (--nsec3 to"
          + " --crypto, --signing-threads) need it.")
  List<Path> keys = new ArrayList<>();

  @Mixin SigningPolicyOptions policy = new SigningPolicyOptions();

  @Option(
      names = "--signing-threads",
      paramLabel = "N",
      description = "With --key: threads that sign (default: the number of processors); idle"
          + " ones end after 30 s.")
  int threads = Runtime.getRuntime().availableProcessors();

  /**
   * The signing threads of serve: daemon threads, at most {@code threads}, each ending after
   * 30 s idle, so that a session that rarely re-signs holds none and needs no shutdown.
   */
  static ExecutorService pool(int threads) {
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
        policy.anyGiven() || threads != Runtime.getRuntime().availableProcessors();
    if (keys.isEmpty()) {
      if (signingOption) {
        throw new UnusableInputException("the DNSSEC options need --key");
      }
      return null;
    }
    if (threads < 1) {
      throw new UnusableInputException("--signing-threads must be at least 1: " + threads);
    }
    // The policy first (RFC 4034 §3.1.5's bound on the validity, say): before keys are read.
    SigningPolicy signingPolicy = policy.policy();
    SigningCrypto.Chosen chosen = SigningCrypto.choose(policy.crypto);
    // The keys' BIND timing is followed while serving (RFC 7583 §3.1): a pre-published key
    // signs from its Activate time, Inactive stops a key's signatures, Delete withdraws its
    // DNSKEY.
    ZoneSigner signer =
        SignCommand.timedSigner(keys, SignCommand.readKeys(keys), signingPolicy);
    try {
      return chosen.apply(signer.withExecutor(pool(threads), threads));
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
  }
}
