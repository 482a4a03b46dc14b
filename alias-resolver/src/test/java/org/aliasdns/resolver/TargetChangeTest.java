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
            target, Type.AAAA, Set.of(before), Set.of(after), TargetStatus.FRESH, TargetStatus.FRESH, 60, 60, noData);

    assertThat(change.toString())
        .isEqualTo("edge.example.net. AAAA: [2001:db8::80] -> [::ffff:192.0.2.1]");
  }

  @Test
  void aTtlCountsAsChangedWhenItRoseOrFellBelowHalf() {
    assertThat(TargetChange.ttlMoved(300, 301)).isTrue();
    assertThat(TargetChange.ttlMoved(300, 149)).isTrue();
    assertThat(TargetChange.ttlMoved(300, 150)).isFalse();
    assertThat(TargetChange.ttlMoved(300, 300)).isFalse();
    assertThat(TargetChange.ttlMoved(-1, 300)).isFalse(); // not fresh before: a status change
    assertThat(TargetChange.ttlMoved(300, -1)).isFalse();
  }
}
