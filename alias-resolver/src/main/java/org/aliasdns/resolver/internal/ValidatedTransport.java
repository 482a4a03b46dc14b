package org.aliasdns.resolver.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.aliasdns.resolver.TrustAnchors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * One upstream's transport seen through dnsjava's {@link ValidatingResolver}: every query goes
 * out with DO (RFC 3225) and CD (RFC 4035 §3.2.2, so a validating upstream hands over bogus data
 * for us to judge rather than a bare SERVFAIL), and every response comes back validated from
 * the trust anchors: AD set if secure, SERVFAIL with the validator's reason if bogus. The
 * validator fetches the DNSKEY and DS RRsets it needs through the same transport, and reads
 * signature validity against the resolver's clock (so a test's manual clock is the validator's
 * too).
 */
final class ValidatedTransport {
  private ValidatedTransport() {}

  /** Validation rounds for one bogus response at most: the probe and two shifted clocks. */
  private static final int MAX_ROUNDS = 3;

  /**
   * Wraps a transport in a validator holding the anchors, with a clock-skew tolerance.
   *
   * @param transport how queries reach the upstream
   * @param anchors the trust anchors
   * @param clock the resolver's clock, for signature validity (RFC 4034 §3.1.5)
   * @param skew how far outside its validity period a signature is still accepted
   * @return the validating resolver
   * @throws IllegalArgumentException if dnsjava does not accept the anchors
   */
  static Resolver over(
      Resolver transport, TrustAnchors anchors, InstantSource clock, SignatureSkew skew) {
    ValidatingResolver exact =
        validator(new DnssecOk(transport), anchors, clock.withZone(ZoneOffset.UTC));
    // Even without tolerance, a bogus verdict is judged again to tell EDE 7/8 from EDE 6.
    return new SkewTolerant(exact, transport, anchors, clock, skew);
  }

  private static ValidatingResolver validator(
      Resolver head, TrustAnchors anchors, java.time.Clock clock) {
    ValidatingResolver validator = new ValidatingResolver(head, clock);
    validator.setAddReasonToAdditional(true); // the reason, for Failure.reason()
    try {
      validator.loadTrustAnchors(
          new ByteArrayInputStream(anchors.text().getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new IllegalArgumentException("trust anchors not accepted: " + e.getMessage(), e);
    }
    return validator;
  }

  /** Whether the validator found a response bogus: SERVFAIL with its reason. */
  static boolean bogus(Message response) {
    if (response.getRcode() != Rcode.SERVFAIL) {
      return false;
    }
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exact-clock validator, and for a response it finds bogus, the clock-skew tolerance
   * (RFC 4035 §5.3.1): the response is validated again by fresh validators that record every
   * RRSIG they read; if the RRsets whose signatures are all out of time are each out by no more
   * than their tolerance, and in one direction, a validator on the clock moved that far judges
   * the response, and its verdict stands if every RRSIG it read is within tolerance. A bogus
   * verdict whose cause is a signature out of time beyond its tolerance carries EDE 7 or 8 (RFC
   * 8914 §4.8, §4.9) instead of the validator's. The normal path (not bogus) is the exact
   * validator's alone.
   */
  private static final class SkewTolerant extends Forwarding {
    private final ValidatingResolver exact;
    private final Resolver transport;
    private final TrustAnchors anchors;
    private final InstantSource clock;
    private final SignatureSkew skew;

    SkewTolerant(
        ValidatingResolver exact,
        Resolver transport,
        TrustAnchors anchors,
        InstantSource clock,
        SignatureSkew skew) {
      super(exact);
      this.exact = exact;
      this.transport = transport;
      this.anchors = anchors;
      this.clock = clock;
      this.skew = skew;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      return exact
          .sendAsync(query, executor)
          .thenCompose(
              m -> bogus(m) ? again(query, executor, m) : CompletableFuture.completedFuture(m));
    }

    private CompletionStage<Message> again(Message query, Executor executor, Message bogus) {
      Instant now = clock.instant();
      Set<RRSIGRecord> seen = ConcurrentHashMap.newKeySet();
      return round(query, executor, bogus, now, Duration.ZERO, seen, 0);
    }

    /** One validation on a clock moved by {@code shift}, recording the RRSIGs it reads. */
    private CompletionStage<Message> round(
        Message query,
        Executor executor,
        Message bogus,
        Instant now,
        Duration shift,
        Set<RRSIGRecord> seen,
        int done) {
      ValidatingResolver v =
          validator(
              new Recording(new DnssecOk(transport), seen),
              anchors,
              java.time.Clock.fixed(now.plus(shift), ZoneOffset.UTC));
      return v.sendAsync(query, executor)
          .thenCompose(
              m -> {
                SignatureSkew.Verdict verdict = skew.judge(seen, now);
                if (!bogus(m)) {
                  // Valid now (the probe), or on the moved clock: then it stands only if every
                  // RRSIG read is within its tolerance (RFC 4035 §5.3.1).
                  return CompletableFuture.completedFuture(
                      shift.isZero()
                              || verdict instanceof SignatureSkew.Verdict.InTime
                              || verdict instanceof SignatureSkew.Verdict.WithinTolerance
                          ? m
                          : bogus);
                }
                if (verdict instanceof SignatureSkew.Verdict.OutOfTime out) {
                  return CompletableFuture.completedFuture(withTimeError(bogus, out));
                }
                if (verdict instanceof SignatureSkew.Verdict.WithinTolerance within
                    && !within.shift().equals(shift)
                    && done + 1 < MAX_ROUNDS) {
                  return round(query, executor, bogus, now, within.shift(), seen, done + 1);
                }
                return CompletableFuture.completedFuture(bogus); // bogus for another reason
              });
    }

  }

  /**
   * The bogus response with the time as its reason: the validator's reason TXT replaced, and
   * EDE 7 (Signature Expired) or 8 (Signature Not Yet Valid) in place of its EDE (RFC 8914 §4.8,
   * §4.9).
   */
  static Message withTimeError(Message bogus, SignatureSkew.Verdict.OutOfTime out) {
    Message m = bogus.clone();
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        m.removeRecord(r, Section.ADDITIONAL);
      }
    }
    String reason = out.describe();
    Record question = bogus.getQuestion();
    m.addRecord(
        new TXTRecord(
            question == null ? Name.root : question.getName(),
            ValidatingResolver.VALIDATION_REASON_QCLASS,
            0,
            reason.length() > 255 ? reason.substring(0, 255) : reason),
        Section.ADDITIONAL);
    OPTRecord opt = m.getOPT();
    List<EDNSOption> options = new ArrayList<>();
    int payload = 1232;
    if (opt != null) {
      payload = opt.getPayloadSize();
      for (EDNSOption o : opt.getOptions()) {
        if (o.getCode() != EDNSOption.Code.EDNS_EXTENDED_ERROR) {
          options.add(o);
        }
      }
      m.removeRecord(opt, Section.ADDITIONAL);
    }
    options.add(
        new ExtendedErrorCodeOption(
            out.expired()
                ? ExtendedErrorCodeOption.SIGNATURE_EXPIRED
                : ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID,
            reason));
    m.addRecord(new OPTRecord(payload, 0, 0, 0, options), Section.ADDITIONAL);
    return m;
  }

  /** Records every RRSIG of every response that passes, for {@link SignatureSkew#judge}. */
  private static final class Recording extends Forwarding {
    private final Resolver transport;
    private final Set<RRSIGRecord> seen;

    Recording(Resolver transport, Set<RRSIGRecord> seen) {
      super(transport);
      this.transport = transport;
      this.seen = seen;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      return transport
          .sendAsync(query, executor)
          .thenApply(
              m -> {
                for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                  for (Record r : m.getSection(section)) {
                    if (r instanceof RRSIGRecord sig) {
                      seen.add(sig);
                    }
                  }
                }
                return m;
              });
    }

  }

