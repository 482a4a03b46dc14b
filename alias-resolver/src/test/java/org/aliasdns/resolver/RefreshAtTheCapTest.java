package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The TTL cap bounds how long a moved target goes unnoticed: a target whose upstream TTL is
 * 2,147,483,647 s (68 years) is asked again after the cap, for answers and for NXDOMAIN/NODATA
 * with a SOA whose TTL and MINIMUM are as large.
 */
class RefreshAtTheCapTest {
  static final long HUGE = 2_147_483_647L;
  static final Name TARGET = name("www.example.net.");
  static final FlatteningPolicy CAP_10 = FlatteningPolicy.builder().ttlCap(10).build();

  FakeDns fake =
      FakeDns.recursive()
          .zone(
              "$ORIGIN example.net.\n"
                  + "@ " + HUGE + " SOA ns1 hostmaster 1 7200 3600 1209600 " + HUGE + "\n"
                  + "@ " + HUGE + " NS ns1\n"
                  + "ns1 " + HUGE + " A 198.51.100.53\n"
                  + "www " + HUGE + " A 192.0.2.10\n")
          .build();
  AliasResolver resolver = Upstream.resolver(fake, CAP_10);
  TargetMonitor monitor = TargetMonitor.builder(resolver).jitter(Duration.ZERO).build();
  List<TargetChange> changes = new CopyOnWriteArrayList<>();

  RefreshAtTheCapTest() {
    monitor.addListener(round -> changes.addAll(round.changes()));
  }

  @AfterEach
  void close() {
    monitor.close();
    fake.close();
  }

  void runDue() {
    monitor.runDue().toCompletableFuture().join();
  }

  @Test
  void aHugeTtlIsRefreshedAfterTheCapAndAMoveIsSeen() {
    Instant start = fake.clock().instant();
    monitor.watch(TARGET);
    runDue();

    assertThat(monitor.nextDue()).contains(start.plusSeconds(10));
    Resolution.Answer answer =
        (Resolution.Answer) monitor.results().get(TARGET, Type.A).orElseThrow();
    assertThat(answer.chainTtl()).isEqualTo(10); // cut as it entered the cache

    fake.replace("www.example.net. " + HUGE + " A 192.0.2.20");
    changes.clear();
    fake.clock().advance(Duration.ofSeconds(10));
    runDue();

    assertThat(changes)
        .filteredOn(c -> c.type() == Type.A)
        .singleElement()
        .hasToString("www.example.net. A: [192.0.2.10] -> [192.0.2.20]");
  }

  @Test
  void aHugeNegativeTtlIsCappedTooAndATargetThatAppearsIsSeen() {
    Name absent = name("new.example.net.");
    Instant start = fake.clock().instant();
    monitor.watch(absent);
    runDue();

    assertThat(monitor.status(absent, Type.A)).contains(TargetStatus.NO_ADDRESSES);
    assertThat(monitor.nextDue()).contains(start.plusSeconds(10));
    Resolution nx = monitor.results().get(absent, Type.A).orElseThrow();
    assertThat(nx).isInstanceOfSatisfying(
        Resolution.NxDomain.class, n -> assertThat(n.negativeTtl()).isEqualTo(10));

    fake.add("new.example.net. " + HUGE + " A 192.0.2.30");
    fake.clock().advance(Duration.ofSeconds(10));
    runDue();

    assertThat(monitor.status(absent, Type.A)).contains(TargetStatus.FRESH);
    assertThat(changes).anySatisfy(c -> {
      assertThat(c.statusBefore()).isEqualTo(TargetStatus.NO_ADDRESSES);
      assertThat(c.after()).hasSize(1);
    });
  }

  @Test
  void theResolversOwnCacheAsksAgainAfterTheCap() {
    Upstream.lookup(resolver, "www.example.net.", Type.A);
    fake.clock().advance(Duration.ofSeconds(8)); // before the prefetch window (last 10%)
    Upstream.lookup(resolver, "www.example.net.", Type.A);
    int cached = fake.queryCount();

    fake.clock().advance(Duration.ofSeconds(3));
    Upstream.lookup(resolver, "www.example.net.", Type.A);

    assertThat(cached).isEqualTo(1);
    assertThat(fake.queryCount()).isEqualTo(2);
  }
}
