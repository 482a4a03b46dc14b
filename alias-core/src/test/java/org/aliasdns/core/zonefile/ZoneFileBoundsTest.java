package org.aliasdns.core.zonefile;

import static org.aliasdns.core.Rr.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aliasdns.core.Zone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * What no zone text can make the reader do (issue 11, points 2 and 3): run for ever, hold
 * unbounded memory, or accept a record no server could send. Each bound fails with a {@link
 * ZoneFileException} that names the file, the line and the limit.
 */
class ZoneFileBoundsTest {
  @TempDir Path dir;

  private static final String HEAD =
      "$ORIGIN example.com.\n"
          + "@ 3600 IN SOA ns1 hostmaster 1 7200 900 1209600 300\n"
          + "@ 3600 IN NS ns1\n"
          + "ns1 3600 IN A 192.0.2.53\n";

  private static ZoneFileException failure(String text) {
    return failure(ZoneFileReader.defaults(), text);
  }

  private static ZoneFileException failure(ZoneFileReader reader, String text) {
    ZoneFileException e =
        catchThrowableOfType(() -> reader.read(text, "test.zone"), ZoneFileException.class);
    assertThat(e).as("a ZoneFileException").isNotNull();
    return e;
  }

  // ---- $GENERATE

  @Test
  void aRangeNearLongMaxIsRefusedNotCountedForEver() {
    ZoneFileException e =
        failure(HEAD + "$GENERATE 9223372036854775806-9223372036854775807 h$ A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason())
        .isEqualTo(
            "$GENERATE range '9223372036854775806-9223372036854775807' is invalid: values are 0"
                + " to 2147483647");
  }

  @Test
  void theLargestRangeBindAcceptsIsRead() {
    Zone zone = ZoneFileReader.defaults().read(HEAD + "$GENERATE 2147483646-2147483647 h$ A 192.0.2.1\n", "t").zone();

    assertThat(zone.contains(name("h2147483647.example.com."))).isTrue();
  }

  @Test
  void aStepOfZeroOrPastTheBoundIsRefused() {
    assertThat(failure(HEAD + "$GENERATE 1-3/0 h$ A 192.0.2.1\n").reason()).contains("step");
    assertThat(failure(HEAD + "$GENERATE 1-3/4294967296 h$ A 192.0.2.1\n").reason())
        .contains("2147483647");
  }

  @Test
  void aFieldWidthPastTheBoundIsRefusedBeforeAnyPadding() {
    ZoneFileException e = failure(HEAD + "$GENERATE 1-2 h${0,2147483647,d} A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason()).contains("width is over " + ZoneFileReader.MAX_GENERATE_WIDTH);
  }

  @Test
  void anOffsetPastTheBoundIsRefused() {
    ZoneFileException e = failure(HEAD + "$GENERATE 1-2 h${99999999999999999999} A 192.0.2.1\n");

    assertThat(e.reason()).contains("offset");
  }

  @Test
  void allGenerateLinesTogetherAreBounded() {
    ZoneFileReader reader = ZoneFileReader.defaults().withMaxGenerated(10);

    ZoneFileException e =
        failure(reader, HEAD + "$GENERATE 1-6 a$ A 192.0.2.1\n$GENERATE 1-6 b$ A 192.0.2.1\n");

    assertThat(e.line()).isEqualTo(6);
    assertThat(e.reason()).isEqualTo("$GENERATE: more than 10 generated records in one read");
  }

  // ---- bytes

  @Test
  void anEndlessTokenFromADeviceStopsAtTheEntryBound() throws IOException {
    Path zero = Path.of("/dev/zero");
    if (!Files.exists(zero)) {
      return; // not a Unix: the endless stream below covers the bound
    }
    try (InputStream in = new FileInputStream(zero.toFile())) {
      ZoneFileException e =
          catchThrowableOfType(
              () -> ZoneFileReader.defaults().read(in, "/dev/zero"), ZoneFileException.class);

      assertThat(e.source()).isEqualTo("/dev/zero");
      assertThat(e.line()).isEqualTo(1);
      assertThat(e.reason()).contains("longer than " + ZoneFileReader.MAX_ENTRY_BYTES + " bytes");
    }
  }

  @Test
  void anEndlessRecordStopsAtTheEntryBoundNamingTheLineItStartedOn() {
    InputStream endless = endless(HEAD + "big TXT ( ", "\"aaaaaaaaaaaaaaaaaaaa\"\n");

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().read(endless, "s"), ZoneFileException.class);

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason()).contains("longer than " + ZoneFileReader.MAX_ENTRY_BYTES + " bytes");
  }

