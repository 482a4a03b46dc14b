package org.aliasdns.cli;

import java.io.IOException;
import org.aliasdns.testkit.FakeDns;

/** The upstream of the many-zone tests: {@code cdn.example.net.} and {@code other.example.net.}. */
final class MultiZoneFake {
  private MultiZoneFake() {}

  static FakeDns start() throws IOException {
    return start(FakeDns.recursive());
  }

  /** The same upstream on a manual clock of the test's (for signatures a validator checks). */
  static FakeDns start(org.aliasdns.testkit.ManualClock clock) throws IOException {
    return start(FakeDns.recursive().clock(clock));
  }

  private static FakeDns start(FakeDns.Builder builder) throws IOException {
    return builder
        .zone(
            "$ORIGIN example.net.\n"
                + "@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n"
                + "@ 3600 NS ns1\n"
                + "ns1 3600 A 198.51.100.53\n"
                + "cdn 300 CNAME edge.cdn\n"
                + "edge.cdn 60 A 192.0.2.10\n"
                + "edge.cdn 60 AAAA 2001:db8::10\n"
                + "other 60 A 192.0.2.30\n"
                + "other 60 AAAA 2001:db8::30\n")
        .build()
        .start();
  }
}
