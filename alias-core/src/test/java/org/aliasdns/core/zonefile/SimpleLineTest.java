package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.check.Finding;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Simple lines (one-line A, AAAA, NS, CNAME, MX and SRV records of plain ASCII) are read
 * without dnsjava's tokenizer; everything must come out as the tokenizer reads it: the same
 * records spelled the same with the same TTLs, the same positions and findings, or the same
 * error at the same line. Differential, line by line over many random variants of each field
 * (well-formed or not), and over every file of the corpus and the hostile corpus.
 */
class SimpleLineTest {
  private static final String[] OWNERS = {
    "www", "WWW", "a.b", "@", "*.w", "_sip._tcp", "x-1", "www.example.com.", "www.example.net.",
 "9", "a..b", "-", "ex\u00e9", "a\\.b", "$x", "toolonglabel" + "x".repeat(60)
  };
  private static final String[] TTLS = {
    "", "300", "0", "1h", "1h30m", "2147483647", "0300", "1W", "2147483648", "99999999999", "1x"
  };
  private static final String[] CLASSES = {"", "IN", "in", "CLASS1", "CH", "CLASS3", "HS"};
  private static final String[] TYPES = {
    "A", "a", "AAAA", "NS", "CNAME", "cname", "MX", "SRV", "TXT", "TYPE1", "TYPE28", "PTR", "NOPE"
  };
  private static final String[] ADDRESSES = {
    "192.0.2.1", "192.0.2.256", "192.0.2", "1.2.3.4.5", "01.2.3.4", "2001:db8::1", "::ffff:192.0.2.1",
    "::", "2001:db8::g", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8:9", "192.0.2.1x"
  };
  private static final String[] NAMES = {
    "ns1", "NS1.example.com.", "@", "mail.example.net.", "a..b", ".", "x", "*", "ns1.example.com"
  };
  private static final String[] NUMBERS = {"0", "10", "010", "65535", "65536", "-1", "1x", "00000010"};

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void randomLinesReadAsTheTokenizerReadsThem(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int zone = 0; zone < 40; zone++) {
      StringBuilder sb = new StringBuilder();
      if (random.nextBoolean()) {
        sb.append("$TTL 3600\n");
      }
      sb.append("@ 600 IN SOA ns1 hostmaster 1 2 3 4 5\n");
      // Half the zones draw only well-formed fields, so that most lines are read; the others
      // draw anything, and stop at their first bad line.
      boolean clean = zone % 2 == 0;
      int lines = 1 + random.nextInt(30);
      for (int i = 0; i < lines; i++) {
        sb.append(randomLine(random, clean)).append(random.nextInt(10) == 0 ? "\r\n" : "\n");
      }
      String text = sb.toString();
      ZoneFileReader reader = ZoneFileReader.forOrigin(name("example.com."));

      assertThat(outcome(reader, text))
          .as("%s", text)
          .isEqualTo(outcome(reader.withTokenizerOnly(), text));
    }
  }

  @Test
  void simpleLinesOfEachTypeAreReadAlike() {
    String text =
        "$TTL 3600\n"
            + "@ IN SOA ns1 hostmaster 1 2 3 4 5\n"
            + "  NS ns1\n"
            + "\tNS ns2.example.net.\n"
            + "ns1 300 IN A 192.0.2.1\n"
            + "ns1 IN 300 AAAA 2001:db8::1\n"
            + "NS1 A 192.0.2.2\n"
            + "c CNAME ns1\n"
            + "m MX 10 ns1\n"
            + "  MX 20 mail.example.net.\n"
            + "_sip._tcp SRV 0 5 5060 ns1\n"
            + "o.example.org. A 192.0.2.3\n"
            + "ns1 600 A 192.0.2.4\n"
            + "t 1h AAAA ::ffff:192.0.2.5\n";
    ZoneFileReader reader = ZoneFileReader.forOrigin(name("example.com."));

    String read = outcome(reader, text);

    assertThat(read).doesNotStartWith("refused");
    assertThat(read).isEqualTo(outcome(reader.withTokenizerOnly(), text));
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
      ZoneFileReader reader =
          origin == null ? ZoneFileReader.defaults() : ZoneFileReader.forOrigin(origin);

      assertThat(outcome(reader, file)).as("%s", file.getFileName())
          .isEqualTo(outcome(reader.withTokenizerOnly(), file));
    }
  }

  private static String randomLine(SplittableRandom random, boolean clean) {
    StringBuilder line = new StringBuilder();
    line.append(random.nextInt(4) == 0 ? (random.nextBoolean() ? " " : "\t") : pick(random, OWNERS, clean ? 10 : OWNERS.length));
    String ttl = pick(random, TTLS, clean ? 8 : TTLS.length);
    String dclass = pick(random, CLASSES, clean ? 4 : CLASSES.length);
    boolean classFirst = random.nextBoolean();
    for (String field : classFirst ? new String[] {dclass, ttl} : new String[] {ttl, dclass}) {
      if (!field.isEmpty()) {
        line.append(random.nextBoolean() ? " " : "\t  ").append(field);
      }
    }
    String type = pick(random, TYPES, clean ? TYPES.length - 1 : TYPES.length);
    line.append(' ').append(type);
    int fields;
    switch (type.toUpperCase(java.util.Locale.ROOT)) {
      case "A", "TYPE1" -> line.append(' ').append(pick(random, ADDRESSES, clean ? 1 : ADDRESSES.length));
      case "AAAA", "TYPE28" -> line.append(' ').append(clean ? "2001:db8::1" : pick(random, ADDRESSES));
      case "MX" -> line.append(' ').append(pick(random, NUMBERS, clean ? 4 : NUMBERS.length)).append(' ').append(pick(random, NAMES, clean ? 4 : NAMES.length));
      case "SRV" -> {
        for (int i = 0; i < 3; i++) {
          line.append(' ').append(pick(random, NUMBERS, clean ? 4 : NUMBERS.length));
        }
        line.append(' ').append(pick(random, NAMES, clean ? 4 : NAMES.length));
      }
      default -> line.append(' ').append(pick(random, NAMES, clean ? 4 : NAMES.length));
    }
    fields = clean ? 2 + random.nextInt(6) : random.nextInt(8);
    if (fields == 0) {
      line.append(" extra");
    } else if (fields == 1) {
      line.setLength(line.lastIndexOf(" ")); // one field short
    } else if (fields == 2) {
      line.append("   ");
    }
    return line.toString();
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** One of the first {@code n} values (the well-formed ones come first). */
  private static String pick(SplittableRandom random, String[] values, int n) {
    return values[random.nextInt(n)];
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String outcome(ZoneFileReader reader, String text) {
    try {
      return describe(reader.read(text, "zone.txt"));
    } catch (ZoneFileException e) {
      return refused(e);
    } catch (RuntimeException e) {
      return "failed: " + e;
    }
  }

  private static String outcome(ZoneFileReader reader, Path file) {
    try {
      return describe(reader.read(file));
    } catch (ZoneFileException e) {
      return refused(e);
    } catch (IOException | RuntimeException e) {
      return "failed: " + e;
    }
  }

  private static String refused(ZoneFileException e) {
    Throwable cause = e.getCause();
    return "refused: " + e.getMessage() + " at " + e.line() + " "
        + (cause == null ? "" : cause.getClass().getName());
  }

  private static String describe(ZoneFile read) {
    StringBuilder sb = new StringBuilder();
    for (RecordSet set : read.zone()) {
      sb.append(read.position(set.owner(), set.type()).orElseThrow())
          .append(' ')
          .append(read.position(set.owner()).orElseThrow())
          .append('\n');
      for (Record r : set) {
        sb.append(r).append(' ').append(r.getClass().getSimpleName()).append('\n');
      }
    }
    for (Finding f : read.findings()) {
      sb.append(f).append('\n');
    }
    return sb.toString();
  }

  private static List<Path> list(String folder) throws IOException, URISyntaxException {
    Path path = Path.of(Objects.requireNonNull(SimpleLineTest.class.getResource(folder)).toURI());
    try (Stream<Path> files = Files.list(path)) {
      return files.filter(p -> p.toString().endsWith(".zone")).sorted().toList();
    }
  }

  private static @Nullable Name declaredOrigin(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("; origin: ")) {
        return Name.fromString(line.substring("; origin: ".length()).strip());
      }
    }
    return null;
  }
}
