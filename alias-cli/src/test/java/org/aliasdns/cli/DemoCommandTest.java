package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void runsEverySectionAndExitsZeroInAFewSeconds() {
    long start = System.nanoTime();
    Cli.Result r = Cli.run("demo");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out())
        .contains("== 1. The zone you write")
        .contains("== 2. Chasing the alias targets")
        .contains("== 3. The flattened zone")
        .contains("== 4. A live answer from a server on 127.0.0.1:")
        .contains("== 5. A target changes")
        .contains("== 6. A target fails")
        .contains("== Done ==");
    assertThat(r.err()).isEmpty();
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void showsTheChainTheSerialBumpAndTheStaleAnswer() {
    String out = Cli.run("demo").out();

    assertThat(out)
        .contains("effective TTL 60 = min(CNAME 300, A 60)")
        .contains("changed: shop.example.com. A: [198.51.100.10] -> [198.51.100.20]")
        .contains("serial 2026112101 -> 2026112102")
        .contains("status.example.com.  30  A  198.51.100.30");
  }

  @Test
  void printsIpv6AddressesInRfc5952Form() {
    String out = Cli.run("demo").out();

    assertThat(out).contains("2001:db8::80");
    assertThat(out).doesNotContainPattern("\\b([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\\b");
  }
}
