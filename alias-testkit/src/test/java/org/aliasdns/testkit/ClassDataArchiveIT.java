package org.aliasdns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive the README's "The first fake of a JVM" shows, with exactly its flags:
 * a small program of a user's starts a fake and asks it one question over UDP, in fresh JVMs
 * whose class path holds only jars (the packaged testkit and its dependencies). The JVM that
 * writes the archive and the one that maps it are checked through {@code -Xlog:class+load}:
 * the second loads {@code FakeDns} from the archive ("shared objects file"). With a non-empty
 * directory on the class path, as in a Maven or Gradle test JVM, the JDK refuses to write the
 * archive: the limit the README states.
 */
class ClassDataArchiveIT {
  /** JDK 19 and later: one flag pair, the archive made at the first exit and remade as needed. */
  static final String AUTO = "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=first-fake.jsa";

  /** JDK 17: written once at exit... */
  static final String WRITE = "-XX:ArchiveClassesAtExit=first-fake.jsa";

  /** ...then mapped by every later JVM. */
  static final String USE = "-XX:SharedArchiveFile=first-fake.jsa";

  private static final String ARCHIVE = "first-fake.jsa";

  /** The testkit's dependencies, from this JVM's class path (jars once the reactor packaged). */
  private static final List<String> GRAPH =
      List.of("alias-core", "alias-server", "dnsjava", "slf4j-api", "slf4j-nop", "jspecify");

  private static final String MAIN =
      """
      package user.tests;

      import org.aliasdns.testkit.FakeDns;
      import org.xbill.DNS.DClass;
      import org.xbill.DNS.Message;
      import org.xbill.DNS.Name;
      import org.xbill.DNS.Record;
      import org.xbill.DNS.Section;
      import org.xbill.DNS.SimpleResolver;
      import org.xbill.DNS.Type;

      public final class FirstFake {
        public static void main(String[] args) throws Exception {
          FakeDns.Builder world = FakeDns.recursive().record("www.example.net. 60 A 192.0.2.10");
          try (FakeDns fake = world.build()) {
            fake.start();
            SimpleResolver resolver = new SimpleResolver(fake.address());
            Name name = Name.fromString("www.example.net.");
            Record question = Record.newRecord(name, Type.A, DClass.IN);
            Message reply = resolver.send(Message.newQuery(question));
            System.out.println("answer " + reply.getSection(Section.ANSWER).get(0).rdataToString());
          }
        }
      }
      """;

  @TempDir static Path work;

  /** The user's program: compiled classes (a directory) and the same classes as a jar. */
  private static Path classes = Path.of("");

  private static Path programJar = Path.of("");

  /** The testkit jar and its dependencies, every entry a jar. */
  private static List<String> libraries = List.of();

  @BeforeAll
  static void compileTheUsersProgram() throws IOException {
    List<String> jars = new ArrayList<>();
    jars.add(
        Objects.requireNonNull(System.getProperty("alias.testkit.jar"), "alias.testkit.jar"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      Path p = Path.of(entry);
      if (inTheGraph(p)) {
        Path jar = Files.isDirectory(p) ? jarOf(p, work.resolve(module(p) + ".jar")) : p;
        jars.add(jar.toString());
      }
    }
    libraries = List.copyOf(jars);

    Path src = work.resolve("src/user/tests/FirstFake.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, MAIN);
    classes = work.resolve("classes");
    JavaCompiler javac = Objects.requireNonNull(ToolProvider.getSystemJavaCompiler(), "javac");
    int exit =
        javac.run(null, null, null,
            "-d", classes.toString(),
            "-cp", String.join(File.pathSeparator, libraries),
            src.toString());
    assertThat(exit).as("javac of the user's program").isZero();
    programJar = jarOf(classes, work.resolve("user-tests.jar"));
  }

  @Test
  void theReadmeShowsTheseFlags() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);

    assertThat(readme).contains(AUTO, WRITE, USE);
  }

