package org.aliasdns.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Uses a ManualClock as code without Caffeine would; loaded by ManualClockTest in a bare loader. */
public final class ClockWithoutCaffeine implements Supplier<Instant> {
  @Override
  public Instant get() {
    ManualClock clock = ManualClock.create();
    clock.advance(Duration.ofSeconds(5));
    return clock.instant();
  }
}
