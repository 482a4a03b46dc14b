package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example output in the root README's "The alias command" section is what the commands
 * print: each is run here against the demo's upstream world, on a loopback port that the
 * README writes as 192.0.2.53.
 */
class ReadmeExamplesTest {
  private static final String README_UPSTREAM = "192.0.2.53";

  private static FakeDns fake = DemoTour.world(ManualClock.create());
  private static String upstream = "";

  @BeforeAll
  static void startUpstream() throws IOException {
    fake.start();
    upstream = HostPort.format(fake.address());
  }

  @AfterAll
  static void stopUpstream() {
    fake.close();
  }

  @Test
  void check() {
    Cli.Result r = Cli.run("check", Cli.zone("broken.zone"));

    assertThat(ReadmeExamples.outputOf("./aliasdns check broken.zone"))
        .isEqualTo(r.out().replace("src/test/resources/zones/", ""));
  }

  @Test
  void flatten() {
    Cli.Result r = Cli.run("flatten", Cli.zone("example.com.zone"), "--upstream", upstream);

    assertThat(
            ReadmeExamples.outputOf(
                "./aliasdns flatten example.com.zone --upstream " + README_UPSTREAM))
        .isEqualTo(r.both().replace(upstream, README_UPSTREAM + ":53"));
  }

  @Test
  void trace() {
    Cli.Result r = Cli.run("trace", "my-app.cdn.example.net.", "--upstream", upstream);

    assertThat(
            ReadmeExamples.outputOf(
                "./aliasdns trace my-app.cdn.example.net. --upstream " + README_UPSTREAM))
        .isEqualTo(r.out());
  }

  @Test
  void traceOfAnHttpsAliasModeRecord() throws IOException {
    // The README's apex story: example.com's HTTPS AliasMode record to the CDN name, whose
    // CNAME leads to the edge's ServiceMode records.
    try (FakeDns https =
        FakeDns.recursive()
            .clock(ManualClock.create())
            .records(
                "example.com. 3600 HTTPS 0 my-app.cdn.example.net.",
                "my-app.cdn.example.net. 300 CNAME edge.cdn.example.net.",
                "edge.cdn.example.net. 60 HTTPS 1 . alpn=h2,h3 ipv4hint=192.0.2.80 ipv6hint=2001:db8::80")
            .build()
            .start()) {
      Cli.Result r =
          Cli.run("trace", "example.com.", "--type", "HTTPS", "--upstream", HostPort.format(https.address()));

      assertThat(
              ReadmeExamples.outputOf(
                  "./aliasdns trace example.com. --type HTTPS --upstream " + README_UPSTREAM))
          .isEqualTo(r.out());
    }
  }

  @Test
  void demoExcerpt() {
    String out = Cli.run("demo").out().replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");

    // The README shows an excerpt: every line of it but "..." is printed as shown.
    for (String line : ReadmeExamples.outputOf("./aliasdns demo").lines().toList()) {
      if (!line.equals("...")) {
        assertThat(out).contains(line + "\n");
      }
    }
  }
}
