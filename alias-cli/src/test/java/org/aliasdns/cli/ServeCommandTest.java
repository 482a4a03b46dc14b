package org.aliasdns.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.server.TsigKey;
import org.aliasdns.server.TsigKeyFile;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** {@code aliasdns serve} through {@link Main#run}: options, refusals, and a run that is stopped. */
class ServeCommandTest {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private Path zone;

  @BeforeEach
  void capture() throws Exception {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, UTF_8));
    System.setErr(new PrintStream(err, true, UTF_8));
    zone = dir.resolve("example.com.zone");
    Files.writeString(zone, ServeFixture.ZONE);
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String out() {
    synchronized (out) {
      return out.toString(UTF_8);
    }
  }

  @Test
  void servesUntilInterruptedAndExitsZero() throws Exception {
    serveAnswersTheApexAndStopsWhenInterrupted("--tick", "100ms");
  }

  @Test
  void anAddressInUseFailsWithExitCodeOne() throws Exception {
    try (ServeFixture running = ServeFixture.start()) {
      int code =
          Main.run(
              "serve",
              zone.toString(),
              "--listen",
              "127.0.0.1:" + running.session.port(),
              "--upstream",
              "127.0.0.1:" + running.fake.port());
      assertThat(code).isEqualTo(Main.FINDINGS);
      // Which listener failed: DNS over UDP (bound first), TCP, or the metrics exporter.
      assertThat(err.toString(UTF_8))
          .contains("cannot listen on 127.0.0.1:" + running.session.port()
              + " (DNS over UDP): Address already in use");
    }
  }

  @Test
  void aMetricsPortInUseIsNamedAsTheMetricsListener() throws Exception {
    try (FakeDns upstream = ServeFixture.upstream();
        java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int code =
          Main.run("serve", zone.toString(), "--listen", "127.0.0.1:0", "--upstream",
              "127.0.0.1:" + upstream.port(), "--metrics", "127.0.0.1:" + taken.getLocalPort());
      assertThat(code).isEqualTo(Main.FINDINGS);
      assertThat(err.toString(UTF_8))
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (metrics): ")
          .doesNotContain("DNS over");
    }
  }

  @Test
  void aZoneErrorIsReportedAtTheRecordsLineAsCheckReportsIt() throws Exception {
    String head =
        "$ORIGIN example.com.\n"
            + "$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
            + "@ NS ns1\n"
            + "ns1 A 192.0.2.53\n";
    // RFC 9460 §7.1.1: no-default-alpn without alpn, on line 6; then the same in RFC 3597
    // generic form (SvcPriority 1, TargetName ".", key 2 with no value).
    for (String line : new String[] {"@ HTTPS 1 . no-default-alpn", "@ TYPE65 \\# 7 0001 00 00020000"}) {
      Path file = dir.resolve("line6.zone");
      Files.writeString(file, head + line + "\n");
      var read = org.aliasdns.core.zonefile.ZoneFileReader.defaults().read(file);

      List<String> errors =
          ServeCommand.unpublishable(read, org.aliasdns.core.FlatteningPolicy.defaults());

      assertThat(errors).as(line).singleElement().asString().contains("line6.zone:6:");
      assertThat(Main.run("check", file.toString())).isNotZero();
      assertThat(out()).contains("line6.zone:6:");
    }
  }

  @Test
  void anUpstreamNameIsRefusedNotResolved() {
    int code = Main.run("serve", zone.toString(), "--upstream", "resolver.example.net");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .contains("'resolver.example.net' is not an IPv4 or IPv6 address (host names are not looked up)");
  }

  @Test
  void signingOptionsWithoutAKeyOrAKeyOfAnotherZoneAreUnusableInput() throws Exception {
    int noKey = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1", "--nsec3");
    assertThat(noKey).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("the DNSSEC options need --key");

    org.aliasdns.core.dnssec.SigningKey other =
        org.aliasdns.core.dnssec.SigningKey.generate(
            org.xbill.DNS.Name.fromConstantString("example.org."),
            org.aliasdns.core.dnssec.DnssecAlgorithm.ECDSAP256SHA256,
            org.aliasdns.core.dnssec.SigningKey.Role.COMBINED,
            3600,
            new java.security.SecureRandom());
    org.aliasdns.core.dnssec.KeyFiles.write(other, dir, java.time.Instant.now());
    int wrong =
        Main.run("serve", zone.toString(), "--upstream", "127.0.0.1", "--key",
            dir.resolve(other.fileStem()).toString());
    assertThat(wrong).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("is for zone example.org., not example.com.");
  }

  @Test
  void aFirstSigningThatFailsEndsServeWithExit2AndOneLine() throws Exception {
    // 2338 AAAA records fit a message unsigned, not with their RRSIG (RFC 1035 §4.2.2): the
    // first signing fails, and serve must not stay up answering REFUSED for the zone.
    StringBuilder text =
        new StringBuilder("$ORIGIN example.com.\n$TTL 3600\n"
            + "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n");
    for (int i = 1; i <= 2338; i++) {
      text.append("big AAAA 2001:db8::").append(Integer.toHexString(i)).append('\n');
    }
    Path big = dir.resolve("big.zone");
    Files.writeString(big, text.toString());
    org.aliasdns.core.dnssec.SigningKey key =
        org.aliasdns.core.dnssec.SigningKey.generate(
            org.xbill.DNS.Name.fromConstantString("example.com."),
            org.aliasdns.core.dnssec.DnssecAlgorithm.ECDSAP256SHA256,
            org.aliasdns.core.dnssec.SigningKey.Role.COMBINED,
            3600,
            new java.security.SecureRandom());
    org.aliasdns.core.dnssec.KeyFiles.write(key, dir, java.time.Instant.now());
    int code =
        Main.run("serve", big.toString(), "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:1",
            "--key", dir.resolve(key.fileStem()).toString());
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .contains("aliasdns serve: signing example.com. failed: big.example.com. AAAA: 2338"
            + " records need 65604 bytes")
        .doesNotContain("previous signed zone");
    assertThat(out()).doesNotContain("listening on");
  }

  @Test
  void aMissingZoneFileIsUnusable() {
    int code =
        Main.run("serve", dir.resolve("nope.zone").toString(), "--upstream", "127.0.0.1:1");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("nope.zone");
  }

  @Test
  void aZoneThatFlatteningCannotRepairIsRefusedWithItsLine() throws Exception {
    Files.writeString(zone, ServeFixture.ZONE + "www CNAME cdn.example.net.\nwww TXT \"x\"\n");
    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("error cname-and-other-data", "example.com.zone:");
  }

  @Test
  void anApexCnameIsRefusedUnlessTheScopeFlattensIt() throws Exception {
    Files.writeString(
        zone,
        ServeFixture.ZONE.replace("@ 300 ALIAS cdn.example.net.", "@ 300 CNAME cdn.example.net."));
    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1");
    assertThat(code).isEqualTo(Main.UNUSABLE); // the default scope leaves a CNAME at the apex
    assertThat(err.toString(UTF_8)).contains("cname-at-apex");

    serveAnswersTheApexAndStopsWhenInterrupted("--scope", "apex-cname");
  }

  @Test
  void aBadTickIsUnusable() {
    int code =
        Main.run("serve", zone.toString(), "--upstream", "127.0.0.1", "--tick", "soon");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("not a duration");
  }

  @Test
  void aVanishedTargetIsAWarningOnStderrAndItsNameAnswersNodata() throws Exception {
    Files.writeString(zone, ServeFixture.ZONE + "nx ALIAS gone.example.net.\n");
    try (FakeDns upstream = ServeFixture.upstream()) {
      Thread serving =
          new Thread(
              () ->
                  Main.run(
                      "serve", zone.toString(), "--listen", "127.0.0.1:0", "--upstream",
                      "127.0.0.1:" + upstream.port()),
              "alias-serve-under-test");
      serving.start();
      try {
        int port = awaitListening(serving);

        // one log line each, with a timestamp and the level (slf4j-simple, as in aliasdns.jar)
        assertThat(err.toString(UTF_8))
            .containsPattern(
                "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN aliasdns"
                    + " - nx\\.example\\.com\\. A -> gone\\.example\\.net\\.: NO_ADDRESSES: the target is"
                    + " NXDOMAIN and the name has no addresses; it answers NODATA$")
            .contains("WARN aliasdns - nx.example.com. AAAA -> gone.example.net.: NO_ADDRESSES");
        SimpleResolver client = new SimpleResolver("127.0.0.1");
        client.setPort(port);
        client.setTimeout(Duration.ofSeconds(2));
        for (int type : new int[] {Type.A, Type.TXT}) {
          Message reply =
              client.send(
                  Message.newQuery(
                      Record.newRecord(Name.fromConstantString("nx.example.com."), type, 1)));
          assertThat(reply.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
          assertThat(reply.getSection(Section.ANSWER)).isEmpty();
          assertThat(reply.getSection(Section.AUTHORITY))
              .extracting(Record::getType)
              .containsExactly(Type.SOA);
        }
      } finally {
        serving.interrupt();
        serving.join(10_000);
      }
    }
  }

  // ---- operations: rate limiting, metrics

  @Test
  void rateLimitAloneTakesTheDefaultRateAndMetricsSayWhereTheyAre() throws Exception {
    serveAnswersTheApexAndStopsWhenInterrupted("--rate-limit", "--metrics", "127.0.0.1:0");

    assertThat(out()).containsPattern("(?m)^metrics on http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics$");
    assertThat(err.toString(UTF_8))
        .contains("INFO aliasdns - UDP responses limited: ResponseRateLimit[responsesPerSecond=200, slip=2,"
            + " ipv4PrefixLength=24, ipv6PrefixLength=56");
  }

  @Test
  void theRateLimitOptionsAreTaken() throws Exception {
    serveAnswersTheApexAndStopsWhenInterrupted(
        "--rate-limit", "50", "--rate-limit-slip", "1", "--rate-limit-ipv4-prefix", "32",
        "--rate-limit-ipv6-prefix", "64");

    assertThat(err.toString(UTF_8))
        .contains("ResponseRateLimit[responsesPerSecond=50, slip=1, ipv4PrefixLength=32,"
            + " ipv6PrefixLength=64");
  }

  @Test
  void rateLimitSettingsWithoutARateLimitOrOutOfRangeAreUnusable() {
    assertThat(Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1",
            "--rate-limit-slip", "1"))
        .isEqualTo(Main.UNUSABLE);
    assertThat(Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1",
            "--rate-limit", "0"))
        .isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .contains("--rate-limit-slip and --rate-limit-ipv4/ipv6-prefix need --rate-limit")
        .contains("--rate-limit: responsesPerSecond must be 1..1000000, was 0");
  }

  @Test
  void aMetricsAddressWithoutAPortIsUnusable() {
    int code =
        Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--metrics", "127.0.0.1");

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("--metrics needs ADDR:PORT");
  }

  // ---- transfers: TSIG (RFC 8945), the catalog (RFC 9432)

  static final String KEY_FILE =
      "key \"xfr-key\" {\n"
          + "\talgorithm hmac-sha256;\n"
          + "\tsecret \"yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=\";\n"
          + "};\n";

  @Test
  void withRequireTsigOnlyAKeyHolderTransfersTheZoneAndTheCatalog() throws Exception {
    // --require-tsig alone holds loopback to the key too: no --no-loopback-exemption needed.
    Path keys = dir.resolve("keys.conf");
    Files.writeString(keys, KEY_FILE);
    try (FakeDns upstream = ServeFixture.upstream()) {
      Thread serving =
          new Thread(
              () ->
                  Main.run(
                      "serve", zone.toString(), "--listen", "127.0.0.1:0", "--upstream",
                      "127.0.0.1:" + upstream.port(), "--tsig-key-file", keys.toString(),
                      "--require-tsig", "--catalog",
                      "catalog.invalid."),
              "alias-serve-under-test");
      serving.start();
      try {
        int port = awaitListening(serving);
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        TsigKey key = TsigKeyFile.parse(KEY_FILE, "keys.conf").get(0);
        Name origin = Name.fromConstantString("example.com.");

        ZoneTransferIn unsigned = ZoneTransferIn.newAXFR(origin, at, null);
        unsigned.setTimeout(Duration.ofSeconds(5));
        assertThatThrownBy(unsigned::run).hasMessageContaining("REFUSED");

        ZoneTransferIn signed = ZoneTransferIn.newAXFR(origin, at, key.tsig(InstantSource.system()));
        signed.setTimeout(Duration.ofSeconds(5));
        signed.run(); // every message's TSIG verified, or it throws
        assertThat(signed.getAXFR())
            .filteredOn(r -> r.getType() == Type.A && r.getName().equals(origin))
            .extracting(Record::rdataToString)
            .containsExactly("192.0.2.10");

        ZoneTransferIn catalog =
            ZoneTransferIn.newAXFR(
                Name.fromConstantString("catalog.invalid."), at, key.tsig(InstantSource.system()));
        catalog.setTimeout(Duration.ofSeconds(5));
        catalog.run();
        assertThat(catalog.getAXFR())
            .filteredOn(r -> r.getType() == Type.PTR)
            .extracting(Record::rdataToString)
            .containsExactly("example.com.");
      } finally {
        serving.interrupt();
        serving.join(10_000);
      }
    }
  }

  @Test
  void aBadKeyFileIsUnusableWithItsFileAndLine() throws Exception {
    Path keys = dir.resolve("bad.conf");
    Files.writeString(keys, KEY_FILE.replace("hmac-sha256", "hmac-sha3"));
    int code =
        Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--tsig-key-file",
            keys.toString());
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .contains(keys + ":1: unknown TSIG algorithm \"hmac-sha3\"")
        .doesNotContain("at org.");
  }

  @Test
  void bothLoopbackExemptionFlagsAreUnusable() {
    int code =
        Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--loopback-exemption",
            "--no-loopback-exemption");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("contradict each other");
  }

  @Test
  void requireTsigWithoutAKeyFileIsUnusable() {
    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--require-tsig");
    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("--require-tsig needs --tsig-key-file");
  }

  // ---- the zone options (ZoneOptions), shared with check and flatten

  @Test
  void aZoneWithoutOriginIsServedWithTheSoaOwnerAsOrigin() throws Exception {
    Files.writeString(
        zone,
        "example.com. 3600 IN SOA ns1 hostmaster 2026112101 7200 3600 1209600 300\n"
            + "@ NS ns1\nns1 A 192.0.2.53\n@ 300 ALIAS cdn.example.net.\n");

    serveAnswersTheApexAndStopsWhenInterrupted();
  }

  @Test
  void theOriginOptionIsTaken() throws Exception {
    Files.writeString(zone, ServeFixture.ZONE.replace("$ORIGIN example.com.\n", ""));

    serveAnswersTheApexAndStopsWhenInterrupted("--origin", "example.com");
  }

  @Test
  void noIncludesRefusesAnInclude() throws Exception {
    Files.writeString(dir.resolve("hosts.inc"), "www A 192.0.2.4\n");
    Files.writeString(zone, ServeFixture.ZONE + "$INCLUDE hosts.inc\n");

    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--no-includes");

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .contains(zone + ":" + (ServeFixture.ZONE.lines().count() + 1) + ": $INCLUDE hosts.inc: includes are switched off");
  }

  @Test
  void aMalformedZoneIsUnusableWithFileAndLineAndNoStackTrace() throws Exception {
    Files.writeString(zone, ServeFixture.ZONE + "x CNAME \\# 1 ff\n");

    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1");

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8))
        .isEqualTo(
            "aliasdns serve: " + zone + ":" + (ServeFixture.ZONE.lines().count() + 1)
                + ": bad CNAME record: end of input\n");
  }

  @Test
  void aTimeoutBelowOneSecondIsUnusable() {
    int code = Main.run("serve", zone.toString(), "--upstream", "127.0.0.1:1", "--timeout", "0");

    assertThat(code).isEqualTo(Main.UNUSABLE);
    assertThat(err.toString(UTF_8)).contains("--timeout must be at least 1 second");
  }

  /**
   * Runs {@code aliasdns serve} in a thread with these options besides the zone, a free loopback
   * port and the fake upstream; checks that the apex answers with the target's address, then
   * interrupts it and checks that it ends with exit code 0.
   */
  private void serveAnswersTheApexAndStopsWhenInterrupted(String... options) throws Exception {
    try (FakeDns upstream = ServeFixture.upstream()) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "serve",
                  zone.toString(),
                  "--listen",
                  "127.0.0.1:0",
                  "--upstream",
                  "127.0.0.1:" + upstream.port()));
      args.addAll(List.of(options));
      AtomicInteger exit = new AtomicInteger(-1);
      Thread serving =
          new Thread(
              () -> exit.set(Main.run(args.toArray(new String[0]))), "alias-serve-under-test");
      serving.start();
      int port = awaitListening(serving);

      SimpleResolver client = new SimpleResolver("127.0.0.1");
      client.setPort(port);
      client.setTimeout(Duration.ofSeconds(2));
      Message reply =
          client.send(
              Message.newQuery(
                  Record.newRecord(Name.fromConstantString("example.com."), Type.A, 1)));
      assertThat(reply.getSection(Section.ANSWER))
          .extracting(Record::rdataToString)
          .containsExactly("192.0.2.10");

      serving.interrupt();
      serving.join(10_000);
      assertThat(serving.isAlive()).isFalse();
      assertThat(exit.get()).isEqualTo(Main.OK);
    }
  }

  /** Polls what the command printed until it says where it listens, for up to 10 s. */
  private int awaitListening(Thread serving) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline) && serving.isAlive()) {
      Matcher m = LISTENING.matcher(out());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(20);
    }
    fail("no 'listening on' line; out: " + out() + "\nerr: " + err.toString(UTF_8));
    return -1;
  }
}
