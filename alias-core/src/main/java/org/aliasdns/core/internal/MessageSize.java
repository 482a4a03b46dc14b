package org.aliasdns.core.internal;

import org.xbill.DNS.Name;

/**
 * The size of the smallest DNS message that carries an RRset whole, against the largest a DNS
 * message can be (RFC 1035 §4.2.2: TCP's two-octet length field).
 */
public final class MessageSize {
  /** The largest DNS message in bytes (RFC 1035 §4.2.2). */
  public static final int MAX_MESSAGE = 65_535;

  private MessageSize() {}

  /**
   * The smallest response that carries an RRset whole: header, question, and each record with
   * its owner compressed to a pointer, type, class, TTL, RDLENGTH and rdata (RFC 1035 §4.1).
   *
   * @param owner the RRset's owner (asked as the question)
   * @param records the number of records
   * @param rdataBytes the sum of their rdata lengths in bytes
   * @return the message size in bytes
   */
  public static long ofRRset(Name owner, int records, long rdataBytes) {
    return 12 + owner.length() + 4 + records * (2L + 10) + rdataBytes;
  }
}
