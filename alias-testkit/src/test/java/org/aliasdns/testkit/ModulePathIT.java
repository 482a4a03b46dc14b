package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged testkit jar as a module-path user gets it, on JDK 18 and later (skipped, with the
 * reason, on JDK 17): a small module of a user's that requires {@code org.aliasdns.testkit}, run
 * in its own JVM on the module path and, the same classes, on the class path. The module path
 * sees the testkit's resolver provider (its JDK 18 module descriptor declares it); which provider
 * the JDK then takes is the JDK's choice, and the testkit reports it; on the class path with the
 * testkit first, the look-ups go to the fake.
 */
class ModulePathIT {
  private static final String PROVIDER =
      "org.aliasdns.testkit.internal.TestkitInetAddressResolverProvider";

  /** Jars and class directories of the testkit's own module graph, from this JVM's class path. */
  private static final List<String> GRAPH =
      List.of("alias-core", "alias-server", "dnsjava", "slf4j-api", "slf4j-nop", "jspecify",
          "caffeine");

  private static final String MODULE_INFO =
      """
      module user.tests {
        requires org.aliasdns.testkit;
        uses java.net.spi.InetAddressResolverProvider;
      }
      """;

  private static final String MAIN =
      """
      package user.tests;

      import java.net.InetAddress;
      import java.net.spi.InetAddressResolverProvider;
      import java.util.ServiceLoader;
      import org.aliasdns.testkit.FakeDns;
      import org.aliasdns.testkit.InetAddressRoute;

      public final class Main {
        public static void main(String[] args) throws Exception {
          ServiceLoader.load(InetAddressResolverProvider.class).stream()
              .forEach(p -> System.out.println("provider " + p.type().getName() + " "
                  + (p.type().getModule().isNamed() ? p.type().getModule().getName() : "unnamed")));
          String reason = InetAddressRoute.unsupportedReason().orElse("none");
          System.out.println("reason " + reason);
          if (!reason.equals("none")) {
            return; // not routed: www.example.net must not reach the system resolver
          }
          try (FakeDns dns = FakeDns.recursive().record("www.example.net. 60 A 192.0.2.10").build()) {
            dns.routeInetAddress();
            System.out.println("answer " + InetAddress.getByName("www.example.net").getHostAddress());
          }
        }
      }
      """;

  /** The JDK's address-cache settings once it has loaded its resolver provider. */
  private static final String CACHE_POLICY =
      """
      package user.tests;

      import java.net.InetAddress;
      import java.security.Security;
      import org.aliasdns.testkit.InetAddressRoute;

      public final class CachePolicy {
        public static void main(String[] args) throws Exception {
          InetAddress.getAllByName("localhost"); // the JDK loads its provider here
          System.out.println("reason " + InetAddressRoute.unsupportedReason().orElse("none"));
          System.out.println("ttl " + Security.getProperty("networkaddress.cache.ttl"));
          System.out.println("negative " + Security.getProperty("networkaddress.cache.negative.ttl"));
        }
      }
      """;

  private static Path jar = Path.of("");
  private static List<String> graph = List.of();

  @TempDir static Path work;

  /** Skips the test, saying why, on JDK 17. */
  private static void requireJdk18() {
    int feature = Runtime.version().feature();
    assumeTrue(feature >= 18, "JDK " + feature + " has no resolver SPI (JEP 418, JDK 18)");
  }

  @BeforeAll
  static void compileTheUsersModule() throws IOException {
    if (Runtime.version().feature() < 18) {
      return; // each test skips with the reason
    }
    jar = Path.of(Objects.requireNonNull(System.getProperty("alias.testkit.jar"), "alias.testkit.jar"));
    graph =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(ModulePathIT::inTheGraph)
            .toList();
    Path src = work.resolve("src/user/tests");
    Files.createDirectories(src);
    Files.writeString(work.resolve("src/module-info.java"), MODULE_INFO);
    Files.writeString(src.resolve("Main.java"), MAIN);
    Files.writeString(src.resolve("CachePolicy.java"), CACHE_POLICY);
    JavaCompiler javac = Objects.requireNonNull(ToolProvider.getSystemJavaCompiler(), "javac");
    int exit =
        javac.run(null, null, null,
            "-d", work.resolve("out").toString(),
            "--module-path", modulePath(List.of()),
            work.resolve("src/module-info.java").toString(),
            src.resolve("Main.java").toString(),
            src.resolve("CachePolicy.java").toString());
    assertThat(exit).as("javac of the user's module").isZero();
  }

  /** An entry of the testkit's graph: the jars and class directories it requires, no tests. */
  private static boolean inTheGraph(String entry) {
    Path p = Path.of(entry);
    String name = p.getFileName().toString();
    if (name.contains("tests") || name.equals("test-classes")) {
      return false;
    }
    // a reactor module's classes directory: <module>/target/classes
    String module =
        name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null
            ? p.getParent().getParent().getFileName().toString()
            : name;
    return GRAPH.stream().anyMatch(g -> module.equals(g) || module.startsWith(g + "-"));
  }

