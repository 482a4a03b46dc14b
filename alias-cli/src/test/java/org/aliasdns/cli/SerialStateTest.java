package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * {@code --state-dir}: a restarted {@code aliasdns serve} continues from the serial it last
 * published, so that a secondary holding it transfers again (found when a restart republished
 * serial 100 and the next change reused 101 with other content than the secondary held).
 */
class SerialStateTest {
  @TempDir Path dir;

  @Test
  void aRestartContinuesAfterTheSerialPublishedBefore() throws Exception {
    Path state = SerialState.file(dir, Name.fromConstantString("example.com."));
    long fileSerial = 2026112101L;

    // First run: publishes the file's serial, then a change moves it on; both are kept.
    try (FakeDns upstream = ServeFixture.upstream()) {
      ServeFixture first = ServeFixture.start(upstream, List.of(), state);
      try {
        assertThat(SerialState.read(state)).isEqualTo(fileSerial);
        upstream.replace("edge.cdn.example.net. 60 A 192.0.2.20");
        first.advanceAndRefresh(Duration.ofSeconds(400));
        assertThat(first.session.published().serial()).isEqualTo(fileSerial + 1);
        assertThat(SerialState.read(state)).isEqualTo(fileSerial + 1);
      } finally {
        first.session.close();
      }
    }

    // The restart, with the zone file unchanged: the next serial, never fileSerial again.
    try (FakeDns upstream = ServeFixture.upstream()) {
      ServeFixture second = ServeFixture.start(upstream, List.of(), state);
      try {
        assertThat(second.session.published().serial()).isEqualTo(fileSerial + 2);
        assertThat(SerialState.read(state)).isEqualTo(fileSerial + 2);
      } finally {
        second.session.close();
      }
    }
  }

  @Test
  void aMissingFileIsNoSerialAndAGarbledOneIsRefusedNamingTheFile() throws Exception {
    Path state = SerialState.file(dir, Name.fromConstantString("example.com."));
    assertThat(SerialState.read(state)).isNull();

    Files.writeString(state, "12\u001b]0;x\n");
    assertThatThrownBy(() -> SerialState.read(state))
        .isInstanceOf(UnusableInputException.class)
        .hasMessageContaining(state.toString())
        .hasMessageContaining("'12?]0;x'");

    Files.writeString(state, "4294967296\n");
    assertThatThrownBy(() -> SerialState.read(state)).isInstanceOf(UnusableInputException.class);
  }

  @Test
  void anEmptyOrGarbledStateFileIsWarnedOfAndTheZoneFilesSerialServed() throws Exception {
    Path state = SerialState.file(dir, Name.fromConstantString("example.com."));
    long fileSerial = 2026112101L;
    for (String bad : List.of("", "garbage\n")) {
      Files.writeString(state, bad);
      try (FakeDns upstream = ServeFixture.upstream()) {
        ServeFixture run = ServeFixture.start(upstream, List.of(), state);
        try {
          assertThat(run.session.published().serial()).isEqualTo(fileSerial);
          assertThat(run.warnings)
              .anyMatch(w -> w.startsWith("warning: " + state + ": not a serial")
                  && w.contains("starting from the zone file's serial"));
          // Written anew, atomically (a temporary file moved over it), with the serial served.
          assertThat(SerialState.read(state)).isEqualTo(fileSerial);
          assertThat(state.resolveSibling(state.getFileName() + ".tmp")).doesNotExist();
        } finally {
          run.session.close();
        }
      }
    }
  }

  @Test
  void fileNamesAreSafeWhateverTheOrigin() {
    assertThat(SerialState.file(dir, Name.fromConstantString("Example.COM.")).getFileName())
        .hasToString("example.com.serial");
    assertThat(SerialState.file(dir, Name.fromConstantString("a/b\\.c.example.")).getFileName())
        .hasToString("a%2Fb%5C.c.example.serial");
    assertThat(SerialState.file(dir, Name.root).getFileName()).hasToString("root.serial");
  }
}
