package org.aliasdns.core;

import org.xbill.DNS.Name;

/**
 * An ANAME record (type {@value AliasRecord#ANAME}): see {@link AliasRecord}.
 *
 * @since 0.1
 */
public final class ANAMERecord extends AliasRecord {
  private static final long serialVersionUID = 1L;

  ANAMERecord() {}

  /**
   * Creates an ANAME record.
   *
   * @param owner absolute owner name
   * @param dclass the class, normally {@link org.xbill.DNS.DClass#IN}
   * @param ttl time to live in seconds
   * @param target absolute target name
   * @throws IllegalArgumentException if a name is relative or the TTL is out of range
   */
  public ANAMERecord(Name owner, int dclass, long ttl, Name target) {
    super(owner, ANAME, dclass, ttl, target);
  }
}
