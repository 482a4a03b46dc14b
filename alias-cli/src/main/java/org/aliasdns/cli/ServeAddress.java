package org.aliasdns.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/**
 * Reads {@code HOST[:PORT]} options of {@code alias serve}. HOST must be an IP address literal
 * ({@code 192.0.2.1}, {@code 2001:db8::1}, or {@code [2001:db8::1]} before a port): a name would
 * need the system resolver, which this command never uses.
 */
final class ServeAddress {
  private ServeAddress() {}

  /**
   * Parses {@code HOST[:PORT]}.
   *
   * @param text the option's value
   * @param defaultPort the port when none is given
   * @return the socket address
   * @throws IllegalArgumentException if HOST is not an IP literal or PORT not in 0..65535
   */
  static InetSocketAddress parse(String text, int defaultPort) {
    String host = text;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in " + text);
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']' in " + text);
        }
        port = rest.substring(1);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':')); // one colon: IPv4 (or a name) and a port
      port = text.substring(text.indexOf(':') + 1);
    }
    return new InetSocketAddress(address(host, text), port == null ? defaultPort : port(port, text));
  }

  /**
   * Parses an IP address literal.
   *
   * @param host the literal
   * @return the address, without any look-up
   * @throws IllegalArgumentException if it is not an IPv4 or IPv6 literal
   */
  static InetAddress address(String host) {
    return address(host, host);
  }

  private static InetAddress address(String host, String whole) {
    try {
      return Address.getByAddress(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "not an IP address: " + whole + " (names are not resolved; give an address)", e);
    }
  }

  private static int port(String port, String whole) {
    try {
      int p = Integer.parseInt(port);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("not a port (0-65535): " + port + " in " + whole);
  }
}
