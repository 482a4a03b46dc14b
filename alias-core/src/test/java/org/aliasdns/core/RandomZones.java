package org.aliasdns.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aliasdns.core.zonefile.ZoneFileException;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Random zones from a seed, for round-trip properties: the same seed always gives the same zone.
 *
 * <p>Two flavours: {@link #anyZone} stresses the text forms (odd labels, escapes, every type this
 * library writes), {@link #validZone} makes zones a strict checker such as {@code
 * named-checkzone} accepts (host-name labels, glue, no CNAME beside other data, documentation
 * addresses only).
 */
public final class RandomZones {
  private static final String[] ORIGINS = {
    "example.com.", "Example.ORG.", "zone.example.net.", "a-b.example.com."
  };
  private static final long[] TTLS = {0, 1, 60, 300, 3600, 86400, 604800, 2147483647};
  private static final String LDH = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
  /** Characters that have a meaning in master files or names and must be escaped in a label. */
  private static final String SPECIAL = ".;()\"\\$@ \t*";

  private final Random random;

  private RandomZones(long seed) {
    this.random = new Random(seed);
  }

  /** A zone that exercises text escapes and many types; not necessarily loadable by BIND. */
  public static Zone anyZone(long seed) {
    return new RandomZones(seed).any();
  }

  /**
   * A zone as {@link #anyZone} makes it, plus odd records the reader accepts: known types given
   * in RFC 3597 generic form with empty, short or random rdata (whatever dnsjava parses), AAAA
   * records of any bytes (long zero runs, IPv4-mapped) and SVCB hints. The writer must write
   * each back in a form that reads back equal.
   */
  public static Zone oddRdataZone(long seed) {
    RandomZones r = new RandomZones(seed);
    Zone zone = r.any();
    Zone.Builder builder = zone.toBuilder();
    List<Name> owners = new ArrayList<>(zone.names());
    int records = 1 + r.random.nextInt(25);
    for (int i = 0; i < records; i++) {
      Record odd = r.oddRecord(owners.get(r.random.nextInt(owners.size())), zone.origin());
      if (odd != null) {
        builder.add(odd);
      }
    }
    return builder.build();
  }

  /** A zone that named-checkzone loads: SOA, NS with glue, host names, no CNAME conflicts. */
  public static Zone validZone(long seed) {
    return new RandomZones(seed).valid();
  }

  private Zone any() {
    Name origin = name(pick(ORIGINS));
    Zone.Builder builder = Zone.builder(origin);
    builder.add(soa(origin));
    int names = 1 + random.nextInt(12);
    List<Name> owners = new ArrayList<>();
    owners.add(origin);
    for (int i = 0; i < names; i++) {
      owners.add(oddOwner(origin));
    }
    int records = 1 + random.nextInt(40);
    for (int i = 0; i < records; i++) {
      Name owner = owners.get(random.nextInt(owners.size()));
      builder.add(anyRecord(owner, origin));
    }
    return builder.build();
  }

  private Zone valid() {
    Name origin = name(pick(ORIGINS));
    Zone.Builder builder = Zone.builder(origin);
    builder.add(soa(origin));
    int servers = 1 + random.nextInt(3);
    for (int i = 1; i <= servers; i++) {
      Name ns = child("ns" + i, origin);
      builder.add(record(origin, 3600, "NS", ns.toString()));
      builder.add(record(ns, 3600, "A", docAddress4()));
      if (random.nextBoolean()) {
        builder.add(record(ns, 3600, "AAAA", docAddress6()));
      }
    }
    List<Name> hosts = new ArrayList<>();
    int names = 1 + random.nextInt(10);
    for (int i = 0; i < names; i++) {
      Name host = hostName(origin);
      if (host.equals(origin) || host.toString().toLowerCase().startsWith("ns")) {
        continue;
      }
      hosts.add(host);
    }
    for (Name host : hosts) {
      if (random.nextInt(5) == 0) {
        // A CNAME must stand alone at its name (RFC 1034 §3.6.2).
        builder.remove(host);
        builder.add(record(host, ttl(), "CNAME", pick(new String[] {"www.example.net.", origin.toString()})));
        continue;
      }
      if (builder.build().get(host, Type.CNAME).isPresent()) {
        continue;
      }
      int kinds = 1 + random.nextInt(4);
      for (int k = 0; k < kinds; k++) {
        builder.add(validRecord(host, origin));
      }
    }
    if (random.nextBoolean()) {
      builder.add(record(origin, ttl(), pick(new String[] {"ALIAS", "ANAME"}), "cdn.example.net."));
    }
    builder.add(record(origin, 300, "MX", "10 " + child("mail", origin)));
    builder.add(record(child("mail", origin), 300, "A", docAddress4()));
    return builder.build();
  }

