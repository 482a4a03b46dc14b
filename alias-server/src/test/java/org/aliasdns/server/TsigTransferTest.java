package org.aliasdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aliasdns.core.RecordSet;
import org.aliasdns.core.Zone;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * TSIG (RFC 8945) on a {@link ZoneHandler} behind a real {@link DnsServer}: transfers verified
 * and signed message by message, the TSIG errors, the loopback exemption, signed NOTIFY.
 */
class TsigTransferTest {
  static final TsigKey KEY =
      TsigKey.of("xfr-key", "hmac-sha256", "yOdEcHuR8kK5S3YbJp4b5kYxZpQ2Vv9hV3tF3hq2m8Y=");
  static final TsigKey OTHER =
      TsigKey.of("other-key", "hmac-sha256", "c2VjcmV0IG9mIHRoZSBvdGhlciBrZXkgMTIzNDU2Nzg=");
  static final TsigKey WRONG_SECRET =
      TsigKey.of("xfr-key", "hmac-sha256", "d3Jvbmcgc2VjcmV0IGZvciB0aGUgeGZyIGtleSAxMjM=");

  private @Nullable DnsServer server;

  private DnsServer running() {
    return java.util.Objects.requireNonNull(server, "server not started");
  }

  @AfterEach
  void stop() {
    DnsServer s = server;
    if (s != null) {
      s.close();
    }
  }

  private int start(TransferAcl acl, Zone... zones) throws Exception {
    ZoneHandler handler =
        ZoneHandler.builder().tsigKeys(List.of(KEY)).transferAcl(acl).build();
    for (Zone z : zones) {
      handler.serve(z);
    }
    server = DnsServer.builder(handler).build().start();
    return running().port();
  }

  private static TransferAcl keyRequired() {
    return TransferAcl.builder()
        .allowKey(KEY.name())
        .requireTsig(true)
        .loopbackExempt(false)
        .build();
  }

