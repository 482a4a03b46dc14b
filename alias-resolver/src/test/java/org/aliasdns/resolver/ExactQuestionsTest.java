package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.stream.Collectors;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.ReceivedQuery;
import org.aliasdns.testkit.junit.FakeDnsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * resolveAddresses asks the same questions on every run, whichever family's answer lands first:
 * the README's strict-mode example, and the same lookup repeated over a real socket and
 * in-process, recursive and authoritative.
 */
class ExactQuestionsTest {
  // README strict example starts here
  @RegisterExtension
  static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
      .record("www.example.net. 300 CNAME cdn.example.org.")
      .record("cdn.example.org. 60 A 192.0.2.10")
      .expect("www.example.net.", Type.A)          // strict mode: only these two questions
      .expect("www.example.net.", Type.AAAA));     // are answered; any other fails the test

  @Test
  void asksOneQuestionPerFamily(InetSocketAddress upstream, FakeDns fake) {
    AliasResolver resolver = AliasResolver.builder().upstream(upstream).build();

    TargetLookup lookup = resolver.resolveAddresses(Name.fromConstantString("www.example.net."))
        .toCompletableFuture().join();

    assertEquals(2, fake.queryCount());            // each family's chain came whole, once
    assertInstanceOf(Resolution.Answer.class, lookup.get(Type.A).orElseThrow().resolution());
  }
  // README strict example ends here

  static final Name WWW = Name.fromConstantString("www.example.net.");

  static Set<String> asked(FakeDns fake) {
    return fake.queries().stream()
        .map(ReceivedQuery::toString)
        .map(s -> s.replaceAll("^#\\d+ ", "").replaceAll(" over .*", ""))
        .collect(Collectors.toSet());
  }

  @Test
  void theSameQuestionsOnEveryRunOverARealSocket(InetSocketAddress upstream, FakeDns fake) {
    for (int run = 0; run < 50; run++) {
      fake.reset();
      AliasResolver resolver = AliasResolver.builder().upstream(upstream).build();

      resolver.resolveAddresses(WWW).toCompletableFuture().join();

      assertThat(asked(fake)).as("run %d", run)
          .containsExactlyInAnyOrder("www.example.net. A", "www.example.net. AAAA");
      assertThat(fake.unexpectedQueries()).isEmpty();
    }
  }

  @Test
  void theSameQuestionsOnEveryRunInProcess(FakeDns fake) {
    for (int run = 0; run < 50; run++) {
      fake.reset();
      AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).build();

      resolver.resolveAddresses(WWW).toCompletableFuture().join();

      assertThat(asked(fake)).as("run %d", run)
          .containsExactlyInAnyOrder("www.example.net. A", "www.example.net. AAAA");
    }
  }

  @Test
  void anAuthoritativeUpstreamIsAskedTheSameChainOnEveryRun() {
    try (FakeDns fake = Upstream.threeZones(FakeDns.authoritative())) {
      for (int run = 0; run < 50; run++) {
        fake.reset();
        AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).build();

        resolver.resolveAddresses(Name.fromConstantString("a.example.net.")).toCompletableFuture().join();

        // Each family follows the chain zone by zone itself: a, b and c, A and AAAA.
        assertThat(asked(fake)).as("run %d", run)
            .containsExactlyInAnyOrder(
                "a.example.net. A", "a.example.net. AAAA",
                "b.example.com. A", "b.example.com. AAAA",
                "c.example.org. A", "c.example.org. AAAA");
      }
    }
  }

  @Test
  void aLaterLookupStillUsesWhatTheCacheHeld(FakeDns fake) {
    AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).build();
    resolver.resolveAddresses(WWW).toCompletableFuture().join();

    TargetLookup again = resolver.resolveAddresses(WWW).toCompletableFuture().join();

    assertThat(fake.queryCount()).isEqualTo(2);
    assertThat(again.lookups()).allMatch(l -> l.source() == Source.CACHE);
  }

  @Test
  void theReadmeShowsTheStrictExampleAsItIs() throws IOException {
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/resolver/ExactQuestionsTest.java",
        "README strict example starts here",
        "README strict example ends here");
  }
}
