package org.aliasdns.resolver;

import static org.aliasdns.resolver.Upstream.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.aliasdns.core.Resolution;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Records outside the chain never reach the cache or the result. */
class PoisoningTest {
  @RegisterExtension
  FakeDnsExtension dns =
      FakeDnsExtension.of(
          FakeDns.recursive()
              .record("www.example.net. 300 CNAME cdn.example.org.")
              .record("cdn.example.org. 60 A 192.0.2.10"));

  FakeDns fake;
  AliasResolver resolver;

  @BeforeEach
  void build(FakeDns fake) {
    this.fake = fake;
    resolver = Upstream.resolver(fake);
  }

  @Test
  void outOfChainRecordsInTheAnswerAndAdditionalSectionsAreIgnored() {
    fake.enqueue(
        Fault.extraAnswers(
            "bank.example. 86400 A 198.51.100.66",
            "other.example.net. 86400 CNAME bank.example.",
            "cdn.example.org. 86400 AAAA 2001:db8::66"));
    fake.enqueue(Fault.extraAdditional("bank.example. 86400 A 198.51.100.67"));

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);
    lookup(resolver, "cdn.example.org.", Type.AAAA); // the second, poisoned response is ignored

    assertThat(Objects.requireNonNull(lookup.answer()).addresses())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.10");
    // Only the hop and the final RRset were cached: the poisoned names go upstream.
    Lookup bank = lookup(resolver, "bank.example.", Type.A);
    assertThat(bank.resolution()).isInstanceOf(Resolution.NxDomain.class);
    assertThat(fake.queryCount("bank.example.", Type.A)).isEqualTo(1);
    Lookup other = lookup(resolver, "other.example.net.", Type.A);
    assertThat(other.source()).isEqualTo(Source.UPSTREAM);
    assertThat(other.resolution().chain()).isEmpty();
  }

  @Test
  void anExtraRecordAtTheQuestionNameIsNotTakenAsTheAnswer() {
    fake.enqueue(Fault.extraAnswers("www.example.net. 86400 A 198.51.100.66"));

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(resolver.cacheEntries()).isZero();
  }

  @Test
  void aResponseWithTheWrongIdIsAFailureAndCachesNothing() {
    fake.enqueue(Fault.wrongId());

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(resolver.cacheEntries()).isZero();
  }

  @Test
  void aMalformedResponseIsAFailure() {
    fake.enqueue(Fault.malformed());

    Lookup lookup = lookup(resolver, "www.example.net.", Type.A);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Failure.class);
    assertThat(resolver.cacheEntries()).isZero();
  }
}
