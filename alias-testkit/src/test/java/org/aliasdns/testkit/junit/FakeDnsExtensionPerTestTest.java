package org.aliasdns.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In an instance field: a new fake for each test, closed after it. */
class FakeDnsExtensionPerTestTest {
  static final List<FakeDns> seen = new CopyOnWriteArrayList<>();

  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

  @AfterAll
  static void eachTestHadItsOwnFakeAndEachWasClosed() {
    assertThat(seen).hasSize(2).doesNotHaveDuplicates();
    assertThat(seen).noneMatch(FakeDns::isStarted);
    assertThat(seen.get(0).toString()).contains("closed");
  }

  @Test
  void one(FakeDns fake) {
    seen.add(fake);
    assertThat(fake).isSameAs(dns.fake());
  }

  @Test
  void two(FakeDns fake) {
    seen.add(fake);
    assertThat(fake).isSameAs(dns.fake());
  }
}
