package org.aliasdns.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.AliasRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Reads the short master-file lines of the testkit's DSL: names are taken as absolute whether or
 * not they end in a dot (the origin is the root), a line without a TTL gets {@value
 * #DEFAULT_TTL} s, and ALIAS/ANAME are understood.
 */
public final class RecordLines {
  /** The TTL of a record line that states none. */
  public static final long DEFAULT_TTL = 300;

  private RecordLines() {}

  /**
   * Parses master-file lines; each string may hold several lines.
   *
   * @param lines the lines
   * @return the records, in the order given
   * @throws IllegalArgumentException if a line does not parse, or there are no records
   */
  public static List<Record> parse(String... lines) {
    AliasRecord.registerTypes();
    String text = String.join("\n", lines);
    List<Record> out = new ArrayList<>();
    // dnsjava's own master-file parser, which keeps the order (a zone would sort the records).
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, DEFAULT_TTL)) {
      master.disableIncludes();
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r.getDClass() != DClass.IN) {
          throw new IllegalArgumentException("only class IN records are supported: " + r);
        }
        out.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read records: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no records given");
    }
    return out;
  }

  /**
   * Parses a name, absolute whether or not it ends in a dot.
   *
   * @param name the name text
   * @return the absolute name
   * @throws IllegalArgumentException if it does not parse
   */
  public static Name name(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: " + name + " (" + e.getMessage() + ")", e);
    }
  }
}
