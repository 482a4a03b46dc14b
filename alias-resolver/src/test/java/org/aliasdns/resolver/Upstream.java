package org.aliasdns.resolver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.aliasdns.core.FlatteningPolicy;
import org.aliasdns.testkit.FakeDns;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Zones and helpers the resolver tests share. */
final class Upstream {
  private Upstream() {}

  /** a.example.net -> b.example.com (300 s) -> c.example.org (60 s) -> edge.example.org. */
  static final String EXAMPLE_NET =
      """
      $ORIGIN example.net.
      $TTL 300
      @ IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 60
      @ IN NS ns.example.net.
      ns IN A 192.0.2.1
      a 300 IN CNAME b.example.com.
      """;
  static final String EXAMPLE_COM =
      """
      $ORIGIN example.com.
      $TTL 600
      @ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 120
      @ IN NS ns.example.com.
      b 60 IN CNAME c.example.org.
      """;
  static final String EXAMPLE_ORG =
      """
      $ORIGIN example.org.
      $TTL 900
      @ 60 IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 30
      @ IN NS ns.example.org.
      c 900 IN CNAME edge.example.org.
      edge 600 IN A 192.0.2.10
      edge 600 IN A 192.0.2.11
      """;

  static FakeDns threeZones(FakeDns.Builder builder) {
    return withThreeZones(builder).build();
  }

  static FakeDns.Builder withThreeZones(FakeDns.Builder builder) {
    return builder.zone(EXAMPLE_NET).zone(EXAMPLE_COM).zone(EXAMPLE_ORG);
  }

  static AliasResolver.Builder resolverFor(FakeDns fake) {
    return AliasResolver.builder()
        .upstream(fake.resolver())
        .clock(fake.clock())
        .ticker(fake.clock().ticker());
  }

  static AliasResolver resolver(FakeDns fake) {
    return resolverFor(fake).executor(Runnable::run).build();
  }

  static AliasResolver resolver(FakeDns fake, FlatteningPolicy policy) {
    return resolverFor(fake).executor(Runnable::run).policy(policy).build();
  }

  static Lookup lookup(AliasResolver resolver, String name, int type) {
    try {
      return resolver.resolve(name(name), type).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("lookup of " + name + " did not complete", e);
    }
  }

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** Waits (in real time, briefly) for background work to show; fails after five seconds. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
