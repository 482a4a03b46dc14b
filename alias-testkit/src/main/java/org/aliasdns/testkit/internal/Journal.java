package org.aliasdns.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.aliasdns.testkit.ReceivedQuery;
import org.jspecify.annotations.Nullable;

/** The queries a fake received: all of them, and those not yet taken. Thread-safe. */
public final class Journal {
  private final List<ReceivedQuery> all = new ArrayList<>();
  private final LinkedBlockingQueue<ReceivedQuery> untaken = new LinkedBlockingQueue<>();

  /**
   * Records a query under the next sequence number.
   *
   * @param make makes the entry from its sequence number
   * @return the entry
   */
  public ReceivedQuery record(LongFunction<ReceivedQuery> make) {
    ReceivedQuery q;
    synchronized (this) {
      q = make.apply(all.size() + 1L);
      all.add(q);
      untaken.add(q);
    }
    return q;
  }

  /**
   * Returns every query since the last clear.
   *
   * @return an immutable snapshot, in arrival order
   */
  public synchronized List<ReceivedQuery> all() {
    return List.copyOf(all);
  }

  /**
   * Takes the oldest query not yet taken, waiting for one.
   *
   * @param timeout how long to wait
   * @return the query, or null if none came in time
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable ReceivedQuery take(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Forgets every query; sequence numbers start again at 1. */
  public synchronized void clear() {
    all.clear();
    untaken.clear();
  }
}
