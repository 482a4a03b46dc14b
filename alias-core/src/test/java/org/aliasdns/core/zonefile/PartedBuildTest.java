package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.ValidationReport;
import org.aliasdns.core.check.ZoneValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

/**
 * A file read in segments builds its zone in parts, one per core, each taking the records of
 * its names ({@link org.aliasdns.core.Zone.Builder#split}); the zone, the positions, the
 * reader's findings and the validator's report (findings and their order) must be those of
 * the zone built by one builder in file order. The generated zones hold what crosses the
 * parts: records of one RRset scattered through the file and spelled in other cases,
 * duplicates, TTL mismatches, a CNAME beside other data, DNAMEs and cuts with names below them
 * (which hash to every part), records out of the zone, a record before the SOA and one taking
 * its MINIMUM.
 */
class PartedBuildTest {
  private static final ExecutorService pool = Executors.newFixedThreadPool(3);

  @TempDir Path dir;

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void partsBuildTheZoneOneBuilderBuilds(int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    boolean originGiven = random.nextBoolean();
    Path file = write("parted-" + seed + ".zone", zoneText(random, 3000));
    ZoneFileReader reader =
        originGiven ? ZoneFileReader.forOrigin(Name.fromString("example.com.")) : ZoneFileReader.defaults();
    ZoneFileReader segmented = reader.withExecutor(pool).withSegmentBytes(1 + random.nextInt(2000));

    ZoneFile inOrder = reader.read(file);
    String expected = SegmentedReadTest.outcome(reader, file);
    List<String> report = lines(ZoneValidator.defaults().validate(inOrder));

    // what makes this test able to fail: findings of the reader and of the validator
    assertThat(inOrder.findings())
        .extracting(Finding::rule)
        .contains(Rule.RRSET_TTL_MISMATCH, Rule.OUT_OF_ZONE);
    assertThat(report).anyMatch(line -> line.contains("cname-and-other-data"));
    assertThat(report).anyMatch(line -> line.contains("dname"));
    for (int parts = 1; parts <= 4; parts++) {
      ZoneFileReader parted = segmented.withZoneParts(parts);
      ZoneFile read = parted.read(file);

      assertThat(read.zone()).as("%d parts", parts).isEqualTo(inOrder.zone());
      assertThat(read.zone().names()).as("%d parts", parts).isEqualTo(inOrder.zone().names());
      assertThat(SegmentedReadTest.outcome(parted, file)).as("%d parts", parts).isEqualTo(expected);
      assertThat(lines(ZoneValidator.defaults().validate(read)))
          .as("%d parts", parts)
          .containsExactlyElementsOf(report);
      assertThat(lines(ZoneValidator.defaults().withExecutor(pool).validate(read)))
          .as("%d parts, validated on several threads", parts)
          .containsExactlyElementsOf(report);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void partsFailAtTheLineReadingInOrderFails(int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(100 + seed);
    List<String> lines = zoneText(random, 2000).lines().collect(Collectors.toList());
    String[] breakage = {"bad A 192.0.2.300", "bad NOSUCHTYPE x", "bad CH A 192.0.2.1"};
    int at = lines.size() / 2 + random.nextInt(lines.size() / 2);
    while (!Character.isLetter(lines.get(at).isEmpty() ? ' ' : lines.get(at).charAt(0))) {
      at++;
    }
    lines.add(at, breakage[random.nextInt(breakage.length)]);
    Path file = write("broken-" + seed + ".zone", String.join("\n", lines) + "\n");
    ZoneFileReader reader = ZoneFileReader.forOrigin(Name.fromString("example.com."));
    String expected = SegmentedReadTest.outcome(reader, file);

    assertThat(expected).startsWith("refused");
    for (int parts = 2; parts <= 3; parts++) {
      assertThat(
              SegmentedReadTest.outcome(
                  reader.withExecutor(pool).withSegmentBytes(500).withZoneParts(parts), file))
          .as("%d parts", parts)
          .isEqualTo(expected);
    }
  }

  private static List<String> lines(ValidationReport report) {
    return report.findings().stream().map(Finding::toString).collect(Collectors.toList());
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** A zone whose names and RRsets cross the parts in every way the validator looks at. */
  private static String zoneText(SplittableRandom random, int entries) {
    StringBuilder sb = new StringBuilder();
    sb.append("$ORIGIN example.com.\n");
    // held back until the SOA names the zone, when no origin is given
    sb.append("early 60 A 192.0.2.99\n");
    sb.append("@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n");
    sb.append("@ 3600 NS ns1\n");
    sb.append("ns1 3600 A 192.0.2.53\n");
    sb.append("late A 192.0.2.98\n"); // no TTL: the SOA's MINIMUM
    sb.append("$TTL 3600\n");
    for (int i = 0; i < entries; i++) {
      int n = random.nextInt(entries / 4 + 1); // names come back: RRsets scattered over the file
      switch (random.nextInt(16)) {
        case 0 -> sb.append("h").append(n).append(" A 192.0.2.").append(n % 250).append('\n');
        case 1 -> sb.append("H").append(n).append(" 300 A 192.0.2.").append(n % 250 + 1).append('\n');
        case 2 -> sb.append("h").append(n).append(" AAAA 2001:db8::").append(n).append('\n');
        case 3 -> sb.append("c").append(n).append(" CNAME h").append(n + 1).append('\n');
        case 4 -> sb.append("c").append(n).append(" TXT \"beside a CNAME\"\n");
        case 5 -> sb.append("d").append(n).append(" DNAME t").append(n).append(".example.net.\n");
        case 6 -> sb.append("x").append(i).append(".d").append(n).append(" A 192.0.2.7\n");
        case 7 -> sb.append("cut").append(n).append(" NS ns.cut").append(n).append('\n')
            .append("ns.cut").append(n).append(" A 198.51.100.").append(n % 250).append('\n');
        case 8 -> sb.append("y").append(i).append(".cut").append(n).append(" TXT \"occluded\"\n");
        case 9 -> sb.append("o").append(n).append(".example.net. A 192.0.2.8\n");
        case 10 -> sb.append("dup").append(n).append(" A 192.0.2.9\n");
        case 11 -> sb.append("m").append(n).append(" MX 10 missing").append(n).append('\n');
        case 12 -> sb.append("a").append(n).append(" ALIAS h").append(n).append('\n');
        case 13 -> sb.append("*.w").append(n).append(" A 192.0.2.13\n");
        case 14 -> sb.append("chain").append(n).append(" CNAME c").append(n).append('\n');
        default -> sb.append("t").append(n).append(' ').append(60 + random.nextInt(3))
            .append(" TXT \"ttl ").append(i).append("\"\n");
      }
    }
    return sb.toString();
  }
}
