package org.aliasdns.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.aliasdns.testkit.internal.CaffeineTickers;

/**
 * A clock that moves only when a test moves it: the time a {@link FakeDns} stamps on its journal,
 * checks fault rules against and counts TTLs down by, shared with the code under test (through
 * {@link InstantSource}, or through {@link #ticker()} for a Caffeine cache). Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.create();   // 2026-01-01T00:00:00Z
 * clock.advance(Duration.ofSeconds(30));
 * clock.instant();                            // 2026-01-01T00:00:30Z
 * }</pre>
 *
 * <p>{@link #nanos()} counts from the clock's start instant, so it is small and never negative
 * until the clock is {@link #set} to before its start.
 *
 * @since 0.1
 */
public final class ManualClock implements InstantSource {
  /** Where a clock made by {@link #create()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.ofEpochSecond(1_767_225_600L);
  // (not Instant.parse: the date-time parser costs the first fake of a JVM some 60 classes)

  private final Instant start;
  private final AtomicLong offsetNanos = new AtomicLong();

  private ManualClock(Instant start) {
    this.start = start;
  }

  /**
   * Creates a clock at {@link #DEFAULT_START}.
   *
   * @return a new clock
   */
  public static ManualClock create() {
    return new ManualClock(DEFAULT_START);
  }

  /**
   * Creates a clock at a given instant.
   *
   * @param start the instant the clock shows until it is moved, and goes back to on {@link
   *     #reset()}
   * @return a new clock
   */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(Objects.requireNonNull(start, "start"));
  }

  /**
   * Returns the current instant of this clock.
   *
   * @return the start instant plus every advance since
   */
  @Override
  public Instant instant() {
    return start.plusNanos(offsetNanos.get());
  }

  /**
   * Returns the nanoseconds since the start instant, as a {@code System.nanoTime()}-style reading.
   *
   * @return the elapsed nanoseconds; negative only if the clock was set before its start
   */
  public long nanos() {
    return offsetNanos.get();
  }

  /**
   * Returns the instant this clock started at, and goes back to on {@link #reset()}.
   *
   * @return the start instant
   */
  public Instant start() {
    return start;
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far; zero is allowed
   * @return the new instant
   * @throws IllegalArgumentException if the duration is negative (use {@link #set} to go back)
   * @throws ArithmeticException if the clock would move more than about 292 years from its start
   */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("advance needs a duration of zero or more, was " + duration);
    }
    long nanos = duration.toNanos();
    offsetNanos.getAndUpdate(now -> Math.addExact(now, nanos));
    return instant();
  }

  /**
   * Sets the clock to an instant, forwards or backwards. Going backwards confuses caches that
   * read {@link #ticker()}; prefer {@link #advance}.
   *
   * @param instant the new time
   * @throws ArithmeticException if the instant is more than about 292 years from the start
   */
  public void set(Instant instant) {
    offsetNanos.set(Duration.between(start, instant).toNanos());
  }

  /** Puts the clock back to its start instant. */
  public void reset() {
    offsetNanos.set(0);
  }

  /**
   * Returns a Caffeine {@code Ticker} that reads {@link #nanos()}, for a cache under test: {@code
   * Caffeine.newBuilder().ticker(clock.ticker())}. Caffeine is an optional dependency of the
   * testkit; only this method needs it on the class path (and reflection that lists this class's
   * methods, as {@code Class.getMethods()} does, since it resolves this method's return type).
   *
   * @return a ticker view of this clock
   * @throws NoClassDefFoundError if Caffeine is not on the class or module path
   */
  public com.github.benmanes.caffeine.cache.Ticker ticker() {
    return CaffeineTickers.of(this::nanos);
  }

  /** Returns the current instant, e.g. {@code ManualClock[2026-01-01T00:00:30Z]}. */
  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