  private static List<Record> axfr(int port, Name zone, @Nullable TSIG key) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(zone, new InetSocketAddress(Wire.LOOPBACK, port), key);
    xfr.setTimeout(Duration.ofSeconds(5));
    xfr.run();
    return xfr.getAXFR();
  }

  @Test
  void aSignedAxfrOfManyMessagesVerifiesMessageByMessage() throws Exception {
    Zone big = Zones.big(2000); // some 200 KiB: more than a dozen messages
    int port = start(keyRequired(), big);
    List<Record> got = axfr(port, big.origin(), KEY.tsig(InstantSource.system()));
    // dnsjava's ZoneTransferIn verifies every message's TSIG (RFC 8945 §5.3.1) or throws.
    assertThat(got).hasSize((int) big.recordCount() + 1);
    assertThat(running().stats().tcpQueries()).isEqualTo(1);
  }

  @Test
  void anUnsignedTransferIsRefusedWhenAKeyIsRequired() throws Exception {
    int port = start(keyRequired(), Zones.example());
    assertThatThrownBy(() -> axfr(port, Zones.ORIGIN, null))
        .isInstanceOf(ZoneTransferException.class)
        .hasMessageContaining("REFUSED");
  }

  @Test
  void loopbackTransfersWithoutAKeyWhileTheExemptionIsOn() throws Exception {
    int port =
        start(TransferAcl.builder().allowKey(KEY.name()).requireTsig(true).build(), Zones.example());
    assertThat(axfr(port, Zones.ORIGIN, null)).isNotEmpty();
  }

  @Test
  void aKeyTheServerDoesNotKnowIsBadkey() throws Exception {
    int port = start(keyRequired(), Zones.example());
    Message reply = signedTcp(port, Type.AXFR, OTHER.tsig(InstantSource.system()));
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTAUTH);
    TSIGRecord tsig = reply.getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADKEY);
    assertThat(tsig.getName()).isEqualTo(OTHER.name());
    assertThat(tsig.getSignature()).isEmpty(); // RFC 8945 §5.3.2: not signed
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aWrongSecretIsBadsig() throws Exception {
    int port = start(keyRequired(), Zones.example());
    Message reply = signedTcp(port, Type.AXFR, WRONG_SECRET.tsig(InstantSource.system()));
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(reply.getTSIG().getError()).isEqualTo(Rcode.BADSIG);
    assertThat(reply.getTSIG().getSignature()).isEmpty();
  }

  @Test
  void aClockOutsideTheFudgeIsBadtimeSignedWithTheServersTime() throws Exception {
    int port = start(keyRequired(), Zones.example());
    Instant skewed = Instant.now().minusSeconds(3600);
    Message reply = signedTcp(port, Type.AXFR, KEY.tsig(InstantSource.fixed(skewed)));
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOTAUTH);
    TSIGRecord tsig = reply.getTSIG();
    assertThat(tsig.getError()).isEqualTo(Rcode.BADTIME);
    assertThat(tsig.getSignature()).isNotEmpty(); // RFC 8945 §5.2.3: signed
    assertThat(tsig.getOther()).hasSize(6); // the server's time
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aValidKeyNotAllowedForThisClientIsRefusedAndSigned() throws Exception {
    ZoneHandler handler =
        ZoneHandler.builder()
            .tsigKeys(List.of(KEY, OTHER))
            .transferAcl(
                TransferAcl.builder()
                    .allow(Wire.LOOPBACK, 32, KEY.name())
                    .loopbackExempt(false)
                    .build())
            .build();
    handler.serve(Zones.example());
    server = DnsServer.builder(handler).build().start();
    TSIG other = OTHER.tsig(InstantSource.system());
    Message reply = signedTcp(running().port(), Type.AXFR, other);
    assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(reply.getTSIG().getError()).isEqualTo(Rcode.NOERROR);
    assertThat(axfr(running().port(), Zones.ORIGIN, KEY.tsig(InstantSource.system()))).isNotEmpty();
  }

  @Test
  void aSignedQueryGetsASignedAnswerThatVerifies() throws Exception {
    int port = start(keyRequired(), Zones.example());
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(Wire.LOOPBACK, port));
    resolver.setTimeout(Duration.ofSeconds(2));
    resolver.setTSIGKey(KEY.tsig(InstantSource.system()));
    Message reply = resolver.send(Wire.query("host.example.com.", Type.A));
    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.isVerified()).isTrue(); // SimpleResolver checked the reply's MAC
    assertThat(reply.getTSIG()).isNotNull();
  }

  @Test
  void aSignedUdpAnswerTooBigIsTruncatedAndStillSignedWithItsOptBeforeTheTsig() throws Exception {
    int port = start(keyRequired(), Zones.big(200));
    TSIG key = KEY.tsig(InstantSource.system());
    Message q = Wire.query("many.big.example.", Type.A); // 40 A records: more than 512 bytes
    q.addRecord(new org.xbill.DNS.OPTRecord(512, 0, 0), Section.ADDITIONAL);
    key.apply(q, null);
    byte[] wire = Wire.udp(port, q.toWire()).orElseThrow();
    Message reply = new Message(wire);
    assertThat(wire.length).isLessThanOrEqualTo(512);
    assertThat(reply.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
    List<Record> additional = reply.getSection(Section.ADDITIONAL);
    assertThat(additional).extracting(Record::getType).containsExactly(Type.OPT, Type.TSIG);
    // RFC 8945 §5.3: the truncated reply is signed, and the signature covers what was sent.
    assertThat(key.verify(reply, wire, q.getTSIG())).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aSignedNotifyIsVerifiedBySecondaryAndItsSignedReplyByUs() throws Exception {
    TSIG secondaryKey = KEY.tsig(InstantSource.system());
    BlockingQueue<Integer> seen = new LinkedBlockingQueue<>();
    DnsHandler secondary =
        request -> {
          Message q = request.message();
          int verified = secondaryKey.verify(q, request.wire(), null);
          seen.add(verified);
          Message reply = request.response(Rcode.NOERROR);
          secondaryKey.apply(reply, q.getTSIG());
          return DnsReply.raw(reply.toWire());
        };
    try (DnsServer sec = DnsServer.builder(secondary).build().start()) {
      BlockingQueue<NotifyResult> results = new LinkedBlockingQueue<>();
      ZoneHandler handler =
          ZoneHandler.builder()
              .tsigKeys(List.of(KEY))
              .transferAcl(TransferAcl.builder().allowKey(KEY.name()).build())
              .notify(List.of(sec.address()))
              .notifier(Notifier.builder().timeout(Duration.ofMillis(500)).retries(1).build())
              .onNotified(results::add)
              .build();
      handler.serve(Zones.example());
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(Rcode.NOERROR);
      NotifyResult result = results.poll(10, TimeUnit.SECONDS);
      assertThat(result).isNotNull();
      assertThat(result.status()).isEqualTo(NotifyResult.Status.ACKNOWLEDGED);
    }
  }

  @Test
  void anUnsignedReplyToASignedNotifyIsIgnored() throws Exception {
    DnsHandler secondary = request -> DnsReply.of(request.response(Rcode.NOERROR));
    try (DnsServer sec = DnsServer.builder(secondary).build().start()) {
      Notifier notifier =
          Notifier.builder().timeout(Duration.ofMillis(100)).retries(1).build();
      NotifyResult result =
          notifier.notify(Zones.example(), sec.address(), KEY).toCompletableFuture().get();
      assertThat(result.status()).isEqualTo(NotifyResult.Status.TIMED_OUT);
      assertThat(result.attempts()).isEqualTo(2);
    }
  }

  @Test
  void anAclNamingAnUnknownKeyIsRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                ZoneHandler.builder()
                    .transferAcl(TransferAcl.builder().allowKey(OTHER.name()).build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-key.");
  }

  /** Sends one signed query over TCP and returns the first reply message, parsed. */
  static Message signedTcp(int port, int type, TSIG key) throws Exception {
    Message q = Wire.query("example.com.", type);
    key.apply(q, null);
    return Wire.tcpMessage(port, q);
  }

  static List<Record> records(Zone zone) {
    List<Record> out = new ArrayList<>();
    for (RecordSet set : zone) {
      out.addAll(set.records());
    }
    return out;
  }
}