  /** A resolver whose settings go to the one it wraps; subclasses say how a query is sent. */
  private abstract static class Forwarding implements Resolver {
    private final Resolver settings;

    Forwarding(Resolver settings) {
      this.settings = settings;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
      return sendAsync(query, Runnable::run);
    }

    @Override
    public void setPort(int port) {
      settings.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
      settings.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
      settings.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(
        int version, int payloadSize, int flags, @Nullable List<EDNSOption> options) {
      settings.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(@Nullable TSIG key) {
      settings.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration value) {
      settings.setTimeout(value);
    }

    @Override
    public Duration getTimeout() {
      return settings.getTimeout();
    }
  }

  /**
   * Sets DO and CD on every query, over a transport that takes the query's own EDNS. The
   * validator configures its head's EDNS; that is done here, per query, instead.
   */
  private static final class DnssecOk implements Resolver {
    private final Resolver transport;

    DnssecOk(Resolver transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      Message sent = query.clone();
      OPTRecord opt = sent.getOPT();
      if (opt != null) {
        sent.removeRecord(opt, Section.ADDITIONAL);
      }
      // RFC 3225: DO asks for RRSIGs; 1232 bytes as the resolver's own queries (DNS Flag Day).
      sent.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      sent.getHeader().setFlag(Flags.CD);
      return transport.sendAsync(sent, executor);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
      return sendAsync(query, Runnable::run);
    }

    @Override
    public void setPort(int port) {
      throw new UnsupportedOperationException("the port is part of the upstream address");
    }

    @Override
    public void setTCP(boolean flag) {
      throw new UnsupportedOperationException("the transport chooses UDP or TCP");
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
      // The transport retries truncated responses over TCP, as the validator wants.
    }

    @Override
    public void setEDNS(
        int version, int payloadSize, int flags, @Nullable List<EDNSOption> options) {
      // Each query carries DO itself (see sendAsync).
    }

    @Override
    public void setTSIGKey(@Nullable TSIG key) {
      throw new UnsupportedOperationException("no TSIG to a recursive upstream");
    }

    @Override
    public void setTimeout(Duration value) {
      transport.setTimeout(value);
    }

    @Override
    public Duration getTimeout() {
      return transport.getTimeout();
    }
  }
}