  @Test
  void anEndlessFileOfShortLinesStopsAtTheFileBound() {
    InputStream endless = endless(HEAD, "; a comment\n");

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().withByteLimits(100_000, 200_000).read(endless, "s"),
            ZoneFileException.class);

    assertThat(e.source()).isEqualTo("s");
    assertThat(e.reason()).isEqualTo("more than 100000 bytes in this file");
  }

  @Test
  void aFileAndItsIncludesTogetherAreBounded() throws IOException {
    Files.writeString(dir.resolve("a.inc"), "; padding\n".repeat(8_000));
    Files.writeString(dir.resolve("b.inc"), "; padding\n".repeat(8_000));
    Path main = dir.resolve("main.zone");
    Files.writeString(main, HEAD + "$INCLUDE a.inc\n$INCLUDE b.inc\n");

    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().withByteLimits(100_000, 150_000).read(main),
            ZoneFileException.class);

    assertThat(Path.of(e.source()).getFileName().toString()).isEqualTo("b.inc");
    assertThat(e.reason()).isEqualTo("more than 150000 bytes in this file and its includes");
  }

  @Test
  void kernelInterfacesAreNeverIncludedEvenThroughASymlink() throws IOException {
    Path environ = Path.of("/proc/self/environ");
    if (!Files.exists(environ)) {
      return; // no /proc here: nothing to disclose
    }
    Path link = dir.resolve("innocent.inc");
    Files.createSymbolicLink(link, environ);
    Path main = dir.resolve("main.zone");
    Files.writeString(main, HEAD + "$INCLUDE /proc/self/environ\n");
    Path viaLink = dir.resolve("link.zone");
    Files.writeString(viaLink, HEAD + "$INCLUDE innocent.inc\n");

    for (Path zone : new Path[] {main, viaLink}) {
      ZoneFileException e =
          catchThrowableOfType(() -> ZoneFileReader.defaults().read(zone), ZoneFileException.class);
      assertThat(e.line()).isEqualTo(5);
      assertThat(e.reason()).contains("is under /proc, a kernel interface, not a zone file");
      assertThat(e.getMessage()).doesNotContain("PATH=");
    }
  }

  @Test
  void controlCharactersOfAZoneReachMessagesOnlyAsEscapes() {
    ZoneFileException e =
        catchThrowableOfType(
            () -> ZoneFileReader.defaults().read(HEAD + "www A 192.0.2.\u001b]0;owned\u0007\n", "s"),
            ZoneFileException.class);

    assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\u0007");
    assertThat(e.getMessage()).contains("\\027");
  }

  @Test
  void anIncludeBombStopsAtTheIncludeCount() throws IOException {
    // No cycle, so the depth limit does not stop it: each level includes the next ten times,
    // 10 + 100 + 1,000 + 10,000 includes in all.
    for (int level = 1; level <= 4; level++) {
      Files.writeString(
          dir.resolve("level" + level + ".inc"),
          level == 4 ? "; leaf\n" : ("$INCLUDE level" + (level + 1) + ".inc\n").repeat(10));
    }
    Path main = dir.resolve("main.zone");
    Files.writeString(main, HEAD + "$INCLUDE level1.inc\n".repeat(10));

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.reason()).contains("more than " + ZoneFileReader.MAX_INCLUDES + " includes");
  }

  @Test
  void aSelfIncludingBombStopsAtTheDepthLimit() throws IOException {
    Path bomb = dir.resolve("bomb.zone");
    Files.writeString(bomb, "$INCLUDE bomb.zone\n".repeat(4));
    Path main = dir.resolve("main.zone");
    Files.writeString(main, HEAD + "$INCLUDE bomb.zone\n");

    ZoneFileException e =
        catchThrowableOfType(() -> ZoneFileReader.defaults().read(main), ZoneFileException.class);

    assertThat(e.reason()).contains("nested deeper than " + ZoneFileReader.MAX_INCLUDE_DEPTH);
  }

  // ---- records that cannot be encoded (issue 11 point 3)

  @Test
  void aTxtRecordOverTheRdataLimitIsRefusedAtItsLine() {
    String strings = "\"a\" ".repeat(33_000);

    ZoneFileException e = failure(HEAD + "\nbig TXT " + strings + "\n");

    assertThat(e.line()).isEqualTo(6);
    assertThat(e.reason())
        .isEqualTo(
            "TXT record has 66000 bytes of rdata; at most 65535 fit in a record (RFC 1035 §3.2.1)");
  }

  @Test
  void anRrsigTimeAfter2106IsRefusedAtItsLine() {
    ZoneFileException e =
        failure(
            HEAD + "y RRSIG A 8 2 300 22200101000000 20000101000000 1 example.com. AQIDBA==\n");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason()).startsWith("RRSIG record cannot be encoded: ");
  }

  @Test
  void anRrsetTooLargeForAnyMessageIsRefusedAtItsFirstRecord() {
    StringBuilder text = new StringBuilder(HEAD);
    for (int i = 0; i < 2_000; i++) {
      text.append("big TXT \"record number ").append(i).append(" with some padding text here\"\n");
    }

    ZoneFileException e = failure(text.toString());

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason())
        .startsWith("TXT RRset at big.example.com. (2000 records) needs a message of ")
        .endsWith("at most 65535 fit in one (RFC 1035 §4.2.2), so it can never be answered");
  }

  @Test
  void manySmallRecordsOfABoundedTypeAreCountedToo() {
    StringBuilder text = new StringBuilder(HEAD);
    for (int i = 0; i < 5_000; i++) {
      text.append("many A 10.0.").append(i / 256).append('.').append(i % 256).append('\n');
    }

    ZoneFileException e = failure(text.toString());

    assertThat(e.reason()).startsWith("A RRset at many.example.com. (5000 records)");
  }

  @Test
  void ofSeveralRrsetsTooLargeTheFirstInCanonicalOrderIsReported() {
    StringBuilder text = new StringBuilder(HEAD);
    for (String owner : new String[] {"zz", "b.many", "many"}) {
      for (int i = 0; i < 5_000; i++) {
        text.append(owner).append(" A 10.0.").append(i / 256).append('.').append(i % 256).append('\n');
      }
    }
    text.append("many TXT \"").append("t".repeat(200)).append("\"\n");
    for (int i = 0; i < 400; i++) {
      text.append("many TXT \"").append(i).append("t".repeat(200)).append("\"\n");
    }

    ZoneFileException e = failure(text.toString());

    // RFC 4034 §6.1: many.example.com. sorts before b.many and zz; A (1) before TXT (16).
    assertThat(e.reason()).startsWith("A RRset at many.example.com. (5000 records)");
    assertThat(e.line()).isEqualTo(5 + 10_000);
  }

  @Test
  void theLargestRecordThatFitsInAMessageIsRead() {
    // 60,000 bytes of rdata in RFC 3597 form: a line of 120,000 hex digits, well within the
    // entry bound, and a response that carries it fits in 65,535 bytes.
    String hex = "ab".repeat(60_000);

    Zone zone = ZoneFileReader.defaults().read(HEAD + "big TYPE65280 \\# 60000 " + hex + "\n", "t").zone();

    assertThat(zone.get(name("big.example.com."), 65280)).isPresent();
  }

  @Test
  void oneRecordWithinTheRdataLimitButTooLargeForAMessageIsRefused() {
    String hex = "ab".repeat(65_500);

    ZoneFileException e =
        failure(HEAD + "big TYPE65280 \\# 65500 " + hex + "\n");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.reason()).startsWith("TYPE65280 RRset at big.example.com. (1 record) needs a message of 65545 bytes");
  }

  @Test
  void aLargeButAnswerableRrsetIsRead() {
    StringBuilder text = new StringBuilder(HEAD);
    for (int i = 0; i < 1_000; i++) {
      text.append("big TXT \"record number ").append(i).append(" with padding\"\n");
    }

    Zone zone = ZoneFileReader.defaults().read(text.toString(), "t").zone();

    assertThat(zone.get(name("big.example.com."), Type.TXT).orElseThrow().size()).isEqualTo(1_000);
  }

  /** A stream of a head, then the same text again and again, for ever. */
  private static InputStream endless(String head, String repeated) {
    byte[] first = head.getBytes(StandardCharsets.UTF_8);
    byte[] again = repeated.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        long p = position++;
        return p < first.length
            ? first[(int) p] & 0xff
            : again[(int) ((p - first.length) % again.length)] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
          b[off + i] = (byte) read();
        }
        return len;
      }
    };
  }
}
