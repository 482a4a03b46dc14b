package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.authority;
import static org.aliasdns.testkit.Dns.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import org.aliasdns.core.Resolution.Failure.Kind;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/** Each fault, through the in-process resolver. */
class FaultTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;
  Resolver resolver;

  @BeforeEach
  void build(FakeDns fake, Resolver resolver) {
    this.fake = fake;
    this.resolver = resolver;
  }

  @Test
  void servfailIsAnsweredWithNoRecords() throws Exception {
    fake.enqueue(Fault.servfail());

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
  }

  @Test
  void refusedIsAnsweredWithNoRecords() throws Exception {
    fake.enqueue(Fault.refused());

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void anyResponseCodeCanBeAnswered() throws Exception {
    fake.enqueue(Fault.rcode(Rcode.NOTIMP));

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void nxdomainCarriesTheSoaOfTheZoneHoldingTheName() throws Exception {
    fake.enqueue(Fault.nxdomain());

    Message reply = ask(resolver, "cdn.example.org.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(authority(reply)).singleElement().asString().startsWith("example.org. 300 IN SOA");
  }

  @Test
  void noDataIsAnEmptyNoerrorWithTheSoa() throws Exception {
    fake.enqueue(Fault.noData());

    Message reply = ask(resolver, "cdn.example.org.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(authority(reply)).singleElement().asString().startsWith("example.org. 300 IN SOA");
  }

  @Test
  void dropMakesTheResolverTimeOut() {
    fake.enqueue(Fault.drop());
    resolver.setTimeout(Duration.ofMillis(200));
    long start = System.nanoTime();

    assertThatThrownBy(() -> ask(resolver, "www.example.net.", Type.A))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void delayAnswersNormallyButLate() throws Exception {
    fake.enqueue(Fault.delay(Duration.ofMillis(150)));
    long start = System.nanoTime();

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(answer(reply)).hasSize(2);
  }

  @Test
  void aDelayLongerThanTheTimeoutIsATimeout() {
    fake.enqueue(Fault.delay(Duration.ofMillis(400)));
    resolver.setTimeout(Duration.ofMillis(100));

    assertThatThrownBy(() -> ask(resolver, "www.example.net.", Type.A))
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void aDelayCanPrecedeAnotherFault() throws Exception {
    fake.enqueue(Fault.delay(Duration.ofMillis(50)).then(Fault.servfail()));

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void truncateMakesTheResolverRetryOverTcp() throws Exception {
    fake.enqueue(Fault.truncate());

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(answer(reply)).hasSize(2);
    ReceivedQuery udp = fake.takeQuery();
    ReceivedQuery tcp = fake.takeQuery();
    assertThat(udp.transport()).isEqualTo(Transport.UDP);
    assertThat(udp.fault()).isEqualTo(Fault.truncate());
    assertThat(tcp.transport()).isEqualTo(Transport.TCP);
    assertThat(tcp.fault()).isNull();
  }

  @Test
  void aTruncatedReplyIsReturnedWhenTheResolverIgnoresTruncation() throws Exception {
    fake.enqueue(Fault.truncate());
    resolver.setIgnoreTruncation(true);

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(fake.queryCount()).isEqualTo(1);
  }

  @Test
  void aTruncateRuleLetsTheTcpRetryThrough() throws Exception {
    fake.inject(Fault.truncate().everywhere());

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(answer(reply)).hasSize(2);
    assertThat(fake.queries()).extracting(ReceivedQuery::transport).containsExactly(Transport.UDP, Transport.TCP);
  }

  @Test
  void aTruncateRuleOverTcpTruncatesTcpToo() throws Exception {
    fake.inject(Fault.truncate().everywhere().overTransport(Transport.TCP));
    resolver.setTCP(true);

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(fake.takeQuery().transport()).isEqualTo(Transport.TCP);
  }

  @Test
  void anAnswerTooBigForUdpIsTruncatedByTheServerAndRetriedOverTcp() throws Exception {
    for (int i = 1; i <= 60; i++) {
      fake.add("big.example.org. 60 A 198.51.100." + i);
    }
    resolver.setEDNS(-1); // 512 bytes over UDP (RFC 1035 §4.2.1)

    Message reply = ask(resolver, "big.example.org.", Type.A);

    assertThat(reply.getSection(Section.ANSWER)).hasSize(60);
    assertThat(fake.queries()).extracting(ReceivedQuery::transport).containsExactly(Transport.UDP, Transport.TCP);
    assertThat(fake.queries()).extracting(ReceivedQuery::fault).containsOnlyNulls();
  }

  @Test
  void wrongIdFailsAsSimpleResolverDoes() {
    fake.enqueue(Fault.wrongId());

    assertThatThrownBy(() -> ask(resolver, "www.example.net.", Type.A))
        .isInstanceOf(WireParseException.class)
        .hasMessageContaining("invalid message id");
  }

  @Test
  void malformedFailsWithTheParseError() {
    fake.enqueue(Fault.malformed());

    assertThatThrownBy(() -> ask(resolver, "www.example.net.", Type.A))
        .isInstanceOf(WireParseException.class);
  }

  @Test
  void extraAnswersComeAfterTheRealChain() throws Exception {
    fake.enqueue(Fault.extraAnswers("www.bank.example. 86400 A 198.51.100.66"));

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(answer(reply))
        .containsExactly(
            "www.example.net. 300 IN CNAME cdn.example.org.",
            "cdn.example.org. 60 IN A 192.0.2.10",
            "www.bank.example. 86400 IN A 198.51.100.66");
  }

  @Test
  void extraAdditionalRecordsRideAlong() throws Exception {
    fake.enqueue(Fault.extraAdditional("ns.bank.example. 86400 A 198.51.100.53"));

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(answer(reply)).hasSize(2);
    assertThat(section(reply, Section.ADDITIONAL)).contains("ns.bank.example. 86400 IN A 198.51.100.53");
  }

  @Test
  void answerReplacesTheWholeAnswerSection() throws Exception {
    fake.enqueue(Fault.answer("www.example.net. 30 A 192.0.2.99"));

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer(reply)).containsExactly("www.example.net. 30 IN A 192.0.2.99");
  }

  @Test
  void enqueuedFaultsAreUsedOncePerQueryInOrderThenAnswersAreNormal() throws Exception {
    fake.enqueue(Fault.servfail()).enqueue(Fault.refused());

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(ask(resolver, "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aDelayHasNoSecondThen() {
    assertThatThrownBy(() -> Fault.delay(Duration.ofMillis(1)).then(Fault.drop()).then(Fault.servfail()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("then was already set");
  }

  @Test
  void eachFaultThatFailsAQueryNamesTheFailureKind() throws Exception {
    assertThat(Fault.servfail().failureKind()).hasValue(Kind.SERVFAIL);
    assertThat(Fault.refused().failureKind()).hasValue(Kind.REFUSED);
    assertThat(Fault.rcode(Rcode.SERVFAIL).failureKind()).hasValue(Kind.SERVFAIL);
    assertThat(Fault.rcode(Rcode.NOTIMP).failureKind()).hasValue(Kind.RCODE);
    assertThat(Fault.drop().failureKind()).hasValue(Kind.TIMEOUT);
    assertThat(Fault.malformed().failureKind()).hasValue(Kind.MALFORMED);
    assertThat(Fault.wrongId().failureKind()).hasValue(Kind.MISMATCHED);
    assertThat(Fault.truncate().failureKind()).hasValue(Kind.TRUNCATED);
    assertThat(Fault.delay(Duration.ofMillis(1)).then(Fault.drop()).failureKind())
        .hasValue(Kind.TIMEOUT);
    assertThat(Fault.delay(Duration.ofMillis(1)).failureKind()).isEmpty();
    assertThat(Fault.nxdomain().failureKind()).isEmpty();
    assertThat(Fault.noData().failureKind()).isEmpty();
    assertThat(Fault.none().failureKind()).isEmpty();
    assertThat(Fault.answer("www.example.net. 60 A 192.0.2.1").failureKind()).isEmpty();
  }

  @Test
  void theJournalCarriesTheFailureKind() throws Exception {
    fake.enqueue(Fault.servfail());
    ask(resolver, "www.example.net.", Type.A);
    ask(resolver, "www.example.net.", Type.A);

    assertThat(fake.takeQuery().failureKind()).hasValue(Kind.SERVFAIL);
    assertThat(fake.takeQuery().failureKind()).isEmpty();
  }
}
