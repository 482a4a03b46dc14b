package org.aliasdns.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;

/** Whom a TCP connection counts against for the per-client limit. */
class TcpClientTest {
  @Test
  void anIpv4AddressIsItsOwnClient() throws Exception {
    assertThat(TcpListener.clientOf(Address.getByAddress("192.0.2.7")))
        .isEqualTo(Address.getByAddress("192.0.2.7"))
        .isNotEqualTo(TcpListener.clientOf(Address.getByAddress("192.0.2.8")));
  }

  @Test
  void ipv6AddressesOfOneSlash64AreOneClient() throws Exception {
    assertThat(TcpListener.clientOf(Address.getByAddress("2001:db8:1:2::1")))
        .isEqualTo(TcpListener.clientOf(Address.getByAddress("2001:db8:1:2:ffff:1:2:3")))
        .isEqualTo(Address.getByAddress("2001:db8:1:2::"))
        .isNotEqualTo(TcpListener.clientOf(Address.getByAddress("2001:db8:1:3::1")));
  }
}
