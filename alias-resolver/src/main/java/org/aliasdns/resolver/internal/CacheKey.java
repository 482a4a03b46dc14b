package org.aliasdns.resolver.internal;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A cache key: an owner name and a type. {@link Name}'s equality ignores case (RFC 4343), so
 * one key stands for every spelling of a name. A CNAME (or a CNAME synthesized from a DNAME,
 * RFC 6672 §3) lives under {@link Type#CNAME}, since it answers every type at its owner.
 *
 * @param name the owner name
 * @param type the type
 */
public record CacheKey(Name name, int type) {
  static CacheKey alias(Name owner) {
    return new CacheKey(owner, Type.CNAME);
  }

  @Override
  public String toString() {
    return name + "/" + Type.string(type);
  }
}
