package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.aliasdns.core.Zone;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The files of {@code src/test/resources/hostile/} (listed in its README): what the reader says
 * about each, and, for every file there, the one invariant a fuzzer checks too: a zone that
 * writes and reads back equal, or a {@link ZoneFileException} with the file and a line.
 */
class HostileZoneFilesTest {
  /** File → the line and the start of the reason it is refused with. */
  private static final Map<String, Refusal> REFUSED =
      Map.ofEntries(
          Map.entry("generate-range-overflow.zone", new Refusal(6, "$GENERATE range '9223372036854775806-9223372036854775807' is invalid: values are 0 to 2147483647")),
          Map.entry("generate-wide-field.zone", new Refusal(6, "$GENERATE pattern 'h${0,2147483647,d}': the width is over 255")),
          Map.entry("include-dev-zero.zone", new Refusal(6, "$INCLUDE /dev/zero: is not a regular file")),
          Map.entry("include-directory.zone", new Refusal(6, "$INCLUDE .: is a directory, not a zone file")),
          Map.entry("include-self-bomb.zone", new Refusal(1, "$INCLUDE include-self-bomb.zone: nested deeper than 8")),
          Map.entry("txt-33000-strings.zone", new Refusal(6, "TXT record has 66000 bytes of rdata; at most 65535")),
          Map.entry("rrsig-after-2106.zone", new Refusal(6, "RRSIG record cannot be encoded: ")),
          Map.entry("rrset-too-large.zone", new Refusal(6, "TXT RRset at big.example.com. (2000 records) needs a message of")),
          Map.entry("cname-generic-truncated.zone", new Refusal(6, "bad CNAME record: ")),
          Map.entry("rrsig-short-time.zone", new Refusal(6, "bad RRSIG record: ")));

  /** Files that are odd but valid: read, and written back in a form that reads back equal. */
  private static final List<String> ACCEPTED =
      List.of("txt-generic-empty.zone", "ds-generic-empty-digest.zone");

  private record Refusal(int line, String reasonStart) {}

  private static Path folder() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(HostileZoneFilesTest.class.getResource("/hostile")).toURI());
  }

  private static List<Path> zoneFiles() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(folder())) {
      return files.filter(p -> p.toString().endsWith(".zone")).sorted().toList();
    }
  }

  @Test
  void everyFileIsListedHereWithItsAnswer() throws Exception {
    List<String> names = zoneFiles().stream().map(p -> p.getFileName().toString()).toList();

    assertThat(names).containsExactlyInAnyOrderElementsOf(
        Stream.concat(REFUSED.keySet().stream(), ACCEPTED.stream()).toList());
  }

  @TestFactory
  Stream<DynamicTest> eachRefusedFileNamesItsLineAndReason() throws Exception {
    Path folder = folder();
    return REFUSED.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.getKey(),
                    () -> {
                      Path file = folder.resolve(entry.getKey());
                      Throwable thrown = catchThrowable(() -> ZoneFileReader.defaults().read(file));

                      assertThat(thrown).isInstanceOf(ZoneFileException.class);
                      ZoneFileException e = (ZoneFileException) thrown;
                      assertThat(Path.of(e.source()).getFileName().toString())
                          .isEqualTo(entry.getKey());
                      assertThat(e.line()).isEqualTo(entry.getValue().line());
                      assertThat(e.reason()).startsWith(entry.getValue().reasonStart());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachAcceptedFileRoundTrips() throws Exception {
    Path folder = folder();
    return ACCEPTED.stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Zone zone = ZoneFileReader.defaults().read(folder.resolve(name)).zone();
                      String text = ZoneFileWriter.defaults().toText(zone);

                      assertThat(ZoneFileReader.defaults().read(text, "written").zone())
                          .isEqualTo(zone);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyFileGivesAZoneOrAZoneFileException() throws Exception {
    return zoneFiles().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      Throwable thrown = catchThrowable(() -> ZoneFileReader.defaults().read(file));
                      if (thrown != null) {
                        assertThat(thrown).isInstanceOf(ZoneFileException.class);
                        assertThat(((ZoneFileException) thrown).line()).isPositive();
                      }
                    }));
  }
}
