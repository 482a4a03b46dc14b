package org.aliasdns.core;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * Checks a zone against the {@link Rule} catalogue.
 *
 * @since 0.1
 */
public final class ZoneValidator {
  /** The default limit on in-zone chain length, as in dnsjava and Netty. */
  public static final int DEFAULT_CHAIN_LIMIT = 16;

  private static final ZoneValidator DEFAULT = new ZoneValidator(DEFAULT_CHAIN_LIMIT);

  private final int chainLimit;

  private ZoneValidator(int chainLimit) {
    this.chainLimit = chainLimit;
  }

  /**
   * Returns the validator with every rule on and a chain limit of {@value #DEFAULT_CHAIN_LIMIT}.
   *
   * @return the default validator
   */
  public static ZoneValidator defaults() {
    return DEFAULT;
  }

  /**
   * Returns a copy with another chain limit.
   *
   * @param limit the most CNAME/DNAME/alias hops a chain may have, at least 1
   * @return the new validator
   * @throws IllegalArgumentException if the limit is below 1
   */
  public ZoneValidator withChainLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("chain limit must be at least 1: " + limit);
    }
    return new ZoneValidator(limit);
  }

  /**
   * Checks a zone.
   *
   * @param zone the zone
   * @return the findings, without source positions
   */
  public ValidationReport validate(Zone zone) {
    List<Finding> findings = new ArrayList<>();
    if (zone.soa().isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_SOA, zone.origin(), "zone has no SOA record at its origin"));
    }
    if (zone.get(zone.origin(), Type.NS).isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_NS, zone.origin(), "zone has no NS records at its origin"));
    }
    return new ValidationReport(findings);
  }

  /**
   * Checks a zone read from a file: the reader's own findings come first, and every finding
   * carries the source position of the records it concerns.
   *
   * @param file the zone file
   * @return the findings
   */
  public ValidationReport validate(ZoneFile file) {
    List<Finding> findings = new ArrayList<>(file.findings());
    for (Finding f : validate(file.zone()).findings()) {
      findings.add(f.position() != null ? f : f.at(file.position(f.owner()).orElse(null)));
    }
    return new ValidationReport(findings);
  }

  int chainLimit() {
    return chainLimit;
  }
}
