package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code aliasdns check} says about malformed or unusual input (an adoption trial's
 * findings): each message names the file as given and what is wrong, in words a user can act on.
 */
class CheckMessagesTest {
  private static final String HEAD =
      "$ORIGIN example.com.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "@ 3600 NS ns1\nns1 3600 A 192.0.2.53\n";

  @TempDir Path dir;

  @Test
  void aTtlOfTwoToTheThirtyFirstIsZeroWithAWarningAndFlattenWritesZero() throws IOException {
    Path zone = write("ttl.zone", HEAD + "foo 2147483648 IN A 192.0.2.9\n");

    Cli.Result r = Cli.run("check", "--no-suggestions", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .isEqualTo(
            zone + ":5: warning ttl-above-max: foo.example.com.: A record's TTL 2147483648 is"
                + " above 2147483647 (2^31 - 1); set to 0, as a TTL with the top bit set is"
                + " treated as zero\n"
                + zone + ": zone example.com.: 0 errors, 1 warning\n");
  }

  @Test
  void aFindingWithNoLineIsPrefixedWithTheFile() {
    String file = Cli.zone("example.com.zone");

    Cli.Result r = Cli.run("check", "--origin", "example.org", file);

    assertThat(r.out()).contains("\n" + file + ": error missing-soa: example.org.: ");
    assertThat(r.out().lines().filter(l -> !l.startsWith(file + ":")).toList()).isEmpty();
  }

  @Test
  void jsonGivesTheFileOfALinelessFindingAndTheTypeOfAnOutOfZoneRecord() {
    String file = Cli.zone("example.com.zone");

    Cli.Result r = Cli.run("check", "--format", "json", "--origin", "example.org", file);

    @SuppressWarnings("unchecked")
    Map<String, Object> doc = (Map<String, Object>) Objects.requireNonNull(MiniJson.parse(r.out()));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> findings =
        (List<Map<String, Object>>) Objects.requireNonNull(doc.get("findings"));
    assertThat(findings)
        .filteredOn(f -> "missing-soa".equals(f.get("rule")))
        .singleElement()
        .satisfies(f -> assertThat(f).containsEntry("file", file).containsEntry("line", null));
    assertThat(findings)
        .filteredOn(f -> "out-of-zone".equals(f.get("rule")))
        .isNotEmpty()
        .allSatisfy(
            f ->
                assertThat(String.valueOf(f.get("message")))
                    .startsWith(String.valueOf(f.get("type")) + " record is outside zone"));
  }

  @Test
  void anUnreadableFileSaysWhy() throws IOException {
    assertThat(ZoneOptions.reason(new AccessDeniedException("/some/zone"))).isEqualTo("permission denied");
    assertThat(ZoneOptions.reason(new FileSystemException("/some/zone", null, "Input/output error")))
        .isEqualTo("Input/output error");

    Path zone = write("unreadable.zone", HEAD);
    Files.setPosixFilePermissions(zone, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(zone), "running as root: every file is readable");
    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).isEqualTo("aliasdns check: " + zone + ": cannot be read: permission denied\n");
  }

  @Test
  void aByteOrderMarkIsNamed() throws IOException {
    Path zone = dir.resolve("bom.zone");
    Files.write(zone, ("\uFEFF" + HEAD).getBytes(StandardCharsets.UTF_8));

    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err())
        .isEqualTo(
            "aliasdns check: " + zone + ":1: starts with a UTF-8 byte-order mark (bytes EF BB BF),"
                + " which a zone file may not have; save it without one\n");
  }

  @Test
  void crLineEndingsAreNamed() throws IOException {
    Path zone = write("cr.zone", HEAD.replace('\n', '\r'));

    Cli.Result r = Cli.run("check", zone.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err()).startsWith("aliasdns check: " + zone + ":1: uses CR line endings");
  }

  @Test
  void anIncludeLoopNamesTheFilesAsGiven() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(sub.resolve("main.zone"), HEAD + "$INCLUDE loop.zone\n");
    Files.writeString(sub.resolve("loop.zone"), "$INCLUDE loop.zone\n");
    Path given = Path.of("").toAbsolutePath().relativize(sub.resolve("main.zone"));

    Cli.Result r = Cli.run("check", given.toString());

    assertThat(r.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(r.err())
        .startsWith("aliasdns check: " + given.resolveSibling("loop.zone") + ":1: $INCLUDE loop.zone: nested deeper than");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "flatten", "trace", "serve", "demo", "keygen", "sign"})
  void everyCommandPrintsTheVersion(String command) {
    Cli.Result longForm = Cli.run(command, "--version");
    Cli.Result shortForm = Cli.run(command, "-V");

    assertThat(longForm.exit()).isEqualTo(Main.OK);
    assertThat(longForm.out()).isEqualTo(Cli.run("--version").out()).isEqualTo("aliasdns development\n");
    assertThat(shortForm).isEqualTo(longForm);
  }

  @Test
  void theOutOfMemoryLineNamesWhatTheLauncherAndJavaRead() {
    String line = Main.outOfMemory(new OutOfMemoryError("Java heap space"));

    assertThat(line)
        .startsWith("aliasdns: out of memory (Java heap space): ")
        .contains("ALIASDNS_JAVA_OPTS=-Xmx", "java -Xmx")
        .doesNotContain(" JAVA_OPTS");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
