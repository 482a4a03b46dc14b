package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.aliasdns.core.Resolution;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class TargetChangeTest {
  @Test
  void ipv6AddressesArePrintedInRfc5952Form() throws Exception {
    Name target = Name.fromConstantString("edge.example.net.");
    InetAddress before = InetAddress.getByAddress(Address.toByteArray("2001:db8:0:0:0:0:0:80", Address.IPv6));
    InetAddress after = InetAddress.getByAddress(Address.toByteArray("::ffff:192.0.2.1", Address.IPv6));
    Resolution noData = new Resolution.NoData(target, Type.AAAA, List.of(), 60, Instant.EPOCH);

    TargetChange change =
        new TargetChange(
            target, Type.AAAA, Set.of(before), Set.of(after), TargetStatus.FRESH, TargetStatus.FRESH, noData);

    assertThat(change.toString())
        .isEqualTo("edge.example.net. AAAA: [2001:db8::80] -> [::ffff:192.0.2.1]");
  }
}
