package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ReceivedQuery;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/**
 * The testkit's journal and the resolver agree on what failed: for every fault that fails a
 * query, {@link ReceivedQuery#failureKind()} is the {@link Resolution.Failure#kind()} the
 * resolver reports.
 */
class JournalFailureKindTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(FakeDns.recursive().record("www.example.net. 60 A 192.0.2.10"));

  static Resolution.Failure.Kind kindReported(Resolver upstream, FakeDns fake) {
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(upstream)
            .clock(fake.clock())
            .queryTimeout(Duration.ofMillis(300))
            .build();
    Resolution r = Upstream.lookup(resolver, "www.example.net.", Type.A).resolution();
    assertThat(r).isInstanceOf(Resolution.Failure.class);
    return ((Resolution.Failure) r).kind();
  }

  @Test
  void theJournalNamesTheKindOfFailureTheResolverReports(FakeDns fake) {
    List<Fault> faults =
        List.of(
            Fault.servfail(),
            Fault.refused(),
            Fault.rcode(Rcode.NOTIMP),
            Fault.drop(),
            Fault.malformed(),
            Fault.wrongId(),
            Fault.delay(Duration.ofMillis(10)).then(Fault.servfail()));
    for (Fault fault : faults) {
      fake.reset();
      fake.enqueue(fault);

      Resolution.Failure.Kind reported = kindReported(fake.resolver(), fake);

      assertThat(fake.takeQuery().failureKind()).as("%s", fault).hasValue(reported);
    }
  }

  @Test
  void aTruncatedReplyThatIsNotRetriedAgreesToo(FakeDns fake) {
    Resolver upstream = fake.resolver();
    upstream.setIgnoreTruncation(true);
    fake.enqueue(Fault.truncate());

    Resolution.Failure.Kind reported = kindReported(upstream, fake);

    assertThat(fake.takeQuery().failureKind()).hasValue(reported);
  }

  @Test
  void aQueryStrictModeRefusedIsRefusedOnBothSides(FakeDns fake) {
    fake.expect("other.example.net.");

    Resolution.Failure.Kind reported = kindReported(fake.resolver(), fake);

    assertThat(fake.takeQuery().failureKind()).hasValue(reported);
    fake.reset(); // the unexpected query is the point here
  }

  @Test
  void anAnsweredQueryHasNoFailureKind(FakeDns fake) {
    fake.enqueue(Fault.nxdomain());
    Upstream.lookup(Upstream.resolver(fake), "www.example.net.", Type.A);

    assertThat(fake.takeQuery().failureKind()).isEqualTo(Optional.empty());
  }
}
