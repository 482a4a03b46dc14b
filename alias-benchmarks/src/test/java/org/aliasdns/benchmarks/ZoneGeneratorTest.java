package org.aliasdns.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.aliasdns.core.AliasRecord;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.check.ZoneValidator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneGeneratorTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  @Test
  void sameSeedSameZoneOtherSeedOtherZone() {
    assertThat(ZoneGenerator.text(5_000, 7)).isEqualTo(ZoneGenerator.text(5_000, 7));
    assertThat(ZoneGenerator.text(5_000, 7)).isNotEqualTo(ZoneGenerator.text(5_000, 8));
  }

  @Test
  void zoneHasExactlyTheRequestedMixAndReadsClean() {
    ZoneFile file = ZoneFileReader.forOrigin(ORIGIN).read(ZoneGenerator.text(20_000, 1), "gen");
    ValidationReport report = ZoneValidator.defaults().validate(file);

    assertThat(file.zone().recordCount()).isEqualTo(20_000);
    assertThat(count(file, Type.CNAME)).isEqualTo(1_000);
    assertThat(count(file, AliasRecord.ALIAS)).isEqualTo(200);
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void cnamesStandAloneAndEveryNameIsAHostName() {
    ZoneFile file = ZoneFileReader.forOrigin(ORIGIN).read(ZoneGenerator.text(20_000, 2), "gen");
    for (Name name : file.zone().names()) {
      var sets = file.zone().recordSets(name);
      if (sets.stream().anyMatch(s -> s.type() == Type.CNAME)) {
        assertThat(sets).as("CNAME and other data at %s", name).hasSize(1);
      }
      String text = name.toString();
      boolean service = sets.stream().allMatch(s -> s.type() == Type.SRV);
      assertThat(text)
          .as("host name %s", text)
          .matches(service ? "(_[a-z-]+\\.){2}[a-z0-9.-]+\\." : "[a-z0-9.-]+\\.");
    }
  }

  private static long count(ZoneFile file, int type) {
    return file.zone().stream().filter(s -> s.type() == type).mapToLong(RecordSet::size).sum();
  }
}
