package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;

/** How {@code alias serve} reads {@code HOST[:PORT]}, addresses and durations. */
class ServeAddressTest {

  @Test
  void anIpv4AddressWithAndWithoutAPort() throws Exception {
    assertThat(ServeAddress.parse("192.0.2.53", 53))
        .isEqualTo(new InetSocketAddress(Address.getByAddress("192.0.2.53"), 53));
    assertThat(ServeAddress.parse("192.0.2.53:5353", 53).getPort()).isEqualTo(5353);
  }

  @Test
  void anIpv6AddressBareOrInBracketsBeforeAPort() throws Exception {
    assertThat(ServeAddress.parse("2001:db8::53", 53))
        .isEqualTo(new InetSocketAddress(Address.getByAddress("2001:db8::53"), 53));
    assertThat(ServeAddress.parse("[2001:db8::53]:5353", 53))
        .isEqualTo(new InetSocketAddress(Address.getByAddress("2001:db8::53"), 5353));
    assertThat(ServeAddress.parse("[2001:db8::53]", 53).getPort()).isEqualTo(53);
  }

  @Test
  void aNameIsRefusedNotLookedUp() {
    assertThatThrownBy(() -> ServeAddress.parse("resolver.example.net:53", 53))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an IP address");
  }

  @Test
  void aBadPortIsRefused() {
    assertThatThrownBy(() -> ServeAddress.parse("192.0.2.53:65536", 53))
        .hasMessageContaining("not a port");
    assertThatThrownBy(() -> ServeAddress.parse("[2001:db8::53]x", 53))
        .hasMessageContaining("':PORT'");
  }

  @Test
  void durationsInMillisecondsSecondsAndMinutes() {
    assertThat(ServeCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ServeCommand.duration("1s")).isEqualTo(Duration.ofSeconds(1));
    assertThat(ServeCommand.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ServeCommand.duration("3")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> ServeCommand.duration("0s")).hasMessageContaining("positive");
  }

  @Test
  void ipv6InLogLinesIsCompressed() throws Exception {
    assertThat(ServeSession.literal(Address.getByAddress("2001:db8::10"))).isEqualTo("2001:db8::10");
    assertThat(ServeSession.literal(Address.getByAddress("2001:db8:0:1:0:0:0:1")))
        .isEqualTo("2001:db8:0:1::1");
    assertThat(ServeSession.literal(Address.getByAddress("::1"))).isEqualTo("::1");
    assertThat(ServeSession.literal(Address.getByAddress("192.0.2.10"))).isEqualTo("192.0.2.10");
  }
}
