package org.aliasdns.resolver.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.aliasdns.resolver.TrustAnchors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
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

  /**
   * Wraps a transport in a validator holding the anchors.
   *
   * @param transport how queries reach the upstream
   * @param anchors the trust anchors
   * @param clock the resolver's clock, for signature validity (RFC 4034 §3.1.5)
   * @return the validating resolver
   * @throws IllegalArgumentException if dnsjava does not accept the anchors
   */
  static ValidatingResolver over(Resolver transport, TrustAnchors anchors, InstantSource clock) {
    ValidatingResolver validator =
        new ValidatingResolver(new DnssecOk(transport), clock.withZone(ZoneOffset.UTC));
    validator.setAddReasonToAdditional(true); // the reason, for Failure.reason()
    try {
      validator.loadTrustAnchors(
          new ByteArrayInputStream(anchors.text().getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new IllegalArgumentException("trust anchors not accepted: " + e.getMessage(), e);
    }
    return validator;
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
