package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aliasdns.core.tools.NsdSecondary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * A real NSD on 127.0.0.1 as a secondary of {@code aliasdns serve}: it transfers the flattened zone
 * by AXFR and answers the apex with the flattened addresses; when the target's address moves
 * upstream, the session re-flattens, the serial moves, NOTIFY goes out, and NSD transfers and
 * serves the new address with the new serial. Skipped with a printed reason without NSD.
 */
class ServeNsdSecondaryTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void nsdFollowsTheServedZoneThroughAChange(@TempDir Path dir) throws Exception {
    int nsdPort = NsdSecondary.freePort();
    try (ServeFixture serve =
            ServeFixture.start(List.of(new InetSocketAddress(LOOPBACK, nsdPort)));
        NsdSecondary nsd = NsdSecondary.start(dir, "example.com", serve.session.port(), nsdPort)) {
      long first = serve.session.published().serial();
      nsd.await("example.com.", Type.A, "192.0.2.10", first);
      nsd.await("example.com.", Type.MX, "10 mail.example.com.", -1);

      serve.fake.replace("edge.cdn.example.net. 60 A 192.0.2.20");
      serve.advanceAndRefresh(Duration.ofSeconds(400)); // re-flattens; NOTIFY goes to NSD

      long second = serve.session.published().serial();
      assertThat(second).isEqualTo(first + 1);
      nsd.await("example.com.", Type.A, "192.0.2.20", second);
    }
  }
}
