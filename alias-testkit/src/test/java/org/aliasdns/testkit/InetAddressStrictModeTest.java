package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/**
 * Strict mode with the JVM's look-ups routed to a recursive fake: one query per family, even
 * where the chain's target has no address of that family. Skipped on JDK 17 by the extension.
 */
class InetAddressStrictModeTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(
              FakeDns.recursive()
                  .record("www.example.net. 60 CNAME cdn.example.org.")
                  .record("cdn.example.org. 60 A 192.0.2.10")
                  .expect("www.example.net.", Type.A)
                  .expect("www.example.net.", Type.AAAA))
          .withInetAddress();

  @Test
  void aCnameWhoseTargetHasNoAaaaIsOneQueryPerFamily(FakeDns fake) throws Exception {
    InetAddress[] all = InetAddress.getAllByName("www.example.net");

    assertThat(all).extracting(InetAddress::getHostAddress).containsExactly("192.0.2.10");
    assertThat(fake.unexpectedQueries()).isEmpty();
    assertThat(fake.queryCount("cdn.example.org.", Type.AAAA)).isZero();
    assertThat(fake.queryCount("cdn.example.org.", Type.A)).isZero();
  }
}
