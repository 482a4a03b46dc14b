package org.aliasdns.core.dnssec;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Signs a zone with DNSSEC (RFC 4033–4035): a pure function of the zone, the keys, the policy,
 * "now" and the previous run's result. No clock is read; threads are used only through the
 * executor given to {@link #withExecutor}.
 *
 * <p>What the signed zone holds:
 *
 * <ul>
 *   <li>The source's RRsets, less any RRSIG, NSEC, NSEC3 and NSEC3PARAM it had (they are made
 *       anew), and the SOA with the serial of this run (below).
 *   <li>A DNSKEY RRset at the apex: every key's DNSKEY record, with those the source already had
 *       of an algorithm the keys sign with (pre-published keys stay; one of another algorithm
 *       is dropped, since RFC 4035 §2.2 wants every algorithm there to sign), at the policy's
 *       DNSKEY TTL, else the smallest TTL of the keys' DNSKEY records (a key file's TTL, as
 *       dnssec-signzone uses it), else the SOA's TTL.
 *   <li>An RRSIG over every authoritative RRset (RFC 4035 §2.2), by every zone-signing key: for
 *       each algorithm, the keys without the SEP flag, or, where an algorithm has none, its SEP
 *       keys (a combined signing key). The DNSKEY RRset is signed by the SEP keys of each
 *       algorithm (or all its keys, where it has no SEP key). Each algorithm signs every RRset
 *       (RFC 6840 §5.11). Not signed: the NS RRset at a delegation point and everything below
 *       a delegation point (glue), which the parent is not authoritative for (RFC 4035 §2.2).
 *   <li>Denial of existence: an NSEC chain over every authoritative name and delegation point,
 *       in canonical order, each with the types at its name plus RRSIG and NSEC (RFC 4035
 *       §2.3; a delegation point's bitmap holds only NS, DS, RRSIG and NSEC); or an NSEC3
 *       chain (RFC 5155 §7.1) over the hashes of the same names plus the empty non-terminals
 *       above them, with NSEC3PARAM at the apex; with opt-out, delegations without DS are left
 *       out. NSEC and NSEC3 records have the TTL min(SOA TTL, SOA MINIMUM) (RFC 9077 §3).
 * </ul>
 *
 * <p>Type bitmaps list exactly what each name holds, so a flattened zone proves what its alias
 * names do not publish: an alias name whose target has only A addresses holds an A RRset and no
 * AAAA, so its bitmap has no AAAA and a AAAA question there is a provable NODATA. An alias
 * record kept (in RFC 3597 form) where its name would otherwise be empty is an RRset like any
 * other: signed, with its type in the bitmap.
 *
 * <p><b>Re-signing.</b> Given the previous run's {@link SignedZone}, an RRset (including NSEC,
 * NSEC3 and DNSKEY) that is unchanged keeps its signatures unless one of its keys' signatures
 * expires within the policy's refresh window; a changed one, and the NSEC/NSEC3 records whose
 * bitmap or next name changed, are signed anew. If anything in the signed zone changes, the SOA
 * serial moves once: to the source's serial if that is greater (RFC 1982 §3.2) than the
 * previous signed serial, else to the previous serial plus one (RFC 1982 §3.1); the SOA is then
 * re-signed. If nothing changes and no signature is due, the previous signed zone is returned as
 * it was, with nothing made. {@link #refresh} is such a run on the previous source: only
 * signatures in the refresh window are renewed. Once any signature is due ({@link
 * SignedZone#refreshAt()} is reached), a run renews every signature expiring within the
 * refresh window plus a horizon (a quarter of the window, at least a minute, at most half the
 * gap between window and validity), so that signatures made a few seconds apart are renewed
 * in one pass, under one serial; signatures made further apart than the horizon keep renewal
 * rounds of their own.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ZoneSigner {
  private static final Executor DIRECT = Runnable::run;
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);
  private static final long SERIAL_MODULUS = 1L << 32;
  private static final long SERIAL_HALF = 1L << 31;
  /** The largest DNS message, over TCP (RFC 1035 §4.2.2: a two-byte length). */
  private static final int MAX_MESSAGE = 65_535;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final List<SigningKey> keys;
  private final SigningPolicy policy;
  private final Executor executor;
  private final int parallelism;
  private final @Nullable Provider provider;
  private final List<SigningKey> zoneSigners;
  private final List<SigningKey> keySigners;
  private final Map<SigningKey, KeyTiming> timing;

  private ZoneSigner(
      List<SigningKey> keys,
      SigningPolicy policy,
      Executor executor,
      int parallelism,
      @Nullable Provider provider,
      Map<SigningKey, KeyTiming> timing) {
    this.keys = keys;
    this.timing = timing;
    this.policy = policy;
    this.executor = executor;
    this.parallelism = parallelism;
    this.provider = provider;
    List<SigningKey> zsk = new ArrayList<>();
    List<SigningKey> ksk = new ArrayList<>();
    for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
      List<SigningKey> sep = new ArrayList<>();
      List<SigningKey> other = new ArrayList<>();
      for (SigningKey k : keys) {
        if (k.algorithm() == algorithm) {
          (k.isSecureEntryPoint() ? sep : other).add(k);
        }
      }
      zsk.addAll(other.isEmpty() ? sep : other);
      ksk.addAll(sep.isEmpty() ? other : sep);
    }
    this.zoneSigners = Collections.unmodifiableList(zsk);
    this.keySigners = Collections.unmodifiableList(ksk);
  }

  /**
   * Creates a signer that signs in the calling thread.
   *
   * @param keys the zone's keys, at least one, all of one zone
   * @param policy validity, refresh window, inception offset, denial, DNSKEY TTL
   * @return the signer
   * @throws IllegalArgumentException if there are no keys, they belong to different zones, or
   *     one is given twice
   */
  public static ZoneSigner of(List<SigningKey> keys, SigningPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("signing needs at least one key");
    }
    Name zone = keys.get(0).zone();
    Set<SigningKey> seen = new HashSet<>();
    for (SigningKey k : keys) {
      if (!k.zone().equals(zone)) {
        throw new IllegalArgumentException(
            "keys of different zones: " + keys.get(0) + " and " + k);
      }
      if (!seen.add(k)) {
        throw new IllegalArgumentException("key given twice: " + k);
      }
    }
    return new ZoneSigner(List.copyOf(keys), policy, DIRECT, 1, null, Map.of());
  }

  /**
   * Returns a signer like this one that spreads the signing work over an executor.
   *
   * @param executor runs the signing tasks; the calling thread waits for them
   * @param parallelism how many tasks may usefully run at once (the executor's threads), at
   *     least 1
   * @return the signer
   * @throws IllegalArgumentException if parallelism is below 1
   */
  public ZoneSigner withExecutor(Executor executor, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
    }
    return new ZoneSigner(
        keys, policy, Objects.requireNonNull(executor, "executor"), parallelism, provider,
        timing);
  }

  /**
   * Returns a signer like this one that makes its signatures with a given JCA provider, such as
   * the one {@link NssProvider#find()} returns. An algorithm the provider does not offer, or a
   * key it refuses, is signed with the JDK's default provider instead. The signed zone is the
   * same whichever provider signs (ECDSA signatures differ from run to run in any case, RFC 6605
   * §6); only the speed differs.
   *
   * @param provider the provider
   * @return the signer
   */
  public ZoneSigner withProvider(Provider provider) {
    return new ZoneSigner(
        keys, policy, executor, parallelism, Objects.requireNonNull(provider, "provider"),
        timing);
  }

  /**
   * Returns a signer like this one that follows its keys' timing metadata at each run (RFC 7583
   * §3.1; BIND's fields, {@link KeyFiles#timing}): a key makes signatures only from its
   * Activate time until its Inactive time (signatures it made before stay until the RRset is
   * signed again), and its DNSKEY is published only from its Publish time until its Delete time.
   * A run at which a role (zone signing, or signing the DNSKEY RRset) has keys but none active
   * fails with a {@link SigningException} naming them. {@link SignedZone#refreshAt()} comes no
   * later than the next timing event, so a caller that re-signs at that time follows them.
   *
   * @param timings the timing of some or all keys; a key not in it has {@link KeyTiming#NONE}
   * @return the signer
   * @throws IllegalArgumentException if a timing is given for a key this signer does not have
   */
  public ZoneSigner withTiming(Map<SigningKey, KeyTiming> timings) {
    for (SigningKey k : timings.keySet()) {
      if (!keys.contains(k)) {
        throw new IllegalArgumentException("timing given for a key not signing: " + k);
      }
    }
    return new ZoneSigner(keys, policy, executor, parallelism, provider, Map.copyOf(timings));
  }

  /**
   * Returns a key's timing, as given to {@link #withTiming}.
   *
   * @param key one of the keys
   * @return its timing, or {@link KeyTiming#NONE}
   */
  public KeyTiming timing(SigningKey key) {
    return timing.getOrDefault(key, KeyTiming.NONE);
  }

  /**
   * Returns what is wrong with the keys' timing ({@link #withTiming}) for a zone signed from a
   * time on, in words for an operator, one line each (RFC 7583 §3.1, §3.2.1):
   *
   * <ul>
   *   <li>a key whose Publish time comes after its Activate time: it signs only from Publish;
   *   <li>a key whose Inactive time is not after its Activate time: it never signs;
   *   <li>a key deleted before its Inactive time (or with none): its signatures end with its
   *       DNSKEY, with no retirement;
   *   <li>a key that becomes active less than the DNSKEY TTL after its DNSKEY is published:
   *       resolvers holding the DNSKEY RRset from before cannot validate its signatures until
   *       it expires (RFC 7583 §3.2.1's Ipub);
   *   <li>a key deleted less than the zone's largest TTL after its Inactive time: resolvers may
   *       still hold RRsets signed by it (RFC 7583 §3.2.1's Iret);
   *   <li>a key published now whose algorithm no key signing the zone now has (RFC 4035 §2.2;
   *       RFC 6781 §4.1.4: in an algorithm rollover the signatures come first);
   *   <li>a later time at which no key of a role (signing the zone, or signing the DNSKEY
   *       RRset) signs: from then nothing can be signed until one does.
   * </ul>
   *
   * Keys deleted already, and a role with no key signing now (which {@link #sign} reports by
   * failing), are not told of here.
   *
   * @param zone the zone to be signed: its SOA and largest TTL
   * @param now the time signing starts
   * @return the warnings, without a "warning:" prefix; empty when the timing is sound or none
   *     is given
   */
  public List<String> timingWarnings(Zone zone, Instant now) {
    List<String> out = new ArrayList<>();
    if (timing.isEmpty()) {
      return out;
    }
    long dnskeyTtl = dnskeyTtl(zone);
    long largestTtl = 0;
    for (RecordSet set : zone) {
      largestTtl = Math.max(largestTtl, set.ttl());
    }
    for (SigningKey k : keys) {
      KeyTiming t = timing(k);
      if (t.deletedAt(now)) {
        continue;
      }
      Instant publish = t.publish();
      Instant activate = t.activate();
      Instant inactive = t.inactive();
      Instant delete = t.delete();
      String key = "key " + k.fileStem();
      if (publish != null && activate != null && publish.isAfter(activate)) {
        out.add(key + " is published at " + publish + ", after its Activate time " + activate
            + ": it signs only from its Publish time (RFC 7583 §3.1: Publish comes first)");
      }
      if (activate != null && inactive != null && !inactive.isAfter(activate)) {
        out.add(key + " is inactive at " + inactive + ", not after its Activate time "
            + activate + ": it never signs (RFC 7583 §3.1: Activate comes before Inactive)");
      }
      if (delete != null && (inactive == null || delete.isBefore(inactive))) {
        out.add(key + " is deleted at " + delete
            + (inactive == null ? " with no Inactive time" : ", before its Inactive time "
                + inactive)
            + ": its signatures end with its DNSKEY, and resolvers may still hold RRsets it"
            + " signed (RFC 7583 §3.2.1: Delete comes a TTL after Inactive)");
      } else if (delete != null && inactive != null
          && Duration.between(inactive, delete).getSeconds() < largestTtl) {
        out.add(key + " is deleted at " + delete + ", less than the zone's largest TTL ("
            + largestTtl + " s) after its Inactive time " + inactive + ": resolvers may still"
            + " hold RRsets it signed (RFC 7583 §3.2.1)");
      }
      // It signs from its Activate time, or its Publish time where that comes later.
      Instant signs = activate == null || (publish != null && publish.isAfter(activate))
          ? publish : activate;
      if (signs != null && signs.isAfter(now)) {
        // Published from its Publish time (by this server or an earlier one), else from now.
        Instant from = publish == null ? now : publish;
        if (Duration.between(from, signs).getSeconds() < dnskeyTtl) {
          out.add(key + " signs from " + signs + ", less than the DNSKEY TTL (" + dnskeyTtl
              + " s) after its DNSKEY is published (" + (publish == null ? "now" : publish)
              + "): resolvers holding the DNSKEY RRset from before cannot validate its"
              + " signatures until that expires (RFC 7583 §3.2.1)");
        }
      }
    }
    // RFC 4035 §2.2: each algorithm of the apex DNSKEY RRset signs every RRset; RFC 6781
    // §4.1.4: in an algorithm rollover the new algorithm's signatures come before its DNSKEY.
    Set<Integer> signingAlgorithms = new java.util.TreeSet<>();
    for (SigningKey k : filterActive(zoneSigners, now)) {
      signingAlgorithms.add(k.algorithm().number());
    }
    for (SigningKey k : keys) {
      int algorithm = k.algorithm().number();
      if (timing(k).publishedAt(now) && !signingAlgorithms.isEmpty()
          && !signingAlgorithms.contains(algorithm)) {
        out.add("key " + k.fileStem() + " is published but no key of its algorithm ("
            + algorithm + ") signs " + zone.origin() + ": RFC 4035 §2.2 wants every algorithm"
            + " of the DNSKEY RRset to sign the zone; in an algorithm rollover, a key of the new"
            + " algorithm signs before its DNSKEY is published (RFC 6781 §4.1.4)");
      }
    }
    gap(zoneSigners, now, "signs " + zone.origin(), out);
    gap(keySigners, now, "signs the DNSKEY RRset of " + zone.origin(), out);
    return out;
  }

  /**
   * The DNSKEY RRset's TTL: the policy's, else the smallest TTL the keys' DNSKEY records carry
   * (a key file's TTL, as dnssec-signzone uses it), else the SOA's TTL.
   */
  private long dnskeyTtl(Zone zone) {
    Long configured = policy.dnskeyTtl();
    if (configured != null) {
      return configured;
    }
    long ttl = -1;
    for (SigningKey k : keys) {
      long t = k.dnskey().getTTL();
      if (t > 0 && (ttl < 0 || t < ttl)) {
        ttl = t;
      }
    }
    if (ttl > 0) {
      return ttl;
    }
    return zone.get(zone.origin(), Type.SOA).map(RecordSet::ttl).orElse(0L);
  }

  /**
   * Adds a warning for the first later time at which no key of a role signs, until one does:
   * the role's keys' timing events are where that can change.
   */
  private void gap(List<SigningKey> role, Instant now, String what, List<String> out) {
    if (filterActive(role, now).isEmpty()) {
      return; // signing now fails and says so
    }
    List<Instant> events = new ArrayList<>();
    for (SigningKey k : role) {
      KeyTiming t = timing(k);
      for (Instant at : Arrays.asList(t.publish(), t.activate(), t.inactive(), t.delete())) {
        if (at != null && at.isAfter(now)) {
          events.add(at);
        }
      }
    }
    Collections.sort(events);
    Instant start = null;
    for (Instant at : events) {
      boolean signs = !filterActive(role, at).isEmpty();
      if (start == null && !signs) {
        start = at;
      } else if (start != null && signs) {
        out.add("no key " + what + " from " + start + " until " + at
            + ": nothing can be signed meanwhile (the previous signatures stay)");
        return;
      }
    }
    if (start != null) {
      out.add("no key " + what + " from " + start + " on: nothing can be signed from then");
    }
  }

  /**
   * Returns the JCA provider given to {@link #withProvider}, if any.
   *
   * @return the provider, or empty where the JDK's default providers sign
   */
  public Optional<Provider> provider() {
    return Optional.ofNullable(provider);
  }

  /**
   * Returns the keys.
   *
   * @return an unmodifiable list
   */
  public List<SigningKey> keys() {
    return keys;
  }

  /**
   * Returns the policy.
   *
   * @return the policy
   */
  public SigningPolicy policy() {
    return policy;
  }

  /**
   * Signs a zone from scratch.
   *
   * @param zone the unsigned zone (any DNSSEC records in it are made anew)
   * @param now the time of signing; inception and expiration are counted from it
   * @return the signed zone
   * @throws IllegalArgumentException if the zone has no SOA, or the keys are of another zone
   * @throws SigningException if the crypto provider fails or NSEC3 hashes collide
   */
  public SignedZone sign(Zone zone, Instant now) {
    return sign(zone, now, null);
  }

  /**
   * Renews the signatures of the previous run that expire within the refresh window, and
   * nothing else: {@code sign(previous.source(), now, previous)}.
   *
   * @param previous the previous run's result
   * @param now the time of signing
   * @return the signed zone; the previous one, with nothing made, if no signature was due
   * @throws IllegalArgumentException as {@link #sign(Zone, Instant, SignedZone)}
   * @throws SigningException as {@link #sign(Zone, Instant, SignedZone)}
   */
  public SignedZone refresh(SignedZone previous, Instant now) {
    return sign(previous.source(), now, previous);
  }

  /**
   * Signs a zone, keeping what the previous run signed where the RRset is unchanged and its
   * signatures are outside the refresh window.
   *
   * @param zone the unsigned zone (any DNSSEC records in it are made anew)
   * @param now the time of signing
   * @param previous the previous run's result for this zone, or null to sign everything
   * @return the signed zone
   * @throws IllegalArgumentException if the zone has no SOA, the keys are of another zone, or
   *     previous is of another zone
   * @throws SigningException if the crypto provider fails or NSEC3 hashes collide
   */
  public SignedZone sign(Zone zone, Instant now, @Nullable SignedZone previous) {
    Name origin = zone.origin();
    if (!keys.get(0).zone().equals(origin)) {
      throw new IllegalArgumentException(
          "the keys are for " + keys.get(0).zone() + ", the zone is " + origin);
    }
    if (previous != null && !previous.zone().origin().equals(origin)) {
      throw new IllegalArgumentException(
          "the previous signed zone is " + previous.zone().origin() + ", not " + origin);
    }
    RecordSet soaSet =
        zone.get(origin, Type.SOA)
            .orElseThrow(() -> new IllegalArgumentException("zone " + origin + " has no SOA"));
    return new Run(zone, now, previous, soaSet).sign();
  }

  /**
   * Tells whether an RRset could be signed into a DNS message: an RRset that, with the RRSIGs
   * this signer would give it, no message can hold (RFC 1035 §4.2.2: 65,535 bytes over TCP) is
   * refused by {@link #sign}, since an answer to a DNSSEC query could only be truncated and a
   * TCP client cannot retry. A server signing a zone of alias targets it does not control
   * checks each alias's RRset first, and treats one too large as that alias failing.
   *
   * @param set an RRset of this signer's zone; a DNSKEY RRset is measured with the key-signing
   *     keys' RRSIGs, any other with the zone-signing keys'
   * @return the reason in words (owner, type, record count, bytes needed), or empty if it fits
   */
  public Optional<String> tooLarge(RecordSet set) {
    return Optional.ofNullable(
        tooLarge(set, set.type() == Type.DNSKEY ? keySigners : zoneSigners));
  }

  /**
   * The reason an RRset with its RRSIGs fits no DNS message, or null if it fits. The size is
   * that of a response with the question and the RRset and its RRSIGs in the answer section,
   * names compressed; RRSIG sizes are known before signing (RFC 4034 §3.1).
   */
  private static @Nullable String tooLarge(RecordSet set, List<SigningKey> signers) {
    long sigRdata = 0;
    for (SigningKey k : signers) {
      sigRdata += 18 + k.zone().length() + signatureLength(k);
    }
    long uncompressed = 12 + set.owner().length() + 4 + signers.size() * (2 + 10L) + sigRdata;
    for (Record r : set) {
      uncompressed += set.owner().length() + 10L + r.rdataToWireCanonical().length;
    }
    if (uncompressed <= MAX_MESSAGE) {
      return null;
    }
    // Large: measure the message itself, with compression as a server writes it.
    Message m = new Message();
    m.addRecord(Record.newRecord(set.owner(), set.type(), DClass.IN), Section.QUESTION);
    for (Record r : set) {
      m.addRecord(r, Section.ANSWER);
    }
    for (SigningKey k : signers) {
      m.addRecord(
          new RRSIGRecord(
              set.owner(), DClass.IN, set.ttl(), set.type(), k.algorithm().number(), set.ttl(),
              Instant.EPOCH, Instant.EPOCH, k.keyTag(), k.zone(), new byte[signatureLength(k)]),
          Section.ANSWER);
    }
    int size = m.toWire().length;
    if (size <= MAX_MESSAGE) {
      return null;
    }
    return set.owner() + " " + Type.string(set.type()) + ": " + set.size() + " records need "
        + size + " bytes with their " + signers.size() + " RRSIG"
        + (signers.size() == 1 ? "" : "s") + " in an answer, over the " + MAX_MESSAGE
        + "-byte limit of a DNS message (RFC 1035 §4.2.2): no answer to a DNSSEC query"
        + " could hold it";
  }

  /**
   * How far beyond the refresh window a renewal reaches once any signature is due: a quarter of
   * the window, at least a minute, but at most half of what separates the window from the
   * validity (so that a renewed signature is not due again at once). With the defaults (14 days,
   * 5 days) that is 30 hours; with a validity of 6 minutes and a window of 3, one minute.
   *
   * @param policy the validity and refresh window
   * @return the horizon
   */
  static Duration renewalHorizon(SigningPolicy policy) {
    Duration quarter = policy.refreshWindow().dividedBy(4);
    Duration wanted = quarter.compareTo(MINUTE) < 0 ? MINUTE : quarter;
    Duration most = policy.validity().minus(policy.refreshWindow()).dividedBy(2);
    return wanted.compareTo(most) > 0 ? most : wanted;
  }

  /** The length in bytes of a signature by this key (RFC 6605 §4, RFC 8080 §3, RFC 5702 §3). */
  private static int signatureLength(SigningKey key) {
    switch (key.algorithm()) {
      case ECDSAP256SHA256:
      case ED25519:
        return 64;
      case RSASHA256:
      default:
        if (key.privateKey() instanceof RSAKey) {
          return (((RSAKey) key.privateKey()).getModulus().bitLength() + 7)
              / 8;
        }
        return 512; // the largest RSA key DNSSEC uses (4096 bits): an upper bound
    }
  }

  /**
   * The keys of a role that may sign at a time by their timing; the role's keys when none has
   * timing.
   *
   * @throws SigningException if the role has keys but none is active then
   */
  private List<SigningKey> activeAt(List<SigningKey> role, Instant now, String what) {
    if (timing.isEmpty()) {
      return role;
    }
    List<SigningKey> out = filterActive(role, now);
    if (out.isEmpty() && !role.isEmpty()) {
      StringBuilder why = new StringBuilder();
      for (SigningKey k : role) {
        KeyTiming t = timing(k);
        Instant activate = t.activate();
        Instant publish = t.publish();
        Instant inactive = t.inactive();
        why.append(why.length() == 0 ? "" : "; ").append(k.fileStem());
        if (inactive != null && !inactive.isAfter(now)) {
          why.append(" inactive since ").append(inactive);
        } else if (t.deletedAt(now)) {
          why.append(" deleted since ").append(t.delete());
        } else if (publish != null && publish.isAfter(now)) {
          why.append(" published only from ").append(publish);
        } else {
          why.append(" activates at ").append(activate);
        }
      }
      throw new SigningException(
          "no active key left for " + what + ": " + why
              + " (RFC 7583 §3.1: a key signs from its Activate to its Inactive time)",
          null);
    }
    return Collections.unmodifiableList(out);
  }

  /** The keys of a role that sign at a time (no check that any does). */
  private List<SigningKey> filterActive(List<SigningKey> role, Instant at) {
    List<SigningKey> out = new ArrayList<>(role.size());
    for (SigningKey k : role) {
      if (timing(k).signsAt(at)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The earlier of a bound and the expiry of each RRSIG given. */
  private static Instant earliestExpiry(List<Record> signatures, Instant bound) {
    Instant earliest = bound;
    for (Record r : signatures) {
      Instant expire = ((RRSIGRecord) r).getExpire();
      if (expire.isBefore(earliest)) {
        earliest = expire;
      }
    }
    return earliest;
  }

  /** The first timing event of any key after a time, or null. */
  private @Nullable Instant nextTimingEvent(Instant now) {
    Instant next = null;
    for (KeyTiming t : timing.values()) {
      Instant at = t.nextAfter(now).orElse(null);
      if (at != null && (next == null || at.isBefore(next))) {
        next = at;
      }
    }
    return next;
  }

  /** Where a name stands in the zone. */
  private enum Kind {
    APEX,
    AUTHORITATIVE,
    DELEGATION,
    /** Below a delegation point: glue, neither signed nor in the denial chain. */
    OCCLUDED
  }

  /** One name of the signed zone and its RRsets (DNSSEC types removed). */
  private static final class Node {
    final Name owner;
    final List<RecordSet> sets;
    final Kind kind;

    Node(Name owner, List<RecordSet> sets, Kind kind) {
      this.owner = owner;
      this.sets = sets;
      this.kind = kind;
    }

    boolean has(int type) {
      for (RecordSet s : sets) {
        if (s.type() == type) {
          return true;
        }
      }
      return false;
    }

    boolean isSigned(RecordSet set) {
      switch (kind) {
        case APEX:
        case AUTHORITATIVE:
          return true;
        case DELEGATION:
          return set.type() == Type.DS;
        default:
          return false;
      }
    }

    /** The types an NSEC/NSEC3 at this name lists (before RRSIG/NSEC are added). */
    List<Integer> bitmapTypes() {
      List<Integer> out = new ArrayList<>();
      for (RecordSet s : sets) {
        // RFC 4035 §2.3: at a delegation point only NS and DS (and the DNSSEC types).
        if (kind != Kind.DELEGATION || s.type() == Type.NS || s.type() == Type.DS) {
          out.add(s.type());
        }
      }
      return out;
    }
  }

  /** One RRset to sign, and its signatures once made or kept. */
  private static final class Task {
    final RecordSet set;
    final List<SigningKey> signers;
    @Nullable List<Record> signatures;

    Task(RecordSet set, List<SigningKey> signers) {
      this.set = set;
      this.signers = signers;
    }
  }

  /** The state of one signing run. */
  private final class Run {
    final Zone zone;
    final Name origin;
    final Instant now;
    final @Nullable SignedZone previous;
    final RecordSet soaSet;
    final Instant inception;
    final Instant expiration;
    final Instant renewBefore;
    final long denialTtl;
    /** The zone-signing and DNSKEY-signing keys active at this run's time. */
    final List<SigningKey> zsk;
    final List<SigningKey> ksk;
    final List<Node> nodes = new ArrayList<>();
    final List<RecordSet> denialSets = new ArrayList<>();
    final List<Task> tasks = new ArrayList<>();
    boolean changed;
    int kept;
    int publishedSets;

    Run(Zone zone, Instant now, @Nullable SignedZone previous, RecordSet soaSet) {
      this.zone = zone;
      this.origin = zone.origin();
      this.now = now;
      this.previous = previous;
      this.soaSet = soaSet;
      this.inception = now.minus(policy.inceptionOffset());
      this.expiration = now.plus(policy.validity());
      Instant due = now.plus(policy.refreshWindow());
      if (previous != null && !now.isBefore(previous.refreshAt())) {
        // A signature is due: renew those due within the horizon too, so that signatures made
        // at nearby times are renewed in one pass and stay together (one serial per round).
        due = due.plus(renewalHorizon(policy));
      }
      this.renewBefore = due;
      this.zsk = activeAt(zoneSigners, now, "signing the zone");
      this.ksk = activeAt(keySigners, now, "signing the DNSKEY RRset");
      SOARecord soa = (SOARecord) soaSet.first();
      // RFC 9077 §3: NSEC and NSEC3 TTLs are the smaller of the SOA's TTL and MINIMUM.
      this.denialTtl = Math.min(soaSet.ttl(), soa.getMinimum());
      this.changed = previous == null;
    }

    SignedZone sign() {
      collectNodes();
      if (policy.denial() instanceof Denial.Nsec3) {
        buildNsec3((Denial.Nsec3) policy.denial());
      } else {
        buildNsec();
      }
      // Every signed RRset but the SOA, whose serial depends on whether anything changed.
      for (Node node : nodes) {
        for (RecordSet set : node.sets) {
          publishedSets++;
          if (set.type() == Type.SOA && node.kind == Kind.APEX) {
            continue;
          }
          if (node.isSigned(set)) {
            addTask(set, set.type() == Type.DNSKEY ? ksk : zsk);
          } else if (previous != null && !changed && !sameAsBefore(set)) {
            changed = true;
          }
        }
      }
      for (RecordSet set : denialSets) {
        publishedSets++;
        addTask(set, zsk);
      }
      if (previous != null && !changed) {
        long source = ((SOARecord) soaSet.first()).getSerial();
        // A changed set count (a name or RRset gone), a new serial in the source, or an SOA
        // edited in any other field: each changes what is published.
        changed =
            publishedSets != previous.publishedSets()
                || isGreater(source, previous.serial())
                || !sameAsBefore(withSerial(soaSet, previous.serial()));
      }
      if (previous != null && !changed && !timing.isEmpty()
          && (!filterActive(zoneSigners, previous.signedAt()).equals(zsk)
              || !filterActive(keySigners, previous.signedAt()).equals(ksk))) {
        // A key became active or inactive: the signatures change (RFC 7583 §3.1).
        changed = true;
      }
      long serial = serial();
      RecordSet soaOut = withSerial(soaSet, serial);
      Task soaTask = new Task(soaOut, zsk);
      if (!changed) {
        List<Record> reused = reusable(soaOut, zsk);
        if (reused == null) {
          // The SOA's own signature is due: renewing it changes the zone, so the serial moves.
          changed = true;
          serial = nextSerial(serial);
          soaOut = withSerial(soaSet, serial);
          soaTask = new Task(soaOut, zsk);
        } else {
          Objects.requireNonNull(previous);
          Instant earliest = expiration;
          for (Task t : tasks) {
            earliest = earliestExpiry(Objects.requireNonNull(t.signatures), earliest);
          }
          earliest = earliestExpiry(reused, earliest);
          return new SignedZone(
              previous.zone(), zone, previous.serial(), now, 0, previous.signaturesKept()
                  + previous.signaturesMade(), false, refreshAt(earliest), earliest,
              previous.publishedSets());
        }
      }
      tasks.add(soaTask);
      int made = signPending();
      return assemble(soaOut, serial, made);
    }

    private void collectNodes() {
      Name cut = null;
      RecordSet dnskeys = dnskeySet();
      for (Name owner : zone.names()) {
        boolean apex = owner.equals(origin);
        if (cut != null && owner.subdomain(cut)) {
          nodes.add(new Node(owner, zone.recordSets(owner), Kind.OCCLUDED));
          continue;
        }
        cut = null;
        List<RecordSet> sets = new ArrayList<>();
        for (RecordSet s : zone.recordSets(owner)) {
          int t = s.type();
          if (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3 || t == Type.NSEC3PARAM
              || (apex && t == Type.DNSKEY)) {
            continue;
          }
          sets.add(s);
        }
        if (apex) {
          sets.add(dnskeys);
          if (policy.denial() instanceof Denial.Nsec3) {
            Denial.Nsec3 p = (Denial.Nsec3) policy.denial();
            // RFC 5155 §4.1.2: the NSEC3PARAM flags are 0 (opt-out is a property of NSEC3s).
            sets.add(
                RecordSet.of(
                    new NSEC3PARAMRecord(
                        origin, DClass.IN, 0, NSEC3Record.SHA1_DIGEST_ID, 0, p.iterations(),
                        p.saltBytes())));
          }
          sets.sort((a, b) -> Integer.compare(a.type(), b.type()));
        }
        if (sets.isEmpty()) {
          continue; // held only DNSSEC records, e.g. an NSEC3 owner of an earlier signing
        }
        Kind kind = Kind.AUTHORITATIVE;
        if (apex) {
          kind = Kind.APEX;
        } else if (sets.stream().anyMatch(s -> s.type() == Type.NS)) {
          kind = Kind.DELEGATION;
          cut = owner;
        }
        nodes.add(new Node(owner, Collections.unmodifiableList(sets), kind));
      }
    }

    /** The signing key whose public key a DNSKEY record carries, or null. */
    private @Nullable SigningKey ownKey(DNSKEYRecord d) {
      for (SigningKey k : keys) {
        if (k.algorithm().number() == d.getAlgorithm()
            && Arrays.equals(k.dnskey().getKey(), d.getKey())) {
          return k;
        }
      }
      return null;
    }

    private RecordSet dnskeySet() {
      long ttl = dnskeyTtl(zone);
      List<DNSKEYRecord> given = new ArrayList<>();
      Set<Integer> algorithms = new HashSet<>();
      keys.forEach(k -> algorithms.add(k.algorithm().number()));
      // Keys the source already publishes stay beside ours (pre-published ones) if their
      // algorithm signs: RFC 4035 §2.2 wants RRSIGs by every algorithm in the DNSKEY RRset. One
      // of our keys is published by its timing instead, but for a source that publishes it
      // before its Publish time (kept, as dnssec-signzone -S keeps it); past its Delete time
      // it goes (RFC 7583 §3.1), wherever it came from.
      zone.get(origin, Type.DNSKEY)
          .ifPresent(
              set ->
                  set.forEach(
                      r -> {
                        DNSKEYRecord d = (DNSKEYRecord) r;
                        SigningKey own = ownKey(d);
                        if (own == null
                            ? algorithms.contains(d.getAlgorithm())
                            : !timing(own).publishedAt(now) && !timing(own).deletedAt(now)) {
                          given.add(d);
                        }
                      }));
      for (SigningKey k : keys) {
        if (timing(k).publishedAt(now)) { // RFC 7583 §3.1: withdrawn at its Delete time
          given.add(k.dnskey());
        }
      }
      List<Record> records = new ArrayList<>();
      for (DNSKEYRecord d : given) {
        records.add(
            new DNSKEYRecord(
                origin, DClass.IN, ttl, d.getFlags(), d.getProtocol(), d.getAlgorithm(),
                d.getKey()));
      }
      return RecordSet.of(records);
    }

    private void buildNsec() {
      List<Node> chain = new ArrayList<>();
      for (Node n : nodes) {
        if (n.kind != Kind.OCCLUDED) {
          chain.add(n);
        }
      }
      for (int i = 0; i < chain.size(); i++) {
        Node n = chain.get(i);
        Name next = chain.get((i + 1) % chain.size()).owner.canonicalize();
        List<Integer> types = n.bitmapTypes();
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        int[] bitmap = toArray(types);
        RecordSet same = previousNsec(n.owner, next, bitmap);
        denialSets.add(
            same != null
                ? same
                : RecordSet.of(new NSECRecord(n.owner, DClass.IN, denialTtl, next, bitmap)));
      }
    }

    private void buildNsec3(Denial.Nsec3 params) {
      byte[] salt = params.saltBytes();
      Set<Name> present = new HashSet<>();
      for (Node n : nodes) {
        present.add(n.owner);
      }
      // Names in the chain: authoritative names and delegation points (with opt-out, only
      // those with DS, RFC 5155 §7.1), and the empty non-terminals above them.
      Map<Name, int[]> chain = new LinkedHashMap<>();
      Set<Name> ents = new HashSet<>();
      for (Node n : nodes) {
        if (n.kind == Kind.OCCLUDED
            || (params.optOut() && n.kind == Kind.DELEGATION && !n.has(Type.DS))) {
          continue;
        }
        List<Integer> types = n.bitmapTypes();
        // RFC 5155 §3.2: RRSIG is listed where the name has signed RRsets.
        if (n.kind != Kind.DELEGATION || n.has(Type.DS)) {
          types.add(Type.RRSIG);
        }
        chain.put(n.owner, toArray(types));
        Name up = n.owner;
        while (up.labels() > origin.labels() + 1) {
          up = new Name(up, 1);
          if (present.contains(up) || !ents.add(up)) {
            break;
          }
        }
      }
      for (Name ent : ents) {
        chain.put(ent, new int[0]);
      }
      MessageDigest sha1;
      try {
        sha1 = MessageDigest.getInstance("SHA-1");
      } catch (NoSuchAlgorithmException e) {
        throw new SigningException("the JDK has no SHA-1 for NSEC3 hashes", e);
      }
      List<Map.Entry<Name, int[]>> entries = new ArrayList<>(chain.entrySet());
      byte[][] hashes = new byte[entries.size()][];
      Integer[] order = new Integer[entries.size()];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = hash(sha1, entries.get(i).getKey(), salt, params.iterations());
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(hashes[a], hashes[b]));
      int flags = params.optOut() ? NSEC3Record.Flags.OPT_OUT : 0;
      for (int i = 0; i < order.length; i++) {
        byte[] h = hashes[order[i]];
        byte[] next = hashes[order[(i + 1) % order.length]];
        if (order.length > 1 && Arrays.equals(h, next)) {
          throw new SigningException(
              "NSEC3 hash collision between " + entries.get(order[i]).getKey() + " and "
                  + entries.get(order[(i + 1) % order.length]).getKey()
                  + "; choose another salt (RFC 5155 §7.1)",
              null);
        }
        Name owner;
        try {
          owner = new Name(BASE32HEX.toString(h), origin);
        } catch (TextParseException e) {
          throw new SigningException("cannot form the NSEC3 owner name", e);
        }
        int[] bitmap = entries.get(order[i]).getValue();
        RecordSet same = previousNsec3(owner, flags, params.iterations(), salt, next, bitmap);
        denialSets.add(
            same != null
                ? same
                : RecordSet.of(
                    new NSEC3Record(
                        owner, DClass.IN, denialTtl, NSEC3Record.SHA1_DIGEST_ID, flags,
                        params.iterations(), salt, next, bitmap)));
      }
    }

    /**
     * The previous run's NSEC RRset at an owner if it is the one this run would make (same next
     * name, bitmap and TTL): reused as the same object, so that comparing it with the previous
     * zone's costs nothing and the chain is not built anew for one changed name.
     */
    private @Nullable RecordSet previousNsec(Name owner, Name next, int[] types) {
      SignedZone prev = previous;
      if (prev == null) {
        return null;
      }
      RecordSet before = prev.zone().get(owner, Type.NSEC).orElse(null);
      if (before == null || before.size() != 1 || before.ttl() != denialTtl) {
        return null;
      }
      NSECRecord r = (NSECRecord) before.first();
      return r.getNext().equals(next) && sameTypes(r.getTypes(), types) ? before : null;
    }

    /** As {@link #previousNsec}, for an NSEC3 RRset (RFC 5155 §3.2 fields). */
    private @Nullable RecordSet previousNsec3(
        Name owner, int flags, int iterations, byte[] salt, byte[] next, int[] types) {
      SignedZone prev = previous;
      if (prev == null) {
        return null;
      }
      RecordSet before = prev.zone().get(owner, Type.NSEC3).orElse(null);
      if (before == null || before.size() != 1 || before.ttl() != denialTtl) {
        return null;
      }
      NSEC3Record r = (NSEC3Record) before.first();
      byte[] beforeSalt = r.getSalt();
      return r.getFlags() == flags
              && r.getIterations() == iterations
              && r.getHashAlgorithm() == NSEC3Record.SHA1_DIGEST_ID
              && Arrays.equals(beforeSalt == null ? new byte[0] : beforeSalt, salt)
              && Arrays.equals(r.getNext(), next)
              && sameTypes(r.getTypes(), types)
          ? before
          : null;
    }

    private void addTask(RecordSet set, List<SigningKey> signers) {
      checkFits(set, signers);
      Task task = new Task(set, signers);
      List<Record> reused = previous == null ? null : reusable(set, signers);
      if (reused != null) {
        task.signatures = reused;
        kept += reused.size();
      } else {
        changed = true;
      }
      tasks.add(task);
    }

    /** Refuses an RRset that no DNS message can hold with its RRSIGs ({@link #tooLarge}). */
    private void checkFits(RecordSet set, List<SigningKey> signers) {
      String reason = tooLarge(set, signers);
      if (reason != null) {
        throw new SigningException(reason, null);
      }
    }

    /** The previous run's signatures of an unchanged RRset, if none is due for renewal. */
    private @Nullable List<Record> reusable(RecordSet set, List<SigningKey> signers) {
      SignedZone prev = Objects.requireNonNull(previous);
      Optional<RecordSet> before = prev.zone().get(set.owner(), set.type());
      if (before.isEmpty() || !before.get().equals(set)) {
        return null;
      }
      Optional<RecordSet> sigs = prev.zone().get(set.owner(), Type.RRSIG);
      if (sigs.isEmpty()) {
        return null;
      }
      List<Record> out = new ArrayList<>(signers.size());
      for (SigningKey k : signers) {
        RRSIGRecord found = null;
        for (Record r : sigs.get()) {
          RRSIGRecord sig = (RRSIGRecord) r;
          if (sig.getTypeCovered() == set.type()
              && sig.getFootprint() == k.keyTag()
              && sig.getAlgorithm() == k.algorithm().number()
              && sig.getSigner().equals(origin)
              && sig.getExpire().isAfter(renewBefore)) {
            found = sig;
            break;
          }
        }
        if (found == null) {
          return null;
        }
        out.add(found);
      }
      return out;
    }

    private boolean sameAsBefore(RecordSet set) {
      SignedZone prev = Objects.requireNonNull(previous);
      return prev.zone().get(set.owner(), set.type()).map(set::equals).orElse(false);
    }

    private long serial() {
      long source = ((SOARecord) soaSet.first()).getSerial();
      if (previous == null) {
        return source;
      }
      long before = previous.serial();
      if (!changed) {
        return before;
      }
      return isGreater(source, before) ? source : nextSerial(before);
    }

    /** Signs every task that has no signatures yet; returns how many RRSIGs were made. */
    private int signPending() {
      List<Task> pending = new ArrayList<>();
      int count = 0;
      for (Task t : tasks) {
        if (t.signatures == null) {
          pending.add(t);
          count += t.signers.size();
        }
      }
      if (pending.isEmpty()) {
        return 0;
      }
      int chunks = parallelism == 1 ? 1 : Math.min(pending.size(), parallelism * 8);
      int per = (pending.size() + chunks - 1) / chunks;
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += per) {
        List<Task> slice = pending.subList(from, Math.min(pending.size(), from + per));
        futures.add(CompletableFuture.runAsync(() -> signSlice(slice), executor));
      }
      try {
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof SigningException) {
          throw (SigningException) cause;
        }
        throw new SigningException("signing failed: " + cause, cause);
      }
      return count;
    }

    /** Signs a run of tasks with one {@link Signature} per key, made for this run only. */
    private void signSlice(List<Task> slice) {
      Map<SigningKey, Signature> signatures = new HashMap<>();
      for (Task task : slice) {
        signTask(task, signatures);
      }
    }

    /**
     * Signs one RRset with each of its keys (RFC 4034 §3.1.8.1): the RRSIG rdata without the
     * signature, then the RRset in canonical form and order (dnsjava's {@link
     * DNSSEC#digestRRset}), signed in the wire form of the algorithm.
     */
    private void signTask(Task task, Map<SigningKey, Signature> signatures) {
      RRset rrset = new RRset();
      for (Record r : task.set) {
        rrset.addRR(r);
      }
      long ttl = rrset.getTTL();
      List<Record> sigs = new ArrayList<>(task.signers.size());
      for (SigningKey k : task.signers) {
        try {
          Signature signature = signatures.get(k);
          if (signature == null) {
            signature = newSignature(k);
            signatures.put(k, signature);
          }
          RRSIGRecord unsigned =
              new RRSIGRecord(
                  rrset.getName(), rrset.getDClass(), ttl, rrset.getType(),
                  k.algorithm().number(), ttl, expiration, inception, k.keyTag(), origin,
                  new byte[0]);
          signature.update(DNSSEC.digestRRset(unsigned, rrset));
          sigs.add(
              new RRSIGRecord(
                  rrset.getName(), rrset.getDClass(), ttl, rrset.getType(),
                  k.algorithm().number(), ttl, expiration, inception, k.keyTag(), origin,
                  signature.sign()));
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new SigningException(
              "cannot sign " + task.set.owner() + " " + Type.string(task.set.type())
                  + " with " + k + ": " + e.getMessage(),
              e);
        }
      }
      task.signatures = sigs;
    }

    private SignedZone assemble(RecordSet soaOut, long serial, int made) {
      Zone.Builder out =
          Zone.builder(origin)
              .expectNames(
                  nodes.size() + (policy.denial() instanceof Denial.Nsec3 ? denialSets.size() : 0));
      for (Node node : nodes) {
        for (RecordSet set : node.sets) {
          out.add(set.type() == Type.SOA && node.kind == Kind.APEX ? soaOut : set);
        }
      }
      for (RecordSet set : denialSets) {
        out.add(set);
      }
      Instant earliest = expiration;
      for (Task t : tasks) {
        for (Record r : Objects.requireNonNull(t.signatures)) {
          out.add(r);
          Instant expire = ((RRSIGRecord) r).getExpire();
          if (expire.isBefore(earliest)) {
            earliest = expire;
          }
        }
      }
      return new SignedZone(
          out.build(), zone, serial, now, made, kept, true, refreshAt(earliest), earliest,
          publishedSets);
    }

    /** When to sign again: the refresh window before the earliest expiry, or a timing event. */
    private Instant refreshAt(Instant earliestExpiry) {
      Instant at = earliestExpiry.minus(policy.refreshWindow());
      Instant event = nextTimingEvent(now);
      return event != null && event.isBefore(at) ? event : at;
    }
  }

  /**
   * A {@link Signature} ready to sign with a key: from the provider given, if it offers the
   * algorithm and takes the key, else from the JDK's default providers.
   */
  private Signature newSignature(SigningKey key) throws GeneralSecurityException {
    String algorithm = key.algorithm().wireSignatureAlgorithm();
    if (provider != null) {
      try {
        Signature signature = Signature.getInstance(algorithm, provider);
        signature.initSign(key.privateKey());
        return signature;
      } catch (GeneralSecurityException | RuntimeException e) {
        // The provider lacks the algorithm or refuses the key: the JDK's default signs.
      }
    }
    Signature signature = Signature.getInstance(algorithm);
    signature.initSign(key.privateKey());
    return signature;
  }

  private static RecordSet withSerial(RecordSet soaSet, long serial) {
    SOARecord s = (SOARecord) soaSet.first();
    if (s.getSerial() == serial) {
      return soaSet;
    }
    return RecordSet.of(
        new SOARecord(
            s.getName(), s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), serial,
            s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum()));
  }

  /** RFC 1982 §3.1: serial plus one, modulo 2^32. */
  private static long nextSerial(long serial) {
    return (serial + 1) % SERIAL_MODULUS;
  }

  /** RFC 1982 §3.2: a greater than b. */
  private static boolean isGreater(long a, long b) {
    return (a < b && b - a > SERIAL_HALF) || (a > b && a - b < SERIAL_HALF);
  }

  /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
  private static byte[] hash(MessageDigest sha1, Name name, byte[] salt, int iterations) {
    sha1.update(name.toWireCanonical());
    sha1.update(salt);
    byte[] h = sha1.digest();
    for (int i = 0; i < iterations; i++) {
      sha1.update(h);
      sha1.update(salt);
      h = sha1.digest();
    }
    return h;
  }

  /** Whether a record's type bitmap (ascending, as dnsjava keeps it) holds exactly these. */
  private static boolean sameTypes(int[] ascending, int[] types) {
    if (ascending.length != types.length) {
      return false;
    }
    int[] sorted = types.clone();
    Arrays.sort(sorted);
    return Arrays.equals(ascending, sorted);
  }

  private static int[] toArray(List<Integer> types) {
    int[] out = new int[types.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = types.get(i);
    }
    return out;
  }
}
