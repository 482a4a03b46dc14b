package org.aliasdns.core.check;

import java.util.Optional;

/**
 * The catalogue of zone checks: each rule has a stable id (used in diagnostics and to switch
 * rules off), a default severity and the standard it enforces.
 *
 * <p>Severities follow what {@code named-checkzone -i local} (BIND 9.18) does: where it refuses a
 * zone the rule is an {@link Severity#ERROR}, where it only warns, or says nothing, it is a
 * {@link Severity#WARNING}. Where BIND's verdict depends on the record that refers to a name (an
 * NS record at the zone apex against an MX record, say), a finding's severity differs from the
 * rule's default; each such rule says when. We are stricter than BIND only where a zone can
 * never work as meant and other checkers agree: {@link #CNAME_LOOP} and {@link
 * #DATA_BELOW_DNAME}.
 *
 * @since 0.1
 */
public enum Rule {
  /**
   * A CNAME shares its owner with other data. The types allowed beside a CNAME are those BIND
   * allows: RRSIG and NSEC (RFC 4035 §2.5), and the older KEY and SIG (RFC 2535 §2.3.5). NXT,
   * which RFC 2535 also allowed, is refused, as BIND refuses it. Alias and DNAME records beside
   * a CNAME are reported by {@link #ALIAS_AND_CNAME} and {@link #DNAME_AND_CNAME} instead, and a
   * CNAME at the apex by {@link #CNAME_AT_APEX}.
   */
  CNAME_AND_OTHER_DATA(
      "cname-and-other-data", Severity.ERROR, "RFC 1034 §3.6.2, RFC 2181 §10.1, RFC 4035 §2.5"),
  /** A CNAME at the zone origin, where SOA and NS must live. */
  CNAME_AT_APEX("cname-at-apex", Severity.ERROR, "RFC 1034 §3.6.2, RFC 2181 §10.1"),
  /** More than one (distinct) CNAME record at one name. */
  MULTIPLE_CNAME("multiple-cname", Severity.ERROR, "RFC 2181 §10.1"),
  /**
   * An ALIAS or ANAME beside a CNAME. BIND, which reads alias records as unknown types, refuses
   * this as "CNAME and other data".
   */
  ALIAS_AND_CNAME("alias-and-cname", Severity.ERROR, "RFC 2181 §10.1, draft-ietf-dnsop-aname"),
  /**
   * More than one alias record at one name: ALIAS and ANAME together, or two targets of one
   * type. A warning, because BIND reads alias records as unknown types and loads the zone; a
   * flattener has no single target to follow.
   */
  MULTIPLE_ALIAS("multiple-alias", Severity.WARNING, "draft-ietf-dnsop-aname"),
  /** Explicit A or AAAA records beside an alias; the explicit records win for their type. */
  ALIAS_SHADOWED("alias-shadowed", Severity.WARNING, "policy"),
  /**
   * An ALIAS or ANAME record at or below a delegation point (a non-apex NS RRset): the data is
   * occluded, never answered from this zone (the answer is a referral), so it is not flattened
   * and no addresses are published for it. A warning, as other occluded (non-glue) data below a
   * cut is: BIND loads it without a word. Below a DNAME, {@link #DATA_BELOW_DNAME} reports it.
   */
  ALIAS_BELOW_DELEGATION("alias-below-delegation", Severity.WARNING, "RFC 1034 §4.2.1"),
  /**
   * An MX, NS or SRV target that is an in-zone CNAME (directly or through a wildcard) or an
   * alias, where a host name with address records belongs. A warning by default, as BIND warns
   * for MX, SRV and delegation NS records; an {@link Severity#ERROR} for the NS records at the
   * zone apex, which BIND refuses. An alias target with explicit address records beside it is
   * only ever a warning, since BIND sees the addresses and loads the zone.
   */
  TARGET_IS_ALIAS("target-is-alias", Severity.WARNING, "RFC 2181 §10.3, RFC 2782"),
  /**
   * An MX, NS or SRV target inside the zone's authoritative data that has no A or AAAA records
   * (neither at the name nor from a wildcard). A warning for MX, SRV and delegation NS records
   * and an {@link Severity#ERROR} for apex NS records, as in BIND. Targets below a delegation
   * are checked by {@link #MISSING_GLUE} (delegation NS) or not at all (they are answered by a
   * referral).
   */
  TARGET_WITHOUT_ADDRESS(
      "target-without-address", Severity.WARNING, "RFC 1035 §3.3.9, RFC 1035 §3.3.11, RFC 2782"),
  /**
   * An ALIAS or ANAME whose target is inside the zone and leads to no address records for
   * either family: the name does not exist, or has neither A nor AAAA records and no CNAME,
   * DNAME or alias chain from it reaches some (in the zone, or out of it to be resolved
   * upstream). The alias then publishes no addresses. The classic cause is a target written
   * without its trailing dot, {@code api.cdn.example.net}, which the zone file makes {@code
   * api.cdn.example.net.example.com.}; the message then asks "missing trailing dot?". A
   * warning, like {@link #TARGET_WITHOUT_ADDRESS}: BIND does not know alias records and loads
   * the zone. A chain that loops or is too long is {@link #CNAME_LOOP} or {@link
   * #CHAIN_TOO_LONG} instead.
   */
  ALIAS_TARGET_WITHOUT_ADDRESS(
      "alias-target-without-address", Severity.WARNING, "RFC 1034 §4.3.2, draft-ietf-dnsop-aname"),
  /**
   * An MX, NS or SRV target below an in-zone DNAME, which is rewritten before any address is
   * found. A warning, an {@link Severity#ERROR} for apex NS records, as in BIND.
   */
  TARGET_BELOW_DNAME("target-below-dname", Severity.WARNING, "RFC 6672 §2.3"),
  /**
   * A delegation whose in-zone name server, below this or another delegation in the zone, has
   * no glue address records ("required" or "sibling" glue in BIND's words, which warns).
   */
  MISSING_GLUE("missing-glue", Severity.WARNING, "RFC 1034 §4.2.1, RFC 9471"),
  /**
   * A cycle of in-zone CNAME, DNAME or alias records. Stricter than {@code named-checkzone},
   * which loads such a zone: no answer can ever come out of it.
   */
  CNAME_LOOP("cname-loop", Severity.ERROR, "RFC 1034 §3.6.2, RFC 1034 §5.2.2"),
  /** An in-zone chain of CNAME, DNAME or alias hops longer than the configured limit. */
  CHAIN_TOO_LONG("chain-too-long", Severity.WARNING, "RFC 1034 §3.6.2, RFC 1034 §5.2.2"),
  /** A DNAME and a CNAME at the same name. */
  DNAME_AND_CNAME("dname-and-cname", Severity.ERROR, "RFC 6672 §2.4"),
  /** More than one DNAME record at one name. */
  MULTIPLE_DNAME("multiple-dname", Severity.ERROR, "RFC 6672 §2.4"),
  /**
   * Data at a name below a DNAME. Stricter than BIND, which loads it; NSD and Knot refuse it,
   * and it can never be reached (RFC 6672 §2.3).
   */
  DATA_BELOW_DNAME("data-below-dname", Severity.ERROR, "RFC 6672 §2.3"),
  /** A record whose owner is not at or below the zone origin; it is ignored. */
  OUT_OF_ZONE("out-of-zone", Severity.WARNING, "RFC 1035 §5.2"),
  /** No SOA record at the zone origin. */
  MISSING_SOA("missing-soa", Severity.ERROR, "RFC 1035 §5.2"),
  /** An SOA record at a name other than the zone origin. */
  SOA_NOT_AT_APEX("soa-not-at-apex", Severity.ERROR, "RFC 1035 §5.2, RFC 1034 §4.2.1"),
  /** More than one SOA record at the zone origin. */
  MULTIPLE_SOA("multiple-soa", Severity.ERROR, "RFC 1035 §5.2"),
  /** No NS records at the zone origin. */
  MISSING_NS("missing-ns", Severity.ERROR, "RFC 1035 §5.2, RFC 1034 §4.2.1"),
  /** Records of one RRset with different TTLs; all are set to the smallest. */
  RRSET_TTL_MISMATCH("rrset-ttl-mismatch", Severity.WARNING, "RFC 2181 §5.2"),
  /**
   * A TTL of 2^31 seconds or more in a record or a {@code $TTL} line: one with the top bit set
   * is treated as zero (RFC 2181 §8), so the zone-file reader sets it to 0, as BIND's does.
   */
  TTL_ABOVE_MAX("ttl-above-max", Severity.WARNING, "RFC 2181 §8"),
  /**
   * A name that must be a host name is not one: the owner of A, AAAA or MX records (a leading
   * {@code *} label allowed), or the target of MX, NS or SRV records or the SOA MNAME. Host
   * names are letters, digits and inner hyphens. A warning, as {@code named-checkzone}'s
   * check-names defaults to warn.
   */
  BAD_HOST_NAME("bad-host-name", Severity.WARNING, "RFC 952, RFC 1123 §2.1, RFC 2181 §11"),
  /** A {@code *} label that is not the first label; it is not a wildcard, only an asterisk. */
  NON_TERMINAL_WILDCARD("non-terminal-wildcard", Severity.WARNING, "RFC 4592 §2.1.1"),
  /**
   * An SVCB or HTTPS record in AliasMode (SvcPriority 0) with SvcParams, which clients ignore
   * there. A warning: BIND and Knot load it. dnsjava refuses it in presentation form (the zone
   * file does not read); it arrives in RFC 3597 generic form or over the wire.
   *
   * @since 0.2
   */
  SVCB_ALIAS_MODE_PARAMS("svcb-alias-mode-params", Severity.WARNING, "RFC 9460 §2.4.2"),
  /**
   * More than one AliasMode record in one SVCB or HTTPS RRset; a client follows one of them,
   * picked at random. A warning, as BIND and Knot load it.
   *
   * @since 0.2
   */
  SVCB_MULTIPLE_ALIAS_MODE("svcb-multiple-alias-mode", Severity.WARNING, "RFC 9460 §2.4.2"),
  /**
   * AliasMode and ServiceMode records in one SVCB or HTTPS RRset: a client ignores the
   * ServiceMode records. A warning, as BIND and Knot load it.
   *
   * @since 0.2
   */
  SVCB_MIXED_MODES("svcb-mixed-modes", Severity.WARNING, "RFC 9460 §2.4.1, §2.4.2"),
  /**
   * An SVCB or HTTPS record whose {@code mandatory} key lists itself, lists a key twice, or
   * lists a key the record does not have. An error, as BIND refuses such a zone (Knot 3.2 loads
   * it). dnsjava refuses all three in presentation form and an absent key in any form; the
   * others arrive in RFC 3597 generic form or in zones built in code.
   *
   * @since 0.2
   */
  SVCB_BAD_MANDATORY("svcb-bad-mandatory", Severity.ERROR, "RFC 9460 §8"),
  /**
   * An SVCB or HTTPS record with {@code no-default-alpn} and no {@code alpn}, which is not
   * self-consistent. An error, as BIND refuses such a zone (Knot 3.2 loads it).
   *
   * @since 0.2
   */
  SVCB_NO_DEFAULT_ALPN_WITHOUT_ALPN(
      "svcb-no-default-alpn-without-alpn", Severity.ERROR, "RFC 9460 §7.1.1"),
  /**
   * An SVCB or HTTPS TargetName inside the zone's authoritative data that leads to no address
   * records: for ServiceMode the TargetName (the owner for ".", RFC 9460 §2.5) has neither A nor
   * AAAA records (following CNAME, DNAME and alias records); for AliasMode the chain of CNAMEs
   * and AliasMode records of the same type ends at a name with neither ServiceMode records nor
   * addresses. A warning, like {@link #TARGET_WITHOUT_ADDRESS}; BIND and Knot do not check it.
   *
   * @since 0.2
   */
  SVCB_TARGET_WITHOUT_ADDRESS(
      "svcb-target-without-address", Severity.WARNING, "RFC 9460 §2.4.2, §2.4.3, §2.5"),
  /**
   * An in-zone chain of AliasMode records (and CNAMEs between them) that comes back to where it
   * started; clients give up on the SVCB or HTTPS records and fall back to plain A/AAAA, so it
   * is a warning (BIND and Knot load it), not an error like {@link #CNAME_LOOP}.
   *
   * @since 0.2
   */
  SVCB_ALIAS_LOOP("svcb-alias-loop", Severity.WARNING, "RFC 9460 §2.4.2, §3"),
  /**
   * A suggestion, off by default: an ALIAS or ANAME at the zone apex without an HTTPS RRset.
   * Clients that ask for HTTPS records (browsers do) would follow {@code @ HTTPS 0 <target>}
   * to the target's own HTTPS records (ALPN, ECH, address hints); the flattened A/AAAA
   * records still serve the clients that do not ask.
   *
   * @since 0.2
   */
  APEX_ALIAS_WITHOUT_HTTPS("apex-alias-without-https", Severity.INFO, "RFC 9460 §2.4.2, §10.4.2");

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
   * Returns the default severity of findings of this rule; some findings differ, as the rule
   * says.
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
