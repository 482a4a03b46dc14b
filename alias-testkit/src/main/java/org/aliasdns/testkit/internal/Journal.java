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
 * Entries are kept in the order of their sequence numbers, which is the order the queries
 * arrived in. Thread-safe.
 */
public final class Journal {
  /** How many entries are kept for {@link #all()} and {@link #take}. */
  public static final int RETAINED = 10_000;

  private final ArrayDeque<ReceivedQuery> all = new ArrayDeque<>();
  private final LinkedBlockingDeque<ReceivedQuery> untaken = new LinkedBlockingDeque<>();
  private final Map<Question, Integer> counts = new HashMap<>();
  private final List<ReceivedQuery> unexpected = new ArrayList<>();
  /** Entries that came before a lower sequence number was recorded: null for a cancelled one. */
  private final Map<Long, @Nullable ReceivedQuery> held = new HashMap<>();
  private long total;
  private long released; // the sequence number of the latest entry kept in order
  private long epoch; // the clears so far, in the high bits of a ticket

  private static final int SEQUENCE_BITS = 40;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

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
   * its reply is decided, or {@link #cancel} gives the number up. The query counts from now on.
   *
   * @return a ticket for {@link #add}: the sequence number ({@link #sequence}: 1 for the first
   *     query since the last clear, then 2, 3...) and the clear it belongs to
   */
  public synchronized long reserve() {
    return (epoch << SEQUENCE_BITS) | (++total & SEQUENCE_MASK);
  }

  /**
   * Returns the sequence number of a ticket.
   *
   * @param ticket from {@link #reserve()}
   * @return the number, from 1
   */
  public static long sequence(long ticket) {
    return ticket & SEQUENCE_MASK;
  }

  /**
   * Records a query whose ticket came from {@link #reserve()}. Entries are kept, and given to
   * {@link #take}, in the order of their sequence numbers: one whose predecessors are still
   * being decided (on other threads) waits for them. A ticket from before the last clear is
   * not recorded.
   *
   * @param ticket the query's ticket
   * @param q the entry
   * @return the entry
   */
  public ReceivedQuery add(long ticket, ReceivedQuery q) {
    synchronized (this) {
      if (ticket >>> SEQUENCE_BITS != epoch) {
        return q; // reserved before a clear: it belongs to the journal that was cleared
      }
      Question key = new Question(q.name(), q.type());
      Integer before = counts.get(key);
      counts.put(key, before == null ? 1 : before + 1);
      long sequence = sequence(ticket);
      if (sequence == released + 1) {
        append(q);
        releaseHeld();
      } else {
        held.put(sequence, q);
      }
    }
    return q;
  }

  /**
   * Gives up a reserved number whose query will not be recorded (its handling failed), so the
   * entries after it are not held back.
   *
   * @param ticket the ticket
   */
  public synchronized void cancel(long ticket) {
    if (ticket >>> SEQUENCE_BITS != epoch) {
      return;
    }
    long sequence = sequence(ticket);
    if (sequence == released + 1) {
      released = sequence;
      releaseHeld();
    } else {
      held.put(sequence, null);
    }
  }

  private void releaseHeld() {
    while (!held.isEmpty() && held.containsKey(released + 1)) {
      ReceivedQuery next = held.remove(released + 1);
      if (next != null) {
        append(next);
      } else {
        released++;
      }
    }
  }

  private void append(ReceivedQuery q) {
    released++;
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
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE; // some 292 years: as long as a wait can be
    }
    return untaken.pollFirst(nanos, TimeUnit.NANOSECONDS);
  }

  /** Forgets every query; sequence numbers start again at 1. */
  public synchronized void clear() {
    all.clear();
    untaken.clear();
    counts.clear();
    unexpected.clear();
    held.clear();
    total = 0;
    released = 0;
    epoch = (epoch + 1) & ((1L << (Long.SIZE - SEQUENCE_BITS - 1)) - 1);
  }
}
