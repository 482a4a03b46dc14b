package org.aliasdns.testkit.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.aliasdns.core.answer.SignedAnswerer;
import org.aliasdns.core.dnssec.DnssecAlgorithm;
import org.aliasdns.core.dnssec.SigningKey;
import org.aliasdns.core.dnssec.SigningPolicy;
import org.aliasdns.core.dnssec.ZoneSigner;
import org.aliasdns.testkit.SigningFault;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signs a fake's zone, correctly or broken as a {@link SigningFault} says, and keeps what the
 * fake answers DO=1 questions from.
 *
 * @param source the unsigned zone, which answers questions without DO
 * @param signed the signed (perhaps broken) zone
 * @param answerer answers DO=1 questions from the signed zone (RFC 4035 §3.1)
 * @param trustAnchor DS records (SHA-256, RFC 4509) of the keys a correct zone is anchored at
 */
public record SignedZones(
    Zone source, Zone signed, SignedAnswerer answerer, List<DSRecord> trustAnchor) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Signs a zone.
   *
   * @param source the unsigned zone
   * @param keys the keys, or empty for one throwaway ECDSA P-256 combined key
   * @param fault how to break the signed zone
   * @param now the fake's clock; signatures are valid from 1 hour before it for 14 days
   * @return the signed zone and its trust anchor
   * @throws IllegalArgumentException if a key is of another zone
   */
  public static SignedZones sign(
      Zone source, List<SigningKey> keys, SigningFault fault, Instant now) {
    List<SigningKey> published =
        keys.isEmpty() ? List.of(throwaway(source, DnssecAlgorithm.ECDSAP256SHA256)) : keys;
    SigningPolicy policy = SigningPolicy.defaults();
    ZoneSigner signer = ZoneSigner.of(published, policy);
    Zone signed =
        switch (fault) {
          case NONE -> signer.sign(source, now).zone();
          // Signed 16 days back with 14 days' validity: expired 2 days ago (RFC 4035 §5.3.1),
          // beyond any validator's clock-skew tolerance (Unbound's most is 1 day).
          case EXPIRED_SIGNATURES ->
              signer.sign(source, now.minus(policy.validity()).minus(Duration.ofDays(2))).zone();
          case MISSING_RRSIGS -> withoutSignatures(signer.sign(source, now).zone());
          case WRONG_KEY -> wrongKey(signer, source, published.get(0).algorithm(), now);
          case BAD_SIGNATURES -> withBadSignatures(signer.sign(source, now).zone());
        };
    List<DSRecord> anchor = new ArrayList<>();
    boolean anySep = published.stream().anyMatch(SigningKey::isSecureEntryPoint);
    for (SigningKey k : published) {
      if (k.isSecureEntryPoint() || !anySep) {
        anchor.add(
            new DSRecord(
                k.zone(), k.dnskey().getDClass(), k.dnskey().getTTL(), DNSSEC.Digest.SHA256,
                k.dnskey()));
      }
    }
    return new SignedZones(source, signed, SignedAnswerer.of(signed), List.copyOf(anchor));
  }

  /**
   * Returns these zones with the RRSIGs over one RRset left out (RFC 4035 §2.2 wants them).
   *
   * @param owner the RRset's owner
   * @param type the RRset's type
   * @return the zones, answered anew
   * @throws IllegalArgumentException if the signed zone has no RRSIG over that RRset
   */
  public SignedZones withoutRrsig(Name owner, int type) {
    RecordSet sigs =
        signed.get(owner, Type.RRSIG)
            .filter(set -> set.records().stream().anyMatch(r -> covers(r, type)))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the signed zone " + signed.origin() + " has no RRSIG over " + owner + " "
                            + Type.string(type)));
    Zone.Builder b = signed.toBuilder();
    b.remove(owner, Type.RRSIG);
    for (Record r : sigs) {
      if (!covers(r, type)) {
        b.add(r);
      }
    }
    Zone z = b.build();
    return new SignedZones(source, z, SignedAnswerer.of(z), trustAnchor);
  }

  private static boolean covers(Record rrsig, int type) {
    return ((RRSIGRecord) rrsig).getTypeCovered() == type;
  }

  private static SigningKey throwaway(Zone source, DnssecAlgorithm algorithm) {
    return SigningKey.generate(
        source.origin(), algorithm, SigningKey.Role.COMBINED, 3600, RANDOM);
  }

  /** Every RRSIG but those over DNSKEY removed. */
  private static Zone withoutSignatures(Zone signed) {
    Zone.Builder b = signed.toBuilder();
    for (RecordSet set : signed) {
      if (set.type() != Type.RRSIG) {
        continue;
      }
      b.remove(set.owner(), Type.RRSIG);
      for (Record r : set) {
        if (((RRSIGRecord) r).getTypeCovered() == Type.DNSKEY) {
          b.add(r);
        }
      }
    }
    return b.build();
  }

  /** Every RRSIG but those over DNSKEY with the last bit of its signature flipped. */
  private static Zone withBadSignatures(Zone signed) {
    Zone.Builder b = signed.toBuilder();
    for (RecordSet set : signed) {
      if (set.type() != Type.RRSIG) {
        continue;
      }
      b.remove(set.owner(), Type.RRSIG);
      for (Record r : set) {
        RRSIGRecord sig = (RRSIGRecord) r;
        if (sig.getTypeCovered() == Type.DNSKEY) {
          b.add(r);
          continue;
        }
        byte[] bytes = sig.getSignature().clone();
        bytes[bytes.length - 1] ^= 1;
        b.add(
            new RRSIGRecord(
                sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
                sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(),
                sig.getFootprint(), sig.getSigner(), bytes));
      }
    }
    return b.build();
  }

  /**
   * The zone signed by an unpublished key, with the DNSKEY RRset and its RRSIGs of the correct
   * signing: the keys match the trust anchor, the data's signatures match no key.
   */
  private static Zone wrongKey(
      ZoneSigner signer, Zone source, DnssecAlgorithm algorithm, Instant now) {
    Zone good = signer.sign(source, now).zone();
    SigningKey other = throwaway(source, algorithm);
    Zone bad = ZoneSigner.of(List.of(other), signer.policy()).sign(source, now).zone();
    Zone.Builder b = bad.toBuilder();
    b.remove(source.origin(), Type.DNSKEY);
    good.get(source.origin(), Type.DNSKEY).ifPresent(b::add);
    b.remove(source.origin(), Type.RRSIG);
    bad.get(source.origin(), Type.RRSIG)
        .ifPresent(
            set -> {
              for (Record r : set) {
                if (((RRSIGRecord) r).getTypeCovered() != Type.DNSKEY) {
                  b.add(r);
                }
              }
            });
    good.get(source.origin(), Type.RRSIG)
        .ifPresent(
            set -> {
              for (Record r : set) {
                if (((RRSIGRecord) r).getTypeCovered() == Type.DNSKEY) {
                  b.add(r);
                }
              }
            });
    return b.build();
  }
}
