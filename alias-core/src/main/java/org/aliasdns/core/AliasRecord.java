package org.aliasdns.core;

import java.io.IOException;
import java.util.function.Supplier;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * An alias record: configuration that says "answer A and AAAA questions for this name with
 * the addresses of that target", which a server resolves and flattens. Its rdata is one domain
 * name, like a CNAME's, but unlike a CNAME it may share its owner with other data, the zone
 * apex included.
 *
 * <p>Two wire types carry the same meaning: {@link ALIASRecord} (type {@value #ALIAS}, as
 * PowerDNS uses it) and {@link ANAMERecord} (type {@value #ANAME}, draft-ietf-dnsop-aname). Each
 * keeps its own mnemonic in output.
 *
 * <p>The rdata name is never compressed on the wire and never lower-cased, as for any type a
 * peer may not know (RFC 3597 §4 and §7).
 *
 * @since 0.1
 */
public abstract class AliasRecord extends Record {
  private static final long serialVersionUID = 1L;

  /** Wire type of ALIAS, as PowerDNS assigns it from the private-use range. */
  public static final int ALIAS = 65401;

  /** Wire type of ANAME, as draft-ietf-dnsop-aname assigns it. */
  public static final int ANAME = 65305;

  static {
    registerTypes();
  }

  private Name target = Name.root;

  AliasRecord() {}

  AliasRecord(Name owner, int type, int dclass, long ttl, Name target) {
    super(owner, type, dclass, ttl);
    if (!target.isAbsolute()) {
      throw new IllegalArgumentException("alias target must be absolute: " + target);
    }
    this.target = target;
  }

  /**
   * Makes dnsjava's {@link Type}, {@link org.xbill.DNS.Master}/{@link Tokenizer} and wire
   * codec understand ALIAS and ANAME. Idempotent and thread-safe; every entry point of this
   * library that reads records calls it, so users rarely need to.
   */
  public static void registerTypes() {
    Holder.touch();
  }

  /**
   * Tells whether a record type is an alias type.
   *
   * @param type a DNS type code
   * @return true for {@link #ALIAS} and {@link #ANAME}
   */
  public static boolean isAliasType(int type) {
    return type == ALIAS || type == ANAME;
  }

  /**
   * Creates an alias record of the given type.
   *
   * @param owner absolute owner name
   * @param type {@link #ALIAS} or {@link #ANAME}
   * @param dclass the class, normally {@link org.xbill.DNS.DClass#IN}
   * @param ttl time to live in seconds
   * @param target absolute target name
   * @return a new {@link ALIASRecord} or {@link ANAMERecord}
   * @throws IllegalArgumentException if the type is not an alias type or a name is relative
   */
  public static AliasRecord of(Name owner, int type, int dclass, long ttl, Name target) {
    switch (type) {
      case ALIAS:
        return new ALIASRecord(owner, dclass, ttl, target);
      case ANAME:
        return new ANAMERecord(owner, dclass, ttl, target);
      default:
        throw new IllegalArgumentException("not an alias type: " + Type.string(type));
    }
  }

  /**
   * Returns the name whose addresses this alias stands for.
   *
   * @return the absolute target name
   */
  public Name getTarget() {
    return target;
  }

  @Override
  protected void rrFromWire(DNSInput in) throws IOException {
    target = new Name(in);
  }

  @Override
  protected String rrToString() {
    return target.toString();
  }

  @Override
  protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
    target = st.getName(origin);
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    // RFC 3597 §4: no compression for types a peer may not know; §7: no lower-casing.
    target.toWire(out, null, false);
  }

  /** Registers the types once, when first needed. */
  private static final class Holder {
    static {
      // Suppliers as classes, not constructor references: this runs on every JVM's first zone
      // read, where each lambda's first use spins a class (issue 14's cold start).
      Type.register(ALIAS, "ALIAS", new Factory(ALIAS));
      Type.register(ANAME, "ANAME", new Factory(ANAME));
    }

    private Holder() {}

    static void touch() {
      // class initialisation did the work
    }
  }

  /** Makes an empty record of one of the two types, for dnsjava's wire and text parsers. */
  private static final class Factory implements Supplier<Record> {
    private final int type;

    Factory(int type) {
      this.type = type;
    }

    @Override
    public Record get() {
      return type == ALIAS ? new ALIASRecord() : new ANAMERecord();
    }
  }
}
