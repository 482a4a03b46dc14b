package org.aliasdns.server.internal;

import static org.aliasdns.server.internal.ResponseRateLimiter.Verdict.DROP;
import static org.aliasdns.server.internal.ResponseRateLimiter.Verdict.SEND;
import static org.aliasdns.server.internal.ResponseRateLimiter.Verdict.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.server.ResponseRateLimit;
import org.aliasdns.server.internal.ResponseRateLimiter.Verdict;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The buckets of response rate limiting, on a clock the test moves. */
class ResponseRateLimiterTest {
  /** A clock that stands still until told to move. */
  private static final class StepClock implements InstantSource {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final StepClock clock = new StepClock();

  private ResponseRateLimiter limiter(int rate, int slip) {
    return new ResponseRateLimiter(
        ResponseRateLimit.builder().responsesPerSecond(rate).slip(slip).clock(clock).build());
  }

  private static InetAddress ip(String literal) {
    try {
      return Address.getByAddress(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static List<Verdict> take(ResponseRateLimiter rrl, String client, int n) {
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rrl.admit(ip(client)));
    }
    return out;
  }

  @Test
  void aPrefixGetsOneSecondsWorthAtOnceThenEverySecondLimitedResponseSlips() {
    ResponseRateLimiter rrl = limiter(5, 2);

    assertThat(take(rrl, "192.0.2.1", 11))
        .containsExactly(SEND, SEND, SEND, SEND, SEND, DROP, SLIP, DROP, SLIP, DROP, SLIP);
  }

  @Test
  void theBucketRefillsAtTheRate() {
    ResponseRateLimiter rrl = limiter(10, 2);
    take(rrl, "192.0.2.1", 30); // empty, and over

    clock.advance(Duration.ofMillis(100)); // one response's worth
    assertThat(take(rrl, "192.0.2.1", 2)).containsExactly(SEND, DROP);

    clock.advance(Duration.ofSeconds(1)); // a whole bucket again, never more
    assertThat(take(rrl, "192.0.2.1", 11)).filteredOn(v -> v == SEND).hasSize(10);
  }

  @Test
  void aClientWithinTheRateIsNeverLimited() {
    ResponseRateLimiter rrl = limiter(100, 2);
    for (int i = 0; i < 10_000; i++) {
      assertThat(rrl.admit(ip("198.51.100.7"))).as("response %d", i).isEqualTo(SEND);
      clock.advance(Duration.ofMillis(10));
    }
  }

  @Test
  void addressesInOneIpv4Slash24ShareABucketAndTheNextSlash24HasItsOwn() {
    ResponseRateLimiter rrl = limiter(3, 0);
    assertThat(rrl.admit(ip("192.0.2.1"))).isEqualTo(SEND);
    assertThat(rrl.admit(ip("192.0.2.200"))).isEqualTo(SEND);
    assertThat(rrl.admit(ip("192.0.2.255"))).isEqualTo(SEND);
    assertThat(rrl.admit(ip("192.0.2.9"))).isEqualTo(DROP);

    assertThat(rrl.admit(ip("192.0.3.1"))).isEqualTo(SEND);
  }

  @Test
  void addressesInOneIpv6Slash56ShareABucketAndTheNextSlash56HasItsOwn() {
    ResponseRateLimiter rrl = limiter(2, 0);
    assertThat(rrl.admit(ip("2001:db8:0:1::1"))).isEqualTo(SEND);
    assertThat(rrl.admit(ip("2001:db8:0:ff:ffff::9"))).isEqualTo(SEND); // same /56
    assertThat(rrl.admit(ip("2001:db8::53"))).isEqualTo(DROP);

    assertThat(rrl.admit(ip("2001:db8:0:100::1"))).isEqualTo(SEND); // the next /56
  }

  @Test
  void thePrefixLengthsAreSettings() {
    ResponseRateLimiter rrl =
        new ResponseRateLimiter(
            ResponseRateLimit.builder()
                .responsesPerSecond(1)
                .slip(0)
                .ipv4PrefixLength(32)
                .ipv6PrefixLength(128)
                .clock(clock)
                .build());
    assertThat(take(rrl, "192.0.2.1", 2)).containsExactly(SEND, DROP);
    assertThat(rrl.admit(ip("192.0.2.2"))).isEqualTo(SEND);
    assertThat(take(rrl, "2001:db8::1", 2)).containsExactly(SEND, DROP);
    assertThat(rrl.admit(ip("2001:db8::2"))).isEqualTo(SEND);
  }

  @Test
  void slipZeroDropsEveryLimitedResponseAndSlipOneTruncatesEveryOne() {
    assertThat(take(limiter(1, 0), "192.0.2.1", 5)).containsExactly(SEND, DROP, DROP, DROP, DROP);
    assertThat(take(limiter(1, 1), "192.0.2.1", 5)).containsExactly(SEND, SLIP, SLIP, SLIP, SLIP);
    assertThat(take(limiter(1, 3), "192.0.2.1", 7))
        .containsExactly(SEND, DROP, DROP, SLIP, DROP, DROP, SLIP);
  }

  @Test
  void aFloodFromForgedSourcesNeitherGrowsTheTableNorFreesTheVictimsBucket() {
    ResponseRateLimiter rrl =
        new ResponseRateLimiter(
            ResponseRateLimit.builder()
                .responsesPerSecond(10)
                .slip(0)
                .tableSize(1024)
                .clock(clock)
                .build());
    take(rrl, "198.51.100.1", 10); // the victim's bucket is empty
    int victimSent = 0;
    for (int i = 0; i < 1_000_000; i++) {
      // a million distinct /24s, far more than the 1,024 slots
      int forged = 0x0B000000 + (i << 8);
      rrl.admit(
          ip((forged >>> 24) + "." + ((forged >>> 16) & 0xFF) + "." + ((forged >>> 8) & 0xFF)
              + ".1"));
      if (i % 1000 == 0 && rrl.admit(ip("198.51.100.1")) == SEND) {
        victimSent++;
      }
    }
    // the clock never moved: the victim's prefix was not given a fresh bucket by the churn
    assertThat(victimSent).isZero();
  }

  @Test
  void aClockThatStepsBackDoesNotLimitForLongerThanASecond() {
    ResponseRateLimiter rrl = limiter(5, 0);
    take(rrl, "192.0.2.1", 5);
    clock.advance(Duration.ofHours(-1)); // the system clock was set back

    assertThat(rrl.admit(ip("192.0.2.1"))).isEqualTo(SEND);
  }

  @Test
  void aSlippedResponseIsTheHeaderWithTcAndTheQuestionOnly() throws Exception {
    Name qname = Name.fromString("example.com.");
    Message query = Message.newQuery(Record.newRecord(qname, Type.TXT, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(query.getQuestion(), Section.QUESTION);
    for (int i = 0; i < 5; i++) {
      reply.addRecord(new TXTRecord(qname, DClass.IN, 300, "x".repeat(200)), Section.ANSWER);
    }
    reply.addRecord(
        new ARecord(qname, DClass.IN, 300, ip("192.0.2.1")), Section.ADDITIONAL);

    byte[] slipped = ResponseRateLimiter.slipped(reply.toWire());

    Message parsed = new Message(slipped);
    assertThat(parsed.getHeader().getID()).isEqualTo(query.getHeader().getID());
    assertThat(parsed.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(parsed.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(parsed.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(parsed.getQuestion()).isEqualTo(query.getQuestion());
    assertThat(parsed.getSection(Section.ANSWER)).isEmpty();
    assertThat(parsed.getSection(Section.ADDITIONAL)).isEmpty();
    assertThat(slipped.length).isLessThanOrEqualTo(query.toWire().length);
  }

  @Test
  void aSlippedHeaderOnlyReplyStaysAHeader() {
    byte[] header = {0x12, 0x34, (byte) 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] slipped = ResponseRateLimiter.slipped(header);
    assertThat(slipped).hasSize(12);
    assertThat(slipped[2] & 0x02).isEqualTo(0x02);
    byte[] lying = {0x12, 0x34, (byte) 0x80, 0x00, 0, 1, 0, 3, 0, 0, 0, 0, 9, 'a'};
    assertThat(ResponseRateLimiter.slipped(lying)).hasSize(12);
  }
}
