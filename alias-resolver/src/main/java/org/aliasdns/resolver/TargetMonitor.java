package org.aliasdns.resolver;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Hop;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Resolution;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Keeps a set of alias targets fresh in the background and reports, one batch per refresh
 * round, what changed: addresses (and, when the policy flattens HTTPS, the HTTPS RRset, RFC
 * 9460) and status (fresh, stale, no addresses, unresolved). The feed
 * for re-flattening, serial bumps and NOTIFY; {@link LiveZone} is built on it.
 *
 * <p>Each watched target is refreshed per family when its answer's TTL runs out, capped at the
 * policy's {@link org.aliasdns.core.FlatteningPolicy#ttlCap() TTL cap} (the published TTL, so
 * the cap also bounds how long a moved target goes unnoticed; negative TTLs are capped the same
 * way), plus a random jitter so that many targets do not refresh together. After a failure
 * (SERVFAIL, REFUSED, timeout, a loop) it is retried with exponential backoff and the last good
 * addresses are kept as {@link TargetStatus#STALE stale}, never replaced by an empty set, until
 * the policy's max stale past their expiry runs out (RFC 8767 §4): then the target is {@link
 * TargetStatus#UNRESOLVED unresolved}, and that is reported too, on time, without polling.
 * NXDOMAIN and NODATA are answers: they empty the set ({@link TargetStatus#NO_ADDRESSES}).
 *
 * <p>The monitor runs nothing by itself. {@link #runDue()} is one refresh round: it refreshes
 * whatever is due by the resolver's clock and, once all of those refreshes are done, tells each
 * {@link TargetListener} once what changed, if anything. A test advances its manual clock and
 * calls it. For real use, {@link #start(ScheduledExecutorService, Duration)} calls it on a
 * schedule until {@link #close()}.
 *
 * <p>One monitor can serve many zones: {@link #watch} counts, so zones that share a target each
 * watch it and unwatch it, and it is refreshed once for all of them; {@link #results(Collection)}
 * hands each zone the results of its own targets only. A zone that {@link #subscribe}s to its
 * targets is told of a round only when it changed one of them, and only of those changes: a
 * round costs the changes times the zones that use each changed target, not every zone times
 * every change.
 *
 * @since 0.1
 */
public final class TargetMonitor implements AutoCloseable {
  private final AliasResolver resolver;
  private final FlatteningPolicy policy;
  private final Duration jitter;
  private final Duration minRefresh;
  private final Duration retryInitial;
  private final Duration retryMax;
  private final RandomGenerator random;
  private final int maxConcurrentRefreshes;
  private final Map<Name, Watched> watched = new ConcurrentHashMap<>();
  private final List<TargetListener> listeners = new CopyOnWriteArrayList<>();
  /** The subscriptions of each target: who is told of its changes. */
  private final Map<Name, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private @Nullable ScheduledFuture<?> schedule;

  private TargetMonitor(Builder b) {
    this.resolver = b.resolver;
    this.policy = b.resolver.policy();
    this.jitter = b.jitter;
    this.minRefresh = b.minRefresh;
    this.retryInitial = b.retryInitial;
    this.retryMax = b.retryMax;
    this.random = b.random == null ? new SplittableRandom() : b.random;
    this.maxConcurrentRefreshes = b.maxConcurrentRefreshes;
  }

  /**
   * Starts a monitor over a resolver; its clock and policy (TTL cap, max stale, families) are
   * the resolver's.
   *
   * @param resolver the resolver that does the lookups
   * @return a builder
   */
  public static Builder builder(AliasResolver resolver) {
    return new Builder(Objects.requireNonNull(resolver, "resolver"));
  }

  /**
   * Returns the resolver the lookups go through.
   *
   * @return the resolver given to {@link #builder}
   */
  public AliasResolver resolver() {
    return resolver;
  }

  /**
   * Watches a target: it is due at once and then kept fresh. Watches are counted: a target
   * watched twice stays watched until it is unwatched twice, so zones that share a monitor can
   * each watch their own targets.
   *
   * @param target an absolute name
   * @return true if the target was not watched before
   * @throws IllegalArgumentException if the name is relative
   */
  public boolean watch(Name target) {
    if (!target.isAbsolute()) {
      throw new IllegalArgumentException("target must be absolute: " + target);
    }
    boolean[] added = {false};
    watched.compute(
        target,
        (name, w) -> {
          if (w == null) {
            added[0] = true;
            return new Watched(name, resolver.clock().instant());
          }
          w.watchers++;
          return w;
        });
    return added[0];
  }

  /**
   * Takes back one {@link #watch} of a target; after the last one the target is no longer
   * refreshed and its state is forgotten.
   *
   * @param target the name
   * @return true if it was watched
   */
  public boolean unwatch(Name target) {
    boolean[] was = {false};
    watched.computeIfPresent(
        target,
        (name, w) -> {
          was[0] = true;
          return --w.watchers > 0 ? w : null;
        });
    return was[0];
  }

  /**
   * Returns the watched targets.
   *
   * @return an unmodifiable snapshot
   */
  public Set<Name> targets() {
    return Set.copyOf(watched.keySet());
  }

  /**
   * Adds a listener, told once per refresh round that changed anything.
   *
   * @param listener the listener
   */
  public void addListener(TargetListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Watches some targets ({@link #watch}, counted) and tells a listener of each refresh round
   * that changed any of them, with those changes only, in the order of {@link
   * RefreshRound#changes()}: what one zone of many on a shared monitor needs, without looking at
   * the changes of the others. In a round, every subscription concerned is told before the
   * {@link #addListener listeners}, each once, on the thread that finished the round.
   *
   * @param targets absolute names; repeated ones count once
   * @param listener told of the rounds that changed these targets
   * @return the subscription; {@link Subscription#close()} unwatches the targets
   * @throws IllegalArgumentException if a name is relative
   * @since 0.1
   */
  public Subscription subscribe(Collection<Name> targets, TargetListener listener) {
    Objects.requireNonNull(listener, "listener");
    List<Name> distinct = List.copyOf(new LinkedHashSet<>(targets));
    for (Name target : distinct) {
      if (!target.isAbsolute()) {
        throw new IllegalArgumentException("target must be absolute: " + target);
      }
    }
    Subscription subscription = new Subscription(distinct, listener);
    for (Name target : distinct) {
      watch(target);
      // An array per target rather than a concurrent set: with thousands of zones subscribed,
      // a node per zone and target was a large part of what the monitor kept.
      subscribers.computeIfAbsent(target, t -> new CopyOnWriteArraySet<>()).add(subscription);
    }
    return subscription;
  }

  /**
   * A listener's interest in some targets of a {@link TargetMonitor} ({@link #subscribe}).
   *
   * @since 0.1
   */
  public final class Subscription implements AutoCloseable {
    private final List<Name> targets;
    private final TargetListener listener;
    private boolean closed;

    private Subscription(List<Name> targets, TargetListener listener) {
      this.targets = targets;
      this.listener = listener;
    }

    /**
     * Returns the targets subscribed to.
     *
     * @return the distinct targets, in the order given
     */
    public List<Name> targets() {
      return targets;
    }

    /**
     * Stops telling the listener, and takes back the watch of each target (a target other
     * subscriptions or watches hold stays watched). Calling it again does nothing.
     */
    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      for (Name target : targets) {
        subscribers.computeIfPresent(
            target,
            (t, subs) -> {
              subs.remove(this);
              return subs.isEmpty() ? null : subs;
            });
        unwatch(target);
      }
    }
  }

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   * @return true if it was there
   */
  public boolean removeListener(TargetListener listener) {
    return listeners.remove(listener);
  }

  /**
   * Returns when the next refresh is due.
   *
   * @return the earliest due time over the watched targets, or empty if none is watched
   */
  public Optional<Instant> nextDue() {
    Instant next = null;
    for (Watched w : watched.values()) {
      Instant due = w.due();
      if (next == null || due.isBefore(next)) {
        next = due;
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * Runs one refresh round: refreshes every target whose refresh is due by the resolver's clock
   * and is not already running, at most {@link Builder#maxConcurrentRefreshes} at a time (so a
   * zone with thousands of targets does not overrun the resolver's query queue); then, if any
   * changed, every other watched target whose last chain went through a name of a changed chain
   * (two target names that CNAME to one CDN name), so that one upstream move is one round; then
   * tells the listeners once what all of them changed together, if anything.
   *
   * @return a stage that completes when those refreshes, and the listener calls they caused,
   *     are done
   */
  public CompletionStage<Void> runDue() {
    Instant now = resolver.clock().instant();
    List<Watched> due = new ArrayList<>();
    for (Watched w : watched.values()) {
      if (w.claimIfDue(now)) {
        due.add(w);
      }
    }
    if (due.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // Lanes: each refreshes its share one target after another, so no more than the bound are
    // in flight; the chain is built here, iteratively, whatever completes at once.
    List<TargetChange> changes = Collections.synchronizedList(new ArrayList<>());
    int lanes = Math.min(maxConcurrentRefreshes, due.size());
    List<CompletableFuture<Void>> running = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      CompletableFuture<Void> chain = refresh(due.get(lane), changes);
      for (int i = lane + lanes; i < due.size(); i += lanes) {
        Watched next = due.get(i);
        chain = chain.thenCompose(v -> refresh(next, changes));
      }
      running.add(chain);
    }
    return CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]))
        .thenCompose(v -> alongside(due, changes))
        .thenRun(() -> tell(new RefreshRound(now, sorted(changes))));
  }

  /**
   * Refreshes, in the same round, the watched targets not yet refreshed whose last chains share
   * a name with the chain of a target that changed: one upstream move seen through several
   * target names (two CNAMEs to one CDN name) is then one round, and one serial, rather than
   * one per target as their jittered due times fall apart. The shared name's answer is in the
   * resolver's cache by now, so this costs cache hits, and upstream queries only for what
   * expired anyway.
   */
  private CompletableFuture<Void> alongside(List<Watched> refreshed, List<TargetChange> changes) {
    Set<Name> moved = new java.util.HashSet<>();
    synchronized (changes) {
      for (TargetChange c : changes) {
        names(c.resolution(), moved);
      }
    }
    if (moved.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Set<Watched> done = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    done.addAll(refreshed);
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Watched w : watched.values()) {
      if (!done.contains(w) && w.reaches(moved) && w.claim()) {
        chain = chain.thenCompose(v -> refresh(w, changes));
      }
    }
    return chain;
  }

  /** Adds the names a resolution's chain went through: its target and every hop's owner and target. */
  private static void names(Resolution r, Set<Name> out) {
    out.add(r.target());
    for (Hop h : r.chain()) {
      out.add(h.owner());
      out.add(h.target());
    }
  }

  private void tell(RefreshRound round) {
    if (round.changes().isEmpty()) {
      return;
    }
    // Each subscription gets its own changes, found through the changed targets only.
    Map<Subscription, List<TargetChange>> concerned = new java.util.LinkedHashMap<>();
    for (TargetChange change : round.changes()) {
      Set<Subscription> subs = subscribers.get(change.target());
      if (subs != null) {
        for (Subscription sub : subs) {
          concerned.computeIfAbsent(sub, k -> new ArrayList<>()).add(change);
        }
      }
    }
    for (Map.Entry<Subscription, List<TargetChange>> e : concerned.entrySet()) {
      Subscription sub = e.getKey();
      synchronized (sub) {
        if (sub.closed) {
          continue;
        }
      }
      try {
        sub.listener.targetsChanged(new RefreshRound(round.started(), e.getValue()));
      } catch (RuntimeException ignored) {
        // One listener's failure must not stop the others.
      }
    }
    for (TargetListener listener : listeners) {
      try {
        listener.targetsChanged(round);
      } catch (RuntimeException ignored) {
        // One listener's failure must not stop the others.
      }
    }
  }

  private static List<TargetChange> sorted(List<TargetChange> changes) {
    synchronized (changes) {
      List<TargetChange> out = new ArrayList<>(changes);
      out.sort(
          Comparator.comparing(TargetChange::target).thenComparingInt(TargetChange::type));
      return out;
    }
  }

  /**
   * Returns the latest outcome of every watched target and family, for flattening or answering.
   * A failure carries the last good answer as its stale answer (the resolver's, or the
   * monitor's own if the resolver no longer holds one).
   *
   * @return the results
   */
  public AliasResults results() {
    List<Resolution> out = new ArrayList<>();
    for (Watched w : watched.values()) {
      out.addAll(w.resolutions());
    }
    return AliasResults.of(out);
  }

  /**
   * Returns the latest outcomes of some targets only, as {@link #results()} does for all: what
   * one zone of many that share this monitor needs.
   *
   * @param targets the targets; those not watched are left out
   * @return the results
   */
  public AliasResults results(Collection<Name> targets) {
    List<Resolution> out = new ArrayList<>();
    for (Name target : targets) {
      Watched w = watched.get(target);
      if (w != null) {
        out.addAll(w.resolutions());
      }
    }
    return AliasResults.of(out);
  }

  /**
   * Returns the usable addresses of a target for one family: fresh ones, or the last good ones
   * while they are {@link TargetStatus#STALE stale}.
   *
   * @param target the target
   * @param type {@link org.xbill.DNS.Type#A} or {@link org.xbill.DNS.Type#AAAA}
   * @return the addresses, empty if there are none or the target is not watched
   */
  public Set<InetAddress> addresses(Name target, int type) {
    Watched w = watched.get(target);
    return w == null ? Set.of() : w.addresses(type);
  }

  /**
   * Returns where a target stands for one family.
   *
   * @param target the target
   * @param type {@link org.xbill.DNS.Type#A} or {@link org.xbill.DNS.Type#AAAA}
   * @return the status; {@link TargetStatus#PENDING} if not resolved yet, empty if not watched
   */
  public Optional<TargetStatus> status(Name target, int type) {
    Watched w = watched.get(target);
    return w == null ? Optional.empty() : Optional.of(w.status(type));
  }

  /**
   * Calls {@link #runDue()} on a scheduler at a fixed delay until {@link #close()}.
   *
   * @param scheduler the scheduler; the monitor does not shut it down
   * @param tick the delay between runs, for example one second
   * @throws IllegalStateException if already started
   * @throws IllegalArgumentException if the tick is not positive
   */
  public synchronized void start(ScheduledExecutorService scheduler, Duration tick) {
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be positive: " + tick);
    }
    if (schedule != null) {
      throw new IllegalStateException("monitor already started");
    }
    long millis = Math.max(1, tick.toMillis());
    schedule =
        scheduler.scheduleWithFixedDelay(
            () -> {
              // Not joined: a refresh still running when the next tick comes is skipped then.
              CompletionStage<Void> unused = runDue();
            },
            0,
            millis,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Tells whether {@link #start} set up a schedule that {@link #close()} has not stopped.
   *
   * @return true while started
   */
  public synchronized boolean isStarted() {
    return schedule != null;
  }

  /** Stops the schedule {@link #start} set up, if any; watched state is kept. */
  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.cancel(false);
      schedule = null;
    }
  }

  private CompletableFuture<Void> refresh(Watched w, List<TargetChange> round) {
    CompletableFuture<TargetLookup> lookup;
    try {
      lookup = resolver.resolveAddresses(w.target).toCompletableFuture();
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    return lookup.handle(
        (result, error) -> {
          Instant now = resolver.clock().instant();
          if (result != null) {
            for (Lookup l : result.lookups()) {
              TargetChange change = w.take(l, now);
              if (change != null && watched.get(w.target) == w) { // unwatched meanwhile: quiet
                round.add(change);
              }
            }
          }
          w.finish(now, error != null);
          return null;
        });
  }

  private Duration jittered(Duration base) {
    long bound = jitter.toMillis();
    long extra;
    synchronized (random) {
      extra = bound <= 0 ? 0 : random.nextLong(bound + 1);
    }
    return base.plusMillis(extra);
  }

  private static Set<InetAddress> addressesOf(Resolution.Answer answer) {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (Record r : answer.addresses()) {
      InetAddress address = null;
      if (r instanceof ARecord a) {
        address = a.getAddress();
      } else if (r instanceof AAAARecord aaaa) {
        address = aaaa.getAddress();
      }
      if (address != null) {
        out.add(literal(address));
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * The records of an HTTPS answer, compared by owner and data (dnsjava's {@link Record#equals}
   * leaves the TTL out, which {@link TargetChange#ttlMoved} judges); none for addresses.
   */
  private static Set<Record> recordsOf(Resolution.Answer answer) {
    if (answer.type() == org.xbill.DNS.Type.A || answer.type() == org.xbill.DNS.Type.AAAA) {
      return Set.of();
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(answer.records().records()));
  }

  /** The address without the owner name dnsjava attaches as its host name. */
  private static InetAddress literal(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress()); // bytes only: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
    }
  }

  /** One family's state of one target. */
  private static final class FamilyState {
    @Nullable Resolution latest;
    Resolution.@Nullable Answer lastGood;
    TargetStatus status = TargetStatus.PENDING;
    Set<InetAddress> addresses = Set.of();
    /** For HTTPS, the usable records (fresh or stale); empty for address families. */
    Set<Record> records = Set.of();
    /**
     * The chain TTL of the fresh answer as published, in seconds (capped; kept while it moves
     * little, see {@link TargetChange#ttlMoved}); -1 when not fresh.
     */
    long ttl = -1;
    /**
     * Whether the last fresh answer's TTL was below half of {@link #ttl} and not yet taken: a
     * recursive upstream's cache counting down looks like that once, and refills at the next
     * refresh; an owner's lowered TTL is still low then.
     */
    boolean lowSeen;
    @Nullable Instant due;
    int failures;
  }

  /** One watched target: per-family state and when it is due. Guarded by its own lock. */
  private final class Watched {
    final Name target;
    final Map<Integer, FamilyState> families = new HashMap<>();
    /** How many {@link #watch} calls this target has outstanding; guarded by the map. */
    int watchers = 1;
    Instant due;
    boolean running;

    Watched(Name target, Instant due) {
      this.target = target;
      this.due = due;
    }

    synchronized Instant due() {
      return due;
    }

    /** Claims the target for a refresh whatever its due time, unless one is running. */
    synchronized boolean claim() {
      if (running) {
        return false;
      }
      running = true;
      return true;
    }

    /** Whether a family's last chain went through one of these names. */
    synchronized boolean reaches(Set<Name> names) {
      Set<Name> mine = new java.util.HashSet<>();
      for (FamilyState s : families.values()) {
        Resolution r = s.latest;
        if (r != null) {
          names(r, mine);
        }
      }
      mine.retainAll(names);
      return !mine.isEmpty();
    }

    synchronized boolean claimIfDue(Instant now) {
      if (running || now.isBefore(due)) {
        return false;
      }
      running = true;
      return true;
    }

    synchronized Set<InetAddress> addresses(int type) {
      FamilyState s = families.get(type);
      return s == null ? Set.of() : s.addresses;
    }

    synchronized TargetStatus status(int type) {
      FamilyState s = families.get(type);
      return s == null ? TargetStatus.PENDING : s.status;
    }

    synchronized List<Resolution> resolutions() {
      List<Resolution> out = new ArrayList<>();
      for (FamilyState s : families.values()) {
        Resolution r = s.latest;
        if (r instanceof Resolution.Failure f && f.stale() == null && s.lastGood != null) {
          r = f.withStale(s.lastGood);
        }
        if (r instanceof Resolution.Answer a && s.status == TargetStatus.FRESH) {
          r = publishedTtl(a, s.ttl);
        }
        if (r != null) {
          out.add(r);
        }
      }
      return out;
    }

    /**
     * The answer with the TTL published for it: a countdown the published TTL was kept through
     * ({@link TargetChange#ttlMoved}) must not reach the flattened zone either, or every
     * flattening for another reason would move the zone's TTL (and serial) with the upstream's
     * cache. Every hop and record below the kept TTL is raised to it, so the chain TTL is it.
     */
    private Resolution.Answer publishedTtl(Resolution.Answer a, long kept) {
      if (kept < 0 || capped(a.chainTtl()) >= kept) {
        return a;
      }
      List<Hop> chain = new ArrayList<>(a.chain().size());
      for (Hop h : a.chain()) {
        chain.add(h.ttl() >= kept ? h : new Hop(h.owner(), h.target(), kept, h.kind()));
      }
      List<Record> records = new ArrayList<>(a.records().size());
      for (Record r : a.records()) {
        records.add(
            r.getTTL() >= kept
                ? r
                : Record.newRecord(
                    r.getName(), r.getType(), r.getDClass(), kept, r.rdataToWireCanonical()));
      }
      return new Resolution.Answer(
          a.target(), a.type(), chain, RecordSet.of(records), a.obtained());
    }

    /** Takes one family's lookup; returns the change it makes, if any. */
    synchronized @Nullable TargetChange take(Lookup lookup, Instant now) {
      Resolution r = lookup.resolution();
      FamilyState s = families.computeIfAbsent(r.type(), t -> new FamilyState());
      s.latest = r;
      Set<InetAddress> before = s.addresses;
      Set<Record> recordsBefore = s.records;
      TargetStatus statusBefore = s.status;
      long ttlBefore = s.ttl;
      boolean current = lookup.freshness() != Freshness.STALE;
      if (r instanceof Resolution.Answer answer && current) {
        s.lastGood = answer;
        s.addresses = addressesOf(answer);
        s.records = recordsOf(answer);
        s.status = TargetStatus.FRESH;
        s.failures = 0;
        long published = capped(answer.chainTtl());
        // A TTL that moved little keeps the one published (TargetChange#ttlMoved). A recursive
        // upstream hands out what its cache has left, counting down to a refill: a TTL below
        // half of the published one counts only when the next refresh (after that TTL, when a
        // cache has refilled) confirms it, and the refill back to the published TTL is no rise.
        boolean low = ttlBefore >= 0 && published < ttlBefore / 2;
        if (low && !s.lowSeen) {
          s.lowSeen = true;
          s.ttl = ttlBefore;
        } else {
          s.lowSeen = false;
          s.ttl =
              ttlBefore >= 0 && !TargetChange.ttlMoved(ttlBefore, published)
                  ? ttlBefore
                  : published;
        }
        s.due = later(now, answer.obtained().plusSeconds(published));
      } else if ((r instanceof Resolution.NoData || r instanceof Resolution.NxDomain) && current) {
        s.lastGood = null;
        s.addresses = Set.of();
        s.records = Set.of();
        s.status = TargetStatus.NO_ADDRESSES;
        s.failures = 0;
        s.due = later(now, r.obtained().plusSeconds(capped(lookup.ttl())));
      } else {
        // A failure, a stale outcome, a loop or an over-long chain: keep the last good set
        // while max stale allows (RFC 8767 §4).
        if (r instanceof Resolution.Failure f) {
          Resolution.Answer stale = f.stale();
          Resolution.Answer kept = s.lastGood;
          if (stale != null && (kept == null || stale.obtained().isAfter(kept.obtained()))) {
            s.lastGood = stale;
          }
        }
        s.failures++;
        Instant retry = now.plus(backoff(s.failures));
        Resolution.Answer kept = s.lastGood;
        if (kept != null && policy.withinMaxStale(policy.expiry(kept), now)) {
          s.addresses = addressesOf(kept);
          s.records = recordsOf(kept);
          s.status = TargetStatus.STALE;
          // Come back just after max stale runs out (it is inclusive), to withdraw the
          // addresses on time.
          Instant staleEnd = policy.expiry(kept).plus(policy.maxStale()).plusSeconds(1);
          s.due = staleEnd.isBefore(retry) ? staleEnd : retry;
        } else if (r instanceof Resolution.NoData || r instanceof Resolution.NxDomain) {
          // A stale negative answer: still the best knowledge there is.
          s.addresses = Set.of();
          s.records = Set.of();
          s.status = TargetStatus.NO_ADDRESSES;
          s.due = retry;
        } else {
          s.addresses = Set.of();
          s.records = Set.of();
          s.status = TargetStatus.UNRESOLVED;
          s.due = retry;
        }
      }
      if (s.status != TargetStatus.FRESH) {
        s.ttl = -1;
        s.lowSeen = false;
      }
      if (before.equals(s.addresses)
          && recordsBefore.equals(s.records)
          && statusBefore == s.status
          && !TargetChange.ttlMoved(ttlBefore, s.ttl)) {
        return null;
      }
      return new TargetChange(
          target, r.type(), before, s.addresses, statusBefore, s.status, ttlBefore, s.ttl, r,
          recordsBefore, s.records);
    }

    synchronized void finish(Instant now, boolean failed) {
      running = false;
      Instant next = null;
      for (FamilyState s : families.values()) {
        if (s.due != null && (next == null || s.due.isBefore(next))) {
          next = s.due;
        }
      }
      if (failed || next == null) {
        next = now.plus(retryInitial);
      }
      due = next;
    }

    /** The TTL to refresh at: never past the policy's cap, the most a TTL is published for. */
    private long capped(long ttl) {
      return Math.min(ttl, policy.ttlCap());
    }

    /** Refresh when the data expires, plus jitter, but never sooner than the minimum. */
    private Instant later(Instant now, Instant expiry) {
      Instant earliest = now.plus(minRefresh);
      Instant at = expiry.isBefore(earliest) ? earliest : expiry;
      return at.plus(jittered(Duration.ZERO));
    }

    private Duration backoff(int failures) {
      Duration d = retryInitial;
      for (int i = 1; i < failures && d.compareTo(retryMax) < 0; i++) {
        d = d.multipliedBy(2);
      }
      return jittered(d.compareTo(retryMax) > 0 ? retryMax : d);
    }
  }

  /**
   * Builds a {@link TargetMonitor}. Each setting may be given once: giving it again throws,
   * saying what it already was.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final AliasResolver resolver;
    private final Map<String, Object> given = new HashMap<>();
    private Duration jitter = Duration.ofSeconds(5);
    private Duration minRefresh = Duration.ofSeconds(5);
    private Duration retryInitial = Duration.ofSeconds(30);
    private Duration retryMax = Duration.ofMinutes(5);
    private int maxConcurrentRefreshes = 128;
    private @Nullable RandomGenerator random;

    private Builder(AliasResolver resolver) {
      this.resolver = resolver;
    }

    private void once(String setting, Object value) {
      Object previous = given.putIfAbsent(setting, value);
      if (previous != null) {
        throw new IllegalStateException(setting + " was already set to " + previous);
      }
    }

    /**
     * Sets the largest random delay added to each refresh, so targets with equal TTLs spread
     * out; 5 s by default.
     *
     * @param value zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder jitter(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("jitter is negative: " + value);
      }
      once("jitter", value);
      this.jitter = value;
      return this;
    }

    /**
     * Sets how many targets one refresh round resolves at a time; the others wait their turn in
     * the same round. 128 by default: with A and AAAA asked for each, within the resolver's
     * default bounds on queries in flight and queued.
     *
     * @param value one or more
     * @return this builder
     * @throws IllegalArgumentException if less than one
     * @throws IllegalStateException if already set
     */
    public Builder maxConcurrentRefreshes(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxConcurrentRefreshes must be positive: " + value);
      }
      once("maxConcurrentRefreshes", value);
      this.maxConcurrentRefreshes = value;
      return this;
    }

    /**
     * Sets the shortest time between two refreshes of a target, for TTLs of 0 or a few
     * seconds; 5 s by default.
     *
     * @param value more than zero
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder minRefresh(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("minRefresh must be positive: " + value);
      }
      once("minRefresh", value);
      this.minRefresh = value;
      return this;
    }

    /**
     * Sets the retry backoff after failures: the first retry after {@code initial}, each next
     * one twice as late, up to {@code max}; 30 s and 5 min by default (the resolver does not
     * ask a failed question again within its failure recheck anyway).
     *
     * @param initial more than zero
     * @param max at least {@code initial}
     * @return this builder
     * @throws IllegalArgumentException if initial is not positive or max is below it
     * @throws IllegalStateException if already set
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff needs 0 < initial <= max: " + initial + ", " + max);
      }
      once("retryBackoff", initial + ".." + max);
      this.retryInitial = initial;
      this.retryMax = max;
      return this;
    }

    /**
     * Sets the random source of the jitter, for repeatable tests; a fresh {@link
     * SplittableRandom} by default.
     *
     * @param value the generator; the monitor synchronizes on it
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder random(RandomGenerator value) {
      once("random", Objects.requireNonNull(value, "random"));
      this.random = value;
      return this;
    }

    /**
     * Builds the monitor.
     *
     * @return the monitor, watching nothing yet
     */
    public TargetMonitor build() {
      return new TargetMonitor(this);
    }
  }
}
