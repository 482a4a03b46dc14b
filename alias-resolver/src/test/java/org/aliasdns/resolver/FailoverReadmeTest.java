package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The README's "Several upstreams" snippet, run as written against two fakes on loopback. */
class FailoverReadmeTest {
  @Test
  void readmeSnippetWorksAsWritten() throws Exception {
    try (FakeDns first = FakeDns.recursive().build().start();
        FakeDns second =
            FakeDns.recursive().record("edge.cdn.example.net. 60 A 192.0.2.80").build().start()) {
      first.inject(Fault.refused().everywhere());
      InetSocketAddress primary = first.address();
      InetSocketAddress secondary = second.address();

      // README failover example starts here
      AliasResolver resolver = AliasResolver.builder()
          .upstreams(Upstreams.builder()
              .server(primary)                         // asked first while it is up
              .server(secondary)                       // then this one
              .downAfter(3)                            // 3 failures in a row: down
              .probeAfter(Duration.ofSeconds(5))       // then probed by a real query after 5 s
              .build())
          .queryTimeout(Duration.ofSeconds(5))         // the whole question, every attempt
          .build();
      // resolver.stats().upstreams(): each server's state (UP, DOWN), queries, failures, timeouts
      // README failover example ends here

      Lookup lookup = Upstream.lookup(resolver, "edge.cdn.example.net.", Type.A);
      assertThat(lookup.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(resolver.stats().upstreams())
          .extracting(UpstreamStats::failures)
          .containsExactly(1L, 0L);
    }
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    assumeTrue(readme.contains("## Resolving alias targets"),
        "the root README has no \"Resolving alias targets\" section yet");
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/resolver/FailoverReadmeTest.java",
        "README failover example starts here",
        "README failover example ends here");
  }
}
