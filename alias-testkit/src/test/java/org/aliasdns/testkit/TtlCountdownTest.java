package org.aliasdns.testkit;

import static org.aliasdns.testkit.Dns.answer;
import static org.aliasdns.testkit.Dns.ask;
import static org.aliasdns.testkit.Dns.authority;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class TtlCountdownTest {
  FakeDns countingDown() {
    return FakeDns.recursive()
        .ttlCountdown(true)
        .record("www.example.net. 300 CNAME cdn.example.org.")
        .record("cdn.example.org. 60 A 192.0.2.10")
        .build();
  }

  @Test
  void ttlsCountDownWithTheClock() throws Exception {
    try (FakeDns fake = countingDown()) {
      fake.clock().advance(Duration.ofSeconds(45));

      assertThat(answer(ask(fake.resolver(), "www.example.net.", Type.A)))
          .containsExactly(
              "www.example.net. 255 IN CNAME cdn.example.org.",
              "cdn.example.org. 15 IN A 192.0.2.10");
    }
  }

  @Test
  void anExpiredRecordLooksFetchedAgain() throws Exception {
    try (FakeDns fake = countingDown()) {
      fake.clock().advance(Duration.ofSeconds(60));

      assertThat(answer(ask(fake.resolver(), "www.example.net.", Type.A)))
          .containsExactly(
              "www.example.net. 240 IN CNAME cdn.example.org.",
              "cdn.example.org. 60 IN A 192.0.2.10");
    }
  }

  @Test
  void theSoaOfANegativeAnswerCountsDownToo() throws Exception {
    try (FakeDns fake = countingDown()) {
      fake.clock().advance(Duration.ofSeconds(100));

      assertThat(authority(ask(fake.resolver(), "missing.example.org.", Type.A)))
          .singleElement()
          .asString()
          .startsWith("example.org. 200 IN SOA");
    }
  }

  @Test
  void withoutCountdownTtlsStayAsLoaded() throws Exception {
    try (FakeDns fake = FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10").build()) {
      fake.clock().advance(Duration.ofSeconds(45));

      assertThat(answer(ask(fake.resolver(), "cdn.example.org.", Type.A)))
          .containsExactly("cdn.example.org. 60 IN A 192.0.2.10");
    }
  }
}
