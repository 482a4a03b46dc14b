package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void onATerminalCountsInPlaceAndClearsTheLine() {
    StringWriter err = new StringWriter();
    Progress p = Progress.of(new PrintWriter(err), true, "resolving alias targets", 2);

    p.step();
    p.step();
    p.finish();

    assertThat(err.toString())
        .startsWith("\rresolving alias targets: 1/2")
        .contains("\rresolving alias targets: 2/2")
        .endsWith("\r");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void offATerminalPrintsNothing() {
    StringWriter err = new StringWriter();
    Progress p = Progress.of(new PrintWriter(err), false, "resolving alias targets", 2);

    p.step();
    p.step();
    p.finish();

    assertThat(err.toString()).isEmpty();
  }

  @Test
  void testsRunWithoutATerminal() {
    assertThat(Progress.isTerminal()).isFalse();
  }
}
