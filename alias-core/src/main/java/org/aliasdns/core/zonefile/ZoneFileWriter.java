package org.aliasdns.core.zonefile;

import org.aliasdns.core.AddressText;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.UNKRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base16;

/**
 * Writes a {@link Zone} as RFC 1035 master-file text: an {@code $ORIGIN} line, then one record
 * per line with owner (relative to the origin, {@code @} for the apex), TTL, class, type and
 * rdata; the SOA first, then every RRset in DNSSEC canonical order. The same zone always gives
 * the same text, and {@link ZoneFileReader} reads it back to an equal zone.
 *
 * <p>IPv6 addresses are written in RFC 5952 form ({@code 2001:db8::80}, see {@link
 * AddressText}). Rdata whose mnemonic text would not read back to the same record (a TXT record
 * without strings, a DS record with an empty digest, an SVCB hint dnsjava cannot write) is
 * written in RFC 3597 §5 generic form with the type's mnemonic ({@code DS \# 4 c0000201}), so
 * everything the reader accepts round-trips.
 *
 * <p>ALIAS and ANAME records are written with their mnemonics by default. Servers that do not
 * know them (BIND's {@code named-checkzone}, NSD, Knot) accept them in RFC 3597 generic form
 * ({@code TYPE65401 \# ...}); choose that with {@link #withGenericAliasTypes()}. For tools older
 * than other types, such as SVCB and HTTPS (RFC 9460, 2023), {@link #withGenericTypes(int...)}
 * writes those in generic form too ({@code TYPE65 \# ...}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ZoneFileWriter {
  private static final ZoneFileWriter DEFAULT = new ZoneFileWriter(new int[0]);

  /** The types written in RFC 3597 generic form, sorted, without repeats. */
  private final int[] genericTypes;

  private ZoneFileWriter(int[] genericTypes) {
    this.genericTypes = genericTypes;
  }

  /**
   * Returns the writer that uses the ALIAS and ANAME mnemonics.
   *
   * @return the default writer
   */
  public static ZoneFileWriter defaults() {
    return DEFAULT;
  }

  /**
   * Returns a writer that writes ALIAS and ANAME in RFC 3597 generic form, for tools that do
   * not know these types.
   *
   * @return the writer
   */
  public ZoneFileWriter withGenericAliasTypes() {
    return withGenericTypes(AliasRecord.ALIAS, AliasRecord.ANAME);
  }

  /**
   * Returns a writer that also writes records of these types in RFC 3597 generic form, {@code
   * TYPEnn \# length hex} (RFC 3597 §5), for tools that do not know them: {@code
   * withGenericTypes(Type.SVCB, Type.HTTPS)} for SVCB and HTTPS records (RFC 9460).
   *
   * @param types type codes, 1 to 65535
   * @return the writer
   * @throws IllegalArgumentException if a type code is out of range
   * @since 0.2
   */
  public ZoneFileWriter withGenericTypes(int... types) {
    java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
    for (int t : genericTypes) {
      all.add(t);
    }
    for (int t : types) {
      if (t < 1 || t > 0xFFFF) {
        throw new IllegalArgumentException("type code out of range: " + t);
      }
      all.add(t);
    }
    return new ZoneFileWriter(all.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Returns the zone as master-file text.
   *
   * @param zone the zone
   * @return the text, ending with a newline
   */
  public String toText(Zone zone) {
    StringBuilder sb = new StringBuilder(64 + (int) Math.min(zone.recordCount() * 48, 1 << 28));
    try {
      write(zone, sb);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder never throws
    }
    return sb.toString();
  }

  /**
   * Writes the zone as master-file text.
   *
   * @param zone the zone
   * @param out where to write; not closed
   * @throws IOException if writing fails
   */
  public void write(Zone zone, Writer out) throws IOException {
    write(zone, (Appendable) out);
  }

  private void write(Zone zone, Appendable out) throws IOException {
    Name origin = zone.origin();
    out.append("$ORIGIN ").append(origin.toString()).append('\n');
    Optional<RecordSet> soa = zone.get(origin, Type.SOA);
    if (soa.isPresent()) {
      writeSet(soa.get(), origin, out);
    }
    for (RecordSet set : zone) {
      if (set.type() != Type.SOA || !set.owner().equals(origin)) {
        writeSet(set, origin, out);
      }
    }
  }

  private void writeSet(RecordSet set, Name origin, Appendable out) throws IOException {
    String owner = ownerText(set.owner(), origin);
    boolean generic = genericTypes.length > 0 && Arrays.binarySearch(genericTypes, set.type()) >= 0;
    String type = generic ? "TYPE" + set.type() : Type.string(set.type());
    for (Record r : set) {
      out.append(owner)
          .append('\t')
          .append(Long.toString(r.getTTL()))
          .append("\tIN\t")
          .append(type)
          .append('\t')
          .append(generic ? genericRdata(r) : rdata(r))
          .append('\n');
    }
  }

  /**
   * The rdata in mnemonic form where that reads back to the same record, else in RFC 3597 §5
   * generic form. The types whose mnemonic text always reads back are not parsed again.
   */
  private static String rdata(Record r) {
    if (r instanceof UNKRecord) {
      return genericRdata(r); // dnsjava's own text for it ends in a space
    }
    String text = AddressText.rdata(r);
    if (readsBack(r)) {
      return text;
    }
    try {
      Record back = Record.fromString(r.getName(), r.getType(), r.getDClass(), r.getTTL(), text, Name.root);
      if (back.equals(r)) {
        return text;
      }
    } catch (IOException | RuntimeException e) {
      // not readable as written: the generic form below is
    }
    return genericRdata(r);
  }

  /** Whether a record's mnemonic text always reads back to it: names and bounded numbers. */
  private static boolean readsBack(Record r) {
    return switch (r.getType()) {
      case Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.PTR, Type.DNAME, Type.MX, Type.SRV,
          Type.SOA, AliasRecord.ALIAS, AliasRecord.ANAME ->
          true;
      // At least one string: quoted, with every byte that needs it escaped.
      case Type.TXT -> r instanceof TXTRecord txt && !txt.getStringsAsByteArrays().isEmpty();
      default -> false;
    };
  }

  private static String ownerText(Name owner, Name origin) {
    String originText = origin.toString();
    if (!new Name(owner, owner.labels() - origin.labels()).toString().equals(originText)) {
      // The owner spells the origin's labels in another case; only the absolute form keeps it.
      return owner.toString();
    }
    if (owner.labels() == origin.labels()) {
      return "@";
    }
    String text = owner.relativize(origin).toString();
    // A leading '$' would read back as a directive.
    return text.startsWith("$") ? "\\" + text : text;
  }

  private static String genericRdata(Record r) {
    // RFC 3597 §5: \# <length> <hex>, the rdata uncompressed and in its own case: the record's
    // wire form after owner, type, class, TTL and RDLENGTH.
    byte[] wire = r.toWire(Section.ANSWER);
    int at = r.getName().length() + 10;
    int length = wire.length - at;
    return length == 0
        ? "\\# 0"
        : "\\# " + length + " " + base16.toString(Arrays.copyOfRange(wire, at, wire.length));
  }
}
