package org.aliasdns.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.Provider;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.aliasdns.core.dnssec.NssProvider;
import org.aliasdns.core.dnssec.ZoneSigner;

/**
 * The {@code --crypto} option of {@code aliasdns sign} and {@code aliasdns serve --key}: which
 * JCA provider computes the signatures ({@link ZoneSigner#withProvider}). We write no crypto;
 * the choice is only about speed, the signed zone is the same.
 *
 * <ul>
 *   <li>{@code accp}: the Amazon Corretto Crypto Provider, a JCA provider over AWS-LC (an
 *       OpenSSL-class native library), shipped in the executable jar for linux-x86_64. Measured
 *       here in CPU per ECDSA P-256 signature: 24 µs, against 574 in JDK 17's own code, 143 in
 *       JDK 25's and 200 through NSS.
 *   <li>{@code nss}: the JDK's {@code SunPKCS11} over the system's NSS ({@link NssProvider}).
 *   <li>{@code jdk}: the JDK's own providers.
 *   <li>{@code auto}: ACCP where it loads and reports healthy on this platform, else NSS on a
 *       JDK older than {@value NssProvider#JDK_FASTER_FROM} where it is installed, else the JDK.
 * </ul>
 *
 * <p>ACCP is looked up by class name at run time (it is a run-time dependency of alias-cli
 * only): a program embedding the command without it, or a platform where its native library
 * cannot load, falls back as {@code auto} says.
 */
final class SigningCrypto {
  /** ACCP's provider class; its {@code INSTANCE} field holds the provider. */
  static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

  /** What {@code --crypto} accepts. */
  enum Choice {
    AUTO,
    ACCP,
    NSS,
    JDK
  }

  /**
   * The provider chosen.
   *
   * @param provider the provider to give {@link ZoneSigner#withProvider}, or empty for the JDK's
   * @param name who signs, for the log: "ACCP", "NSS" or "the JDK"
   */
  record Chosen(Optional<Provider> provider, String name) {
    Chosen {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(name, "name");
    }

    /** Returns the signer with this provider, if any. */
    ZoneSigner apply(ZoneSigner signer) {
      return provider.isPresent() ? signer.withProvider(provider.get()) : signer;
    }
  }

  private static final Object LOCK = new Object();
  private static Optional<Provider> accp = Optional.empty();
  private static boolean lookedForAccp;

  private SigningCrypto() {}

  /**
   * Reads the option's value.
   *
   * @throws UnusableInputException for anything but auto, accp, nss or jdk
   */
  static Choice parse(String text) {
    try {
      return Choice.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(
          "--crypto must be auto, accp, nss or jdk, not '" + text + "'", e);
    }
  }

  /**
   * Chooses the provider for {@code --crypto} on this machine.
   *
   * @throws UnusableInputException if the value is unknown, or names a provider that does not
   *     load here
   */
  static Chosen choose(String option) {
    return choose(parse(option), SigningCrypto::accp, NssProvider::find,
        Runtime.version().feature());
  }

  /**
   * Chooses the provider from the candidates given (a test gives an unhealthy ACCP, say).
   *
   * @param choice the option's value
   * @param accp ACCP if it loads and is healthy, else empty
   * @param nss NSS if installed and loadable, else empty
   * @param jdkFeature the JDK's feature release (17, 21, 25, ...)
   * @throws UnusableInputException if the choice names a provider that is empty
   */
  static Chosen choose(
      Choice choice,
      Supplier<Optional<Provider>> accp,
      Supplier<Optional<Provider>> nss,
      int jdkFeature) {
    switch (choice) {
      case ACCP: {
        Optional<Provider> p = accp.get();
        if (p.isEmpty()) {
          throw new UnusableInputException(
              "--crypto accp: the Amazon Corretto Crypto Provider is not on the class path or its"
                  + " native library does not load on this platform (it is built for"
                  + " linux-x86_64); use --crypto auto, nss or jdk");
        }
        return new Chosen(p, "ACCP");
      }
      case NSS: {
        Optional<Provider> p = nss.get();
        if (p.isEmpty()) {
          throw new UnusableInputException(
              "--crypto nss: NSS was not found in the usual library directories or would not"
                  + " load (on Debian or Ubuntu: apt-get install libnss3)");
        }
        return new Chosen(p, "NSS");
      }
      case JDK:
        return new Chosen(Optional.empty(), "the JDK");
      case AUTO:
      default: {
        Optional<Provider> a = accp.get();
        if (a.isPresent()) {
          return new Chosen(a, "ACCP");
        }
        if (jdkFeature < NssProvider.JDK_FASTER_FROM) {
          Optional<Provider> n = nss.get();
          if (n.isPresent()) {
            return new Chosen(n, "NSS");
          }
        }
        return new Chosen(Optional.empty(), "the JDK");
      }
    }
  }

  /**
   * Returns ACCP if it is on the class path, its native library loaded and its self-tests
   * pass; looked up once.
   */
  static Optional<Provider> accp() {
    synchronized (LOCK) {
      if (!lookedForAccp) {
        lookedForAccp = true;
        accp = load(ACCP_CLASS);
      }
      return accp;
    }
  }

  /**
   * Loads a provider class of ACCP's shape (a public static {@code INSTANCE}) and keeps it only
   * if {@link #healthy} says so.
   *
   * @return the provider, or empty if the class is absent, has no instance, or is unhealthy
   */
  static Optional<Provider> load(String className) {
    try {
      Class<?> type = Class.forName(className, true, SigningCrypto.class.getClassLoader());
      Object instance = type.getField("INSTANCE").get(null);
      if (instance instanceof Provider && healthy((Provider) instance)) {
        return Optional.of((Provider) instance);
      }
      return Optional.empty();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // Not on the class path, or its static set-up failed: not usable here.
      return Optional.empty();
    }
  }

  /**
   * Asks a provider of ACCP's shape whether it works here: its {@code assertHealthy()} throws
   * when the native library did not load or a self-test failed. A provider without that method
   * is taken as healthy.
   */
  static boolean healthy(Provider provider) {
    Method check;
    try {
      check = provider.getClass().getMethod("assertHealthy");
    } catch (NoSuchMethodException e) {
      return true;
    }
    try {
      check.invoke(provider);
      return true;
    } catch (InvocationTargetException | IllegalAccessException | RuntimeException
        | LinkageError e) {
      return false;
    }
  }
}
