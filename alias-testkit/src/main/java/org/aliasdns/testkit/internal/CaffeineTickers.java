package org.aliasdns.testkit.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.function.LongSupplier;

/**
 * The one place the testkit touches Caffeine, kept apart so that {@code ManualClock} loads, and
 * works, without Caffeine on the class path.
 */
public final class CaffeineTickers {
  private CaffeineTickers() {}

  /**
   * Adapts a nanosecond source to a Caffeine ticker.
   *
   * @param nanos the reading
   * @return a ticker that returns the reading
   */
  public static Ticker of(LongSupplier nanos) {
    return nanos::getAsLong;
  }
}
