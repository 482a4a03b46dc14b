package org.aliasdns.core.flatten;

import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RandomZones;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.FlatteningPolicy.Scope;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Differential test: flattened zones, written as master files, must load in BIND's {@code
 * named-checkzone -i local} with the serial we published. Skipped with a visible reason where
 * the tool is absent (failed instead under {@code ALIAS_REQUIRE_TOOLS=1}, as in CI).
 */
class FlattenerNamedCheckzoneTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String HEAD =
      "$TTL 3600\n"
          + "@ SOA ns1 hostmaster 2026010100 7200 900 1209600 300\n"
          + "@ NS ns1\n"
          + "@ NS ns2.example.org.\n"
          + "ns1 A 192.0.2.53\n";

  @TempDir Path dir;

  private static Zone zone(String origin, String body) {
    return ZoneFileReader.forOrigin(Name.fromConstantString(origin))
        .read(HEAD + body, "test.zone")
        .zone();
  }

  /** An A and an AAAA answer for every target the flattener asks for, via one CNAME hop. */
  private static AliasResults answers(Flattener flattener, Zone source) {
    List<Resolution> all = new ArrayList<>();
    int i = 0;
    for (Name target : flattener.targets(source)) {
      i++;
      Name edge = Name.fromConstantString("edge" + i + ".example.net.");
      List<Hop> chain = List.of(Hop.cname(target, edge, 600));
      all.add(answer(target, chain, edge, "A", "192.0.2." + (1 + i % 250), "198.51.100." + (1 + i % 250)));
      all.add(answer(target, chain, edge, "AAAA", "2001:db8::" + Integer.toHexString(i)));
    }
    return AliasResults.of(all);
  }

  private static Resolution.Answer answer(
      Name target, List<Hop> chain, Name owner, String type, String... addresses) {
    List<Record> records = new ArrayList<>();
    for (String address : addresses) {
      records.add(Rr.rr(owner.toString(), 300, type, address));
    }
    return new Resolution.Answer(target, Type.value(type), chain, RecordSet.of(records), T0);
  }

  /** Writes the flattened zone and checks that BIND loads it with our serial. */
  private void assertBindLoads(FlattenedZone flattened, ZoneFileWriter writer, String file)
      throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(path, writer.toText(flattened.zone()), StandardCharsets.UTF_8);
    ExternalTool.Run run =
        ExternalTool.namedCheckzone(flattened.zone().origin().toString(), path);
    assertThat(run.exitCode()).as("named-checkzone on %s:%n%s", file, run.output()).isZero();
    assertThat(run.output()).contains("loaded serial " + flattened.serial());
  }

  private void assertBindLoads(FlattenedZone flattened, String file) throws IOException {
    assertBindLoads(flattened, ZoneFileWriter.defaults(), file);
  }

  @Test
  void bindLoadsAFlattenedApexAliasWithMailAndExplicitAddresses() throws IOException {
    Zone source =
        zone(
            "example.com.",
            "@ 300 ALIAS cdn.example.net.\n"
                + "@ MX 10 mail\n"
                + "@ TXT \"v=spf1 mx -all\"\n"
                + "mail A 192.0.2.25\n"
                + "www ANAME cdn.example.org.\n"
                + "www A 198.51.100.80\n"
                + "shop ALIAS shops.example.org.\n");
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());

    assertBindLoads(flattener.flatten(source, answers(flattener, source), T0, null), "apex.zone");
  }

  @Test
  void bindLoadsAFlattenedApexCname() throws IOException {
    Zone source =
        ZoneFileReader.forOrigin(Name.fromConstantString("example.org."))
            .read(
                "$TTL 3600\n@ SOA ns1.example.net. hostmaster 7 7200 900 1209600 300\n"
                    + "@ CNAME lb.example.net.\n",
                "cname.zone")
            .zone();
    Flattener flattener =
        Flattener.of(FlatteningPolicy.builder().scope(Scope.ALIAS_AND_APEX_CNAME).build());
    Zone withNs =
        source.toBuilder().add(Rr.rr("example.org.", 3600, "NS", "ns1.example.net.")).build();

    assertBindLoads(flattener.flatten(withNs, answers(flattener, withNs), T0, null), "apex-cname.zone");
  }

  @Test
  void bindLoadsAZoneWhereEveryCnameIsFlattenedOrKept() throws IOException {
    Zone source =
        zone(
            "example.net.",
            "www CNAME web.example.org.\n"
                + "api CNAME api.example.org.\n"
                + "old CNAME gone.example.org.\n"
                + "mx1 A 192.0.2.26\n"
                + "@ MX 10 mx1\n");
    Flattener flattener =
        Flattener.of(FlatteningPolicy.builder().scope(Scope.ALL_CNAMES).build());
    AliasResults results =
        AliasResults.of(
            answer(Name.fromConstantString("web.example.org."), List.of(),
                Name.fromConstantString("web.example.org."), "A", "192.0.2.80"),
            new Resolution.NxDomain(Name.fromConstantString("api.example.org."), Type.A, List.of(), 60, T0),
            new Resolution.Failure(Name.fromConstantString("gone.example.org."), Type.A, List.of(), "timeout", T0, null));

    assertBindLoads(flattener.flatten(source, results, T0, null), "all-cnames.zone");
  }

  @Test
  void bindLoadsAGeneratedZoneWithManyAliases() throws IOException {
    StringBuilder body = new StringBuilder("@ ALIAS apex.example.net.\n");
    for (int i = 0; i < 5000; i++) {
      body.append("host").append(i).append(i % 3 == 0 ? " ANAME " : " ALIAS ")
          .append("t").append(i % 997).append(".example.org.\n");
      if (i % 10 == 0) {
        body.append("host").append(i).append(" TXT \"generated ").append(i).append("\"\n");
      }
    }
    Zone source = zone("example.com.", body.toString());
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());

    assertBindLoads(flattener.flatten(source, answers(flattener, source), T0, null), "many.zone");
  }

  @Test
  void bindLoadsFlattenedRandomZonesUnderEveryScope() throws IOException {
    for (long seed = 0; seed < 12; seed++) {
      Zone source = RandomZones.validZone(seed);
      for (Scope scope : Scope.values()) {
        Flattener flattener = Flattener.of(FlatteningPolicy.builder().scope(scope).build());
        assertBindLoads(
            flattener.flatten(source, answers(flattener, source), T0, null),
            "random-" + seed + "-" + scope + ".zone");
      }
    }
  }

  @Test
  void bindLoadsASecondRunWithAnIncrementedSerial() throws IOException {
    Zone source = zone("example.com.", "www ALIAS cdn.example.net.\n");
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    FlattenedZone first = flattener.flatten(source, answers(flattener, source), T0, null);
    Name cdn = Name.fromConstantString("cdn.example.net.");

    FlattenedZone second =
        flattener.flatten(
            source,
            AliasResults.of(answer(cdn, List.of(), cdn, "A", "192.0.2.99")),
            T0.plusSeconds(60),
            first);

    assertThat(second.serial()).isEqualTo(first.serial() + 1);
    assertBindLoads(second, "second.zone");
  }

  @Test
  void bindLoadsKeptAliasRecordsInGenericForm() throws IOException {
    Zone source = zone("example.com.", "@ ALIAS cdn.example.net.\nwww ANAME cdn.example.net.\n");
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults()).keepingAliasRecords();

    assertBindLoads(
        flattener.flatten(source, answers(flattener, source), T0, null),
        ZoneFileWriter.defaults().withGenericAliasTypes(),
        "kept.zone");
  }

  @Test
  void bindLoadsANameKeptByItsAliasRecordWhenTheTargetVanished() throws IOException {
    Zone source = zone("example.com.", "nx ALIAS gone.example.net.\n");
    Name gone = Name.fromConstantString("gone.example.net.");
    Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
    FlattenedZone flat =
        flattener.flatten(
            source,
            AliasResults.of(
                new Resolution.NxDomain(gone, Type.A, List.of(), 60, T0),
                new Resolution.NxDomain(gone, Type.AAAA, List.of(), 60, T0)),
            T0,
            null);

    assertThat(ZoneFileWriter.defaults().withGenericAliasTypes().toText(flat.zone()))
        .contains("nx\t3600\tIN\tTYPE65401");
    assertBindLoads(flat, ZoneFileWriter.defaults().withGenericAliasTypes(), "vanished.zone");
  }
}
