package org.aliasdns.testkit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.InetAddressRoute;
import org.aliasdns.testkit.ManualClock;
import org.aliasdns.testkit.internal.HostAnswers;
import org.aliasdns.testkit.internal.HostRoute;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.xbill.DNS.Resolver;

/**
 * Runs a {@link FakeDns} for JUnit 5 tests.
 *
 * <pre>{@code
 * class MyResolverTest {
 *   @RegisterExtension
 *   static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive()
 *       .record("www.example.net. 300 CNAME cdn.example.org.")
 *       .record("cdn.example.org. 60 A 192.0.2.10"));
 *
 *   @Test
 *   void followsTheChain(Resolver resolver, FakeDns fake, ManualClock clock) { ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>In a <b>static</b> field: one fake for the test class, built before all tests and closed
 *       after them, and {@link FakeDns#reset() reset} after each test (faults, journal, clock
 *       back to its start, data and expectations as built), so tests do not see each other's
 *       traffic. Its tests must therefore run one at a time: under JUnit's parallel execution, a
 *       test that starts while another of the class runs on the fake fails with a message saying
 *       so (use an instance field, or {@code @Execution(ExecutionMode.SAME_THREAD)} on the class,
 *       or one {@code @ResourceLock} for its tests). A route to the fake that a test opened with
 *       {@link FakeDns#routeInetAddress()} and left open is closed after that test, as the rest
 *       of the test's state is reset.
 *   <li>In an <b>instance</b> field: a new fake for each test, closed after it (with any route
 *       to it); such tests may run in parallel, except those that route the JVM's look-ups.
 *   <li>Test and lifecycle methods may declare parameters of these types: {@link FakeDns};
 *       {@link ManualClock} (the fake's clock); {@link Resolver} (a new in-process resolver,
 *       {@link FakeDns#resolver()}); {@link InetSocketAddress} (the network address, {@link
 *       FakeDns#address()}). The network listener starts on demand, when an {@code
 *       InetSocketAddress} is first asked for, or at once with {@link #withNetwork()}; tests
 *       that stay in-process never bind a port. If it cannot bind, only the test that asked
 *       fails; the fake stays usable in-process, and a later test may try again. Register one such extension per test class:
 *       two would both offer these parameters.
 *   <li>With {@link #withInetAddress()}, the JVM's own look-ups ({@code InetAddress.getByName}
 *       and all built on it) go to the fake during each test, and back to the system resolver
 *       after it, whether it passed or not (see {@link InetAddressRoute}).
 *   <li>After each test, {@link FakeDns#verify()} runs: in strict mode an unexpected query fails
 *       the test, as does a {@link org.aliasdns.testkit.Dispatcher} that threw.
 * </ul>
 *
 * @since 0.1
 */