  @Test
  void onJdk17TheArchiveWrittenAtExitIsMappedByTheNextJvm() throws Exception {
    Path dir = Files.createDirectories(work.resolve("jdk17"));
    List<String> jarsOnly = classPath(programJar);

    List<String> first = run(dir, WRITE, jarsOnly);
    assertThat(first).contains("answer 192.0.2.10");
    assertThat(dir.resolve(ARCHIVE)).isNotEmptyFile();

    List<String> second = run(dir, USE + " -Xlog:class+load", jarsOnly);
    assertThat(second).contains("answer 192.0.2.10");
    assertThat(second).anyMatch(ClassDataArchiveIT::fakeDnsFromTheArchive);
  }

  @Test
  void fromJdk19OneFlagPairMakesTheArchiveThenMapsIt() throws Exception {
    int feature = Runtime.version().feature();
    assumeTrue(feature >= 19, "JDK " + feature + " has no -XX:+AutoCreateSharedArchive (JDK 19)");
    Path dir = Files.createDirectories(work.resolve("jdk19"));
    List<String> jarsOnly = classPath(programJar);

    List<String> first = run(dir, AUTO, jarsOnly);
    assertThat(first).contains("answer 192.0.2.10");
    assertThat(dir.resolve(ARCHIVE)).isNotEmptyFile();

    List<String> second = run(dir, AUTO + " -Xlog:class+load", jarsOnly);
    assertThat(second).contains("answer 192.0.2.10");
    assertThat(second).anyMatch(ClassDataArchiveIT::fakeDnsFromTheArchive);
  }

  @Test
  void aDirectoryOnTheClassPathStopsTheArchiveBeingWritten() throws Exception {
    Path dir = Files.createDirectories(work.resolve("directory"));
    List<String> withADirectory = classPath(classes); // as target/test-classes in a test JVM

    Exit exit = start(dir, WRITE, withADirectory);

    assertThat(exit.lines()).contains("answer 192.0.2.10"); // the program ran...
    assertThat(exit.lines()).anyMatch(l -> l.contains("non-empty directory")); // ...the dump not,
    assertThat(exit.status()).as("the JVM's exit status").isEqualTo(1); // which fails the JVM
    assertThat(dir.resolve(ARCHIVE)).doesNotExist();
  }

  private static boolean fakeDnsFromTheArchive(String line) {
    return line.contains(" org.aliasdns.testkit.FakeDns source: shared objects file");
  }

  /** The user's program first (as a jar or a directory), then the testkit and its graph. */
  private static List<String> classPath(Path program) {
    List<String> all = new ArrayList<>();
    all.add(program.toString());
    all.addAll(libraries);
    return all;
  }

  private static boolean inTheGraph(Path p) {
    String name = p.getFileName().toString();
    if (name.contains("tests") || name.equals("test-classes")) {
      return false;
    }
    String module = module(p);
    return GRAPH.stream().anyMatch(g -> module.equals(g) || module.startsWith(g + "-"));
  }

  /** A reactor module's name for its target/classes directory, else the entry's file name. */
  private static String module(Path p) {
    String name = p.getFileName().toString();
    return name.equals("classes") && p.getParent() != null && p.getParent().getParent() != null
        ? p.getParent().getParent().getFileName().toString()
        : name;
  }

  /** Packs a directory of classes into a jar: the archive takes classes from jars only. */
  private static Path jarOf(Path directory, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(directory)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(directory.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** How a JVM ended: its exit status and what it printed. */
  private record Exit(int status, List<String> lines) {}

  /** Runs the program in a fresh JVM, which must succeed; returns what it printed. */
  private static List<String> run(Path dir, String flags, List<String> classPath)
      throws IOException, InterruptedException {
    Exit exit = start(dir, flags, classPath);
    assertThat(exit.status()).as(String.join("\n", exit.lines())).isZero();
    return exit.lines();
  }

  /** Runs the program in a fresh JVM in {@code dir} (where the archive's relative path points). */
  private static Exit start(Path dir, String flags, List<String> classPath)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Ddns.server=127.0.0.1"); // dnsjava never reads the system's configuration
    command.addAll(List.of(flags.split(" ", -1)));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add("user.tests.FirstFake");
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the JVM ends").isTrue();
    return new Exit(p.exitValue(), out.lines().collect(Collectors.toList()));
  }
}
