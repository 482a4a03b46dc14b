package org.aliasdns.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.aliasdns.core.AliasResults;
import org.aliasdns.core.flatten.FlattenedZone;
import org.aliasdns.core.flatten.Flattener;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.core.Resolution;
import org.aliasdns.core.Zone;
import org.aliasdns.core.zonefile.ZoneFileReader;
import org.aliasdns.core.tools.ReadmeSnippets;
import org.aliasdns.testkit.FakeDns;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The README's "Resolving alias targets" snippet, run as written, so it cannot rot. */
class ReadmeExampleTest {
  static final String ZONE =
      """
      $ORIGIN example.com.
      $TTL 3600
      @     IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
            IN NS  ns1
            IN ALIAS my-app.cdn.example.net.
      ns1   IN A   192.0.2.1
      """;

  @Test
  void readmeSnippetWorksAsWritten() throws Exception {
    try (FakeDns fake =
        FakeDns.recursive()
            .record("my-app.cdn.example.net. 300 CNAME edge.cdn.example.net.")
            .record("edge.cdn.example.net. 60 A 192.0.2.80")
            .build()
            .start()) {
      InetSocketAddress upstreamAddress = fake.address();
      Zone zone = ZoneFileReader.defaults().read(ZONE, "example.com.zone").zone();
      List<String> log = new CopyOnWriteArrayList<>();

      // README example starts here
      AliasResolver resolver = AliasResolver.builder()
          .upstream(upstreamAddress)                 // a recursive resolver you trust
          .build();

      Flattener flattener = Flattener.of(FlatteningPolicy.defaults());
      Name target = flattener.targets(zone).get(0);  // my-app.cdn.example.net.
      TargetLookup lookup = resolver.resolveAddresses(target).toCompletableFuture().join();
      Lookup v4 = lookup.get(Type.A).orElseThrow();
      //   Answer via edge.cdn.example.net., ttl 60 (min of CNAME 300, A 60), FRESH, UPSTREAM
      //   lookup.get(Type.AAAA): NoData, a value, not an exception

      FlattenedZone flat = flattener.flatten(
          zone, AliasResults.of(lookup.resolutions()), Instant.now(), null);

      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      TargetMonitor monitor = TargetMonitor.builder(resolver).build();
      flattener.targets(zone).forEach(monitor::watch);
      monitor.addListener(round -> round.changes().forEach(c -> log.add(c.toString())));
      monitor.start(scheduler, Duration.ofSeconds(1));
      // one call per refresh round that changed anything; monitor.results() holds the latest
      // resolutions for flattener.flatten(...), or let LiveZone (below) do all of that
      // README example ends here

      assertThat(v4.resolution()).isInstanceOf(Resolution.Answer.class);
      assertThat(v4.ttl()).isEqualTo(60);
      assertThat(v4.freshness()).isEqualTo(Freshness.FRESH);
      assertThat(v4.source()).isEqualTo(Source.UPSTREAM);
      assertThat(lookup.get(Type.AAAA).orElseThrow().resolution())
          .isInstanceOf(Resolution.NoData.class);
      assertThat(flat.zone().get(zone.origin(), Type.A)).isPresent();
      Upstream.await("the monitor's first run", () -> log.size() == 2);
      assertThat(log)
          .containsExactly(
              "my-app.cdn.example.net. A: [] -> [192.0.2.80]",
              "my-app.cdn.example.net. AAAA: [] -> [], pending -> no addresses");
      monitor.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    // The section is pasted into the root README by its owner; until then this check waits.
    assumeTrue(readme.contains("## Resolving alias targets"),
        "the root README has no \"Resolving alias targets\" section yet");
    ReadmeSnippets.assertInReadme(
        "src/test/java/org/aliasdns/resolver/ReadmeExampleTest.java",
        "README example starts here",
        "README example ends here");
  }
}