public final class FakeDnsExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private final FakeDns.Builder builder;
  private final boolean network;
  private final boolean inetAddress;
  private @Nullable FakeDns fake;
  private @Nullable InetAddressRoute route;
  private boolean perClass;
  private @Nullable String active; // the running test's name, to refuse a second at once
  private @Nullable String activeId;
  private int classDepth; // @Nested classes call beforeAll/afterAll again: one fake for all

  private FakeDnsExtension(FakeDns.Builder builder, boolean network, boolean inetAddress) {
    this.builder = builder;
    this.network = network;
    this.inetAddress = inetAddress;
  }

  /**
   * Creates the extension; it builds the fake when the tests start.
   *
   * @param builder the fake's settings
   * @return the extension
   */
  public static FakeDnsExtension of(FakeDns.Builder builder) {
    return new FakeDnsExtension(Objects.requireNonNull(builder, "builder"), false, false);
  }

  /**
   * Returns an extension that starts the network listener as soon as it builds the fake, for
   * tests that read {@link FakeDns#address()} themselves rather than take an {@code
   * InetSocketAddress} parameter.
   *
   * @return a new extension with the same settings
   */
  public FakeDnsExtension withNetwork() {
    return new FakeDnsExtension(builder, true, inetAddress);
  }

  /**
   * Returns an extension that routes this JVM's own host-name look-ups ({@code
   * InetAddress.getByName} and everything built on it) to the fake for the length of each test
   * ({@link FakeDns#routeInetAddress()} before it, closed after it). On JDK 17, which has no
   * resolver SPI, each test is skipped with that reason; where the JDK uses another resolver
   * provider, each test fails saying which and what to change.
   *
   * @return a new extension with the same settings
   */
  public FakeDnsExtension withInetAddress() {
    return new FakeDnsExtension(builder, network, true);
  }

  /**
   * Returns the fake of the running test (or class).
   *
   * @return the fake
   * @throws IllegalStateException outside a test: before the fake is built or after it is closed
   */
  public synchronized FakeDns fake() {
    FakeDns f = fake;
    if (f == null) {
      throw new IllegalStateException(
          "no fake DNS yet: it exists while tests run (register this extension with"
              + " @RegisterExtension)");
    }
    return f;
  }

  /**
   * Returns the fake's clock, as {@code fake().clock()}.
   *
   * @return the clock
   * @throws IllegalStateException outside a test
   */
  public ManualClock clock() {
    return fake().clock();
  }

  /**
   * Builds the class's fake: called only for an extension in a static field (again for each
   * {@code @Nested} class, which shares the outer class's fake).
   *
   * @param context the class context
   */
  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    perClass = true;
    if (classDepth++ == 0) {
      fake = create();
    }
  }

  /**
   * Builds the test's fake, for an extension in an instance field.
   *
   * @param context the test context
   */
  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (perClass && active != null) {
      // JUnit's parallel execution: the class's one fake would mix both tests' journals and
      // faults, and the first to end would reset it under the other.
      String running = active;
      throw new IllegalStateException(
          "the static FakeDnsExtension's fake is shared by the tests of its class, and "
              + context.getDisplayName() + " started while " + running + " is still running on it"
              + " (JUnit's parallel execution): use an instance field (@RegisterExtension"
              + " FakeDnsExtension dns = ..., a fake per test), or run the class's tests on one"
              + " thread (@Execution(ExecutionMode.SAME_THREAD) on the class, or a"
              + " @ResourceLock shared by its tests)");
    }
    FakeDns f = fake;
    if (f == null) {
      f = create();
      fake = f;
    }
    active = context.getDisplayName();
    activeId = context.getUniqueId();
    if (inetAddress) {
      int feature = Runtime.version().feature();
      Assumptions.assumeTrue(
          feature >= 18,
          () -> "withInetAddress() needs JDK 18 or later (the resolver SPI of JEP 418); this is"
              + " JDK " + feature);
      route = HostRoute.openingFor(
          context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName()
              + " (FakeDnsExtension.withInetAddress())",
          f::routeInetAddress);
    }
  }

  /**
   * Gives the JVM's look-ups back to the system resolver (after {@link #withInetAddress()}),
   * verifies strict mode, then resets the class's fake or closes the test's.
   *
   * @param context the test context
   * @throws AssertionError if an unexpected query arrived, or the dispatcher threw
   */
  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (!context.getUniqueId().equals(activeId)) {
      return; // a test refused by beforeEach: the fake is the running test's
    }
    active = null;
    activeId = null;
    InetAddressRoute r = route;
    route = null;
    if (r != null) {
      r.close();
    }
    FakeDns f = fake;
    if (f == null) {
      return;
    }
    // A route to this fake that the test opened itself ends with the test too.
    HostAnswers holder = HostRoute.current();
    if (holder != null && holder.fake() == f) {
      HostRoute.remove(holder);
    }
    try {
      f.verify();
    } finally {
      if (perClass) {
        f.reset();
      } else {
        f.close();
        fake = null;
      }
    }
  }

  /**
   * Closes the class's fake.
   *
   * @param context the class context
   */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (--classDepth > 0) {
      return;
    }
    FakeDns f = fake;
    fake = null;
    if (f != null) {
      f.close();
    }
  }

  /**
   * Tells whether a parameter is one this extension provides.
   *
   * @param parameter the parameter
   * @param context the context
   * @return true for {@link FakeDns}, {@link ManualClock}, {@link Resolver} and {@link
   *     InetSocketAddress}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == FakeDns.class
        || type == ManualClock.class
        || type == Resolver.class
        || type == InetSocketAddress.class;
  }

  /**
   * Provides a parameter.
   *
   * @param parameter the parameter
   * @param context the context
   * @return the fake, its clock, a new in-process resolver, or its network address (starting the
   *     listener if needed)
   * @throws IllegalStateException if there is no fake yet
   * @throws UncheckedIOException if the listener cannot start
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    FakeDns f = fake();
    if (type == FakeDns.class) {
      return f;
    } else if (type == ManualClock.class) {
      return f.clock();
    } else if (type == Resolver.class) {
      return f.resolver();
    }
    synchronized (this) {
      if (!f.isStarted()) {
        start(f);
      }
    }
    return f.address();
  }

  private FakeDns create() {
    FakeDns f = builder.build();
    if (network) {
      try {
        start(f);
      } catch (RuntimeException e) {
        f.close(); // withNetwork(): a fake without its listener is of no use to anyone
        throw e;
      }
    }
    return f;
  }

  /**
   * Starts the listener. A failure fails only the caller: the fake stays open, usable in-process,
   * and a later test may try the port again.
   */
  private static void start(FakeDns f) {
    try {
      f.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake DNS's listener", e);
    }
  }
}
