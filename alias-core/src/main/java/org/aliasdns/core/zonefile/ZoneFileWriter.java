package org.aliasdns.core.zonefile;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base16;

/**
 * Writes a {@link Zone} as RFC 1035 master-file text: an {@code $ORIGIN} line, then one record
 * per line with owner (relative to the origin, {@code @} for the apex), TTL, class, type and
 * rdata; the SOA first, then every RRset in DNSSEC canonical order. The same zone always gives
 * the same text, and {@link ZoneFileReader} reads it back to an equal zone.
 *
 * <p>ALIAS and ANAME records are written with their mnemonics by default. Servers that do not
 * know them (BIND's {@code named-checkzone}, NSD, Knot) accept them in RFC 3597 generic form
 * ({@code TYPE65401 \# ...}); choose that with {@link #withGenericAliasTypes()}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ZoneFileWriter {
  private static final ZoneFileWriter DEFAULT = new ZoneFileWriter(false);

  private final boolean genericAliasTypes;

  private ZoneFileWriter(boolean genericAliasTypes) {
    this.genericAliasTypes = genericAliasTypes;
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
    return new ZoneFileWriter(true);
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
    boolean generic = genericAliasTypes && AliasRecord.isAliasType(set.type());
    String type = generic ? "TYPE" + set.type() : Type.string(set.type());
    for (Record r : set) {
      out.append(owner)
          .append('\t')
          .append(Long.toString(r.getTTL()))
          .append("\tIN\t")
          .append(type)
          .append('\t')
          .append(generic ? genericRdata(r) : r.rdataToString())
          .append('\n');
    }
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
    // RFC 3597 §5: \# <length> <hex>; the rdata of an alias is its target, uncompressed.
    byte[] rdata = ((AliasRecord) r).getTarget().toWire();
    return "\\# " + rdata.length + " " + base16.toString(rdata);
  }
}
