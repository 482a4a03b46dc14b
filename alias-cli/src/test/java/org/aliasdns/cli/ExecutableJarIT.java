package org.aliasdns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars as they ship, after {@code package}: the executable {@code aliasdns.jar} run as a user
 * runs it ({@code java -jar}), and the classes jar's manifest.
 */
class ExecutableJarIT {
  private static final String VERSION = Objects.requireNonNull(System.getProperty("alias.version"));

  @Test
  void versionPrintsTheBuildVersionFromTheManifest() throws Exception {
    Run r = aliasdns("--version");

    assertThat(r.exit()).isEqualTo(Main.OK);
    assertThat(r.out()).isEqualTo("aliasdns " + VERSION + "\n");
  }

  @Test
  void checkRunsFromTheExecutableJar() throws Exception {
    Run clean = aliasdns("check", "--no-suggestions", Cli.zone("example.com.zone"));
    Run broken = aliasdns("check", Cli.zone("broken.zone"));

    assertThat(clean.exit()).isEqualTo(Main.OK);
    assertThat(clean.out()).endsWith("zone example.com.: 0 errors, 0 warnings\n");
    assertThat(broken.exit()).isEqualTo(Main.FINDINGS);
    assertThat(broken.out()).contains("error cname-and-other-data");
  }

  @Test
  void everyJarNamesItselfAndItsVersionInTheManifest() throws IOException {
    for (String property : List.of("alias.jar", "aliasdns.jar")) {
      try (JarFile jar = new JarFile(Objects.requireNonNull(System.getProperty(property)))) {
        Attributes main = jar.getManifest().getMainAttributes();

        assertThat(main.getValue("Implementation-Title")).as(property).isEqualTo("alias cli");
        assertThat(main.getValue("Implementation-Version")).as(property).isEqualTo(VERSION);
        assertThat(jar.getEntry("META-INF/LICENSE")).as(property).isNotNull();
        assertThat(jar.getEntry("META-INF/NOTICE")).as(property).isNotNull();
      }
    }
  }

  @Test
  void withoutTheOptionalTestkitEveryCommandButTheDemoWorks() throws Exception {
    // what a program that depends on alias-cli gets: the testkit is optional in its POM
    String classPath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("alias-testkit"))
            .collect(Collectors.joining(File.pathSeparator));

    Run help = java("-cp", classPath, Main.class.getName(), "--help");
    Run check = java("-cp", classPath, Main.class.getName(), "check", Cli.zone("broken.zone"));
    Run demo = java("-cp", classPath, Main.class.getName(), "demo");

