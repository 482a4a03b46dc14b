package org.aliasdns.server.internal;

import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Packs a zone into the messages of a full zone transfer (RFC 5936 §2.2): the SOA, every other
 * record, the SOA again; the question in the first message only; AA set and the query's id in all.
 * Records are never split; an RRset stays in one message when it fits one.
 */
public final class TransferMessages {
  /** A message is closed once the next records would take it past this many bytes. */
  public static final int MESSAGE_BUDGET = 16 * 1024;

  /** Header (12) plus room for the question; the question is at most 255 + 4 bytes. */
  private static final int OVERHEAD = 12 + 260;

  private TransferMessages() {}

  /**
   * Builds the messages.
   *
   * @param zone the zone, with an SOA
   * @param soa the zone's SOA
   * @param query the AXFR or IXFR query being answered
   * @return the messages, in order
   */
  public static List<Message> of(Zone zone, SOARecord soa, Message query) {
    Packer packer = new Packer(query);
    packer.add(List.of(soa));
    for (RecordSet set : zone) {
      if (set.type() == Type.SOA && set.owner().equals(zone.origin())) {
        continue;
      }
      packer.add(set.records());
    }
    packer.add(List.of(soa));
    return packer.finish();
  }

  /**
   * Builds the messages of an incremental transfer (RFC 1995 §4): the new SOA; the SOA of the
   * client's version and the records to delete; the new SOA and the records to add; the new SOA
   * again. One difference sequence, condensed over every version between.
   *
   * @param soa the zone's current SOA
   * @param difference what the client's version lacks and has too much of
   * @param query the IXFR query being answered
   * @return the messages, in order
   */
  public static List<Message> incremental(
      SOARecord soa, ZoneJournal.Difference difference, Message query) {
    Packer packer = new Packer(query);
    packer.add(List.of(soa));
    packer.add(List.of(difference.from()));
    for (Record r : difference.removed()) {
      packer.add(List.of(r));
    }
    packer.add(List.of(soa));
    for (Record r : difference.added()) {
      packer.add(List.of(r));
    }
    packer.add(List.of(soa));
    return packer.finish();
  }

  /** Fills messages up to {@link #MESSAGE_BUDGET}, judged by uncompressed record size. */
  private static final class Packer {
    private final Message query;
    private final List<Message> messages = new ArrayList<>();
    private Message current;
    private int used;
    private int records;

    Packer(Message query) {
      this.query = query;
      this.current = start(true);
    }

    private Message start(boolean withQuestion) {
      Message m = new Message(query.getHeader().getID());
      Header h = m.getHeader();
      h.setFlag(Flags.QR);
      h.setFlag(Flags.AA);
      h.setOpcode(Opcode.QUERY);
      Record question = query.getQuestion();
      if (withQuestion && question != null) {
        m.addRecord(question, Section.QUESTION);
      }
      used = OVERHEAD;
      records = 0;
      return m;
    }

    /** Adds one RRset, starting a new message first if the set would not fit this one. */
    void add(List<Record> set) {
      int[] sizes = new int[set.size()];
      int total = 0;
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = set.get(i).toWire(Section.ANSWER).length;
        total += sizes[i];
      }
      if (records > 0 && used + total > MESSAGE_BUDGET) {
        next();
      }
      for (int i = 0; i < sizes.length; i++) {
        // A set larger than a whole message is split, but only between records.
        if (records > 0 && used + sizes[i] > MESSAGE_BUDGET) {
          next();
        }
        current.addRecord(set.get(i), Section.ANSWER);
        used += sizes[i];
        records++;
      }
    }

    private void next() {
      messages.add(current);
      current = start(false);
    }

    List<Message> finish() {
      if (records > 0) {
        messages.add(current);
      }
      return messages;
    }
  }
}
