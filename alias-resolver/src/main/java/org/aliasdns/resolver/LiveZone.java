package org.aliasdns.resolver;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.aliasdns.core.flatten.AliasChange;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.aliasdns.core.flatten.FlatteningProblem;
import org.aliasdns.core.flatten.Siblings;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * A zone whose aliases stay flattened while their targets move: it watches the zone's alias
 * targets with a {@link TargetMonitor}, flattens the zone again (from the previous run, so the
 * SOA serial moves only when the published content changed, RFC 1982) whenever a refresh round
 * changes any of them, keeps the current {@link FlattenedZone} and results, and tells its
 * {@link Listener}s each time with an {@link Update}. One refresh round is one re-flattening,
 * however many of the zone's targets and aliases it moved, so it gives at most one new serial
 * and one NOTIFY.
 *
 * <p>It does not serve DNS: a listener hands each update to whatever does. With alias-server:
 *
 * <pre>{@code
 * LiveZone live = LiveZone.builder(zone, resolver).build();
 * live.addListener(u -> handler.serve(u.source(), u.current(), u.results()));
 * live.runDue().toCompletableFuture().join();   // resolve every target, publish the first zone
 * live.start(scheduler, Duration.ofSeconds(1)); // from now on, in the background
 * }</pre>
 *
 * <p>Nothing runs by itself: {@link #runDue()} runs one refresh round of the monitor and
 * returns when the re-flattening it caused is done, so a test advances a manual clock and calls
 * it; {@link #start} runs the monitor on a scheduler. The first {@code runDue()} publishes the
 * first flattening even if no target was due.
 *
 * <p>Many zones can share one monitor ({@link #builder(Zone, TargetMonitor)}): a target that
 * several zones use is watched once per zone and refreshed once for all, and each zone
 * re-flattens only when a round changed one of its own targets: it subscribes to them ({@link
 * TargetMonitor#subscribe}), so a round never looks at the zones whose targets did not move. The owner of a shared monitor
 * starts and closes it.
 *
 * @since 0.1
 */
public final class LiveZone implements AutoCloseable {
  private final Zone source;
  private final Flattener flattener;
  private final InstantSource clock;
  private final TargetMonitor monitor;
  private final boolean ownsMonitor;
  private final List<Name> targets;
  private final TargetMonitor.Subscription subscription;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private @Nullable Update latest;
  private boolean closed;
  private final @Nullable Long resumeAfter;

  private LiveZone(Builder b) {
    this.source = b.source;
    this.resumeAfter = b.resumeAfter;
    this.monitor = b.monitor;
    this.ownsMonitor = b.ownsMonitor;
    FlatteningPolicy policy = b.policy != null ? b.policy : monitor.resolver().policy();
    this.flattener = Flattener.of(policy);
    this.clock = b.clock != null ? b.clock : monitor.resolver().clock();
    this.targets = flattener.targets(source);
    // Told only of rounds that moved one of this zone's targets, with those changes alone.
    this.subscription = monitor.subscribe(targets, this::roundDone);
  }

  /**
   * Starts a live zone with a monitor of its own over a resolver (the monitor's defaults:
   * jitter 5 s, retries after 30 s doubling to 5 min); the zone starts and closes it.
   *
   * @param source the zone as configured, with its alias records and a SOA
   * @param resolver the resolver the targets are resolved through; its policy and clock are
   *     the zone's unless set otherwise
   * @return a builder
   */
  public static Builder builder(Zone source, AliasResolver resolver) {
    Objects.requireNonNull(resolver, "resolver");
    return new Builder(source, TargetMonitor.builder(resolver).build(), true);
  }

  /**
   * Starts a live zone on a monitor it shares with others (or that is set up in a way of its
   * own); the monitor's owner starts and closes it.
   *
   * @param source the zone as configured, with its alias records and a SOA
   * @param monitor the monitor; its resolver's policy and clock are the zone's unless set
   *     otherwise
   * @return a builder
   */
  public static Builder builder(Zone source, TargetMonitor monitor) {
    return new Builder(source, Objects.requireNonNull(monitor, "monitor"), false);
  }

  /**
   * Returns the zone as configured.
   *
   * @return the source zone, alias records included
   */
  public Zone source() {
    return source;
  }

  /**
   * Returns the alias targets this zone watches.
   *
   * @return the distinct targets, in canonical order
   */
  public List<Name> targets() {
    return targets;
  }

  /**
   * Returns the monitor that keeps the targets fresh.
   *
   * @return the monitor, this zone's own or the shared one
   */
  public TargetMonitor monitor() {
    return monitor;
  }

  /**
   * Adds a listener, told of every update from now on, in order, one at a time. Add listeners
   * before the first {@link #runDue()} to be told of the first publication too; {@link
   * #latest()} gives it otherwise.
   *
   * @param listener the listener
   */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   * @return true if it was there
   */
  public boolean removeListener(Listener listener) {
    return listeners.remove(listener);
  }

  /**
   * Returns the latest update: what is published now and how it came to be.
   *
   * @return the update, or empty before the first publication
   */
  public synchronized Optional<Update> latest() {
    return Optional.ofNullable(latest);
  }

  /**
   * Returns what is published now.
   *
   * @return the latest flattening, or empty before the first publication
   */
  public Optional<FlattenedZone> current() {
    return latest().map(Update::current);
  }

  /**
   * Runs one refresh round of the monitor (every target of every zone on it that is due by the
   * clock) and, the first time, publishes the first flattening whatever was due.
   *
   * @return a stage that completes when the round and the re-flattening it caused, with every
   *     listener call, are done
   */
  public CompletionStage<Void> runDue() {
    return monitor.runDue().thenRun(this::publishFirst);
  }

  /**
   * Runs the monitor on a scheduler: {@link TargetMonitor#start} with this tick.
   *
   * @param scheduler the scheduler; not shut down by this zone
   * @param tick how often to look for due refreshes, for example one second
   * @throws IllegalStateException if the monitor is already started (a shared monitor is
   *     started by its owner, once)
   * @throws IllegalArgumentException if the tick is not positive
   */
  public void start(ScheduledExecutorService scheduler, Duration tick) {
    monitor.start(scheduler, tick);
  }

  /**
   * Stops: no more updates; the zone's targets are unwatched (a shared monitor keeps those that
   * other zones watch) and a monitor of its own is closed. Calling it again does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    subscription.close();
    if (ownsMonitor) {
      monitor.close();
    }
  }

  private void roundDone(RefreshRound round) {
    publish(round.changes()); // the subscription's: this zone's targets only
  }

  /**
   * Publishes the first flattening from the monitor's results as they are now, if nothing is
   * published yet; does nothing otherwise. For a zone on a shared monitor whose owner ran the
   * round that resolved the zone's targets ({@link TargetMonitor#runDue()}), so that many zones
   * are published after one round rather than each after a round of its own.
   *
   * @since 0.1
   */
  public synchronized void publishFirst() {
    if (latest == null) {
      publish(List.of());
    }
  }

  /** Flattens from the monitor's results and the previous run, and tells the listeners. */
  private synchronized void publish(List<TargetChange> causes) {
    if (closed) {
      return;
    }
    Update before = latest;
    FlattenedZone previous = before == null ? null : before.current();
    AliasResults results = monitor.results(targets);
    Zone from = previous == null ? resumed(source) : source;
    FlattenedZone flat = flattener.flatten(from, results, clock.instant(), previous);
    Update update = new Update(source, previous, flat, results, causes);
    latest = update;
    for (Listener listener : listeners) {
      try {
        listener.zoneUpdated(update);
      } catch (RuntimeException ignored) {
        // One listener's failure must not stop the others or the zone.
      }
    }
  }

  /**
   * The source for a first publication: as it is, or, when an earlier run published a serial the
   * file's is not newer than (RFC 1982 §3.2), with the serial after that one, so a secondary that
   * holds the earlier run's zone sees a newer one (RFC 1996 §4.7) and never the same serial
   * with other content.
   */
  private Zone resumed(Zone zone) {
    Long last = resumeAfter;
    SOARecord soa = zone.soa().orElseThrow();
    if (last == null || serialGreater(soa.getSerial(), last)) {
      return zone;
    }
    long next = (last + 1) & 0xFFFF_FFFFL; // RFC 1982 §3.1
    SOARecord bumped =
        new SOARecord(
            soa.getName(),
            soa.getDClass(),
            soa.getTTL(),
            soa.getHost(),
            soa.getAdmin(),
            next,
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum());
    return zone.toBuilder().put(RecordSet.of(bumped)).build();
  }

  /** RFC 1982 §3.2: whether serial a is greater than serial b. */
  private static boolean serialGreater(long a, long b) {
    long half = 1L << 31;
    return (a < b && b - a > half) || (a > b && a - b < half);
  }

  /**
   * Told of each {@link Update} of a {@link LiveZone}: the first publication and every
   * re-flattening after a refresh round that changed one of the zone's targets. Called in
   * order, one at a time, on the thread that finished the round; an exception thrown here is
   * ignored.
   *
   * @since 0.1
   */
  @FunctionalInterface
  public interface Listener {
    /**
     * The zone was flattened again (or for the first time).
     *
     * @param update what is published now, and what it replaces
     */
    void zoneUpdated(Update update);
  }

  /**
   * One publication of a live zone: the flattening now current, the one it replaces, the
   * results it was made from, and the target changes that caused it.
   *
   * @param source the zone as configured
   * @param previous the flattening before, or null for the first publication
   * @param current the flattening now; {@link FlattenedZone#changed()} says whether its serial
   *     moved (a first publication always counts as changed)
   * @param results the latest resolutions of the zone's targets, for live answers
   * @param targetChanges the changes of this zone's targets in the refresh round that caused
   *     this update; empty for a first publication that no round caused
   * @since 0.1
   */
  public record Update(
      Zone source,
      @Nullable FlattenedZone previous,
      FlattenedZone current,
      AliasResults results,
      List<TargetChange> targetChanges) {
    /** Copies the list. */
    public Update {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(current, "current");
      Objects.requireNonNull(results, "results");
      targetChanges = List.copyOf(targetChanges);
    }

    /**
     * Tells whether this is the zone's first publication.
     *
     * @return true if there is no previous flattening
     */
    public boolean first() {
      return previous == null;
    }

    /**
     * Tells whether the published zone changed, so its serial moved and secondaries are to be
     * told (RFC 1996).
     *
     * @return {@code current().changed()}
     */
    public boolean serialChanged() {
      return current.changed();
    }

    /**
     * Returns the SOA serial now published.
     *
     * @return the serial
     */
    public long serial() {
      return current.serial();
    }

    /**
     * Returns the address sets that changed since the previous flattening.
     *
     * @return one change per alias name and family, as {@link FlattenedZone#changes()}
     */
    public List<AliasChange> changes() {
      return current.changes();
    }

    /**
     * Returns what went wrong in this flattening: failing targets (served stale or not at all),
     * loops, over-long chains.
     *
     * @return the problems, as {@link FlattenedZone#problems()}
     */
    public List<FlatteningProblem> problems() {
      return current.problems();
    }

    /**
     * Returns the alias names whose published state changed kind since the previous
     * flattening: fresh to stale and back, stale to unresolved (max stale ran out), to or from
     * no addresses.
     *
     * @return the transitions in the order of the current flattening; empty for the first
     *     publication
     */
    public List<Transition> transitions() {
      FlattenedZone before = previous;
      if (before == null) {
        return List.of();
      }
      List<Transition> out = new ArrayList<>();
      for (Siblings now : current.siblings()) {
        Siblings then = before.siblings(now.owner(), now.family()).orElse(null);
        if (then == null || then.status() != now.status()) {
          out.add(
              new Transition(
                  now.owner(), now.family(), now.target(),
                  then == null ? null : then.status(), now.status()));
        }
      }
      return out;
    }
  }

  /**
   * The published state of one alias name and family changed kind between two flattenings.
   *
   * @param owner the alias name
   * @param family the address family
   * @param target the alias target
   * @param before the state before, or null if the name was not flattened before
   * @param after the state now
   * @since 0.1
   */
  public record Transition(
      Name owner,
      Family family,
      Name target,
      Siblings.@Nullable Status before,
      Siblings.Status after) {
    /** Checks the values. */
    public Transition {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(after, "after");
    }

    /** Returns {@code owner TYPE -> target: BEFORE -> AFTER}. */
    @Override
    public String toString() {
      return owner + " " + org.xbill.DNS.Type.string(family.type()) + " -> " + target + ": "
          + before + " -> " + after;
    }
  }

  /**
   * Builds a {@link LiveZone}. Each setting may be given once: giving it again throws, saying
   * what it already was.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final Zone source;
    private final TargetMonitor monitor;
    private final boolean ownsMonitor;
    private final Map<String, Object> given = new HashMap<>();
    private @Nullable FlatteningPolicy policy;
    private @Nullable InstantSource clock;
    private @Nullable Long resumeAfter;

    private Builder(Zone source, TargetMonitor monitor, boolean ownsMonitor) {
      this.source = Objects.requireNonNull(source, "source");
      this.monitor = monitor;
      this.ownsMonitor = ownsMonitor;
    }

    private void once(String setting, Object value) {
      Object previous = given.putIfAbsent(setting, value);
      if (previous != null) {
        throw new IllegalStateException(setting + " was already set to " + previous);
      }
    }

    /**
     * Sets the flattening policy (which names flatten, families, TTLs, stale rules); the
     * resolver's by default, which is what the monitor refreshes by, so give another only for
     * a reason.
     *
     * @param value the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder policy(FlatteningPolicy value) {
      once("policy", Objects.requireNonNull(value, "policy"));
      this.policy = value;
      return this;
    }

    /**
     * Sets the clock that says "now" for each flattening (how stale kept addresses are); the
     * resolver's by default.
     *
     * @param value the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(InstantSource value) {
      once("clock", Objects.requireNonNull(value, "clock"));
      this.clock = value;
      return this;
    }

    /**
     * Sets the serial an earlier run last published for this zone (kept by its embedder, say in
     * a state file, across restarts). The first publication then carries the serial after it,
     * unless the zone file's own serial is newer (RFC 1982 §3.2: the operator edited the file),
     * so secondaries never see one serial with two contents. None by default: the first
     * publication carries the file's serial.
     *
     * @param serial a serial in 0..4294967295
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder resumeAfter(long serial) {
      if (serial < 0 || serial > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("serial out of range: " + serial);
      }
      once("resumeAfter", serial);
      this.resumeAfter = serial;
      return this;
    }

    /**
     * Builds the live zone and watches its targets; nothing is resolved or published until
     * {@link LiveZone#runDue()} or the monitor's schedule runs.
     *
     * @return the live zone
     * @throws IllegalArgumentException if the zone has no SOA record
     */
    public LiveZone build() {
      if (source.soa().isEmpty()) {
        throw new IllegalArgumentException(
            "zone " + source.origin() + " has no SOA; a published zone needs one");
      }
      return new LiveZone(this);
    }
  }
}
