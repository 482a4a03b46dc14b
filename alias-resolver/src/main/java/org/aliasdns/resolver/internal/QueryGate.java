package org.aliasdns.resolver.internal;

import java.util.ArrayDeque;

/**
 * Back-pressure for upstream queries: at most {@code maxInFlight} run at once, at most {@code
 * maxQueued} wait for a slot, and a task that finds the queue full is refused at once rather
 * than queued without bound. A running task must call {@link #release()} exactly once when done.
 */
public final class QueryGate {
  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  /**
   * Creates a gate.
   *
   * @param maxInFlight tasks running at once, at least 1
   * @param maxQueued tasks waiting, 0 or more
   */
  public QueryGate(int maxInFlight, int maxQueued) {
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * Runs a task now if a slot is free, else queues it if the queue has room.
   *
   * @param task the task; it must lead to one {@link #release()}
   * @return false if the task was refused (queue full), true if it ran or was queued
   */
  public boolean submit(Runnable task) {
    synchronized (this) {
      if (running >= maxInFlight) {
        if (waiting.size() >= maxQueued) {
          return false;
        }
        waiting.add(task);
        return true;
      }
      running++;
    }
    task.run();
    return true;
  }

  /** Frees the caller's slot, handing it to the next waiting task if there is one. */
  public void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
        return;
      }
    }
    next.run();
  }

  /**
   * Returns the tasks running.
   *
   * @return the count
   */
  public synchronized int running() {
    return running;
  }

  /**
   * Returns the tasks waiting.
   *
   * @return the count
   */
  public synchronized int queued() {
    return waiting.size();
  }
}
