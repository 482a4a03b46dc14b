package org.aliasdns.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.SigningFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;

/**
 * {@code --trust-anchor} on {@code trace}, {@code flatten} and {@code serve}: alias targets are
 * validated with DNSSEC (RFC 4035 §5) against a recursive fake serving a signed zone and a
 * deliberately broken one, on a clock that starts now (the commands validate on the wall clock).
 * A bogus target is never published.
 */
class TrustAnchorCommandsTest {
  static final String NET =
      """
      $ORIGIN example.net.
      $TTL 300
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      ns IN A 192.0.2.1
      www 300 IN CNAME edge.example.net.
      edge 60 IN A 192.0.2.10
      broken 300 IN CNAME edge.example.org.
      """;
  static final String ORG =
      """
      $ORIGIN example.org.
      $TTL 300
      @ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
      @ IN NS ns.example.org.
      ns IN A 192.0.2.2
      edge 60 IN A 192.0.2.66
      """;
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @ SOA ns1 hostmaster 2026113001 7200 3600 1209600 300
      @ NS ns1
      ns1 A 192.0.2.53
      @ 300 ALIAS www.example.net.
      bad 300 ALIAS broken.example.net.
      """;

  private static FakeDns fake;
  private static String upstream = "";
  @TempDir static Path dir;
  private static Path anchors;
  private static Path zone;

  @BeforeAll
  static void start() throws IOException {
    fake =
        FakeDns.recursive()
            .clock(ManualClock.startingAt(Instant.now()))
            .signedZone(NET, SigningFault.NONE)
            .signedZone(ORG, SigningFault.WRONG_KEY)
            .build()
            .start();
    upstream = HostPort.format(fake.address());
    List<String> lines = new ArrayList<>();
    for (Record r : fake.trustAnchor("example.net.")) {
      lines.add(r.toString());
    }
    for (Record r : fake.trustAnchor("example.org.")) {
      lines.add(r.toString());
    }
    anchors = dir.resolve("anchors.ds");
    Files.writeString(anchors, "; the fake's zones\n" + String.join("\n", lines) + "\n");
    zone = dir.resolve("example.com.zone");
    Files.writeString(zone, ZONE);
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  void traceSaysSecureForASignedChain() {
    Cli.Result r =
        Cli.run("trace", "www.example.net.", "--type", "A", "--upstream", upstream,
            "--trust-anchor", anchors.toString());

    assertThat(r.exit()).as(r.both()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("edge.example.net.   60  A      192.0.2.10")
        .contains("  DNSSEC: secure: every hop validated from the trust anchor");
  }

  @Test
  void traceSaysBogusAndExitsOneForABrokenTarget() {
    Cli.Result r =
        Cli.run("trace", "broken.example.net.", "--type", "A", "--upstream", upstream,
            "--trust-anchor", anchors.toString());

    assertThat(r.exit()).as(r.both()).isEqualTo(Main.FINDINGS);
    assertThat(r.out())
        .contains("bogus, never published: validation failed: ")
        .contains("  DNSSEC: bogus: validation failed, nothing published")
        .doesNotContain("192.0.2.66");
  }

  @Test
  void withoutATrustAnchorTraceIsAsBeforeAndPrintsNoStatus() {
    Cli.Result r = Cli.run("trace", "broken.example.net.", "--type", "A", "--upstream", upstream);

    assertThat(r.exit()).as(r.both()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("192.0.2.66").doesNotContain("DNSSEC");
  }

  @Test
  void flattenPublishesTheSecureTargetAndNeverTheBogusOne() {
    Cli.Result r =
        Cli.run("flatten", zone.toString(), "--upstream", upstream,
            "--trust-anchor", anchors.toString());

    assertThat(r.out()).contains("192.0.2.10").doesNotContain("192.0.2.66");
    assertThat(r.err()).contains("bad.example.com.").contains("DNSSEC");
  }

  @Test
  void aTargetOutsideEveryAnchorAndAnUnusableAnchorAreWarnedAbout() throws IOException {
    // Issue 13: an anchor for another tree, or one the validator cannot use (RFC 6840 §5.2),
    // leaves everything INSECURE; say so once at start rather than silently.
    Path other = dir.resolve("other.ds");
    Files.writeString(
        other,
        "example.org. IN DS 15848 13 3"
            + " F13D2C6C1D2F1B0E9F6A1C2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60\n");

    Cli.Result trace =
        Cli.run("trace", "www.example.net.", "--type", "A", "--upstream", upstream,
            "--trust-anchor", other.toString());
    Cli.Result flatten =
        Cli.run("flatten", zone.toString(), "--upstream", upstream,
            "--trust-anchor", other.toString());

    assertThat(trace.err())
        .contains("warning: trust anchor example.org. DS has unsupported digest type 3")
        .contains("warning: target www.example.net. is not at or below any trust anchor"
            + " (example.org.): its answers are INSECURE");
    assertThat(flatten.err())
        .contains("warning: target www.example.net. is not at or below any trust anchor")
        .contains("warning: target broken.example.net. is not at or below any trust anchor");
  }

  @Test
  void serveWarnsAboutTheAnchorsAlikeFromTheFlagAndFromTheConfigFile() throws Exception {
    // Issue 13: `server: trust-anchor` warns as --trust-anchor does (one path: the session).
    Path other = dir.resolve("other-serve.ds");
    Files.writeString(
        other,
        "example.org. IN DS 15848 13 3"
            + " F13D2C6C1D2F1B0E9F6A1C2B3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60\n");
    Path config = dir.resolve("anchors.yaml");
    Files.writeString(
        config,
        "server:\n  listen: 127.0.0.1:0\n  upstreams: [" + upstream + "]\n"
            + "  trust-anchor: " + other + "\nzone:\n  - domain: example.com.\n    file: "
            + zone + "\n");

    String flag =
        serveUntilListening("serve", zone.toString(), "--listen", "127.0.0.1:0",
            "--upstream", upstream, "--trust-anchor", other.toString());
    String file = serveUntilListening("serve", "--config", config.toString());

    List<String> expected =
        List.of(
            "warning: trust anchor example.org. DS has unsupported digest type 3",
            "warning: target www.example.net. is not at or below any trust anchor (example.org.)",
            "warning: target broken.example.net. is not at or below any trust anchor");
    for (String line : expected) {
      assertThat(flag).contains(line);
      assertThat(file).contains(line);
    }
  }

  @Test
  void coveredTargetsAndUsableAnchorsAreNotWarnedAbout() {
    Cli.Result r =
        Cli.run("flatten", zone.toString(), "--upstream", upstream,
            "--trust-anchor", anchors.toString());

    assertThat(r.err()).doesNotContain("warning: ");
  }

  @Test
  void anUnreadableTrustAnchorFileIsUnusableInput() throws IOException {
    Path wrong = dir.resolve("wrong.ds");
    Files.writeString(wrong, "example.net. 300 IN A 192.0.2.1\n");

    Cli.Result missing =
        Cli.run("trace", "www.example.net.", "--upstream", upstream,
            "--trust-anchor", dir.resolve("nope").toString());
    Cli.Result notAnAnchor =
        Cli.run("trace", "www.example.net.", "--upstream", upstream,
            "--trust-anchor", wrong.toString());

    assertThat(missing.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(missing.err()).contains("--trust-anchor: ").contains("nope: no such file");
    assertThat(notAnAnchor.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(notAnAnchor.err()).contains("a trust anchor is a DS or DNSKEY record, not");
  }

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void serveAnswersTheSecureAliasAndServfailsTheBogusOneWithEde6() throws Exception {
    ExternalTool.DIG.require();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, UTF_8));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread serving =
        new Thread(
            () -> exit.set(Main.run("serve", zone.toString(), "--listen", "127.0.0.1:0",
                "--upstream", upstream, "--trust-anchor", anchors.toString())),
            "alias-serve-under-test");
    try {
      serving.start();
      int port = -1;
      Instant deadline = Instant.now().plusSeconds(10);
      while (port < 0 && Instant.now().isBefore(deadline) && serving.isAlive()) {
        Matcher m;
        synchronized (out) {
          m = LISTENING.matcher(out.toString(UTF_8));
        }
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        } else {
          Thread.sleep(20);
        }
      }
      if (port < 0) {
        fail("no 'listening on' line: " + out.toString(UTF_8));
      }

      String good = dig(port, "example.com", "A");
      String bad = dig(port, "bad.example.com", "A");

      assertThat(good).contains("status: NOERROR").contains("192.0.2.10");
      // RFC 8914 §4.7: the alias's target failed validation; SERVFAIL, never its addresses.
      assertThat(bad).contains("status: SERVFAIL").contains("EDE: 6 (DNSSEC Bogus)")
          .contains("broken.example.net.")
          .doesNotContain("192.0.2.66");
    } finally {
      serving.interrupt();
      serving.join(10_000);
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    assertThat(serving.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(Main.OK);
  }

  /** Runs {@code serve} until it listens, stops it, and returns what it printed. */
  private static String serveUntilListening(String... args) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, UTF_8));
    System.setErr(new PrintStream(out, true, UTF_8));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread serving = new Thread(() -> exit.set(Main.run(args)), "alias-serve-under-test");
    try {
      serving.start();
      Instant deadline = Instant.now().plusSeconds(10);
      boolean listening = false;
      while (!listening && Instant.now().isBefore(deadline) && serving.isAlive()) {
        synchronized (out) {
          listening = LISTENING.matcher(out.toString(UTF_8)).find();
        }
        if (!listening) {
          Thread.sleep(20);
        }
      }
      if (!listening) {
        fail("no 'listening on' line: " + out.toString(UTF_8));
      }
    } finally {
      serving.interrupt();
      serving.join(10_000);
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    assertThat(serving.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(Main.OK);
    synchronized (out) {
      return out.toString(UTF_8);
    }
  }

  private static String dig(int port, String name, String type) {
    ExternalTool.Run run =
        ExternalTool.DIG.run("@127.0.0.1", "-p", Integer.toString(port), "+norec", "+time=2",
            "+tries=1", name, type);
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output();
  }
}
