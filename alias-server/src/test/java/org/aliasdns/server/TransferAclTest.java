package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Who {@link TransferAcl} lets transfer: prefixes, keys per secondary, the loopback exemption. */
class TransferAclTest {
  static final Name NS2 = Wire.name("ns2-key.");
  static final Name FLEET = Wire.name("fleet-key.");

  static InetAddress ip(String text) throws Exception {
    return InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(text,
        text.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4));
  }

  @Test
  void aSecondaryWithItsOwnKeyNeedsThatKey() throws Exception {
    TransferAcl acl =
        TransferAcl.builder()
            .allow(ip("192.0.2.53"), 32, NS2)
            .allow(ip("198.51.100.0"), 24)
            .build();
    assertThat(acl.permits(ip("192.0.2.53"), NS2)).isTrue();
    assertThat(acl.permits(ip("192.0.2.53"), null)).isFalse();
    assertThat(acl.permits(ip("192.0.2.53"), FLEET)).isFalse();
    assertThat(acl.permits(ip("192.0.2.54"), NS2)).isFalse();
    assertThat(acl.permits(ip("198.51.100.77"), null)).isTrue();
    assertThat(acl.permits(ip("198.51.101.77"), null)).isFalse();
    assertThat(acl.keyFor(ip("192.0.2.53"))).contains(NS2);
    assertThat(acl.keyFor(ip("198.51.100.7"))).isEmpty();
  }

  @Test
  void requiringTsigTurnsRulesWithoutAKeyOff() throws Exception {
    TransferAcl acl =
        TransferAcl.builder()
            .allow(ip("2001:db8::"), 32)
            .allowKey(FLEET)
            .requireTsig(true)
            .build();
    assertThat(acl.permits(ip("2001:db8::5"), null)).isFalse();
    assertThat(acl.permits(ip("2001:db8::5"), FLEET)).isTrue();
    assertThat(acl.permits(ip("203.0.113.9"), FLEET)).isTrue();
    assertThat(acl.keyFor(ip("203.0.113.9"))).contains(FLEET);
  }

  @Test
  void loopbackIsExemptUntilSwitchedOff() throws Exception {
    TransferAcl exempt = TransferAcl.builder().allowKey(FLEET).requireTsig(true).build();
    assertThat(exempt.permits(ip("127.0.0.1"), null)).isTrue();
    assertThat(exempt.permits(ip("::1"), null)).isTrue();
    TransferAcl strict =
        TransferAcl.builder().allowKey(FLEET).requireTsig(true).loopbackExempt(false).build();
    assertThat(strict.permits(ip("127.0.0.1"), null)).isFalse();
    assertThat(strict.permits(ip("127.0.0.1"), FLEET)).isTrue();
    assertThat(TransferAcl.loopback().permits(ip("127.0.0.2"), null)).isTrue();
    assertThat(TransferAcl.loopback().permits(ip("192.0.2.1"), null)).isFalse();
  }

  @Test
  void aBadPrefixOrARepeatedSwitchIsRefused() throws Exception {
    assertThatThrownBy(() -> TransferAcl.builder().allow(ip("192.0.2.0"), 33))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..32");
    assertThatThrownBy(() -> TransferAcl.builder().requireTsig(true).requireTsig(false))
        .isInstanceOf(IllegalStateException.class);
  }
}
