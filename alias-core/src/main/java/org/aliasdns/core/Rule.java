package org.aliasdns.core;

import java.util.Optional;

/**
 * The catalogue of zone checks: each rule has a stable id (used in diagnostics and to switch
 * rules off), a default severity and the standard it enforces.
 *
 * <p>Severities follow what {@code named-checkzone -i local} does: where it refuses a zone the
 * rule is an {@link Severity#ERROR}, where it only warns it is a {@link Severity#WARNING}. We are
 * stricter only where a zone can never work as meant; each such rule says so in its javadoc.
 *
 * @since 0.1
 */
public enum Rule {
  /** A CNAME shares its owner with data other than RRSIG, NSEC or KEY. */
  CNAME_AND_OTHER_DATA(
      "cname-and-other-data", Severity.ERROR, "RFC 1034 §3.6.2, RFC 2181 §10.1, RFC 4035 §2.5"),
  /** A CNAME at the zone origin, where SOA and NS must live. */
  CNAME_AT_APEX("cname-at-apex", Severity.ERROR, "RFC 1034 §3.6.2, RFC 2181 §10.1"),
  /** More than one CNAME record at one name. */
  MULTIPLE_CNAME("multiple-cname", Severity.ERROR, "RFC 2181 §10.1"),
  /** An ALIAS or ANAME beside a CNAME. */
  ALIAS_AND_CNAME("alias-and-cname", Severity.ERROR, "draft-ietf-dnsop-aname §2"),
  /** More than one alias record (ALIAS and ANAME together) at one name. */
  MULTIPLE_ALIAS("multiple-alias", Severity.ERROR, "draft-ietf-dnsop-aname §2"),
  /** Explicit A or AAAA records beside an alias; the explicit records win for their type. */
  ALIAS_SHADOWED("alias-shadowed", Severity.WARNING, "policy"),
  /** An MX, NS or SRV target that is an in-zone CNAME or alias instead of a host name. */
  TARGET_IS_ALIAS("target-is-alias", Severity.WARNING, "RFC 2181 §10.3, RFC 2782"),
  /**
   * A cycle of in-zone CNAME, DNAME or alias records. Stricter than {@code named-checkzone},
   * which loads such a zone: no answer can ever come out of it.
   */
  CNAME_LOOP("cname-loop", Severity.ERROR, "RFC 1034 §3.6.2"),
  /** An in-zone chain longer than the configured limit. */
  CHAIN_TOO_LONG("chain-too-long", Severity.WARNING, "RFC 1034 §3.6.2"),
  /** A DNAME and a CNAME at the same name. */
  DNAME_AND_CNAME("dname-and-cname", Severity.ERROR, "RFC 6672 §2.4"),
  /**
   * Data at a name below a DNAME. Stricter than BIND, which loads it; NSD and Knot refuse it,
   * and it can never be reached (RFC 6672 §2.3).
   */
  DATA_BELOW_DNAME("data-below-dname", Severity.ERROR, "RFC 6672 §2.3"),
  /** A record whose owner is not at or below the zone origin; it is ignored. */
  OUT_OF_ZONE("out-of-zone", Severity.WARNING, "RFC 1035 §5.2"),
  /** No SOA record at the zone origin. */
  MISSING_SOA("missing-soa", Severity.ERROR, "RFC 1035 §5.2"),
  /** No NS records at the zone origin. */
  MISSING_NS("missing-ns", Severity.ERROR, "RFC 1035 §5.2, RFC 1034 §4.2.1"),
  /** Records of one RRset with different TTLs; all are set to the smallest. */
  RRSET_TTL_MISMATCH("rrset-ttl-mismatch", Severity.WARNING, "RFC 2181 §5.2");

  private final String id;
  private final Severity severity;
  private final String reference;

  Rule(String id, Severity severity, String reference) {
    this.id = id;
    this.severity = severity;
    this.reference = reference;
  }

  /**
   * Returns the stable id, as printed in diagnostics.
   *
   * @return the id, lower-case words joined by hyphens
   */
  public String id() {
    return id;
  }

  /**
   * Returns the default severity of findings of this rule.
   *
   * @return the severity
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Returns the standard (or "policy") this rule enforces, e.g. {@code "RFC 2181 §10.1"}.
   *
   * @return the reference text
   */
  public String reference() {
    return reference;
  }

  /**
   * Looks a rule up by its id.
   *
   * @param id a rule id such as {@code "cname-and-other-data"}
   * @return the rule, or empty if no rule has that id
   */
  public static Optional<Rule> byId(String id) {
    for (Rule rule : values()) {
      if (rule.id.equals(id)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
