package org.aliasdns.testkit.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.aliasdns.testkit.ReceivedQuery;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The queries a fake received. It keeps the latest {@link #RETAINED} entries (the oldest go
 * first, so a long load test does not grow memory without bound) and exact counts of every
 * query ever recorded since the last clear: in all, per name and type, and unexpected ones.
 * Thread-safe.
 */
public final class Journal {
  /** How many entries are kept for {@link #all()} and {@link #take}. */
  public static final int RETAINED = 10_000;

  private final ArrayDeque<ReceivedQuery> all = new ArrayDeque<>();
  private final LinkedBlockingDeque<ReceivedQuery> untaken = new LinkedBlockingDeque<>();
  private final Map<Question, Integer> counts = new HashMap<>();
  private final List<ReceivedQuery> unexpected = new ArrayList<>();
  private long total;

  /**
   * A name (dnsjava's {@link Name} compares case-insensitively) and a type. Not a record: a
   * record's equals and hashCode are linked at first use, which costs the first query of a JVM a
   * few milliseconds.
   */
  private static final class Question {
    private final Name name;
    private final int type;

    Question(Name name, int type) {
      this.name = name;
      this.type = type;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Question q && q.type == type && q.name.equals(name);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + type;
    }
  }

  /**
   * Takes the next sequence number for a query that has arrived; {@link #add} records it once
   * its reply is decided. The query counts from now on.
   *
   * @return 1 for the first query since the last clear, then 2, 3...
   */
  public synchronized long reserve() {
    return ++total;
  }

  /**
   * Records a query whose sequence number came from {@link #reserve()}.
   *
   * @param q the entry
   * @return the entry
   */
  public ReceivedQuery add(ReceivedQuery q) {
    synchronized (this) {
      Question key = new Question(q.name(), q.type());
      Integer before = counts.get(key);
      counts.put(key, before == null ? 1 : before + 1);
      if (q.unexpected() && unexpected.size() < RETAINED) {
        unexpected.add(q);
      }
      all.addLast(q);
      if (all.size() > RETAINED) {
        all.removeFirst();
      }
      untaken.addLast(q);
      if (untaken.size() > RETAINED) {
        untaken.pollFirst();
      }
    }
    return q;
  }

  /**
   * Returns the queries kept: every one since the last clear, up to the latest {@link
   * #RETAINED}.
   *
   * @return an immutable snapshot, in arrival order
   */
  public synchronized List<ReceivedQuery> all() {
    return List.copyOf(all);
  }

  /**
   * Returns how many queries were recorded since the last clear.
   *
   * @return the count, kept or not
   */
  public synchronized long total() {
    return total;
  }

  /**
   * Returns how many queries asked for a name and type since the last clear.
   *
   * @param name the name, any case
   * @param type the type
   * @return the count, kept or not
   */
  public synchronized int count(Name name, int type) {
    return counts.getOrDefault(new Question(name, type), 0);
  }

  /**
   * Returns the unexpected queries since the last clear (at most {@link #RETAINED}).
   *
   * @return an immutable snapshot, in arrival order
   */
  public synchronized List<ReceivedQuery> unexpected() {
    return List.copyOf(unexpected);
  }

  /**
   * Takes the oldest query not yet taken, waiting for one.
   *
   * @param timeout how long to wait
   * @return the query, or null if none came in time
   * @throws InterruptedException if interrupted while waiting
   */
  public @Nullable ReceivedQuery take(Duration timeout) throws InterruptedException {
    return untaken.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Forgets every query; sequence numbers start again at 1. */
  public synchronized void clear() {
    all.clear();
    untaken.clear();
    counts.clear();
    unexpected.clear();
    total = 0;
  }
}
