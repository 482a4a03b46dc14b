package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aliasdns.resolver.ResolverListener;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Sends questions upstream: identical questions in flight share one query (coalescing), at
 * most a bounded number run at once with a bounded queue behind them, each has a timeout, and
 * each response is checked and reduced to a {@link Step} by {@link ResponseParser}. The query
 * that is sent caches what it accepted before anyone waiting on it goes on, and remembers a
 * failure for the failure-recheck interval (RFC 8767 §5).
 */
final class UpstreamQueries {
  private final Settings settings;
  private final InstantSource clock;
  private final ResolverListener listener;
  private final Counters counters;
  private final ChainCache cache;
  private final QueryGate gate;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<Step>> inFlight =
      new ConcurrentHashMap<>();
  /** When each question last failed upstream. */
  private final Cache<CacheKey, Instant> failures;

  UpstreamQueries(Settings settings, Counters counters, ChainCache cache) {
    this.settings = settings;
    this.clock = settings.clock();
    this.listener = settings.listener();
    this.counters = counters;
    this.cache = cache;
    this.gate = new QueryGate(settings.maxInFlight(), settings.maxQueued());
    this.failures =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(settings.failureRecheck())
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
  }

  /**
   * Tells why a question may not be asked now: it failed less than the failure-recheck interval
   * ago (RFC 8767 §5).
   *
   * @return the reason, or null if the question may be asked
   */
  @Nullable String recheckWait(Name name, int type, Instant now) {
    Instant failedAt = failures.getIfPresent(new CacheKey(name, type));
    if (failedAt == null) {
      return null;
    }
    Instant next = failedAt.plus(settings.failureRecheck());
    if (!now.isBefore(next)) {
      return null;
    }
    return "upstream failed for " + new CacheKey(name, type) + " at " + failedAt
        + "; not asked again before " + next;
  }

  /** Asks one question, or joins the query for it already in flight. */
  CompletableFuture<Step> ask(Name name, int type) {
    CacheKey question = new CacheKey(name, type);
    CompletableFuture<Step> mine = new CompletableFuture<>();
    CompletableFuture<Step> running = inFlight.putIfAbsent(question, mine);
    if (running != null) {
      counters.coalescedWaits.increment();
      Listeners.call(() -> listener.coalesced(name, type));
      return running;
    }
    boolean accepted =
        gate.submit(
            () -> {
              CompletableFuture<Step> unused =
                  send(name, type)
                      .whenComplete(
                          (step, error) -> {
                            gate.release();
                            settle(question, mine, step, error);
                          });
            });
    if (!accepted) {
      counters.rejected.increment();
      settle(
          question,
          mine,
          null,
          new UpstreamFailure(
              "too many upstream queries: " + settings.maxInFlight() + " in flight and "
                  + settings.maxQueued() + " queued"));
    }
    return mine;
  }

  private void settle(
      CacheKey question,
      CompletableFuture<Step> mine,
      @Nullable Step step,
      @Nullable Throwable error) {
    try {
      if (step != null && step.outcome() != Step.Outcome.FAILED) {
        cache.store(step);
        failures.invalidate(question);
      } else {
        String why = step != null ? String.valueOf(step.failure()) : reason(error);
        counters.upstreamFailures.increment();
        Listeners.call(() -> listener.upstreamFailed(question.name(), question.type(), why));
        if (!settings.failureRecheck().isZero()) {
          failures.put(question, clock.instant());
        }
      }
    } finally {
      // Removed only after the cache holds the answer, so a lookup that misses the in-flight
      // query finds the cache entry instead.
      inFlight.remove(question, mine);
      if (step != null) {
        mine.complete(step);
      } else {
        mine.completeExceptionally(
            error == null ? new UpstreamFailure("no response") : unwrap(error));
      }
    }
  }

  private CompletableFuture<Step> send(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    counters.queriesSent.increment();
    Listeners.call(() -> listener.querySent(name, type));
    CompletableFuture<Message> response = new CompletableFuture<>();
    try {
      CompletableFuture<Message> unused =
          settings
              .upstream()
              .sendAsync(query, settings.executor())
              .toCompletableFuture()
              .whenComplete(
                  (message, error) -> {
                    if (error != null) {
                      response.completeExceptionally(error);
                    } else {
                      response.complete(message);
                    }
                  });
    } catch (RuntimeException e) {
      response.completeExceptionally(e);
    }
    return response
        .orTimeout(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            message -> {
              try {
                return ResponseParser.parse(query, message, clock.instant());
              } catch (UpstreamFailure e) {
                throw new CompletionException(e);
              }
            });
  }

  /** Says what went wrong, in words fit for a log line and a {@code Resolution.Failure}. */
  String reason(@Nullable Throwable error) {
    if (error == null) {
      return "no response";
    }
    Throwable t = unwrap(error);
    if (t instanceof UpstreamFailure) {
      return String.valueOf(t.getMessage());
    }
    if (t instanceof TimeoutException) {
      return "timeout after " + settings.queryTimeout().toMillis() + " ms";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
