package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.check.Finding;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A file read in segments on several threads ({@link ZoneFileReader#withExecutor}) reads
 * exactly as read in order: the same records spelled the same with the same TTLs, the same
 * positions and findings, or the same error at the same line. Differential, on generated zones
 * full of what makes cutting hard (owners carried over, parentheses across lines, quotes and
 * escapes holding {@code ;} and {@code (}, {@code $ORIGIN} and {@code $TTL} changing midway),
 * on the same zones broken at a random line, and on every file of the corpus and the hostile
 * corpus, each cut into segments as small as one byte asks.
 */
class SegmentedReadTest {
  private static final long[] SEGMENT_BYTES = {1, 17, 100, 1000};

  private static final ExecutorService pool = Executors.newFixedThreadPool(3);

  @TempDir Path dir;

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void generatedZonesReadAlike(int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    boolean originGiven = random.nextBoolean();
    String text = zoneText(random, 400, !originGiven);
    if (seed % 3 == 0) {
      // An $INCLUDE and a $GENERATE midway: the rest of the file is read in order.
      List<String> lines = new ArrayList<>(text.lines().toList());
      write("inc-" + seed + ".zone", "inc1 A 192.0.2.1\ninc2 AAAA 2001:db8::2\n$TTL 77\n");
      int at = entryLineFrom(lines, lines.size() * 2 / 3);
      lines.add(at, "$INCLUDE inc-" + seed + ".zone");
      lines.add(entryLineFrom(lines, lines.size() / 3), "$GENERATE 1-5 gen$ A 192.0.2.$");
      text = String.join("\n", lines) + "\n";
    }
    Path file = write("gen-" + seed + ".zone", text);
    ZoneFileReader reader = reader(originGiven);

    String inOrder = outcome(reader, file);

    assertThat(inOrder).doesNotStartWith("refused").doesNotStartWith("failed");
    for (long bytes : SEGMENT_BYTES) {
      assertThat(outcome(reader.withExecutor(pool).withSegmentBytes(bytes), file))
          .as("segments of %d bytes", bytes)
          .isEqualTo(inOrder);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void brokenZonesFailAlike(int seed) throws Exception {
    SplittableRandom random = new SplittableRandom(1000 + seed);
    boolean originGiven = random.nextBoolean();
    List<String> lines = new ArrayList<>(zoneText(random, 300, !originGiven).lines().toList());
    String[] breakage = {
      "bad A 192.0.2.300",
      "bad NOSUCHTYPE x",
      "bad MX ( 10 mail",
      "bad A 192.0.2.1 )",
      "bad TXT \"never closed",
      "$TTL forever",
      "$ORIGIN bad..name.",
      "$ORIGIN",
      "bad CNAME \\# 1 ff",
      "bad 99999999999 A 192.0.2.1",
      "bad CH A 192.0.2.1",
      "\tA 192.0.2.1 extra",
    };
    // Break the file before a line that starts an entry (not inside parentheses), in the
    // second half, where the cuts are, and sometimes in the first too.
    int at = entryLineFrom(lines, lines.size() / 2 + random.nextInt(lines.size() / 2));
    lines.add(at, breakage[random.nextInt(breakage.length)]);
    if (random.nextBoolean()) {
      lines.add(entryLineFrom(lines, 6 + random.nextInt(at - 6)), breakage[random.nextInt(breakage.length)]);
    }
    Path file = write("broken-" + seed + ".zone", String.join("\n", lines) + "\n");
    ZoneFileReader reader = reader(originGiven);

    String inOrder = outcome(reader, file);

    assertThat(inOrder).startsWith("refused");
    for (long bytes : SEGMENT_BYTES) {
      assertThat(outcome(reader.withExecutor(pool).withSegmentBytes(bytes), file))
          .as("segments of %d bytes", bytes)
          .isEqualTo(inOrder);
    }
  }

  @Test
  void corpusAndHostileFilesReadAlike() throws Exception {
    List<Path> files = new ArrayList<>();
    files.addAll(list("/corpus"));
    files.addAll(list("/hostile"));
    files.addAll(list("/corpus-svcb"));
    assertThat(files).hasSizeGreaterThan(50);
    for (Path file : files) {
      @Nullable Name origin = declaredOrigin(file);
      List<ZoneFileReader> readers = new ArrayList<>();
      readers.add(ZoneFileReader.defaults());
      if (origin != null) {
        readers.add(ZoneFileReader.forOrigin(origin));
        readers.add(ZoneFileReader.forOrigin(origin).withIncludes(false));
      }
      for (ZoneFileReader reader : readers) {
        String inOrder = outcome(reader, file);
        for (long bytes : new long[] {1, 16, 64}) {
          assertThat(outcome(reader.withExecutor(pool).withSegmentBytes(bytes), file))
              .as("%s in segments of %d bytes", file.getFileName(), bytes)
              .isEqualTo(inOrder);
        }
      }
    }
  }

  @Test
  void anyExecutorGivesTheSameZone() throws Exception {
    Path file = write("any.zone", zoneText(new SplittableRandom(7), 400, true));
    ZoneFileReader reader = ZoneFileReader.defaults().withSegmentBytes(50);
    String inOrder = outcome(reader, file);
    Executor inline = Runnable::run;
    Executor refusing =
        task -> {
          throw new RejectedExecutionException("full");
        };
    Executor idle = task -> {}; // takes the tasks and never runs them

    assertThat(outcome(reader.withExecutor(inline), file)).isEqualTo(inOrder);
    assertThat(outcome(reader.withExecutor(refusing), file)).isEqualTo(inOrder);
    assertThat(outcome(reader.withExecutor(idle), file)).isEqualTo(inOrder);
  }

  @Test
  void generatedZonesAreCutInManySegments() throws Exception {
    Path file = write("cut.zone", zoneText(new SplittableRandom(3), 400, true));

    try (FileChannel channel = FileChannel.open(file)) {
      List<FileSegments.Segment> segments =
          FileSegments.plan(channel, channel.size(), null, null, 100);

      assertThat(segments).hasSizeGreaterThan(20);
      assertThat(segments.get(0).start()).isZero();
      assertThat(segments.get(segments.size() - 1).end()).isEqualTo(channel.size());
      for (int i = 1; i < segments.size(); i++) {
        assertThat(segments.get(i).start()).isEqualTo(segments.get(i - 1).end());
      }
    }
  }

  @Test
  void pastADirectiveOtherThanOriginAndTtlTheFileIsReadInOrder() throws Exception {
    String body = zoneText(new SplittableRandom(5), 200, true);
    for (String directive :
        List.of("$INCLUDE other.zone", "$generate 1-2 h$ A 192.0.2.$", "$UNKNOWN x", "\"$TTL\" 5")) {
      String text = body + directive + "\n" + body.lines().skip(3).findFirst().orElseThrow() + "\n";
      Path file = write("directive.zone", text);
      long at = text.getBytes(StandardCharsets.UTF_8).length - directive.length() - 2
          - body.lines().skip(3).findFirst().orElseThrow().length();

      try (FileChannel channel = FileChannel.open(file)) {
        List<FileSegments.Segment> segments = FileSegments.plan(channel, channel.size(), null, null, 100);

        assertThat(segments).as(directive).hasSizeGreaterThan(5);
        FileSegments.Segment last = segments.get(segments.size() - 1);
        assertThat(last.inOrder()).as(directive).isTrue();
        assertThat(last.start()).as(directive).isLessThanOrEqualTo(at);
        assertThat(segments.subList(1, segments.size() - 1))
            .as(directive)
            .noneMatch(FileSegments.Segment::inOrder);
      }
    }
  }

  @Test
  void withoutOriginOrTtlTheFileIsOneSegment() throws Exception {
    Path file =
        write(
            "plain.zone",
            "example.com. 300 IN SOA ns1 hostmaster 1 2 3 4 5\n"
                + "example.com. 300 IN NS ns1\n"
                + "ns1 300 IN A 192.0.2.1\n".repeat(50));

    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(FileSegments.plan(channel, channel.size(), null, null, 10)).hasSize(1);
      assertThat(FileSegments.plan(channel, channel.size(), Name.fromString("example.com."), null, 10))
          .hasSize(1);
      assertThat(FileSegments.plan(channel, channel.size(), Name.fromString("example.com."), 60L, 10))
          .hasSizeGreaterThan(10);
    }
  }

  private static int entryLineFrom(List<String> lines, int from) {
    int i = from;
    while (i < lines.size() - 1 && !startsWithLetter(lines.get(i))) {
      i++;
    }
    return i;
  }

  private static boolean startsWithLetter(String line) {
    return !line.isEmpty() && Character.isLetter(line.charAt(0));
  }

  private static ZoneFileReader reader(boolean originGiven) throws IOException {
    return originGiven
        ? ZoneFileReader.forOrigin(Name.fromString("example.com."))
        : ZoneFileReader.defaults();
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Everything a read gives, as text: each RRset with its position and its records as dnsjava
   * writes them (owner spelling and TTL included), the position of each name, the findings
   * with theirs; or the error.
   */
  static String outcome(ZoneFileReader reader, Path file) {
    try {
      ZoneFile read = reader.read(file);
      StringBuilder sb = new StringBuilder();
      for (RecordSet set : read.zone()) {
        sb.append(read.position(set.owner(), set.type()).orElseThrow())
            .append(' ')
            .append(read.position(set.owner()).orElseThrow())
            .append('\n');
        for (Record r : set) {
          sb.append(r).append('\n');
        }
      }
      for (Finding f : read.findings()) {
        sb.append(f).append('\n');
      }
      return sb.toString();
    } catch (ZoneFileException e) {
      // The cause is kept by type: dnsjava counts lines of its own within a segment.
      Throwable cause = e.getCause();
      return "refused: " + e.getMessage() + " at " + e.line() + " " + (cause == null ? "" : cause.getClass().getName());
    } catch (IOException | RuntimeException e) {
      return "failed: " + e;
    }
  }

  /** A zone of many small entries with every feature that makes a cut hard. */
  private static String zoneText(SplittableRandom random, int entries, boolean withOrigin) {
    StringBuilder sb = new StringBuilder();
    sb.append("; a generated zone\n");
    if (withOrigin || random.nextBoolean()) {
      sb.append("$ORIGIN example.com.\n");
    }
    boolean ttlLater = random.nextBoolean();
    if (!ttlLater) {
      sb.append("$TTL 3600\n");
    }
    sb.append("@ IN SOA ns1 hostmaster ( 1 7200 3600 ; serial, refresh, retry\n")
        .append("\t1209600 300 )\n")
        .append("\tNS ns1\n")
        .append("ns1 A 192.0.2.53\n");
    String[] sub = {"example.com.", "lab.example.com.", "a.b.example.com."};
    for (int i = 0; i < entries; i++) {
      if (ttlLater && i == entries / 5) {
        sb.append("$TTL 1h\n");
      }
      String eol = random.nextInt(20) == 0 ? "\r\n" : "\n";
      switch (random.nextInt(24)) {
        case 0 -> sb.append("h").append(i).append(" 300 IN A 192.0.2.").append(i % 250).append(eol);
        case 1 -> sb.append("h").append(i).append(" IN 300 A 192.0.2.").append(i % 250).append(eol);
        case 2 -> sb.append("\tAAAA 2001:db8::").append(Integer.toHexString(i)).append(eol);
        case 3 -> sb.append("t").append(i).append(" TXT \"a;b(c\" \"d\\\"e)\" ; comment (").append(eol);
        case 4 -> sb.append("m").append(i).append(" MX ( 10").append(eol).append("   mail").append(i).append(" ) ; done").append(eol);
        case 5 -> sb.append("; $INCLUDE not a directive").append(eol);
        case 6 -> sb.append("$ORIGIN ").append(sub[random.nextInt(sub.length)]).append(eol);
        case 7 -> sb.append("$ORIGIN example.com.").append(eol).append("$ORIGIN x").append(i).append(eol); // relative
        case 8 -> sb.append("$TTL ").append(60 + random.nextInt(600)).append(" ; new default").append(eol);
        case 9 -> sb.append(eol).append("   ").append(eol);
        case 10 -> sb.append("c").append(i).append(" CNAME h").append(i - 1).append(eol);
        case 11 -> sb.append("@ TXT \"at the origin ").append(i).append('"').append(eol);
        case 12 -> sb.append("x").append(i).append(".example.com. A 198.51.100.").append(i % 250).append(eol);
        case 13 -> sb.append("e\\.").append(i).append(" A 192.0.2.7").append(eol);
        case 14 -> sb.append("o").append(i).append(".example.net. A 192.0.2.8").append(eol);
        case 15 -> sb.append("same 10 A 192.0.2.9").append(eol).append("same 20 A 192.0.2.10").append(eol);
        case 16 -> sb.append("g").append(i).append(" TXT \\# 6 0568656c6c6f").append(eol);
        case 17 -> sb.append("H").append(i).append(" A 192.0.2.11").append(eol).append("h").append(i).append(" A 192.0.2.12").append(eol);
        case 18 -> sb.append("s").append(i).append(" SRV 0 5 5060 ( h").append(i).append(eol).append(" )").append(eol);
        case 19 -> sb.append("q").append(i).append(" TXT \"(\" ( \"two\"").append(eol).append("\"lines\" )").append(eol);
        case 20 -> sb.append("*.w").append(i).append(" A 192.0.2.13").append(eol);
        case 21 -> sb.append("_sip._tcp.").append(i).append(" SRV 1 2 3 t.example.com.").append(eol);
        case 22 -> sb.append("al").append(i).append(" ALIAS h").append(i).append(eol);
        default -> sb.append("n").append(i).append(" NS ns1.example.com.").append(eol).append("\tNS ns2.example.com.").append(eol);
      }
    }
    return sb.toString();
  }

  private static List<Path> list(String folder) throws IOException, URISyntaxException {
    Path path = Path.of(Objects.requireNonNull(SegmentedReadTest.class.getResource(folder)).toURI());
    try (Stream<Path> files = Files.list(path)) {
      return files.filter(p -> p.toString().endsWith(".zone")).sorted().toList();
    }
  }

  /** The {@code ; origin: NAME} a corpus file declares, if it does. */
  private static @Nullable Name declaredOrigin(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("; origin: ")) {
        return Name.fromString(line.substring("; origin: ".length()).strip());
      }
    }
    return null;
  }
}
