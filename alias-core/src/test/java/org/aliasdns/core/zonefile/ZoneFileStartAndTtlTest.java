package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aliasdns.core.check.Finding;
import org.aliasdns.core.check.Rule;
import org.aliasdns.core.check.ZoneValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * TTLs of 2^31 seconds or more (RFC 2181 §8: treated as zero), and the starts of a file the
 * reader refuses with a message saying what is wrong with it (a byte-order mark, CR line
 * endings), and the names included files are given in messages.
 */
class ZoneFileStartAndTtlTest {
  private static final ExecutorService pool = Executors.newFixedThreadPool(3);

  @TempDir Path dir;

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void ttlsWithTheTopBitSetAreZeroWithAWarningAtTheirLine() throws Exception {
    String text =
        """
        $ORIGIN example.com.
        @ 3600 IN SOA ns1 host 1 7200 3600 1209600 300
        @ 3600 IN NS ns1
        ns1 3600 IN A 192.0.2.1
        foo 2147483648 IN A 192.0.2.9
        max 2147483647 IN A 192.0.2.8
        $TTL 4294967295
        bar IN A 192.0.2.10
        """;

    ZoneFile read = ZoneFileReader.defaults().read(text, "t.zone");

    assertThat(read.zone().get(Name.fromString("foo.example.com."), Type.A).orElseThrow().ttl())
        .isZero();
    assertThat(read.zone().get(Name.fromString("bar.example.com."), Type.A).orElseThrow().ttl())
        .isZero();
    assertThat(read.zone().get(Name.fromString("max.example.com."), Type.A).orElseThrow().ttl())
        .isEqualTo(2147483647L);
    List<String> findings = read.findings().stream().map(Finding::toString).toList();
    assertThat(findings)
        .containsExactly(
            "t.zone:5: warning ttl-above-max: foo.example.com.: A record's TTL 2147483648 is above"
                + " 2147483647 (2^31 - 1); set to 0, as a TTL with the top bit set is treated as zero",
            "t.zone:7: warning ttl-above-max: example.com.: $TTL 4294967295 is above 2147483647"
                + " (2^31 - 1); set to 0, as a TTL with the top bit set is treated as zero");
    assertThat(read.findings().get(0).rule()).isEqualTo(Rule.TTL_ABOVE_MAX);
    // the validator passes the reader's finding on
    assertThat(ZoneValidator.defaults().validate(read).findings())
        .extracting(Finding::rule)
        .contains(Rule.TTL_ABOVE_MAX);
    // what is written back is what was read: 0, not 2147483647
    assertThat(ZoneFileWriter.defaults().toText(read.zone()))
        .contains("foo\t0\tIN\tA\t192.0.2.9\n", "bar\t0\tIN\tA\t192.0.2.10\n");
  }

