package org.aliasdns.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.aliasdns.core.zonefile.ZoneFile;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

/**
 * With an executor, a large zone's pass over its names runs in parts of the canonical order on
 * several threads; the report must be the one the calling thread alone makes, also when a part
 * starts inside the subtree of a DNAME or a delegation, whose state the part must begin in.
 */
class ParallelNamePassTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(3);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  /**
   * Names under {@code a.} fill the first part; the middle of the canonical order falls in the
   * subtree of {@code m.} (a DNAME, or a delegation with a DNAME deeper down), so each later
   * part starts below it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"DNAME elsewhere.example.net.", "NS ns.m.example.com."})
  void partsStartingInsideASubtreeFindWhatOnePassFinds(String atM) {
    StringBuilder text = new StringBuilder();
    text.append("$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n");
    text.append("ns1 A 192.0.2.1\n");
    int before = 70_000;
    int below = 90_000;
    for (int i = 0; i < before; i++) {
      text.append("h").append(i).append(".a A 192.0.2.").append(i % 250 + 1).append('\n');
      if (i % 1000 == 0) {
        text.append("c").append(i).append(".a CNAME h").append(i + 1).append(".a\n");
        text.append("c").append(i).append(".a TXT \"beside a CNAME\"\n");
      }
    }
    text.append("m ").append(atM).append('\n');
    text.append("ns.m A 192.0.2.53\n");
    for (int i = 0; i < below; i++) {
      text.append("h").append(i).append(".m A 198.51.100.").append(i % 250 + 1).append('\n');
      if (i % 997 == 0) {
        text.append("x").append(i).append(".m MX 10 nowhere").append(i).append(".example.com.\n");
        text.append("d").append(i).append(".h").append(i).append(".m DNAME t.example.org.\n");
        text.append("u").append(i).append(".d").append(i).append(".h").append(i)
            .append(".m A 192.0.2.9\n");
        text.append("bad_name").append(i).append(".m CNAME h").append(i).append(".m\n");
      }
    }
    text.append("z MX 10 missing.example.com.\n");
    ZoneFile zone = ZoneFileReader.forOrigin(ORIGIN).read(text.toString(), "large.zone");
    assertThat(zone.zone().nameCount()).isGreaterThan(2 * 65_536);

    List<String> alone = lines(ZoneValidator.defaults().validate(zone));
    List<String> parts = lines(ZoneValidator.defaults().withExecutor(pool).validate(zone));

    assertThat(alone).hasSizeGreaterThan(150).anyMatch(line -> line.contains(".m.example.com.: "));
    assertThat(parts).containsExactlyElementsOf(alone);
  }

  private static List<String> lines(ValidationReport report) {
    return report.findings().stream().map(Finding::toString).collect(Collectors.toList());
  }
}
