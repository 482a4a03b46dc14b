package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Several upstream servers, one of them broken in each way the testkit's faults can break it:
 * which server a question goes to, when it moves on, when a server is marked down, probed and
 * up again, all on a {@link ManualClock}. Each fake answers {@code www.example.net} with its own
 * address (192.0.2.1, .2, .3), so the answer says which server gave it; the TTL is 0, so every
 * lookup goes upstream.
 */
class FailoverTest {
  private static final String NAME = "www.example.net.";

  final ManualClock clock = ManualClock.create();
  final List<FakeDns> fakes = new ArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  final ResolverListener recorder =
      new ResolverListener() {
        @Override
        public void upstreamStateChanged(String upstream, UpstreamState state, String reason) {
          events.add(upstream + " " + state);
        }
      };

  @AfterEach
  void close() {
    fakes.forEach(FakeDns::close);
  }

  /** Starts a fake on 127.0.0.1 that answers with 192.0.2.{n}. */
  private FakeDns fake(int n) throws IOException {
    FakeDns fake =
        FakeDns.recursive().clock(clock).record(NAME + " 0 A 192.0.2." + n).build().start();
    fakes.add(fake);
    return fake;
  }

  private Upstreams.Builder servers(FakeDns... servers) {
    Upstreams.Builder b = Upstreams.builder();
    for (FakeDns f : servers) {
      b.server(f.address());
    }
    return b;
  }

  private AliasResolver resolver(Upstreams upstreams) {
    return AliasResolver.builder()
        .upstreams(upstreams)
        .clock(clock)
        .ticker(clock.ticker())
        .queryTimeout(Duration.ofSeconds(2))
        .failureRecheck(Duration.ZERO)
        .listener(recorder)
        .build();
  }

  /** The last octet of the address that answered, or the failure's kind. */
  private static String answeredBy(AliasResolver resolver) {
    Resolution r = Upstream.lookup(resolver, NAME, Type.A).resolution();
    if (r instanceof Resolution.Answer a) {
      String address = a.records().records().get(0).rdataToString();
      return address.substring(address.lastIndexOf('.') + 1);
    }
    if (r instanceof Resolution.Failure f) {
      return f.kind().toString();
    }
    return r.getClass().getSimpleName();
  }

  private static UpstreamStats stats(AliasResolver resolver, FakeDns fake) {
    String name = Upstreams.name(fake.address());
    return resolver.stats().upstreams().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aQuestionGoesToTheFirstServerInTheConfiguredOrder() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(a, b).build());

