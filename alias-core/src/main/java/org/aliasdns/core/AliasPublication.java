package org.aliasdns.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.aliasdns.core.FlatteningPolicy.Family;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * What one alias name publishes for one address family (or, under {@link
 * FlatteningPolicy.HttpsMode#FLATTEN}, for {@link Family#HTTPS}): the one rule that flattening and
 * answering both apply, so that a zone handed to secondaries and a live answer can never
 * disagree about an alias (except where a zone file cannot say what a live answer says, see
 * {@link Unresolved}). {@link #of} decides; the closed family of outcomes is:
 *
 * <table>
 *   <caption>Outcomes and how each is served</caption>
 *   <tr><th>outcome</th><th>when</th><th>flattened zone</th><th>live answer for A/AAAA</th></tr>
 *   <tr><td>{@link Fresh}</td><td>the target's chain ended in addresses</td>
 *       <td>A/AAAA records at the alias name</td><td>the same records</td></tr>
 *   <tr><td>{@link Stale}</td><td>no usable answer now, a last good one within max stale</td>
 *       <td>the last good records with the stale TTL</td><td>the same, with EDE 3</td></tr>
 *   <tr><td>{@link NoAddresses}</td><td>the target is NXDOMAIN or NODATA (or was, within max
 *       stale)</td><td>no records of the type</td>
 *       <td>NODATA with the SOA (EDE 19 when stale)</td></tr>
 *   <tr><td>{@link Unresolved}</td><td>failure, loop, over-long chain or no result, and nothing
 *       left to serve</td><td>no records of the type</td><td>SERVFAIL</td></tr>
 * </table>
 *
 * <p>Whatever the outcomes, the alias name itself always exists (an NXDOMAIN would deny every
 * name below it too, RFC 8020): where nothing else would be left at the name, the record that
 * made the alias stays in the flattened zone ({@link #keepsAliasRecord}), and the live answer
 * agrees.
 *
 * @since 0.1
 */
public sealed interface AliasPublication
    permits AliasPublication.Fresh,
        AliasPublication.Stale,
        AliasPublication.NoAddresses,
        AliasPublication.Unresolved {

  /**
   * Returns the alias name.
   *
   * @return the owner of the alias record, in its zone-file case
   */
  Name owner();

  /**
   * Returns the address family this publication is for.
   *
   * @return the family
   */
  Family family();

  /**
   * Returns the alias target.
   *
   * @return the absolute target name
   */
  Name target();

  /**
   * Returns the record type of the family.
   *
   * @return {@link Type#A} or {@link Type#AAAA}
   */
  default int type() {
    return family().type();
  }

  /**
   * Tells whether this publication puts addresses (for {@link Family#HTTPS}, HTTPS records) at
   * the alias name.
   *
   * @return true for {@link Fresh} and {@link Stale}
   */
  default boolean publishesAddresses() {
    return this instanceof Fresh || this instanceof Stale;
  }

  /**
   * Returns the A, AAAA or HTTPS RRset this publication puts at the alias name: owned by {@link
   * #owner()}, with the published TTL, an HTTPS ServiceMode TargetName of "." replaced by the
   * owner it stood for (RFC 9460 §2.5.2; see the README's HTTPS section). Built anew on each
   * call.
   *
   * @return the RRset for {@link Fresh} and {@link Stale}; null for {@link NoAddresses} and
   *     {@link Unresolved}, which publish no records
   */
  @Nullable RecordSet records();

  /**
   * Decides what an alias name publishes for one family. The rule, in order:
   *
   * <ol>
   *   <li>An {@link Resolution.Answer} whose chain is within the policy's chain limit is {@link
   *       Fresh}: its addresses, TTL = min(alias TTL, every hop, final RRset) clamped to the
   *       policy's floor and cap ({@link FlatteningPolicy#ttl}); under {@link
   *       FlatteningPolicy.TtlMode#COUNTDOWN}, what is left of that at {@code now} (never below
   *       0), clamped again. An HTTPS RRset that, owned by the alias name (its ServiceMode "."
   *       made explicit), would not fit in a 65,535-byte message (RFC 1035 §4.2.2) is no fresh
   *       answer: it falls back as below, with cause {@link Cause.Kind#TOO_LARGE}.
   *   <li>{@link Resolution.NxDomain} or {@link Resolution.NoData} is {@link NoAddresses} (RFC
   *       2308 §2.1, §2.2: the alias name answers NODATA, never NXDOMAIN); but an HTTPS NODATA
   *       whose chain holds an AliasMode hop is {@link Fresh} with one record, {@code HTTPS 0
   *       <the last AliasMode TargetName>} (RFC 9460 §2.4.2: clients use that name's addresses).
   *   <li>Anything else ({@link Resolution.Failure}, {@link Resolution.Loop}, {@link
   *       Resolution.ChainTooLong}, an answer over the chain limit, no resolution at all) falls
   *       back on the last good outcome (RFC 8767 §4): the failure's own stale answer, or the
   *       previous publication's addresses or negative answer for the same target, whichever
   *       was obtained later, while {@code now} is within {@link FlatteningPolicy#maxStale()} of
   *       its expiry ({@link FlatteningPolicy#withinMaxStale}). Addresses become {@link Stale}
   *       and a negative answer a stale {@link NoAddresses}, both with TTL min({@link
   *       FlatteningPolicy#staleTtl()}, the seconds left in the window). With nothing usable the
   *       outcome is {@link Unresolved}.
   * </ol>
   *
   * @param alias the alias record: owner, target and TTL
   * @param family the family to decide
   * @param results where the target's resolution for that family is looked up; it may hold
   *     none
   * @param policy the TTL, chain and stale rules
   * @param previous what the name published for the family in the previous run, or null; a
   *     publication for another target is ignored
   * @param now the current time, for countdown TTLs and the stale window
   * @return the publication
   * @throws IllegalArgumentException if the previous publication is of another name or family
   */
  static AliasPublication of(
      Alias alias,
      Family family,
      AliasResults results,
      FlatteningPolicy policy,
      @Nullable AliasPublication previous,
      Instant now) {
    Resolution resolution = results.get(alias.target(), family.type()).orElse(null);
    return PublicationRule.decide(alias, family, resolution, policy, previous, now);
  }

  /**
   * Decides what an alias name publishes for one family from one resolution, by the rule of
   * {@link #of(Alias, Family, AliasResults, FlatteningPolicy, AliasPublication, Instant)}.
   *
   * @param alias the alias record: owner, target and TTL
   * @param family the family to decide
   * @param resolution the target's resolution for that family, or null if there is none
   * @param policy the TTL, chain and stale rules
   * @param previous what the name published for the family in the previous run, or null; a
   *     publication for another target is ignored
   * @param now the current time, for countdown TTLs and the stale window
   * @return the publication
   * @throws IllegalArgumentException if the resolution is not of the alias target and the
   *     family's type, or the previous publication is of another name or family
   */
  static AliasPublication ofResolution(
      Alias alias,
      Family family,
      @Nullable Resolution resolution,
      FlatteningPolicy policy,
      @Nullable AliasPublication previous,
      Instant now) {
    if (resolution != null
        && (!resolution.target().equals(alias.target()) || resolution.type() != family.type())) {
      throw new IllegalArgumentException(
          "the resolution of " + resolution.target() + " " + Type.string(resolution.type())
              + " is not for " + alias + " " + family);
    }
    return PublicationRule.decide(alias, family, resolution, policy, previous, now);
  }

  /**
   * Tells whether the record that made a name an alias (the ALIAS/ANAME record, or the flattened
   * CNAME) stays in the flattened zone: exactly when nothing else would be left at the name, so
   * that the name never disappears (RFC 8020: an NXDOMAIN denies every name below it). Live
   * answers agree: a question for that record's type gets it where the flattened zone keeps it,
   * and NODATA elsewhere; a kept CNAME answers as an ordinary CNAME (RFC 1034 §3.6.2).
   *
   * @param otherData whether the name holds data besides the alias record (and the flattened
   *     CNAME): the SOA and NS of an apex, MX, TXT, explicit A or AAAA, anything
   * @param publications the name's publications, one for each family synthesized there
   * @return true if neither other data nor a published address set keeps the name in existence
   */
  static boolean keepsAliasRecord(boolean otherData, List<AliasPublication> publications) {
    if (otherData) {
      return false;
    }
    for (AliasPublication p : publications) {
      if (p.publishesAddresses()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why a name could not publish fresh data for a family.
   *
   * @param kind what went wrong
   * @param chain the hops followed from the target; for a loop the last hop closes it
   * @param reason a sentence for a person, e.g. {@code "upstream failure: SERVFAIL"}
   * @since 0.1
   */
  record Cause(Kind kind, List<Hop> chain, String reason) {
    /** What went wrong. */
    public enum Kind {
      /** Upstream could not answer: SERVFAIL, REFUSED, a timeout, a bad response. */
      UPSTREAM_FAILURE,
      /**
       * The target's answer failed DNSSEC validation (bogus, RFC 4035 §4.3; a {@link
       * Resolution.Failure.Kind#BOGUS} failure): treated as an upstream failure, never
       * published; answered live with EDE 6, DNSSEC Bogus (RFC 8914 §4.7).
       *
       * @since 0.2
       */
      DNSSEC_BOGUS,
      /**
       * As {@link #DNSSEC_BOGUS}, because a signature expired beyond the validator's clock-skew
       * tolerance (a {@link Resolution.Failure.Kind#SIGNATURE_EXPIRED} failure); answered live
       * with EDE 7, Signature Expired (RFC 8914 §4.8).
       *
       * @since 0.2
       */
      DNSSEC_SIGNATURE_EXPIRED,
      /**
       * As {@link #DNSSEC_BOGUS}, because a signature is not yet valid beyond the validator's
       * clock-skew tolerance (a {@link Resolution.Failure.Kind#SIGNATURE_NOT_YET_VALID}
       * failure); answered live with EDE 8, Signature Not Yet Valid (RFC 8914 §4.9).
       *
       * @since 0.2
       */
      DNSSEC_SIGNATURE_NOT_YET_VALID,
      /** The target's chain came back to a name it had visited (RFC 1034 §3.6.2). */
      LOOP,
      /** The target's chain was longer than the policy's chain limit. */
      CHAIN_TOO_LONG,
      /** There was no resolution of the target for the family. */
      MISSING_RESULT,
      /**
       * The RRset to publish at the alias name would not fit in the largest DNS message
       * (RFC 1035 §4.2.2), so it could never be answered.
       */
      TOO_LARGE
    }

    /** Checks and copies the values. */
    public Cause {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
      chain = List.copyOf(chain);
    }
  }

  /**
   * The target's addresses, fresh from its resolution, published at the alias name.
   *
   * @param owner the alias name
   * @param family the family
   * @param answer the resolution of the alias target the addresses come from
   * @param ttl the published TTL in seconds, as {@link #of} derives it
   * @since 0.1
   */
  record Fresh(Name owner, Family family, Resolution.Answer answer, long ttl)
      implements AliasPublication {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the answer is not of the family's type, or the TTL is
     *     negative
     */
    public Fresh {
      checkAnswer(owner, family, answer, ttl);
    }

    @Override
    public Name target() {
      return answer.target();
    }

    @Override
    public RecordSet records() {
      return renamed(owner, answer, ttl);
    }

    /**
     * Returns when the addresses were obtained.
     *
     * @return the answer's instant
     */
    public Instant confirmed() {
      return answer.obtained();
    }

    /**
     * Returns when the upstream data stops being fresh ({@link FlatteningPolicy#expiry}).
     *
     * @return obtained plus the chain TTL
     */
    public Instant expires() {
      return FlatteningPolicy.expiryOf(answer);
    }
  }

  /**
   * The last good addresses, served past a failure to get fresh ones (RFC 8767 §4), with the
   * stale TTL. Answered live with Extended DNS Error 3, Stale Answer (RFC 8914 §4.4).
   *
   * @param owner the alias name
   * @param family the family
   * @param answer the last good resolution of the alias target the addresses come from
   * @param ttl the published TTL in seconds: min(stale TTL, seconds left in the stale window)
   * @param cause why no fresh answer is used
   * @since 0.1
   */
  record Stale(Name owner, Family family, Resolution.Answer answer, long ttl, Cause cause)
      implements AliasPublication {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the answer is not of the family's type, or the TTL is
     *     negative
     */
    public Stale {
      checkAnswer(owner, family, answer, ttl);
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public Name target() {
      return answer.target();
    }

    @Override
    public RecordSet records() {
      return renamed(owner, answer, ttl);
    }

    /**
     * Returns when the addresses were last obtained from upstream.
     *
     * @return the last good answer's instant
     */
    public Instant confirmed() {
      return answer.obtained();
    }

    /**
     * Returns when the last good data stopped being fresh; it is served until this plus max
     * stale.
     *
     * @return obtained plus the chain TTL
     */
    public Instant expires() {
      return FlatteningPolicy.expiryOf(answer);
    }
  }

  /**
   * The target's chain ends in NXDOMAIN or NODATA for the family: no records of the type, so
   * the alias name answers NODATA with the SOA (RFC 2308 §2.2), never NXDOMAIN, whatever the
   * target does. When {@link #staleBecause()} is set, this is a negative answer kept past a
   * failure (RFC 8767 §4), answered live with Extended DNS Error 19, Stale NXDomain Answer (RFC
   * 8914 §4.20).
   *
   * @param owner the alias name
   * @param family the family
   * @param negative the {@link Resolution.NxDomain} or {@link Resolution.NoData} of the alias
   *     target behind it
   * @param ttl how long this holds, in seconds: the negative TTL, no longer than the alias
   *     record's TTL, clamped to the policy's floor and cap (when to ask the target again); for
   *     a stale one, as for {@link Stale}. The NODATA answer itself carries the zone's negative
   *     TTL (RFC 2308 §3), as a secondary's copy of the flattened zone would.
   * @param staleBecause why the negative answer is kept stale, or null when it is fresh
   * @since 0.1
   */
  record NoAddresses(
      Name owner, Family family, Resolution negative, long ttl, @Nullable Cause staleBecause)
      implements AliasPublication {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the resolution is not a negative one of the family's
     *     type, or the TTL is negative
     */
    public NoAddresses {
      checkNames(owner, family);
      if (!(negative instanceof Resolution.NxDomain || negative instanceof Resolution.NoData)) {
        throw new IllegalArgumentException("not a negative resolution: " + negative);
      }
      checkType(family, negative);
      checkTtl(ttl);
    }

    @Override
    public Name target() {
      return negative.target();
    }

    @Override
    public @Nullable RecordSet records() {
      return null;
    }

    /**
     * Tells whether the target's chain ends in a name that does not exist.
     *
     * @return true for NXDOMAIN, false for NODATA
     */
    public boolean nxDomain() {
      return negative instanceof Resolution.NxDomain;
    }

    /**
     * Tells whether this negative answer is served stale, past a failure.
     *
     * @return true if {@link #staleBecause()} is set
     */
    public boolean stale() {
      return staleBecause != null;
    }

    /**
     * Returns when the negative answer was obtained.
     *
     * @return the resolution's instant
     */
    public Instant confirmed() {
      return negative.obtained();
    }

    /**
     * Returns when the negative answer stops being fresh.
     *
     * @return obtained plus the target's negative TTL
     */
    public Instant expires() {
      return negative.obtained().plusSeconds(PublicationRule.negativeTtl(negative));
    }
  }

  /**
   * No usable answer and nothing left to serve: a failure with no last good answer (or one past
   * max stale), a loop, an over-long chain, or no resolution. The flattened zone publishes no
   * records of the type; a live answer for the type is SERVFAIL (RFC 2308 §5 would let an
   * empty NOERROR be cached as "no address"), with an Extended DNS Error (RFC 8914). This is the
   * one place where the flattened zone and a live answer differ: a zone cannot say SERVFAIL.
   *
   * @param owner the alias name
   * @param family the family
   * @param target the alias target
   * @param cause what went wrong
   * @param lastGoodExpired whether a last good answer existed but is past max stale
   * @since 0.1
   */
  record Unresolved(
      Name owner, Family family, Name target, Cause cause, boolean lastGoodExpired)
      implements AliasPublication {
    /** Checks the values. */
    public Unresolved {
      checkNames(owner, family);
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public @Nullable RecordSet records() {
      return null;
    }
  }

  private static void checkNames(Name owner, Family family) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(family, "family");
  }

  private static void checkTtl(long ttl) {
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
  }

  private static void checkType(Family family, Resolution resolution) {
    if (resolution.type() != family.type()) {
      throw new IllegalArgumentException(
          "a resolution for " + Type.string(resolution.type()) + " is not one for " + family);
    }
  }

  private static void checkAnswer(
      Name owner, Family family, Resolution.Answer answer, long ttl) {
    checkNames(owner, family);
    checkType(family, answer);
    checkTtl(ttl);
  }

  /**
   * The answer's records owned by the alias name, with the published TTL; an HTTPS ServiceMode
   * TargetName "." made explicit ({@link #explicitTarget}).
   */
  private static RecordSet renamed(Name owner, Resolution.Answer answer, long ttl) {
    List<Record> records = answer.records().records();
    Name end = answer.records().owner();
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      out.add(
          r instanceof SVCBBase service ? explicitTarget(service, end, owner) : r.withName(owner));
    }
    return RecordSet.of(out).withTtl(ttl);
  }

  /**
   * A service binding record copied from {@code from} to {@code owner}. RFC 9460 §2.5.2: in
   * ServiceMode a TargetName of "." stands for the record's own owner, the name whose A and AAAA
   * records the client is to use. Copied to the alias name, "." would stand for the alias name,
   * whose addresses come from the alias target's A/AAAA chain and may differ from those of the
   * owner of the HTTPS RRset (the last name of the HTTPS chain, after CNAMEs and AliasMode
   * records, §2.4.2); so the TargetName becomes that owner, explicitly. An AliasMode "." (§2.5.1,
   * the service is not available) names no owner and is copied as it is.
   */
  private static Record explicitTarget(SVCBBase service, Name from, Name owner) {
    if (service.getSvcPriority() == 0 || !service.getTargetName().equals(Name.root)) {
      return service.withName(owner);
    }
    // RFC 9460 §2.2: SvcPriority (2 octets), TargetName (uncompressed; "." is one zero octet),
    // then the SvcParams, copied untouched.
    byte[] rdata = service.rdataToWireCanonical();
    byte[] target = from.toWireCanonical();
    byte[] out = new byte[rdata.length - 1 + target.length];
    System.arraycopy(rdata, 0, out, 0, 2);
    System.arraycopy(target, 0, out, 2, target.length);
    System.arraycopy(rdata, 3, out, 2 + target.length, rdata.length - 3);
    return Record.newRecord(owner, service.getType(), service.getDClass(), service.getTTL(), out);
  }
}