  @Test
  void aTtlDirectiveBeforeAnyOriginIsOwnedByTheZoneOnceKnown() throws Exception {
    // No $ORIGIN and no origin given: the zone's origin comes from the first SOA, after the
    // $TTL line, whose finding named the root until then.
    String text =
        """
        $TTL 4294967295
        example.com. 3600 IN SOA ns1.example.com. host.example.com. 1 7200 3600 1209600 300
        example.com. 3600 IN NS ns1.example.com.
        ns1.example.com. IN A 192.0.2.1
        """;

    ZoneFile read = ZoneFileReader.defaults().read(text, "t.zone");

    assertThat(read.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rule.TTL_ABOVE_MAX);
      assertThat(f.owner()).isEqualTo(Name.fromString("example.com."));
      assertThat(f.position()).isNotNull();
      assertThat(f.toString()).startsWith("t.zone:1: warning ttl-above-max: example.com.: $TTL");
    });
  }

  @Test
  void aTtlAboveTheMaximumReadsAlikeInOrderInSegmentsAndInParts() throws Exception {
    StringBuilder sb = new StringBuilder("$ORIGIN example.com.\n$TTL 300\n");
    sb.append("@ IN SOA ns1 host 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n");
    for (int i = 0; i < 200; i++) {
      sb.append("h").append(i).append(i % 37 == 5 ? " 3000000000" : "").append(" A 192.0.2.").append(i % 250).append('\n');
      if (i % 71 == 70) {
        sb.append("$TTL ").append(i % 2 == 0 ? "2147483648" : "60").append('\n');
      }
    }
    Path file = dir.resolve("big-ttls.zone");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    ZoneFileReader reader = ZoneFileReader.defaults();

    String inOrder = SegmentedReadTest.outcome(reader, file);

    assertThat(inOrder).contains("warning ttl-above-max").doesNotContain("\t2147483647\t");
    for (long bytes : new long[] {1, 100, 1000}) {
      assertThat(SegmentedReadTest.outcome(reader.withExecutor(pool).withSegmentBytes(bytes), file))
          .as("segments of %d bytes", bytes)
          .isEqualTo(inOrder);
      for (int parts = 2; parts <= 3; parts++) {
        assertThat(
                SegmentedReadTest.outcome(
                    reader.withExecutor(pool).withSegmentBytes(bytes).withZoneParts(parts), file))
            .as("segments of %d bytes, %d parts", bytes, parts)
            .isEqualTo(inOrder);
      }
    }
  }

  @Test
  void aByteOrderMarkIsRefusedSayingSo() throws Exception {
    byte[] text = "\uFEFF$ORIGIN example.com.\n@ 300 IN SOA ns1 host 1 2 3 4 5\n".getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("bom.zone");
    Files.write(file, text);

    for (ZoneFileReader reader :
        List.of(ZoneFileReader.defaults(), ZoneFileReader.defaults().withExecutor(pool))) {
      assertThatThrownBy(() -> reader.read(file))
          .isInstanceOf(ZoneFileException.class)
          .hasMessage(
              file + ":1: starts with a UTF-8 byte-order mark (bytes EF BB BF), which a zone file"
                  + " may not have; save it without one");
    }
    assertThatThrownBy(() -> ZoneFileReader.defaults().read(new ByteArrayInputStream(text), "-"))
        .hasMessageStartingWith("-:1: starts with a UTF-8 byte-order mark");
  }

  @Test
  void crLineEndingsAreRefusedSayingSoWhileCrLfIsRead() throws Exception {
    String zone = "$ORIGIN example.com.\n@ 300 IN SOA ns1 host 1 2 3 4 5\n@ 300 IN NS ns1\n";
    Path cr = dir.resolve("cr.zone");
    Files.writeString(cr, zone.replace('\n', '\r'));
    Path crlf = dir.resolve("crlf.zone");
    Files.writeString(crlf, zone.replace("\n", "\r\n"));

    assertThatThrownBy(() -> ZoneFileReader.defaults().read(cr))
        .isInstanceOf(ZoneFileException.class)
        .hasMessageStartingWith(cr + ":1: uses CR line endings");
    assertThat(ZoneFileReader.defaults().read(crlf).zone().origin())
        .isEqualTo(Name.fromString("example.com."));
  }

  @Test
  void anIncludedFileIsNamedBesideTheIncludingFileAsGiven() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(
        sub.resolve("main.zone"),
        "$ORIGIN example.com.\n@ 300 IN SOA ns1 host 1 2 3 4 5\n$INCLUDE loop.zone\n");
    Files.writeString(sub.resolve("loop.zone"), "$INCLUDE loop.zone\n");
    // a relative path as a user gives it: messages keep it relative
    Path given = Path.of("").toAbsolutePath().relativize(sub.resolve("main.zone"));
    List<String> messages = new ArrayList<>();

    try {
      ZoneFileReader.defaults().read(given);
    } catch (ZoneFileException e) {
      messages.add(e.getMessage());
    }

    String included = given.resolveSibling("loop.zone").toString();
    assertThat(messages).singleElement().asString().startsWith(included + ":1: $INCLUDE loop.zone: nested deeper than");
  }
}
