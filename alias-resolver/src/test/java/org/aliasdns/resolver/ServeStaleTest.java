package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Upstream failures are ridden out with the last good answer (RFC 8767). */
class ServeStaleTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
  }

  @Test
  void aThirtyPercentFailingUpstreamNeverCostsAGoodAnswerForADay() {
    AliasResolver resolver = Upstream.resolver(fake);
    fake.inject(Fault.servfail().everywhere().withProbability(0.3, 20261121L));
    Instant lastGood = null;
    int stale = 0;
    int fresh = 0;

    for (int step = 0; step < 86_400 / 15; step++) {
      Lookup lookup = lookup(resolver, "www.example.net.", Type.A);
      Instant now = fake.clock().instant();
      Resolution.Answer answer = lookup.answer();
      if (lookup.resolution() instanceof Resolution.Answer) {
        lastGood = now;
        fresh++;
      } else if (lastGood != null) {
        assertThat(now).isBefore(lastGood.plus(resolver.policy().maxStale()));
        assertThat(answer).as("stale answer at %s", now).isNotNull();
        assertThat(lookup.freshness()).isEqualTo(Freshness.STALE);
        stale++;
      }
      fake.clock().advance(Duration.ofSeconds(15));
    }

    // The fault did bite, and the answer still came through every time.
    assertThat(stale).isGreaterThan(10);
    assertThat(fresh).isGreaterThan(1000);
    assertThat(resolver.stats().staleServed()).isEqualTo(stale);
  }

  @Test
  void aStaleAnswerIsTheLastGoodOneWithTheStaleTtl() {
    AliasResolver resolver = Upstream.resolver(fake);
    Lookup good = lookup(resolver, "www.example.net.", Type.A);
    fake.inject(Fault.servfail().everywhere());
    fake.clock().advance(Duration.ofSeconds(61));

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    Resolution.Failure failure = (Resolution.Failure) lookup.resolution();
    assertThat(failure.reason()).contains("SERVFAIL");
    assertThat(failure.stale()).isEqualTo(good.resolution());
    assertThat(lookup.freshness()).isEqualTo(Freshness.STALE);
    assertThat(lookup.ttl()).isEqualTo(30);
    assertThat(resolver.policy().withinMaxStale(resolver.policy().expiry(Objects.requireNonNull(failure.stale())),
            fake.clock().instant()))
        .isTrue();
  }

  @Test
  void upstreamIsAskedAgainNoMoreOftenThanEveryThirtySeconds() {
    AliasResolver resolver = Upstream.resolver(fake);
    lookup(resolver, "www.example.net.", Type.A);
    fake.inject(Fault.servfail().everywhere());
    fake.clock().advance(Duration.ofSeconds(61));

    lookup(resolver, "www.example.net.", Type.A);
    int afterFirstFailure = fake.queryCount();
    for (int i = 0; i < 29; i++) {
      fake.clock().advance(Duration.ofSeconds(1));
      assertThat(lookup(resolver, "www.example.net.", Type.A).freshness())
          .isEqualTo(Freshness.STALE);
    }
    assertThat(fake.queryCount()).isEqualTo(afterFirstFailure);

    fake.clock().advance(Duration.ofSeconds(1));
    lookup(resolver, "www.example.net.", Type.A);
    assertThat(fake.queryCount()).isEqualTo(afterFirstFailure + 1);
  }

  @Test
  void refusedAndTimeoutsServeStaleToo() {
    AliasResolver resolver =
        Upstream.resolverFor(fake).queryTimeout(Duration.ofMillis(200)).build();
    lookup(resolver, "www.example.net.", Type.A);
    fake.clock().advance(Duration.ofSeconds(61));
    fake.enqueue(Fault.refused());
    assertThat(lookup(resolver, "www.example.net.", Type.A).freshness())
        .isEqualTo(Freshness.STALE);

    fake.clock().advance(Duration.ofSeconds(31));
    fake.enqueue(Fault.drop());
    Lookup timedOut = lookup(resolver, "www.example.net.", Type.A);

    assertThat(timedOut.freshness()).isEqualTo(Freshness.STALE);
    assertThat(((Resolution.Failure) timedOut.resolution()).reason()).contains("timeout");
  }

  @Test
  void pastMaxStaleAFailureCarriesNoAnswer() {
    AliasResolver resolver =
        Upstream.resolver(fake, FlatteningPolicy.builder().maxStale(Duration.ofHours(1)).build());
    lookup(resolver, "www.example.net.", Type.A);
    fake.inject(Fault.servfail().everywhere());
    fake.clock().advance(Duration.ofSeconds(60).plus(Duration.ofHours(1)).plusSeconds(1));

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(lookup.answer()).isNull();
    assertThat(lookup.ttl()).isZero();
  }

  @Test
  void aFailureWithNoAnswerEverIsAPlainFailure() {
    AliasResolver resolver = Upstream.resolver(fake);
    fake.enqueue(Fault.servfail());

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(lookup.answer()).isNull();
    assertThat(resolver.stats().upstreamFailures()).isEqualTo(1);
  }

  @Test
  void theListenerHearsTheFailureAndTheStaleAnswer() {
    List<String> heard = new CopyOnWriteArrayList<>();
    AliasResolver resolver =
        Upstream.resolverFor(fake)
            .executor(Runnable::run)
            .listener(
                new ResolverListener() {
                  @Override
                  public void querySent(Name name, int type) {
                    heard.add("query " + name);
                  }

                  @Override
                  public void cacheMiss(Name name, int type) {
                    heard.add("miss " + name);
                  }

                  @Override
                  public void upstreamFailed(Name name, int type, String reason) {
                    heard.add("failed " + name);
                  }

                  @Override
                  public void staleServed(Name name, int type, String reason) {
                    heard.add("stale " + name);
                  }
                })
            .build();
    lookup(resolver, "www.example.net.", Type.A);
    fake.clock().advance(Duration.ofSeconds(61));
    fake.enqueue(Fault.servfail());
    heard.clear();

    lookup(resolver, "www.example.net.", Type.A);

    // The CNAME (300 s) is still fresh: only the expired A record's name is asked.
    assertThat(heard)
        .containsExactly(
            "miss www.example.net.",
            "query cdn.example.org.",
            "failed cdn.example.org.",
            "stale www.example.net.");
  }
}
