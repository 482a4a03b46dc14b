package org.aliasdns.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Record copies that dnsjava's public API does not offer. */
public final class Records {
  private Records() {}

  /**
   * Returns a copy of a record with another TTL. dnsjava keeps its TTL setter private, so the
   * copy goes through the record's own (uncompressed, case-preserving) wire form.
   *
   * @param record the record
   * @param ttl the new TTL in seconds
   * @return the record itself if it already has that TTL, else a copy
   */
  public static Record withTtl(Record record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    byte[] wire = record.toWire(Section.ANSWER);
    int at = record.getName().length() + 4; // after owner, type and class
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, Section.ANSWER);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy record " + record, e);
    }
  }
}
