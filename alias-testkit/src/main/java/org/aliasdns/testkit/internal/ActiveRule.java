package org.aliasdns.testkit.internal;

import java.time.Instant;
import java.util.SplittableRandom;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.FaultRule;
import org.xbill.DNS.Name;

/** An injected {@link FaultRule} with its counts and its random generator. */
public final class ActiveRule {
  private final FaultRule rule;
  private final SplittableRandom random;
  private int matched;
  private int applied;

  /**
   * Starts counting for a rule.
   *
   * @param rule the rule
   */
  public ActiveRule(FaultRule rule) {
    this.rule = rule;
    this.random = new SplittableRandom(rule.seed());
  }

  /**
   * Decides whether the rule's fault applies to a query, and counts it.
   *
   * @param name the query name
   * @param type the query type
   * @param transport the transport
   * @param now the fake's clock
   * @return true if the fault applies
   */
  public synchronized boolean applies(Name name, int type, Transport transport, Instant now) {
    if (!rule.matches(name, type, transport, now)) {
      return false;
    }
    matched++;
    if (matched <= rule.afterQueries()) {
      return false;
    }
    if (rule.times() >= 0 && applied >= rule.times()) {
      return false;
    }
    if (rule.probability() < 1.0 && random.nextDouble() >= rule.probability()) {
      return false;
    }
    applied++;
    return true;
  }

  /**
   * Returns the rule.
   *
   * @return the rule
   */
  public FaultRule rule() {
    return rule;
  }
}
