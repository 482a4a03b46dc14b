package org.aliasdns.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.KeyFileException;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.SigningKey;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aliasdns keygen ZONE}: generates a DNSSEC key pair and writes it in BIND's format
 * ({@code K<zone>+<alg>+<tag>.key} and {@code .private}), printing the file stem as {@code
 * dnssec-keygen} does.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    header = "Generate a DNSSEC key pair in BIND's key file format.",
    sortOptions = false,
    description = {
      "Writes K<zone>+<alg>+<tag>.key (the DNSKEY record) and K<zone>+<alg>+<tag>.private (the"
          + " private key, readable by its owner only) as BIND's dnssec-keygen does, and prints"
          + " the file stem. BIND's and ldns's signers read the files, and so does aliasdns sign.",
      "Exit status: 0 written, 2 unusable input (a bad option, a file that exists already)."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ZONE",
      converter = NameConverter.class,
      description = "The zone the key is for.")
  Name zone = Name.root;

  @Option(
      names = {"-a", "--algorithm"},
      paramLabel = "ALG",
      description = "13 or ECDSAP256SHA256 (default), 15 or ED25519, 8 or RSASHA256 (2048 bits).")
  String algorithm = "ECDSAP256SHA256";

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description = "combined (default: one key signs everything, flags 257), ksk (flags 257,"
          + " signs the DNSKEY RRset) or zsk (flags 256, signs the rest).")
  String role = "combined";

  @Option(
      names = {"-K", "--directory"},
      paramLabel = "DIR",
      description = "Where to write the files (default: the current directory).")
  Path directory = Path.of(".");

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "TTL written into the DNSKEY record (default: none, as dnssec-keygen).")
  long ttl;

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    PrintWriter out = s.commandLine().getOut();
    DnssecAlgorithm alg;
    try {
      alg = DnssecAlgorithm.parse(algorithm);
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
    SigningKey.Role keyRole = role(role);
    if (ttl < 0 || ttl > 0x7FFFFFFFL) {
      throw new UnusableInputException("--ttl must be 0 to 2147483647: " + ttl);
    }
    if (!Files.isDirectory(directory)) {
      throw new UnusableInputException(directory + ": not a directory");
    }
    SigningKey key = SigningKey.generate(zone, alg, keyRole, ttl, new SecureRandom());
    try {
      KeyFiles.write(key, directory, Instant.now());
    } catch (KeyFileException e) {
      throw new UnusableInputException(e.getMessage(), e);
    }
    out.println(key.fileStem());
    out.flush();
    return Main.OK;
  }

  /** The role a user names: combined/csk, ksk or zsk, in any case. */
  static SigningKey.Role role(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "combined":
      case "csk":
        return SigningKey.Role.COMBINED;
      case "ksk":
        return SigningKey.Role.KEY_SIGNING;
      case "zsk":
        return SigningKey.Role.ZONE_SIGNING;
      default:
        throw new UnusableInputException(
            "--role must be combined, ksk or zsk, not '" + text + "'");
    }
  }
}
