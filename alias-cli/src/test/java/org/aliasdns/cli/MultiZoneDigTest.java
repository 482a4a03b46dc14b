package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aliasdns.core.Zone;
import org.aliasdns.core.tools.ExternalTool;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * BIND's {@code dig} against one session serving 300 zones whose aliases point at 6 targets:
 * every zone answers with its target's address, a name under no zone is REFUSED, and each target
 * was asked upstream once per family, whatever the number of zones using it. Skipped with a
 * printed reason when dig is missing (fails under {@code ALIAS_REQUIRE_TOOLS=1}).
 */
class MultiZoneDigTest {
  private static final int ZONES = 300;
  private static final int TARGETS = 6;
  private static final Pattern STATUS = Pattern.compile("status: (\\w+),");

  @TempDir Path dir;

  @Test
  void everyZoneAnswersAndEachTargetIsAskedOnce() throws Exception {
    ExternalTool.DIG.require();
    StringBuilder upstream =
        new StringBuilder(
            "$ORIGIN example.net.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n"
                + "@ 3600 NS ns1\nns1 3600 A 198.51.100.53\n");
    for (int t = 0; t < TARGETS; t++) {
      upstream.append("t").append(t).append(" 300 A 192.0.2.").append(10 + t).append('\n');
      upstream.append("t").append(t).append(" 300 AAAA 2001:db8::").append(10 + t).append('\n');
    }
    try (FakeDns fake = FakeDns.recursive().zone(upstream.toString()).build().start()) {
      ServeSession.Builder b =
          ServeSession.builder()
              .upstream(fake.address())
              .clock(fake.clock())
              .queryTimeout(Duration.ofSeconds(2));
      for (int z = 0; z < ZONES; z++) {
        Zone zone =
            MultiZoneServeTest.zone(
                "z" + z + ".example.", 1, "@ 300 ALIAS t" + (z % TARGETS) + ".example.net.");
        b.zone(zone);
      }
      try (ServeSession session = b.build().start()) {
        List<String> batch = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
          batch.add("z" + z + ".example. A");
        }
        batch.add("nowhere.example.org. A");
        Path queries = Files.write(dir.resolve("queries"), batch);
        ExternalTool.Run run =
            ExternalTool.DIG.run(
                "@127.0.0.1", "-p", Integer.toString(session.port()), "+norec", "+time=2",
                "+tries=1", "+noall", "+answer", "+comments", "-f", queries.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();

        List<String> statuses = new ArrayList<>();
        Matcher m = STATUS.matcher(run.output());
        while (m.find()) {
          statuses.add(m.group(1));
        }
        assertThat(statuses).hasSize(ZONES + 1);
        assertThat(statuses.subList(0, ZONES)).containsOnly("NOERROR");
        assertThat(statuses.get(ZONES)).isEqualTo("REFUSED");
        for (int z = 0; z < ZONES; z++) {
          assertThat(run.output())
              .containsPattern("(?m)^z" + z + "\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\."
                  + (10 + z % TARGETS) + "$");
        }
        for (int t = 0; t < TARGETS; t++) {
          assertThat(fake.queryCount("t" + t + ".example.net.", Type.A)).isEqualTo(1);
          assertThat(fake.queryCount("t" + t + ".example.net.", Type.AAAA)).isEqualTo(1);
        }
      }
    }
  }
}
