package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Objects;
import org.aliasdns.core.Resolution;
import org.aliasdns.server.Transport;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.aliasdns.testkit.ReceivedQuery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The default upstream (an address: UDP, TCP on truncation) on the fake's real loopback port. */
class TruncationTest {
  @Nullable FakeDns fake;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
    fake =
        FakeDns.recursive()
            .record("www.example.net. 300 CNAME cdn.example.org.")
            .record("cdn.example.org. 60 A 192.0.2.10")
            .build()
            .start();
    fake.inject(Fault.truncate().everywhere());
    AliasResolver resolver =
        AliasResolver.builder()
            .upstream(fake.address())
            .clock(fake.clock())
            .queryTimeout(Duration.ofSeconds(5))
            .build();

    Lookup lookup =
        resolver
            .resolve(Upstream.name("www.example.net."), Type.A)
            .toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
    assertThat(Objects.requireNonNull(lookup.answer()).addresses())
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.10");
    assertThat(fake.queries())
        .extracting(ReceivedQuery::transport)
        .containsExactly(Transport.UDP, Transport.TCP);
    assertThat(resolver.stats().queriesSent()).isEqualTo(1);
  }
}
