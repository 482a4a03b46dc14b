package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

class FaultRuleTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10")
              .record("cdn.example.org. 60 AAAA 2001:db8::10"));

  FakeDns fake;
  Resolver resolver;
  ManualClock clock;

  @BeforeEach
  void build(FakeDns fake, Resolver resolver) {
    this.fake = fake;
    this.resolver = resolver;
    this.clock = fake.clock();
  }

  int rcode(String name, int type) throws Exception {
    return ask(resolver, name, type).getRcode();
  }

  @Test
  void aRuleForANameAndTypeLeavesOtherQuestionsAlone() throws Exception {
    fake.inject(Fault.servfail().forName("www.example.net.", Type.A));

    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    assertThat(rcode("WWW.Example.NET.", Type.A)).isEqualTo(Rcode.SERVFAIL); // RFC 4343
    assertThat(rcode("www.example.net.", Type.AAAA)).isEqualTo(Rcode.NOERROR);
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aRuleForANameMatchesEveryType() throws Exception {
    fake.inject(Fault.refused().forName("cdn.example.org"));

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.REFUSED);
    assertThat(rcode("cdn.example.org.", Type.AAAA)).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void aRuleForNamesUnderAZoneFailsTheWholeZone() throws Exception {
    fake.inject(Fault.servfail().forNamesUnder("example.org."));

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    assertThat(rcode("example.org.", Type.SOA)).isEqualTo(Rcode.SERVFAIL);
    assertThat(rcode("www.example.net.", Type.CNAME)).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void timesLimitsHowOftenTheFaultApplies() throws Exception {
    fake.inject(Fault.servfail().everywhere().times(2));

    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void afterQueriesLetsTheFirstQueriesThroughThenFails() throws Exception {
    fake.inject(Fault.servfail().forName("www.example.net.", Type.A).afterQueries(2));

    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.NOERROR);
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.NOERROR); // does not count
    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.NOERROR);
    assertThat(rcode("www.example.net.", Type.A)).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void fromChangesTheAnswerAtAClockTime() throws Exception {
    Instant change = clock.instant().plus(Duration.ofMinutes(5));
    fake.inject(
        Fault.answer("cdn.example.org. 60 A 192.0.2.20").forName("cdn.example.org.", Type.A).from(change));

    assertThat(answer(ask(resolver, "cdn.example.org.", Type.A)))
        .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
    clock.advance(Duration.ofMinutes(5));
    assertThat(answer(ask(resolver, "cdn.example.org.", Type.A)))
        .containsExactly("cdn.example.org. 60 IN A 192.0.2.20");
  }

  @Test
  void untilEndsAnOutageAtAClockTime() throws Exception {
    fake.inject(Fault.servfail().everywhere().until(clock.instant().plusSeconds(30)));

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    clock.advance(Duration.ofSeconds(29));
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
    clock.advance(Duration.ofSeconds(1));
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aProbabilityFailsAboutThatShareOfQueries() throws Exception {
    fake.inject(Fault.servfail().everywhere().withProbability(0.3, 42));

    int failed = 0;
    for (int i = 0; i < 200; i++) {
      if (rcode("cdn.example.org.", Type.A) == Rcode.SERVFAIL) {
        failed++;
      }
    }

    assertThat(failed).isBetween(40, 80);
  }

  @Test
  void theSameSeedFailsTheSameQueries() throws Exception {
    List<Integer> first = outcomes(Fault.servfail().everywhere().withProbability(0.5, 7));
    fake.reset();
    List<Integer> second = outcomes(Fault.servfail().everywhere().withProbability(0.5, 7));

    assertThat(first).isEqualTo(second).contains(Rcode.SERVFAIL, Rcode.NOERROR);
  }

  private List<Integer> outcomes(FaultRule rule) throws Exception {
    fake.inject(rule);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      out.add(rcode("cdn.example.org.", Type.A));
    }
    return out;
  }

  @Test
  void overTransportMatchesOnlyThatTransport() throws Exception {
    fake.inject(Fault.servfail().everywhere().overTransport(Transport.TCP));

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.NOERROR);
    resolver.setTCP(true);
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void theFirstRuleThatAppliesWins() throws Exception {
    fake.inject(Fault.refused().forName("cdn.example.org.", Type.A).times(1));
    fake.inject(Fault.servfail().everywhere());

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.REFUSED);
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void theQueueComesBeforeTheRules() throws Exception {
    fake.inject(Fault.servfail().everywhere());
    fake.enqueue(Fault.none());

    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.NOERROR);
    assertThat(rcode("cdn.example.org.", Type.A)).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void aSettingGivenTwiceFailsAndSaysWhichAndWhatItWas() {
    FaultRule rule = Fault.drop().everywhere().times(3);

    assertThatThrownBy(() -> rule.times(4))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("times was already set to 3");
  }

  @Test
  void aWindowThatEndsBeforeItStartsIsRejected() {
    Instant t = ManualClock.DEFAULT_START;

    assertThatThrownBy(() -> Fault.drop().everywhere().from(t).until(t))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRuleDescribesItself() {
    assertThat(Fault.servfail().forName("www.example.net.", Type.A).times(2))
        .hasToString("SERVFAIL for www.example.net. A, 2 times");
  }
}
