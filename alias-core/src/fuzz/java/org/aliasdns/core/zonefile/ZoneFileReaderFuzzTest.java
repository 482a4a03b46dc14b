package org.aliasdns.core.zonefile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.xbill.DNS.Name;

/**
 * The zone-file reader faces zone text from anyone (a management API taking customer zones): for
 * any bytes it returns a zone or throws {@link ZoneFileException}, nothing else, and what it
 * returns the writer writes back as text that reads back to an equal zone.
 *
 * <p>In every build this runs over the checked-in corpus ({@code
 * src/fuzz/resources/.../ZoneFileReaderFuzzTestInputs}); {@code JAZZER_FUZZ=1} fuzzes it (see
 * the README's reliability section for the command).
 */
class ZoneFileReaderFuzzTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  @FuzzTest(maxDuration = "10m")
  void readsOrRefusesWithATypedError(byte[] input) {
    // Zone files are bytes; ISO-8859-1 maps each byte to one char and back.
    String text = new String(input, StandardCharsets.ISO_8859_1);
    ZoneFileReader reader = ZoneFileReader.forOrigin(ORIGIN).withIncludes(false);
    ZoneFile file;
    try {
      file = reader.read(text, "fuzz.zone");
    } catch (ZoneFileException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    String written = ZoneFileWriter.defaults().toText(file.zone());
    ZoneFile again = reader.read(written, "written.zone");
    assertThat(again.zone()).isEqualTo(file.zone());
  }
}
