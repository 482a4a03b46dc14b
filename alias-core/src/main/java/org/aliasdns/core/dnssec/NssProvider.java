package org.aliasdns.core.dnssec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDK's own PKCS #11 provider ({@code SunPKCS11}) set up over the system's NSS library, for
 * {@link ZoneSigner#withProvider}: the JDK's crypto API with NSS's native P-256 and RSA, which
 * sign several times faster than the JDK's pure-Java code (on JDK 17, an ECDSA P-256 signature
 * costs about as much as signing and hashing everything else for that RRset many times over).
 * NSS is the library Firefox and many Linux tools use; on Debian and Ubuntu it is the {@code
 * libnss3} package. Nothing is written to disk: the token is set up without a key database
 * ({@code nssDbMode=noDb}), and keys stay in memory.
 *
 * @since 0.1
 */
public final class NssProvider {
  /** Where distributions install {@code libsoftokn3.so}, looked at in this order. */
  static final List<Path> LIBRARY_DIRECTORIES =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu"),
          Path.of("/usr/lib/aarch64-linux-gnu"),
          Path.of("/usr/lib64"),
          Path.of("/usr/lib"),
          Path.of("/usr/lib/x86_64-linux-gnu/nss"),
          Path.of("/usr/lib64/nss"),
          Path.of("/usr/lib/nss"));

  /** The JDK feature release from which the JDK's own P-256 code is taken to be the faster. */
  public static final int JDK_FASTER_FROM = 21;

  private static final Object LOCK = new Object();
  private static Optional<Provider> found = Optional.empty();
  private static boolean looked;

  private NssProvider() {}

  /**
   * Returns the provider over the system's NSS, made once and shared: NSS is looked for in the
   * usual library directories ({@code libnss3.so} and {@code libsoftokn3.so} side by side).
   *
   * @return the provider, or empty if NSS is not installed, the JDK has no {@code SunPKCS11}
   *     provider, or NSS cannot be loaded
   */
  public static Optional<Provider> find() {
    synchronized (LOCK) {
      if (!looked) {
        looked = true;
        for (Path dir : LIBRARY_DIRECTORIES) {
          Optional<Provider> p = in(dir);
          if (p.isPresent()) {
            found = p;
            break;
          }
        }
      }
      return found;
    }
  }

  /**
   * Returns {@link #find()} where NSS signs faster than the JDK's own code, which is what {@code
   * aliasdns sign --crypto auto} uses. Measured on one machine, in CPU time per ECDSA P-256
   * signature: JDK 17's own code 574 µs, NSS 3.87 through SunPKCS11 200 µs; JDK 25's own code
   * 143 µs (its P-256 arithmetic was rewritten in between). So NSS is taken on a JDK older than
   * {@value #JDK_FASTER_FROM} and the JDK's own code from there on (the versions between 17 and
   * 25 were not measured).
   *
   * @return the provider, or empty on a JDK whose own code is faster, or as {@link #find()}
   */
  public static Optional<Provider> findIfFaster() {
    if (Runtime.version().feature() >= JDK_FASTER_FROM) {
      return Optional.empty();
    }
    return find();
  }

  /**
   * Returns a new provider over the NSS library in one directory.
   *
   * @param libraryDirectory the directory holding {@code libnss3.so} and {@code libsoftokn3.so}
   * @return the provider, or empty if the libraries are not there, the JDK has no {@code
   *     SunPKCS11} provider, or NSS cannot be loaded
   */
  public static Optional<Provider> in(Path libraryDirectory) {
    Objects.requireNonNull(libraryDirectory, "libraryDirectory");
    if (!Files.isRegularFile(libraryDirectory.resolve("libsoftokn3.so"))
        || !Files.isRegularFile(libraryDirectory.resolve("libnss3.so"))) {
      return Optional.empty();
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      return Optional.empty();
    }
    // SunPKCS11's inline configuration ("--" then the text); the path is ours, not a user's.
    String config =
        "--name=NSS\n"
            + "nssLibraryDirectory=" + libraryDirectory.toAbsolutePath() + "\n"
            + "nssDbMode=noDb\n"
            + "attributes=compatibility\n";
    try {
      return Optional.of(base.configure(config));
    } catch (RuntimeException e) {
      // InvalidParameterException or ProviderException: NSS would not load.
      return Optional.empty();
    }
  }
}
