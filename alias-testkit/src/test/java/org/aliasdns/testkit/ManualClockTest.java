package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void startsAtTheFirstOfJanuary2026() {
    assertThat(ManualClock.create().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void movesOnlyWhenAdvanced() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-21T10:00:00Z"));

    clock.advance(Duration.ofSeconds(90));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-21T10:01:30Z"));
    assertThat(clock.nanos()).isEqualTo(Duration.ofSeconds(90).toNanos());
    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-11-21T10:01:30Z").toEpochMilli());
  }

  @Test
  void theDefaultStartIsTheFirstOf2026AsDocumented() {
    assertThat(ManualClock.DEFAULT_START).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void setMovesToAnInstantAndResetBackToTheStart() {
    ManualClock clock = ManualClock.create();

    clock.set(Instant.parse("2026-06-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
    clock.reset();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void refusesToAdvanceBackwards() {
    assertThatThrownBy(() -> ManualClock.create().advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isAnInstantSourceForCodeThatTakesOne() {
    InstantSource source = ManualClock.create();

    assertThat(source.instant()).isEqualTo(ManualClock.DEFAULT_START);
  }

  @Test
  void itsTickerExpiresCaffeineEntriesWhenAdvanced() {
    ManualClock clock = ManualClock.create();
    Cache<String, String> cache =
        Caffeine.newBuilder()
            .ticker(clock.ticker())
            .expireAfterWrite(Duration.ofSeconds(60))
            .executor(Runnable::run)
            .build();
    cache.put("cdn.example.org.", "192.0.2.10");

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.getIfPresent("cdn.example.org.")).isEqualTo("192.0.2.10");
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.getIfPresent("cdn.example.org.")).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void loadsAndWorksWithoutCaffeine() throws Exception {
    // A loader that sees the testkit's classes, one class of this test, and the JDK; no Caffeine.
    URL testkit = ManualClock.class.getProtectionDomain().getCodeSource().getLocation();
    URL tests = ClockWithoutCaffeine.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader bare =
        new URLClassLoader(new URL[] {testkit, tests}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> Class.forName("com.github.benmanes.caffeine.cache.Ticker", false, bare))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> user = Class.forName(ClockWithoutCaffeine.class.getName(), true, bare);

      Supplier<Instant> clock = (Supplier<Instant>) user.getConstructor().newInstance();

      assertThat(clock.get()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
    }
  }
}
