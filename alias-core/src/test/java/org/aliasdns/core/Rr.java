package org.aliasdns.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Short ways to write names and records in tests. */
public final class Rr {
  private Rr() {}

  public static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A record from owner, TTL, type mnemonic and rdata text; rdata names relative to the root. */
  public static Record rr(String owner, long ttl, String type, String rdata) {
    return rr(owner, ttl, DClass.IN, type, rdata);
  }

  public static Record rr(String owner, long ttl, int dclass, String type, String rdata) {
    AliasRecord.registerTypes();
    int code = Type.value(type);
    if (code < 0) {
      throw new IllegalArgumentException("unknown type " + type);
    }
    try {
      return Record.fromString(name(owner), code, dclass, ttl, rdata, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Record a(String owner, long ttl, String address) {
    return rr(owner, ttl, "A", address);
  }
}
