package org.aliasdns.server.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.aliasdns.server.ServerStats;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;

/** The counters behind {@link ServerStats}: the pipeline's reports plus the listeners' own. */
public final class ServerCounters implements PipelineListener {
  private final LongAdder udpQueries = new LongAdder();
  private final LongAdder tcpQueries = new LongAdder();
  private final LongAdder formerr = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder handlerFailures = new LongAdder();
  private final LongAdder listenerErrors = new LongAdder();
  private final LongAdder tcpAccepted = new LongAdder();
  private final LongAdder tcpRejected = new LongAdder();
  private final LongAdder tcpTimedOut = new LongAdder();
  private final LongAdder tcpEvicted = new LongAdder();
  private final LongAdder rateLimitDropped = new LongAdder();
  private final LongAdder rateLimitSlipped = new LongAdder();
  private final AtomicInteger tcpOpen = new AtomicInteger();
  private final AtomicLong tcpUnsent = new AtomicLong();
  private final AtomicInteger threads = new AtomicInteger();

  @Override
  public void received(Transport transport) {
    (transport == Transport.UDP ? udpQueries : tcpQueries).increment();
  }

  @Override
  public void dropped(String why) {
    dropped.increment();
  }

  @Override
  public void malformed(@Nullable Throwable cause) {
    formerr.increment();
  }

  @Override
  public void refused(String why) {
    rejected.increment();
  }

  @Override
  public void handlerFailed(Throwable cause) {
    handlerFailures.increment();
  }

  @Override
  public void cacheHit() {
    cacheHits.increment();
  }

  @Override
  public void truncated() {
    truncated.increment();
  }

  /** A listener thread caught an exception it did not expect, and carried on. */
  public void listenerError() {
    listenerErrors.increment();
  }

  /** A TCP connection was accepted. */
  public void tcpAccepted() {
    tcpAccepted.increment();
    tcpOpen.incrementAndGet();
  }

  /** An accepted TCP connection was closed. */
  public void tcpClosed() {
    tcpOpen.decrementAndGet();
  }

  /** A TCP connection was closed on accept, over the cap. */
  public void tcpRejected() {
    tcpRejected.increment();
  }

  /** An idle TCP connection was closed to make room for a new one. */
  public void tcpEvicted() {
    tcpEvicted.increment();
  }

  /**
   * The reply bytes TCP connections hold unsent changed.
   *
   * @param bytes how many were queued (positive) or written or dropped (negative)
   */
  public void tcpUnsent(long bytes) {
    tcpUnsent.addAndGet(bytes);
  }

  /** A TCP connection was closed for idleness. */
  public void tcpTimedOut() {
    tcpTimedOut.increment();
  }

  /** A UDP response over the rate limit was not sent. */
  public void rateLimitDropped() {
    rateLimitDropped.increment();
  }

  /** A UDP response over the rate limit went out truncated (slipped). */
  public void rateLimitSlipped() {
    rateLimitSlipped.increment();
  }

  /** A listener thread started. */
  public void threadStarted() {
    threads.incrementAndGet();
  }

  /** A listener thread ended. */
  public void threadEnded() {
    threads.decrementAndGet();
  }

  /**
   * Reads the counters. Each is read on its own, so a snapshot taken under load may be off by the
   * queries in flight.
   *
   * @param packetCacheBytes what the packet cache weighs now, in bytes
   * @return the snapshot
   */
  public ServerStats snapshot(long packetCacheBytes) {
    long udp = udpQueries.sum();
    long tcp = tcpQueries.sum();
    return new ServerStats(
        udp + tcp,
        udp,
        tcp,
        formerr.sum(),
        rejected.sum(),
        dropped.sum(),
        truncated.sum(),
        handlerFailures.sum(),
        tcpOpen.get(),
        tcpAccepted.sum(),
        tcpRejected.sum(),
        tcpTimedOut.sum(),
        tcpEvicted.sum(),
        tcpUnsent.get(),
        listenerErrors.sum(),
        threads.get(),
        cacheHits.sum(),
        packetCacheBytes,
        rateLimitDropped.sum(),
        rateLimitSlipped.sum());
  }
}
