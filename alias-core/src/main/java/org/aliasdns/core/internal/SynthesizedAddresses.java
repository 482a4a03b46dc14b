package org.aliasdns.core.internal;

import org.xbill.DNS.Record;

/**
 * Address records the answerer built for one resolution at one TTL, owned by a node's name:
 * the memo kept in {@link ZoneIndex.Node} so that repeated questions only rename them.
 * Immutable once published.
 */
public final class SynthesizedAddresses {
  private final Object source;
  private final long ttl;
  private final Record[] records;

  /**
   * Creates the memo.
   *
   * @param source the resolution the records were built from, compared by identity
   * @param ttl the TTL they carry, in seconds
   * @param records the records; not copied, never changed afterwards
   */
  public SynthesizedAddresses(Object source, long ttl, Record[] records) {
    this.source = source;
    this.ttl = ttl;
    this.records = records;
  }

  /**
   * Tells whether these records were built from this resolution with this TTL.
   *
   * @param from the resolution, compared by identity
   * @param withTtl the TTL in seconds
   * @return true if the memo can be reused
   */
  public boolean isFor(Object from, long withTtl) {
    return source == from && ttl == withTtl;
  }

  /**
   * Returns the records; callers must not change the array.
   *
   * @return the records, owned by the node's name
   */
  public Record[] records() {
    return records;
  }
}
