import org.jspecify.annotations.NullMarked;

/**
 * The alias testkit: a fake upstream DNS for unit tests, answering in-process, on a real
 * loopback port, inside a {@code DnsServer} of your own, or (JDK 18+, on the class path) as the
 * JVM's own {@code InetAddress} resolver, with faults as values, answers by callback, a query
 * journal, a manual clock, and a JUnit 5 extension. Caffeine and JUnit are optional: only {@code ManualClock.ticker()} needs the
 * first, only the {@code org.aliasdns.testkit.junit} package the second.
 */
@NullMarked
module org.aliasdns.testkit {
  requires transitive org.aliasdns.server;
  requires static transitive org.jspecify;
  requires org.slf4j; // WarmUp starts slf4j's binding look-up
  requires static com.github.benmanes.caffeine;
  requires static org.junit.jupiter.api;

  exports org.aliasdns.testkit;
  exports org.aliasdns.testkit.junit;
}