    assertThat(answeredBy(resolver)).isEqualTo("1");
    assertThat(a.queryCount()).isEqualTo(1);
    assertThat(b.queryCount()).isZero();
  }

  @Test
  void aTimeoutMovesTheQuestionToTheNextServer() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver =
        resolver(servers(a, b).attemptTimeout(Duration.ofMillis(200)).build());
    a.enqueue(Fault.drop());

    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(stats(resolver, a))
        .extracting(UpstreamStats::queries, UpstreamStats::failures, UpstreamStats::timeouts)
        .containsExactly(1L, 1L, 1L);
    assertThat(stats(resolver, b).failures()).isZero();
    assertThat(resolver.stats().queriesSent()).isEqualTo(2);
    assertThat(resolver.stats().upstreamFailures()).isZero(); // the question got its answer
  }

  @Test
  void servfailAndRefusedMoveTheQuestionOnAtOnce() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    FakeDns c = fake(3);
    AliasResolver resolver = resolver(servers(a, b, c).build());
    a.enqueue(Fault.servfail());
    b.enqueue(Fault.refused());

    assertThat(answeredBy(resolver)).isEqualTo("3");
    assertThat(List.of(a.queryCount(), b.queryCount(), c.queryCount())).containsExactly(1, 1, 1);
    assertThat(stats(resolver, a).failures()).isEqualTo(1);
    assertThat(stats(resolver, b).failures()).isEqualTo(1);
    assertThat(stats(resolver, a).timeouts()).isZero();
  }

  @Test
  void nxdomainAndNodataAreAnswersNotFailures() throws IOException {
    // RFC 2308: an authoritative negative answer is an answer; asking elsewhere would not help.
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(a, b).build());
    a.enqueue(Fault.nxdomain());
    assertThat(Upstream.lookup(resolver, NAME, Type.A).resolution())
        .isInstanceOf(Resolution.NxDomain.class);
    clock.advance(Duration.ofHours(1)); // past the negative TTL
    a.enqueue(Fault.noData());
    assertThat(Upstream.lookup(resolver, NAME, Type.A).resolution())
        .isInstanceOf(Resolution.NoData.class);

    assertThat(b.queryCount()).isZero();
    assertThat(stats(resolver, a).failures()).isZero();
  }

  @Test
  void aReplyWithAnotherIdIsIgnoredAndTheAttemptTimesOutToTheNextServer() throws IOException {
    // RFC 5452 §9.1: the mismatched datagram is not the answer; the real one never comes.
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver =
        resolver(servers(a, b).attemptTimeout(Duration.ofMillis(200)).build());
    a.enqueue(Fault.wrongId());

    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(stats(resolver, a).timeouts()).isEqualTo(1);
    // The datagram is counted when it is read, which on a loaded machine may be after b answered.
    Upstream.await("the ignored datagram", () -> resolver.stats().ignoredResponses() == 1);
  }

  @Test
  void aMalformedReplyIsIgnoredAndTheNextServerAnswers() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver =
        resolver(servers(a, b).attemptTimeout(Duration.ofMillis(200)).build());
    a.enqueue(Fault.malformed());

    assertThat(answeredBy(resolver)).isEqualTo("2");
    Upstream.await("the ignored datagram", () -> resolver.stats().ignoredResponses() == 1);
  }

  @Test
  void aServerIsMarkedDownAfterConsecutiveFailuresAndThenGetsNoQuestions() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(a, b).downAfter(2).build());
    a.inject(Fault.refused().everywhere());

    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.UP);
    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.DOWN);
    assertThat(stats(resolver, a).consecutiveFailures()).isEqualTo(2);
    assertThat(events).containsExactly(Upstreams.name(a.address()) + " DOWN");

    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(a.queryCount()).isEqualTo(2); // not asked while down
  }

  @Test
  void aDownServerIsProbedByARealQuestionAfterItsBackOffAndIsUpOnAnAnswer() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    Duration backOff = Duration.ofSeconds(10);
    AliasResolver resolver = resolver(servers(a, b).downAfter(1).probeAfter(backOff).build());
    a.enqueue(Fault.refused());
    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.DOWN);

    clock.advance(backOff.dividedBy(2)); // jitter: the wait is 75% to 100% of the back-off
    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(a.queryCount()).isEqualTo(1);

    clock.advance(backOff.dividedBy(2));
    assertThat(answeredBy(resolver)).isEqualTo("1"); // the probe, and its answer
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.UP);
    assertThat(stats(resolver, a).consecutiveFailures()).isZero();
    assertThat(answeredBy(resolver)).isEqualTo("1"); // preferred again
    String name = Upstreams.name(a.address());
    assertThat(events).containsExactly(name + " DOWN", name + " UP");
  }

  @Test
  void aFailedProbeDoublesTheBackOffAndTheQuestionStillGetsItsAnswer() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    Duration backOff = Duration.ofSeconds(10);
    AliasResolver resolver = resolver(servers(a, b).downAfter(1).probeAfter(backOff).build());
    a.inject(Fault.refused().everywhere());
    assertThat(answeredBy(resolver)).isEqualTo("2");

    clock.advance(backOff);
    assertThat(answeredBy(resolver)).isEqualTo("2"); // probe refused, then b
    assertThat(a.queryCount()).isEqualTo(2);

    clock.advance(backOff); // the next wait is 75% to 100% of 20 s: at least 15 s
    assertThat(answeredBy(resolver)).isEqualTo("2");
    assertThat(a.queryCount()).isEqualTo(2);

    clock.advance(backOff);
    a.clearFaults();
    assertThat(answeredBy(resolver)).isEqualTo("1");
    assertThat(a.queryCount()).isEqualTo(3);
  }

  @Test
  void theBackOffStopsGrowingAtItsMaximum() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    Duration backOff = Duration.ofSeconds(10);
    AliasResolver resolver =
        resolver(servers(a, b).downAfter(1).probeAfter(backOff).maxProbeAfter(backOff).build());
    a.inject(Fault.refused().everywhere());
    assertThat(answeredBy(resolver)).isEqualTo("2");
    for (int probe = 1; probe <= 4; probe++) {
      clock.advance(backOff);
      assertThat(answeredBy(resolver)).isEqualTo("2");
      assertThat(a.queryCount()).isEqualTo(1 + probe);
    }
  }

  @Test
  void whenEveryServerIsDownTheyAreStillAskedTheOldestFailureFirst() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver =
        resolver(servers(a, b).downAfter(1).probeAfter(Duration.ofMinutes(5)).build());
    a.enqueue(Fault.refused());
    assertThat(answeredBy(resolver)).isEqualTo("2"); // a down at T
    clock.advance(Duration.ofSeconds(1));
    b.enqueue(Fault.servfail());
    assertThat(answeredBy(resolver)).isEqualTo("SERVFAIL"); // b down at T + 1 s
    assertThat(resolver.stats().upstreams())
        .extracting(UpstreamStats::state)
        .containsExactly(UpstreamState.DOWN, UpstreamState.DOWN);

    // Both down, neither due for a probe: a failed longest ago, so it is asked first.
    assertThat(answeredBy(resolver)).isEqualTo("1");
    assertThat(b.queryCount()).isEqualTo(2); // the two questions before: not asked this time
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.UP);
  }

  @Test
  void whenEveryServerFailsTheQuestionFailsWithTheLastServersWord() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(a, b).build());
    a.enqueue(Fault.servfail());
    b.enqueue(Fault.refused());

    assertThat(answeredBy(resolver)).isEqualTo(Kind.REFUSED.toString());
    assertThat(resolver.stats().upstreamFailures()).isEqualTo(1);
  }

  @Test
  void aFlappingServerThatAnswersBetweenFailuresStaysUp() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(a, b).downAfter(2).build());
    List<String> by = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      a.enqueue(i % 2 == 0 ? Fault.servfail() : Fault.none());
      by.add(answeredBy(resolver));
    }

    assertThat(by).containsExactly("2", "1", "2", "1", "2", "1");
    assertThat(stats(resolver, a).state()).isEqualTo(UpstreamState.UP);
    assertThat(stats(resolver, a).failures()).isEqualTo(3);
    assertThat(events).isEmpty();
  }

  @Test
  void theQueryTimeoutBoundsEveryAttempt() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    FakeDns c = fake(3);
    AliasResolver resolver =
        AliasResolver.builder()
            .upstreams(servers(a, b, c).attemptTimeout(Duration.ofMillis(300)).build())
            .clock(clock)
            .queryTimeout(Duration.ofMillis(400))
            .failureRecheck(Duration.ZERO)
            .build();
    a.enqueue(Fault.drop());
    b.enqueue(Fault.drop());

    // a waits 300 ms, b the 100 ms left; the deadline has passed before c's turn.
    assertThat(answeredBy(resolver)).isEqualTo(Kind.TIMEOUT.toString());
    assertThat(List.of(a.queryCount(), b.queryCount(), c.queryCount())).containsExactly(1, 1, 0);
  }

  @Test
  void aCoalescedQuestionMakesOneQueryPerAttempt() throws Exception {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver =
        resolver(servers(a, b).attemptTimeout(Duration.ofMillis(300)).build());
    a.enqueue(Fault.drop());
    Name name = Upstream.name(NAME);

    CompletableFuture<Lookup> first = resolver.resolve(name, Type.A).toCompletableFuture();
    CompletableFuture<Lookup> second = resolver.resolve(name, Type.A).toCompletableFuture();

    assertThat(first.get(5, TimeUnit.SECONDS).resolution()).isInstanceOf(Resolution.Answer.class);
    assertThat(second.get(5, TimeUnit.SECONDS).resolution())
        .isInstanceOf(Resolution.Answer.class);
    assertThat(List.of(a.queryCount(), b.queryCount())).containsExactly(1, 1);
    assertThat(resolver.stats().coalescedWaits()).isEqualTo(1);
  }

  @Test
  void statsListEveryServerInConfiguredOrder() throws IOException {
    FakeDns a = fake(1);
    FakeDns b = fake(2);
    AliasResolver resolver = resolver(servers(b, a).build());

    assertThat(resolver.stats().upstreams())
        .extracting(UpstreamStats::name)
        .containsExactly(Upstreams.name(b.address()), Upstreams.name(a.address()));
    assertThat(resolver.stats().upstreams())
        .extracting(UpstreamStats::state)
        .containsOnly(UpstreamState.UP);
  }

  @Test
  void aSingleUpstreamHasOneEntryInTheStats() throws IOException {
    FakeDns a = fake(1);
    AliasResolver resolver = AliasResolver.builder().upstream(a.address()).clock(clock).build();
    assertThat(answeredBy(resolver)).isEqualTo("1");

    assertThat(resolver.stats().upstreams())
        .singleElement()
        .extracting(UpstreamStats::name, UpstreamStats::queries)
        .containsExactly(Upstreams.name(a.address()), 1L);
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    InetSocketAddress one = new InetSocketAddress("127.0.0.1", 5301);
    assertThatThrownBy(() -> Upstreams.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one upstream");
    assertThatThrownBy(() -> Upstreams.builder().server(one).server(one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstream 127.0.0.1:5301 is given twice");
    assertThatThrownBy(() -> Upstreams.builder().server(InetSocketAddress.createUnresolved("x", 53)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unresolved");
    assertThatThrownBy(() -> Upstreams.builder().downAfter(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Upstreams.builder().downAfter(2).downAfter(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("downAfter was already set to 2");
    assertThatThrownBy(
            () ->
                Upstreams.builder()
                    .server(one)
                    .probeAfter(Duration.ofSeconds(10))
                    .maxProbeAfter(Duration.ofSeconds(5))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxProbeAfter");
    assertThatThrownBy(
            () -> AliasResolver.builder().upstream(one).upstreams(Upstreams.of(List.of(one))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("upstream was already set");
  }

  @Test
  void upstreamsIsAValueWithItsDefaults() {
    InetSocketAddress one = new InetSocketAddress("127.0.0.1", 5301);
    InetSocketAddress two = new InetSocketAddress("::1", 5302);
    Upstreams u = Upstreams.of(List.of(one, two));

    assertThat(u).isEqualTo(Upstreams.builder().server(one).server(two).build());
    assertThat(u.servers()).containsExactly(one, two);
    assertThat(u.downAfter()).isEqualTo(3);
    assertThat(u.probeAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(u.maxProbeAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(u.attemptTimeout()).isEmpty();
    assertThat(Upstreams.name(two)).isEqualTo("[::1]:5302");
  }
}