  private static String modulePath(List<String> more) {
    List<String> all = new ArrayList<>();
    all.add(jar.toString());
    all.addAll(graph);
    all.addAll(more);
    return String.join(File.pathSeparator, all);
  }

  private static List<String> run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Ddns.server=127.0.0.1"); // dnsjava never reads the system's configuration
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the JVM ends").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().collect(Collectors.toList());
  }

  @Test
  void theJarDeclaresTheProviderToJdk18AndLater() {
    requireJdk18();
    ModuleReference testkit =
        ModuleFinder.of(jar).find("org.aliasdns.testkit").orElseThrow();

    assertThat(testkit.descriptor().provides())
        .extracting(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "java.net.spi.InetAddressResolverProvider", List.of(PROVIDER)));
  }

  @Test
  void onTheModulePathTheProviderIsSeenAndTheJdksChoiceReported() throws Exception {
    requireJdk18();
    List<String> out =
        run("--module-path", modulePath(List.of(work.resolve("out").toString())),
            "-m", "user.tests/user.tests.Main");

    // registered: ServiceLoader finds it in the testkit's named module, beside dnsjava's
    assertThat(out).contains("provider " + PROVIDER + " org.aliasdns.testkit");
    String reason = out.stream().filter(l -> l.startsWith("reason ")).findFirst().orElseThrow();
    if (reason.equals("reason none")) {
      assertThat(out).contains("answer 192.0.2.10");
    } else {
      // the JDK took another named module's provider first: the reason says which, and what to do
      assertThat(reason)
          .contains("on the module path")
          .contains("org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider")
          .contains("<useModulePath>false</useModulePath>");
      assertThat(out).noneMatch(l -> l.startsWith("answer "));
    }
  }

  @Test
  void onTheClassPathWithTheTestkitFirstLookUpsGoToTheFake() throws Exception {
    requireJdk18();
    List<String> out =
        run("-cp", modulePath(List.of(work.resolve("out").toString())), "user.tests.Main");

    assertThat(out)
        .contains("provider " + PROVIDER + " unnamed", "reason none", "answer 192.0.2.10");
  }

  @Test
  void aTestScopedTestkitBesideDnsjavaOnTheModulePathIsToldToUseTheClassPath() throws Exception {
    requireJdk18();
    // Surefire's useModulePath=true with a test-scoped testkit: dnsjava (a dependency of the
    // code under test) is a named module, the testkit and the tests are on the class path.
    List<String> modules =
        graph.stream().filter(e -> e.contains("dnsjava") || e.contains("slf4j")).toList();
    List<String> classPath = new ArrayList<>();
    classPath.add(jar.toString());
    graph.stream().filter(e -> !modules.contains(e)).forEach(classPath::add);
    classPath.add(work.resolve("out").toString());
    List<String> out =
        run("--module-path", String.join(File.pathSeparator, modules),
            "--add-modules", "ALL-MODULE-PATH",
            "-cp", String.join(File.pathSeparator, classPath), "user.tests.Main");

    assertThat(out).contains("provider " + PROVIDER + " unnamed");
    String reason = out.stream().filter(l -> l.startsWith("reason ")).findFirst().orElseThrow();
    assertThat(reason)
        .contains("org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider")
        .contains("named module")
        .contains("<useModulePath>false</useModulePath>")
        .doesNotContain("ahead of dnsjava on the test class path");
  }

  @Test
  void cacheTimesSetInASecurityPropertiesFileAreKeptEachOnItsOwn() throws Exception {
    requireJdk18();
    Path both = work.resolve("both.security");
    Files.writeString(both, "networkaddress.cache.ttl=30\nnetworkaddress.cache.negative.ttl=5\n");
    Path positiveOnly = work.resolve("positive.security");
    Files.writeString(positiveOnly, "networkaddress.cache.ttl=30\n");
    String cp = modulePath(List.of(work.resolve("out").toString()));

    assertThat(run("-Djava.security.properties=" + both, "-cp", cp, "user.tests.CachePolicy"))
        .contains("reason none", "ttl 30", "negative 5");
    assertThat(run("-Djava.security.properties=" + positiveOnly, "-cp", cp, "user.tests.CachePolicy"))
        .contains("reason none", "ttl 30", "negative 0");
    assertThat(run("-Dsun.net.inetaddr.negative.ttl=5", "-cp", cp, "user.tests.CachePolicy"))
        .contains("reason none", "ttl 0")
        .doesNotContain("negative 0"); // left as the JDK ships it, which then decides
    assertThat(run("-cp", cp, "user.tests.CachePolicy"))
        .contains("reason none", "ttl 0", "negative 0");
  }
}
