package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Concurrent identical questions share one upstream query. */
class CoalescingTest {
  @Nullable FakeDns fake;
  ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void close() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void aThousandConcurrentLookupsOfAColdNameSendOneQueryPerFamily() throws Exception {
    fake =
        FakeDns.recursive()
            .record("www.example.net. 300 CNAME cdn.example.org.")
            .record("cdn.example.org. 60 A 192.0.2.10")
            .record("cdn.example.org. 60 AAAA 2001:db8::10")
            .build();
    fake.inject(Fault.delay(Duration.ofMillis(300)).everywhere());
    AliasResolver resolver = Upstream.resolverFor(fake).executor(pool).build();
    Name name = Upstream.name("www.example.net.");

    List<CompletableFuture<TargetLookup>> lookups = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lookups.add(
          CompletableFuture.supplyAsync(() -> resolver.resolveAddresses(name), pool)
              .thenCompose(stage -> stage));
    }
    CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0]))
        .get(20, TimeUnit.SECONDS);

    assertThat(fake.queryCount("www.example.net.", Type.A)).isEqualTo(1);
    assertThat(fake.queryCount("www.example.net.", Type.AAAA)).isEqualTo(1);
    assertThat(fake.queryCount()).isEqualTo(2);
    for (CompletableFuture<TargetLookup> lookup : lookups) {
      assertThat(lookup.join().resolutions()).allMatch(r -> r instanceof Resolution.Answer);
    }
    assertThat(resolver.stats().coalescedWaits()).isEqualTo(2 * 999);
    assertThat(resolver.stats().queriesSent()).isEqualTo(2);
  }

  @Test
  void pastTheInFlightLimitAndItsQueueALookupFailsAtOnce() throws Exception {
    fake = FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").build();
    fake.inject(Fault.delay(Duration.ofMillis(300)).everywhere());
    AliasResolver resolver =
        Upstream.resolverFor(fake).maxInFlight(1).maxQueued(1).build();

    CompletableFuture<Lookup> first =
        resolver.resolve(Upstream.name("a.example.org."), Type.A).toCompletableFuture();
    CompletableFuture<Lookup> queued =
        resolver.resolve(Upstream.name("b.example.org."), Type.A).toCompletableFuture();
    Lookup refused = Upstream.lookup(resolver, "c.example.org.", Type.A);

    assertThat(refused.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(((Resolution.Failure) refused.resolution()).reason()).contains("too many");
    assertThat(resolver.stats().rejected()).isEqualTo(1);
    assertThat(first.get(5, TimeUnit.SECONDS).resolution()).isNotInstanceOf(Resolution.Failure.class);
    assertThat(queued.get(5, TimeUnit.SECONDS).resolution())
        .isNotInstanceOf(Resolution.Failure.class);
  }
}
