package org.aliasdns.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.APLRecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * IP addresses as text, the one way this library prints them: IPv4 in dotted-quad form, IPv6
 * in the canonical form of RFC 5952 §4 (lower case, no leading zeros, the longest run of two or
 * more zero groups written as {@code ::}, the first such run on a tie) and an IPv4-mapped IPv6
 * address as {@code ::ffff:192.0.2.1} (RFC 5952 §5). The JDK and dnsjava print IPv6 addresses
 * in full ({@code 2001:db8:0:0:0:0:0:80}); zone files, diagnostics and logs written by alias
 * use this class instead.
 *
 * <p>Every method is a pure function of its argument; nothing is looked up.
 *
 * @since 0.1
 */
public final class AddressText {
  // dnsjava writes the addresses of these types with the JDK's full IPv6 form.
  private static final Pattern IPV6_HINT = Pattern.compile("(ipv6hint=)(\\S+)");
  private static final Pattern APL_IPV6 = Pattern.compile("(!?2:)([0-9A-Fa-f:.]+)(/\\d+)");

  private AddressText() {}

  /**
   * Returns an address as text: IPv4 as {@code 192.0.2.1}, IPv6 as RFC 5952 §4 and §5 write it,
   * with a scope ({@code %eth0}, RFC 4007 §11) kept if the address has one.
   *
   * @param address the address; its host name, if any, is not printed
   * @return the text
   */
  public static String of(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      String text = of(v6.getAddress());
      String full = v6.getHostAddress();
      int scope = full.indexOf('%');
      return scope < 0 ? text : text + full.substring(scope);
    }
    return of(address.getAddress());
  }

  /**
   * Returns an address of the IPv6 family as text. The JDK turns the IPv4-mapped IPv6 address
   * of an AAAA record ({@code ::ffff:192.0.2.1}) into an {@link Inet4Address}; this method
   * writes such an address back in its IPv6 form (RFC 5952 §5), so an AAAA record never reads
   * as an A record.
   *
   * @param address an address of an AAAA record
   * @return the text, always an IPv6 form
   */
  public static String ofIpv6(InetAddress address) {
    if (address instanceof Inet4Address) {
      return "::ffff:" + of(address.getAddress());
    }
    return of(address);
  }

  /**
   * Returns the addresses of one family as {@code [192.0.2.1, 192.0.2.2]}, in the order given.
   *
   * @param addresses the addresses
   * @param type {@link Type#AAAA} to write every address in IPv6 form (see {@link
   *     #ofIpv6(InetAddress)}), anything else to write each as it is
   * @return the bracketed list, {@code []} when empty
   */
  public static String list(Collection<? extends InetAddress> addresses, int type) {
    StringBuilder sb = new StringBuilder("[");
    for (InetAddress a : addresses) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(type == Type.AAAA ? ofIpv6(a) : of(a));
    }
    return sb.append(']').toString();
  }

  /**
   * Returns a raw address as text.
   *
   * @param address 4 bytes (IPv4) or 16 bytes (IPv6), in network order
   * @return the text: dotted quad, or RFC 5952 §4 with the §5 form for IPv4-mapped addresses
   * @throws IllegalArgumentException if the array is neither 4 nor 16 bytes long
   */
  public static String of(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff)
          + "."
          + (address[1] & 0xff)
          + "."
          + (address[2] & 0xff)
          + "."
          + (address[3] & 0xff);
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + address.length + " bytes");
    }
    if (isMapped(address)) {
      // RFC 5952 §5: the IPv4-mapped prefix (RFC 4291 §2.5.5.2) is written in mixed notation.
      return "::ffff:" + (address[12] & 0xff) + "." + (address[13] & 0xff) + "."
          + (address[14] & 0xff) + "." + (address[15] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    // RFC 5952 §4.2: compress the longest run of zero groups, if it is two or more long
    // (§4.2.2), the first of equally long runs (§4.2.3).
    int runStart = -1;
    int runLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > runLength) {
        runStart = i;
        runLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == runStart) {
        sb.append("::");
        i += runLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      // RFC 5952 §4.1 and §4.3: no leading zeros, lower case.
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  /**
   * Returns a socket address as {@code 192.0.2.1:53} or {@code [2001:db8::1]:53} (RFC 5952 §6).
   *
   * @param address the socket address; an unresolved one is written with its host string
   * @return the text
   */
  public static String of(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host = ip == null ? address.getHostString() : of(ip);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /**
   * Returns the rdata of a record as master-file text, with every IPv6 address in RFC 5952 form:
   * the address of an AAAA record, the {@code ipv6hint} of SVCB and HTTPS records (RFC 9460
   * §7.3) and the IPv6 items of APL records (RFC 3123). Other records are written as dnsjava
   * writes them.
   *
   * @param record the record
   * @return the rdata text
   */
  public static String rdata(Record record) {
    if (record instanceof AAAARecord) {
      return of(record.rdataToWireCanonical());
    }
    String text = record.rdataToString();
    if (record instanceof SVCBBase) {
      return rewrite(IPV6_HINT, text, m -> m.group(1) + hints(m.group(2)));
    }
    if (record instanceof APLRecord) {
      return rewrite(APL_IPV6, text, m -> m.group(1) + literal(m.group(2)) + m.group(3));
    }
    return text;
  }

  /**
   * Returns a record in dnsjava's master-file line form (owner, TTL, class, type, rdata,
   * separated by tabs) with its rdata as {@link #rdata(Record)} writes it.
   *
   * @param record the record
   * @return one line, without a line end
   */
  public static String record(Record record) {
    StringBuilder sb = new StringBuilder();
    sb.append(record.getName());
    if (sb.length() < 8) {
      sb.append('\t');
    }
    if (sb.length() < 16) {
      sb.append('\t');
    }
    sb.append('\t').append(record.getTTL()).append('\t');
    sb.append(DClass.string(record.getDClass())).append('\t');
    sb.append(Type.string(record.getType()));
    String rdata = rdata(record);
    if (!rdata.isEmpty()) {
      sb.append('\t').append(rdata);
    }
    return sb.toString();
  }

  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
  }

  private static String hints(String list) {
    StringBuilder sb = new StringBuilder();
    for (String hint : list.split(",", -1)) {
      sb.append(sb.length() > 0 ? "," : "").append(literal(hint));
    }
    return sb.toString();
  }

  /** An IPv6 literal in RFC 5952 form; anything else (which dnsjava wrote) as it was. */
  private static String literal(String text) {
    byte[] bytes = text.indexOf(':') < 0 ? null : Address.toByteArray(text, Address.IPv6);
    return bytes == null ? text : of(bytes);
  }

  private static String rewrite(
      Pattern pattern, String text, Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
