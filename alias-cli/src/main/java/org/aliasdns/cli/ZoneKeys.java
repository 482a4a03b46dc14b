package org.aliasdns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.KeyFileException;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.jspecify.annotations.Nullable;

/**
 * The DNSSEC signing of a zone of the configuration file ({@code dnssec-policy:}): the zone's
 * keys, found in the policy's key directory as BIND's {@code key-directory} finds them ({@link
 * KeyFiles#find}), each following its BIND timing (RFC 7583 §3.1), signing under the policy with
 * the crypto provider it names. Read at start and at every reload: the text of what a signer was
 * made from ({@link ServeSession.Signing#madeFrom}: the policy, and each key's file names and a
 * SHA-256 digest of their content) tells a reload whether the key set changed.
 */
final class ZoneKeys {
  private static final int THREADS = Runtime.getRuntime().availableProcessors();

  /** The signing threads every configured zone shares; made at the first signed zone. */
  private static volatile @Nullable ExecutorService pool;

  private ZoneKeys() {}

  /**
   * The key directories as listed once for a start or a reload: a directory that many zones
   * share is listed once, not once per zone ({@link KeyFiles#findAll}).
   */
  static final class Listing {
    private final java.util.Map<Path, java.util.Map<org.xbill.DNS.Name, List<Path>>> listed =
        new java.util.HashMap<>();

    /** The stems of a zone's keys in a directory, listing the directory the first time. */
    List<Path> stems(Path directory, org.xbill.DNS.Name zone) {
      java.util.Map<org.xbill.DNS.Name, List<Path>> all = listed.get(directory);
      if (all == null) {
        all = KeyFiles.findAll(directory); // a failure is not kept: the next zone tries again
        listed.put(directory, all);
      }
      return all.getOrDefault(zone, List.of());
    }
  }

  /**
   * A zone's signing, read, and what deserves a warning about its keys.
   *
   * @param signing the signer and what it was made from
   * @param stems the keys' file stems, in file name order
   * @param provider who signs, for the log ("ACCP", "NSS", "the JDK")
   * @param warnings warning lines: weak keys, keys past their Delete time, DNSSEC records of
   *     the zone file that are dropped, a validity too short for the zone's TTLs
   */
  record Read(
      ServeSession.Signing signing, List<Path> stems, String provider, List<String> warnings) {
    Read {
      stems = List.copyOf(stems);
      warnings = List.copyOf(warnings);
    }

    /** The keys' file names, for the log: {@code Kexample.com.+013+12345, ...}. */
    String keyNames() {
      return String.join(", ", stems.stream().map(p -> String.valueOf(p.getFileName())).toList());
    }
  }

  /**
   * Reads the keys of a zone that names a {@code dnssec-policy:}.
   *
   * @param entry the zone's entry; its {@link ServeConfig.ZoneEntry#dnssec} must be set
   * @param zone the zone as read, for the warnings that depend on it
   * @param now the time the keys' timing is read at, for the warnings
   * @return the signing and its warnings
   * @throws UnusableInputException naming the entry if the key directory cannot be listed, has
   *     no key of the zone, or a key file is unusable (missing half, malformed, revoked,
   *     renamed), or the crypto provider does not load
   */
  static Read read(ServeConfig.ZoneEntry entry, Zone zone, Instant now) {
    return java.util.Objects.requireNonNull(read(entry, zone, now, null, new Listing()));
  }

