package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * A refresh round over many more targets than the resolver takes queries at once: the monitor
 * resolves them a bounded number at a time, so none fails for want of a query slot (found when
 * {@code aliasdns serve} started on a zone of 3,000 aliases and thousands of look-ups failed with
 * "too many upstream queries").
 */
class ManyTargetsRoundTest {
  private static final int TARGETS = 300;

  @Test
  void everyTargetIsResolvedWhenTheRoundIsLargerThanTheResolversQueue() throws Exception {
    String zone =
        "$ORIGIN example.net.\n@ 3600 SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\n"
            + "ns1 A 198.51.100.53\n"
            + IntStream.range(0, TARGETS)
                .mapToObj(i -> "t" + i + " 300 A 192.0.2." + (i % 250 + 1) + "\n")
                .collect(Collectors.joining());
    try (FakeDns fake = FakeDns.recursive().zone(zone).build().start()) {
      AliasResolver resolver =
          AliasResolver.builder()
              .upstream(fake.address())
              .clock(fake.clock())
              .ticker(fake.clock().ticker())
              .queryTimeout(Duration.ofSeconds(5))
              .maxInFlight(8)
              .maxQueued(8)
              .build();
      TargetMonitor monitor = TargetMonitor.builder(resolver).maxConcurrentRefreshes(8).build();
      List<TargetChange> changes = new CopyOnWriteArrayList<>();
      monitor.addListener(round -> changes.addAll(round.changes()));
      for (int i = 0; i < TARGETS; i++) {
        monitor.watch(Name.fromConstantString("t" + i + ".example.net."));
      }

      monitor.runDue().toCompletableFuture().get();

      // A and AAAA for each: an answer and a NODATA, never "unresolved".
      assertThat(changes).hasSize(2 * TARGETS);
      assertThat(changes)
          .extracting(TargetChange::statusAfter)
          .containsOnly(TargetStatus.FRESH, TargetStatus.NO_ADDRESSES);
    }
  }
}
