package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/** The journal's order under many threads, and takeQuery's timeout argument. */
class JournalOrderTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

  @Test
  void queriesFromManyThreadsAreListedAndTakenInSequenceOrder(FakeDns fake) throws Exception {
    int threads = 8;
    int each = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Resolver resolver = fake.resolver();
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            ask(resolver, "cdn.example.org.", i % 2 == 0 ? Type.A : Type.AAAA);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    long[] expected = LongStream.rangeClosed(1, threads * each).toArray();
    assertThat(fake.queries()).extracting(ReceivedQuery::sequence).containsExactly(
        LongStream.of(expected).boxed().toArray(Long[]::new));
    for (long n : expected) {
      assertThat(fake.takeQuery(Duration.ZERO).sequence()).isEqualTo(n);
    }
  }

  @Test
  void aQueryDecidedBeforeAnEarlierOneWaitsForItInTheJournal(FakeDns fake) throws Exception {
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.dispatcher(q -> {
      if (q.name().toString().startsWith("slow")) {
        slowEntered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Fault.answer(q.name() + " 60 A 192.0.2.1");
      }
      return Fault.none();
    });
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Resolver resolver = fake.resolver();
      Future<?> slow = other.submit(() -> ask(resolver, "slow.example.org.", Type.A));
      assertThat(slowEntered.await(60, TimeUnit.SECONDS)).isTrue();

      assertThat(ask(fake.resolver(), "cdn.example.org.", Type.A).getRcode())
          .isEqualTo(Rcode.NOERROR);
      assertThat(fake.queryCount()).isEqualTo(2); // counted at once
      assertThat(fake.queries()).isEmpty(); // listed after the first, which is still deciding

      release.countDown();
      slow.get(60, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }
    assertThat(fake.queries()).extracting(q -> q.sequence() + " " + q.name())
        .containsExactly("1 slow.example.org.", "2 cdn.example.org.");
    assertThat(fake.takeQuery().name().toString()).isEqualTo("slow.example.org.");
    assertThat(fake.takeQuery().name().toString()).isEqualTo("cdn.example.org.");
  }

  @Test
  void anEndlessTimeoutWaitsAsLongAsCanBeCounted(FakeDns fake, Resolver resolver)
      throws Exception {
    ask(resolver, "cdn.example.org.", Type.A);

    assertThat(fake.takeQuery(Duration.ofSeconds(Long.MAX_VALUE)).sequence()).isEqualTo(1);
  }

  @Test
  void aNegativeOrMissingTimeoutIsRefusedByName(FakeDns fake) {
    assertThatThrownBy(() -> fake.takeQuery(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout")
        .hasMessageContaining("PT-0.001S");
    Duration none = missing();
    assertThatThrownBy(() -> fake.takeQuery(none))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
  }

  /** A null, as code without null checks would pass one. */
  @SuppressWarnings("NullAway")
  private static Duration missing() {
    return null;
  }

  @Test
  void theBuildersOneArgumentExpectLetsEveryTypeOfTheNameThrough() throws Exception {
    try (FakeDns strict =
        FakeDns.recursive()
            .record("cdn.example.org. 60 A 192.0.2.10")
            .expect("cdn.example.org.")
            .build()) {
      Resolver resolver = strict.resolver();
      assertThat(ask(resolver, "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ask(resolver, "cdn.example.org.", Type.AAAA).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ask(resolver, "www.example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
      assertThatThrownBy(strict::verify).hasMessageContaining("1 unexpected query");
    }
  }
}
