package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aliasdns check FILE} alone runs without picocli's model ({@link Main#checkAlone}); its
 * output, messages and exit code must be those of the command line picocli runs, for a clean
 * zone, a zone with findings, a malformed one, a missing file and a directory; and any other
 * arguments go to picocli.
 */
class CheckAloneTest {
  @TempDir Path dir;

  @Test
  void checkingAFileAloneGivesWhatTheCommandLineGives() throws Exception {
    List<String> files = new ArrayList<>();
    files.add(Cli.zone("broken.zone"));
    files.add(write("clean.zone", "$ORIGIN example.com.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
        + "@ 3600 NS ns1\nns1 3600 A 192.0.2.53\nwww 300 CNAME ns1\n"));
    files.add(write("malformed.zone", "$ORIGIN example.com.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
        + "bad 300 A 192.0.2.300\n"));
    files.add(dir.resolve("missing.zone").toString());
    files.add(dir.toString());
    int codes = 0;
    for (String file : files) {
      Cli.Result picocli = Cli.run("check", file);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.checkAlone(new PrintWriter(out), new PrintWriter(err), file);

      assertThat(new Cli.Result(exit, out.toString(), err.toString())).as(file).isEqualTo(picocli);
      codes |= 1 << exit;
    }
    // each exit code was met: clean (0), findings (1), unusable input (2)
    assertThat(codes).isEqualTo(0b111);
  }

  @Test
  void anythingButOnePlainFileGoesToPicocli() {
    assertThat(Main.checkAlone("check", "--format=json")).isNull();
    assertThat(Main.checkAlone("check", "-h")).isNull();
    assertThat(Main.checkAlone("check", "@args")).isNull();
    assertThat(Main.checkAlone("check", "")).isNull();
    assertThat(Main.checkAlone("check", "a.zone", "--no-suggestions")).isNull();
    assertThat(Main.checkAlone("check")).isNull();
    assertThat(Main.checkAlone("flatten", "a.zone")).isNull();
  }

  private String write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file.toString();
  }
}
