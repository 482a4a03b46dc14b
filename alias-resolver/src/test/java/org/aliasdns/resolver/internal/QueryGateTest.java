package org.aliasdns.resolver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-flight cap and its bounded queue. */
class QueryGateTest {
  @Test
  void runsUpToTheCapQueuesUpToTheBoundAndRefusesTheRest() {
    QueryGate gate = new QueryGate(2, 1);
    List<String> ran = new ArrayList<>();

    assertThat(gate.submit(() -> ran.add("a"))).isTrue();
    assertThat(gate.submit(() -> ran.add("b"))).isTrue();
    assertThat(gate.submit(() -> ran.add("c"))).isTrue();
    assertThat(gate.submit(() -> ran.add("d"))).isFalse();

    assertThat(ran).containsExactly("a", "b");
    assertThat(gate.running()).isEqualTo(2);
    assertThat(gate.queued()).isEqualTo(1);
  }

  @Test
  void aReleasedSlotGoesToTheOldestWaitingTask() {
    QueryGate gate = new QueryGate(1, 5);
    List<String> ran = new ArrayList<>();
    gate.submit(() -> ran.add("a"));
    gate.submit(() -> ran.add("b"));
    gate.submit(() -> ran.add("c"));

    gate.release();

    assertThat(ran).containsExactly("a", "b");
    assertThat(gate.running()).isEqualTo(1);
    gate.release();
    gate.release();
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(gate.running()).isZero();
  }
}
