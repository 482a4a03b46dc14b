package org.aliasdns.core;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Checks a zone against the {@link Rule} catalogue.
 *
 * <p>A check makes one pass over the zone's names plus a memoized walk of its CNAME, DNAME and
 * alias chains, so it takes time roughly linear in the size of the zone. Names are compared
 * ignoring case (RFC 4343).
 *
 * <p>Instances are immutable and thread-safe.
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
   * @param limit the most CNAME/DNAME/alias hops an in-zone chain may have, at least 1
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
   * Returns the chain limit.
   *
   * @return the most hops an in-zone chain may have
   */
  public int chainLimit() {
    return chainLimit;
  }

  /**
   * Checks a zone.
   *
   * @param zone the zone
   * @return the findings, without source positions, in the report's stable order
   */
  public ValidationReport validate(Zone zone) {
    List<Finding> findings = new ArrayList<>();
    Name origin = zone.origin();
    if (zone.soa().isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_SOA, origin, "zone has no SOA record at its origin"));
    }
    if (zone.get(origin, Type.NS).isEmpty()) {
      findings.add(Finding.of(Rule.MISSING_NS, origin, "zone has no NS records at its origin"));
    }
    ZoneLookup lookup = ZoneLookup.of(zone);
    List<Name> chainStarts = new ArrayList<>();
    for (Name name : zone.names()) {
      List<RecordSet> sets = zone.recordSets(name);
      NameRules.check(name, sets, lookup, findings);
      TargetRules.check(name, sets, lookup, findings);
      if (startsChain(sets)) {
        chainStarts.add(name);
      }
    }
    new ChainRules(lookup, chainLimit).check(chainStarts, findings);
    return new ValidationReport(findings);
  }

  /**
   * Checks a zone read from a file. The reader's own findings ({@link Rule#OUT_OF_ZONE}, {@link
   * Rule#RRSET_TTL_MISMATCH}) are included, and every finding carries the source position of
   * the RRset it concerns (or of the first record at its owner name, when it concerns the name
   * as a whole or that RRset was not read).
   *
   * @param file the zone file
   * @return the findings, in the report's stable order
   */
  public ValidationReport validate(ZoneFile file) {
    List<Finding> findings = new ArrayList<>(file.findings());
    for (Finding f : validate(file.zone()).findings()) {
      if (f.position() != null) {
        findings.add(f);
        continue;
      }
      var where = f.type() == 0 ? file.position(f.owner()) : file.position(f.owner(), f.type());
      if (where.isEmpty()) {
        where = file.position(f.owner());
      }
      findings.add(f.at(where.orElse(null)));
    }
    return new ValidationReport(findings);
  }

  private static boolean startsChain(List<RecordSet> sets) {
    for (RecordSet set : sets) {
      if (set.type() == Type.CNAME || AliasRecord.isAliasType(set.type())) {
        return true;
      }
    }
    return false;
  }
}
