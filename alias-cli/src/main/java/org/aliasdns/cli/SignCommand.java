package org.aliasdns.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.dnssec.KeyFileException;
import org.aliasdns.core.dnssec.KeyFiles;
import org.aliasdns.core.dnssec.KeyTiming;
import org.aliasdns.core.dnssec.SignedZone;
import org.aliasdns.core.dnssec.SigningException;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileWriter;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aliasdns sign ZONEFILE --key K...}: signs a zone file (typically what {@code aliasdns
 * flatten} printed) with DNSSEC keys in BIND's format and prints the signed zone.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    header = "Sign a zone (a flattened one, say) with DNSSEC.",
    sortOptions = false,
    description = {
      "Adds the DNSKEY RRset, an RRSIG over every authoritative RRset (not delegation NS or"
          + " glue) and NSEC or NSEC3 denial of existence, and prints the signed zone as"
          + " master-file text (alias types in RFC 3597 form) on stdout or into --output.",
      "For a flattened zone, sign what aliasdns flatten printed: an alias name whose target has"
          + " only IPv4 addresses then proves in its NSEC/NSEC3 bitmap that it has no AAAA.",
      "Exit status: 0 signed, 2 unusable input (a bad file, key or option)."
    })
final class SignCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "The master file to sign.")
  Path file = Path.of("");

  @Mixin ZoneOptions zoneOptions = new ZoneOptions();

  @Option(
      names = {"-k", "--key"},
      paramLabel = "KEY",
      required = true,
      description = "A key: its .key or .private file or their stem (K<zone>+<alg>+<tag>), as"
          + " dnssec-keygen or aliasdns keygen wrote it. Repeat for a KSK and a ZSK.")
  List<Path> keys = new ArrayList<>();

  @Mixin SigningPolicyOptions policyOptions = new SigningPolicyOptions();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the signed zone here instead of stdout.")
  @Nullable Path output;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Signing threads (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws IOException {
    CommandSpec s = Objects.requireNonNull(spec);
    PrintWriter out = s.commandLine().getOut();
    PrintWriter err = s.commandLine().getErr();
    if (threads < 1) {
      throw new UnusableInputException("--threads must be at least 1: " + threads);
    }
    SigningPolicy policy = policyOptions.policy();
    policyOptions.nsec3Warnings().forEach(err::println);
    SigningCrypto.Chosen chosen = SigningCrypto.choose(policyOptions.crypto);
    List<SigningKey> signingKeys = readKeys(keys);
    weakKeys(signingKeys).forEach(err::println);
    Instant now = Instant.now();
    ZoneSigner timed = timedSigner(keys, signingKeys, policy);
    deletedKeys(timed, now).forEach(err::println);
    ZoneFile zoneFile = zoneOptions.read(file);
    String dropped = droppedDnssec(zoneFile.zone(), signingKeys);
    if (dropped != null) {
      err.println(dropped);
    }
    String unflattened = unflattened(zoneFile.zone());
    if (unflattened != null) {
      err.println(unflattened);
    }
    String shortValidity = shortValidity(zoneFile.zone(), policy);
    if (shortValidity != null) {
      err.println(shortValidity);
    }
    timed.timingWarnings(zoneFile.zone(), now).forEach(w -> err.println("warning: " + w));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    SignedZone signed;
    try {
      ZoneSigner signer = chosen.apply(timed.withExecutor(pool, threads));
      signed = signer.sign(zoneFile.zone(), now);
    } catch (IllegalArgumentException | SigningException e) {
      throw new UnusableInputException(file + ": " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
    ZoneFileWriter writer = ZoneFileWriter.defaults().withGenericAliasTypes();
    if (output != null) {
      try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        writer.write(signed.zone(), w);
      }
    } else {
      writer.write(signed.zone(), out);
      out.flush();
    }
    long signers = signingKeys.stream().filter(k -> timed.timing(k).signsAt(now)).count();
    err.println(
        signed.zone().origin() + " serial " + signed.serial() + ": " + signed.signaturesMade()
            + " signatures by " + signers + (signers == 1 ? " key" : " keys")
            + (signers < signingKeys.size() ? " (" + signingKeys.size() + " given)" : "")
            + ", " + policy.denial() + ", valid for " + policyOptions.validity + "; re-sign by "
            + signed.refreshAt().truncatedTo(ChronoUnit.SECONDS));
    err.flush();
    return Main.OK;
  }

  /**
   * Returns a warning naming the DNSSEC records of the input that signing does not carry over:
   * RRSIG, NSEC, NSEC3 and NSEC3PARAM records (made anew) and DNSKEYs of an algorithm no
   * signing key has (RFC 4035 §2.2: each algorithm in the DNSKEY RRset must sign the zone).
   *
   * @return the warning line, or null when the input has none
   */
  static @Nullable String droppedDnssec(Zone zone, List<SigningKey> keys) {
    Set<Integer> algorithms = new HashSet<>();
    keys.forEach(k -> algorithms.add(k.algorithm().number()));
    int records = 0;
    List<String> tags = new ArrayList<>();
    for (RecordSet set : zone) {
      int t = set.type();
      if (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3 || t == Type.NSEC3PARAM) {
        records += set.size();
      } else if (t == Type.DNSKEY && set.owner().equals(zone.origin())) {
        for (Record r : set) {
          DNSKEYRecord d = (DNSKEYRecord) r;
          if (!algorithms.contains(d.getAlgorithm())) {
            records++;
            tags.add(d.getFootprint() + " (algorithm " + d.getAlgorithm() + ")");
          }
        }
      }
    }
    if (records == 0) {
      return null;
    }
    return "warning: " + records + " DNSSEC record" + (records == 1 ? "" : "s") + " of the input"
        + " dropped: RRSIG, NSEC, NSEC3 and NSEC3PARAM are made anew"
        + (tags.isEmpty() ? "" : "; DNSKEYs of an algorithm no key signs with (RFC 4035 §2.2): "
            + String.join(", ", tags));
  }

  /**
   * Returns a warning when alias records (ALIAS, ANAME) stand at names that hold no A and no
   * AAAA RRset: an unflattened zone, or aliases a flattening left unresolved. Signed as they
   * are, the names' NSEC/NSEC3 type bitmaps list no A or AAAA, so a validator accepts "no
   * address" as proven (RFC 4035 §5.4). The zone is still signed (a flattened zone keeps an
   * unresolved alias's record, and signing what was asked is the tool's job); the warning names
   * how many and the first.
   *
   * @param zone the zone to sign
   * @return the warning line, or null when every alias name has addresses
   */
  static @Nullable String unflattened(Zone zone) {
    int count = 0;
    Record first = null;
    for (RecordSet set : zone) {
      if (!AliasRecord.isAliasType(set.type())
          || zone.get(set.owner(), Type.A).isPresent()
          || zone.get(set.owner(), Type.AAAA).isPresent()) {
        continue;
      }
      count += set.size();
      if (first == null) {
        first = set.first();
      }
    }
    if (first == null) {
      return null;
    }
    return "warning: " + count + " alias record" + (count == 1 ? "" : "s") + " (first: " + first
        + ") at names with no A or AAAA: signed as they are, the NSEC/NSEC3 records prove those"
        + " names have no addresses; sign what aliasdns flatten printed, or sign while serving"
        + " (aliasdns serve --key)";
  }

  /**
   * Returns a warning for each RSA key shorter than 2048 bits (RFC 8624 §3.1 and NIST SP
   * 800-131A: 1024-bit RSA is no longer deemed safe). Keys without the SEP flag get none: the
   * flag is only a hint for key management, validators ignore it (RFC 4034 §2.1.1).
   *
   * @return the warning lines, empty when every key is strong enough
   */
  static List<String> weakKeys(List<SigningKey> keys) {
    List<String> out = new ArrayList<>();
    for (SigningKey k : keys) {
      if (k.privateKey() instanceof RSAKey) {
        int bits = ((RSAKey) k.privateKey()).getModulus().bitLength();
        if (bits < 2048) {
          out.add(
              "warning: key " + k.fileStem() + " is a " + bits + "-bit RSA key; use 2048 bits or"
                  + " more (or algorithm 13)");
        }
      }
    }
    return out;
  }

  /**
   * Returns a warning when signatures expire sooner than the zone's largest TTL: a resolver may
   * then hold an RRset whose RRSIG expired (RFC 4035 §5.3.3 caps the TTL at the expiration).
   *
   * @return the warning line, or null when the validity is at least the largest TTL
   */
  static @Nullable String shortValidity(Zone zone, SigningPolicy policy) {
    long largest = 0;
    for (RecordSet set : zone) {
      largest = Math.max(largest, set.ttl());
    }
    if (policy.validity().getSeconds() >= largest) {
      return null;
    }
    return "warning: signature validity (" + policy.validity().getSeconds() + " s) is shorter"
        + " than the zone's largest TTL (" + largest + " s)";
  }

  /**
   * Reads key pairs given as {@code .key}/{@code .private} files or their stem. A revoked key
   * (RFC 5011 §2.1) is refused; a key's BIND timing metadata does not refuse it (see {@link
   * #timedSigner}).
   *
   * @throws UnusableInputException naming the file if one cannot be read or is revoked
   */
  static List<SigningKey> readKeys(List<Path> keys) {
    List<SigningKey> signingKeys = new ArrayList<>();
    for (Path k : keys) {
      try {
        signingKeys.add(KeyFiles.read(k));
      } catch (KeyFileException e) {
        throw new UnusableInputException(e.getMessage(), e);
      }
    }
    return signingKeys;
  }

  /**
   * Returns a signer of the keys read from their files that follows each key's BIND timing
   * (RFC 7583 §3.1, RFC 6781 §4.1): a key's DNSKEY is published from its {@code Publish} time
   * until its {@code Delete} time, and it signs from {@code Activate} until {@code Inactive}
   * (or {@code Revoke}). So a successor key can be given before it is active (pre-published:
   * its DNSKEY in the zone, no signatures yet) and a retired one after (published, signing
   * nothing), as in a rollover. Signing fails, naming the keys and their times, when no key of
   * a role signs at the time signed.
   *
   * @param files the key files, as given
   * @param keys the keys read from them, in the same order
   * @param policy the signing policy
   * @return the signer
   * @throws UnusableInputException naming the file if a timing field is not a time
   */
  static ZoneSigner timedSigner(List<Path> files, List<SigningKey> keys, SigningPolicy policy) {
    Map<SigningKey, KeyTiming> timings = new HashMap<>();
    try {
      for (int i = 0; i < keys.size(); i++) {
        KeyTiming t = KeyFiles.timing(files.get(i));
        if (!t.equals(KeyTiming.NONE)) {
          timings.put(keys.get(i), t);
        }
      }
      return ZoneSigner.of(keys, policy).withTiming(timings);
    } catch (KeyFileException | IllegalArgumentException e) {
      // a timing field that is not a time; a key given twice, or keys of two zones
      throw new UnusableInputException(e.getMessage(), e);
    }
  }

  /**
   * Warns about keys whose timing leaves them nothing to do at a time: past their {@code
   * Delete} time (neither published nor signing), given by mistake most likely.
   *
   * @param signer the signer, with the keys' timing
   * @param now the time signed
   * @return one warning line per such key
   */
  static List<String> deletedKeys(ZoneSigner signer, Instant now) {
    List<String> out = new ArrayList<>();
    for (SigningKey k : signer.keys()) {
      KeyTiming t = signer.timing(k);
      if (t.deletedAt(now)) {
        out.add("warning: key " + k.fileStem() + " was deleted at " + t.delete()
            + " (its Delete time): neither published nor signing");
      }
    }
    return out;
  }

  /** A duration as users write it: seconds, or a number with s, m, h, d or w. */
  static Duration duration(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.isEmpty()) {
        throw new NumberFormatException();
      }
      char unit = t.charAt(t.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(t));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      switch (unit) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        case 'w':
          return Duration.ofDays(7 * n);
        default:
          throw new NumberFormatException();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UnusableInputException(
          option + ": '" + text + "' is not a duration (e.g. 3600, 90m, 36h, 14d, 2w)", e);
    }
  }
}
