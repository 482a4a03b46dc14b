package org.aliasdns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.aliasdns.resolver.AliasResolver;
import org.aliasdns.resolver.TargetLookup;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.Fault;
import org.xbill.DNS.Name;

/**
 * Queries sent upstream per cold alias resolution (A and AAAA of a target whose chain crosses
 * three zones: www.example.net → app.example.com → edge.example.org), against the testkit's
 * fake as a recursive resolver and as an authoritative server, once alone and once with 1,000
 * concurrent resolutions of the same cold target (a 200 ms delay keeps them overlapping). The
 * journal of the fake counts the queries. Targets (issue 5): 1 per family recursive, 1 per hop
 * per family authoritative, and no more under concurrency.
 *
 * <p>Usage: {@code java -cp alias-benchmarks.jar org.aliasdns.benchmarks.UpstreamCost}
 */
public final class UpstreamCost {
  private UpstreamCost() {}

  static final String NET =
      """
      $ORIGIN example.net.
      @ 3600 SOA ns hostmaster 1 7200 3600 1209600 300
      @ 3600 NS ns
      ns 3600 A 192.0.2.53
      www 300 CNAME app.example.com.
      """;
  static final String COM =
      """
      $ORIGIN example.com.
      @ 3600 SOA ns hostmaster 1 7200 3600 1209600 300
      @ 3600 NS ns
      ns 3600 A 192.0.2.54
      app 300 CNAME edge.example.org.
      """;
  static final String ORG =
      """
      $ORIGIN example.org.
      @ 3600 SOA ns hostmaster 1 7200 3600 1209600 300
      @ 3600 NS ns
      ns 3600 A 192.0.2.55
      edge 60 A 192.0.2.10
      edge 60 AAAA 2001:db8::10
      """;

  /**
   * Prints the counts.
   *
   * @param args none
   */
  public static void main(String[] args) {
    for (FakeDns.Builder world :
        List.of(FakeDns.recursive(), FakeDns.authoritative())) {
      try (FakeDns fake = world.zone(NET).zone(COM).zone(ORG).build()) {
        String mode = fake.mode().toString();
        System.out.printf("%-14s cold, alone:        %d queries (2 families)%n", mode, cold(fake, 1));
        fake.reset();
        fake.inject(Fault.delay(Duration.ofMillis(200)).everywhere());
        System.out.printf("%-14s cold, 1,000 at once: %d queries (2 families)%n", mode, cold(fake, 1000));
      }
    }
  }

  /** Resolves the target's addresses with a fresh resolver, n times at once; queries sent. */
  private static int cold(FakeDns fake, int concurrent) {
    AliasResolver resolver = AliasResolver.builder().upstream(fake.resolver()).clock(fake.clock()).build();
    Name www = Name.fromConstantString("www.example.net.");
    List<CompletableFuture<TargetLookup>> all = new ArrayList<>();
    for (int i = 0; i < concurrent; i++) {
      all.add(resolver.resolveAddresses(www).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
    for (CompletableFuture<TargetLookup> f : all) {
      if (f.join().lookups().stream().anyMatch(l -> !l.hasAnswer())) {
        throw new IllegalStateException("not answered: " + f.join());
      }
    }
    return fake.queryCount();
  }
}
