package org.aliasdns.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.aliasdns.testkit.internal.HostAnswers;
import org.aliasdns.testkit.internal.HostRoute;
import org.jspecify.annotations.Nullable;

/**
 * This JVM's own host-name look-ups, routed to a {@link FakeDns} until {@link #close()}: what
 * {@link FakeDns#routeInetAddress()} returns, and what {@code
 * FakeDnsExtension.withInetAddress()} opens before each test and closes after it. While it is
 * open, {@link InetAddress#getByName}, {@code getAllByName}, {@code getCanonicalHostName} and
 * everything built on them (sockets by host name, HTTP and JDBC clients) ask the fake instead
 * of the system resolver.
 *
 * <h2>What is answered how</h2>
 *
 * <ul>
 *   <li>A name is asked as one query per address family the JDK wants, A before AAAA (AAAA first
 *       with {@code -Djava.net.preferIPv6Addresses=true}), through the fake's in-process
 *       resolver: the journal records each, and enqueued faults, rules, strict mode and the
 *       {@link Dispatcher} apply as to any query. The name is taken as absolute: no search list,
 *       no {@code /etc/hosts}. A recursive fake's reply holds the whole CNAME chain, so its
 *       NODATA ends the family's look-up. An {@link FakeDns#authoritative() authoritative}
 *       fake's reply may stop at its zone's edge (a CNAME to a name outside the zone): then the
 *       CNAME's target is asked too, up to 16 times, as a stub resolver would, and strict mode
 *       must expect those names as well.
 *   <li>A name the fake does not hold (NXDOMAIN, or NODATA for every family asked), or a failure
 *       (SERVFAIL, REFUSED, a dropped query, a malformed reply) is an {@link
 *       UnknownHostException} at once, saying what each family got; nothing leaks to the real
 *       network. A dropped query fails without waiting out a timeout.
 *   <li>{@code localhost}, names below it (RFC 6761 §6.3) and the machine's own host name get the
 *       loopback addresses without a query, so {@code InetAddress.getLocalHost()} and servers
 *       bound to {@code localhost} keep working.
 *   <li>Reverse look-ups ({@code getHostName} of an address) ask the fake for a PTR record.
 *   <li>IP literals ({@code getByName("192.0.2.1")}) never reach any resolver.
 * </ul>
 *
 * <h2>What it needs, and cannot do</h2>
 *
 * <ul>
 *   <li><b>JDK 18 or later.</b> The JDK's resolver SPI ({@code
 *       java.net.spi.InetAddressResolverProvider}, JEP 418) came in JDK 18; on JDK 17 {@link
 *       #unsupportedReason()} says so, {@link FakeDns#routeInetAddress()} throws, and the
 *       extension skips the test with that reason.
 *   <li><b>One provider per JVM, chosen once.</b> At its first host-name look-up the JDK loads
 *       the first resolver provider that {@link ServiceLoader} finds through the thread's context
 *       class loader, and keeps it for the life of the JVM. The testkit's provider (inside the
 *       testkit's jar, registered in {@code META-INF/services}) must be that one: the jar must be
 *       on the class path when the JVM starts, and ahead of other jars that carry a provider.
 *       dnsjava's jar carries one (off unless {@code -Dorg.dnsjava.spi.enable=true}), and dnsjava
 *       is on every testkit user's class path; Maven orders the class path by declaration, depth
 *       first, so <b>declare alias-testkit before the dependencies that bring dnsjava</b>
 *       (alias-core, alias-resolver, dnsjava itself). When the JDK has chosen another provider,
 *       {@link #unsupportedReason()} names it. With {@code -Djdk.net.hosts.file} set the JDK
 *       loads no provider at all.
 *   <li><b>The module path.</b> The testkit's module declares its provider for JDK 18 and later
 *       (the module descriptor in {@code META-INF/versions/18}), and so does dnsjava's module
 *       ({@code org.dnsjava}). Among providers in named modules the JDK's order is unspecified
 *       (JDK 25 takes them in a hash order of the module names that depends on how many modules
 *       the layer holds), and with the usual number of modules it takes dnsjava's. Tests that
 *       route look-ups therefore run on the class path, with alias-testkit ahead of dnsjava
 *       (Surefire and Failsafe: {@code <useModulePath>false</useModulePath>}); the rest of the
 *       testkit works on the module path as on the class path. The same holds where a
 *       test-scoped testkit is on the class path while dnsjava is a named module (Surefire's
 *       default in a modular project): the JDK takes named modules' providers first.
 *   <li><b>The JDK's address cache.</b> The JDK keeps answers 30 s and failures 10 s by default
 *       ({@code networkaddress.cache.ttl}, {@code networkaddress.cache.negative.ttl}), above any
 *       provider. When the JDK loads the testkit's provider, which is at the JVM's first look-up
 *       and just before the JDK reads its cache policy, the provider sets both to 0, so each
 *       look-up reaches the fake of the test that makes it. Each of the two set at JVM start is
 *       kept, the other still set to 0: in a {@code -Djava.security.properties} file, or by
 *       {@code -Dsun.net.inetaddr.ttl}, {@code -Dsun.net.inetaddr.negative.ttl}.
 *   <li><b>Not routed, the system resolver answers.</b> Outside a route the provider hands every
 *       look-up to the JDK's built-in resolver, exactly as if it were absent.
 *   <li><b>One route at a time.</b> The route is JVM-wide: every thread's look-ups go to the same
 *       fake, and a second route while one is open fails, saying whether this fake or another
 *       holds it and where that route was opened (the test, or the first caller outside the
 *       testkit, and the thread). Tests that route must not run in
 *       parallel with each other (with JUnit's parallel mode, give them one {@code
 *       @ResourceLock}). Look-ups themselves may run on any number of threads: the fake is
 *       thread-safe.
 * </ul>
 *
 * <p>Why the testkit ships its own provider rather than dnsjava's: dnsjava's sends look-ups
 * through dnsjava's process-wide {@code Lookup} defaults (resolver, cache, search path), which a
 * test would have to swap under running code and whose cache would carry answers from one test
 * to the next; it must be switched on by a system property before the JVM's first look-up; and
 * whether it is in use cannot be checked without a look-up that might leave the machine. The
 * testkit's provider answers in-process from the fake, with no global dnsjava state, turns the
 * JDK's cache off, and {@link #unsupportedReason()} checks that the JDK uses it by looking up
 * {@code localhost}, which never leaves the machine.
 *
 * @since 0.1
 */
