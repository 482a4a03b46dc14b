package org.aliasdns.resolver.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.resolver.ResolverListener;
import org.aliasdns.resolver.Security;
import org.aliasdns.resolver.TrustAnchors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

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
  private final UpstreamSet upstreams;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<Step>> inFlight =
      new ConcurrentHashMap<>();
  /** When each question last failed upstream, and how. */
  private final Cache<CacheKey, Failed> failures;
  /** A failed RRset as dnsjava's validator quotes it: owner and type kept. */
  private static final java.util.regex.Pattern RRSET_DUMP =
      java.util.regex.Pattern.compile("\\{ (\\S+) \\d+ \\S+ (\\S+) [^}]*\\}");

  /** Each server's validator, when the resolver has trust anchors; empty otherwise. */
  private final Map<UpstreamSet.Server, Resolver> validators = new IdentityHashMap<>();

  /** One remembered failure: when and what. */
  private record Failed(Instant at, UpstreamFailure failure) {}

  UpstreamQueries(Settings settings, Counters counters, ChainCache cache) {
    this.settings = settings;
    this.clock = settings.clock();
    this.listener = settings.listener();
    this.counters = counters;
    this.cache = cache;
    this.gate = new QueryGate(settings.maxInFlight(), settings.maxQueued());
    this.upstreams = settings.upstreams();
    this.failures =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(settings.failureRecheck())
            .ticker(settings.ticker())
            .executor(settings.executor())
            .build();
    TrustAnchors anchors = settings.trustAnchors();
    if (anchors != null) {
      for (UpstreamSet.Server server : upstreams.servers()) {
        validators.put(
            server, ValidatedTransport.over(
                server.transport(), anchors, settings.clock(), settings.signatureSkew()));
      }
    }
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
    List<UpstreamSet.Server> all = upstreams.servers();
    if (all.size() == 1) {
      // One server: the attempt is the question, with the whole query timeout (as it always was).
      return attempt(query, all.get(0), settings.queryTimeout().toNanos());
    }
    List<UpstreamSet.Server> order = upstreams.order(clock.instant());
    CompletableFuture<Step> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + settings.queryTimeout().toNanos();
    next(query, order, 0, deadline, null, result);
    return result;
  }

  /**
   * Tries the server at {@code index} and, if it fails with time left, the next one; completes
   * {@code result} with the first accepted step, or with the last failure.
   */
  private void next(
      Message query,
      List<UpstreamSet.Server> order,
      int index,
      long deadline,
      @Nullable Throwable lastError,
      CompletableFuture<Step> result) {
    long left = deadline - System.nanoTime();
    if (index >= order.size() || left <= 0) {
      upstreams.notAsked(order, index);
      result.completeExceptionally(lastError == null ? failure(null) : lastError);
      return;
    }
    boolean last = index == order.size() - 1;
    long wait = last ? left : Math.min(left, upstreams.attemptNanos(settings.queryTimeout()));
    // Each attempt after the first goes out with a fresh message id (RFC 5452 §9.2).
    Message sent = index == 0 ? query : Message.newQuery(query.getQuestion());
    CompletableFuture<Step> unused =
        attempt(sent, order.get(index), wait)
            .whenComplete(
                (step, error) -> {
                  if (error == null && step.outcome() != Step.Outcome.FAILED) {
                    result.complete(step);
                  } else if (index == order.size() - 1 || deadline - System.nanoTime() <= 0) {
                    // Nothing left to try: the last server's word stands (a failed step keeps
                    // the chain so far, which tells a loop from an outage).
                    upstreams.notAsked(order, index + 1);
                    if (error == null) {
                      result.complete(step);
                    } else {
                      result.completeExceptionally(error);
                    }
                  } else {
                    UpstreamFailure f = error == null ? step.failure() : null;
                    next(query, order, index + 1, deadline, f != null ? f : error, result);
                  }
                });
  }

  /**
   * Sends the query to one server and waits at most {@code waitNanos}; records the server's
   * health and counters. Completes with an accepted step, a failed step (an error code with a
   * chain), or exceptionally with an {@link UpstreamFailure}.
   */
  private CompletableFuture<Step> attempt(Message query, UpstreamSet.Server server, long waitNanos) {
    Record question = query.getQuestion();
    Name name = question.getName();
    int type = question.getType();
    counters.queriesSent.increment();
    server.queries.increment();
    long epoch = server.epoch();
    Listeners.call(() -> listener.querySent(name, type));
    CompletableFuture<Message> response = new CompletableFuture<>();
    try {
      CompletableFuture<Message> unused =
          (validators.isEmpty()
                  ? server.transport()
                  : Objects.requireNonNullElse(validators.get(server), server.transport()))
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
        .orTimeout(waitNanos, TimeUnit.NANOSECONDS)
        .handle((message, error) -> settle(query, server, epoch, waitNanos, message, error));
  }

  /**
   * Judges what one attempt got: an accepted step marks the server up; a failed step or an
   * error counts against it. (A method rather than a lambda body, so the single-server path
   * allocates no more per query than before failover existed.)
   */
  private Step settle(
      Message query,
      UpstreamSet.Server server,
      long epoch,
      long waitNanos,
      @Nullable Message message,
      @Nullable Throwable error) {
    Record question = query.getQuestion();
    UpstreamFailure why;
    if (error == null && message != null) {
      try {
        Step step =
            validators.isEmpty()
                ? ResponseParser.parse(query, message, clock.instant())
                    .capped(settings.policy().ttlCap())
                : validated(query, server, epoch, message);
        if (step.outcome() != Step.Outcome.FAILED) {
          upstreams.answered(server, epoch, listener);
          try {
            listener.upstreamAnswered(server.name(), question.getName(), question.getType());
          } catch (RuntimeException ignored) {
            // A listener's failure is its own; resolution goes on.
          }
          return step;
        }
        UpstreamFailure f = step.failure();
        if (f != null && f.kind().isBogus()) {
          return step; // the server answered: see validated
        }
        record(server, f != null ? f : failure(null), question.getName(), question.getType());
        return step;
      } catch (UpstreamFailure e) {
        why = e;
      }
    } else {
      why = UpstreamFailure.of(error, TimeUnit.NANOSECONDS.toMillis(waitNanos));
    }
    record(server, why, question.getName(), question.getType());
    throw new CompletionException(why);
  }

  /**
   * Parses a response the validator judged: a bogus one is a failed step (RFC 4035 §5.5: bogus
   * data is never used); the server answered, so it is told so and its health is untouched,
   * though the question may still go on to another server (see next). Any other is parsed and
   * marked secure if the validator set AD, which it does only when every RRset and proof was
   * secure (RFC 4035 §3.2.3), else insecure.
   */
  private Step validated(Message query, UpstreamSet.Server server, long epoch, Message message)
      throws UpstreamFailure {
    Record question = query.getQuestion();
    UpstreamFailure bogus = bogus(message);
    if (bogus != null) {
      upstreams.answered(server, epoch, listener);
      Listeners.call(
          () -> listener.attemptFailed(
              server.name(), question.getName(), question.getType(), bogus.reason()));
      return Step.failed(
          question.getName(), question.getType(), List.of(), clock.instant(), bogus);
    }
    return ResponseParser.parse(query, message, clock.instant())
        .capped(settings.policy().ttlCap())
        .withSecurity(
            message.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE);
  }

  /**
   * Returns the failure a validated response stands for if the validator found it bogus: a
   * SERVFAIL carrying the validator's reason (a TXT record of its private class in the
   * additional section) and, where it gives one, its Extended DNS Error (RFC 8914); else null.
   */
  private static @Nullable UpstreamFailure bogus(Message response) {
    if (response.getRcode() != Rcode.SERVFAIL) {
      return null;
    }
    String reason = null;
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        // The strings' own bytes, as UTF-8: getStrings() escapes each byte above 0x7e as
        // \DDD (RFC 1035 §5.1), which would reach logs and EDE text as "\194\167" for "§".
        StringBuilder text = new StringBuilder();
        for (byte[] part : txt.getStringsAsByteArrays()) {
          text.append(new String(part, StandardCharsets.UTF_8));
        }
        reason = text.toString();
      }
    }
    if (reason == null) {
      return null; // the upstream's own SERVFAIL, passed through
    }
    // The validator quotes a failed RRset whole ("{ owner ttl IN type rdata sigs: [...] }"):
    // name it by owner and type only, so bogus data never reaches logs or EDE text.
    reason = RRSET_DUMP.matcher(reason).replaceAll("$1 $2");
    Kind kind = Kind.BOGUS;
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        if (o instanceof ExtendedErrorCodeOption ede) {
          reason += " (EDE " + ede.getErrorCode() + ")";
          // RFC 8914 §4.8/§4.9: a signature out of time (beyond the skew tolerance, see
          // ValidatedTransport) is told apart from other bogus answers.
          if (ede.getErrorCode() == ExtendedErrorCodeOption.SIGNATURE_EXPIRED) {
            kind = Kind.SIGNATURE_EXPIRED;
          } else if (ede.getErrorCode() == ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID) {
            kind = Kind.SIGNATURE_NOT_YET_VALID;
          }
        }
      }
    }
    return new UpstreamFailure(kind, "validation failed: " + reason);
  }

  private void record(UpstreamSet.Server server, UpstreamFailure why, Name name, int type) {
    upstreams.failed(server, why, clock.instant(), listener);
    Listeners.call(() -> listener.attemptFailed(server.name(), name, type, why.reason()));
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