  /**
   * Reads the keys of a zone that names a {@code dnssec-policy:}, unless they are those it is
   * signed with already: the same files with the same content under the same policy (a reload
   * of thousands of signed zones then parses no key again).
   *
   * @param entry the zone's entry; its {@link ServeConfig.ZoneEntry#dnssec} must be set
   * @param zone the zone as read, for the warnings that depend on it
   * @param now the time the keys' timing is read at, for the warnings
   * @param before what the zone's signing now was made from ({@link
   *     ServeSession.Signing#madeFrom}), or null
   * @param listing the key directories listed so far in this start or reload
   * @return the signing and its warnings, or null when it would be made from {@code before}
   * @throws UnusableInputException as {@link #read(ServeConfig.ZoneEntry, Zone, Instant)}
   */
  static @Nullable Read read(
      ServeConfig.ZoneEntry entry, Zone zone, Instant now, @Nullable String before,
      Listing listing) {
    ServeConfig.DnssecPolicy policy = entry.dnssec();
    if (policy == null) {
      throw new IllegalArgumentException("zone " + entry.origin() + " has no dnssec-policy");
    }
    String where = entry.where() + ": zone " + entry.origin() + ": dnssec-policy " + policy.id();
    try {
      List<Path> stems = listing.stems(policy.keyDirectory(), entry.origin());
      if (stems.isEmpty()) {
        throw new UnusableInputException(
            where + ": no key of " + entry.origin() + " in " + policy.keyDirectory()
                + " (K<zone>+<alg>+<tag>.key and .private files, as dnssec-keygen -K or"
                + " aliasdns keygen writes them)");
      }
      String madeFrom = madeFrom(policy, stems);
      if (madeFrom.equals(before)) {
        return null;
      }
      List<SigningKey> keys = SignCommand.readKeys(stems);
      ZoneSigner timed = SignCommand.timedSigner(stems, keys, policy.signing());
      SigningCrypto.Chosen chosen;
      try {
        chosen = SigningCrypto.choose(policy.crypto());
      } catch (UnusableInputException e) {
        // Said in the configuration file's words: crypto: accp, not --crypto accp.
        throw new UnusableInputException(
            String.valueOf(e.getMessage()).replace("--crypto ", "crypto: "), e);
      }
      ZoneSigner signer = chosen.apply(timed.withExecutor(pool(), THREADS));
      List<String> warnings = new ArrayList<>();
      SignCommand.weakKeys(keys).forEach(w -> warnings.add(where + ": " + w));
      SignCommand.deletedKeys(timed, now).forEach(w -> warnings.add(where + ": " + w));
      String dropped = SignCommand.droppedDnssec(zone, keys);
      if (dropped != null) {
        warnings.add(where + ": " + dropped);
      }
      exposed(stems).forEach(w -> warnings.add(where + ": " + w));
      String shortValidity = SignCommand.shortValidity(zone, policy.signing());
      if (shortValidity != null) {
        warnings.add(where + ": " + shortValidity);
      }
      return new Read(
          new ServeSession.Signing(signer, madeFrom), stems, chosen.name(), warnings);
    } catch (KeyFileException | UnusableInputException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw new UnusableInputException(
          message.startsWith(where) ? message : where + ": " + message, e);
    }
  }

  /**
   * The policy and, for each key, its file names and a SHA-256 digest of both files' content:
   * equal for the same key set, different once a key is added, removed or its file changed
   * (a new timing from {@code dnssec-settime}, say).
   */
  private static String madeFrom(ServeConfig.DnssecPolicy policy, List<Path> stems) {
    StringBuilder out = new StringBuilder(policy.toString());
    try {
      for (Path stem : stems) {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String suffix : List.of(".key", ".private")) {
          Path file = stem.resolveSibling(stem.getFileName() + suffix);
          if (!Files.exists(file)) {
            // A key found by one of its files: without the other it cannot sign, nor be left
            // out unnoticed (its DNSKEY would vanish from the zone).
            throw new UnusableInputException(
                file + ": no such file; key " + stem.getFileName() + " needs both its .key and"
                    + " .private files");
          }
          sha256.update(Files.readAllBytes(file));
        }
        out.append('\n').append(stem.getFileName()).append(' ')
            .append(HexFormat.of().formatHex(sha256.digest()));
      }
    } catch (IOException e) {
      throw new UnusableInputException("a key file cannot be read: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    return out.toString();
  }

  /**
   * Warns of each key whose private key file users other than its owner may read ({@code
   * dnssec-keygen} and {@code aliasdns keygen} write it for its owner alone).
   *
   * @param keys the keys as given: each its {@code .key} or {@code .private} file or their stem
   * @return one warning line per such file; none where the file system has no POSIX permissions
   */
  static List<String> exposed(List<Path> keys) {
    List<String> out = new ArrayList<>();
    for (Path given : keys) {
      String name = String.valueOf(given.getFileName());
      String stem = name.endsWith(".key") ? name.substring(0, name.length() - 4)
          : name.endsWith(".private") ? name.substring(0, name.length() - 8) : name;
      String exposed = exposed(given.resolveSibling(stem + ".private"));
      if (exposed != null) {
        out.add(exposed);
      }
    }
    return out;
  }

  private static @Nullable String exposed(Path privateFile) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(privateFile);
      if (mode.contains(PosixFilePermission.GROUP_READ)
          || mode.contains(PosixFilePermission.OTHERS_READ)) {
        return "warning: " + privateFile + " is readable by others ("
            + PosixFilePermissions.toString(mode) + "): only the user serve runs as should read"
            + " a private key (chmod 600)";
      }
    } catch (UnsupportedOperationException | IOException e) {
      // No POSIX permissions here, or unreadable (reading the key says why).
    }
    return null;
  }

  private static ExecutorService pool() {
    ExecutorService p = pool;
    if (p == null) {
      synchronized (ZoneKeys.class) {
        p = pool;
        if (p == null) {
          p = SigningOptions.pool(THREADS);
          pool = p;
        }
      }
    }
    return p;
  }
}
