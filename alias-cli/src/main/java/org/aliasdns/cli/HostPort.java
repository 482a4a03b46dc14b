package org.aliasdns.cli;

import org.aliasdns.core.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code HOST[:PORT]} into a socket address: HOST is an IPv4 or IPv6 literal (an IPv6
 * address with a port goes in brackets, {@code [2001:db8::53]:5300}), PORT defaults to 53.
 *
 * <p>Host names are refused rather than looked up: the system resolver is never used, so which
 * server is asked never depends on this host's resolver configuration.
 */
final class HostPort implements ITypeConverter<InetSocketAddress> {
  /** The DNS port (RFC 1035 §4.2). */
  static final int DNS_PORT = 53;

  @Override
  public InetSocketAddress convert(String value) {
    return parse(value, DNS_PORT);
  }

  /**
   * Parses {@code HOST[:PORT]}.
   *
   * @param value the text
   * @param defaultPort the port when none is given
   * @return a resolved socket address
   * @throws TypeConversionException if the host is not an IP literal or the port is bad
   */
  static InetSocketAddress parse(String value, int defaultPort) {
    String host = value;
    String port = null;
    if (value.indexOf('@') >= 0) {
      throw bad(value, "write ADDR:PORT (Knot's ADDR@PORT is not read)");
    }
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw bad(value, "missing ']'");
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(value, "expected ':PORT' after ']'");
        }
        port = rest.substring(1);
      }
    } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    InetAddress address = address(host, value);
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw bad(value, "port '" + port + "' is not a number");
      }
      if (p < 0 || p > 65535) {
        throw bad(value, "port " + p + " is out of range");
      }
    }
    return new InetSocketAddress(address, p);
  }

  /**
   * Parses an IP address literal, never looking a name up.
   *
   * @param host the literal
   * @return the address
   * @throws TypeConversionException if it is not an IPv4 or IPv6 address
   */
  static InetAddress address(String host) {
    return address(host, host);
  }

  private static InetAddress address(String host, String value) {
    try {
      return Address.getByAddress(host);
    } catch (UnknownHostException e) {
      throw bad(value, "'" + host + "' is not an IPv4 or IPv6 address (host names are not looked up)");
    }
  }

  /**
   * Formats an address as {@code HOST:PORT}, IPv6 in RFC 5952 form within brackets (RFC 5952
   * §6): {@code [2001:db8::53]:53}.
   */
  static String format(InetSocketAddress address) {
    return AddressText.of(address);
  }

  private static TypeConversionException bad(String value, String why) {
    return new TypeConversionException("'" + value + "' is not HOST[:PORT]: " + why);
  }
}
