package org.aliasdns.core;

import org.xbill.DNS.Name;

/**
 * An ALIAS record (type {@value AliasRecord#ALIAS}): see {@link AliasRecord}.
 *
 * @since 0.1
 */
public final class ALIASRecord extends AliasRecord {
  private static final long serialVersionUID = 1L;

  ALIASRecord() {}

  /**
   * Creates an ALIAS record.
   *
   * @param owner absolute owner name
   * @param dclass the class, normally {@link org.xbill.DNS.DClass#IN}
   * @param ttl time to live in seconds
   * @param target absolute target name
   * @throws IllegalArgumentException if a name is relative or the TTL is out of range
   */
  public ALIASRecord(Name owner, int dclass, long ttl, Name target) {
    super(owner, ALIAS, dclass, ttl, target);
  }
}
