package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

class JournalTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;
  Resolver resolver;

  @BeforeEach
  void build(FakeDns fake, Resolver resolver) {
    this.fake = fake;
    this.resolver = resolver;
  }

  @Test
  void takeQueryReturnsQueriesInArrivalOrderWithWhatWasAsked() throws Exception {
    fake.clock().advance(Duration.ofSeconds(7));
    ask(resolver, "cdn.example.org.", Type.A);
    ask(resolver, "CDN.example.org.", Type.AAAA);

    ReceivedQuery first = fake.takeQuery();
    ReceivedQuery second = fake.takeQuery();

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.asked("cdn.example.org", Type.A)).isTrue();
    assertThat(first.transport()).isEqualTo(Transport.UDP);
    assertThat(first.receivedAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(7));
    assertThat(first.client().getAddress().isLoopbackAddress()).isTrue();
    assertThat(first.fault()).isNull();
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.name().toString()).isEqualTo("CDN.example.org."); // the case asked
    assertThat(second.message().getOPT()).isNotNull(); // EDNS, as SimpleResolver sends
  }

  @Test
  void takeQueryFailsWhenNoQueryArrives() {
    assertThatThrownBy(() -> fake.takeQuery(Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no query arrived within 50 ms");
  }

  @Test
  void aQueryRecordsTheFaultApplied() throws Exception {
    fake.enqueue(Fault.servfail());
    ask(resolver, "cdn.example.org.", Type.A);

    assertThat(fake.takeQuery().fault()).isEqualTo(Fault.servfail());
  }

  @Test
  void queryCountCountsTakenAndUntakenQueriesByNameAndType() throws Exception {
    ask(resolver, "cdn.example.org.", Type.A);
    ask(resolver, "cdn.example.org.", Type.A);
    ask(resolver, "cdn.example.org.", Type.AAAA);
    fake.takeQuery();

    assertThat(fake.queryCount()).isEqualTo(3);
    assertThat(fake.queryCount("cdn.example.org.", Type.A)).isEqualTo(2);
    assertThat(fake.queryCount("CDN.EXAMPLE.ORG", Type.AAAA)).isEqualTo(1);
    assertThat(fake.queries()).hasSize(3);
  }

  @Test
  void theMessageOfAReceivedQueryCannotBeChanged() throws Exception {
    ask(resolver, "cdn.example.org.", Type.A);
    ReceivedQuery q = fake.takeQuery();

    q.message().getHeader().setID(4242);

    assertThat(q.message().getHeader().getID()).isNotEqualTo(4242);
  }

  @Test
  void strictModeRefusesAndReportsUnexpectedQueries() throws Exception {
    fake.expect("cdn.example.org.", Type.A);

    assertThat(ask(resolver, "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ask(resolver, "cdn.example.org.", Type.AAAA).getRcode()).isEqualTo(Rcode.REFUSED);

    assertThat(fake.unexpectedQueries()).singleElement().matches(q -> q.type() == Type.AAAA);
    assertThatThrownBy(fake::verify)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 unexpected query (expected only [cdn.example.org. A])")
        .hasMessageContaining("cdn.example.org. AAAA over UDP");
    fake.reset(); // the unexpected query is what this test is about: the extension verifies too
  }

  @Test
  void strictModeWithOnlyExpectedQueriesVerifies() throws Exception {
    fake.expect("cdn.example.org.");
    ask(resolver, "cdn.example.org.", Type.A);
    ask(resolver, "cdn.example.org.", Type.AAAA);

    fake.verify();
  }

  @Test
  void failOnUnexpectedQueriesWithoutExpectationsRefusesEverything() throws Exception {
    try (FakeDns strict =
        FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").failOnUnexpectedQueries().build()) {
      assertThat(ask(strict.resolver(), "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
      assertThatThrownBy(strict::verify).isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void verifyPassesWhenStrictModeIsOff() throws Exception {
    ask(resolver, "anything.example.", Type.TXT);

    fake.verify();
  }

  @Test
  void takeQueryWaitsFiveSecondsAsDocumented() {
    assertThat(FakeDns.DEFAULT_TAKE_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void resetForgetsQueriesFaultsAndExpectations() throws Exception {
    fake.enqueue(Fault.servfail());
    fake.inject(Fault.refused().everywhere());
    fake.expect("other.example.org.", Type.A);
    fake.clock().advance(Duration.ofHours(1));
    ask(resolver, "cdn.example.org.", Type.A);

    fake.reset();

    assertThat(fake.queryCount()).isZero();
    assertThat(fake.clock().instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(ask(resolver, "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(fake.takeQuery().sequence()).isEqualTo(1);
    fake.verify();
  }

  @Test
  void theJournalKeepsTheLatestTenThousandQueriesButCountsEveryOne() throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("cdn.example.org."), Type.A, DClass.IN));
    for (int i = 0; i < 10_050; i++) {
      resolver.send(query);
    }

    assertThat(fake.queryCount()).isEqualTo(10_050);
    assertThat(fake.queryCount("cdn.example.org.", Type.A)).isEqualTo(10_050);
    assertThat(fake.queries()).hasSize(10_000);
    assertThat(fake.queries().get(0).sequence()).isEqualTo(51);
    assertThat(fake.takeQuery().sequence()).isEqualTo(51);
  }
}
