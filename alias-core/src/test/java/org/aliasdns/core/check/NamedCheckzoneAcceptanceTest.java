package org.aliasdns.core.check;

import org.aliasdns.core.RandomZones;
import org.aliasdns.core.Rr;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.zonefile.ZoneFileWriter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.aliasdns.core.tools.ExternalTool;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What we write, BIND loads: generated valid zones, written with ALIAS/ANAME in RFC 3597 generic
 * form, pass {@code named-checkzone -i local} and read back to the same zone.
 */
class NamedCheckzoneAcceptanceTest {
  private static final int ZONES = 25;

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> namedCheckzoneLoadsWhatWeWrite() {
    return LongStream.range(0, ZONES)
        .boxed()
        .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> accepted(seed)));
  }

  private void accepted(long seed) throws IOException {
    Zone zone = RandomZones.validZone(seed);
    String text = ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone);
    Path file = dir.resolve("seed-" + seed + ".zone");
    Files.writeString(file, text);

    ExternalTool.Run run = ExternalTool.namedCheckzone(zone.origin().toString(), file);

    assertThat(run.exitCode())
        .as("seed %d: named-checkzone said:%n%s%nfor:%n%s", seed, run.output(), text)
        .isZero();
    assertThat(ZoneFileReader.defaults().read(file).zone()).as("seed %d read back", seed).isEqualTo(zone);
  }

  @Test
  void namedCheckzoneRefusesACnameBesideOtherData() throws IOException {
    // guards the acceptance test against a checker that accepts anything
    Zone zone =
        RandomZones.validZone(0)
            .toBuilder()
            .add(Rr.rr("clash." + RandomZones.validZone(0).origin(), 300, "CNAME", "www.example.net."))
            .add(Rr.rr("clash." + RandomZones.validZone(0).origin(), 300, "A", "192.0.2.1"))
            .build();
    Path file = dir.resolve("clash.zone");
    Files.writeString(file, ZoneFileWriter.defaults().withGenericAliasTypes().toText(zone));

    ExternalTool.Run run = ExternalTool.namedCheckzone(zone.origin().toString(), file);

    assertThat(run.exitCode()).as(run.output()).isNotZero();
  }
}
