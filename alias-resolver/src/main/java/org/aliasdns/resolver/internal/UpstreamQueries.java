package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution.Failure.Kind;
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
  /** When each question last failed upstream, and how. */
  private final Cache<CacheKey, Failed> failures;

  /** One remembered failure: when and what. */
  private record Failed(Instant at, UpstreamFailure failure) {}

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
   * ago (RFC 8767 §5). The failure keeps the kind of the one remembered: what failed is still
   * what failed.
   *
   * @return the failure, or null if the question may be asked
   */
  @Nullable UpstreamFailure recheckWait(Name name, int type, Instant now) {
    Failed failed = failures.getIfPresent(new CacheKey(name, type));
    if (failed == null) {
      return null;
    }
    Instant next = failed.at().plus(settings.failureRecheck());
    if (!now.isBefore(next)) {
      return null;
    }
    return new UpstreamFailure(
        failed.failure().kind(),
        failed.failure().reason() + " (failed at " + failed.at() + "; a failure is held "
            + settings.failureRecheck().toSeconds() + " s before the question is asked again,"
            + " RFC 8767 §5)");
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
              Kind.OVERLOADED,
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
        UpstreamFailure why =
            step != null && step.failure() != null ? step.failure() : failure(error);
        counters.upstreamFailures.increment();
        Listeners.call(
            () -> listener.upstreamFailed(question.name(), question.type(), why.reason()));
        if (!settings.failureRecheck().isZero() && why.kind() != Kind.OVERLOADED) {
          // Overload is ours, not the upstream's: the question was never asked.
          failures.put(question, new Failed(clock.instant(), why));
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
            error == null ? failure(null) : UpstreamFailure.unwrap(error));
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
    long cap = settings.policy().ttlCap();
    return response
        .orTimeout(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            message -> {
              try {
                return ResponseParser.parse(query, message, clock.instant()).capped(cap);
              } catch (UpstreamFailure e) {
                throw new CompletionException(e);
              }
            });
  }

  /**
   * Says what went wrong, typed and in words fit for a log line and a {@code
   * Resolution.Failure}.
   *
   * @param error what ended the query exceptionally, or null if nothing came
   * @return the failure
   */
  UpstreamFailure failure(@Nullable Throwable error) {
    return UpstreamFailure.of(error, settings.queryTimeout().toMillis());
  }
}
