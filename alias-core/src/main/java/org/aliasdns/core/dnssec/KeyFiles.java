package org.aliasdns.core.dnssec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Reads and writes DNSSEC keys in the file format of BIND's {@code dnssec-keygen}: a pair of
 * files {@code K<zone>+<alg>+<tag>.key} (the DNSKEY record in master-file form, after comment
 * lines) and {@code K<zone>+<alg>+<tag>.private} ({@code Private-key-format: v1.3} and one
 * {@code Field: value} line each: {@code PrivateKey} for algorithms 13 and 15, the RSA
 * components for 8, and the key's timing metadata). Keys this class writes are read by {@code
 * dnssec-signzone} and {@code ldns-signzone}; keys {@code dnssec-keygen} writes are read here.
 *
 * @since 0.1
 */
public final class KeyFiles {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIMESTAMP_LOCAL =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);
  private static final DateTimeFormatter READABLE =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final List<String> RSA_FIELDS =
      List.of(
          "Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2", "Exponent1",
          "Exponent2", "Coefficient");

  /** The REVOKE bit of the DNSKEY flags (RFC 5011 §2.1, bit 8: value 128). */
  private static final int REVOKE_FLAG = 0x0080;

  /** BIND's timing fields, in the order of a key's life. */
  private static final List<String> TIMING_FIELDS =
      List.of("Created", "Publish", "Activate", "Revoke", "Inactive", "Delete");

  /** BIND's stem: {@code K<zone>+<alg>+<tag>}, the algorithm and tag in decimal. */
  private static final Pattern STEM = Pattern.compile("K(.*)\\+(\\d{3})\\+(\\d{5})");

  private KeyFiles() {}

  /**
   * Checks that a key may sign now by the timing metadata {@code dnssec-keygen} and {@code
   * dnssec-settime} write: the {@code Publish}, {@code Activate}, {@code Revoke}, {@code
   * Inactive} and {@code Delete} fields of the {@code .private} file, or where it has none the
   * {@code ; Publish:} (and so on) comment lines of the {@code .key} file. A key may sign when
   * it is published and active ({@code Publish} and {@code Activate} not after {@code now}) and
   * neither revoked, inactive nor deleted (those times, where set, after {@code now}). A field
   * that is absent, or 0 (BIND's "unset"), sets no bound.
   *
   * @param path one of the two files, or their stem, as {@link #read}
   * @param now the time the key would sign at
   * @throws KeyFileException naming the file, the field and its time if the key may not sign
   *     now, or if a file is missing or a timing field is not a {@code YYYYMMDDHHMMSS} time
   */
  public static void checkActive(Path path, Instant now) {
    Map<String, TimingField> fields = timingFields(path);
    for (String field : TIMING_FIELDS) {
      TimingField f = fields.get(field);
      Instant at = f == null ? null : f.time(field);
      if (f == null || at == null) {
        continue;
      }
      Path file = f.file();
      boolean future = at.isAfter(now);
      String when = TIMESTAMP.format(at) + " (" + at + ")";
      switch (field) {
        case "Publish":
        case "Activate":
          if (future) {
            throw new KeyFileException(
                file.toString(), 0,
                "the key is not active yet: " + field + " " + when + " is after now (" + now
                    + ")",
                null);
          }
          break;
        case "Revoke":
        case "Inactive":
        case "Delete":
          if (!future) {
            throw new KeyFileException(
                file.toString(), 0,
                "the key is no longer active: " + field + " " + when + " is not after now ("
                    + now + ")",
                null);
          }
          break;
        default:
          break;
      }
    }
  }

  /**
   * Reads a key's timing metadata, from the same fields as {@link #checkActive}: {@code
   * Publish}, {@code Activate}, {@code Inactive} and {@code Delete}, with a {@code Revoke} time
   * taken as Inactive where it comes first (a revoked key signs nothing more, RFC 5011 §2.1).
   * A field that is absent or 0 sets no bound.
   *
   * @param path one of the two files, or their stem, as {@link #read}
   * @return the timing; {@link KeyTiming#NONE} when the files have no timing fields
   * @throws KeyFileException if a file is missing or a timing field is not a {@code
   *     YYYYMMDDHHMMSS} time
   */
  public static KeyTiming timing(Path path) {
    Map<String, TimingField> fields = timingFields(path);
    Map<String, Instant> at = new LinkedHashMap<>();
    for (String field : TIMING_FIELDS) {
      TimingField f = fields.get(field);
      Instant time = f == null ? null : f.time(field);
      if (time != null) {
        at.put(field, time);
      }
    }
    Instant inactive = at.get("Inactive");
    Instant revoke = at.get("Revoke");
    if (revoke != null && (inactive == null || revoke.isBefore(inactive))) {
      inactive = revoke;
    }
    return new KeyTiming(at.get("Publish"), at.get("Activate"), inactive, at.get("Delete"));
  }

  /** A timing field's value as written, and the file it was read from. */
  private record TimingField(String value, Path file) {
    /**
     * Returns the field's time, or null for 0 (BIND's "unset").
     *
     * @throws KeyFileException naming the file and field if it is not a {@code YYYYMMDDHHMMSS}
     *     time
     */
    @Nullable Instant time(String field) {
      if (value.matches("0+")) {
        return null;
      }
      try {
        return LocalDateTime.parse(value, TIMESTAMP_LOCAL).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new KeyFileException(
            file.toString(), 0, field + ": '" + value + "' is not a YYYYMMDDHHMMSS time", e);
      }
    }
  }

  /**
   * Returns a key's timing fields by name: {@code Field: YYYYMMDDHHMMSS} lines of its {@code
   * .private} file, or where that has none, {@code ; Field: YYYYMMDDHHMMSS (...)} comment lines
   * of its {@code .key} file.
   */
  private static Map<String, TimingField> timingFields(Path path) {
    String stem = stem(path);
    Path keyFile = path.resolveSibling(stem + ".key");
    Path privateFile = path.resolveSibling(stem + ".private");
    // The .private file's fields, as BIND reads them; only a file with none (an older
    // dnssec-keygen, a hand-made pair) lets the .key file's comment lines speak.
    Map<String, TimingField> fields = new LinkedHashMap<>();
    timingFields(privateFile, false, fields);
    if (fields.isEmpty()) {
      timingFields(keyFile, true, fields);
    }
    return fields;
  }

  private static void timingFields(Path file, boolean comments, Map<String, TimingField> fields) {
    for (String raw : text(file).split("\n", -1)) {
      String line = raw.strip();
      if (comments) {
        if (!line.startsWith(";")) {
          continue;
        }
        line = line.substring(1).strip();
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String field = line.substring(0, colon).strip();
      if (!TIMING_FIELDS.contains(field)) {
        continue;
      }
      String value = line.substring(colon + 1).strip().split("\\s+")[0];
      fields.put(field, new TimingField(value, file));
    }
  }

  /** The stem of a key's files ({@code Kexample.com.+013+12345}) from either file or the stem. */
  private static String stem(Path path) {
    String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    if (name.endsWith(".key")) {
      return name.substring(0, name.length() - 4);
    }
    if (name.endsWith(".private")) {
      return name.substring(0, name.length() - 8);
    }
    return name;
  }

  /**
   * Reads a key pair. The path may name the {@code .key} file, the {@code .private} file or
   * their common stem ({@code Kexample.com.+013+12345}); the other file is found beside it.
   *
   * @param path one of the two files, or their stem
   * @return the key, checked to be a matching pair
   * @throws KeyFileException if a file is missing, unreadable or malformed, the algorithm is not
   *     8, 13 or 15, or the private key does not belong to the DNSKEY
   */
  public static SigningKey read(Path path) {
    String stem = stem(path);
    Path keyFile = path.resolveSibling(stem + ".key");
    Path privateFile = path.resolveSibling(stem + ".private");
    DNSKEYRecord dnskey = readDnskey(keyFile);
    if ((dnskey.getFlags() & REVOKE_FLAG) != 0) {
      // RFC 5011 §2.1: a revoked key is no longer a trust anchor; it must not sign the zone.
      throw new KeyFileException(
          keyFile.toString(), 0,
          "the key is revoked (flags " + dnskey.getFlags() + ", REVOKE bit, RFC 5011 §2.1):"
              + " a revoked key does not sign",
          null);
    }
    DnssecAlgorithm algorithm;
    try {
      algorithm = DnssecAlgorithm.ofNumber(dnskey.getAlgorithm());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(keyFile.toString(), 0, String.valueOf(e.getMessage()), e);
    }
    PrivateKey privateKey = readPrivate(privateFile, algorithm);
    SigningKey key;
    try {
      key = SigningKey.of(dnskey, privateKey);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(privateFile.toString(), 0, String.valueOf(e.getMessage()), e);
    }
    checkStem(keyFile, stem, key);
    return key;
  }

  /**
   * Refuses a key whose file name, in BIND's form, names another zone, algorithm or key tag than
   * the key's own (RFC 4034 Appendix B): a renamed or hand-edited file. BIND's dnssec-signzone
   * finds keys by the zone and tag in the name and fails on such a file; signing with it would
   * publish a key whose owner or tag no file or tool agrees on. The zone may be spelled as
   * {@code dnssec-keygen} writes it or in master-file form, in any case. A name not in BIND's
   * form is not checked.
   */
  private static void checkStem(Path keyFile, String stem, SigningKey key) {
    Matcher m = STEM.matcher(stem);
    if (!m.matches()) {
      return;
    }
    String zone = m.group(1);
    int algorithm = Integer.parseInt(m.group(2));
    int tag = Integer.parseInt(m.group(3));
    if (!namesZone(zone, key.zone())) {
      throw new KeyFileException(
          keyFile.toString(), 0,
          "the file name says zone " + zone + ", the key is for " + key.zone()
              + " (a renamed file? its name would be " + key.fileStem() + ".key)",
          null);
    }
    if (algorithm != key.algorithm().number() || tag != key.keyTag()) {
      throw new KeyFileException(
          keyFile.toString(), 0,
          "the file name says algorithm " + algorithm + " key tag " + tag + ", the key is"
              + " algorithm " + key.algorithm().number() + " key tag " + key.keyTag()
              + " (a renamed file? its name would be " + key.fileStem() + ".key)",
          null);
    }
  }

  /**
   * Whether a file name's zone part names a zone: in master-file form (escapes such as {@code
   * \.} or {@code \046}, RFC 1035 §5.1) or in {@code dnssec-keygen}'s, whose {@code %XX}
   * stands for a byte, in any case, with or without the final dot.
   */
  private static boolean namesZone(String text, Name zone) {
    return readings(text).contains(zone);
  }

  /** The names a file name's zone part may mean: as written, and with {@code %XX} decoded. */
  private static java.util.Set<Name> readings(String text) {
    java.util.Set<Name> out = new java.util.HashSet<>();
    StringBuilder decoded = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1))
          && isHex(text.charAt(i + 2))) {
        int b = Integer.parseInt(text.substring(i + 1, i + 3), 16);
        decoded.append('\\').append(String.format(Locale.ROOT, "%03d", b));
        i += 2;
      } else {
        decoded.append(c);
      }
    }
    for (String candidate : List.of(text, decoded.toString())) {
      try {
        String absolute = candidate.endsWith(".") ? candidate : candidate + ".";
        out.add(Name.fromString(absolute));
      } catch (TextParseException e) {
        // not a name in this reading; the other may be
      }
    }
    return out;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file.toString(), 0, "no such file", e);
    } catch (IOException e) {
      throw new KeyFileException(file.toString(), 0, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static DNSKEYRecord readDnskey(Path file) {
    String text = text(file);
    DNSKEYRecord found = null;
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
      master.disableIncludes();
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (!(r instanceof DNSKEYRecord)) {
          throw new KeyFileException(
              file.toString(), 0, "expected a DNSKEY record, found " + r, null);
        }
        if (found != null) {
          throw new KeyFileException(file.toString(), 0, "more than one DNSKEY record", null);
        }
        found = (DNSKEYRecord) r;
      }
    } catch (IOException e) {
      throw new KeyFileException(file.toString(), 0, "not a DNSKEY record: " + e.getMessage(), e);
    }
    if (found == null) {
      throw new KeyFileException(file.toString(), 0, "no DNSKEY record in the file", null);
    }
    return found;
  }

  private static PrivateKey readPrivate(Path file, DnssecAlgorithm algorithm) {
    String text = text(file);
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    String[] all = text.split("\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i].strip();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new KeyFileException(file.toString(), i + 1, "expected 'Field: value'", null);
      }
      String key = line.substring(0, colon).strip();
      fields.put(key, line.substring(colon + 1).strip());
      lines.put(key, i + 1);
    }
    String format = fields.get("Private-key-format");
    if (format == null || !format.startsWith("v1.")) {
      throw new KeyFileException(
          file.toString(), 0, "not a BIND private key file (no 'Private-key-format: v1.x')", null);
    }
    String alg = require(file, fields, "Algorithm");
    String number = alg.split("\\s+")[0];
    if (!number.equals(Integer.toString(algorithm.number()))) {
      throw new KeyFileException(
          file.toString(), lines.getOrDefault("Algorithm", 0),
          "algorithm " + alg + " does not match the DNSKEY's " + algorithm, null);
    }
    try {
      switch (algorithm) {
        case ECDSAP256SHA256:
          {
            byte[] scalar = base64(file, lines, fields, "PrivateKey");
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            return KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), spec));
          }
        case ED25519:
          {
            byte[] seed = base64(file, lines, fields, "PrivateKey");
            if (seed.length != 32) {
              throw new KeyFileException(
                  file.toString(), lines.getOrDefault("PrivateKey", 0),
                  "an Ed25519 private key is 32 bytes, this one " + seed.length, null);
            }
            return KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
          }
        case RSASHA256:
        default:
          {
            BigInteger[] v = new BigInteger[RSA_FIELDS.size()];
            for (int i = 0; i < v.length; i++) {
              v[i] = new BigInteger(1, base64(file, lines, fields, RSA_FIELDS.get(i)));
            }
            return KeyFactory.getInstance("RSA")
                .generatePrivate(
                    new RSAPrivateCrtKeySpec(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
          }
      }
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(
          file.toString(), 0, "not a valid " + algorithm.mnemonic() + " private key: "
              + e.getMessage(), e);
    }
  }

  private static String require(Path file, Map<String, String> fields, String field) {
    String value = fields.get(field);
    if (value == null || value.isEmpty()) {
      throw new KeyFileException(file.toString(), 0, "missing field '" + field + "'", null);
    }
    return value;
  }

  private static byte[] base64(
      Path file, Map<String, Integer> lines, Map<String, String> fields, String field) {
    String value = require(file, fields, field);
    try {
      return Base64.getMimeDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(
          file.toString(), lines.getOrDefault(field, 0), field + " is not base64", e);
    }
  }

  /**
   * Finds the keys of a zone in a key directory, as BIND's {@code key-directory} does: every
   * {@code K<zone>+<alg>+<tag>.key} or {@code .private} file there whose zone part names this
   * zone (in {@code dnssec-keygen}'s spelling or in master-file form, any case, with or without
   * the final dot). Subdirectories are not searched. A key is found by either of its files, so
   * that one whose other half is missing fails where it is read ({@link #read}) rather than
   * being left out unnoticed.
   *
   * @param directory the directory
   * @param zone the zone, absolute
   * @return the stems of the keys found ({@code directory/Kexample.com.+013+12345}), each once,
   *     sorted by file name, for {@link #read} and {@link #timing}; empty when there is none
   * @throws KeyFileException if the directory cannot be listed
   */
  public static List<Path> find(Path directory, Name zone) {
    return findAll(directory).getOrDefault(zone, List.of());
  }

  /**
   * Finds the keys of every zone in a key directory at once, as {@link #find} finds one zone's:
   * one listing of the directory for a server of many zones.
   *
   * @param directory the directory
   * @return for each zone that has a key there, the stems of its keys, each once, sorted by
   *     file name; a file name that reads as two names (its {@code %XX} taken as a byte or
   *     literally) is listed under both
   * @throws KeyFileException if the directory cannot be listed
   */
  public static Map<Name, List<Path>> findAll(Path directory) {
    Map<Name, java.util.SortedSet<String>> stems = new LinkedHashMap<>();
    try (java.util.stream.Stream<Path> files = Files.list(directory)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = String.valueOf(f.getFileName());
        if (!name.endsWith(".private") && !name.endsWith(".key")) {
          continue;
        }
        String stem = stem(f);
        Matcher m = STEM.matcher(stem);
        if (m.matches()) {
          for (Name zone : readings(m.group(1))) {
            stems.computeIfAbsent(zone, z -> new java.util.TreeSet<>()).add(stem);
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new KeyFileException(
          directory.toString(), 0, "the key directory cannot be listed: " + e.getMessage(), e);
    }
    Map<Name, List<Path>> out = new LinkedHashMap<>();
    stems.forEach((zone, names) -> out.put(zone, names.stream().map(directory::resolve).toList()));
    return out;
  }

  /**
   * Writes a key pair as {@code dnssec-keygen} does: {@code <stem>.key} and {@code
   * <stem>.private} in a directory ({@link SigningKey#fileStem()}), the private file readable by
   * its owner only where the file system has POSIX permissions. Existing files are not
   * overwritten.
   *
   * @param key the key
   * @param directory an existing directory
   * @param created the creation, publication and activation time written into the files
   * @return the path of the {@code .key} file
   * @throws KeyFileException if a file exists already or cannot be written
   */
  public static Path write(SigningKey key, Path directory, Instant created) {
    Path keyFile = directory.resolve(key.fileStem() + ".key");
    Path privateFile = directory.resolve(key.fileStem() + ".private");
    writeNew(privateFile, privateText(key, created), true);
    writeNew(keyFile, publicText(key, created), false);
    return keyFile;
  }

  /**
   * Returns the text of the {@code .key} file: comment lines with the role, key tag and times,
   * then the DNSKEY record (without TTL where it is 0, as BIND writes it).
   *
   * @param key the key
   * @param created the creation, publication and activation time
   * @return the file text
   */
  public static String publicText(SigningKey key, Instant created) {
    StringBuilder sb = new StringBuilder();
    sb.append("; This is a ")
        .append(key.isSecureEntryPoint() ? "key-signing" : "zone-signing")
        .append(" key, keyid ")
        .append(key.keyTag())
        .append(", for ")
        .append(key.zone())
        .append('\n');
    String t = TIMESTAMP.format(created) + " (" + READABLE.format(created) + ")";
    sb.append("; Created: ").append(t).append('\n');
    sb.append("; Publish: ").append(t).append('\n');
    sb.append("; Activate: ").append(t).append('\n');
    DNSKEYRecord r = key.dnskey();
    sb.append(r.getName()).append(' ');
    if (r.getTTL() > 0) {
      sb.append(r.getTTL()).append(' ');
    }
    sb.append("IN DNSKEY ").append(r.rdataToString()).append('\n');
    return sb.toString();
  }

  /**
   * Returns the text of the {@code .private} file ({@code Private-key-format: v1.3}).
   *
   * @param key the key
   * @param created the creation, publication and activation time
   * @return the file text
   */
  public static String privateText(SigningKey key, Instant created) {
    StringBuilder sb = new StringBuilder();
    sb.append("Private-key-format: v1.3\n");
    sb.append("Algorithm: ").append(key.algorithm()).append('\n');
    PrivateKey pk = key.privateKey();
    switch (key.algorithm()) {
      case ECDSAP256SHA256:
        sb.append("PrivateKey: ")
            .append(b64(unsigned(((ECPrivateKey) pk).getS(), 32)))
            .append('\n');
        break;
      case ED25519:
        byte[] seed =
            ((EdECPrivateKey) pk)
                .getBytes()
                .orElseThrow(() -> new IllegalStateException("the Ed25519 key hides its bytes"));
        sb.append("PrivateKey: ").append(b64(seed)).append('\n');
        break;
      case RSASHA256:
      default:
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) pk;
        BigInteger[] v = {
          rsa.getModulus(), rsa.getPublicExponent(), rsa.getPrivateExponent(), rsa.getPrimeP(),
          rsa.getPrimeQ(), rsa.getPrimeExponentP(), rsa.getPrimeExponentQ(),
          rsa.getCrtCoefficient()
        };
        for (int i = 0; i < v.length; i++) {
          sb.append(RSA_FIELDS.get(i)).append(": ").append(b64(unsigned(v[i], 0))).append('\n');
        }
        break;
    }
    String t = TIMESTAMP.format(created);
    sb.append("Created: ").append(t).append('\n');
    sb.append("Publish: ").append(t).append('\n');
    sb.append("Activate: ").append(t).append('\n');
    return sb.toString();
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Big-endian magnitude without a sign byte, left-padded with zeros to at least length. */
  private static byte[] unsigned(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    int start = raw.length > 1 && raw[0] == 0 ? 1 : 0;
    int size = Math.max(raw.length - start, length);
    byte[] out = new byte[size];
    System.arraycopy(raw, start, out, size - (raw.length - start), raw.length - start);
    return out;
  }

  private static void writeNew(Path file, String text, boolean secret) {
    try {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      @Nullable Path created = null;
      if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        created =
            Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      if (created == null) {
        Files.createFile(file);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(file.toString(), 0, "exists already; not overwritten", e);
    } catch (IOException e) {
      throw new KeyFileException(file.toString(), 0, "cannot be written: " + e.getMessage(), e);
    }
  }
}
