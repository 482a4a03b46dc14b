package org.aliasdns.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;

/**
 * The first fake's background warm-up leaves nothing behind: its thread is a daemon (it never
 * keeps a test JVM alive) and ends on its own, having opened no channel it leaves open.
 */
class WarmUpTest {
  @Test
  void theWarmUpThreadIsADaemonAndEnds() throws InterruptedException {
    // Whatever ran before in this JVM, touching FakeDns has started the warm-up by now.
    try (FakeDns fake = FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").build()) {
      assertThat(fake.isStarted()).isFalse();
    }
    WarmUp.begin(); // later calls start nothing more

    List<Thread> warmUps = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(WarmUp.THREAD_NAME)) {
        warmUps.add(t);
      }
    }
    assertThat(warmUps).hasSizeLessThanOrEqualTo(1);
    for (Thread t : warmUps) {
      assertThat(t.isDaemon()).isTrue();
      t.join(30_000);
      assertThat(t.isAlive()).as("the warm-up thread ended").isFalse();
    }
  }
}