  private Record validRecord(Name owner, Name origin) {
    switch (random.nextInt(9)) {
      case 0:
      case 1:
        return record(owner, ttl(), "A", docAddress4());
      case 2:
        return record(owner, ttl(), "AAAA", docAddress6());
      case 3:
        return record(owner, ttl(), "TXT", txt());
      case 4:
        return record(owner, ttl(), "MX", random.nextInt(100) + " mx.example.net.");
      case 5:
        return record(owner, ttl(), "SRV", random.nextInt(10) + " " + random.nextInt(10) + " " + (1 + random.nextInt(65535)) + " target.example.net.");
      case 6:
        return record(owner, ttl(), "CAA", "0 issue \"ca.example.net\"");
      case 7:
        return record(owner, ttl(), "SSHFP", (1 + random.nextInt(4)) + " 2 " + hex(32));
      default:
        return record(owner, ttl(), pick(new String[] {"ALIAS", "ANAME"}), "cdn.example.org.");
    }
  }

  private Record anyRecord(Name owner, Name origin) {
    long ttl = ttl();
    switch (random.nextInt(20)) {
      case 0:
        return record(owner, ttl, "A", random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
      case 1:
        return record(owner, ttl, "AAAA", docAddress6());
      case 2:
        return record(owner, ttl, "NS", anyName(origin).toString());
      case 3:
        return record(owner, ttl, "MX", random.nextInt(65536) + " " + anyName(origin));
      case 4:
      case 5:
        return record(owner, ttl, "TXT", txt());
      case 6:
        return record(owner, ttl, "SRV", random.nextInt(65536) + " " + random.nextInt(65536) + " " + random.nextInt(65536) + " " + anyName(origin));
      case 7:
        return record(owner, ttl, "CAA", random.nextInt(256) + " " + pick(new String[] {"issue", "issuewild", "iodef", "x1"}) + " " + quoted(randomText(20)));
      case 8:
        return record(owner, ttl, "CNAME", anyName(origin).toString());
      case 9:
        return record(owner, ttl, "DNAME", anyName(origin).toString());
      case 10:
        return record(owner, ttl, "PTR", anyName(origin).toString());
      case 11:
        int digest = 1 + random.nextInt(2); // SHA-1 or SHA-256, RFC 6594
        return record(owner, ttl, "SSHFP", (1 + random.nextInt(4)) + " " + digest + " " + hex(digest == 1 ? 20 : 32));
      case 12:
        return record(owner, ttl, "HINFO", quoted(randomText(10)) + " " + quoted(randomText(10)));
      case 13:
        return record(owner, ttl, "NAPTR", random.nextInt(65536) + " " + random.nextInt(65536) + " " + quoted(pick(new String[] {"", "U", "s", "A"})) + " " + quoted(pick(new String[] {"", "E2U+sip", "SIP+D2U"})) + " " + quoted(pick(new String[] {"", "!^.*$!sip:info@example.com!"})) + " " + (random.nextBoolean() ? "." : anyName(origin).toString()));
      case 14:
        return record(owner, ttl, "ALIAS", anyName(origin).toString());
      case 15:
        return record(owner, ttl, "ANAME", anyName(origin).toString());
      case 16:
        return record(owner, ttl, "DS", random.nextInt(65536) + " 8 2 " + hex(32));
      case 17:
        return record(owner, ttl, "TLSA", random.nextInt(4) + " " + random.nextInt(2) + " " + random.nextInt(3) + " " + hex(1 + random.nextInt(40)));
      case 18:
        return record(owner, ttl, "DNSKEY", "257 3 13 " + java.util.Base64.getEncoder().encodeToString(bytes(64)));
      default:
        int type = 65280 + random.nextInt(20); // private use, clear of ALIAS and ANAME
        return record(owner, ttl, "TYPE" + type, "\\# " + 3 + " " + hex(3));
    }
  }

  /** Every type code dnsjava has a record class for, but the meta and query types. */
  private static final int[] KNOWN_TYPES = knownTypes();

  private static int[] knownTypes() {
    List<Integer> types = new ArrayList<>();
    for (int t = 1; t <= 65535; t++) {
      boolean meta = t == Type.OPT || (t >= 249 && t <= 255);
      if (!meta && !Type.string(t).startsWith("TYPE")) {
        types.add(t);
      }
    }
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  /** An odd record, or null if the reader refuses the one tried. */
  private @Nullable Record oddRecord(Name owner, Name origin) {
    long ttl = ttl();
    String type;
    String rdata;
    switch (random.nextInt(8)) {
      case 0:
        type = "AAAA";
        rdata = "\\# 16 " + hex(oddAddress());
        break;
      case 1:
        type = pick(new String[] {"HTTPS", "SVCB"});
        rdata = random.nextInt(65536) + " . ipv6hint=" + hintText() + "," + hintText();
        break;
      case 2:
        type = pick(new String[] {"TXT", "TYPE65280", "NULL", "DS", "SSHFP", "TLSA", "OPENPGPKEY", "CAA"});
        rdata = "\\# 0";
        break;
      default:
        type = Type.string(KNOWN_TYPES[random.nextInt(KNOWN_TYPES.length)]);
        byte[] data = oddRdata();
        rdata = "\\# " + data.length + (data.length == 0 ? "" : " " + hex(data));
        break;
    }
    String line = owner + " " + ttl + " IN " + type + " " + rdata + "\n";
    try {
      Zone one = ZoneFileReader.forOrigin(origin).read(line, "odd").zone();
      return one.get(owner, Type.value(type)).orElseThrow().first();
    } catch (ZoneFileException refused) {
      return null;
    }
  }

  private byte[] oddAddress() {
    byte[] a = new byte[16];
    if (random.nextInt(4) == 0) {
      // IPv4-mapped (RFC 4291 §2.5.5.2)
      a[10] = (byte) 0xff;
      a[11] = (byte) 0xff;
      for (int i = 12; i < 16; i++) {
        a[i] = (byte) random.nextInt(256);
      }
      return a;
    }
    for (int g = 0; g < 8; g++) {
      if (random.nextBoolean()) {
        a[2 * g] = (byte) random.nextInt(256);
        a[2 * g + 1] = (byte) random.nextInt(256);
      }
    }
    return a;
  }

  private String hintText() {
    return org.aliasdns.core.AddressText.of(oddAddress());
  }

  /** Rdata of the shapes record parsers take: empty, zeros, a name with fields, random bytes. */
  private byte[] oddRdata() {
    switch (random.nextInt(5)) {
      case 0:
        return new byte[0];
      case 1:
        return new byte[1 + random.nextInt(24)];
      case 2:
        {
          byte[] prefix = bytes(random.nextInt(5));
          byte[] name = name(hostLabel() + ".example.net.").toWire();
          byte[] out = new byte[prefix.length + name.length];
          System.arraycopy(prefix, 0, out, 0, prefix.length);
          System.arraycopy(name, 0, out, prefix.length, name.length);
          return out;
        }
      case 3:
        {
          // one or two length-prefixed strings, as TXT, HINFO and the like hold
          byte[] a = bytes(random.nextInt(10));
          byte[] b = bytes(random.nextInt(10));
          byte[] out = new byte[2 + a.length + b.length];
          out[0] = (byte) a.length;
          System.arraycopy(a, 0, out, 1, a.length);
          out[1 + a.length] = (byte) b.length;
          System.arraycopy(b, 0, out, 2 + a.length, b.length);
          return random.nextBoolean() ? out : java.util.Arrays.copyOf(out, 1 + a.length);
        }
      default:
        return bytes(1 + random.nextInt(40));
    }
  }

  private Record soa(Name origin) {
    return record(
        origin,
        ttl(),
        "SOA",
        child("ns1", origin) + " hostmaster." + origin + " " + Integer.toUnsignedString(random.nextInt()) + " 7200 900 1209600 " + (60 + random.nextInt(3600)));
  }

  // ---- names

  private Name oddOwner(Name origin) {
    int labels = 1 + random.nextInt(3);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < labels; i++) {
      if (i == 0 && random.nextInt(6) == 0) {
        sb.append("*.");
        continue;
      }
      sb.append(oddLabel()).append('.');
    }
    String suffix = origin.toString();
    if (random.nextInt(4) == 0) {
      // the same zone name spelled in another case (RFC 4343), kept in output
      StringBuilder recased = new StringBuilder();
      for (char c : suffix.toCharArray()) {
        recased.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
      }
      suffix = recased.toString();
    }
    return name(sb + suffix);
  }

  private String oddLabel() {
    int length = 1 + random.nextInt(8);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        sb.append(LDH.charAt(random.nextInt(LDH.length())));
      } else if (kind < 8) {
        char c = SPECIAL.charAt(random.nextInt(SPECIAL.length()));
        if (c == '*' && i > 0) {
          sb.append("\\*");
        } else if (random.nextBoolean() && c != ' ' && c != '\t') {
          sb.append('\\').append(c);
        } else {
          sb.append(String.format("\\%03d", (int) c));
        }
      } else {
        // any byte, as \DDD: control characters, DEL, 8-bit values
        sb.append(String.format("\\%03d", random.nextInt(256)));
      }
    }
    return sb.toString();
  }

  private Name anyName(Name origin) {
    switch (random.nextInt(4)) {
      case 0:
        return origin;
      case 1:
        return oddOwner(origin);
      case 2:
        return name(oddLabel() + ".example.net.");
      default:
        return child(hostLabel(), origin);
    }
  }

  private Name hostName(Name origin) {
    int labels = 1 + random.nextInt(2);
    Name n = origin;
    for (int i = 0; i < labels; i++) {
      n = child(hostLabel(), n);
    }
    return n;
  }

  private String hostLabel() {
    int length = 1 + random.nextInt(10);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      String set = i == 0 || i == length - 1 ? LDH.substring(0, LDH.length() - 1) : LDH;
      sb.append(set.charAt(random.nextInt(set.length())));
    }
    return sb.toString();
  }

  // ---- rdata pieces

  private String txt() {
    int strings = 1 + random.nextInt(3);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < strings; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(quoted(random.nextInt(5) == 0 ? "" : randomText(30)));
    }
    return sb.toString();
  }

  /** Text content with quotes, backslashes, semicolons, parentheses, spaces and 8-bit bytes. */
  private String randomText(int max) {
    int length = random.nextInt(max + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        sb.append(LDH.charAt(random.nextInt(LDH.length())));
      } else if (kind < 9) {
        char c = " ;()\"\\$@.=:".charAt(random.nextInt(11));
        sb.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
      } else {
        sb.append(String.format("\\%03d", random.nextInt(256)));
      }
    }
    return sb.toString();
  }

  private static String quoted(String escapedContent) {
    return "\"" + escapedContent + "\"";
  }

  private String docAddress4() {
    return "192.0.2." + random.nextInt(256);
  }

  private String docAddress6() {
    return "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::" + Integer.toHexString(random.nextInt(65536));
  }

  private String hex(int length) {
    return hex(bytes(length));
  }

  private static String hex(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (byte b : data) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private byte[] bytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private long ttl() {
    return random.nextInt(4) == 0 ? random.nextInt(Integer.MAX_VALUE) : TTLS[random.nextInt(TTLS.length)];
  }

  private String pick(String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static Name child(String label, Name parent) {
    return name(label + "." + parent);
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static Record record(Name owner, long ttl, String type, String rdata) {
    AliasRecord.registerTypes();
    try {
      return Record.fromString(owner, Type.value(type), DClass.IN, ttl, rdata, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(owner + " " + type + " " + rdata, e);
    }
  }
}
