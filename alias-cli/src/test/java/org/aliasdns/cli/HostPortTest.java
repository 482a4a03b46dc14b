package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class HostPortTest {
  private static InetSocketAddress parse(String s) {
    return new HostPort().convert(s);
  }

  @Test
  void anIpv4AddressTakesPort53() {
    assertThat(HostPort.format(parse("192.0.2.53"))).isEqualTo("192.0.2.53:53");
  }

  @Test
  void anIpv4AddressWithAPort() {
    assertThat(HostPort.format(parse("127.0.0.1:5300"))).isEqualTo("127.0.0.1:5300");
  }

  @Test
  void aBareIpv6Address() {
    assertThat(parse("2001:db8::53").getPort()).isEqualTo(53);
  }

  @Test
  void anIpv6AddressWithAPortInBrackets() {
    InetSocketAddress a = parse("[2001:db8::53]:5300");
    assertThat(a.getPort()).isEqualTo(5300);
    assertThat(HostPort.format(a)).startsWith("[2001:db8:").endsWith("]:5300");
  }

  @Test
  void aHostNameIsRefusedWithoutALookUp() {
    assertThatThrownBy(() -> parse("localhost:53"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("host names are not looked up");
  }

  @Test
  void aBadPortIsRefused() {
    assertThatThrownBy(() -> parse("192.0.2.1:99999")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> parse("192.0.2.1:dns")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> parse("[2001:db8::1")).hasMessageContaining("missing ']'");
  }
}
