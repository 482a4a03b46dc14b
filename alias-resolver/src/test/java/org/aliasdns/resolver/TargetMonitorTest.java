package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The monitor keeps targets fresh on the manual clock and reports changes, one batch a round. */
class TargetMonitorTest {
  static final Name TARGET = name("www.example.net.");

  FakeDns fake;
  AliasResolver resolver;
  TargetMonitor monitor;
  List<TargetChange> changes = new CopyOnWriteArrayList<>();
  List<RefreshRound> rounds = new CopyOnWriteArrayList<>();

  @BeforeEach
  void build() {
    fake =
        FakeDns.recursive()
            .record("www.example.net. 300 CNAME cdn.example.org.")
            .record("cdn.example.org. 60 A 192.0.2.10")
            .record("cdn.example.org. 60 AAAA 2001:db8::10")
            .build();
    resolver = Upstream.resolver(fake);
    monitor =
        TargetMonitor.builder(resolver)
            .jitter(Duration.ofSeconds(2))
            .random(new SplittableRandom(7))
            .build();
    monitor.addListener(
        round -> {
          rounds.add(round);
          changes.addAll(round.changes());
        });
    monitor.watch(TARGET);
  }

  @AfterEach
  void close() {
    monitor.close();
    fake.close();
  }

  void runDue() {
    monitor.runDue().toCompletableFuture().join();
  }

  static InetAddress ip(String literal) {
    try {
      return Address.getByAddress(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  @Test
  void theFirstResolutionIsPublishedAsAChangeFromNothing() {
    runDue();

    assertThat(rounds).singleElement().satisfies(r -> assertThat(r.changes()).hasSize(2));
    TargetChange v4 = changes.stream().filter(c -> c.type() == Type.A).findFirst().orElseThrow();
    assertThat(v4.before()).isEmpty();
    assertThat(v4.after()).containsExactly(ip("192.0.2.10"));
    assertThat(v4.statusBefore()).isEqualTo(TargetStatus.PENDING);
    assertThat(v4.statusAfter()).isEqualTo(TargetStatus.FRESH);
    assertThat(v4).hasToString("www.example.net. A: [] -> [192.0.2.10]");
    assertThat(monitor.addresses(TARGET, Type.AAAA)).containsExactly(ip("2001:db8::10"));
  }

  @Test
  void theNextRefreshIsDueWhenTheTtlRunsOutPlusJitter() {
    Instant start = fake.clock().instant();
    runDue();

    Instant due = monitor.nextDue().orElseThrow();

    assertThat(due).isBetween(start.plusSeconds(60), start.plusSeconds(62));
    fake.clock().advance(Duration.ofSeconds(30));
    runDue();
    assertThat(fake.queryCount()).isEqualTo(2); // nothing was due yet
  }

  @Test
  void aChangedAnswerIsPublishedWithTheOldAndNewAddresses() {
    runDue();
    changes.clear();
    fake.replace("cdn.example.org. 60 A 192.0.2.20", "cdn.example.org. 60 A 192.0.2.21");

    fake.clock().set(monitor.nextDue().orElseThrow());
    runDue();

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.target()).isEqualTo(TARGET);
      assertThat(c.type()).isEqualTo(Type.A);
      assertThat(c.before()).containsExactly(ip("192.0.2.10"));
      assertThat(c.after()).containsExactlyInAnyOrder(ip("192.0.2.20"), ip("192.0.2.21"));
    });
  }

