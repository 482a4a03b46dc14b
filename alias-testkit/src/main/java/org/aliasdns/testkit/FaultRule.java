package org.aliasdns.testkit;

import java.time.Instant;
import java.util.Objects;
import org.aliasdns.server.Transport;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * When a {@link Fault} applies: to which queries (a name and type, a subtree, or every query; a
 * transport), how often ({@link #times}, {@link #afterQueries}), between which instants of the
 * fake's {@link ManualClock} ({@link #from}, {@link #until}) and with which probability ({@link
 * #withProbability}, seeded, so a run is repeatable). Immutable: each method returns a new rule
 * and may be used once per rule, failing fast when repeated.
 *
 * <pre>{@code
 * fake.inject(Fault.servfail().forName("www.example.net.", Type.A).times(2));
 * fake.inject(Fault.answer("www.example.net. 60 A 192.0.2.99")
 *     .forName("www.example.net.", Type.A).from(clock.start().plusSeconds(300)));
 * fake.inject(Fault.drop().everywhere().withProbability(0.3, 42));
 * }</pre>
 *
 * <p>The counts live in the fake, not in the rule: each {@link FakeDns#inject} starts them at
 * zero. A rule's checks run in this order for each query: name, type and transport; the clock
 * window; then {@link #afterQueries} (matching queries let through first), {@link #times}
 * (applications left), and last the probability draw.
 *
 * @since 0.1
 */
public final class FaultRule {
  /** The type value that matches any query type. */
  static final int ANY_TYPE = -1;

  private final Fault fault;
  private final @Nullable Name name;
  private final boolean subtree;
  private final int type;
  private final @Nullable Transport transport;
  private final int times;
  private final int afterQueries;
  private final @Nullable Instant from;
  private final @Nullable Instant until;
  private final double probability;
  private final long seed;
  private final String set;

  private FaultRule(
      Fault fault,
      @Nullable Name name,
      boolean subtree,
      int type,
      @Nullable Transport transport,
      int times,
      int afterQueries,
      @Nullable Instant from,
      @Nullable Instant until,
      double probability,
      long seed,
      String set) {
    this.fault = fault;
    this.name = name;
    this.subtree = subtree;
    this.type = type;
    this.transport = transport;
    this.times = times;
    this.afterQueries = afterQueries;
    this.from = from;
    this.until = until;
    this.probability = probability;
    this.seed = seed;
    this.set = set;
  }

  static FaultRule of(Fault fault, @Nullable Name name, int type) {
    Objects.requireNonNull(fault, "fault");
    if (name != null && !name.isAbsolute()) {
      throw new IllegalArgumentException("name must be absolute: " + name);
    }
    if (type != ANY_TYPE) {
      Type.check(type);
    }
    return new FaultRule(fault, name, false, type, null, -1, 0, null, null, 1.0, 0, "");
  }

  static FaultRule subtree(Fault fault, Name name) {
    of(fault, name, ANY_TYPE); // the same checks
    return new FaultRule(fault, name, true, ANY_TYPE, null, -1, 0, null, null, 1.0, 0, "");
  }

  private String once(String setting, Object current) {
    if (set.contains("[" + setting + "]")) {
      throw new IllegalStateException(setting + " was already set to " + current);
    }
    return set + "[" + setting + "]";
  }

  /**
   * Applies the fault to at most this many queries; after that the rule lets queries through.
   *
   * @param count at least 1
   * @return the narrowed rule
   * @throws IllegalArgumentException if below 1
   * @throws IllegalStateException if already set
   */
  public FaultRule times(int count) {
    String s = once("times", times);
    if (count < 1) {
      throw new IllegalArgumentException("times must be at least 1, was " + count);
    }
    return new FaultRule(
        fault, name, subtree, type, transport, count, afterQueries, from, until, probability, seed, s);
  }

  /**
   * Lets the first {@code count} matching queries through untouched, then applies the fault: an
   * upstream that works, then breaks.
   *
   * @param count at least 0
   * @return the narrowed rule
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException if already set
   */
  public FaultRule afterQueries(int count) {
    String s = once("afterQueries", afterQueries);
    if (count < 0) {
      throw new IllegalArgumentException("afterQueries must be 0 or more, was " + count);
    }
    return new FaultRule(
        fault, name, subtree, type, transport, times, count, from, until, probability, seed, s);
  }

  /**
   * Applies the fault only from an instant of the fake's clock on (inclusive).
   *
   * @param instant the first instant the rule applies at
   * @return the narrowed rule
   * @throws IllegalArgumentException if not before {@link #until}, when that is set
   * @throws IllegalStateException if already set
   */
  public FaultRule from(Instant instant) {
    String s = once("from", from == null ? "unset" : from);
    Objects.requireNonNull(instant, "instant");
    if (until != null && !instant.isBefore(until)) {
      throw new IllegalArgumentException("from " + instant + " is not before until " + until);
    }
    return new FaultRule(
        fault, name, subtree, type, transport, times, afterQueries, instant, until, probability, seed, s);
  }

  /**
   * Applies the fault only before an instant of the fake's clock (exclusive).
   *
   * @param instant the first instant the rule no longer applies at
   * @return the narrowed rule
   * @throws IllegalArgumentException if not after {@link #from}, when that is set
   * @throws IllegalStateException if already set
   */
  public FaultRule until(Instant instant) {
    String s = once("until", until == null ? "unset" : until);
    Objects.requireNonNull(instant, "instant");
    if (from != null && !from.isBefore(instant)) {
      throw new IllegalArgumentException("until " + instant + " is not after from " + from);
    }
    return new FaultRule(
        fault, name, subtree, type, transport, times, afterQueries, from, instant, probability, seed, s);
  }

  /**
   * Applies the fault to each matching query with a probability, drawn from a generator seeded
   * with {@code seed}: the same queries in the same order fail the same way on every run.
   *
   * @param p the probability, 0 to 1
   * @param seed the seed
   * @return the narrowed rule
   * @throws IllegalArgumentException if {@code p} is not within 0 to 1
   * @throws IllegalStateException if already set
   */
  public FaultRule withProbability(double p, long seed) {
    String s = once("withProbability", probability);
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("probability must be within 0..1, was " + p);
    }
    return new FaultRule(
        fault, name, subtree, type, transport, times, afterQueries, from, until, p, seed, s);
  }

  /**
   * Applies the fault only to queries that came over one transport.
   *
   * @param over UDP or TCP
   * @return the narrowed rule
   * @throws IllegalStateException if already set
   */
  public FaultRule overTransport(Transport over) {
    String s = once("overTransport", transport == null ? "unset" : transport);
    Objects.requireNonNull(over, "over");
    return new FaultRule(
        fault, name, subtree, type, over, times, afterQueries, from, until, probability, seed, s);
  }

  /**
   * Returns the fault this rule applies.
   *
   * @return the fault
   */
  public Fault fault() {
    return fault;
  }

  /**
   * Tells whether a query matches this rule's name, type, transport and clock window. Counts and
   * probability are not considered: they depend on the queries before.
   *
   * @param qname the query name
   * @param qtype the query type
   * @param over the transport the query came on
   * @param now the fake's clock
   * @return true if the rule is in force for that query
   */
  public boolean matches(Name qname, int qtype, Transport over, Instant now) {
    if (name != null && !(subtree ? qname.subdomain(name) : qname.equals(name))) {
      return false;
    }
    if (type != ANY_TYPE && qtype != type) {
      return false;
    }
    Transport wanted = transport;
    if (wanted == null && fault instanceof Fault.Truncate) {
      wanted = Transport.UDP; // truncation is a UDP matter; the TCP retry gets the answer
    }
    if (wanted != null && over != wanted) {
      return false;
    }
    return (from == null || !now.isBefore(from)) && (until == null || now.isBefore(until));
  }

  /**
   * Returns the most queries the fault applies to.
   *
   * @return the count, or -1 for no limit
   */
  public int times() {
    return times;
  }

  /**
   * Returns how many matching queries pass before the fault applies.
   *
   * @return the count, 0 unless set
   */
  public int afterQueries() {
    return afterQueries;
  }

  /**
   * Returns the probability of applying the fault to a matching query.
   *
   * @return 0 to 1; 1 unless set
   */
  public double probability() {
    return probability;
  }

  /**
   * Returns the seed of the probability draws.
   *
   * @return the seed, 0 unless set
   */
  public long seed() {
    return seed;
  }

  /** Returns the rule in words, e.g. {@code SERVFAIL for www.example.net. A, 2 times}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(fault).append(" for ");
    if (name == null) {
      sb.append("every name");
    } else {
      sb.append(subtree ? "names under " : "").append(name);
    }
    if (type != ANY_TYPE) {
      sb.append(' ').append(Type.string(type));
    }
    if (transport != null) {
      sb.append(" over ").append(transport);
    }
    if (afterQueries > 0) {
      sb.append(", after ").append(afterQueries).append(" queries");
    }
    if (times >= 0) {
      sb.append(", ").append(times).append(" times");
    }
    if (from != null) {
      sb.append(", from ").append(from);
    }
    if (until != null) {
      sb.append(", until ").append(until);
    }
    if (probability < 1.0) {
      sb.append(", probability ").append(probability).append(" (seed ").append(seed).append(')');
    }
    return sb.toString();
  }
}
