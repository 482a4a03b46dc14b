package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class FlattenCommandTest {
  private static FakeDns fake = DemoTour.world(ManualClock.create());
  private static String upstream = "";

  @TempDir Path dir;

  @BeforeAll
  static void startUpstream() throws IOException {
    fake.start();
    upstream = HostPort.format(fake.address());
  }

  @AfterEach
  void reset() {
    fake.reset();
  }

  @AfterAll
  static void stopUpstream() {
    fake.close();
  }

  private static Cli.Result flatten(String zone, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("flatten", Cli.zone(zone), "--upstream", upstream));
    args.addAll(List.of(options));
    return Cli.run(args.toArray(new String[0]));
  }

  private static Zone read(String text) {
    return ZoneFileReader.defaults().read(text, "flattened").zone();
  }

  @Test
  void printsTheZoneWithAddressesAtTheApexAndNoAlias() throws Exception {
    Cli.Result r = flatten("example.com.zone");

    assertThat(r.exit()).isEqualTo(Main.OK);
    Zone zone = read(r.out());
    Name apex = Name.fromString("example.com.");
    assertThat(zone.get(apex, Type.A).orElseThrow().records())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.80", "192.0.2.81");
    assertThat(zone.get(apex, Type.A).orElseThrow().ttl()).isEqualTo(60);
    assertThat(zone.get(apex, Type.AAAA)).isPresent();
    assertThat(zone.get(Name.fromString("shop.example.com."), Type.A)).isPresent();
    assertThat(zone.stream().map(RecordSet::type)).noneMatch(AliasRecord::isAliasType);
  }

  @Test
  void diagnosticsGoToStderr() {
    Cli.Result r = flatten("example.com.zone");

    assertThat(r.err())
        .contains("example.com. A: [] -> [192.0.2.80, 192.0.2.81]")
        .contains("shop.example.com. A: [] -> [198.51.100.10]")
        .endsWith("example.com. serial 2026112101: 2 alias targets via " + upstream + ", 0 problems\n");
    assertThat(r.out()).doesNotContain("->");
  }

  @Test
  void namedCheckzoneLoadsEveryZoneFlattenPrints() throws IOException {
    String[][] runs = {
      {"example.com.zone"},
      {"example.com.zone", "--keep-aliases"},
      {"example.com.zone", "--family", "ipv4"},
      {"apex-cname.zone", "--scope", "apex-cname"},
      {"vanished.zone"},
    };
    for (String[] run : runs) {
      Cli.Result r =
          flatten(run[0], java.util.Arrays.copyOfRange(run, 1, run.length));
      assertThat(r.exit()).as(String.join(" ", run)).isEqualTo(Main.OK);
      Path file = dir.resolve("flat-" + String.join("-", run).replace("--", ""));
      Files.writeString(file, r.out(), StandardCharsets.UTF_8);
      ExternalTool.Run check = ExternalTool.namedCheckzone("example.com", file);
      assertThat(check.exitCode()).as(String.join(" ", run) + ":\n" + check.output()).isZero();
    }
  }

  @Test
  void httpsFlattenPrintsTheTargetsHttpsRecordsAtTheAliasNameWithDotMadeExplicit()
      throws IOException {
    fake.add("edge.cdn.example.net. 60 HTTPS 1 . alpn=h2,h3");
    try {
      Cli.Result r = flatten("example.com.zone", "--https", "flatten");

      assertThat(r.exit()).as(r.err()).isEqualTo(Main.OK);
      Zone zone = read(r.out());
      RecordSet https = zone.get(Name.fromString("example.com."), Type.HTTPS).orElseThrow();
      // RFC 9460 §2.5.2: "." stood for edge.cdn.example.net., the owner it was copied from.
      assertThat(https.records())
          .extracting(Record::rdataToString)
          .containsExactly("1 edge.cdn.example.net. alpn=h2,h3");
      assertThat(https.ttl()).isEqualTo(60); // min(ALIAS 3600, CNAME 300, HTTPS 60)
      // shop's target has no HTTPS records: none at shop, and no problem reported.
      assertThat(zone.get(Name.fromString("shop.example.com."), Type.HTTPS)).isEmpty();
      assertThat(r.err()).contains(", 0 problems");
      Path file = dir.resolve("flat-https");
      Files.writeString(file, r.out(), StandardCharsets.UTF_8);
      ExternalTool.Run check = ExternalTool.namedCheckzone("example.com", file);
      assertThat(check.exitCode()).as(check.output()).isZero();
    } finally {
      fake.remove("edge.cdn.example.net.", Type.HTTPS);
    }
  }

  @Test
  void theHttpsModesExcludeEachOther() {
    Cli.Result both = flatten("example.com.zone", "--https", "flatten", "--https-alias-mode");
    assertThat(both.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(both.err()).contains("--https-alias-mode and --https=flatten exclude each other");

    Cli.Result bad = flatten("example.com.zone", "--https", "sometimes");
    assertThat(bad.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(bad.err()).contains("'sometimes' is not an HTTPS mode: off, alias-mode or flatten");

    // The old flag still works, alone or agreeing.
    assertThat(flatten("example.com.zone", "--https-alias-mode", "--https", "alias-mode").exit())
        .isEqualTo(Main.OK);
  }

  @Test
  void exitsOneAndStillPrintsTheZoneWhenTargetsFail() {
    fake.inject(Fault.servfail().everywhere());

    Cli.Result r = flatten("example.com.zone");

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    assertThat(r.err())
        .contains("problem: example.com. A -> my-app.cdn.example.net.: UPSTREAM_FAILURE")
        .contains(", 4 problems");
    Zone zone = read(r.out());
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.A)).isEmpty();
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.MX)).isPresent();
  }

  @Test
  void aVanishedTargetIsOneLinePerFamilyOnStderrAndNotAFailure() {
    Cli.Result r = flatten("vanished.zone");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.err())
        .contains(
            "problem: nx.example.com. A -> gone.cdn.example.net.: NO_ADDRESSES: the target is"
                + " NXDOMAIN and the name has no addresses; it answers NODATA\n")
        .contains(
            "problem: nx.example.com. AAAA -> gone.cdn.example.net.: NO_ADDRESSES: the target is"
                + " NXDOMAIN and the name has no addresses; it answers NODATA\n")
        .endsWith(", 2 problems\n");
  }

  @Test
  void aNameWhoseTargetVanishedKeepsItsAliasRecordInGenericForm() {
    Cli.Result r = flatten("vanished.zone");

    assertThat(r.out()).contains("nx\t3600\tIN\tTYPE65401\t\\# 22 ");
    Zone zone = read(r.out());
    Name nx = Name.fromConstantString("nx.example.com.");
    assertThat(zone.get(nx, AliasRecord.ALIAS)).isPresent();
    assertThat(zone.get(nx, Type.A)).isEmpty();
    assertThat(zone.get(Name.fromConstantString("example.com."), AliasRecord.ALIAS)).isEmpty();
  }

  @Test
  void familyIpv4LeavesOutAaaa() {
    Zone zone = read(flatten("example.com.zone", "--family", "ipv4").out());

    assertThat(zone.get(Name.fromConstantString("example.com."), Type.A)).isPresent();
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.AAAA)).isEmpty();
  }

  @Test
  void ttlFloorRaisesSynthesizedTtls() {
    Zone zone = read(flatten("example.com.zone", "--ttl-floor", "100", "--ttl-cap", "110").out());

    assertThat(zone.get(Name.fromConstantString("example.com."), Type.A).orElseThrow().ttl())
        .isEqualTo(100);
    assertThat(zone.get(Name.fromConstantString("shop.example.com."), Type.A).orElseThrow().ttl())
        .isEqualTo(110);
  }

  @Test
  void anApexCnameFlattensOnlyWhenTheScopeSaysSo() {
    Cli.Result refused = flatten("apex-cname.zone");
    Cli.Result flattened = flatten("apex-cname.zone", "--scope", "apex-cname");

    assertThat(refused.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(refused.err()).contains("error cname-at-apex").contains("not flattened");
    assertThat(flattened.exit()).isEqualTo(Main.OK);
    Zone zone = read(flattened.out());
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.A)).isPresent();
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.CNAME)).isEmpty();
  }

  @Test
  void theOriginOptionGivesTheSameZoneAsTheSoa() {
    Cli.Result r = flatten("example.com.zone", "--origin", "example.com");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).isEqualTo(flatten("example.com.zone").out());
  }

  @Test
  void aZoneWithErrorsIsUnusableInput() {
    Cli.Result r = flatten("broken.zone");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(":9: error cname-and-other-data");
  }

  @Test
  void aHostNameAsUpstreamIsRefusedNotLookedUp() {
    Cli.Result r =
        Cli.run("flatten", Cli.zone("example.com.zone"), "--upstream", "dns.example.net");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).contains("is not an IPv4 or IPv6 address");
  }

  @Test
  void aFloorAboveTheCapIsUnusableInput() {
    Cli.Result r = flatten("example.com.zone", "--ttl-floor", "600", "--ttl-cap", "60");

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).isEqualTo("aliasdns flatten: TTL floor 600 is above the TTL cap 60\n");
  }

  @Test
  void noProgressLineWhenNotOnATerminal() {
    Cli.Result r = flatten("example.com.zone");

    assertThat(r.err()).doesNotContain("\r").doesNotContain("resolving alias targets");
  }

  @Test
  void aZoneWithoutOriginIsFlattenedWithTheSoaOwnerAsOrigin() {
    Cli.Result r = flatten("no-origin.zone");

    assertThat(r.exit()).isEqualTo(Main.OK);
    Zone zone = read(r.out());
    assertThat(zone.origin()).isEqualTo(Name.fromConstantString("example.com."));
    assertThat(zone.get(Name.fromConstantString("www.example.com."), Type.A)).isPresent();
    assertThat(zone.get(Name.fromConstantString("example.com."), Type.A)).isPresent();
  }

  @Test
  void noIncludesRefusesAnInclude() throws IOException {
    Files.writeString(dir.resolve("hosts.inc"), "www 3600 IN A 192.0.2.4\n");
    Path main = dir.resolve("main.zone");
    Files.writeString(
        main,
        Files.readString(Path.of(Cli.zone("example.com.zone"))) + "$INCLUDE hosts.inc\n");

    Cli.Result followed = Cli.run("flatten", main.toString(), "--upstream", upstream);
    Cli.Result refused = Cli.run("flatten", main.toString(), "--upstream", upstream, "--no-includes");

    assertThat(followed.exit()).isEqualTo(Main.OK);
    assertThat(read(followed.out()).get(Name.fromConstantString("www.example.com."), Type.A)).isPresent();
    assertThat(refused.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(refused.err()).isEqualTo("aliasdns flatten: " + main + ":10: $INCLUDE hosts.inc: includes are switched off\n");
    assertThat(refused.out()).isEmpty();
  }

  @Test
  void aMalformedZoneIsUnusableWithFileAndLine() throws IOException {
    Path zone = dir.resolve("bad.zone");
    Files.writeString(
        zone,
        Files.readString(Path.of(Cli.zone("example.com.zone")))
            + "x RRSIG A 8 2 300 2024010100000 20000101000000 1 example.com. AAAAAA==\n");

    Cli.Result r = Cli.run("flatten", zone.toString(), "--upstream", upstream);

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).startsWith("aliasdns flatten: " + zone + ":10: bad RRSIG record: ");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void aaaaRecordsAreWrittenInRfc5952Form() {
    Cli.Result r = flatten("example.com.zone");

    assertThat(r.out()).contains("@\t60\tIN\tAAAA\t2001:db8::80\n");
    assertThat(r.err()).contains("example.com. AAAA: [] -> [2001:db8::80]");
  }
}