public final class InetAddressRoute implements AutoCloseable {
  private static final String PROVIDER =
      "org.aliasdns.testkit.internal.TestkitInetAddressResolverProvider";

  private final FakeDns fake;
  private final HostAnswers answers;

  private InetAddressRoute(FakeDns fake, HostAnswers answers) {
    this.fake = fake;
    this.answers = answers;
  }

  /** Opens the route for a fake; see {@link FakeDns#routeInetAddress()}. */
  static InetAddressRoute open(FakeDns fake) {
    Optional<String> why = unsupportedReason();
    if (why.isPresent()) {
      throw new IllegalStateException("cannot route InetAddress look-ups to " + fake + ": " + why.get());
    }
    HostAnswers answers =
        new HostAnswers(fake.hostResolver(), fake, fake.mode() == FakeDns.Mode.AUTHORITATIVE,
            HostRoute.openingSite());
    HostAnswers holder = HostRoute.install(answers);
    if (holder != answers) {
      if (holder.fake() == fake) {
        throw new IllegalStateException(
            "InetAddress look-ups are routed to this fake already, " + fake + ", by the route"
                + " opened at " + holder.openedBy() + "; use that route, or close it before"
                + " opening another");
      }
      throw new IllegalStateException(
          "InetAddress look-ups are routed to another fake already, " + holder + ", by the route"
              + " opened at " + holder.openedBy() + " and not closed since; close that route (or"
              + " its fake) first: one fake at a time holds the route, so close each route when"
              + " its test ends (try-with-resources), and run tests that route one at a time");
    }
    InetAddressRoute route = new InetAddressRoute(fake, answers);
    fake.routed(route); // closing the fake closes the route
    return route;
  }

  /**
   * Tells whether this JVM's look-ups can be routed to a fake: {@link #unsupportedReason()} is
   * empty.
   *
   * @return true on JDK 18 or later with the testkit's provider in use
   */
  public static boolean isSupported() {
    return unsupportedReason().isEmpty();
  }