  @Test
  void anUnchangedAnswerPublishesNothing() {
    runDue();
    changes.clear();

    for (int i = 0; i < 5; i++) {
      fake.clock().set(monitor.nextDue().orElseThrow());
      runDue();
    }

    assertThat(changes).isEmpty();
    assertThat(fake.queryCount()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void failuresKeepTheLastGoodAnswerAndBackOff() {
    runDue();
    changes.clear();
    fake.inject(Fault.servfail().everywhere());
    Instant previousDue = null;
    Duration previousGap = Duration.ZERO;

    for (int i = 0; i < 6; i++) {
      Instant due = monitor.nextDue().orElseThrow();
      fake.clock().set(due);
      runDue();
      Duration gap = Duration.between(due, monitor.nextDue().orElseThrow());
      if (previousDue != null) {
        assertThat(gap).isGreaterThanOrEqualTo(previousGap.compareTo(Duration.ofMinutes(5)) >= 0
            ? Duration.ofMinutes(5) : previousGap);
      }
      previousDue = due;
      previousGap = gap;
      assertThat(monitor.addresses(TARGET, Type.A)).containsExactly(ip("192.0.2.10"));
    }

    // The first failure turned both families stale; after that, nothing changed.
    assertThat(changes)
        .extracting(TargetChange::statusAfter)
        .containsExactly(TargetStatus.STALE, TargetStatus.STALE);
    assertThat(changes).noneMatch(TargetChange::addressesChanged);
    assertThat(previousGap).isGreaterThanOrEqualTo(Duration.ofMinutes(4));
    Resolution v4 = monitor.results().get(TARGET, Type.A).orElseThrow();
    assertThat(v4).isInstanceOf(Resolution.Failure.class);
    assertThat(((Resolution.Failure) v4).stale()).isNotNull();
  }

  @Test
  void pastMaxStaleTheTargetIsUnresolvedButItsResultKeepsTheLastGoodAnswer() {
    runDue();
    fake.inject(Fault.servfail().everywhere());

    fake.clock().advance(Duration.ofDays(2));
    runDue();

    assertThat(monitor.status(TARGET, Type.A)).contains(TargetStatus.UNRESOLVED);
    assertThat(monitor.addresses(TARGET, Type.A)).isEmpty();
    Resolution.Failure failure =
        (Resolution.Failure) monitor.results().get(TARGET, Type.A).orElseThrow();
    assertThat(failure.stale()).isNotNull();
    // Whether it may still be served is the consumer's call, by the policy's max stale.
    assertThat(resolver.policy().withinMaxStale(
            resolver.policy().expiry(Objects.requireNonNull(failure.stale())), fake.clock().instant()))
        .isFalse();
  }

  @Test
  void aTargetThatVanishesEmptiesItsAddresses() {
    runDue();
    changes.clear();
    fake.remove("cdn.example.org.", Type.A);
    fake.remove("cdn.example.org.", Type.AAAA);
    fake.remove("www.example.net.", Type.CNAME);

    fake.clock().advance(Duration.ofSeconds(400));
    runDue();

    assertThat(changes).extracting(TargetChange::after).containsOnly(Set.of());
    assertThat(changes).hasSize(2);
    assertThat(monitor.addresses(TARGET, Type.A)).isEmpty();
  }

  @Test
  void anUnwatchedTargetIsNotRefreshed() {
    runDue();
    assertThat(monitor.unwatch(TARGET)).isTrue();

    fake.clock().advance(Duration.ofHours(1));
    runDue();

    assertThat(fake.queryCount()).isEqualTo(2);
    assertThat(monitor.nextDue()).isEmpty();
    assertThat(monitor.targets()).isEmpty();
  }

  @Test
  void aFailureTurnsTheTargetStaleAndTheNextAnswerFreshAgain() {
    runDue();
    changes.clear();
    fake.inject(Fault.servfail().forName("cdn.example.org.", Type.A));

    fake.clock().set(monitor.nextDue().orElseThrow());
    runDue();

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(Type.A);
      assertThat(c.statusBefore()).isEqualTo(TargetStatus.FRESH);
      assertThat(c.statusAfter()).isEqualTo(TargetStatus.STALE);
      assertThat(c.addressesChanged()).isFalse();
      assertThat(c).hasToString("www.example.net. A: [192.0.2.10] -> [192.0.2.10], fresh -> stale");
    });
    assertThat(monitor.status(TARGET, Type.AAAA)).contains(TargetStatus.FRESH);

    changes.clear();
    fake.clearFaults();
    fake.clock().advance(Duration.ofMinutes(10)); // past the retry and the failure recheck
    runDue();

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.statusBefore()).isEqualTo(TargetStatus.STALE);
      assertThat(c.statusAfter()).isEqualTo(TargetStatus.FRESH);
    });
  }

  @Test
  void maxStaleRunningOutIsReportedWhenItHappensWithoutPolling() {
    resolver = Upstream.resolver(fake, FlatteningPolicy.builder().maxStale(Duration.ofHours(1)).build());
    monitor.close();
    monitor = TargetMonitor.builder(resolver).jitter(Duration.ZERO).build();
    monitor.addListener(round -> changes.addAll(round.changes()));
    monitor.watch(TARGET);
    runDue();
    Resolution.Answer good =
        (Resolution.Answer) monitor.results().get(TARGET, Type.A).orElseThrow();
    fake.inject(Fault.servfail().everywhere());
    changes.clear();

    // Run only when the monitor says something is due, as its schedule would find it.
    for (int round = 0; round < 100 && !changes.stream()
        .anyMatch(c -> c.statusAfter() == TargetStatus.UNRESOLVED); round++) {
      fake.clock().set(monitor.nextDue().orElseThrow());
      runDue();
    }

    Instant end = resolver.policy().expiry(good).plus(Duration.ofHours(1)).plusSeconds(1);
    assertThat(fake.clock().instant()).isEqualTo(end);
    assertThat(changes)
        .filteredOn(c -> c.type() == Type.A)
        .extracting(TargetChange::statusAfter)
        .containsExactly(TargetStatus.STALE, TargetStatus.UNRESOLVED);
    assertThat(monitor.addresses(TARGET, Type.A)).isEmpty();
  }

  @Test
  void oneUpstreamChangeThatMovesTwoTargetsIsOneRound() {
    Name other = name("api.example.net.");
    fake.add("api.example.net. 300 CNAME cdn.example.org.");
    monitor.watch(other);
    runDue();
    rounds.clear();
    fake.replace("cdn.example.org. 60 A 192.0.2.20");

    fake.clock().advance(Duration.ofSeconds(400));
    runDue();

    assertThat(rounds).singleElement().satisfies(r -> {
      assertThat(r.targets()).containsExactly(other, TARGET); // canonical order
      assertThat(r.changes()).extracting(TargetChange::type).containsOnly(Type.A);
    });
  }

  @Test
  void oneUpstreamMoveSeenThroughTwoTargetNamesIsOneRoundWhenTheyComeDueApart() {
    // The two targets share cdn.example.org. but come due at different jitters, so a monitor
    // ticking every 100 ms refreshes them in separate rounds: one move, one round all the same.
    Name other = name("api.example.net.");
    fake.add("api.example.net. 300 CNAME cdn.example.org.");
    monitor.watch(other);
    runDue();
    rounds.clear();
    fake.replace("cdn.example.org. 60 A 192.0.2.20");

    for (int tick = 0; tick < 700; tick++) { // 70 s in 100 ms ticks
      fake.clock().advance(Duration.ofMillis(100));
      runDue();
    }

    assertThat(rounds).filteredOn(r -> r.changes().stream().anyMatch(c -> c.type() == Type.A))
        .singleElement()
        .satisfies(r -> assertThat(r.targets()).containsExactly(other, TARGET));
  }

  @Test
  void aRoundThatChangesNothingIsNotReported() {
    runDue();
    rounds.clear();

    fake.clock().advance(Duration.ofSeconds(400));
    runDue();

    assertThat(fake.queryCount()).isGreaterThan(2);
    assertThat(rounds).isEmpty();
  }

  @Test
  void watchesAreCountedSoZonesSharingATargetEachLetGoOfTheirOwn() {
    assertThat(monitor.watch(TARGET)).isFalse(); // a second zone with the same target

    assertThat(monitor.unwatch(TARGET)).isTrue();
    assertThat(monitor.targets()).containsExactly(TARGET);
    assertThat(monitor.unwatch(TARGET)).isTrue();
    assertThat(monitor.targets()).isEmpty();
    assertThat(monitor.unwatch(TARGET)).isFalse();
  }

  @Test
  void resultsOfSomeTargetsHoldOnlyThose() {
    Name other = name("api.example.net.");
    fake.add("api.example.net. 300 A 192.0.2.30");
    monitor.watch(other);
    runDue();

    var mine = monitor.results(List.of(other, name("unwatched.example.net.")));

    assertThat(mine.get(other, Type.A)).isPresent();
    assertThat(mine.get(TARGET, Type.A)).isEmpty();
    assertThat(monitor.results().get(TARGET, Type.A)).isPresent();
  }
}
