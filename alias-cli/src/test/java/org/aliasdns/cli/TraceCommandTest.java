package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

class TraceCommandTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(
              FakeDns.recursive()
                  .clock(ManualClock.create())
                  .records(
                      "www.example.net. 300 CNAME cdn.example.org.",
                      "cdn.example.org. 120 CNAME edge.cdn.example.org.",
                      "edge.cdn.example.org. 60 A 192.0.2.10",
                      "edge.cdn.example.org. 60 A 192.0.2.11",
                      "loop.example.net. 300 CNAME loop2.example.net.",
                      "loop2.example.net. 300 CNAME loop.example.net.",
                      "old.example.net. 600 DNAME new.example.org.",
                      "www.new.example.org. 60 A 192.0.2.20",
                      "example.net. 3600 HTTPS 0 app.cdn.example.org.",
                      "app.cdn.example.org. 300 CNAME edge.cdn.example.org.",
                      "edge.cdn.example.org. 60 HTTPS 1 . alpn=h2,h3 ipv6hint=2001:db8:0:0:0:0:0:80",
                      "off.example.net. 300 HTTPS 0 .",
                      "plain.example.net. 300 SVCB 0 www.new.example.org.",
                      "svcloop.example.net. 300 HTTPS 0 svcloop2.example.net.",
                      "svcloop2.example.net. 300 HTTPS 0 svcloop.example.net."))
          .withNetwork(); // one fake for the class, reset after each test
  private static FakeDns fake;
  private static String upstream = "";

  @BeforeAll
  static void startUpstream() {
    fake = dns.fake();
    upstream = HostPort.format(fake.address());
  }

  @Test
  void showsEachHopTheRecordsAndHowTheTtlWasDerived() {
    Cli.Result r = Cli.run("trace", "www.example.net.", "--type", "A", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .isEqualTo(
            """
            www.example.net. A
              www.example.net.       300  CNAME  cdn.example.org.
              cdn.example.org.       120  CNAME  edge.cdn.example.org.
              edge.cdn.example.org.   60  A      192.0.2.10
              edge.cdn.example.org.   60  A      192.0.2.11
              effective TTL 60 = min(CNAME 300, CNAME 120, A 60)
            """);
  }

  @Test
  void tracesBothFamiliesWhenNoTypeIsGiven() {
    Cli.Result r = Cli.run("trace", "www.example.net", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("www.example.net. A\n")
        .contains("\nwww.example.net. AAAA\n")
        .contains("edge.cdn.example.org. has no AAAA records (NODATA");
  }

  @Test
  void aNameThatDoesNotExistIsAnAnswer() {
    Cli.Result r = Cli.run("trace", "gone.example.net.", "--type", "aaaa", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("gone.example.net. does not exist (NXDOMAIN");
  }

  @Test
  void anUpstreamFailureExitsOne() {
    fake.inject(Fault.servfail().forName("www.example.net.", Type.A));

    Cli.Result r = Cli.run("trace", "www.example.net.", "--type", "A", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    assertThat(r.out()).contains("upstream failed");
  }

  @Test
  void withSeveralUpstreamsEachQuestionSaysWhichServerAnsweredAndWhichFailed() throws Exception {
    try (FakeDns refusing = FakeDns.recursive().build().start()) {
      refusing.inject(Fault.refused().everywhere());
      String first = HostPort.format(refusing.address());

      Cli.Result r =
          Cli.run(
              "trace", "www.example.net.", "--type", "A", "--upstream", first, "--upstream",
              upstream);

      assertThat(r.exit()).isEqualTo(Main.OK);
      assertThat(r.out())
          .endsWith(
              "  effective TTL 60 = min(CNAME 300, CNAME 120, A 60)\n"
                  + "  www.example.net. A failed at " + first
                  + ": upstream answered REFUSED for www.example.net.\n"
                  + "  www.example.net. A answered by " + upstream + "\n");
      assertThat(refusing.queryCount()).isEqualTo(1);
    }
  }

  @Test
  void theSameUpstreamTwiceIsUnusableInput() {
    Cli.Result r =
        Cli.run("trace", "www.example.net.", "--upstream", upstream, "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("--upstream: upstream " + upstream + " is given twice");
  }

  @Test
  void aDnameHopShowsTheCnameItSynthesizes() {
    Cli.Result r = Cli.run("trace", "www.old.example.net.", "--type", "A", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains(
            "www.old.example.net.  600  CNAME  www.new.example.org.   (synthesized from a DNAME,"
                + " RFC 6672)")
        .contains("effective TTL 60 = min(DNAME 600, A 60)");
  }

  @Test
  void aLoopExitsOne() {
    Cli.Result r = Cli.run("trace", "loop.example.net.", "--type", "A", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    assertThat(r.out()).contains("loop: the chain comes back to loop.example.net. (RFC 1034 §3.6.2)");
  }

  @Test
  void aTypeOtherThanAAaaaHttpsOrSvcbIsUnusableInput() {
    Cli.Result r = Cli.run("trace", "www.example.net.", "--type", "MX", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("'MX' is not A, AAAA, HTTPS or SVCB");
  }

  @Test
  void anHttpsTraceFollowsTheAliasModeRecordAndTheCnameToTheServiceModeRecords() {
    Cli.Result r = Cli.run("trace", "example.net.", "--type", "https", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .isEqualTo(
            """
            example.net. HTTPS
              example.net.           3600  HTTPS  0 app.cdn.example.org.   (AliasMode, RFC 9460 §2.4.2)
              app.cdn.example.org.    300  CNAME  edge.cdn.example.org.
              edge.cdn.example.org.    60  HTTPS  1 . alpn=h2,h3 ipv6hint=2001:db8::80
              effective TTL 60 = min(HTTPS 3600, CNAME 300, HTTPS 60)
            """);
  }

  @Test
  void anAliasModeToDotSaysTheServiceIsNotAvailable() {
    Cli.Result r = Cli.run("trace", "off.example.net.", "--type", "HTTPS", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("effective TTL 300 = HTTPS 300 (AliasMode to \".\": the service is not available, RFC 9460 §2.5.1)");
  }

  @Test
  void anSvcbAliasModeTargetWithoutSvcbRecordsIsNodataWhoseAddressesClientsUse() {
    Cli.Result r = Cli.run("trace", "plain.example.net.", "--type", "SVCB", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("plain.example.net.  300  SVCB  0 www.new.example.org.   (AliasMode, RFC 9460 §2.4.2)")
        .contains(
            "www.new.example.org. has no SVCB records (NODATA, cached 300 s, RFC 2308); clients"
                + " connect to its addresses (RFC 9460 §2.4.2)");
  }

  @Test
  void anAliasModeLoopExitsOne() {
    Cli.Result r = Cli.run("trace", "svcloop.example.net.", "--type", "HTTPS", "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    assertThat(r.out()).contains("loop: the chain comes back to svcloop.example.net.");
  }
}
