package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BIND's dig, a client we did not write, against the fake's real port. */
class DigTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME www.example.com.")
              .record("www.example.com. 600 CNAME edge.example.org.")
              .record("edge.example.org. 60 A 192.0.2.10"));

  static ExternalTool.Run dig(InetSocketAddress address, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = "@" + address.getAddress().getHostAddress();
    args[1] = "-p";
    args[2] = Integer.toString(address.getPort());
    args[3] = "+time=2";
    args[4] = "+tries=1";
    System.arraycopy(more, 0, args, 5, more.length);
    return ExternalTool.DIG.run(args);
  }

  @Test
  void digSeesTheWholeChainAndTheRaFlag(InetSocketAddress address) {
    ExternalTool.Run run = dig(address, "www.example.net", "A");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("status: NOERROR")
        .containsPattern("flags: qr rd ra;")
        .containsPattern("www\\.example\\.net\\.\\s+300\\s+IN\\s+CNAME\\s+www\\.example\\.com\\.")
        .containsPattern("www\\.example\\.com\\.\\s+600\\s+IN\\s+CNAME\\s+edge\\.example\\.org\\.")
        .containsPattern("edge\\.example\\.org\\.\\s+60\\s+IN\\s+A\\s+192\\.0\\.2\\.10");
  }

  @Test
  void digRetriesOverTcpWhenTruncated(InetSocketAddress address, FakeDns fake) {
    fake.enqueue(Fault.truncate());

    ExternalTool.Run run = dig(address, "www.example.net", "A");

    assertThat(run.output()).contains("Truncated, retrying in TCP mode").contains("192.0.2.10");
    assertThat(fake.queries())
        .extracting(ReceivedQuery::transport)
        .containsExactly(Transport.UDP, Transport.TCP);
  }
}
