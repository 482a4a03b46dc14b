package org.aliasdns.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ManualClock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/** In a static field: one fake for the class, reset between tests. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FakeDnsExtensionPerClassTest {
  @RegisterExtension
  static FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

  static @Nullable FakeDns first;

  static Message ask(Resolver resolver) throws Exception {
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString("cdn.example.org."), Type.A, DClass.IN)));
  }

  @Test
  @Order(1)
  void aTestMayChangeEverything(FakeDns fake, ManualClock clock, Resolver resolver) throws Exception {
    first = fake;
    fake.enqueue(Fault.servfail()).enqueue(Fault.servfail());
    fake.replace("cdn.example.org. 60 A 192.0.2.99");
    clock.advance(Duration.ofHours(1));

    assertThat(ask(resolver).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(clock).isSameAs(fake.clock());
  }

  @Test
  @Order(2)
  void theNextTestGetsTheSameFakeResetToAsBuilt(FakeDns fake, Resolver resolver) throws Exception {
    assertThat(fake).isSameAs(first).isSameAs(dns.fake());
    assertThat(fake.queryCount()).isZero();
    assertThat(fake.clock().instant()).isEqualTo(ManualClock.DEFAULT_START);

    Message reply = ask(resolver);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR); // the second SERVFAIL was dropped
    assertThat(reply.getSection(org.xbill.DNS.Section.ANSWER).get(0).rdataToString())
        .isEqualTo("192.0.2.10");
  }

  @Nested
  class InANestedClass {
    @Test
    void theOuterClassesFakeIsShared(FakeDns fake) {
      // Nested classes run after the outer class's methods, so first is set by now.
      assertThat(fake).isSameAs(dns.fake()).isSameAs(first);
      assertThat(fake.isStarted()).isFalse();
    }
  }
}