  /**
   * Says why this JVM's look-ups cannot be routed to a fake, if they cannot. When the JDK has not
   * chosen its resolver yet, this makes it choose, by looking up {@code localhost} (answered from
   * the loopback, or {@code /etc/hosts}, never the network).
   *
   * @return the reason (the JDK is older than 18; the JDK chose another provider, named; {@code
   *     jdk.net.hosts.file} is set; this jar was built without the provider), or empty if
   *     routing works
   */
  public static Optional<String> unsupportedReason() {
    int feature = Runtime.version().feature();
    if (feature < 18) {
      return Optional.of(
          "JDK " + feature + " has no resolver SPI for InetAddress (JEP 418 came with JDK 18)");
    }
    if (System.getProperty("jdk.net.hosts.file") != null) {
      return Optional.of(
          "-Djdk.net.hosts.file is set, so the JDK answers from that file and loads no resolver"
              + " provider");
    }
    if (!HostRoute.isProviderLoaded()) {
      try {
        Class.forName(PROVIDER, false, InetAddressRoute.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        return Optional.of(
            "the testkit's resolver provider is not on the class path (a testkit jar built on JDK"
                + " 17 has none; from a classes directory, META-INF/versions/18 must be on the"
                + " class path itself)");
      }
      try {
        InetAddress.getAllByName("localhost"); // makes the JDK choose its resolver, if it has not
      } catch (UnknownHostException ignored) {
        // Only the choice matters here.
      }
    }
    if (HostRoute.isProviderLoaded()) {
      return Optional.empty();
    }
    Class<?> firstType = firstProvider();
    String first = firstType == null ? null : firstType.getName();
    if (InetAddressRoute.class.getModule().isNamed()) {
      // ServiceLoader takes the providers of named modules in an order it does not specify.
      return Optional.of(
          "the JDK uses another resolver provider, "
              + (first == null ? "not the testkit's" : first)
              + ": on the module path the JDK takes the first provider among the named modules"
              + " in an order it does not specify, and dnsjava's module declares one too; run"
              + " the tests that route look-ups on the class path with alias-testkit ahead of"
              + " dnsjava (Surefire and Failsafe: <useModulePath>false</useModulePath>)");
    }
    if (firstType != null && firstType.getModule().isNamed()) {
      // The testkit is on the class path (a test-scoped dependency of a modular project) while
      // the provider the JDK took is in a named module: ServiceLoader finds named modules'
      // providers before the class path's, so no class path order can help.
      return Optional.of(
          "the JDK uses another resolver provider, " + first + " from the named module "
              + firstType.getModule().getName() + ", while alias-testkit is on the class path"
              + " (the unnamed module): the JDK takes providers of named modules before those of"
              + " the class path, whatever its order; run the tests on the class path alone"
              + " (Surefire and Failsafe: <useModulePath>false</useModulePath>), alias-testkit"
              + " declared before the dependencies that bring dnsjava");
    }
    return Optional.of(
        (first == null
                ? "the JDK chose its resolver before the testkit's provider was visible (it loads"
                    + " the first provider its context class loader finds, at the JVM's first"
                    + " look-up)"
                : "the JDK uses another resolver provider, " + first
                    + ", which comes before the testkit's on the class path")
            + "; the JDK takes the first provider it finds: put alias-testkit ahead of dnsjava"
            + " (and of alias-core, alias-resolver...) on the test class path, e.g. declare it"
            + " first among the dependencies in Maven");
  }

  /**
   * The class of the provider the JDK would load first, as it looks for one. In a named module
   * this needs the {@code uses} clause of the testkit's JDK 18 module descriptor.
   */
  private static @Nullable Class<?> firstProvider() {
    try {
      Class<?> spi = Class.forName("java.net.spi.InetAddressResolverProvider");
      return ServiceLoader.load(spi).stream().findFirst().map(p -> p.type()).orElse(null);
    } catch (ClassNotFoundException | ServiceConfigurationError e) {
      return null;
    }
  }

  /**
   * Returns the fake the look-ups go to.
   *
   * @return the fake
   */
  public FakeDns fake() {
    return fake;
  }

  /**
   * Tells whether the JVM's look-ups still go to the fake.
   *
   * @return true until {@link #close()}, or the fake's close
   */
  public boolean isOpen() {
    return HostRoute.current() == answers;
  }

  /** Gives the JVM's look-ups back to the system resolver. Idempotent. */
  @Override
  public void close() {
    HostRoute.remove(answers);
  }

  @Override
  public String toString() {
    return "InetAddressRoute[" + fake + (isOpen() ? "" : ", closed") + "]";
  }
}
