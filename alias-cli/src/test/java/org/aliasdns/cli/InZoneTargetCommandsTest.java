package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Alias targets inside the zone, through the command: {@code flatten} takes them from the zone
 * data without asking the upstream, and {@code check} catches the classic missing trailing dot
 * (issue 10, points 3 and 4).
 */
class InZoneTargetCommandsTest {
  /** An upstream that refuses every question, as one that is not ours to ask would. */
  private static final FakeDns REFUSING = DemoTour.world(ManualClock.create());

  @BeforeAll
  static void start() throws IOException {
    REFUSING.start();
    REFUSING.inject(Fault.refused().everywhere());
  }

  @AfterAll
  static void stop() {
    REFUSING.close();
  }

  @Test
  void flattenTakesAnInZoneTargetFromTheZoneAndAsksTheUpstreamNothing() throws Exception {
    Cli.Result r =
        Cli.run(
            "flatten",
            Cli.zone("in-zone-target.zone"),
            "--upstream",
            HostPort.format(REFUSING.address()));

    assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
    Zone zone = ZoneFileReader.defaults().read(r.out(), "flattened").zone();
    assertThat(zone.get(Name.fromString("example.com."), Type.A).orElseThrow().records())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.5");
    assertThat(REFUSING.queryCount()).isZero();
  }

  @Test
  void serveAnswersAnInZoneTargetFromTheZoneToDig() throws Exception {
    ExternalTool.DIG.require();
    Zone zone = ZoneFileReader.defaults().read(Path.of(Cli.zone("in-zone-target.zone"))).zone();
    try (ServeSession session =
        ServeSession.builder(zone)
            .upstream(REFUSING.address())
            .clock(REFUSING.clock())
            .queryTimeout(Duration.ofSeconds(2))
            .log(line -> {})
            .warn(line -> {})
            .build()
            .start()) {
      ExternalTool.Run dig =
          ExternalTool.DIG.run(
              "@127.0.0.1",
              "-p",
              Integer.toString(session.port()),
              "+norec",
              "+time=2",
              "+tries=1",
              "example.com",
              "A");

      assertThat(dig.output()).contains("status: NOERROR").contains("flags: qr aa");
      assertThat(dig.output()).containsPattern("example\\.com\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.5");
    }
    assertThat(REFUSING.queryCount()).isZero();
  }

  @Test
  void checkReportsATargetWithoutItsTrailingDot() {
    Cli.Result r = Cli.run("check", Cli.zone("typo.zone"));

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out().lines())
        .containsExactly(
            Cli.zone("typo.zone")
                + ":6: warning alias-target-without-address: api.example.com.: ALIAS target"
                + " api.cdn.example.net.example.com. does not exist in the zone; missing"
                + " trailing dot?",
            Cli.zone("typo.zone") + ": zone example.com.: 0 errors, 1 warning");
  }
}
