package org.aliasdns.resolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DNSSEC trust anchors an {@link AliasResolver} validates alias targets' chains from (RFC
 * 4033 §3.1, RFC 4035 §4.4): DS or DNSKEY records, each naming the zone it anchors by its
 * owner. Typically the root zone's DS (IANA's {@code root-anchors}), or a zone's own DS or key
 * for a private tree.
 *
 * <p>The file form is a plain master file (RFC 1035 §5) holding only DS and DNSKEY records with
 * absolute owner names, one record per entry, comments with {@code ;} — what {@code
 * dnssec-dsfromkey}, {@code ldns-key2ds} and {@code dig DS} print, what Unbound's {@code
 * trust-anchor-file} and dnsjava's validator read, and what {@code FakeDns.trustAnchor} returns.
 * BIND's {@code trust-anchors { ... };} clause is named.conf syntax, not a record format, and
 * is not read: {@code named.conf} users convert it with one {@code dig DS} or {@code
 * dnssec-dsfromkey}. For example:
 *
 * <pre>
 * . 86400 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
 * </pre>
 *
 * @since 0.2
 */
public final class TrustAnchors {
  private final List<Record> records;

  private TrustAnchors(List<Record> records) {
    this.records = records;
  }

  /**
   * Makes trust anchors from records.
   *
   * @param records DS or DNSKEY records, class IN, with absolute owners
   * @return the anchors
   * @throws IllegalArgumentException if there are none, or one is of another type or class
   */
  public static TrustAnchors of(Collection<? extends Record> records) {
    List<Record> copy = new ArrayList<>(records.size());
    for (Record r : records) {
      String wrong = wrong(Objects.requireNonNull(r, "record"));
      if (wrong != null) {
        throw new IllegalArgumentException(wrong);
      }
      copy.add(r);
    }
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no trust anchor: expected DS or DNSKEY records");
    }
    return new TrustAnchors(List.copyOf(copy));
  }

  /**
   * Reads trust anchors from master-file text (see the class comment for the form).
   *
   * @param text the records
   * @param source where the text came from, for messages (a file name)
   * @return the anchors
   * @throws ZoneFileException naming the source (and line, where known) if the text does not
   *     parse, holds a record other than DS or DNSKEY, or holds none
   */
  public static TrustAnchors parse(String text, String source) {
    List<Record> found = new ArrayList<>();
    // Master from a stream: no $INCLUDE, owners relative to the root (so must be absolute).
    // A trust anchor's TTL is irrelevant, and dnssec-dsfromkey and .key files print none: the
    // initial TTL 0 stands in for a missing one (what Unbound's trust-anchor-file accepts).
    try (Master master =
        new Master(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
      master.disableIncludes();
      Record r;
      while ((r = master.nextRecord()) != null) {
        String wrong = wrong(r);
        if (wrong != null) {
          throw new ZoneFileException(source, lineOf(text, r), wrong);
        }
        found.add(r);
      }
    } catch (IOException e) {
      throw located(source, e);
    }
    if (found.isEmpty()) {
      throw new ZoneFileException(source, 0, "no trust anchor: expected DS or DNSKEY records");
    }
    return new TrustAnchors(List.copyOf(found));
  }

  /**
   * Reads trust anchors from a file (see the class comment for the form).
   *
   * @param file the file, UTF-8
   * @return the anchors
   * @throws ZoneFileException naming the file if it cannot be read or does not hold anchors
   */
  public static TrustAnchors read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ZoneFileException(file.toString(), 0, "no such file", e);
    } catch (IOException e) {
      throw new ZoneFileException(file.toString(), 0, "cannot be read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** dnsjava's parse messages start with its stream's name and line: {@code <none>:LINE: }. */
  private static final java.util.regex.Pattern DNSJAVA_POSITION =
      java.util.regex.Pattern.compile("^[^:]*:(\\d+): (.*)$", java.util.regex.Pattern.DOTALL);

  private static ZoneFileException located(String source, IOException e) {
    String message = String.valueOf(e.getMessage());
    java.util.regex.Matcher m = DNSJAVA_POSITION.matcher(message);
    if (m.matches()) {
      int line;
      try {
        line = Integer.parseInt(m.group(1));
      } catch (NumberFormatException tooLong) {
        line = 0;
      }
      return new ZoneFileException(source, line, "not a DS or DNSKEY record: " + m.group(2), e);
    }
    return new ZoneFileException(source, 0, "not a DS or DNSKEY record: " + message, e);
  }

  /** The 1-based line where a record's owner first appears, or 0 if not found. */
  private static int lineOf(String text, Record r) {
    String owner = r.getName().toString();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip().toLowerCase(java.util.Locale.ROOT);
      if (line.startsWith(owner.toLowerCase(java.util.Locale.ROOT))) {
        return i + 1;
      }
    }
    return 0;
  }

  private static @org.jspecify.annotations.Nullable String wrong(Record r) {
    if (!(r instanceof DSRecord) && !(r instanceof DNSKEYRecord)) {
      return "a trust anchor is a DS or DNSKEY record, not " + r;
    }
    if (r.getDClass() != DClass.IN) {
      return "a trust anchor is of class IN, not " + DClass.string(r.getDClass()) + ": " + r;
    }
    if (!r.getName().isAbsolute()) {
      return "a trust anchor's owner must be absolute: " + r;
    }
    return null;
  }

  /**
   * Returns the records.
   *
   * @return an unmodifiable list of DS and DNSKEY records, in the order given
   */
  public List<Record> records() {
    return records;
  }

  /**
   * Returns the zones anchored: the records' owners.
   *
   * @return an unmodifiable set, in the order first given
   */
  public Set<Name> zones() {
    Set<Name> zones = new LinkedHashSet<>();
    for (Record r : records) {
      zones.add(r.getName());
    }
    return java.util.Collections.unmodifiableSet(zones);
  }

  /**
   * DNSSEC algorithms dnsjava's validator (3.7) verifies by default (RFC 8624 §3.1: RSASHA1,
   * RSASHA1-NSEC3-SHA1, RSASHA256, RSASHA512, ECDSA P-256/P-384, Ed25519, Ed448).
   */
  private static final Set<Integer> VALIDATED_ALGORITHMS = Set.of(5, 7, 8, 10, 13, 14, 15, 16);

  /** DS digest types dnsjava's validator (3.7) computes by default: SHA-1, SHA-256, SHA-384. */
  private static final Set<Integer> VALIDATED_DIGESTS = Set.of(1, 2, 4);

  /**
   * Says what in these anchors will make answers INSECURE rather than validated: each anchor
   * whose algorithm or DS digest type the validator cannot use (RFC 6840 §5.2: such a zone is
   * treated as insecure), and each target not at or below any anchor's owner (outside every
   * anchored tree, so insecure by design, RFC 4035 §4.3).
   *
   * @param targets the names that will be resolved (alias targets, or a traced name)
   * @return one line of text per finding, for a start-up warning; empty if none
   */
  public List<String> warnings(Collection<Name> targets) {
    List<String> lines = new ArrayList<>();
    for (Record r : records) {
      String unusable = unusable(r);
      if (unusable != null) {
        lines.add(
            "trust anchor "
                + r.getName()
                + " "
                + Type.string(r.getType())
                + " "
                + unusable
                + ": the validator cannot use it, so answers under "
                + r.getName()
                + " are INSECURE, not validated (RFC 6840 §5.2)");
      }
    }
    Set<Name> seen = new LinkedHashSet<>();
    for (Name target : targets) {
      if (!seen.add(target)) {
        continue;
      }
      boolean covered = false;
      for (Name zone : zones()) {
        if (target.subdomain(zone)) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        lines.add(
            "target "
                + target
                + " is not at or below any trust anchor ("
                + String.join(", ", zones().stream().map(Name::toString).toList())
                + "): its answers are INSECURE, not validated");
      }
    }
    return List.copyOf(lines);
  }

  private static @org.jspecify.annotations.Nullable String unusable(Record r) {
    if (r instanceof DSRecord ds) {
      if (!VALIDATED_ALGORITHMS.contains(ds.getAlgorithm())) {
        return "has unsupported algorithm " + ds.getAlgorithm();
      }
      if (!VALIDATED_DIGESTS.contains(ds.getDigestID())) {
        return "has unsupported digest type " + ds.getDigestID();
      }
    } else if (r instanceof DNSKEYRecord key && !VALIDATED_ALGORITHMS.contains(key.getAlgorithm())) {
      return "has unsupported algorithm " + key.getAlgorithm();
    }
    return null;
  }

  /**
   * Returns the anchors as master-file text, one record a line.
   *
   * @return the text, as {@link #parse} reads it
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Record r : records) {
      out.append(r).append('\n');
    }
    return out.toString();
  }

  /**
   * Tells whether another object holds the same records in the same order.
   *
   * @param other the object
   * @return true if it is trust anchors with equal records
   */
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof TrustAnchors t && t.text().equals(text());
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  @Override
  public String toString() {
    return "TrustAnchors" + zones();
  }
}
