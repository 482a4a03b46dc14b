package org.aliasdns.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;

/**
 * Issue 13: a bogus alias target ({@code flatten --trust-anchor}) leaves our one-line warning on
 * standard error and nothing of dnsjava's DNSSEC loggers, which logged an ERROR with an 18-line
 * stack trace per bad signature. The tests log as the jar does (src/dist is a test resource).
 */
class BogusTargetLogTest {
  @TempDir Path dir;

  @Test
  void aBogusTargetLeavesNoStackTraceOnStandardError() throws IOException {
    String org =
        """
        $ORIGIN example.org.
        $TTL 300
        @ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
        @ IN NS ns.example.org.
        ns IN A 192.0.2.2
        edge 60 IN A 192.0.2.66
        """;
    Path zone = dir.resolve("example.com.zone");
    Files.writeString(
        zone,
        """
        $ORIGIN example.com.
        $TTL 3600
        @ SOA ns1 hostmaster 2026113001 7200 3600 1209600 300
        @ NS ns1
        ns1 A 192.0.2.53
        bad 300 ALIAS edge.example.org.
        """);
    PrintStream savedErr = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Cli.Result r;
    try (FakeDns fake =
        FakeDns.recursive()
            .clock(ManualClock.startingAt(Instant.now()))
            .signedZone(org, SigningFault.BAD_SIGNATURES)
            .build()
            .start()) {
      List<String> lines = new ArrayList<>();
      for (Record d : fake.trustAnchor("example.org.")) {
        lines.add(d.toString());
      }
      Path anchors = dir.resolve("anchors.ds");
      Files.writeString(anchors, String.join("\n", lines) + "\n");
      System.setErr(new PrintStream(stderr, true, UTF_8));
      try {
        r =
            Cli.run("flatten", zone.toString(), "--upstream", HostPort.format(fake.address()),
                "--trust-anchor", anchors.toString());
      } finally {
        System.setErr(savedErr);
      }
    }
    String logged = stderr.toString(UTF_8);

    assertThat(r.out()).doesNotContain("192.0.2.66");
    assertThat(r.err()).contains("bad.example.com.").contains("DNSSEC");
    assertThat(logged).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("ERROR");
  }
}
