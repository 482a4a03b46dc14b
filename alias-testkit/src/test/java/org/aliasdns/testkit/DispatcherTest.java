package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Answers computed per query by a dispatcher, with faults, strict mode and the journal around it. */
class DispatcherTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  /** Every name under shard.example.net. gets an address made from its first label. */
  static Fault shards(ReceivedQuery q) {
    String name = q.name().toString();
    if (q.type() == Type.A && name.endsWith(".shard.example.net.")) {
      String n = q.name().getLabelString(0).replace("s", "");
      return Fault.answer(name + " 30 A 198.51.100." + n);
    }
    return Fault.none();
  }

  @Test
  void theDispatcherAnswersFromTheQuery(FakeDns fake, Resolver resolver) throws Exception {
    fake.dispatcher(DispatcherTest::shards);

    assertThat(answer(ask(resolver, "s7.shard.example.net.", Type.A)))
        .containsExactly("s7.shard.example.net. 30 IN A 198.51.100.7");
    assertThat(answer(ask(resolver, "s42.shard.example.net.", Type.A)))
        .containsExactly("s42.shard.example.net. 30 IN A 198.51.100.42");
  }

  @Test
  void noneFromTheDispatcherAnswersFromTheZonesAndIsJournaledAsNoFault(
      FakeDns fake, Resolver resolver) throws Exception {
    fake.dispatcher(DispatcherTest::shards);

    assertThat(answer(ask(resolver, "www.example.net.", Type.A)))
        .containsExactly(
            "www.example.net. 300 IN CNAME cdn.example.org.", "cdn.example.org. 60 IN A 192.0.2.10");
    assertThat(fake.takeQuery().fault()).isNull();
  }

  @Test
  void theJournalRecordsWhatTheDispatcherReturned(FakeDns fake, Resolver resolver)
      throws Exception {
    fake.dispatcher(q -> Fault.servfail());

    Message reply = ask(resolver, "www.example.net.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(fake.takeQuery().fault()).isEqualTo(Fault.servfail());
  }

  @Test
  void theDispatcherSeesEachQueryWithItsSequenceNumber(FakeDns fake, Resolver resolver)
      throws Exception {
    fake.dispatcher(q -> q.sequence() % 2 == 1 ? Fault.servfail() : Fault.none());

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(fake.queries()).extracting(ReceivedQuery::sequence).containsExactly(1L, 2L, 3L);
  }

  @Test
  void enqueuedFaultsAndRulesComeBeforeTheDispatcher(FakeDns fake, Resolver resolver)
      throws Exception {
    AtomicInteger asked = new AtomicInteger();
    fake.dispatcher(q -> {
      asked.incrementAndGet();
      return Fault.answer("www.example.net. 60 A 192.0.2.99");
    });
    fake.enqueue(Fault.refused());
    fake.inject(Fault.nxdomain().forName("gone.example.net.", Type.A));

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(resolver, "gone.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer(ask(resolver, "www.example.net.", Type.A)))
        .containsExactly("www.example.net. 60 IN A 192.0.2.99");
    assertThat(asked).hasValue(1);
  }

  @Test
  void strictModeRefusesBeforeTheDispatcherIsAsked(FakeDns fake, Resolver resolver)
      throws Exception {
    AtomicInteger asked = new AtomicInteger();
    fake.dispatcher(q -> {
      asked.incrementAndGet();
      return Fault.none();
    });
    fake.expect("www.example.net.", Type.A);

    assertThat(ask(resolver, "cdn.example.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(asked).hasValue(0);
    assertThat(fake.unexpectedQueries()).hasSize(1);
    fake.reset(); // the unexpected query is this test's point, not a failure of it
  }

  @Test
  void aDispatcherThatThrowsCostsServfailAndFailsVerify(FakeDns fake, Resolver resolver)
      throws Exception {
    IllegalStateException bug = new IllegalStateException("no rule for this name");
    fake.dispatcher(q -> {
      throw bug;
    });

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(fake.takeQuery().fault()).isEqualTo(Fault.servfail());
    assertThatThrownBy(fake::verify)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the dispatcher threw for 1 query")
        .hasMessageContaining("www.example.net. A")
        .hasCause(bug);
    fake.reset();
    fake.verify(); // reset forgets it
  }

  @Test
  void resetPutsBackTheBuildersDispatcher() throws Exception {
    try (FakeDns fake = FakeDns.recursive().dispatcher(DispatcherTest::shards).build()) {
      Resolver resolver = fake.resolver();
      fake.dispatcher(q -> Fault.refused());
      assertThat(ask(resolver, "s1.shard.example.net.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);

      fake.reset();

      assertThat(answer(ask(resolver, "s1.shard.example.net.", Type.A)))
          .containsExactly("s1.shard.example.net. 30 IN A 198.51.100.1");
      fake.clearDispatcher();
      assertThat(ask(resolver, "s1.shard.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
  }

  @Test
  void theBuilderTakesOneDispatcher() {
    FakeDns.Builder builder = FakeDns.recursive().dispatcher(q -> Fault.none());

    assertThatThrownBy(() -> builder.dispatcher(q -> Fault.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dispatcher was already set");
  }

  @Test
  void aDelayFromTheDispatcherIsSentLate(FakeDns fake, Resolver resolver) throws Exception {
    fake.dispatcher(q -> Fault.delay(Duration.ofMillis(50)).then(Fault.nxdomain()));

    assertThat(ask(resolver, "www.example.net.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void theDispatcherAnswersOverTheNetworkToo(FakeDns fake, InetSocketAddress address)
      throws Exception {
    fake.dispatcher(DispatcherTest::shards);
    SimpleResolver simple = new SimpleResolver(address);
    simple.setTimeout(Duration.ofSeconds(2));

    assertThat(answer(simple.send(query("s9.shard.example.net.", Type.A))))
        .containsExactly("s9.shard.example.net. 30 IN A 198.51.100.9");
  }
}