    assertThat(help.exit()).isEqualTo(Main.OK);
    assertThat(check.exit()).isEqualTo(Main.FINDINGS);
    assertThat(demo.exit()).isEqualTo(Main.UNUSABLE);
    assertThat(demo.out()).contains("aliasdns demo: needs alias-testkit");
  }

  @Test
  void theLauncherRunsTheJarWithItsClassDataArchive() throws Exception {
    // ./aliasdns at the top of the checkout: a short command's JVM settings, and a class-data
    // archive written by the first run after a build and used by the later ones
    Path root = Objects.requireNonNull(Path.of("").toAbsolutePath().getParent());
    Path archive =
        Path.of(Objects.requireNonNull(System.getProperty("aliasdns.jar")))
            .resolveSibling("aliasdns-jdk" + Runtime.version().feature() + ".jsa");
    Files.deleteIfExists(archive);

    Run first = launcher(root, "check", Path.of(Cli.zone("broken.zone")).toAbsolutePath().toString());
    Run second = launcher(root, "check", Path.of(Cli.zone("broken.zone")).toAbsolutePath().toString());
    Run jar = aliasdns("check", Path.of(Cli.zone("broken.zone")).toAbsolutePath().toString());

    assertThat(first).isEqualTo(jar);
    assertThat(second).isEqualTo(jar);
    assertThat(jar.exit()).isEqualTo(Main.FINDINGS);
    assertThat(archive).isNotEmptyFile();
  }

  @Test
  void theExecutableJarIsMultiReleaseWithoutTheTestkitsResolverProviderAndCarriesAwsLcsLicense()
      throws IOException {
    try (JarFile jar = new JarFile(Objects.requireNonNull(System.getProperty("aliasdns.jar")))) {
      Attributes main = jar.getManifest().getMainAttributes();
      var services = jar.getEntry("META-INF/services/java.net.spi.InetAddressResolverProvider");
      String providers =
          services == null
              ? ""
              : new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);

      assertThat(main.getValue("Multi-Release")).isEqualTo("true");
      assertThat(providers).doesNotContain("org.aliasdns.testkit");
      assertThat(jar.stream().map(e -> e.getName()))
          .noneMatch(n -> n.startsWith("META-INF/versions/") && n.contains("org/aliasdns/testkit"));
      assertThat(new String(
              jar.getInputStream(jar.getEntry("META-INF/licenses/aws-lc.txt")).readAllBytes(),
              StandardCharsets.UTF_8))
          .contains("OpenSSL License", "Original SSLeay License", "ISC license");
    }
  }

  /**
   * The trial's failure: on JDK 18+ a JVM with the jar on its class path resolved no host name,
   * its services file naming a provider in META-INF/versions/18 that a jar without
   * Multi-Release hides. localhost comes from /etc/hosts: no DNS traffic.
   */
  @Test
  void hostNameLookUpsWorkWithTheJarOnTheClassPathOfJdk18AndLater(@TempDir Path dir)
      throws Exception {
    @Nullable Path found = jdk18OrLater();
    Assumptions.assumeTrue(
        found != null,
        "no JDK 18 or later found (java.home, JDK18_HOME, /usr/lib/jvm/*): the JDK 18+ resolver"
            + " provider look-up is not tested");
    Path java = Objects.requireNonNull(found);
    Path program = dir.resolve("LookUp.java");
    Files.writeString(
        program,
        "public class LookUp { public static void main(String[] a) throws Exception {"
            + " System.out.println(java.net.InetAddress.getByName(\"localhost\").isLoopbackAddress()); } }");

    Run r =
        finish(
            new ProcessBuilder(
                    java.toString(), "-cp", System.getProperty("aliasdns.jar"), program.toString())
                .redirectErrorStream(true)
                .start(),
            "LookUp");

    assertThat(r.out()).isEqualTo("true\n");
    assertThat(r.exit()).isZero();
  }

  /** A JDK of feature version 18 or later: this one, JDK18_HOME, or one under /usr/lib/jvm. */
  private static @Nullable Path jdk18OrLater() throws IOException {
    if (Runtime.version().feature() >= 18) {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }
    List<Path> homes = new ArrayList<>();
    String given = System.getenv("JDK18_HOME");
    if (given != null) {
      homes.add(Path.of(given));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> list = Files.list(jvms)) {
        list.sorted().forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path release = home.resolve("release");
      Path java = home.resolve("bin/java");
      if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
        continue;
      }
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        Matcher m =
            Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
        if (m.find() && Integer.parseInt(m.group(1)) >= 18) {
          return java;
        }
      }
    }
    return null;
  }

  @Test
  void checkReadsStandardInputForADash() throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            Objects.requireNonNull(System.getProperty("aliasdns.jar")),
            "check",
            "--no-suggestions",
            "-");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(Path.of(Cli.zone("broken.zone")).toFile());

    Run r = finish(pb.start(), "check -");

    assertThat(r.exit()).isEqualTo(Main.FINDINGS);
    assertThat(r.out()).contains("-:9: error cname-and-other-data").endsWith("\n-: zone example.com.: 1 error, 2 warnings\n");
  }

  /**
   * The launcher's JVM settings for serve start without a warning (-Xms16m with -Xmn16m made
   * the JVM say "NewSize was set larger than initial heap size" on every start).
   */
  @Test
  void theLauncherStartsEveryCommandsJvmWithoutAWarning() throws Exception {
    Path root = Objects.requireNonNull(Path.of("").toAbsolutePath().getParent());
    for (String command : List.of("serve", "check", "sign")) {
      List<String> cmd = List.of("sh", root.resolve("aliasdns").toString(), command, "--help");
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().remove("ALIASDNS_JAVA_OPTS");
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(command).isZero();
      assertThat(out).as(command).contains("Usage: aliasdns " + command);
      assertThat(err).as(command + ": standard error").isEmpty();
    }
  }

  /**
   * Signing through ACCP's native library prints no JVM warning: JDK 24+ warns about
   * {@code System.load} from the unnamed module unless the jar enables native access (JEP 472).
   */
  @Test
  void signingWithTheNativeProviderPrintsNoJvmWarning(@TempDir Path dir) throws Exception {
    Run keygen = aliasdns("keygen", "example.com", "-K", dir.toString());
    assertThat(keygen.exit()).as(keygen.out()).isZero();
    String stem = keygen.out().lines().filter(l -> l.startsWith("K")).reduce("", (a, b) -> b);

    Run sign =
        aliasdns(
            "sign",
            Cli.zone("example.com.zone"),
            "--key",
            dir.resolve(stem).toString(),
            "--crypto",
            "auto",
            "-o",
            dir.resolve("signed.zone").toString());

    assertThat(sign.exit()).as(sign.out()).isZero();
    assertThat(sign.out()).doesNotContain("WARNING: ").doesNotContain("restricted method");
    assertThat(dir.resolve("signed.zone")).exists();
  }

  private static Run launcher(Path root, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", root.resolve("aliasdns").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("ALIASDNS_JAVA_OPTS");
    return finish(pb.start(), String.join(" ", args));
  }

  private record Run(int exit, String out) {}

  private static Run aliasdns(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("-jar");
    cmd.add(Objects.requireNonNull(System.getProperty("aliasdns.jar")));
    cmd.addAll(List.of(args));
    return java(cmd.toArray(String[]::new));
  }

  private static Run java(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(args));
    return finish(new ProcessBuilder(cmd).redirectErrorStream(true).start(), String.join(" ", args));
  }

  private static Run finish(Process p, String what) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(what + " did not finish: " + out);
    }
    return new Run(p.exitValue(), out);
  }
}
