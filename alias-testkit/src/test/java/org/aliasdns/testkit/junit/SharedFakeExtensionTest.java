package org.aliasdns.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.aliasdns.testkit.FakeDns;
import org.aliasdns.testkit.internal.HostRoute;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/**
 * A class's one fake (the extension in a static field) where tests run in parallel, where its
 * on-demand listener cannot bind, and where a test leaves a route to it open: small test classes
 * run through JUnit's launcher as a user's build would run them.
 */
class SharedFakeExtensionTest {
  static volatile boolean launched;

  static boolean launched() {
    return launched;
  }

  /** Counted down when a launched test ends, so a running test can wait for its sibling. */
  static volatile CountDownLatch ended = new CountDownLatch(1);

  static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

  /** Taken before the launch, so that the class's listener cannot bind. */
  static volatile DatagramSocket blocker;

  private static final InetSocketAddress TAKEN;

  static {
    try {
      blocker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TAKEN = new InetSocketAddress(InetAddress.getLoopbackAddress(), blocker.getLocalPort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Run only by the launcher below, never on its own. */
  @EnabledIf("org.aliasdns.testkit.junit.SharedFakeExtensionTest#launched")
  @Execution(ExecutionMode.CONCURRENT)
  static class StaticInParallel {
    @RegisterExtension
    static FakeDnsExtension dns =
        FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

    @Test
    void one(Resolver resolver) throws Exception {
      waitForTheOther(resolver);
    }

    @Test
    void two(Resolver resolver) throws Exception {
      waitForTheOther(resolver);
    }

    /** The test that started first runs until the other has been refused. */
    static void waitForTheOther(Resolver resolver) throws Exception {
      resolver.send(StrictModeExtensionTest.query("cdn.example.org.", Type.A));
      assertThat(ended.await(60, TimeUnit.SECONDS)).as("the other test ran meanwhile").isTrue();
      assertThat(dns.fake().queryCount()).isEqualTo(1); // its own query only
    }
  }

  @EnabledIf("org.aliasdns.testkit.junit.SharedFakeExtensionTest#launched")
  @Execution(ExecutionMode.CONCURRENT)
  static class InstanceInParallel {
    @RegisterExtension
    FakeDnsExtension dns =
        FakeDnsExtension.of(FakeDns.recursive().record("cdn.example.org. 60 A 192.0.2.10"));

    @Test
    void one(FakeDns fake, Resolver resolver) throws Exception {
      askWhileTheOtherRuns(fake, resolver);
    }

    @Test
    void two(FakeDns fake, Resolver resolver) throws Exception {
      askWhileTheOtherRuns(fake, resolver);
    }

    static void askWhileTheOtherRuns(FakeDns fake, Resolver resolver) throws Exception {
      BOTH_RUNNING.await(60, TimeUnit.SECONDS);
      resolver.send(StrictModeExtensionTest.query("cdn.example.org.", Type.A));
      BOTH_RUNNING.await(60, TimeUnit.SECONDS);
      assertThat(fake.queryCount()).isEqualTo(1);
    }
  }

  @EnabledIf("org.aliasdns.testkit.junit.SharedFakeExtensionTest#launched")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PortTaken {
    @RegisterExtension
    static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive().listen(TAKEN));

    @Test
    @Order(1)
    void asksForTheTakenPort(InetSocketAddress address) {
      // never runs: the parameter cannot be resolved
    }

    @Test
    @Order(2)
    void staysInProcess(Resolver resolver) throws Exception {
      Message reply = resolver.send(StrictModeExtensionTest.query("cdn.example.org.", Type.A));
      assertThat(reply).isNotNull();
      blocker.close(); // the port is free from now on
    }

    @Test
    @Order(3)
    void asksForThePortAgain(InetSocketAddress address) {
      assertThat(address).isEqualTo(TAKEN);
    }
  }

  @EnabledIf("org.aliasdns.testkit.junit.SharedFakeExtensionTest#launched")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class RouteLeftOpen {
    @RegisterExtension
    static FakeDnsExtension dns = FakeDnsExtension.of(FakeDns.recursive());

    @Test
    @Order(1)
    void opensARouteAndLeavesIt(FakeDns fake) {
      fake.routeInetAddress();
    }

    @Test
    @Order(2)
    void findsItClosed() {
      assertThat(HostRoute.current()).isNull();
    }
  }

  static TestExecutionSummary launch(Class<?> tests, boolean parallel) {
    launched = true;
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener counting =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              ended.countDown();
            }
          }
        };
    try {
      Launcher launcher = LauncherFactory.create();
      LauncherDiscoveryRequestBuilder request =
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests));
      if (parallel) {
        request
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
            .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
            .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2");
      }
      launcher.execute(request.build(), summary, counting);
    } finally {
      launched = false;
    }
    return summary.getSummary();
  }

  @Test
  void aStaticExtensionRefusesASecondTestRunningAtOnceSayingWhatToDo() {
    ended = new CountDownLatch(1);
    TestExecutionSummary summary = launch(StaticInParallel.class, true);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still running on it")
        .hasMessageContaining("use an instance field")
        .hasMessageContaining("@Execution(ExecutionMode.SAME_THREAD)")
        .hasMessageContaining("@ResourceLock");
  }

  @Test
  void anInstanceExtensionGivesEachParallelTestItsOwnFake() {
    TestExecutionSummary summary = launch(InstanceInParallel.class, true);

    assertThat(summary.getFailures()).extracting(f -> f.getException().toString()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
  }

  @Test
  void aPortThatCannotBeBoundFailsOnlyTheTestThatAskedForIt() {
    TestExecutionSummary summary = launch(PortTaken.class, false);

    List<TestExecutionSummary.Failure> failures = summary.getFailures();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).getTestIdentifier().getDisplayName()).startsWith("asksForTheTakenPort");
    assertThat(failures.get(0).getException()).hasStackTraceContaining("BindException");
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
  }

  @Test
  void aRouteATestLeftOpenToTheClasssFakeEndsWithTheTest() {
    int feature = Runtime.version().feature();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        feature >= 18, "JDK " + feature + " has no resolver SPI (JEP 418, JDK 18)");
    TestExecutionSummary summary = launch(RouteLeftOpen.class, false);

    assertThat(summary.getFailures()).extracting(f -> f.getException().toString()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
  }
}
